"""URL routes of tracking across years (see pcmd/plans/urls.py): a target year by year
(``plans:tracking``) and a national programme traced into the provinces' plans
(``plans:trace``)."""

from __future__ import annotations

from django.urls import path

from . import views_tracking

urlpatterns = [
    path("tracking/", views_tracking.tracking, name="tracking"),
    path("<int:pk>/trace/", views_tracking.trace_page, name="trace"),
]
