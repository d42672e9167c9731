"""API endpoints of the inspections app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("inspections", api.InspectionList.as_view(), name="inspections"),
    path("inspections/<int:pk>", api.InspectionDetail.as_view(), name="inspection"),
    path("teams", api.TeamList.as_view(), name="teams"),
    path("inspection-plans", api.PlanList.as_view(), name="inspection_plans"),
    path("risk", api.RiskRanking.as_view(), name="risk"),
]
