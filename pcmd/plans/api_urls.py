"""API routes of plans: plans, versions, targets, tasks (api_urls_plans) and the document
upload and proposal (api_urls_proposal)."""

from django.urls import include, path

from .api_progress import PlanProgress

urlpatterns = [
    path("plans/<int:pk>/progress", PlanProgress.as_view(), name="plan_progress"),
    path("", include("pcmd.plans.api_urls_plans")),
    path("", include("pcmd.plans.api_urls_proposal")),
]
