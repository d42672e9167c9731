"""API endpoints of the outreach app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("activities", api.ActivityList.as_view(), name="activities"),
    path("activities/<int:pk>", api.ActivityDetail.as_view(), name="activity"),
    path("trainings", api.TrainingList.as_view(), name="trainings"),
    path("trainings/<int:pk>", api.TrainingDetail.as_view(), name="training"),
    path("training-participants", api.ParticipantList.as_view(), name="training-participants"),
    path("officers", api.OfficerList.as_view(), name="officers"),
    path("officers/<int:pk>", api.OfficerDetail.as_view(), name="officer"),
]
