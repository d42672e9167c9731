"""The home page (mounted at / by config/urls.py, before the UI shell's pages)."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
