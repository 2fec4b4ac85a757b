from django.urls import path

from . import views

app_name = "logbook"

# Mounted at the root (config/urls.py): the teacher's carnet under /carnet/, a session's
# shared entries next to the session's other pages.
urlpatterns = [
    path("carnet/", views.logbook, name="list"),
    path("carnet/nouvelle-entree/", views.entry_new, name="entry_new"),
    path("carnet/entrees/<id:pk>/", views.entry, name="entry"),
    path("carnet/entrees/<id:pk>/modifier/", views.entry_edit, name="entry_edit"),
    path("carnet/entrees/<id:pk>/supprimer/", views.entry_delete, name="entry_delete"),
    path("carnet/entrees/<id:pk>/valoriser/", views.entry_share, name="entry_share"),
    path("carnet/entrees/<id:pk>/ne-plus-valoriser/", views.entry_unshare, name="entry_unshare"),
    path("carnet/pieces-jointes/<id:pk>/", views.attachment, name="attachment"),
    path("carnet/portfolio/", views.portfolio, name="portfolio"),
    path("carnet/portfolio/pdf/", views.portfolio_pdf, name="portfolio_pdf"),
    path("sessions/<id:pk>/carnets-valorises/", views.session_shared, name="session_shared"),
]
