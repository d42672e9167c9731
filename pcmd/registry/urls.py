"""Pages of the registry app (mounted at /registry/ by config/urls.py)."""

from django.urls import path, re_path

from . import exports, views, views_import

app_name = "registry"
urlpatterns = [
    path("", views.establishment_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", exports.establishment_export, name="export"),
    path("new/", views.establishment_create, name="create"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/problems.xlsx", views_import.import_problems, name="import_problems"),
    path("<int:pk>/", views.establishment_detail, name="detail"),
    path("<int:pk>/edit/", views.establishment_edit, name="edit"),
    path("<int:pk>/close/", views.establishment_close, name="close"),
    path("<int:pk>/delete/", views.establishment_delete, name="delete"),
    path("<int:pk>/licences/new/", views.licence_add, name="licence_add"),
    path("<int:pk>/licences/<int:licence_id>/", views.licence_edit, name="licence_edit"),
    path("<int:pk>/staff/new/", views.staff_count_add, name="staff_add"),
]
