"""Pages of the support app (mounted at /support/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "support"
urlpatterns: list = []
