"""Pages of the person layer: consent and referrals (included by pcmd/people/urls.py)."""

from django.urls import URLPattern, path

from . import views_consent as views

urlpatterns: list[URLPattern] = [
    path("consent/<int:pk>/", views.consent_page, name="consent"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/<int:pk>/", views.referral_new, name="referral-new"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path(
        "referrals/<int:pk>/<str:step>/",
        views.referral_step,
        name="referral-step",
    ),
]
