"""A URLconf with a token URL that preau.core.log_masking has never heard of
(tests/core/test_log_masking.py: it is masked all the same)."""

from django.http import HttpResponse
from django.urls import include, path


def _view(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("", include("config.urls")),
    path("invitations/<str:token>/accepter/", _view, name="new_invitation"),
]
