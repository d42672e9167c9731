"""The receiving agency's side of service referrals (helper sreceive)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
