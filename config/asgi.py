"""The ASGI application: Django's pages over HTTP and the alarms' live channel over WebSocket (Django Channels).

`make run` serves it with uvicorn; production serves HTTP with gunicorn (WSGI) and the WebSocket path /ws/ with
uvicorn behind the same nginx (deploy/), or all of it with uvicorn.
"""

from config.settings import use_default_settings
from config.startup import refuse_misconfigured_start

use_default_settings()

from django.core.asgi import get_asgi_application  # noqa: E402 - settings first

django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs the apps loaded above
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from alarms.live import serve_pages_here  # noqa: E402
from alarms.routing import websocket_urlpatterns  # noqa: E402

serve_pages_here()

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # Only pages of our own hosts may open the live channel (a cross-site page would ride the session cookie).
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

refuse_misconfigured_start()
