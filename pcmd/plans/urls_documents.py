"""URL routes of one part of the plans app (see pcmd/plans/urls.py): the plan as a document and
the annual review report (:mod:`pcmd.plans.views_documents`)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from . import views_documents as views

urlpatterns: list[Any] = [
    path("<int:pk>/document.docx", views.plan_document, {"fmt": "docx"}, name="document_docx"),
    path("<int:pk>/document.pdf", views.plan_document, {"fmt": "pdf"}, name="document_pdf"),
    path("<int:pk>/review.docx", views.review, {"fmt": "docx"}, name="review_docx"),
    path("<int:pk>/review.pdf", views.review, {"fmt": "pdf"}, name="review_pdf"),
]
