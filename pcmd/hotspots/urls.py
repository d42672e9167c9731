"""Pages of the hotspots app (mounted at /hotspots/ by config/urls.py)."""

from django.urls import path, re_path

from . import exports, views

app_name = "hotspots"
urlpatterns = [
    path("", views.hotspot_list, name="list"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("new/", views.hotspot_create, name="create"),
    path("<int:pk>/", views.hotspot_detail, name="detail"),
    path("<int:pk>/edit/", views.hotspot_edit, name="edit"),
    path("<int:pk>/status/", views.hotspot_status, name="status"),
    path("<int:pk>/delete/", views.hotspot_delete, name="delete"),
    path("patrols/", views.patrol_list, name="patrols"),
    re_path(r"^patrols/export\.(?P<fmt>csv|xlsx)$", exports.patrol_export, name="patrol_export"),
    path("patrols/new/", views.patrol_create, name="patrol_create"),
    path("patrols/<int:pk>/edit/", views.patrol_edit, name="patrol_edit"),
]
