from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("map/", views.map_view, name="map"),
    path("completeness/", views.completeness_view, name="completeness"),
    path("report.docx", views.report_docx, name="report"),
]
