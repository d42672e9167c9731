"""API endpoints of the registry app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("establishments", api.EstablishmentList.as_view(), name="establishments"),
    path("establishments/<int:pk>", api.EstablishmentDetail.as_view(), name="establishment"),
]
