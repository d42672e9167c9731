"""The supervision page of support cases (helper sfigures)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_supervision

urlpatterns: list[URLPattern] = [
    path("supervision/", views_supervision.supervision_page, name="supervision"),
]
