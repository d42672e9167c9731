"""API endpoints of the taskreports app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("task-reports", api.TaskReportList.as_view(), name="task-reports"),
    path("task-reports/<int:pk>", api.TaskReportDetail.as_view(), name="task-report"),
]
