from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("units/", views.unit_browser, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("agencies/", views.agency_list, name="agencies"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/roles/", views.assignment_add, name="assignment_add"),
    path(
        "users/<int:pk>/roles/<int:assignment_id>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("audit/", views.audit_log, name="audit"),
]
