"""API endpoints of the support app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api, api_cases

urlpatterns = [
    path("support-counts", api.SupportCountList.as_view(), name="support-counts"),
    path("support-counts/<int:pk>", api.SupportCountDetail.as_view(), name="support-count"),
    # support cases (issue 13)
    path("support-cases", api_cases.SupportCaseList.as_view(), name="support-cases"),
    path("support-cases/<int:pk>", api_cases.SupportCaseDetail.as_view(), name="support-case"),
    path(
        "support-cases/<int:pk>/transfer",
        api_cases.SupportCaseTransfer.as_view(),
        name="support-case-transfer",
    ),
    path(
        "support-cases/<int:pk>/close",
        api_cases.SupportCaseClose.as_view(),
        name="support-case-close",
    ),
    path(
        "support-cases/<int:pk>/reopen",
        api_cases.SupportCaseReopen.as_view(),
        name="support-case-reopen",
    ),
    path(
        "support-cases/<int:pk>/assessments",
        api_cases.SupportCaseAssessments.as_view(),
        name="support-case-assessments",
    ),
    path(
        "support-cases/<int:pk>/goals",
        api_cases.SupportCaseGoals.as_view(),
        name="support-case-goals",
    ),
    path(
        "support-cases/<int:pk>/goals/<int:goal_id>",
        api_cases.SupportCaseGoal.as_view(),
        name="support-case-goal",
    ),
    path(
        "support-cases/<int:pk>/services",
        api_cases.SupportCaseServices.as_view(),
        name="support-case-services",
    ),
    path(
        "support-cases/<int:pk>/referrals",
        api_cases.SupportCaseReferrals.as_view(),
        name="support-case-referrals",
    ),
    path(
        "support-cases/<int:pk>/follow-ups",
        api_cases.SupportCaseFollowUps.as_view(),
        name="support-case-follow-ups",
    ),
    path(
        "service-referrals/<int:pk>/answer",
        api_cases.ServiceReferralAnswer.as_view(),
        name="service-referral-answer",
    ),
    path(
        "service-referrals/<int:pk>/feedback",
        api_cases.ServiceReferralFeedback.as_view(),
        name="service-referral-feedback",
    ),
    path("service-types", api_cases.ServiceTypeList.as_view(), name="service-types"),
]
