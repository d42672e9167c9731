"""Pages of plans: list and detail, drafting and issue (urls_pages), documents (urls_documents),
a plan from a document (urls_proposal), tracking across years (urls_tracking) and loading a
province (urls_provinces)."""

from django.urls import include, path

app_name = "plans"
urlpatterns = [
    path("", include("pcmd.plans.urls_pages")),
    path("", include("pcmd.plans.urls_documents")),
    path("", include("pcmd.plans.urls_proposal")),
    path("", include("pcmd.plans.urls_tracking")),
    path("", include("pcmd.plans.urls_provinces")),
]
