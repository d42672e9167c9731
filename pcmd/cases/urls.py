"""The case files' pages (views_cases.py, views_steps.py, views_persons.py, views_rings.py)."""

from __future__ import annotations

from django.urls import path

from . import views_cases, views_document, views_persons, views_rings, views_steps
from .views_reconcile import reconciliation

app_name = "cases"
urlpatterns = [
    path("", views_cases.case_list, name="list"),
    path("new/", views_cases.case_create, name="create"),
    path("<int:pk>/", views_cases.case_detail, name="detail"),
    path("<int:pk>/edit/", views_cases.case_edit, name="edit"),
    path("<int:pk>/decide/", views_steps.case_decide, name="decide"),
    path("<int:pk>/extend/", views_steps.case_extend, name="extend"),
    path("<int:pk>/resume/", views_steps.case_resume, name="resume"),
    path("<int:pk>/trial/", views_steps.case_trial, name="trial"),
    path("<int:pk>/persons/add/", views_persons.party_add, name="party_add"),
    path("<int:pk>/persons/<int:party_pk>/", views_persons.party_change, name="party_change"),
    path(
        "<int:pk>/persons/<int:party_pk>/remove/",
        views_persons.party_remove,
        name="party_remove",
    ),
    path("rings/", views_rings.ring_list, name="rings"),
    path("rings/new/", views_rings.ring_create, name="ring_create"),
    path("rings/<int:pk>/", views_rings.ring_detail, name="ring"),
    path("reconciliation/", reconciliation, name="reconcile"),
    path("rings/<int:pk>/edit/", views_rings.ring_edit, name="ring_edit"),
    path("rings/<int:pk>/members/add/", views_persons.member_add, name="member_add"),
    path(
        "rings/<int:pk>/members/<int:member_pk>/remove/",
        views_persons.member_remove,
        name="member_remove",
    ),
    path("summary/", views_document.summary, name="summary"),
]
