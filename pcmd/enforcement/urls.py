"""Pages of the enforcement app (mounted at /enforcement/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "enforcement"
urlpatterns: list = []
