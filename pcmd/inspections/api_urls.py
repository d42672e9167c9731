"""API endpoints of the inspections app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
