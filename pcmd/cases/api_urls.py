"""API endpoints of criminal cases and rings (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("cases", api.CaseList.as_view(), name="cases"),
    path("cases/<int:pk>", api.CaseDetail.as_view(), name="case"),
    path("cases/<int:pk>/steps", api.CaseSteps.as_view(), name="case_steps"),
    path("cases/<int:pk>/decisions", api.CaseDecisions.as_view(), name="case_decisions"),
    path("cases/<int:pk>/extension", api.CaseExtension.as_view(), name="case_extension"),
    path("cases/<int:pk>/resume", api.CaseResume.as_view(), name="case_resume"),
    path("cases/<int:pk>/parties", api.CaseParties.as_view(), name="case_parties"),
    path(
        "cases/<int:pk>/parties/<int:party_id>",
        api.CasePartyDetail.as_view(),
        name="case_party",
    ),
    path("cases/<int:pk>/trial", api.CaseTrial.as_view(), name="case_trial"),
    path("rings", api.RingList.as_view(), name="rings"),
    path("rings/<int:pk>", api.RingDetail.as_view(), name="ring"),
    path("rings/<int:pk>/members", api.RingMembers.as_view(), name="ring_members"),
    path(
        "rings/<int:pk>/members/<int:member_id>",
        api.RingMemberDetail.as_view(),
        name="ring_member",
    ),
    path("offences", api.OffenceList.as_view(), name="offences"),
    path("case-deadlines", api.DeadlineList.as_view(), name="case_deadlines"),
]
