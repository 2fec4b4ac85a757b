"""The promises of docs/privacy.md, each as a test that fails when it is broken.

1. No model, field or log keeps a time finer than the day of the last sign-in, a click, a
   page or a resource opened: every date-time field of every model is reviewed below (a new
   one fails until it is), the sign-in keeps the day only, and opening pages logs nothing.
2. The IEN sees enrolments, attendance, completions and hours: their pages hold nothing else.
3. Participants' names are hidden from the other participants unless the trainer shows them.
4. The landing and privacy pages promise only what the code does (each sentence of the landing
   page names the tests that keep it), and the server as the project starts it keeps no access
   log.

The sign-in day (User.last_login_day, a date: no time of day at all) is tested in
tests/accounts/test_sign_in_day.py.
"""

import logging
import re
from collections.abc import Iterable
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.paginator import Page
from django.db import models
from django.db.models.query import QuerySet
from django.urls import reverse

from preau.parcours.models import OpenAccessMembership
from tests import factories

from .test_access_matrix import ACCESS, ARGS, _close
from .world import build_world

# Every field that holds a time of day, with why it is no trace of reading or clicking. A new
# DateTimeField or TimeField fails test_every_time_field_is_reviewed until it is added here,
# with its reason, after checking that it does not record what a person read or opened.
REVIEWED_TIME_FIELDS = {
    "forums.Post.created": "when a post was written, shown with it (the author's own public act, "
    "and the start of their 30 minutes to edit it); no read or edit time is kept",
    "admin.LogEntry.action_time": "technical staff's changes in the Django admin",
    "sessions.Session.expire_date": "when the sign-in cookie expires; deleted by clearsessions",
    "django_tasks_database.DBTaskResult.enqueued_at": "background task queue (imports, reports)",
    "django_tasks_database.DBTaskResult.started_at": "background task queue",
    "django_tasks_database.DBTaskResult.finished_at": "background task queue",
    "django_tasks_database.DBTaskResult.run_after": "background task queue",
    "accounts.User.date_joined": "when the account was created",
    "accounts.RoleAssignment.created_at": "when an administrator gave a role",
    "parcours.Lineage.created_at": "a designer's write: a parcours created",
    "parcours.Parcours.created_at": "a designer's write: a parcours created",
    "parcours.Parcours.updated_at": "a designer's write: a parcours edited",
    "parcours.Parcours.published_at": "a reviewer's decision: published",
    "parcours.Event.created_at": "the review history of a parcours (submitted, approved…)",
    "parcours.OpenAccessMembership.joined_at": "the teacher's own choice to join a module",
    "training.TrainingSession.created_at": "an organiser's write: a session created",
    "training.TrainingSession.opened_at": "an organiser's decision: session opened",
    "training.TrainingSession.closed_at": "an organiser's decision: session closed",
    "training.Meeting.start_time": "the schedule of a meeting, announced to participants",
    "training.Meeting.end_time": "the schedule of a meeting, announced to participants",
    "virtualclasses.Room.start_time": "the schedule of a virtual class activity, announced to "
    "participants (who joined keeps no time: RoomPresence)",
    "virtualclasses.Room.end_time": "the schedule of a virtual class activity, announced",
    "training.Enrolment.created_at": "an enrolment made (by the teacher, a trainer or GAIA)",
    "training.Enrolment.completed_at": "the trainer's attestation",
    "training.Attendance.recorded_at": "when the trainer recorded presence at a meeting",
    "training.CalendarFeed.created_at": "when the teacher renewed their calendar link",
    "training.SessionEvent.created_at": "the organisers' history of a session",
    "training.ReminderSent.sent_at": "a reminder e-mail sent to a trainer",
    "hours.Animation.created_at": "an IEN's write: an animation recorded",
    "hours.Entry.validated_at": "an IEN's decision on a declared union meeting",
    "hours.Entry.refused_at": "an IEN's refusal of a declared union meeting, with its reason",
    "hours.Entry.created_at": "a ledger line written (attestation, animation, declaration)",
    "hours.HoursReminderSent.sent_at": "a reminder e-mail sent to a teacher",
    "hours.HoursReport.created_at": "a yearly report requested",
    "hours.HoursReport.started_at": "a yearly report computed",
    "hours.HoursReport.finished_at": "a yearly report computed",
    "hr.HrImport.created_at": "an HR import uploaded by a manager",
    "hr.HrImport.previewed_at": "an HR import analysed",
    "hr.HrImport.applied_at": "an HR import applied",
    "hr.StagedSession.start_time": "the schedule GAIA announces",
    "hr.StagedSession.end_time": "the schedule GAIA announces",
    "hr.HrSession.start_time": "the schedule GAIA announces",
    "hr.HrSession.end_time": "the schedule GAIA announces",
    "hr.HrSession.gone_since": "when GAIA stopped listing a session",
    "hr.HrSession.first_seen_at": "when GAIA first listed a session",
    "hr.HrLink.created_at": "an organiser linked a session to GAIA",
    "hr.HrImport.removals_confirmed_at": "a manager confirmed the removals an import held",
    "hr.ImportLock.heartbeat_at": "a running HR import's heartbeat (crash recovery)",
    "notifications.Notification.created": "the time of the event notified (a post written, a "
    "decision taken), not of any reading: whether it was read is a boolean, never a time",
    # Sign-in limits (django-axes): failed attempts only, deleted after the cool-off;
    # successful sign-ins are not logged (AXES_DISABLE_ACCESS_LOG).
    "axes.AccessAttempt.attempt_time": "a failed sign-in, kept for the 15-minute cool-off",
    "axes.AccessAttemptExpiration.expires_at": "when a failed sign-in's cool-off ends",
    "axes.AccessFailureLog.attempt_time": "a failed sign-in, kept for the cool-off",
    "axes.AccessLog.attempt_time": "unused: AXES_DISABLE_ACCESS_LOG keeps no sign-in",
    "axes.AccessLog.logout_time": "unused: AXES_DISABLE_ACCESS_LOG keeps no sign-in",
    # Second factor (django-otp), for staff who enrol.
    "otp_static.StaticDevice.created_at": "when a staff member made recovery codes",
    "otp_static.StaticDevice.last_used_at": "cut to the day (accounts/two_factor.py)",
    "otp_static.StaticDevice.throttling_failure_timestamp": "a wrong code, to slow guessing",
    "otp_totp.TOTPDevice.created_at": "when a staff member enrolled an authenticator",
    "otp_totp.TOTPDevice.last_used_at": "cut to the day (accounts/two_factor.py)",
    "otp_totp.TOTPDevice.throttling_failure_timestamp": "a wrong code, to slow guessing",
}
# Words that name a trace of reading or clicking, in a model or field name ("last_seen_at",
# "PageView", "clicks"...), and the names reviewed that only look like one.
TRACKING_WORDS = {
    "view", "views", "viewed", "visit", "visits", "visited", "click", "clicks", "clicked",
    "seen", "read", "opened", "hit", "hits", "spent", "tracking", "analytics",
}  # fmt: skip
NOT_TRACKING = {
    "forums.ReadMark": "a person's own unread marker: the id of the last post they were shown "
    "in a thread, no time; shown to nobody else, counted in no figure (docs/forums.md)",
    "forums.ReadMark.last_read_post_id": "the same marker (a post id, not a time)",
    "hr.HrSession.first_seen_at": "when GAIA first listed an HR session",
    "training.TrainingSession.opened_at": "when an organiser opened the session",
    "notifications.Notification.is_read": "a boolean the recipient alone sees (the bell); no "
    "time of reading is stored, and it is never shown to anyone else nor counted",
}


def _words(name: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[a-z]+", name)}


def _time_fields() -> dict[str, models.Field]:
    return {
        f"{model._meta.label}.{field.name}": field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.DateTimeField | models.TimeField)
    }


def test_every_time_field_is_reviewed():
    found = _time_fields()
    new = sorted(set(found) - set(REVIEWED_TIME_FIELDS))
    assert not new, (
        "Fields holding a time of day that nobody has reviewed against docs/privacy.md: "
        f"{new}. If one records what a person read, opened or clicked, remove it; otherwise "
        "add it to REVIEWED_TIME_FIELDS with its reason."
    )
    gone = sorted(set(REVIEWED_TIME_FIELDS) - set(found))
    assert not gone, f"Reviewed fields that no longer exist (remove them): {gone}"


# Days kept by private content, reviewed like the times above: a day, never a time of day.
REVIEWED_PRIVATE_DATES = {
    "logbook.Entry.written_on": "the day an entry is about, chosen by its author (today by "
    "default) and shown to them; no time of writing, reading or sharing is kept",
}


def test_the_logbook_keeps_chosen_days_and_no_time_of_day():
    found = {
        f"{model._meta.label}.{field.name}": field
        for model in apps.get_app_config("logbook").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField | models.TimeField)
    }
    assert set(found) == set(REVIEWED_PRIVATE_DATES), sorted(found)
    for field in found.values():
        assert not isinstance(field, models.DateTimeField | models.TimeField)
        assert not field.auto_now and not field.auto_now_add


def test_no_model_or_field_is_named_after_reading_or_clicking():
    suspicious = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if _words(field.name) & TRACKING_WORDS
    ] + [
        model._meta.label for model in apps.get_models() if _words(model.__name__) & TRACKING_WORDS
    ]
    assert not set(suspicious) - set(NOT_TRACKING), suspicious


def test_the_logging_configuration_keeps_nothing_on_disk():
    """Logs go to the console (the host decides what it keeps); Préau writes no log file and
    configures no request log of its own."""
    handlers = settings.LOGGING.get("handlers", {})
    assert {h["class"] for h in handlers.values()} <= {"logging.StreamHandler"}, handlers
    loggers = settings.LOGGING.get("loggers", {})
    assert "django.request" not in loggers or loggers["django.request"].get("level") in (
        "WARNING",
        "ERROR",
    ), loggers


@pytest.mark.django_db
def test_opening_pages_and_resources_logs_no_line_naming_them_or_the_reader(
    client, cast, territory, caplog
):
    world = build_world(cast, territory)
    teacher = cast["teacher"]
    client.force_login(teacher)
    pages = [
        reverse("training:participant_session", args=[world["session"].pk]),
        reverse("training:my_sessions"),
        reverse("parcours:module", args=[world["module"].pk]),
        reverse("hours:mine"),
        reverse("training:certificate", args=[world["enrolment"].pk]),
    ]
    caplog.set_level(logging.DEBUG)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        if response.streaming:
            b"".join(response.streaming_content)
    lines = [record.getMessage() for record in caplog.records]
    for page in pages:
        assert not [line for line in lines if page in line], page
    assert not [line for line in lines if teacher.email in line or teacher.last_name in line]


# The IEN sees enrolments, attendance, completions and hours ---------------------------------

# What the IEN's pages may hold: people and places, sessions with their meetings, enrolments
# (completion included), attendance and hours. Nothing of the inside of a session (content,
# modules joined, logbooks, self-assessments, questionnaires).
IEN_MAY_SEE = {
    "accounts.User",
    "territories.Academie",
    "territories.Departement",
    "territories.Circonscription",
    "territories.School",
    "training.TrainingSession",
    "training.Meeting",
    "training.DistanceWindow",
    "training.Enrolment",
    "training.Attendance",
    "training.SessionStaff",
    "hours.Entry",
    "hours.Animation",
    "hours.TeacherYearTotals",
    "hours.HoursPolicy",
}
# The other pages the IEN opens (as the organiser of their circonscription's sessions, or as
# anyone signed in) may also hold what is no teacher's activity: the offer and a session's
# content as designed, its links with GAIA, its preparation groups' names and members (the IEN
# manages the session: docs/preparations.md, never a document)...
NOT_A_TEACHERS_ACTIVITY = {
    "parcours.Parcours",
    "parcours.Section",
    "parcours.Activity",
    "hr.HrLink",
    "preparations.Group",
}
# ... and the IEN's own rows, on the pages of their own account (their roles, their logbook,
# their notifications): {kind: the field naming whose it is}.
OWN = {
    "accounts.RoleAssignment": "user",
    "logbook.Entry": "owner",
    "notifications.Notification": "recipient",
}


def _objects_in(value, depth=0) -> Iterable:
    """The model instances and querysets of a template context, a few levels deep."""
    if depth > 3:
        return
    if isinstance(value, models.Model | QuerySet):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _objects_in(item, depth + 1)
    elif isinstance(value, list | tuple | Page):
        for item in list(value)[:20]:
            yield from _objects_in(item, depth + 1)


def _label(value) -> str:
    return (value.model if isinstance(value, QuerySet) else value)._meta.label


def _not_the_ien_s_own(found, ien) -> bool:
    owner = OWN[_label(found)]
    rows = list(found[:20]) if isinstance(found, QuerySet) else [found]
    return any(getattr(row, f"{owner}_id") != ien.pk for row in rows)


def _contexts(response) -> list[dict]:
    """The template contexts of a response (none for a file: CSV, xlsx, PDF, iCalendar)."""
    context = response.context
    if context is None:
        return []
    contexts = list(context) if isinstance(context, list) else [context]
    return [c.flatten() if hasattr(c, "flatten") else c for c in contexts]


@pytest.mark.django_db
def test_the_ien_pages_show_enrolments_attendance_completions_and_hours_only(
    client, cast, territory
):
    """Every GET page of the access table (tests/core/test_access_matrix.py) is opened as the
    IEN of the world's circonscription: on the IEN's own pages (the rows whose `who` is the
    IEN) every object is of a kind the IEN may see, and neither a module the teacher joined nor
    a session's content appears; on every other page the IEN opens, nothing else of a teacher's
    activity appears (logbooks, steps ticked, forums, answers, documents)."""
    world = build_world(cast, territory) | {"territory": territory}
    teacher, ien = cast["teacher"], cast["ien"]
    OpenAccessMembership.objects.create(parcours=world["module"], user=teacher)
    client.force_login(ien)
    ien_pages, other_pages, everything = [], [], set()
    for name, row in ACCESS.items():
        if row.method != "GET":
            continue
        url = reverse(name, args=ARGS[row.args](world))
        response = client.get(url)
        if response.streaming:
            _close(response)
        if row.who == "ien":
            assert response.status_code == 200, name  # the IEN's page, as the table says
        if response.status_code != 200:
            continue
        (ien_pages if row.who == "ien" else other_pages).append(name)
        found = [f for context in _contexts(response) for f in _objects_in(context)]
        seen = {_label(f) for f in found}
        everything |= seen
        if row.who == "ien":
            assert seen <= IEN_MAY_SEE, f"{name} shows {sorted(seen - IEN_MAY_SEE)}"
            html = response.content.decode() if not response.streaming else ""
            assert world["module"].title not in html, name  # the open-access module joined
            assert world["session_activity"].title not in html, name  # a session's content
        else:
            allowed = IEN_MAY_SEE | NOT_A_TEACHERS_ACTIVITY | OWN.keys()
            assert seen <= allowed, f"{name} shows {sorted(seen - allowed)}"
            others = [f for f in found if _label(f) in OWN and _not_the_ien_s_own(f, ien)]
            assert not others, f"{name} shows another person's {_label(others[0])}"
    # The walk reaches the IEN's pages and the others, and the contexts do hold what they show.
    assert len(ien_pages) >= 10 and "hours:teacher_ledger" in ien_pages, ien_pages
    assert {"training:manage", "logbook:list", "portal:home"} <= set(other_pages), other_pages
    assert {"accounts.User", "territories.Circonscription", "training.Enrolment"} <= everything


# Participants' names -----------------------------------------------------------------------


@pytest.mark.django_db
def test_participants_names_are_hidden_from_other_participants_until_the_trainer_shows_them(
    client, cast, territory
):
    world = build_world(cast, territory)
    session, classmate = world["session"], world["other_enrolment"].user
    client.force_login(cast["teacher"])
    url = reverse("training:participant_session", args=[session.pk])

    page = client.get(url).content.decode()
    assert classmate.last_name not in page

    client.force_login(cast["trainer"])
    settings_url = reverse("training:manage_settings", args=[session.pk])
    form = client.get(settings_url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "show_participant_names"
    }
    data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}
    data["show_participant_names"] = "on"
    assert client.post(settings_url, data).status_code == 302
    session.refresh_from_db()
    assert session.show_participant_names

    client.force_login(cast["teacher"])
    assert classmate.last_name in client.get(url).content.decode()


@pytest.mark.django_db
def test_participants_names_are_never_in_the_offer_page(client, cast, territory):
    world = build_world(cast, territory)
    world["session"].show_participant_names = True
    world["session"].save(update_fields=["show_participant_names"])
    other = factories.teacher(school=territory["caen_school"])
    client.force_login(other)
    page = client.get(reverse("training:offre_session", args=[world["session"].pk]))
    assert page.status_code == 200
    assert world["other_enrolment"].user.last_name not in page.content.decode()


# The pages' promises ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Every in-session tool the public pages speak of is built (self-positioning, the closing
# questionnaire, the carnet de bord): the tests below check what those pages promise of each.


def test_the_privacy_page_says_what_self_positioning_and_the_closing_questionnaire_keep(client, db):
    page = client.get("/donnees-personnelles/").content.decode()

    assert "Votre auto-positionnement : vous seul le voyez." in page
    assert "enregistrées sans votre nom ni l’heure" in page


def test_the_privacy_page_says_the_sign_in_day_is_kept_and_the_ien_sees_attendance(client, db):
    page = client.get("/donnees-personnelles/").content.decode()

    assert "Le jour de votre dernière connexion, sans l’heure." in page
    assert "Votre IEN voit vos inscriptions, vos présences aux réunions en présence" in page


def test_the_privacy_page_says_the_logbook_is_read_by_its_author_alone(client, db):
    page = client.get("/donnees-personnelles/").content.decode()

    assert "Votre carnet de bord n’est lu que par vous." in page
    assert "ni les tuteurs, ni les autres participants, ni votre IEN" in page


# Each sentence the landing page says of Préau, and the tests that keep it true: a sentence
# added to the page without its tests, or a test renamed, fails below.
LANDING_CLAIMS = {
    "Préau accompagne la formation continue hybride des professeurs des écoles : parcours en "
    "présence et à distance, animations pédagogiques et suivi de vos 18 heures annuelles.": [
        "tests/training/test_manage_views.py::test_trainer_adds_edits_and_deletes_a_presence_meeting",
        "tests/training/test_manage_views.py::test_trainer_adds_edits_and_deletes_a_distance_window",
        "tests/hours/test_piloting.py::test_ien_records_an_animation_for_twenty_teachers_in_one_go",
        "tests/hours/test_rules.py::test_the_target_is_18_hours_prorated_by_the_working_share",
        "tests/portal/test_home.py::test_teacher_home_shows_their_school_and_their_eighteen_hours",
    ],
    "Il ne mesure ni votre temps de connexion, ni vos clics, ni les pages que vous ouvrez.": [
        "tests/core/test_privacy_promises.py::test_every_time_field_is_reviewed",
        "tests/core/test_privacy_promises.py::test_no_model_or_field_is_named_after_reading_or_clicking",
        "tests/core/test_privacy_promises.py::test_the_logging_configuration_keeps_nothing_on_disk",
        "tests/core/test_privacy_promises.py::"
        "test_opening_pages_and_resources_logs_no_line_naming_them_or_the_reader",
        "tests/core/test_privacy_promises.py::test_the_server_as_started_by_the_project_keeps_no_access_log",
    ],
    "De vos connexions, il ne garde que le jour de la dernière, sans l’heure.": [
        "tests/accounts/test_sign_in_day.py::test_a_sign_in_keeps_its_paris_day_and_nothing_finer",
        "tests/accounts/test_sign_in_day.py::"
        "test_no_column_of_the_user_table_can_hold_the_time_of_a_sign_in",
        "tests/accounts/test_sign_in_day.py::test_the_session_row_does_not_date_the_sign_in_either",
    ],
    "Les autres participants d’une session ne voient pas votre nom, sauf si le formateur l’a "
    "permis.": [
        "tests/core/test_privacy_promises.py::"
        "test_participants_names_are_hidden_from_other_participants_until_the_trainer_shows_them",
        "tests/core/test_privacy_promises.py::test_participants_names_are_never_in_the_offer_page",
    ],
}


def _sentences(html: str) -> set[str]:
    """The sentences of the paragraphs and list items of the page's content (its <main>)."""
    main = re.search(r"<main\b.*?</main>", html, re.S)[0]
    blocks = re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", main, re.S)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", block)) for _tag, block in blocks)
    text = re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()
    return {s for s in re.split(r"(?<=[.!?])\s+", text) if s}


def test_each_claim_of_the_landing_page_is_kept_by_tests(client, db):
    """Every sentence of the landing page is in LANDING_CLAIMS, with tests that exist: a page
    that says more than the code does has no test to name."""
    from .citations import exists

    html = client.get("/").content.decode()
    said = _sentences(html)
    claims = {re.sub(r"\s+", " ", claim) for claim in LANDING_CLAIMS}

    assert said == claims, (
        f"Said without tests: {sorted(said - claims)}; no longer said: {sorted(claims - said)}"
    )
    for claim, tests in LANDING_CLAIMS.items():
        assert tests and all(exists(test) for test in tests), (claim, tests)


def test_the_server_as_started_by_the_project_keeps_no_access_log():
    """gunicorn's access log would date every sign-in to the second."""
    commands = [ROOT / "bin" / "run", ROOT / "docs" / "deployment.md"]
    for path in commands:
        text = path.read_text()
        gunicorn_lines = re.findall(r"gunicorn config\.wsgi:application[^\n]*(?:\\\n[^\n]*)*", text)
        assert gunicorn_lines, path
        for line in gunicorn_lines:
            assert "--access-logfile" not in line and "--access-log" not in line, path
