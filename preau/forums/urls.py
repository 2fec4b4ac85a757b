from django.urls import path

from . import views

app_name = "forums"

# Mounted under /sessions/ (config/urls.py) next to the training app's URLs.
urlpatterns = [
    path("<id:pk>/forums/", views.session_forums, name="session"),
    path("<id:pk>/forums/tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("forums/activites/<id:pk>/", views.activity_forum, name="activity"),
    path("forums/<id:pk>/", views.forum, name="forum"),
    path("forums/<id:pk>/nouvelle-discussion/", views.thread_new, name="thread_new"),
    path("forums/<id:pk>/suivre/", views.forum_follow, name="forum_follow"),
    path("forums/discussions/<id:pk>/", views.thread, name="thread"),
    path("forums/discussions/<id:pk>/repondre/", views.thread_reply, name="reply"),
    path("forums/discussions/<id:pk>/suivre/", views.thread_follow, name="thread_follow"),
    path("forums/discussions/<id:pk>/epingler/", views.thread_pin, name="thread_pin"),
    path("forums/discussions/<id:pk>/verrouiller/", views.thread_lock, name="thread_lock"),
    path("forums/messages/<id:pk>/", views.post, name="post"),
    path("forums/messages/<id:pk>/modifier/", views.post_edit, name="post_edit"),
    path("forums/messages/<id:pk>/supprimer/", views.post_delete, name="post_delete"),
    path("forums/messages/<id:pk>/masquer/", views.post_hide, name="post_hide"),
    path("forums/messages/<id:pk>/afficher/", views.post_unhide, name="post_unhide"),
    path("forums/messages/<id:pk>/piece-jointe/", views.post_attachment, name="attachment"),
    path("forums/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
