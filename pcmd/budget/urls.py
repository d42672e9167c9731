"""Pages of the budget app (mounted at /budget/ by config/urls.py)."""

from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("", views.line_list, name="list"),
    path("new/", views.line_edit, name="new"),
    path("<int:pk>/", views.line_edit, name="edit"),
    path("<int:pk>/delete/", views.line_delete, name="delete"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
