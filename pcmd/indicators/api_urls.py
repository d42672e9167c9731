"""Indicator and plan-progress endpoints, included by ``pcmd.api.urls`` (by name, so the
shared API app does not import indicators)."""

from django.urls import path

from . import api

urlpatterns = [
    path("indicators", api.IndicatorList.as_view(), name="indicators"),
    path("indicators/<slug:code>/values", api.IndicatorValues.as_view(), name="indicator_values"),
]
