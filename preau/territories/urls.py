from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("departements/<str:code>/", views.departement_detail, name="departement"),
    path("circonscriptions/<str:code>/", views.circonscription_detail, name="circonscription"),
    path("ecoles/<str:uai>/", views.school_detail, name="school"),
]
