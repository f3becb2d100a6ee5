"""Where applicants are: states and provinces with their regions, and the time zones
people in the program live in. The matching engine uses the regions for “close by”."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Regions follow the US Census Bureau's four regions; Canada is its own.
_STATES = {
    "Northeast": [
        ("CT", "Connecticut"), ("ME", "Maine"), ("MA", "Massachusetts"),
        ("NH", "New Hampshire"), ("RI", "Rhode Island"), ("VT", "Vermont"),
        ("NJ", "New Jersey"), ("NY", "New York"), ("PA", "Pennsylvania"),
    ],
    "Midwest": [
        ("IL", "Illinois"), ("IN", "Indiana"), ("MI", "Michigan"), ("OH", "Ohio"),
        ("WI", "Wisconsin"), ("IA", "Iowa"), ("KS", "Kansas"), ("MN", "Minnesota"),
        ("MO", "Missouri"), ("NE", "Nebraska"), ("ND", "North Dakota"), ("SD", "South Dakota"),
    ],
    "South": [
        ("DE", "Delaware"), ("DC", "District of Columbia"), ("FL", "Florida"),
        ("GA", "Georgia"), ("MD", "Maryland"), ("NC", "North Carolina"),
        ("SC", "South Carolina"), ("VA", "Virginia"), ("WV", "West Virginia"),
        ("AL", "Alabama"), ("KY", "Kentucky"), ("MS", "Mississippi"), ("TN", "Tennessee"),
        ("AR", "Arkansas"), ("LA", "Louisiana"), ("OK", "Oklahoma"), ("TX", "Texas"),
        ("PR", "Puerto Rico"),
    ],
    "West": [
        ("AZ", "Arizona"), ("CO", "Colorado"), ("ID", "Idaho"), ("MT", "Montana"),
        ("NV", "Nevada"), ("NM", "New Mexico"), ("UT", "Utah"), ("WY", "Wyoming"),
        ("AK", "Alaska"), ("CA", "California"), ("HI", "Hawaii"), ("OR", "Oregon"),
        ("WA", "Washington"), ("GU", "Guam"),
    ],
    "Canada": [
        ("AB", "Alberta"), ("BC", "British Columbia"), ("MB", "Manitoba"),
        ("NB", "New Brunswick"), ("NL", "Newfoundland and Labrador"), ("NS", "Nova Scotia"),
        ("ON", "Ontario"), ("PE", "Prince Edward Island"), ("QC", "Quebec"),
        ("SK", "Saskatchewan"), ("NT", "Northwest Territories"), ("NU", "Nunavut"),
        ("YT", "Yukon"),
    ],
}  # fmt: skip

OUTSIDE = "XX"

STATE_CHOICES: list[tuple[str, str]] = sorted(
    (code, name) for states in _STATES.values() for code, name in states
) + [(OUTSIDE, _("Outside the United States and Canada"))]
STATE_CHOICES.sort(key=lambda choice: (choice[0] == OUTSIDE, choice[1]))

STATE_NAMES: dict[str, str] = dict(STATE_CHOICES)
REGION_OF: dict[str, str] = {
    code: region for region, states in _STATES.items() for code, _ in states
}

# The zones most applicants live in, first; any IANA zone is accepted.
TIME_ZONE_CHOICES: list[tuple[str, str]] = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Arizona (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("America/Halifax", "Atlantic (Halifax)"),
    ("America/St_Johns", "Newfoundland (St. John's)"),
    ("Europe/London", "United Kingdom (London)"),
    ("Europe/Berlin", "Central Europe (Berlin)"),
    ("Asia/Tokyo", "Japan (Tokyo)"),
    ("Australia/Sydney", "Eastern Australia (Sydney)"),
    ("UTC", "UTC"),
]


def region_of(state: str) -> str:
    return REGION_OF.get(state, "")
