"""The person layer's API (mounted under /api/v1/ by pcmd.api.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
