"""Pages of the outreach app (mounted at /outreach/ by config/urls.py)."""

from django.urls import path

from . import training_views as tv
from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="activity_new"),
    path("import/", views.activity_import, name="activity_import"),
    path("<int:pk>/", views.activity_detail, name="activity"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("trainings/", tv.training_list, name="trainings"),
    path("trainings/new/", tv.training_new, name="training_new"),
    path("trainings/<int:pk>/", tv.training_detail, name="training"),
    path("trainings/<int:pk>/edit/", tv.training_edit, name="training_edit"),
    path("trainings/<int:pk>/delete/", tv.training_delete, name="training_delete"),
    path("trainings/<int:pk>/participants/", tv.participant_add, name="participant_add"),
    path(
        "trainings/<int:pk>/participants/import/", tv.participant_import, name="participant_import"
    ),
    path("participants/<int:pk>/remove/", tv.participant_remove, name="participant_remove"),
    path("officers/", tv.officer_list, name="officers"),
    path("officers/new/", tv.officer_new, name="officer_new"),
    path("officers/import/", tv.officer_import, name="officer_import"),
    path("officers/<int:pk>/", tv.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/delete/", tv.officer_delete, name="officer_delete"),
]
