"""Pages of the taskreports app (mounted at /taskreports/ by config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "taskreports"
urlpatterns: list = []
