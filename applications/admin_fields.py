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


class ApplicationChangeFields:
    """Mixed into ``ApplicationAdmin``: the displays its fieldsets name."""

    @admin.display(description="Full name")
    def hidden_full_name(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="Preferred name")
    def hidden_preferred_name(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="Email")
    def hidden_email(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="Phone")
    def hidden_phone(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="Library or organization")
    def hidden_organization(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="Account")
    def hidden_applicant_account(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="City")
    def hidden_city(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="Position title")
    def hidden_position_title(self, application) -> str:
        return selectors.HIDDEN

    @admin.display(description="Identifies as Black, Indigenous, or a Person of Color")
    def hidden_bipoc_identity(self, application) -> str:
        return selectors.HIDDEN

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
