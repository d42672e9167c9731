from django.urls import path

from . import views_jobs

app_name = "imports"

urlpatterns = [
    path("<int:pk>/", views_jobs.job_page, name="job"),
    path("<int:pk>/status.json", views_jobs.job_status, name="status"),
    path("<int:pk>/problems.xlsx", views_jobs.job_problems, name="problems"),
]
