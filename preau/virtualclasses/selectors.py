from django.db.models import Prefetch, QuerySet

from .models import Recording, Room


def session_rooms(session) -> QuerySet[Room]:
    """The rooms of a session with their meeting or activity and their recordings."""
    return (
        Room.objects.filter(session=session)
        .select_related("meeting", "activity")
        .prefetch_related(Prefetch("recordings", queryset=Recording.objects.order_by("pk")))
        .order_by("meeting__date", "meeting__start_time", "date", "start_time", "pk")
    )
