from django.urls import path

from . import views

app_name = "hr"

urlpatterns = [
    path("", views.imports, name="imports"),
    path("imports/<id:pk>/", views.import_detail, name="import"),
    path("imports/<id:pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("imports/<id:pk>/recalculer/", views.import_refresh, name="import_refresh"),
    path("imports/<id:pk>/abandonner/", views.import_cancel, name="import_cancel"),
    path("imports/<id:pk>/retirer/", views.import_confirm_removals, name="import_removals"),
    path("sessions-gaia/", views.hr_sessions, name="hr_sessions"),
    path("sessions-gaia/<id:pk>/creer/", views.create_from_hr, name="create_from_hr"),
    path("session/<id:pk>/liens/", views.session_links, name="session_links"),
    path("liens/<id:pk>/regler/", views.link_settings, name="link_settings"),
    path("liens/<id:pk>/delier/", views.unlink, name="unlink"),
    path("liens/<id:pk>/presences.csv", views.attendance_export, name="attendance_export"),
    path(
        "liens/<id:pk>/presences.xlsx", views.attendance_export_xlsx, name="attendance_export_xlsx"
    ),
]
