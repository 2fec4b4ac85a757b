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
    path("offre/<int:pk>/", participant.offre_session, name="offre_session"),
    path("offre/<int:pk>/inscription/", participant.enrol, name="enrol"),
    path("mes-sessions/", participant.my_sessions, name="my_sessions"),
    path("mes-sessions/<int:pk>/", participant.participant_session, name="participant_session"),
    path("mes-sessions/<int:pk>/quitter/", participant.leave, name="leave"),
    path("agenda/", participant.agenda, name="agenda"),
    path("agenda/renouveler/", participant.agenda_renew, name="agenda_renew"),
    path("agenda/<slug:token>.ics", calendar_feed.calendar_feed, name="calendar_feed"),
]

# Attendance, signing sheets, attestation, certificates (views/attendance.py), and the public
# verification of a certificate's code (views/public.py).
from .views import attendance, public  # noqa: E402

urlpatterns += [
    path("reunions/<int:pk>/presences/", attendance.attendance, name="attendance"),
    path(
        "reunions/<int:pk>/presences/tous-presents/",
        attendance.attendance_all_present,
        name="attendance_all_present",
    ),
    path("reunions/<int:pk>/emargement.pdf", attendance.signing_sheet, name="signing_sheet"),
    path("<int:pk>/attestation/", attendance.attestation, name="attestation"),
    path(
        "inscriptions/<int:pk>/attestation/retirer/",
        attendance.withdraw_attestation,
        name="withdraw_attestation",
    ),
    path("inscriptions/<int:pk>/attestation.pdf", attendance.certificate, name="certificate"),
    path("verifier/", public.verify_certificate, name="verify"),
    path("verifier/<str:code>/", public.verify_certificate, name="verify_code"),
]

# Organisers (views/manage.py): "Mes sessions", creation from a parcours, the session page
# (team, calendar, participants, settings), enrolment by list or CSV, opening, closing,
# archiving, and the adaptation of the session's copy of the content.
from .views import manage  # noqa: E402

urlpatterns += [
    path("gestion/", manage.session_list, name="manage_list"),
    path("gestion/deployer/<int:parcours_pk>/", manage.session_create, name="manage_create"),
    path("<int:pk>/gestion/", manage.session_detail, name="manage"),
    path("<int:pk>/gestion/parametres/", manage.session_settings, name="manage_settings"),
    path("<int:pk>/gestion/equipe/", manage.staff_add, name="manage_staff_add"),
    path("gestion/equipe/<int:pk>/retirer/", manage.staff_remove, name="manage_staff_remove"),
    path("<int:pk>/gestion/reunions/ajouter/", manage.meeting_add, name="manage_meeting_add"),
    path("gestion/reunions/<int:pk>/modifier/", manage.meeting_edit, name="manage_meeting_edit"),
    path(
        "gestion/reunions/<int:pk>/supprimer/", manage.meeting_delete, name="manage_meeting_delete"
    ),
    path("<int:pk>/gestion/periodes/ajouter/", manage.window_add, name="manage_window_add"),
    path("gestion/periodes/<int:pk>/modifier/", manage.window_edit, name="manage_window_edit"),
    path("gestion/periodes/<int:pk>/supprimer/", manage.window_delete, name="manage_window_delete"),
    path("<int:pk>/gestion/inscrire/", manage.enrol, name="manage_enrol"),
    path("<int:pk>/gestion/inscrire/choisir/", manage.enrol_pick, name="manage_enrol_pick"),
    path("<int:pk>/gestion/inscrire/confirmer/", manage.enrol_confirm, name="manage_enrol_confirm"),
    path("gestion/inscriptions/<int:pk>/desinscrire/", manage.unenrol, name="manage_unenrol"),
    path("<int:pk>/gestion/ouvrir/", manage.session_open, name="manage_open"),
    path("<int:pk>/gestion/clore/", manage.session_close, name="manage_close"),
    path("<int:pk>/gestion/archiver/", manage.session_archive, name="manage_archive"),
    # The session's copy of the content, with the parcours editor.
    path("<int:pk>/gestion/contenu/", manage.editor.content, name="manage_content"),
    path(
        "<int:pk>/gestion/contenu/sections/", manage.editor.section_add, name="manage_section_add"
    ),
    path(
        "gestion/contenu/sections/<int:pk>/renommer/",
        manage.editor.section_rename,
        name="manage_section_rename",
    ),
    path(
        "gestion/contenu/sections/<int:pk>/deplacer/",
        manage.editor.section_move,
        name="manage_section_move",
    ),
    path(
        "gestion/contenu/sections/<int:pk>/supprimer/",
        manage.editor.section_delete,
        name="manage_section_delete",
    ),
    path(
        "gestion/contenu/sections/<int:pk>/ajouter/<slug:kind>/",
        manage.editor.activity_add,
        name="manage_activity_add",
    ),
    path(
        "gestion/contenu/activites/<int:pk>/modifier/",
        manage.editor.activity_edit,
        name="manage_activity_edit",
    ),
    path(
        "gestion/contenu/activites/<int:pk>/deplacer/",
        manage.editor.activity_move,
        name="manage_activity_move",
    ),
    path(
        "gestion/contenu/activites/<int:pk>/supprimer/",
        manage.editor.activity_delete,
        name="manage_activity_delete",
    ),
]
