"""API routes of plans (mounted under /api/v1/ through pcmd/plans/api_urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("plans", api.PlanList.as_view(), name="plans"),
    path("plans/<int:pk>", api.PlanDetail.as_view(), name="plan"),
    path("plans/<int:pk>/copy", api.PlanCopy.as_view(), name="plan_copy"),
    path("plans/<int:pk>/content", api.PlanContent.as_view(), name="plan_content"),
    path("plans/<int:pk>/targets", api.TargetList.as_view(), name="plan_targets"),
    path("plans/<int:pk>/targets/<str:code>", api.TargetDetail.as_view(), name="plan_target"),
    path("plans/<int:pk>/tasks", api.HeadingList.as_view(), name="plan_headings"),
    path("plans/<int:pk>/tasks/<str:number>", api.HeadingDetail.as_view(), name="plan_heading"),
    path("plans/<int:pk>/comments", api.CommentList.as_view(), name="plan_comments"),
    path(
        "plans/<int:pk>/comments/<int:cid>/resolve",
        api.CommentResolve.as_view(),
        name="plan_comment_resolve",
    ),
    path("plans/<int:pk>/submit", api.PlanSubmit.as_view(), name="plan_submit"),
    path("plans/<int:pk>/return", api.PlanReturn.as_view(), name="plan_return"),
    path("plans/<int:pk>/issue", api.PlanIssue.as_view(), name="plan_issue"),
    path("plans/<int:pk>/close", api.PlanClose.as_view(), name="plan_close"),
    path("plans/<int:pk>/versions", api.VersionList.as_view(), name="plan_versions"),
    path(
        "plans/<int:pk>/versions/<int:number>",
        api.VersionDetail.as_view(),
        name="plan_version",
    ),
]
