"""API endpoints of the enforcement app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("violations", api.ViolationList.as_view(), name="violations"),
    path("violations/<int:pk>", api.ViolationDetail.as_view(), name="violation"),
    path("sanctions", api.SanctionList.as_view(), name="sanctions"),
    path("sanctions/<int:pk>", api.SanctionDetail.as_view(), name="sanction"),
]
