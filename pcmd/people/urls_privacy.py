"""Pages of the person layer: privacy administration (included by pcmd/people/urls.py)."""

from django.urls import URLPattern, path

from . import views_privacy as v

urlpatterns: list[URLPattern] = [
    path("privacy/", v.privacy_home, name="privacy"),
    path("requests/", v.request_list, name="requests"),
    path("requests/new/", v.request_new, name="request-new"),
    path("requests/<int:pk>/", v.request_detail, name="request"),
    path("requests/<int:pk>/extend/", v.request_extend, name="request-extend"),
    path("requests/<int:pk>/erase/", v.request_erase, name="request-erase"),
    path("requests/<int:pk>/document.docx", v.request_document, name="request-document"),
    path("inventory/", v.inventory_page, name="inventory"),
    path("inventory/annex.docx", v.inventory_annex, name="inventory-annex"),
]
