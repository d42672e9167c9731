"""Pages of the person layer: emergency access and the review queue (included by
pcmd/people/urls.py)."""

from django.urls import URLPattern, path

from . import views_access

urlpatterns: list[URLPattern] = [
    path("emergency/<int:pk>/", views_access.emergency_access, name="emergency"),
    path("review/", views_access.review_queue, name="review"),
    path("review/<int:pk>/", views_access.review, name="review_exception"),
]
