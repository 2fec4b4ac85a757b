"""Writes on parcours: creation, indexation, content, review, publication, versions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts.models import Role
from preau.accounts.selectors import has_role
from preau.core.numbers import french_number
from preau.core.params import parse_int

from . import notifications
from .models import (
    Activity,
    Event,
    Lineage,
    OpenAccessMembership,
    Origin,
    Parcours,
    Section,
    Status,
    TargetAudience,
)

INDEXATION_FIELDS = [
    "title",
    "short_title",
    "objectives",
    "description",
    "collection",
    "domain",
    "keywords",
    "duration_hours",
    "presence_hours",
    "distance_hours",
    "rhythm",
    "accompaniment",
    "origin",
    "academie",
    "departement",
    "authors",
    "contact",
    "version_notes",
    "thumbnail",
    "thumbnail_alt",
    "open_access",
    "enrolment_key",
]
CONTENT_COPY_FIELDS = [f for f in INDEXATION_FIELDS if f not in {"thumbnail"}]


def _log(parcours, by, action, *, from_status="", comment="") -> Event:
    return Event.objects.create(
        parcours=parcours,
        actor=by,
        action=action,
        from_status=from_status,
        to_status=parcours.status,
        comment=comment,
    )


def check_editable(parcours: Parcours) -> None:
    """Raises when the parcours is frozen: in review (until it is sent back), published or
    archived (changes then go into a new version). A session's copy is frozen once its
    session is closed or archived: nothing of a closed session changes any more."""
    if parcours.status == Status.SESSION_COPY:
        # The reverse one-to-one: None for a copy whose session is not created yet.
        session = getattr(parcours, "training_session", None)
        if session is not None and session.is_read_only:
            raise ValidationError(
                _("Cette session est %(status)s : son contenu ne peut plus être adapté.")
                % {"status": session.get_status_display().lower()}
            )
        return
    if parcours.is_editable:
        return
    if parcours.status == Status.REVIEW:
        raise ValidationError(
            _(
                "Ce parcours est en relecture : il ne peut pas être modifié tant que les "
                "relecteurs ne l’ont pas renvoyé en construction."
            )
        )
    raise ValidationError(
        _(
            "Ce parcours est %(status)s : son contenu est figé. "
            "Créez une nouvelle version pour le modifier."
        )
        % {"status": parcours.get_status_display().lower()}
    )


# Creation -------------------------------------------------------------------------------


@transaction.atomic
def create_parcours(*, by, title: str, academie=None, template: Parcours | None = None) -> Parcours:
    if not title.strip():
        raise ValidationError(_("Donnez un titre au parcours."))
    if template is not None and template.status != Status.TEMPLATE:
        raise ValidationError(_("Ce parcours n’est pas un gabarit."))
    parcours = Parcours(lineage=Lineage.objects.create(), created_by=by)
    comment = ""
    if template is not None:
        _copy_indexation(template, parcours)
        parcours.derived_from = template
        comment = _("Depuis le gabarit « %(title)s »") % {"title": template.title}
    # The new parcours belongs to its designer's académie, not to the template's.
    parcours.title, parcours.academie = title.strip()[:200], academie
    if template is not None and template.academie_id != getattr(academie, "pk", None):
        parcours.departement = None
    parcours.status = Status.CONSTRUCTION
    parcours.save()
    parcours.designers.add(by)
    if template is not None:
        _copy_audiences(template, parcours)
        _copy_content(template, parcours)
    _log(parcours, by, Event.Action.CREATED, comment=comment)
    return parcours


@transaction.atomic
def duplicate_parcours(*, parcours: Parcours, by, academie=None) -> Parcours:
    """A new draft with the same content, in a new line of descent, without any user data.

    The copy belongs to the académie of the person who duplicates (`academie`, None when they
    work nationally): it is reviewed and published there, not in the source's académie.
    """
    copy = Parcours(lineage=Lineage.objects.create(), created_by=by, derived_from=parcours)
    _copy_indexation(parcours, copy)
    copy.title = (_("Copie de %(title)s") % {"title": parcours.title})[:200]
    if getattr(academie, "pk", None) != parcours.academie_id:
        copy.academie, copy.departement = academie, None
    copy.save()
    copy.designers.add(by)
    _copy_audiences(parcours, copy)
    _copy_content(parcours, copy)
    _log(
        copy,
        by,
        Event.Action.DUPLICATED,
        comment=_("Copie de %(m)s") % {"m": parcours.matricule or parcours.title},
    )
    return copy


@transaction.atomic
def create_new_version(*, parcours: Parcours, by) -> Parcours:
    """The next version of a published parcours, in the same line of descent."""
    if parcours.status != Status.PUBLISHED:
        raise ValidationError(_("Seul un parcours publié peut recevoir une nouvelle version."))
    pending = Parcours.objects.filter(
        lineage=parcours.lineage, status__in=[Status.CONSTRUCTION, Status.REVIEW]
    ).first()
    if pending:
        raise ValidationError(
            _("Une version %(version)s est déjà en préparation pour ce parcours.")
            % {"version": pending.version}
        )
    draft = Parcours(lineage=parcours.lineage, derived_from=parcours, created_by=by)
    _copy_indexation(parcours, draft)
    draft.version = next_version(parcours.version)
    draft.version_notes = ""
    draft.national_label = False
    draft.save()
    draft.designers.set(parcours.designers.all())
    draft.designers.add(by)
    _copy_audiences(parcours, draft)
    _copy_content(parcours, draft)
    _log(
        draft,
        by,
        Event.Action.NEW_VERSION,
        comment=_("Depuis la version %(v)s") % {"v": parcours.version},
    )
    return draft


def copy_for_session(*, parcours: Parcours, by) -> Parcours:
    """The private copy a training session works on: indexation and content, no user data, no
    history. It never shows in a catalogue (Status.SESSION_COPY)."""
    if parcours.status != Status.PUBLISHED:
        raise ValidationError(_("Une session se crée à partir d’un parcours publié."))
    copy = Parcours(lineage=parcours.lineage, derived_from=parcours, created_by=by)
    _copy_indexation(parcours, copy)
    copy.version, copy.status, copy.open_access = parcours.version, Status.SESSION_COPY, False
    copy.enrolment_key = ""
    copy.save()
    _copy_audiences(parcours, copy)
    _copy_content(parcours, copy)
    return copy


def next_version(version: str) -> str:
    """« 2.1 » → « 3.0 »; a version not led by a number (typed in the admin) → « <it>.1 »."""
    try:
        return f"{parse_int(version.split('.')[0], hi=9999) + 1}.0"
    except ValueError:
        return f"{version}.1"


def _copy_indexation(source: Parcours, target: Parcours) -> None:
    for field in CONTENT_COPY_FIELDS:
        setattr(target, field, getattr(source, field))
    if source.thumbnail:
        # Open and close explicitly: reading the field file without open() leaves it at its
        # end, and a second copy in the same request would get an empty file.
        with source.thumbnail.open("rb") as handle:
            target.thumbnail.save(
                source.thumbnail.name.rsplit("/", 1)[-1], ContentFile(handle.read()), save=False
            )


def _copy_audiences(source: Parcours, target: Parcours) -> None:
    TargetAudience.objects.bulk_create(
        TargetAudience(parcours=target, audience=row.audience)
        for row in source.target_audiences.all()
    )


def _copy_hook(kind: str):
    from .activities import _REGISTRY

    spec = _REGISTRY.get(kind)
    return spec.copy_hook if spec else None


def _copy_content(source: Parcours, target: Parcours) -> None:
    for section in source.sections.prefetch_related("activities"):
        new_section = Section.objects.create(
            parcours=target, title=section.title, position=section.position
        )
        for activity in section.activities.all():
            copy = Activity(
                section=new_section,
                kind=activity.kind,
                title=activity.title,
                position=activity.position,
                body=activity.body,
                url=activity.url,
            )
            for field in ("file", "subtitles"):
                stored = getattr(activity, field)
                if stored:
                    with stored.open("rb") as handle:
                        getattr(copy, field).save(
                            stored.name.rsplit("/", 1)[-1], ContentFile(handle.read()), save=False
                        )
            copy.save()
            hook = _copy_hook(activity.kind)
            if hook is not None:
                hook(activity, copy)


# Indexation -----------------------------------------------------------------------------


@transaction.atomic
def update_indexation(*, parcours: Parcours, by, data: dict, audiences: list[str]) -> Parcours:
    """Saves a draft's indexation; completeness is checked at submission, not here."""
    check_editable(parcours)
    replaced = parcours.thumbnail.name if "thumbnail" in data else ""
    for field, value in data.items():
        if field not in INDEXATION_FIELDS:
            raise ValueError(f"{field} is not an indexation field")
        setattr(parcours, field, value)
    parcours.save()
    if replaced and replaced != parcours.thumbnail.name:
        _delete_files_on_commit(parcours.thumbnail.storage, [replaced])
    parcours.target_audiences.exclude(audience__in=audiences).delete()
    existing = set(parcours.target_audiences.values_list("audience", flat=True))
    TargetAudience.objects.bulk_create(
        TargetAudience(parcours=parcours, audience=code)
        for code in audiences
        if code not in existing
    )
    return parcours


def missing_for_review(parcours: Parcours) -> list[str]:
    """What must still be filled in before the parcours can go to review, in French."""
    missing = []
    required = {
        "title": _("le titre"),
        "short_title": _("le titre court"),
        "objectives": _("les objectifs"),
        "description": _("la description"),
        "collection": _("la collection"),
        "domain": _("le domaine"),
        "keywords": _("les mots-clés"),
        "rhythm": _("le rythme"),
        "accompaniment": _("l’accompagnement"),
        "origin": _("l’origine"),
        "authors": _("les auteurs"),
        "contact": _("le contact"),
    }
    for field, label in required.items():
        if not getattr(parcours, field):
            missing.append(_("Renseignez %(label)s.") % {"label": label})
    if not parcours.target_audiences.exists():
        missing.append(_("Choisissez au moins un public visé."))
    missing.extend(duration_problems(parcours))
    if parcours.thumbnail and not parcours.thumbnail_alt.strip():
        missing.append(_("Décrivez la vignette par un texte alternatif."))
    if not Activity.objects.filter(section__parcours=parcours).exists():
        missing.append(_("Ajoutez au moins une section contenant une activité."))
    return missing


def duration_problems(parcours: Parcours) -> list[str]:
    d, p, r = parcours.duration_hours, parcours.presence_hours, parcours.distance_hours
    if d is None:
        return [_("Indiquez la durée annoncée (3, 6 ou 9 h).")]
    if p is None or r is None:
        return [_("Répartissez la durée entre heures en présence et heures à distance.")]
    problems = []
    if p + r != d:
        problems.append(
            _(
                "Présence (%(p)s h) + distance (%(r)s h) doit être égal "
                "à la durée annoncée (%(d)s h)."
            )
            % {"p": french_number(p), "r": french_number(r), "d": french_number(d)}
        )
    if not parcours.has_standard_duration and parcours.origin == Origin.NATIONAL:
        problems.append(_("Un parcours national dure 3, 6 ou 9 h."))
    return problems


def duration_warnings(parcours: Parcours) -> list[str]:
    if parcours.duration_hours is not None and not parcours.has_standard_duration:
        return [
            _(
                "Durée inhabituelle (%(d)s h) : les parcours durent d’ordinaire 3, 6 ou 9 h. "
                "C’est possible pour un parcours local."
            )
            % {"d": french_number(parcours.duration_hours)}
        ]
    return []


def _delete_files_on_commit(storage, names: list[str]) -> None:
    """Removes stored files once the rows that named them are gone for good. Copies (duplicates,
    versions) have files of their own, so nothing else points to these."""

    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _activity_files(activities) -> list[str]:
    return [
        stored.name
        for activity in activities
        for stored in (activity.file, activity.subtitles)
        if stored
    ]


# Content --------------------------------------------------------------------------------


@transaction.atomic
def add_section(*, parcours: Parcours, title: str) -> Section:
    check_editable(parcours)
    if not title.strip():
        raise ValidationError(_("Donnez un titre à la section."))
    last = parcours.sections.aggregate(m=Max("position"))["m"]
    return Section.objects.create(parcours=parcours, title=title.strip(), position=(last or 0) + 1)


@transaction.atomic
def rename_section(*, section: Section, title: str) -> Section:
    check_editable(section.parcours)
    if not title.strip():
        raise ValidationError(_("Donnez un titre à la section."))
    section.title = title.strip()
    section.save(update_fields=["title"])
    return section


@transaction.atomic
def delete_section(*, section: Section) -> None:
    check_editable(section.parcours)
    files = _activity_files(section.activities.all())
    section.delete()
    _delete_files_on_commit(Activity.file.field.storage, files)


@transaction.atomic
def save_activity(*, form, section: Section | None = None, kind: str | None = None) -> Activity:
    """Saves a kind's form, for a new activity (section and kind given) or an existing one."""
    activity = form.instance
    parcours = section.parcours if section else activity.section.parcours
    check_editable(parcours)
    if activity.pk is None:
        last = section.activities.aggregate(m=Max("position"))["m"]
        activity.section, activity.kind, activity.position = section, kind, (last or 0) + 1
        return form.save()
    # The form has already put the new upload on the instance: the stored names come from
    # the database, so that a replaced or cleared file does not stay behind in the storage.
    before = Activity.objects.filter(pk=activity.pk).values_list("file", "subtitles").get()
    saved = form.save()
    after = (saved.file.name, saved.subtitles.name)
    gone = [name for name, now in zip(before, after, strict=True) if name and name != now]
    _delete_files_on_commit(Activity.file.field.storage, gone)
    return saved


@transaction.atomic
def delete_activity(*, activity: Activity) -> None:
    check_editable(activity.section.parcours)
    files = _activity_files([activity])
    activity.delete()
    _delete_files_on_commit(Activity.file.field.storage, files)


@transaction.atomic
def move(*, item: Section | Activity, direction: int) -> None:
    """Swaps a section (or an activity) with its neighbour: direction -1 up, +1 down."""
    if isinstance(item, Section):
        parcours, siblings = item.parcours, item.parcours.sections.all()
    else:
        parcours, siblings = item.section.parcours, item.section.activities.all()
    check_editable(parcours)
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + direction
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


# Review and publication ------------------------------------------------------------------


@transaction.atomic
def submit_for_review(*, parcours: Parcours, by) -> Parcours:
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    if parcours.status != Status.CONSTRUCTION:
        raise ValidationError(
            _("Seul un parcours en construction peut être soumis à la relecture.")
        )
    missing = missing_for_review(parcours)
    if missing:
        raise ValidationError(missing)
    parcours.status = Status.REVIEW
    parcours.save(update_fields=["status", "updated_at"])
    _log(parcours, by, Event.Action.SUBMITTED, from_status=Status.CONSTRUCTION)
    # « Les relecteurs sont prévenus »: each reviewer who may review it gets a notification
    # (and its e-mail, after the commit).
    notifications.review_requested(parcours)
    return parcours


def _require_reviewer(by, *roles: str, parcours: Parcours) -> None:
    if not has_role(by, *(roles or (Role.REVIEWER, Role.UNIVERSITY_REVIEWER))):
        raise PermissionDenied
    # A review is a second pair of eyes: nobody reviews a parcours they designed.
    if parcours.designers.filter(pk=by.pk).exists():
        raise ValidationError(
            _("Vous êtes concepteur de ce parcours : un autre relecteur doit l’examiner.")
        )


@transaction.atomic
def request_changes(*, parcours: Parcours, by, comment: str) -> Parcours:
    """Sends a parcours back to construction. The inspection decides; a university reviewer
    gives (or not) an approval, with comments, but does not send back."""
    _require_reviewer(by, Role.REVIEWER, parcours=parcours)
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    if parcours.status != Status.REVIEW:
        raise ValidationError(_("Ce parcours n’est pas en relecture."))
    if not comment.strip():
        raise ValidationError(_("Expliquez aux concepteurs ce qu’il faut reprendre."))
    parcours.status = Status.CONSTRUCTION
    parcours.save(update_fields=["status", "updated_at"])
    _log(
        parcours,
        by,
        Event.Action.CHANGES_REQUESTED,
        from_status=Status.REVIEW,
        comment=comment.strip(),
    )
    notifications.changes_requested(
        parcours,
        reviewer_name=by.get_full_name(),
        comment=comment.strip(),
    )
    return parcours


@transaction.atomic
def approve(*, parcours: Parcours, by, comment: str = "") -> Parcours:
    """An inspection reviewer's approval publishes; a university reviewer's is recorded."""
    _require_reviewer(by, parcours=parcours)
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    if has_role(by, Role.REVIEWER):
        if parcours.status != Status.REVIEW:
            raise ValidationError(_("Ce parcours n’est pas en relecture."))
        _add_validator(parcours, by, _("inspection"))
        _log(parcours, by, Event.Action.APPROVED, from_status=Status.REVIEW, comment=comment)
        parcours = _publish(parcours, by)
        _notify_approval(parcours, by, comment, university=False)
        return parcours
    if parcours.status not in {Status.REVIEW, Status.PUBLISHED}:
        raise ValidationError(_("Ce parcours n’est ni en relecture ni publié."))
    parcours.university_approved = True
    _add_validator(parcours, by, _("université"))
    parcours.save(update_fields=["university_approved", "validated_by", "updated_at"])
    _log(
        parcours, by, Event.Action.UNIVERSITY_APPROVED, from_status=parcours.status, comment=comment
    )
    _notify_approval(parcours, by, comment, university=True)
    return parcours


def _notify_approval(parcours: Parcours, by, comment: str, *, university: bool) -> None:
    notifications.approved(
        parcours,
        reviewer_name=by.get_full_name(),
        comment=comment.strip(),
        university=university,
    )


def _add_validator(parcours: Parcours, by, body: str) -> None:
    entry = f"{by.get_full_name()} ({body})"
    names = [n for n in parcours.validated_by.split("; ") if n]
    if entry not in names:
        names.append(entry)
    parcours.validated_by = "; ".join(names)[:300]


def build_matricule(parcours: Parcours, year: int) -> str:
    """YY_ORIGIN_SHORTTITLE_VERSION, e.g. 26_A070_ALGOCODAGE_1.0."""
    origin = {
        Origin.NATIONAL: "NAT",
        Origin.ACADEMIE: parcours.academie.code if parcours.academie_id else "ACA",
        Origin.DEPARTEMENT: f"D{parcours.departement.code}" if parcours.departement_id else "DEP",
        Origin.ESPE: "ESPE",
        Origin.SHARED: "MUT",
    }.get(parcours.origin, "X")
    return f"{year % 100:02d}_{origin}_{parcours.short_title}_{parcours.version}"


def _publish(parcours: Parcours, by) -> Parcours:
    now = timezone.now()
    parcours.matricule = build_matricule(parcours, timezone.localdate(now).year)
    parcours.status, parcours.published_at = Status.PUBLISHED, now
    try:
        with transaction.atomic():
            parcours.save()
    except IntegrityError:
        raise ValidationError(
            _("Le matricule %(m)s existe déjà : changez le titre court avant de publier.")
            % {"m": parcours.matricule}
        ) from None
    _log(parcours, by, Event.Action.PUBLISHED, from_status=Status.REVIEW)
    # The previous version stays readable (sessions keep it) but leaves the catalogue.
    for previous in Parcours.objects.filter(
        lineage=parcours.lineage, status=Status.PUBLISHED
    ).exclude(pk=parcours.pk):
        if previous.national_label and not parcours.national_label:
            parcours.national_label = True
            parcours.save(update_fields=["national_label"])
            _log(
                parcours,
                by,
                Event.Action.LABELLED,
                from_status=Status.PUBLISHED,
                comment=_("Label repris de la version %(v)s") % {"v": previous.version},
            )
        _archive(previous, by, comment=_("Remplacé par la version %(v)s") % {"v": parcours.version})
    return parcours


def _archive(parcours: Parcours, by, comment: str = "") -> Parcours:
    previous_status = parcours.status
    parcours.status = Status.ARCHIVED
    parcours.save(update_fields=["status", "updated_at"])
    _log(parcours, by, Event.Action.ARCHIVED, from_status=previous_status, comment=comment)
    return parcours


@transaction.atomic
def archive(*, parcours: Parcours, by) -> Parcours:
    if parcours.status != Status.PUBLISHED:
        raise ValidationError(_("Seul un parcours publié peut être archivé."))
    return _archive(parcours, by)


@transaction.atomic
def set_national_label(*, parcours: Parcours, by, granted: bool, comment: str = "") -> Parcours:
    if not has_role(by, Role.EDITORIAL_COMMITTEE):
        raise PermissionDenied
    if parcours.status != Status.PUBLISHED:
        raise ValidationError(_("Seul un parcours publié peut être labellisé."))
    if parcours.national_label == granted:
        return parcours
    parcours.national_label = granted
    parcours.save(update_fields=["national_label", "updated_at"])
    action = Event.Action.LABELLED if granted else Event.Action.UNLABELLED
    _log(parcours, by, action, from_status=parcours.status, comment=comment)
    return parcours


# Open-access modules ---------------------------------------------------------------------


@transaction.atomic
def join_open_access(*, parcours: Parcours, user, key: str = "") -> OpenAccessMembership:
    if not (parcours.open_access and parcours.status == Status.PUBLISHED):
        raise ValidationError(_("Ce module n’est pas ouvert en libre accès."))
    if parcours.enrolment_key and key.strip() != parcours.enrolment_key:
        raise ValidationError(
            _(
                "Clé d’inscription incorrecte. "
                "Demandez-la à la personne qui vous a conseillé ce module."
            )
        )
    membership, _created = OpenAccessMembership.objects.get_or_create(parcours=parcours, user=user)
    return membership


@transaction.atomic
def leave_open_access(*, parcours: Parcours, user) -> None:
    OpenAccessMembership.objects.filter(parcours=parcours, user=user).delete()


@transaction.atomic
def mark_open_access_done(*, parcours: Parcours, user, done: bool) -> OpenAccessMembership:
    """A member marks an open-access module « terminé » for themself, or undoes it. A fact kept
    for them alone, without a date: it credits no hours (an open-access module is not part of
    the 18 h, domain.md §3), and nobody else sees it: not trainers, IEN or pilots, not an
    export, not the admin."""
    if not (parcours.open_access and parcours.status == Status.PUBLISHED):
        raise ValidationError(_("Ce module n’est pas ouvert en libre accès."), code="not_open")
    membership = (
        OpenAccessMembership.objects.select_for_update()
        .filter(parcours=parcours, user=user)
        .first()
    )
    if membership is None:
        raise ValidationError(
            _("Rejoignez d’abord ce module pour le marquer comme terminé."), code="not_member"
        )
    if membership.done != done:
        membership.done = done
        membership.save(update_fields=["done"])
    return membership
