"""Pages of the enforcement app (mounted at /enforcement/ by config/urls.py)."""

from django.urls import path

from . import views, views_persons

app_name = "enforcement"
urlpatterns = [
    path("", views.violation_list, name="list"),
    path("new/", views.violation_create, name="violation_create"),
    path("<int:pk>/", views.violation_detail, name="violation"),
    path("<int:pk>/edit/", views.violation_edit, name="violation_edit"),
    path("<int:pk>/delete/", views.violation_delete, name="violation_delete"),
    path("<int:pk>/sanctions/new/", views.sanction_create, name="sanction_create"),
    path("sanctions/", views.sanction_list, name="sanctions"),
    path("sanctions/<int:pk>/edit/", views.sanction_edit, name="sanction_edit"),
    path("sanctions/<int:pk>/status/", views.sanction_status, name="sanction_status"),
    path(
        "sanctions/<int:pk>/persons/new/",
        views_persons.sanction_person_add,
        name="sanction_person_add",
    ),
    path(
        "sanctions/<int:pk>/persons/<int:person_pk>/remove/",
        views_persons.sanction_person_remove,
        name="sanction_person_remove",
    ),
    path("sanctions/export/", views_persons.sanction_export, name="sanction_export"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_create"),
    path("types/<int:pk>/", views.type_edit, name="type_edit"),
]
