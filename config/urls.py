from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminLoginForm
from config.home import home

admin.site.site_header = _("Qorgau administration")
admin.site.site_title = _("Qorgau")
admin.site.index_title = _("Facilities, police posts, users and reference data")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("facilities/", include("facilities.urls")),
    path("incidents/", include("incidents.urls")),
    path("statistics/", include("analytics.urls")),
    path("admin/", admin.site.urls),
]
