"""API routes of plans: plans, versions, targets, tasks (api_urls_plans) and the document
upload and proposal (api_urls_proposal)."""

from django.urls import include, path

urlpatterns = [
    path("", include("pcmd.plans.api_urls_plans")),
    path("", include("pcmd.plans.api_urls_proposal")),
]
