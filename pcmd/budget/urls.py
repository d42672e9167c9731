"""Pages of the budget app (mounted at /budget/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "budget"
urlpatterns: list = []
