"""The read-only fields of an application's change page in admin: the applicant's
identity, shown as hidden under blind review until the viewer has scored, their account,
state and ways to communicate, and the reviews (or only their number, while hidden)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from . import selectors
from .geography import STATE_NAMES
from .models import Application


def _hidden(description: str):
    """A field shown as hidden under blind review, under the field's own label."""

    @admin.display(description=description)
    def display(self, application: Application) -> str:
        return selectors.HIDDEN

    return display


class ApplicationChangeFields:
    """Mixed into ``ApplicationAdmin``: the displays its fieldsets name."""

    hidden_full_name = _hidden("Full name")
    hidden_preferred_name = _hidden("Preferred name")
    hidden_email = _hidden("Email")
    hidden_phone = _hidden("Phone")
    hidden_organization = _hidden("Library or organization")
    hidden_applicant_account = _hidden("Account")
    hidden_city = _hidden("City")
    hidden_position_title = _hidden("Position title")
    hidden_bipoc_identity = _hidden("Identifies as Black, Indigenous, or a Person of Color")

    @admin.display(description="Account")
    def applicant_account(self, application: Application) -> str:
        if application.applicant_id is None:
            return "Deleted"
        url = reverse("admin:mentoring_user_change", args=[application.applicant_id])
        return format_html('<a href="{}">{}</a>', url, application.applicant.email)

    @admin.display(description="State or province")
    def state_name(self, application: Application) -> str:
        return STATE_NAMES.get(application.state, application.state)

    @admin.display(description="Preferred ways to communicate")
    def communication(self, application: Application) -> str:
        labels = dict(Application.Communication.choices)
        return ", ".join(labels.get(c, c) for c in application.communication_methods)

    @admin.display(description="All reviews")
    def reviews(self, application: Application) -> str:
        reviews = selectors.reviews_of(application)
        if not reviews:
            return "No reviews yet."
        mean = sum(r.score for r in reviews) / len(reviews)
        rows = format_html_join(
            "",
            "<br><strong>{}/5</strong> by {}{}",
            (
                (
                    r.score,
                    r.reviewer or "a former reviewer",
                    format_html(": “{}”", r.comment) if r.comment else "",
                )
                for r in reviews
            ),
        )
        count = ngettext("%(count)d review", "%(count)d reviews", len(reviews)) % {
            "count": len(reviews)
        }
        return format_html("Mean <strong>{}</strong> from {}{}", f"{mean:.1f}", count, rows)

    @admin.display(description="All reviews")
    def reviews_hidden(self, application: Application) -> str:
        count = application.reviews.count()
        if not count:
            return "No reviews yet."
        return ngettext(
            "%(count)d review; they show once you have scored.",
            "%(count)d reviews; they show once you have scored.",
            count,
        ) % {"count": count}
