"""Role × view matrix, generated from the URLconf: every view is visited as the one who may,
as a colleague of the same role in another territory, as a stranger (signed in, no role) and
signed out; the expected answers are declared in ONE table, `ACCESS`, below.

A URL of the URLconf without a row in the table fails `test_every_url_has_a_row_in_the_access
_table`, which names it: add its row (what it needs in ARGS, who may, the four answers). Each
visit runs in a savepoint rolled back afterwards, so a POST by the one who may changes nothing
for the next rows. A POST-only view is visited with an empty POST (`method="POST"`): the answer
then says whether access was granted (a 302 or a form) or refused (404/403/302 to sign in).

To print the answers observed today (to review, then paste): PREAU_PRINT_MATRIX=1 pytest -s -k
test_views_answer_as_the_access_table_declares.
"""

import os
from dataclasses import dataclass

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import reverse

from preau.accounts.models import Role
from tests import factories

from .urlconf import walk
from .world import build_world

pytestmark = pytest.mark.django_db

SIGN_IN = 302  # a signed-out visitor is sent to the sign-in page
# Whose territory is another: for each role, a person of the same role elsewhere (national
# roles have no territory: their "colleague" is another person with the same role).
COLLEAGUE_OF = {
    "teacher": "other_teacher",
    "trainer": "other_trainer",
    "tutor": "other_tutor",
    "designer": "other_designer",
    "ien": "other_ien",
    "pilot": "other_pilot",
    "manager": "other_manager",
    "reviewer": "other_reviewer",
    "editorial": "other_editorial",
    "admin": "other_admin",
    "nobody": "nobody",
}


@dataclass(frozen=True)
class Row:
    who: str  # the role of the `cast` who may
    may: int  # the answer to that person
    colleague: int  # the answer to a colleague of the same role in another territory
    stranger: int  # the answer to a signed-in person without a role
    anonymous: int = SIGN_IN
    args: str = ""  # key of ARGS: what the URL's parameters designate
    method: str = "GET"
    data: dict | None = None  # what a POST sends


def Post(*args, **kwargs) -> Row:
    return Row(*args, method="POST", **kwargs)


# What each URL's parameters designate in the world (tests/core/world.py).
ARGS = {
    "": lambda w: [],
    "draft": lambda w: [w["draft"].pk],
    "in_review": lambda w: [w["in_review"].pk],
    "module": lambda w: [w["module"].pk],
    "section": lambda w: [w["section"].pk],
    "section_kind": lambda w: [w["section"].pk, "texte"],
    "activity": lambda w: [w["activity"].pk],
    "activity_file": lambda w: [w["activity"].pk, "file"],
    "published": lambda w: [w["published"].pk],
    "session": lambda w: [w["session"].pk],
    "session_section": lambda w: [w["session_section"].pk],
    "session_section_kind": lambda w: [w["session_section"].pk, "texte"],
    "session_activity": lambda w: [w["session_activity"].pk],
    "meeting": lambda w: [w["meeting"].pk],
    "window": lambda w: [w["window"].pk],
    "staff": lambda w: [w["staff"].pk],
    "enrolment": lambda w: [w["enrolment"].pk],
    "other_enrolment": lambda w: [w["other_enrolment"].pk],
    "certificate_code": lambda w: [w["enrolment"].certificate_code],
    "feed": lambda w: [w["feed"].token],
    "caen": lambda w: [w["territory"]["caen"].code],
    "calvados": lambda w: [w["territory"]["calvados"].code],
    "school": lambda w: [w["territory"]["caen_school"].uai],
    "year": lambda w: [w["year"]],
    "ledger": lambda w: [w["territory"]["caen"].code, w["enrolment"].user_id],
    "declaration": lambda w: [
        w["territory"]["caen"].code,
        w["enrolment"].user_id,
        w["entry"].pk,
    ],
    "decision": lambda w: [w["territory"]["caen"].code, w["entry"].pk],
    "report": lambda w: [w["report"].pk],
    "hr_import": lambda w: [w["hr_import"].pk],
    "hr_session": lambda w: [w["hr_session"].pk],
    "link": lambda w: [w["link"].pk],
    "reset": lambda w: ["MQ", "set-password"],
    "forum_activity": lambda w: [w["forum_activity"].pk],
    "forum": lambda w: [w["forum"].pk],
    "thread": lambda w: [w["thread"].pk],
    "post": lambda w: [w["post"].pk],
    "prep_activity": lambda w: [w["prep_activity"].pk],
    "prep_group": lambda w: [w["prep_group"].pk],
    "prep_document": lambda w: [w["prep_document"].pk],
    "prep_version": lambda w: [w["prep_version"].pk],
    "prep_comment": lambda w: [w["prep_comment"].pk],
    "prep_reply": lambda w: [w["prep_reply"].pk],
    "prep_proposal": lambda w: [w["prep_proposal"].pk],
    "unsubscribe": lambda w: [w["unsubscribe"]],
    "notification": lambda w: [w["notification"].pk],
    "email_off": lambda w: [w["email_off"]],
    "virtual_meeting": lambda w: [w["virtual_meeting"].pk],
    "virtual_room": lambda w: [w["virtual_room"].pk],
    "virtual_activity": lambda w: [w["virtual_activity"].pk],
    "recording": lambda w: [w["recording"].pk],
    "end_token": lambda w: [w["end_token"]],
    "positioning_activity": lambda w: [w["positioning_activity"].pk],
    "positioning": lambda w: [w["positioning"].pk],
    "design_questionnaire": lambda w: [w["design_questionnaire"].pk],
    "design_question": lambda w: [w["design_question"].pk],
    "lineage": lambda w: [w["published"].lineage_id],
    "logbook_entry": lambda w: [w["logbook_entry"].pk],
    "shared_entry": lambda w: [w["shared_entry"].pk],
    "logbook_attachment": lambda w: [w["logbook_attachment"].pk],
}

# URL name: Row(who may, answer to them, to a colleague elsewhere, to a stranger[, signed out]).
# 404 for a protected object (the same answer as a missing one), 403 for a page of a role the
# person lacks, 302 after an action or to the sign-in page. Public pages answer 200 to all; the
# calendar feed and certificate checks are reached by a secret code, not by a session.
# National roles (reviewer, editorial committee) have no territory: their colleague may too.
# fmt: off
ACCESS: dict[str, Row] = {
    "portal:home": Row("teacher", 200, 200, 200, anonymous=200),
    "core:accessibility": Row("teacher", 200, 200, 200, anonymous=200),
    "core:legal": Row("teacher", 200, 200, 200, anonymous=200),
    "core:privacy": Row("teacher", 200, 200, 200, anonymous=200),
    "core:healthz": Row("teacher", 200, 200, 200, anonymous=200),
    "core:readyz": Row("teacher", 200, 200, 200, anonymous=200),
    "accounts:login": Row("teacher", 302, 302, 302, anonymous=200),
    "accounts:logout": Post("teacher", 302, 302, 302),
    "accounts:profile": Row("teacher", 200, 200, 200),
    "accounts:second_factor": Row("manager", 302, 302, 302),
    "accounts:two_factor": Row("manager", 200, 200, 403),
    "accounts:password_change": Row("teacher", 200, 200, 200),
    "accounts:password_reset": Row("teacher", 200, 200, 200, anonymous=200),
    "accounts:password_reset_done": Row("teacher", 200, 200, 200, anonymous=200),
    "accounts:password_reset_confirm": Row("teacher", 200, 200, 200, anonymous=200, args="reset"),
    "accounts:password_reset_complete": Row("teacher", 200, 200, 200, anonymous=200),
    "territories:overview": Row("ien", 200, 200, 403),
    "territories:departement": Row("pilot", 200, 404, 404, args="calvados"),
    "territories:circonscription": Row("ien", 200, 404, 404, args="caen"),
    "territories:school": Row("ien", 200, 404, 404, args="school"),
    "parcours:activity_file": Row("designer", 200, 404, 404, args="activity_file"),
    "parcours:thumbnail": Row("designer", 200, 404, 404, args="draft"),
    "parcours:design_dashboard": Row("designer", 200, 200, 403),
    "parcours:detail": Row("designer", 200, 404, 404, args="draft"),
    "parcours:indexation": Row("designer", 200, 404, 404, args="draft"),
    "parcours:content": Row("designer", 200, 404, 404, args="draft"),
    "parcours:section_add": Post("designer", 200, 404, 404, args="draft"),
    "parcours:submit": Post("designer", 302, 404, 404, args="draft"),
    "parcours:duplicate": Post("designer", 302, 404, 404, args="published"),
    "parcours:new_version": Post("manager", 302, 404, 404, args="published"),
    "parcours:archive": Row("manager", 200, 404, 404, args="published"),
    "parcours:section_rename": Row("designer", 200, 404, 404, args="section"),
    "parcours:section_move": Post("designer", 400, 404, 404, args="section"),
    "parcours:section_delete": Row("designer", 200, 404, 404, args="section"),
    "parcours:activity_add": Row("designer", 400, 404, 404, args="section_kind"),
    "parcours:activity_edit": Row("designer", 200, 404, 404, args="activity"),
    "parcours:activity_move": Post("designer", 400, 404, 404, args="activity"),
    "parcours:activity_delete": Row("designer", 200, 404, 404, args="activity"),
    "parcours:review_queue": Row("reviewer", 200, 200, 403),
    "parcours:label_board": Row("editorial", 200, 200, 403),
    "parcours:approve": Post("reviewer", 302, 302, 404, args="in_review"),
    "parcours:request_changes": Row("reviewer", 200, 200, 404, args="in_review"),
    "parcours:label_grant": Post("editorial", 302, 302, 404, args="published"),
    "parcours:label_withdraw": Row("editorial", 200, 200, 404, args="published"),
    "parcours:offre": Row("trainer", 200, 200, 403),
    "parcours:offre_csv": Row("trainer", 200, 200, 403),
    "parcours:offre_print": Row("trainer", 200, 200, 403),
    "parcours:formation": Row("teacher", 200, 200, 200),
    "parcours:module": Row("teacher", 200, 200, 200, args="module"),
    "parcours:module_join": Post("teacher", 302, 302, 302, args="module"),
    "parcours:module_leave": Row("teacher", 302, 302, 302, args="module"),
    # Not a member: the service refuses, the page comes back with the error.
    "parcours:module_done": Post("teacher", 302, 302, 302, args="module", data={"done": "1"}),
    "training:piloting": Row("ien", 200, 200, 403),
    "training:piloting_circonscription": Row("ien", 200, 404, 404, args="caen"),
    "training:piloting_departement": Row("pilot", 200, 404, 404, args="calvados"),
    "training:offre": Row("teacher", 200, 200, 200),
    "training:offre_session": Row("teacher", 302, 404, 404, args="session"),  # territory only
    "training:enrol": Post("teacher", 302, 404, 404, args="session"),  # territory only
    "training:my_sessions": Row("teacher", 200, 200, 200),
    "training:participant_session": Row("teacher", 200, 404, 404, args="session"),
    "training:leave": Row("teacher", 200, 404, 404, args="session"),
    "training:step_done": Post(
        "teacher", 302, 404, 404, args="session_section", data={"done": "1"}
    ),
    "training:agenda": Row("teacher", 200, 200, 200),
    "training:agenda_renew": Row("teacher", 200, 200, 200),
    "training:calendar_feed": Row("teacher", 200, 200, 200, anonymous=200, args="feed"),
    "training:attendance": Row("trainer", 200, 404, 404, args="meeting"),
    "training:attendance_all_present": Post("trainer", 302, 404, 404, args="meeting"),
    "training:signing_sheet": Row("trainer", 200, 404, 404, args="meeting"),
    "training:attestation": Row("trainer", 200, 404, 404, args="session"),
    "training:withdraw_attestation": Post("trainer", 302, 404, 404, args="enrolment"),
    "training:certificate": Row("teacher", 200, 404, 404, args="enrolment"),
    "training:verify": Row("teacher", 200, 200, 200, anonymous=200),
    "training:verify_code": Row("teacher", 200, 200, 200, anonymous=200, args="certificate_code"),
    "training:manage_list": Row("trainer", 200, 200, 403),
    "training:manage_create": Row("trainer", 200, 200, 403, args="published"),
    "training:manage": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_settings": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_staff_add": Post("trainer", 200, 404, 404, args="session"),
    "training:manage_staff_remove": Row("trainer", 200, 404, 404, args="staff"),
    "training:manage_meeting_add": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_meeting_edit": Row("trainer", 200, 404, 404, args="meeting"),
    "training:manage_meeting_delete": Row("trainer", 200, 404, 404, args="meeting"),
    "training:manage_window_add": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_window_edit": Row("trainer", 200, 404, 404, args="window"),
    "training:manage_window_delete": Row("trainer", 200, 404, 404, args="window"),
    "training:manage_enrol": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_enrol_confirm": Post("trainer", 302, 404, 404, args="session"),
    "training:manage_enrol_pick": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_unenrol": Row("trainer", 200, 404, 404, args="other_enrolment"),
    "training:manage_open": Post("trainer", 302, 404, 404, args="session"),
    "training:manage_close": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_archive": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_content": Row("trainer", 200, 404, 404, args="session"),
    # Its own trainers and tutors only: not the IEN, pilots or administrators (domain.md §6).
    "training:manage_steps": Row("trainer", 200, 404, 404, args="session"),
    "training:manage_section_add": Post("trainer", 200, 404, 404, args="session"),
    "training:manage_section_rename": Row("trainer", 200, 404, 404, args="session_section"),
    "training:manage_section_move": Post("trainer", 400, 404, 404, args="session_section"),
    "training:manage_section_delete": Row("trainer", 200, 404, 404, args="session_section"),
    "training:manage_activity_add": Row("trainer", 400, 404, 404, args="session_section_kind"),
    "training:manage_activity_edit": Row("trainer", 200, 404, 404, args="session_activity"),
    "training:manage_activity_move": Post("trainer", 400, 404, 404, args="session_activity"),
    "training:manage_activity_delete": Row("trainer", 200, 404, 404, args="session_activity"),
    "hours:mine": Row("teacher", 200, 200, 403),
    "hours:year": Row("teacher", 200, 200, 403, args="year"),
    "hours:fiche": Row("teacher", 200, 200, 403, args="year"),
    "hours:fiche_pdf": Row("teacher", 200, 200, 403, args="year"),
    "hours:declare": Post("teacher", 200, 200, 403),
    "hours:circonscription": Row("ien", 200, 404, 404, args="caen"),
    "hours:circonscription_csv": Row("ien", 200, 404, 404, args="caen"),
    "hours:circonscription_xlsx": Row("ien", 200, 404, 404, args="caen"),
    "hours:teacher_ledger": Row("ien", 200, 404, 404, args="ledger"),
    "hours:declaration": Post(
        "ien", 302, 404, 404, args="declaration", data={"decision": "refuse", "motif": "Non"}
    ),
    "hours:departements": Row("pilot", 302, 302, 403),  # to their one département
    "hours:departement": Row("pilot", 200, 404, 404, args="calvados"),
    "hours:declarations": Row("ien", 200, 404, 404, args="caen"),
    "hours:decide": Post("ien", 302, 404, 404, args="decision", data={"decision": "valider"}),
    "hours:reports": Row("manager", 200, 200, 403),
    "hours:report_csv": Row("manager", 200, 404, 403, args="report"),
    "hours:report_xlsx": Row("manager", 200, 404, 403, args="report"),
    "hr:imports": Row("manager", 200, 200, 403),
    "hr:import": Row("manager", 200, 404, 403, args="hr_import"),
    "hr:import_confirm": Post("manager", 302, 404, 403, args="hr_import"),
    "hr:import_removals": Post("manager", 302, 404, 403, args="hr_import"),
    "hr:import_refresh": Post("manager", 302, 404, 403, args="hr_import"),
    "hr:import_cancel": Post("manager", 302, 404, 403, args="hr_import"),
    "hr:hr_sessions": Row("manager", 200, 200, 403),
    "hr:create_from_hr": Row("manager", 200, 404, 403, args="hr_session"),
    "hr:session_links": Row("trainer", 200, 404, 404, args="session"),
    "hr:link_settings": Row("trainer", 200, 404, 404, args="link"),
    "hr:unlink": Row("trainer", 200, 404, 404, args="link"),
    "hr:attendance_export": Row("trainer", 200, 404, 404, args="link"),
    "hr:attendance_export_xlsx": Row("trainer", 200, 404, 404, args="link"),
    # Forums: members of the session only (its staff, its enrolled participants); the IEN and
    # pilots of the territory are refused too (tests/forums/test_views.py).
    "forums:session": Row("teacher", 200, 404, 404, args="session"),
    "forums:mark_all_read": Post("teacher", 302, 404, 404, args="session"),
    "forums:activity": Row("teacher", 302, 404, 404, args="forum_activity"),
    "forums:forum": Row("teacher", 200, 404, 404, args="forum"),
    "forums:thread_new": Row("teacher", 200, 404, 404, args="forum"),
    "forums:forum_follow": Post("teacher", 302, 404, 404, args="forum"),
    "forums:thread": Row("teacher", 200, 404, 404, args="thread"),
    "forums:reply": Post("teacher", 200, 404, 404, args="thread"),
    "forums:thread_follow": Post("teacher", 302, 404, 404, args="thread"),
    "forums:thread_pin": Post("trainer", 302, 404, 404, args="thread"),
    "forums:thread_lock": Post("trainer", 302, 404, 404, args="thread"),
    "forums:post": Row("teacher", 302, 404, 404, args="post"),
    "forums:post_edit": Row("teacher", 200, 404, 404, args="post"),
    "forums:post_delete": Row("teacher", 200, 404, 404, args="post"),
    "forums:post_hide": Row("trainer", 200, 404, 404, args="post"),
    "forums:post_unhide": Post("trainer", 302, 404, 404, args="post"),
    "forums:attachment": Row("teacher", 200, 404, 404, args="post"),
    "forums:unsubscribe": Row("teacher", 200, 200, 200, anonymous=200, args="unsubscribe"),
    # Virtual classes: the session's members only, like its forums (pilots and administrators
    # are refused too: tests/virtualclasses/test_views.py). No server in this world: « Rejoindre »
    # comes back to the room with « Classe virtuelle non configurée ».
    "virtualclasses:session": Row("teacher", 200, 404, 404, args="session"),
    "virtualclasses:meeting": Row("teacher", 302, 404, 404, args="virtual_meeting"),
    "virtualclasses:activity": Row("teacher", 302, 404, 404, args="virtual_activity"),
    "virtualclasses:room": Row("teacher", 200, 404, 404, args="virtual_room"),
    "virtualclasses:join": Post("teacher", 302, 404, 404, args="virtual_room"),
    "virtualclasses:settings": Row("trainer", 200, 404, 404, args="virtual_room"),
    "virtualclasses:recording_delete": Row("trainer", 200, 404, 404, args="recording"),
    # BigBlueButton's callbacks: no sign-in, a signature (a signed room; an HS256 JWT).
    "virtualclasses:end_callback": Row(
        "teacher", 200, 200, 200, anonymous=200, args="end_token"
    ),
    "virtualclasses:recording_callback": Post("teacher", 403, 403, 403, anonymous=403),
    # Collective preparations: the groups are made by those who manage the session; a group's
    # document is for its members and the session's trainers and tutors only, the IEN and
    # pilots refused (tests/preparations/test_views.py). An empty POST to the groups is a 400
    # (no mode), to a member change a redirect that asks for a person, to the document a 400
    # (not JSON).
    "preparations:activity": Row("teacher", 200, 404, 404, args="prep_activity"),
    "preparations:make_groups": Post("trainer", 400, 404, 404, args="prep_activity"),
    "preparations:move_member": Post("trainer", 302, 404, 404, args="prep_activity"),
    "preparations:group": Row("trainer", 200, 404, 404, args="prep_group"),
    "preparations:delete_group": Post("trainer", 302, 404, 404, args="prep_group"),
    "preparations:remove_member": Post("trainer", 302, 404, 404, args="prep_group"),
    "preparations:add_member": Post("trainer", 302, 404, 404, args="prep_group"),
    "preparations:document": Row("teacher", 200, 404, 404, args="prep_document"),
    "preparations:update": Post("teacher", 400, 404, 404, args="prep_document"),
    "preparations:pdf": Row("teacher", 200, 404, 404, args="prep_document"),
    "preparations:odt": Row("teacher", 200, 404, 404, args="prep_document"),
    "preparations:versions": Row("teacher", 200, 404, 404, args="prep_document"),
    "preparations:version": Row("teacher", 200, 404, 404, args="prep_version"),
    "preparations:compare": Row("teacher", 200, 404, 404, args="prep_document"),
    "preparations:share": Post("teacher", 302, 404, 404, args="prep_document"),
    # Who wrote what (JSON): the document's writers only (tests/preparations/test_authorship.py).
    "preparations:authors": Row("teacher", 200, 404, 404, args="prep_document"),
    # Comments: the document's writers only (not the session a plan is shared with); an
    # empty POST redirects to the page with the reason (tests/preparations/test_comments.py).
    # The list's and a comment's URLs without htmx are the page; deleting asks first (a page):
    # its author or a trainer or tutor of the session (tests/preparations/test_comment_threads.py).
    "preparations:add_comment": Post("teacher", 302, 404, 404, args="prep_document"),
    "preparations:comments": Row("teacher", 302, 404, 404, args="prep_document"),
    "preparations:comment": Row("teacher", 302, 404, 404, args="prep_comment"),
    "preparations:resolve_comment": Post("teacher", 302, 404, 404, args="prep_comment"),
    "preparations:reopen_comment": Post("teacher", 302, 404, 404, args="prep_comment"),
    "preparations:reply_comment": Post("teacher", 302, 404, 404, args="prep_comment"),
    "preparations:delete_comment": Row("trainer", 200, 404, 404, args="prep_comment"),
    "preparations:delete_reply": Row("teacher", 200, 404, 404, args="prep_reply"),
    # Proposing a shared plan: the session's trainer (a tutor gets 403, the IEN 404:
    # tests/preparations/test_proposals.py); a proposal: the designers of the parcours' line.
    "preparations:propose": Post("trainer", 302, 404, 404, args="prep_document"),
    "preparations:proposal": Row("designer", 200, 404, 404, args="prep_proposal"),
    # A person's notifications are theirs alone: anybody else's is a 404 whatever their role.
    "notifications:list": Row("teacher", 200, 200, 200),
    "notifications:open": Row("teacher", 302, 404, 404, args="notification"),
    "notifications:mark_all_read": Post("teacher", 302, 302, 302),
    "notifications:email_preference": Post("teacher", 302, 302, 302),
    # Signed for one person, used without signing in (a link in a forum e-mail).
    "notifications:forum_email_off": Row(
        "teacher", 200, 200, 200, anonymous=200, args="email_off"
    ),
    # Questionnaires: a participant answers and reads their own self-positioning (nobody else);
    # the session's team reads aggregates; designers adapt the questions of their drafts; the
    # editorial committee (and the parcours' designers) read a parcours' satisfaction; those
    # who pilot a territory, its parcours' satisfaction there (docs/questionnaires.md).
    "questionnaires:activity": Row("teacher", 302, 404, 404, args="positioning_activity"),
    "questionnaires:answer": Row("teacher", 200, 404, 404, args="positioning"),
    "questionnaires:edit": Row("designer", 200, 404, 404, args="design_questionnaire"),
    "questionnaires:question_delete": Row("designer", 200, 404, 404, args="design_question"),
    "questionnaires:closing": Row("teacher", 302, 404, 404, args="session"),
    "questionnaires:mine": Row("teacher", 200, 404, 404, args="session"),
    "questionnaires:mine_svg": Row("teacher", 200, 404, 404, args="session"),
    "questionnaires:mine_csv": Row("teacher", 200, 404, 404, args="session"),
    "questionnaires:session_results": Row("trainer", 200, 404, 404, args="session"),
    "questionnaires:parcours_results": Row("editorial", 200, 200, 403, args="published"),
    "questionnaires:parcours_results_csv": Row("editorial", 200, 200, 403, args="published"),
    "questionnaires:parcours_results_xlsx": Row("editorial", 200, 200, 403, args="published"),
    "questionnaires:territory": Row("pilot", 200, 200, 403),
    "questionnaires:territory_parcours": Row("pilot", 200, 200, 403, args="lineage"),
    # The carnet de bord: every signed-in person has their own (the menu offers it to teachers);
    # an entry is its author's alone, whatever the role of the visitor (docs/logbook.md). A
    # session's shared entries are for its trainers: not its tutors, not those who pilot it.
    "logbook:list": Row("teacher", 200, 200, 200),
    "logbook:entry_new": Row("teacher", 200, 200, 200),
    "logbook:entry": Row("teacher", 200, 404, 404, args="logbook_entry"),
    "logbook:entry_edit": Row("teacher", 200, 404, 404, args="logbook_entry"),
    "logbook:entry_delete": Row("teacher", 200, 404, 404, args="logbook_entry"),
    "logbook:entry_share": Post("teacher", 302, 404, 404, args="logbook_entry"),
    "logbook:entry_unshare": Post("teacher", 302, 404, 404, args="shared_entry"),
    "logbook:attachment": Row("teacher", 200, 404, 404, args="logbook_attachment"),
    "logbook:portfolio": Row("teacher", 200, 200, 200),
    "logbook:portfolio_pdf": Row("teacher", 200, 200, 200),
    "logbook:session_shared": Row("trainer", 200, 404, 404, args="session"),
}
# fmt: on

# The Django admin is one application with its own permission system (technical staff only,
# page by page in tests/core/test_admin.py); here: open to staff, refused to every role.
ADMIN_PREFIX = "admin:"


@pytest.fixture
def people(cast, territory):
    t = territory
    other_academie = factories.AcademieFactory(code="A025", name="Besançon")
    doubs = factories.DepartementFactory(code="025", name="Doubs", academie=other_academie)
    return {
        **cast,
        "other_teacher": factories.teacher(school=t["saint_lo_school"]),
        "other_trainer": factories.with_role(Role.TRAINER, circonscription=t["bayeux"]),
        "other_tutor": factories.with_role(Role.TUTOR, circonscription=t["bayeux"]),
        "other_designer": factories.with_role(Role.DESIGNER, academie=other_academie),
        "other_pilot": factories.with_role(Role.PILOT, departement=t["manche"]),
        "other_manager": factories.with_role(Role.ACADEMIC_MANAGER, academie=other_academie),
        "other_reviewer": factories.with_role(Role.REVIEWER),
        "other_editorial": factories.with_role(Role.EDITORIAL_COMMITTEE),
        "other_admin": factories.with_role(Role.ADMIN),
        "doubs": doubs,
    }


def _visit(person, method: str, url: str, data: dict | None = None) -> int:
    """The status of one request by `person` (None: signed out), its writes rolled back (the
    sign-in too: a visit to the sign-out page does not sign out the next one)."""
    client = Client()
    with transaction.atomic():
        if person is not None:
            client.force_login(person)
        response = client.post(url, data or {}) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    if response.streaming:  # a file response (PDF, xlsx) holds its file open until closed
        _close(response)
    return response.status_code


def _close(response) -> None:
    """Closes as the test client does: without the signal that would close the database
    connection of the test (on PostgreSQL) in the middle of its transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_every_url_has_a_row_in_the_access_table():
    missing = [
        route.name
        for route in walk()
        if not route.name.startswith(ADMIN_PREFIX) and route.name not in ACCESS
    ]
    assert not missing, (
        "These URLs have no row in ACCESS (tests/core/test_access_matrix.py): declare who may "
        "open each and what the others get:\n  " + "\n  ".join(missing)
    )
    stale = sorted(set(ACCESS) - {route.name for route in walk()})
    assert not stale, f"Rows of ACCESS for URLs that no longer exist: {stale}"


def test_views_answer_as_the_access_table_declares(people, territory):
    world = build_world(people, territory) | {"territory": territory}
    clients = {key: user for key, user in people.items() if key != "doubs"} | {"anonymous": None}
    printing = os.environ.get("PREAU_PRINT_MATRIX")
    wrong = []
    for name, row in ACCESS.items():
        url = reverse(name, args=ARGS[row.args](world))
        seen = {
            "may": _visit(clients[row.who], row.method, url, row.data),
            "colleague": _visit(clients[COLLEAGUE_OF[row.who]], row.method, url, row.data),
            "stranger": _visit(clients["nobody"], row.method, url, row.data),
            "anonymous": _visit(clients["anonymous"], row.method, url, row.data),
        }
        expected = {k: getattr(row, k) for k in seen}
        if printing:
            print(f"{name!r}: {seen}")
        if seen != expected:
            wrong.append(f"{name} ({row.method} {url} as {row.who}): {seen}, declared {expected}")
    assert not wrong, "\n".join(wrong)


def test_the_admin_is_for_technical_staff_only(people):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    assert _visit(staff, "GET", reverse("admin:index")) == 200
    for role in ["teacher", "ien", "pilot", "manager", "admin", "nobody"]:
        assert _visit(people[role], "GET", reverse("admin:index")) == 302, role
