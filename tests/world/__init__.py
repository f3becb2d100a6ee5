"""The shared test world and its URL table (see ``build.py`` and ``urls.py``)."""

from .build import OWNER_GOAL, OWNER_HELP, OWNER_LOG, OWNER_NAME, World, build_world
from .urls import (
    ANONYMOUS,
    ANOTHER_APPLICANT,
    ARGUMENTS,
    CROSSED,
    OWNER,
    PARTNER,
    ROLES,
    STAFF,
    Case,
    case,
    crossed,
    path,
    people,
    person,
)

__all__ = [
    "ANONYMOUS",
    "ANOTHER_APPLICANT",
    "ARGUMENTS",
    "CROSSED",
    "OWNER",
    "OWNER_GOAL",
    "OWNER_HELP",
    "OWNER_LOG",
    "OWNER_NAME",
    "PARTNER",
    "ROLES",
    "STAFF",
    "Case",
    "World",
    "build_world",
    "case",
    "crossed",
    "path",
    "people",
    "person",
]
