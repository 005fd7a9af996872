"""What the served application (WSGI, ASGI, the worker) checks before it takes its first request."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_production_settings() -> None:
    """Refuse to serve with the built-in secret key: sessions and password-reset links would be forgeable."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.FALLBACK_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string, kept secret), "
            "or set DEBUG=true for a local copy."
        )
