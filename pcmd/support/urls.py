"""Pages of the support app (mounted at /support/ by config/urls.py)."""

from django.urls import path

from . import urls_cases, urls_receive, urls_supervision, views

app_name = "support"
urlpatterns = [
    *urls_cases.urlpatterns,
    *urls_receive.urlpatterns,
    *urls_supervision.urlpatterns,
    path("", views.support_list, name="list"),
    path("new/", views.support_new, name="new"),
    path("<int:pk>/", views.support_edit, name="edit"),
    path("<int:pk>/delete/", views.support_delete, name="delete"),
]
