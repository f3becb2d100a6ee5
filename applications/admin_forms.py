"""An application's change page in admin: the form (its status along the allowed
transitions, staff notes, the viewer's own review) and the history of its status."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.limits import PROSE_MAX_LENGTH

from .models import Application, ApplicationStatusChange

Status = Application.Status

SCORE_CHOICES = [
    (1, _("1 · Weak")),
    (2, _("2 · Fair")),
    (3, _("3 · Good")),
    (4, _("4 · Very good")),
    (5, _("5 · Excellent")),
]


class ApplicationAdminForm(forms.ModelForm):
    """Status, staff notes, and the viewer's own review: all the committee may change."""

    my_score = forms.TypedChoiceField(
        label=_("Your score"),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Your own score of this application; other reviewers score it too."),
    )
    my_comment = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        label=_("Your comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why you scored it so, for the rest of the committee."),
    )

    class Meta:
        model = Application
        fields = ["status", "staff_notes"]
        widgets = {"staff_notes": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    reviewer = None  # set by ApplicationAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        application = self.instance
        allowed = {application.status, *application.allowed_next_statuses}
        if "status" in self.fields:  # a reviewer's form has no status: they do not decide
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
            self.fields["status"].help_text = gettext(
                "Only the changes allowed from its current status are offered. Deciding "
                "does not email the applicant: use the “Send decisions” action."
            )
        review = application.reviews.filter(reviewer=self.reviewer).first()
        if review is not None:
            self.initial["my_score"] = review.score
            self.initial["my_comment"] = review.comment
        if application.status in (Status.DRAFT, Status.WITHDRAWN):
            self.fields["my_score"].disabled = True
            self.fields["my_comment"].disabled = True
            self.fields[
                "my_score"
            ].help_text = (
                f"A {application.get_status_display().lower()} application is not reviewed."
            )

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status != self.instance.status and not self.instance.can_change_to(status):
            raise ValidationError(gettext("That status change is not allowed."))
        return status

    def clean(self):
        data = super().clean()
        if data.get("my_comment") and not data.get("my_score"):
            self.add_error("my_score", gettext("Give a score with your comment."))
        return data


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    verbose_name = _("status change")
    verbose_name_plural = _("History of the status")
    fields = ["changed_at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "application")

    @admin.display(description=_("Changed by"))
    def by(self, change: ApplicationStatusChange) -> str:
        # “The applicant” rather than their name, which a blind review may be hiding.
        if change.changed_by_id is None:
            return "—"
        if change.changed_by_id == change.application.applicant_id:
            return "The applicant"
        return str(change.changed_by)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
