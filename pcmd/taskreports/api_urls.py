"""API endpoints of the taskreports app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
