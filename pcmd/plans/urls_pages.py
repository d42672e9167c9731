"""Plan pages: list, detail, workflow, comments, versions, copy and the draft editor."""

from __future__ import annotations

from django.urls import path

from . import views_edit, views_pages, views_versions

urlpatterns = [
    path("", views_pages.plan_list, name="list"),
    path("<int:pk>/", views_pages.plan_detail, name="detail"),
    path("<int:pk>/comments/", views_pages.add_comment, name="comment"),
    path(
        "<int:pk>/comments/<int:comment_id>/resolve/",
        views_pages.resolve_comment,
        name="resolve_comment",
    ),
    path("<int:pk>/submit/", views_pages.submit, name="submit"),
    path("<int:pk>/send-back/", views_pages.send_back, name="send_back"),
    path("<int:pk>/issue/", views_pages.issue, name="issue"),
    path("<int:pk>/close/", views_pages.close, name="close"),
    path("<int:pk>/delete/", views_pages.delete, name="delete"),
    path("<int:pk>/versions/", views_versions.version_list, name="versions"),
    path("<int:pk>/versions/compare/", views_versions.version_compare, name="compare"),
    path("<int:pk>/versions/<int:number>/", views_versions.version_detail, name="version"),
    path("<int:pk>/copy/", views_edit.copy, name="copy"),
    path("<int:pk>/edit/", views_edit.edit, name="edit"),
    path("<int:pk>/edit/header/", views_edit.edit_header, name="edit_header"),
    path("<int:pk>/edit/<slug:part>/lines/", views_edit.edit_lines, name="edit_lines"),
    path("<int:pk>/edit/<slug:part>/new/", views_edit.edit_row, name="add_row"),
    path("<int:pk>/edit/<slug:part>/<str:ident>/", views_edit.edit_row, name="edit_row"),
    path(
        "<int:pk>/edit/<slug:part>/<str:ident>/delete/",
        views_edit.delete_row,
        name="delete_row",
    ),
]
