"""Pages of the hotspots app (mounted at /hotspots/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "hotspots"
urlpatterns: list = []
