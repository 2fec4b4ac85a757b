from django.urls import path

from . import views

app_name = "virtualclasses"

# Mounted under /sessions/ (config/urls.py) next to the training app's URLs.
urlpatterns = [
    path("<id:pk>/classes-virtuelles/", views.session_rooms, name="session"),
    path("classes-virtuelles/reunions/<id:pk>/", views.meeting_room, name="meeting"),
    path("classes-virtuelles/activites/<id:pk>/", views.activity_room, name="activity"),
    path("classes-virtuelles/<id:pk>/", views.room, name="room"),
    path("classes-virtuelles/<id:pk>/rejoindre/", views.join, name="join"),
    path("classes-virtuelles/<id:pk>/reglages/", views.room_settings, name="settings"),
    path(
        "classes-virtuelles/enregistrements/<id:pk>/supprimer/",
        views.recording_delete,
        name="recording_delete",
    ),
    path("classes-virtuelles/rappels/fin/<str:token>/", views.end_callback, name="end_callback"),
    path(
        "classes-virtuelles/rappels/enregistrement/",
        views.recording_callback,
        name="recording_callback",
    ),
]
