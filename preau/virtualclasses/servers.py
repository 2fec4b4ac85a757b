"""Which BigBlueButton server a session's rooms use: its académie's (admin), else a server
for every académie (admin, académie left empty), else the one of the environment
(PREAU_BBB_URL, PREAU_BBB_SECRET, PREAU_BBB_SHA1). None: no server, the virtual class is
« non configurée » and trainers may give a link to another service."""

from django.conf import settings

from .client import BBBClient
from .models import Server


def client_for(session) -> BBBClient | None:
    academie_id = session.departement.academie_id if session.departement_id else None
    servers = list(
        Server.objects.filter(academie_id=academie_id) if academie_id else Server.objects.none()
    ) or list(Server.objects.filter(academie__isnull=True).order_by("pk")[:1])
    if servers:
        server = servers[0]
        return BBBClient(
            server.url, server.secret, sha1=server.sha1, timeout=settings.PREAU_BBB_TIMEOUT_SECONDS
        )
    if settings.PREAU_BBB_URL and settings.PREAU_BBB_SECRET:
        return BBBClient(
            settings.PREAU_BBB_URL,
            settings.PREAU_BBB_SECRET,
            sha1=settings.PREAU_BBB_SHA1,
            timeout=settings.PREAU_BBB_TIMEOUT_SECONDS,
        )
    return None
