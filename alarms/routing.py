from django.urls import path

from alarms.consumers import AlarmConsumer

websocket_urlpatterns = [
    path("ws/alarms/", AlarmConsumer.as_asgi()),
]
