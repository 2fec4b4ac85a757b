from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Préau — administration technique"
admin.site.site_title = "Préau"

urlpatterns = [
    path("", include("preau.portal.urls")),
    path("", include("preau.core.urls")),
    path("compte/", include("preau.accounts.urls")),
    path("piloter/", include("preau.territories.urls")),
    path("parcours/", include("preau.parcours.urls")),
    path("sessions/", include("preau.training.urls")),
    path("sessions/", include("preau.forums.urls")),
    path("sessions/", include("preau.virtualclasses.urls")),
    path("questionnaires/", include("preau.questionnaires.urls")),
    path("sessions/", include("preau.preparations.urls")),
    path("heures/", include("preau.hours.urls")),
    path("rh/", include("preau.hr.urls")),
    path("notifications/", include("preau.notifications.urls")),
    path("", include("preau.logbook.urls")),
    path("admin/", admin.site.urls),
]

# A form too big to read says so (and that nothing was saved); other bad requests, the 400 page.
handler400 = "preau.core.errors.bad_request"
# A database outage is a French 503 page with Retry-After, anything else the 500 page.
handler500 = "preau.core.errors.server_error"
