"""Files of a parcours are served only to people who may see the parcours, never from a
public URL: the view checks access, then streams from the storage backend."""

from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest

from ..access import get_parcours_for_user_or_404, parcours_visible_to, sees_trainer_notes
from ..models import Activity

FILE_FIELDS = {"file", "subtitles"}


def _session_contents_readable_by(user):
    """The session copies whose files a person may read: the training app decides, by the
    session's rules (its staff and piloting roles, its enrolled participants)."""
    from preau.training.access import session_contents_readable_by

    return session_contents_readable_by(user)


def activity_file(request: HttpRequest, pk: int, field: str) -> FileResponse:
    if field not in FILE_FIELDS:
        raise Http404
    activity = (
        Activity.objects.select_related("section")
        .filter(
            Q(section__parcours__in=parcours_visible_to(request.user))
            | Q(section__parcours__in=_session_contents_readable_by(request.user))
        )
        .filter(pk=pk)
        .first()
    )
    if activity is None or not getattr(activity, field):
        raise Http404
    if activity.kind_spec.trainers_only and not sees_trainer_notes(request.user):
        raise Http404
    stored = getattr(activity, field)
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1]
    )


def parcours_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """The thumbnail, shown inline to whoever may see the parcours."""
    parcours = get_parcours_for_user_or_404(request.user, pk)
    if not parcours.thumbnail:
        raise Http404
    response = FileResponse(parcours.thumbnail.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
