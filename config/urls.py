from django.urls import include, path, re_path

from pcmd.api.errors import api_not_found
from pcmd.core.health import healthz

from .urls_apps import REGISTER_APPS

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("pcmd.api.urls")),
    re_path(r"^api/", api_not_found),  # the JSON 404, also when DEBUG shows Django's page
    path("dashboard/", include("pcmd.dashboard.urls")),
    path("people/", include("pcmd.people.urls")),
    path("cases/", include("pcmd.cases.urls")),
    path("plans/", include("pcmd.plans.urls")),
    path("national/", include("pcmd.national.urls")),
    path("imports/", include("pcmd.web.urls_jobs")),
    *[path(f"{app}/", include(f"pcmd.{app}.urls")) for app in REGISTER_APPS],
    path("", include("pcmd.home.urls")),
    path("", include("pcmd.web.urls")),
]

# Errors: the JSON error under /api/, the site's pages (Vietnamese by default) elsewhere.
handler400 = "pcmd.api.errors.bad_request"
handler403 = "pcmd.api.errors.permission_denied"
handler404 = "pcmd.api.errors.page_not_found"
handler500 = "pcmd.api.errors.server_error"
