"""Security headers every page carries."""

from django.conf import settings

# Scripts and styles come only from our own static files: no inline <script>, no event-handler attributes,
# no javascript: links. Inline style attributes stay allowed (progress bar widths, chart sizes).
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # A view may set a stricter policy of its own (attachments are served sandboxed).
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
