"""Pages of the inspections app (mounted at /inspections/ by config/urls.py)."""

from django.urls import path, re_path

from . import exports, views, views_teams

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", exports.inspection_export, name="export"),
    path("new/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/delete/", views.inspection_delete, name="delete"),
    path("<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("teams/", views_teams.team_list, name="teams"),
    path("teams/new/", views_teams.team_create, name="team_create"),
    path("teams/<int:pk>/", views_teams.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views_teams.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", views_teams.member_add, name="member_add"),
    path("teams/<int:pk>/members/<int:member_id>/end/", views_teams.member_end, name="member_end"),
    path("teams/<int:team_id>/plans/new/", views_teams.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views_teams.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views_teams.plan_edit, name="plan_edit"),
    path("next/", views_teams.risk_next, name="risk"),
    path("next/weights/", views_teams.weights_edit, name="weights"),
    path("tips/", views_teams.tip_list, name="tips"),
    path("tips/new/", views_teams.tip_create, name="tip_create"),
    path("checklist/", views_teams.finding_items, name="finding_items"),
    path("checklist/new/", views_teams.finding_item_edit, name="finding_item_create"),
    path("checklist/<int:pk>/", views_teams.finding_item_edit, name="finding_item"),
]
