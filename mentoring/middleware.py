from django.conf import settings
from django.utils.cache import patch_cache_control


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
