"""The person layer's API (mounted under /api/v1/ by pcmd.api.urls)."""

from django.urls import URLPattern, path

from . import api_persons

urlpatterns: list[URLPattern] = [
    path("persons", api_persons.PersonList.as_view(), name="persons"),
    path("persons/<int:pk>", api_persons.PersonDetail.as_view(), name="person"),
]
