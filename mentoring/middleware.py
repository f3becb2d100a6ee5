from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from . import page_cache

# How long a signed-in person's row is kept in the cache while their table is unchanged.
PERSON_TIMEOUT = 10 * 60


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy: scripts and styles only from the site itself, so
    an injected inline script never runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


def signed_in_person(request):
    """``auth.get_user``, with the person's row from the shared cache while no row of
    the people's table has been written since it was read (one cache read instead of a
    query on every signed-in request).

    The session is checked as ``auth.get_user`` checks it (same backend, same password
    hash); anything else (a changed secret key, a session to verify against a fallback
    key) goes to ``auth.get_user`` itself."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if (
        user_id is None
        or backend not in settings.AUTHENTICATION_BACKENDS
        or not page_cache.is_enabled()
    ):
        return auth.get_user(request)
    table = auth.get_user_model()._meta.db_table
    key = f"signed-in:{settings.DATABASES['default']['NAME']}:{backend}:{user_id}"
    person = page_cache.kept(key, [table])
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if (
        person is not None
        and person.is_active
        and session_hash
        and constant_time_compare(session_hash, person.get_session_auth_hash())
    ):
        return person
    tokens = page_cache.tokens_now([table])
    person = auth.get_user(request)
    if person.is_authenticated:
        page_cache.keep(key, tokens, person, timeout=PERSON_TIMEOUT)
    return person


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, with the person from :func:`signed_in_person`."""

    def process_request(self, request):
        super().process_request(request)

        def person():
            if not hasattr(request, "_cached_user"):
                request._cached_user = signed_in_person(request)
            return request._cached_user

        request.user = SimpleLazyObject(person)
