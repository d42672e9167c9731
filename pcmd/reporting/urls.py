"""Pages of the reporting app (mounted at /reporting/ by config/urls.py)."""

from django.urls import path

from .views import designer, inbox, submissions

app_name = "reporting"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("completeness/", inbox.completeness_page, name="completeness"),
    path("quality/", inbox.quality, name="quality"),
    path("below/", inbox.below, name="below"),
    path("remind/", inbox.remind, name="remind"),
    path("reminders/", inbox.reminders, name="reminders"),
    path("reminders/<int:pk>/read/", inbox.reminder_read, name="reminder_read"),
    path("reports/", submissions.submission_list, name="list"),
    path("reports/new/", submissions.start, name="start"),
    path("reports/<int:pk>/", submissions.detail, name="detail"),
    path("reports/<int:pk>/edit/", submissions.edit, name="edit"),
    path("reports/<int:pk>/submit/", submissions.submit, name="submit"),
    path("reports/<int:pk>/approve/", submissions.approve, name="approve"),
    path("reports/<int:pk>/return/", submissions.return_, name="return"),
    path("reports/<int:pk>/fill/", submissions.fill_from_below, name="fill"),
    path("reports/<int:pk>/redraft/", submissions.redraft, name="redraft"),
    path("reports/<int:pk>/import/", submissions.import_xlsx, name="import"),
    path("reports/<int:pk>/document.<str:fmt>", submissions.document, name="document"),
    path("forms/", designer.form_list, name="forms"),
    path("forms/<int:pk>/", designer.form_detail, name="form"),
    path("forms/<int:pk>/edit/", designer.form_edit, name="form_edit"),
]
