"""API endpoints of the budget app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("budget-lines", api.BudgetLineList.as_view(), name="budget-lines"),
    path("budget-lines/<int:pk>", api.BudgetLineDetail.as_view(), name="budget-line"),
]
