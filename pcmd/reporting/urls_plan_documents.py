"""The plan's documents, routed under /plans/ in the plans namespace (included by name from
pcmd/plans/urls_documents.py): ``plans:document_docx``, ``plans:document_pdf``,
``plans:review_docx`` (``?year=2018``) and ``plans:review_pdf``."""

from __future__ import annotations

from typing import Any

from django.urls import path

from .views import plan_documents as views

urlpatterns: list[Any] = [
    path("<int:pk>/document.docx", views.plan_document, {"fmt": "docx"}, name="document_docx"),
    path("<int:pk>/document.pdf", views.plan_document, {"fmt": "pdf"}, name="document_pdf"),
    path("<int:pk>/review.docx", views.review, {"fmt": "docx"}, name="review_docx"),
    path("<int:pk>/review.pdf", views.review, {"fmt": "pdf"}, name="review_pdf"),
]
