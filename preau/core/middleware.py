from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.utils.cache import add_never_cache_headers


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, but a public view (@login_not_required) is let through before the user is
    loaded: /healthz then costs no query even when the request carries a session cookie."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's, except on Django's debug pages (DEBUG only): their inline style and script
    would be blocked, and a developer would get an unreadable traceback."""

    def process_response(self, request, response):
        if settings.DEBUG and response.status_code in (404, 500) and _is_technical(response):
            return response
        return super().process_response(request, response)


def _is_technical(response) -> bool:
    # Django's technical 404 and 500 pages; the site's own 404.html and 500.html get the policy.
    return b'<meta name="robots" content="NONE,NOARCHIVE">' in getattr(response, "content", b"")


class PermissionsPolicyMiddleware:
    """Sends Permissions-Policy from settings.PREAU_PERMISSIONS_POLICY ({feature: [origins]}:
    [] turns the feature off, ["self"] keeps it for the site itself, ["self",
    "https://visio.example"] adds another origin)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(_allowlist_entry(origin) for origin in origins)})"
            for feature, origins in settings.PREAU_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _allowlist_entry(origin: str) -> str:
    # Keywords stand bare; an origin is a quoted string (RFC 8941 structured field).
    return origin if origin in {"self", "src", "*"} else f'"{origin}"'


# Files that carry personal data whoever asks for them (a calendar feed is fetched by token,
# without a session cookie).
PERSONAL_FILE_TYPES = (
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/pdf",
    "text/calendar",
)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in person and on every export:
    neither a shared proxy nor the browser's disk keeps a page with personal data (the back
    button on a shared computer after sign-out shows nothing).

    "Signed in" is read from the session cookie, not from the user: that costs no query on
    public pages (/healthz), and a page sent to a visitor with a stale cookie loses nothing
    by not being cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if settings.SESSION_COOKIE_NAME in request.COOKIES or content_type in PERSONAL_FILE_TYPES:
            add_never_cache_headers(response)
        return response
