"""Pages of the person layer: persons (included by pcmd/people/urls.py)."""

from django.urls import URLPattern, path

from . import views_persons as v

urlpatterns: list[URLPattern] = [
    path("", v.person_find, name="find"),
    path("new/", v.person_new, name="new"),
    path("<int:pk>/", v.person_detail, name="detail"),
    path("<int:pk>/edit/", v.person_edit, name="edit"),
    path("<int:pk>/merge/", v.person_merge, name="merge"),
    path("merges/", v.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", v.merge_undo, name="merge_undo"),
    path("reads/user/<int:pk>/", v.user_reads, name="user_reads"),
]
