from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminLoginForm
from accounts.views import push_subscriptions
from config.health import healthz, readyz
from config.home import home
from config.pwa import install_help, manifest, offline, service_worker, state

admin.site.site_header = _("Qorgau administration")
admin.site.site_title = _("Qorgau")
admin.site.index_title = _("Facilities, police posts, users and reference data")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # The installable app (config/pwa.py): the worker must be served from the root to control every page.
    path("sw.js", service_worker, name="pwa_service_worker"),
    path("manifest/<str:language>/<str:role>.webmanifest", manifest, name="pwa_manifest"),
    path("app/install/", install_help, name="pwa_install"),
    path("app/offline/", offline, name="pwa_offline"),
    path("app/state/", state, name="pwa_state"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    # Web Push subscriptions of the logged-in user's browsers (the service worker's subscribe script, issue 17).
    path("push/subscriptions/", push_subscriptions, name="push_subscriptions"),
    path("facilities/", include("facilities.urls")),
    path("incidents/", include("incidents.urls")),
    path("alarms/", include("alarms.urls")),
    path("statistics/", include("analytics.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

# A database outage answers 503 with our "temporarily unavailable" page (common/views.py).
handler400 = "common.views.bad_request"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
