"""Who is asking: the client's IP address, the same for every limiter (sign-in, reset)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the browser.

    Behind a reverse proxy (``PREAU_TRUSTED_PROXY``), REMOTE_ADDR is the proxy's: the client is
    the right-most entry of X-Forwarded-For, the one our proxy appended. The entries to its left
    come from the client and can say anything, so they are never read. Without a trusted proxy
    the header is ignored altogether: anyone could send one to escape the limits.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if settings.PREAU_TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
        candidate = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return remote
