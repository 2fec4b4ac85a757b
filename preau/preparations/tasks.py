"""Background tasks of the collective preparations (Django's tasks API, database backend)."""

from django_tasks import task

from . import services


@task()
def compact_document(document_pk: int) -> int:
    """Compacts one document if it is due (services.compact_if_due): enqueued by the live
    editing's process (consumers.py), run by a worker, so that merging thousands of updates
    never holds the sockets' database thread. Returns how many rows were merged."""
    return services.compact_if_due(document_pk=document_pk)
