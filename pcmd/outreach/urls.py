"""Pages of the outreach app (mounted at /outreach/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "outreach"
urlpatterns: list = []
