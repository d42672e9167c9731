"""The receiving agency's side of service referrals, and reappearances (helper sreceive)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_receive

urlpatterns: list[URLPattern] = [
    path("referrals/", views_receive.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views_receive.referral_detail, name="referral"),
    path(
        "reappearances/<int:pk>/seen/",
        views_receive.reappearance_seen,
        name="reappearance_seen",
    ),
]
