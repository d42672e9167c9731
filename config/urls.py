from django.urls import include, path

from .urls_apps import REGISTER_APPS

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("pcmd.api.urls")),
    path("dashboard/", include("pcmd.dashboard.urls")),
    *[path(f"{app}/", include(f"pcmd.{app}.urls")) for app in REGISTER_APPS],
    path("", include("pcmd.home.urls")),
    path("", include("pcmd.web.urls")),
]
