"""The site's URLs plus the benchmark's floors: ROOT_URLCONF under config.settings.bench only."""

from django.urls import path

from config.bench import views
from config.urls import handler400, handler500
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/ok", views.ok, name="bench_ok"),
    path("bench/empty", views.empty, name="bench_empty"),
    path("bench/submit/<int:template>", views.submit_floor, name="bench_submit"),
    # Under the API's prefix, so that every guard treats it as it treats the API (problem+json, no login redirect).
    path("api/v1/bench/ok", views.DRFFloor.as_view(), name="bench_api_ok"),
    *site_urlpatterns,
]

__all__ = ["handler400", "handler500", "urlpatterns"]
