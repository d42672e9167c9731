from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", two_factor.verify, name="two_factor_verify"),
    path("account/", two_factor.account, name="account"),
    path("account/two-factor/", two_factor.enrol, name="two_factor_enrol"),
    path("account/two-factor/codes/", two_factor.recovery_codes, name="two_factor_codes"),
    path("account/two-factor/codes/new/", two_factor.renew_codes, name="two_factor_renew"),
    path("users/<int:pk>/two-factor/reset/", two_factor.reset, name="two_factor_reset"),
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
