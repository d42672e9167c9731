"""The case files' pages (views_cases.py, views_rings.py)."""

from __future__ import annotations

from django.urls import path

from . import views_cases, views_document, views_rings

app_name = "cases"
urlpatterns = [
    path("", views_cases.case_list, name="list"),
    path("<int:pk>/", views_cases.case_detail, name="detail"),
    path("rings/", views_rings.ring_list, name="rings"),
    path("rings/<int:pk>/", views_rings.ring_detail, name="ring"),
    path("summary/", views_document.summary, name="summary"),
]
