"""API endpoints of the support app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("support-counts", api.SupportCountList.as_view(), name="support-counts"),
    path("support-counts/<int:pk>", api.SupportCountDetail.as_view(), name="support-count"),
]
