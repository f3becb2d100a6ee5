from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import empty


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


class PrivatePagesMiddleware:
    """Every answer to a signed-in person is theirs alone: no shared cache (a proxy, a
    CDN) may keep it, and the browser keeps no copy on disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class AccountLanguageMiddleware:
    """A signed-in person's pages are in the language kept on their account, whatever the
    browser asks for (LocaleMiddleware, before this, answered from the cookie or the
    browser). The language cookie is set to it too, so the pages stay in that language
    after signing out.

    Only a request carrying a session looks at the person: a visitor without one costs
    no query and gets no ``Vary: Cookie`` from here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                # The person is read now; the rest of the request reads them directly,
                # not through the lazy wrapper, whose every attribute look-up runs in
                # Python (a hundred of them on a page, about 2 % of its time).
                request.user = user = getattr(user, "_wrapped", user)
                if user.language:
                    language = user.language
                    translation.activate(language)
                    request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # The account may have changed during the request (the switcher, a sign-in); a
        # person nobody looked at is not loaded now.
        user = getattr(getattr(request, "user", None), "_wrapped", getattr(request, "user", None))
        if user is not None and user is not empty and user.is_authenticated and user.language:
            language = user.language
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            cookie_set = settings.LANGUAGE_COOKIE_NAME in response.cookies
            if not cookie_set:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
        return response
