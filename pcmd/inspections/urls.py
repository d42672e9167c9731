"""Pages of the inspections app (mounted at /inspections/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "inspections"
urlpatterns: list = []
