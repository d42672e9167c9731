from django.urls import path

from . import boundaries, exports, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.map_view, name="map"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("boundaries/", boundaries.import_view, name="boundaries"),
]
