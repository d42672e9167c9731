"""Pages of the taskreports app (mounted at /taskreports/ by config/urls.py)."""

from django.urls import path

from . import views

app_name = "taskreports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path(
        "<int:plan_id>/<str:group>/<int:agency_id>/<int:year>/<str:period>/",
        views.report_page,
        name="report",
    ),
    path("reports/<int:pk>/submit/", views.report_submit, name="submit"),
]
