"""Background work of the HR interchange (Django's tasks API): the preview and the apply of
an import can take a minute on a large académie; the page that started them shows progress."""

from django_tasks import task

from .models import HrImport


@task()
def preview_import(import_id: int) -> str:
    from .services import build_preview

    return build_preview(HrImport.objects.get(pk=import_id)).status


@task()
def apply_import(import_id: int) -> str:
    from .services import apply_import as apply

    return apply(HrImport.objects.get(pk=import_id)).status
