"""Support case pages (helper spages): caseload, intake, the case page and its forms."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_case_page, views_cases

urlpatterns: list[URLPattern] = [
    path("cases/", views_cases.case_list, name="cases"),
    path("cases/new/", views_cases.case_new, name="case_new"),
    path("cases/<int:pk>/", views_case_page.case_detail, name="case"),
    path("cases/<int:pk>/<str:step>/", views_case_page.case_step, name="case_step"),
]
