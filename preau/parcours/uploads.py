"""Checks on uploaded files: type from an allow-list in settings, and a size limit."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_upload(uploaded, *, allowed: dict[str, str] | None = None) -> None:
    """`allowed` maps extensions to a label; defaults to PREAU_UPLOAD_ALLOWED_EXTENSIONS."""
    allowed = allowed or settings.PREAU_UPLOAD_ALLOWED_EXTENSIONS
    extension = Path(uploaded.name).suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Type de fichier non accepté (.%(ext)s). Types acceptés : %(list)s.")
            % {"ext": extension or "?", "list": ", ".join(sorted(allowed))},
            code="file_type",
        )
    limit = settings.PREAU_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("Fichier trop volumineux (%(size)s) : la limite est de %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_size",
        )


SUBTITLE_EXTENSIONS = {"vtt": "WebVTT", "srt": "SubRip"}
IMAGE_EXTENSIONS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WebP"}


# Model field validators: every form that writes these fields (the application's, the admin's)
# checks a new upload the same way. A file already stored is not checked again, so that a
# lowered limit does not block editing the rest of an old activity.


def _check_new(value, allowed: dict[str, str] | None = None) -> None:
    if value and not getattr(value, "_committed", True):
        validate_upload(value, allowed=allowed)


def validate_new_file(value) -> None:
    _check_new(value)


def validate_new_image(value) -> None:
    _check_new(value, IMAGE_EXTENSIONS)


def validate_new_subtitles(value) -> None:
    _check_new(value, SUBTITLE_EXTENSIONS)
