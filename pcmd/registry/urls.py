"""Pages of the registry app (mounted at /registry/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "registry"
urlpatterns: list = []
