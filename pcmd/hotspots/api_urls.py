"""API endpoints of the hotspots app (mounted under /api/v1/ by pcmd/api/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("hotspots", api.HotspotList.as_view(), name="hotspots"),
    path("hotspots/<int:pk>", api.HotspotDetail.as_view(), name="hotspot"),
    path("hotspots/<int:pk>/status", api.HotspotStatusView.as_view(), name="hotspot_status"),
    path("patrols", api.PatrolList.as_view(), name="patrols"),
    path("patrols/<int:pk>", api.PatrolDetail.as_view(), name="patrol"),
]
