from django.urls import path

from . import consumers

# Served by the ASGI application (config/asgi.py); `<id:…>` is registered by preau.core.
websocket_urlpatterns = [
    path("ws/preparations/<id:pk>/", consumers.DocumentConsumer.as_asgi()),
]
