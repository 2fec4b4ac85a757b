from django.urls import path

from . import views

app_name = "hr"

urlpatterns = [
    path("", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/recalculer/", views.import_refresh, name="import_refresh"),
    path("imports/<int:pk>/abandonner/", views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/retirer/", views.import_confirm_removals, name="import_removals"),
    path("sessions-gaia/", views.hr_sessions, name="hr_sessions"),
    path("sessions-gaia/<int:pk>/creer/", views.create_from_hr, name="create_from_hr"),
    path("session/<int:pk>/liens/", views.session_links, name="session_links"),
    path("liens/<int:pk>/regler/", views.link_settings, name="link_settings"),
    path("liens/<int:pk>/delier/", views.unlink, name="unlink"),
    path("liens/<int:pk>/presences.csv", views.attendance_export, name="attendance_export"),
    path(
        "liens/<int:pk>/presences.xlsx", views.attendance_export_xlsx, name="attendance_export_xlsx"
    ),
]
