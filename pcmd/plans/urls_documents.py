"""URL routes of one part of the plans app (see pcmd/plans/urls.py): the plan as a Decree 30
document and its annual review report, ``plans:document_docx``, ``plans:document_pdf``,
``plans:review_docx`` and ``plans:review_pdf``.

The views live in the reporting app, which sits above plans (it reads plans, indicators and
task reports); the routes are included by name so that plans imports nothing of reporting
(tests/core/test_layering.py)."""

from __future__ import annotations

from typing import Any

from django.urls import include, path

urlpatterns: list[Any] = [path("", include("pcmd.reporting.urls_plan_documents"))]
