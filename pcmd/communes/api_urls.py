"""API endpoints of the communes app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("assessment-templates", api.TemplateList.as_view(), name="assessment-templates"),
    path("assessment-templates/<int:pk>", api.TemplateDetail.as_view(), name="assessment-template"),
    path("assessments", api.AssessmentList.as_view(), name="assessments"),
    path("assessments/<int:pk>", api.AssessmentDetail.as_view(), name="assessment"),
    path("assessments/<int:pk>/submit", api.AssessmentSubmit.as_view(), name="assessment-submit"),
    path(
        "assessments/<int:pk>/confirm", api.AssessmentConfirm.as_view(), name="assessment-confirm"
    ),
    path("assessments/<int:pk>/return", api.AssessmentReturn.as_view(), name="assessment-return"),
]
