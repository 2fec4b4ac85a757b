from django.urls import path

app_name = "training"

# Each area adds its routes from its own views module: manage.py (trainers: create, calendar,
# enrolment, open, close), attendance.py (attendance, attestation, certificates, signing
# sheets), participant.py (teachers: offre de formation sessions, enrolment, session page,
# calendar feed), piloting.py (IEN: sessions of a territory).
urlpatterns: list = []

# Piloting (views/piloting.py): the sessions of the territories a person pilots.
from .views import piloting  # noqa: E402

urlpatterns += [
    path("pilotage/", piloting.sessions, name="piloting"),
    path(
        "pilotage/circonscriptions/<str:code>/",
        piloting.circonscription_sessions,
        name="piloting_circonscription",
    ),
    path(
        "pilotage/departements/<str:code>/",
        piloting.departement_sessions,
        name="piloting_departement",
    ),
]

# Teachers (views/participant.py, views/calendar_feed.py): the sessions of the offre de
# formation, enrolment, their session page, their agenda and its private iCalendar feed.
from .views import calendar_feed, participant  # noqa: E402

urlpatterns += [
    path("offre/", participant.offre, name="offre"),
    path("offre/<id:pk>/", participant.offre_session, name="offre_session"),
    path("offre/<id:pk>/inscription/", participant.enrol, name="enrol"),
    path("mes-sessions/", participant.my_sessions, name="my_sessions"),
    path("mes-sessions/<id:pk>/", participant.participant_session, name="participant_session"),
    path("mes-sessions/<id:pk>/quitter/", participant.leave, name="leave"),
    path("agenda/", participant.agenda, name="agenda"),
    path("agenda/renouveler/", participant.agenda_renew, name="agenda_renew"),
    path("agenda/<slug:token>.ics", calendar_feed.calendar_feed, name="calendar_feed"),
]

# Attendance, signing sheets, attestation, certificates (views/attendance.py), and the public
# verification of a certificate's code (views/public.py).
from .views import attendance, public  # noqa: E402

urlpatterns += [
    path("reunions/<id:pk>/presences/", attendance.attendance, name="attendance"),
    path(
        "reunions/<id:pk>/presences/tous-presents/",
        attendance.attendance_all_present,
        name="attendance_all_present",
    ),
    path("reunions/<id:pk>/emargement.pdf", attendance.signing_sheet, name="signing_sheet"),
    path("<id:pk>/attestation/", attendance.attestation, name="attestation"),
    path(
        "inscriptions/<id:pk>/attestation/retirer/",
        attendance.withdraw_attestation,
        name="withdraw_attestation",
    ),
    path("inscriptions/<id:pk>/attestation.pdf", attendance.certificate, name="certificate"),
    path("verifier/", public.verify_certificate, name="verify"),
    path("verifier/<str:code>/", public.verify_certificate, name="verify_code"),
]

# Organisers (views/manage.py): "Mes sessions", creation from a parcours, the session page
# (team, calendar, participants, settings), enrolment by list or CSV, opening, closing,
# archiving, and the adaptation of the session's copy of the content.
from .views import manage  # noqa: E402

urlpatterns += [
    path("gestion/", manage.session_list, name="manage_list"),
    path("gestion/deployer/<id:parcours_pk>/", manage.session_create, name="manage_create"),
    path("<id:pk>/gestion/", manage.session_detail, name="manage"),
    path("<id:pk>/gestion/parametres/", manage.session_settings, name="manage_settings"),
    path("<id:pk>/gestion/equipe/", manage.staff_add, name="manage_staff_add"),
    path("gestion/equipe/<id:pk>/retirer/", manage.staff_remove, name="manage_staff_remove"),
    path("<id:pk>/gestion/reunions/ajouter/", manage.meeting_add, name="manage_meeting_add"),
    path("gestion/reunions/<id:pk>/modifier/", manage.meeting_edit, name="manage_meeting_edit"),
    path(
        "gestion/reunions/<id:pk>/supprimer/", manage.meeting_delete, name="manage_meeting_delete"
    ),
    path("<id:pk>/gestion/periodes/ajouter/", manage.window_add, name="manage_window_add"),
    path("gestion/periodes/<id:pk>/modifier/", manage.window_edit, name="manage_window_edit"),
    path("gestion/periodes/<id:pk>/supprimer/", manage.window_delete, name="manage_window_delete"),
    path("<id:pk>/gestion/inscrire/", manage.enrol, name="manage_enrol"),
    path("<id:pk>/gestion/inscrire/choisir/", manage.enrol_pick, name="manage_enrol_pick"),
    path("<id:pk>/gestion/inscrire/confirmer/", manage.enrol_confirm, name="manage_enrol_confirm"),
    path("gestion/inscriptions/<id:pk>/desinscrire/", manage.unenrol, name="manage_unenrol"),
    path("<id:pk>/gestion/ouvrir/", manage.session_open, name="manage_open"),
    path("<id:pk>/gestion/clore/", manage.session_close, name="manage_close"),
    path("<id:pk>/gestion/archiver/", manage.session_archive, name="manage_archive"),
    # The session's copy of the content, with the parcours editor.
    path("<id:pk>/gestion/contenu/", manage.editor.content, name="manage_content"),
    path("<id:pk>/gestion/contenu/sections/", manage.editor.section_add, name="manage_section_add"),
    path(
        "gestion/contenu/sections/<id:pk>/renommer/",
        manage.editor.section_rename,
        name="manage_section_rename",
    ),
    path(
        "gestion/contenu/sections/<id:pk>/deplacer/",
        manage.editor.section_move,
        name="manage_section_move",
    ),
    path(
        "gestion/contenu/sections/<id:pk>/supprimer/",
        manage.editor.section_delete,
        name="manage_section_delete",
    ),
    path(
        "gestion/contenu/sections/<id:pk>/ajouter/<slug:kind>/",
        manage.editor.activity_add,
        name="manage_activity_add",
    ),
    path(
        "gestion/contenu/activites/<id:pk>/modifier/",
        manage.editor.activity_edit,
        name="manage_activity_edit",
    ),
    path(
        "gestion/contenu/activites/<id:pk>/deplacer/",
        manage.editor.activity_move,
        name="manage_activity_move",
    ),
    path(
        "gestion/contenu/activites/<id:pk>/supprimer/",
        manage.editor.activity_delete,
        name="manage_activity_delete",
    ),
]

# « Étape terminée » (views/steps.py): a participant ticks the steps of their session's content;
# the session's trainers and tutors see which steps each participant ticked.
from .views import steps  # noqa: E402

urlpatterns += [
    path("mes-sessions/etapes/<id:pk>/terminee/", steps.step_done, name="step_done"),
    path("<id:pk>/gestion/etapes/", steps.steps_table, name="manage_steps"),
]
