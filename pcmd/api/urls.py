from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from config.urls_apps import REGISTER_APPS

from . import views

app_name = "api"
urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="token"),
    path("auth/logout", views.LogoutView.as_view(), name="logout"),
    path("me", views.Me.as_view(), name="me"),
    path("users", views.UserList.as_view(), name="users"),
    path("users/<int:pk>/revoke-tokens", views.RevokeTokens.as_view(), name="revoke_tokens"),
    path("audit", views.AuditList.as_view(), name="audit"),
    path("units", views.UnitList.as_view(), name="units"),
    path("units/<str:code>", views.UnitDetail.as_view(), name="unit"),
    path("agencies", views.AgencyList.as_view(), name="agencies"),
    path("", include("pcmd.indicators.api_urls")),
    path("", include("pcmd.people.api_urls")),
    path("", include("pcmd.cases.api_urls")),
    path("", include("pcmd.plans.api_urls")),
    path("", include("pcmd.national.api_urls")),
    *[path("", include(f"pcmd.{app}.api_urls")) for app in REGISTER_APPS],
    path("openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[]), name="schema"),
]
