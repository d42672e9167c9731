"""Pages of the communes app (mounted at /communes/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "communes"
urlpatterns: list = []
