from django.urls import path

from . import views

app_name = "questionnaires"

# Mounted under /questionnaires/ (config/urls.py).
urlpatterns = [
    path("activites/<id:pk>/", views.activity, name="activity"),
    path("<id:pk>/repondre/", views.answer, name="answer"),
    path("<id:pk>/questions/", views.edit, name="edit"),
    path("questions/<id:pk>/supprimer/", views.question_delete, name="question_delete"),
    path("sessions/<id:pk>/questionnaire-de-fin/", views.closing, name="closing"),
    path("sessions/<id:pk>/mon-positionnement/", views.mine, name="mine"),
    path(
        "sessions/<id:pk>/mon-positionnement.svg",
        views.mine_download,
        {"fmt": "svg"},
        name="mine_svg",
    ),
    path(
        "sessions/<id:pk>/mon-positionnement.csv",
        views.mine_download,
        {"fmt": "csv"},
        name="mine_csv",
    ),
    path("sessions/<id:pk>/resultats/", views.session_results, name="session_results"),
    path("parcours/<id:pk>/resultats/", views.parcours_results, name="parcours_results"),
    path(
        "parcours/<id:pk>/resultats.csv",
        views.parcours_results_export,
        {"fmt": "csv"},
        name="parcours_results_csv",
    ),
    path(
        "parcours/<id:pk>/resultats.xlsx",
        views.parcours_results_export,
        {"fmt": "xlsx"},
        name="parcours_results_xlsx",
    ),
    path("territoire/", views.territory_results, name="territory"),
    path(
        "territoire/parcours/<id:pk>/",
        views.territory_parcours_results,
        name="territory_parcours",
    ),
]
