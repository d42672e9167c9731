"""The national API: every province's approved figures and the completeness of their
reports, as on the national pages (``national.view``; never a register or a draft)."""

from __future__ import annotations

from typing import Any

from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.api.common import capability, choice_param, choice_query, int_param, int_query
from pcmd.core.db_router import read_replica
from pcmd.reporting.models import PeriodType

from . import serializers as s
from .figures import (
    CAPABILITY,
    YEAR_MAX,
    YEAR_MIN,
    Figures,
    approved_figures,
    completeness,
    default_year,
)

KINDS = [PeriodType.YEAR.value, PeriodType.HALF.value]


def figures_data(figures: Figures) -> dict[str, Any]:
    return {
        "year": figures.year,
        "period": figures.period.code,
        "form": figures.form.code if figures.form is not None else None,
        "fields": [
            {
                "code": f.code,
                "name": f.label,
                "unit_label": f.unit_label,
                "indicator": f.indicator.code if f.indicator is not None else None,
                "share": f.share,
            }
            for f in figures.specs
        ],
        "provinces": [
            {
                "code": r.province.code,
                "name": r.province.name,
                "sources": r.sources,
                "approved_reports": r.reports,
                "figures": [
                    {"field": code, "value": fig.value, "text": fig.text, "parts": fig.parts}
                    for code, fig in r.figures.items()
                ],
            }
            for r in figures.rows
        ],
    }


def _year(request: Request) -> int:
    year = int_param(request, "year", minimum=YEAR_MIN, maximum=YEAR_MAX)
    return year if year is not None else default_year()


class NationalFigures(APIView):
    """Approved synthesis figures of every province of the 2025 map for a year (``period``:
    the annual report, or the first 6-month one). Small counts of people are "<5"."""

    permission_classes = [capability(CAPABILITY)]

    @extend_schema(
        parameters=[
            int_query("year", minimum=YEAR_MIN, maximum=YEAR_MAX),
            choice_query("period", KINDS),
        ],
        responses=s.NationalFiguresSerializer,
    )
    @method_decorator(read_replica)
    def get(self, request: Request) -> Response:
        year = _year(request)
        kind = choice_param(request, "period", KINDS) or PeriodType.YEAR
        data = figures_data(approved_figures(request.user, year, kind))
        return Response(s.NationalFiguresSerializer(data).data)


class NationalCompleteness(APIView):
    """Per province of the 2025 map: the state of each synthesis report owed in a year."""

    permission_classes = [capability(CAPABILITY)]

    @extend_schema(
        parameters=[int_query("year", minimum=YEAR_MIN, maximum=YEAR_MAX)],
        responses=s.NationalCompletenessSerializer,
    )
    @method_decorator(read_replica)
    def get(self, request: Request) -> Response:
        year = _year(request)
        table = completeness(request.user, year)
        data = {
            "year": year,
            "provinces": [
                {
                    "code": r.province.code,
                    "name": r.province.name,
                    "reports": [
                        {
                            "form": c.form.code,
                            "period": c.period.code,
                            "due": c.due,
                            "state": c.state,
                            "late": c.late,
                        }
                        for c in r.cells
                    ],
                }
                for r in table.rows
            ],
        }
        return Response(s.NationalCompletenessSerializer(data).data)
