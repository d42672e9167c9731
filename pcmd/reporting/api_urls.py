"""API endpoints of the reporting app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("report-forms", api.ReportFormList.as_view(), name="report-forms"),
    path("report-forms/<int:pk>", api.ReportFormDetail.as_view(), name="report-form"),
    path("submissions", api.SubmissionList.as_view(), name="submissions"),
    path("submissions/<int:pk>", api.SubmissionDetail.as_view(), name="submission"),
    path("submissions/<int:pk>/submit", api.SubmitSubmission.as_view(), name="submission-submit"),
    path(
        "submissions/<int:pk>/approve", api.ApproveSubmission.as_view(), name="submission-approve"
    ),
    path("submissions/<int:pk>/return", api.ReturnSubmission.as_view(), name="submission-return"),
    path(
        "submissions/<int:pk>/document.<str:fmt>",
        api.SubmissionDocument.as_view(),
        name="submission-document",
    ),
    path("completeness", api.Completeness.as_view(), name="completeness"),
]
