"""Two factors for everyone with admin access (allauth's MFA: an authenticator app's
codes, and recovery codes).

Staff see private identity answers and everyone's applications, so the administration
opens only to a session that proved a second factor: staff without an authenticator are
sent to set one up, and staff who signed in without it (a session from before, or one
whose second step never happened) are asked for a code. Participants may turn it on from
their account's "Two-factor authentication" page; allauth then asks them for a code at
every sign-in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext


def needs_second_factor(user) -> bool:
    """Whether the person has admin access (Django's admin lets in active staff)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def proved_second_factor(request: HttpRequest) -> bool:
    """Whether this session's sign-in (or a later check) included a second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def record_second_factor(request: HttpRequest, authenticator: Authenticator) -> None:
    """Note in the session that the person proved a second factor, as allauth does when
    they enter a code."""
    record_authentication(
        request, authenticator.user, "mfa", id=authenticator.pk, type=authenticator.type
    )


@receiver(authenticator_added)
def _setting_up_proves_it(sender, request, user, authenticator, **kwargs) -> None:
    # Activating takes a code from the new authenticator: that proves it for the session.
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_second_factor(request, authenticator)


class StaffSecondFactorMiddleware:
    """Sends staff without a proven second factor to set one up or to enter a code,
    before any admin page opens (but for signing out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        if not request.path.startswith(reverse("admin:index")):
            return None
        user = request.user
        if not needs_second_factor(user) or request.path == reverse("admin:logout"):
            return None
        if proved_second_factor(request):
            return None
        back = urlencode({"next": request.get_full_path()})
        if has_authenticator(user):
            messages.info(
                request,
                gettext("Enter a code from your authenticator app to open the administration."),
            )
            return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{back}")
        messages.info(
            request,
            gettext(
                "The administration opens once your account has a second factor: set up an "
                "authenticator app below."
            ),
        )
        return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{back}")
