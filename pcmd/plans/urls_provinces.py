"""URL routes of one part of the plans app (see pcmd/plans/urls.py): loading a province."""

from __future__ import annotations

from django.urls import path

from . import views_provinces

urlpatterns = [
    path("provinces/", views_provinces.province_list, name="provinces"),
]
