"""``GET /api/v1/plans/<id>/progress``: every target of a plan, judged for a unit and period
with the dashboard's question parameters (pcmd.indicators.api)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.api.auth import AuthenticatedRequest
from pcmd.core.db_router import read_replica
from pcmd.geo.models import Unit
from pcmd.indicators.privacy import must_suppress, shown
from pcmd.indicators.question import PROGRESS_PARAMS, DashboardReader, api_question
from pcmd.indicators.refusals import note_body

from .models import Plan
from .progress import plan_progress


class PlanProgress(APIView):
    """Every target of a plan: value, goal and status for a unit and period."""

    permission_classes = [DashboardReader]

    @extend_schema(parameters=PROGRESS_PARAMS, responses=OpenApiTypes.OBJECT)
    @method_decorator(read_replica)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
        params = request.query_params.copy()
        if not params.get("period"):
            params["period"] = str(plan.period_start.year)
        # The stubs type GET as immutable; this copy of the parameters is the one read from now on.
        request._request.GET = params  # type: ignore[assignment]
        q = api_question(request)
        progress = plan_progress(
            plan,
            q["unit"],
            q["period"],
            by_children=True,
            mapping=q["mapping"],
            as_is_on=q["as_is_on"],
        )
        units = Unit.objects.in_bulk({uid for p in progress for uid in p.children})
        out = []
        for p in progress:
            suppress = must_suppress(p.indicator, request.user)
            out.append(
                {
                    "code": p.target.code,
                    "target": p.target.short,
                    "target_en": p.target.short_en,
                    "indicator": p.indicator.code if p.indicator else None,
                    "goal": p.goal_text,
                    "goal_mode": p.goal.mode,
                    "share": p.share,
                    "value": shown(p.value, suppress=suppress),
                    "status": p.status,
                    "status_label": p.status_label,
                    "extra": p.extra,
                    "children": [
                        {
                            "unit": units[uid].code,
                            "name": units[uid].name,
                            "value": shown(v, suppress=suppress),
                            "share": p.child_shares.get(uid),
                            "goal": p.child_goals[uid].text if uid in p.child_goals else "",
                            "status": st,
                        }
                        for uid, (v, st) in p.children.items()
                        if uid in units
                    ],
                }
            )
        return Response(
            {
                "plan": plan.number,
                "unit": q["unit"].code,
                "period": q["period"].code,
                "targets": out,
                "note": note_body(next((p.result.note for p in progress if p.result), None)),
            }
        )
