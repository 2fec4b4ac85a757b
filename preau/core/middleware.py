from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, but a public view (@login_not_required) is let through before the user is
    loaded: /healthz then costs no query even when the request carries a session cookie."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


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
