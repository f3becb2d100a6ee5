"""The matches app's models: the match and how the engine makes it (``core``), and what
the partners record and wish for themselves (``partners``)."""

from .core import Match, MatchingRun, MatchingWeights, MatchQuerySet, NeverPair
from .partners import (
    MAX_PREFERRED,
    MEETING_MAX_MINUTES,
    DirectoryListing,
    HelpRequest,
    HelpRequestQuerySet,
    Meeting,
    PairingWish,
)

__all__ = [
    "MAX_PREFERRED",
    "MEETING_MAX_MINUTES",
    "DirectoryListing",
    "HelpRequest",
    "HelpRequestQuerySet",
    "Match",
    "MatchQuerySet",
    "MatchingRun",
    "MatchingWeights",
    "Meeting",
    "NeverPair",
    "PairingWish",
]
