from django.urls import path

from . import api

urlpatterns = [
    path("national/figures", api.NationalFigures.as_view(), name="api-national-figures"),
    path(
        "national/completeness",
        api.NationalCompleteness.as_view(),
        name="api-national-completeness",
    ),
]
