"""What the matches app tells the apps above it (they connect; it never imports them)."""

from django.dispatch import Signal

# Sent inside the transaction that concluded a match, with ``match``: the apps above
# (certificates) do their part of the conclusion in the same transaction.
match_concluded = Signal()
