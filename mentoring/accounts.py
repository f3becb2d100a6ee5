"""django-allauth, made to send its emails through the program's email machinery."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from . import mail
from .models import User

# Said beside the sign-in form once an account or an address reaches its limit of
# failed attempts (ACCOUNT_RATE_LIMITS["login_failed"]: the longest lock is five minutes).
TOO_MANY_FAILED_SIGN_INS = (
    "Too many failed sign-in attempts. For your safety, signing in is paused: try again "
    "in five minutes, or reset your password if you have forgotten it."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": TOO_MANY_FAILED_SIGN_INS,
    }

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """The verification link carries where the person was going when they signed up
        (“Apply as a mentee” → sign up): the confirmation page passes ``next`` on, so
        they land there even when they open the link in another browser (allauth's own
        resumed sign-in covers the same browser)."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        going = _next_of(request)
        return f"{url}?{urlencode({'next': going})}" if going else url

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Record the account email (verification, password reset...) and send it from a
        Celery task after commit, like every other email of the site."""
        from allauth.core import context as allauth_context

        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": self._site_name(),
            "site_url": settings.SITE_URL,
            **context,
        }
        person = User.objects.filter(email__iexact=email).first()
        # In the person's language; to an address without an account, the page's.
        with translation.override(mail.person_language(person)):
            message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
        name = template_prefix.rsplit("/", 1)[-1]
        # Each account email is its own message (a second reset request is a new email);
        # allauth's own rate limits keep people from flooding an inbox.
        mail.email_queue(
            kind=f"account.{name}",
            message_key=f"account.{name}:{uuid.uuid4()}",
            to=person or email,
            rendered=mail.RenderedEmail(subject=message.subject, text=message.body, html=html),
        )

    @staticmethod
    def _site_name():
        from django.contrib.sites.models import Site

        return Site.objects.get_current()


def _next_of(request) -> str:
    """The safe ``next`` of a sign-up request (its form or its address), else ""."""
    if request is None:
        return ""
    going = request.POST.get("next") or request.GET.get("next") or ""
    if going and url_has_allowed_host_and_scheme(
        going, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return going
    return ""
