"""English dates and times as the program writes them: “August 31, 2026”, “6:00 PM”
(Django's English says “Aug. 31, 2026”, “6 p.m.”). Spanish keeps Django's own formats:
“31 de agosto de 2026”, “18:00”."""

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A"
