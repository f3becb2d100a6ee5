"""Who on the committee may do what with applications (the roles are mentoring/roles.py).

Deciding (statuses, sending decisions, exporting, contact details) is the coordinator's;
scoring and commenting is every reviewer's, on the cycles they are assigned to.
"""

from __future__ import annotations

DECIDE = "applications.change_application"
REVIEW = "applications.review_application"
FUNDING_IDENTITY = "applications.view_funding_identity"


def may_decide(user) -> bool:
    """Change statuses, send decisions, export, read contact details; every cycle."""
    return user.has_perm(DECIDE)


def may_review(user) -> bool:
    """Score and comment (on the applications the person may see)."""
    return may_decide(user) or user.has_perm(REVIEW)


def reviews_assigned_cycles_only(user) -> bool:
    """A reviewer sees the applications of the cycles they are assigned to, no others."""
    return not may_decide(user)


def may_see_funding_identity(user) -> bool:
    return user.has_perm(FUNDING_IDENTITY)
