"""Pages of the document proposal: /plans/import/ (upload or paste) and its review."""

from __future__ import annotations

from django.urls import path

from . import views_proposal

urlpatterns = [
    path("import/", views_proposal.proposal_new, name="proposal-new"),
    path("import/<int:pk>/", views_proposal.proposal_review, name="proposal"),
]
