"""Pages of the communes app (mounted at /communes/ by config/urls.py)."""

from django.urls import path

from . import views, views_templates

app_name = "communes"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("<int:commune_id>/<int:year>/", views.assessment_page, name="assessment"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("assessments/<int:pk>/review/", views.assessment_review, name="review"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("templates/", views_templates.template_list, name="templates"),
    path("templates/<int:pk>/", views_templates.template_detail, name="template"),
    path("templates/<int:pk>/edit/", views_templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/copy/", views_templates.template_copy, name="template_copy"),
    path("templates/<int:pk>/criteria/new/", views_templates.criterion_edit, name="criterion_new"),
    path(
        "templates/<int:pk>/criteria/<int:criterion_id>/",
        views_templates.criterion_edit,
        name="criterion_edit",
    ),
    path("templates/<int:pk>/classes/new/", views_templates.class_edit, name="class_new"),
    path(
        "templates/<int:pk>/classes/<int:class_id>/", views_templates.class_edit, name="class_edit"
    ),
    path(
        "templates/<int:pk>/<str:kind>/<int:part_id>/delete/",
        views_templates.part_delete,
        name="part_delete",
    ),
]
