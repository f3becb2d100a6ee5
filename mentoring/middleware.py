from django.conf import settings


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
