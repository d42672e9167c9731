"""Pages of the person layer: privacy (included by pcmd/people/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
