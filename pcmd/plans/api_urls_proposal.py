"""API routes of the document proposal (mounted under /api/v1/ by pcmd/plans/api_urls.py)."""

from __future__ import annotations

from django.urls import path

from . import api_proposal

urlpatterns = [
    path("plan-proposals", api_proposal.ProposalCreate.as_view(), name="plan-proposals"),
    path("plan-proposals/<int:pk>", api_proposal.ProposalDetail.as_view(), name="plan-proposal"),
    path(
        "plan-proposals/<int:pk>/accept",
        api_proposal.ProposalAccept.as_view(),
        name="plan-proposal-accept",
    ),
]
