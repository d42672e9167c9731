"""Support case pages (helper spages)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
