from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/", views.open_notification, name="open"),
    path("tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("e-mails/", views.email_preference, name="email_preference"),
    path("e-mails/arret/<str:token>/", views.forum_email_off, name="forum_email_off"),
]
