"""Pages of commune assessment: the year's list, the assessment form, review, import."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import units_in_scope
from pcmd.core.concurrency import EditConflict
from pcmd.core.formatting import vi_sort_key
from pcmd.core.xlsx_import import problems_workbook
from pcmd.geo.models import Unit, UnitLevel
from pcmd.plans.models import Target, TargetKind
from pcmd.plans.selectors import in_force_for
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import (
    apply_errors,
    bounded_int,
    conflict_message,
    paginate,
    posted_version,
    query_without_page,
    xlsx_response,
)

from . import actions, imports
from .forms import AssessmentForm, ReviewForm, YearImportForm, score_field_name
from .models import Assessment, AssessmentStatus, AssessmentTemplate, ClassKind

PAGE_SIZE = 50


def year_param(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year")
    if raw and raw.isdecimal() and 2000 <= int(raw) <= 2100:
        return int(raw)
    latest = (
        Assessment.objects.visible_to(request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year


def plan_target(user: Any, year: int) -> Target | None:
    """The target on healthy communes (e.g. 174/184, no key commune) of the plan in force for
    ``year`` in the user's province (a yearly plan before a programme plan)."""
    plan = in_force_for(user, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if plan is None:
        return None
    targets = [
        t
        for t in plan.targets.filter(kind=TargetKind.COUNT_UNITS, withdrawn=False).select_related(
            "plan__unit"
        )
        if t.denominator
    ]
    target = next(
        (t for t in targets if (t.extra or {}).get("key_communes_max") is not None),
        targets[0] if targets else None,
    )
    if target is not None and not user.sees_unit(target.plan.unit):
        return None  # a district sees its own communes, not the province's target
    return target


@capability_required("assessment.view")
def assessment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    year = year_param(request)
    on = datetime.date(year, 12, 31)
    communes = units_in_scope(user).valid_on(on).filter(level=UnitLevel.COMMUNE)
    districts = sorted(
        units_in_scope(user).valid_on(on).filter(level=UnitLevel.DISTRICT), key=lambda u: u.code
    )
    district = request.GET.get("district", "")
    if (district_id := bounded_int(district)) is not None:
        communes = communes.filter(parent_id=district_id)
    status = request.GET.get("status", "")
    this_year = Assessment.objects.filter(commune=OuterRef("pk"), year=year)
    if status == "none":
        communes = communes.exclude(Exists(this_year))
    elif status in AssessmentStatus.values:
        communes = communes.filter(Exists(this_year.filter(status=status)))
    rows = sorted(
        communes.select_related("parent").prefetch_related("names"),
        key=lambda u: (u.parent.code if u.parent else "", vi_sort_key(u.name_on(on))),
    )
    page = paginate(request, rows, PAGE_SIZE)
    found = {
        a.commune_id: a
        for a in Assessment.objects.visible_to(user)
        .filter(year=year, commune__in=[u.pk for u in page])
        .select_related("result_class")
    }
    counts: dict[tuple[str, str | None], int] = {
        (r["status"], r["result_class__kind"]): r["n"]
        for r in Assessment.objects.visible_to(user)
        .filter(year=year)
        .values("status", "result_class__kind")
        .annotate(n=Count("id"))
    }

    def count(statuses: Sequence[str], kind: str | None = None) -> int:
        return sum(
            n for (s, k), n in counts.items() if s in statuses and (kind is None or k == kind)
        )

    confirmed = [AssessmentStatus.CONFIRMED]
    summary = {
        "communes": communes.count() if district or status else len(rows),
        "confirmed": count(confirmed),
        "submitted": count([AssessmentStatus.SUBMITTED]),
        "open": count([AssessmentStatus.DRAFT, AssessmentStatus.RETURNED]),
        "healthy": count(confirmed, ClassKind.HEALTHY),
        "key": count(confirmed, ClassKind.KEY),
        "healthy_pending": count([AssessmentStatus.SUBMITTED], ClassKind.HEALTHY),
        "key_pending": count([AssessmentStatus.SUBMITTED], ClassKind.KEY),
    }
    target = plan_target(user, year)
    return render(
        request,
        "communes/list.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, 2007, -1),
            "page": page,
            "query": query_without_page(request),
            "rows": [
                {"unit": u, "name": u.name_on(on), "assessment": found.get(u.pk)} for u in page
            ],
            "summary": summary,
            "target": target,
            "key_max": ((target.extra or {}).get("key_communes_max") if target else None),
            "districts": districts,
            "district": district,
            "status": status,
            "statuses": AssessmentStatus.choices,
            "can_import": user.can("assessment.submit"),
        },
    )


def _commune_or_404(request: AuthenticatedHttpRequest, commune_id: int) -> Unit:
    commune = get_object_or_404(Unit, pk=commune_id, level=UnitLevel.COMMUNE)
    if not request.user.sees_unit(commune):
        raise Http404
    return commune


def _scores(assessment: Assessment | None) -> dict[int, int]:
    if assessment is None:
        return {}
    return {s.criterion_id: s.points for s in assessment.scores.all()}


@capability_required("assessment.view")
def assessment_page(request: AuthenticatedHttpRequest, commune_id: int, year: int) -> HttpResponse:
    """The commune's assessment for ``year``: a form while it is editable by the user."""
    user = request.user
    commune = _commune_or_404(request, commune_id)
    assessment = (
        Assessment.objects.visible_to(user)
        .filter(commune=commune, year=year)
        .select_related("template", "result_class", "commune__parent")
        .prefetch_related("scores", "transitions")
        .first()
    )
    template = assessment.template if assessment else AssessmentTemplate.objects.for_year(year)
    if template is None:
        raise Http404
    criteria = list(template.criteria.all())
    editable = actions.can_fill(user, commune) and (assessment is None or assessment.is_editable)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    scores = _scores(assessment)
    initial: dict[str, Any] = {
        "version": assessment.version if assessment else "",
        "comment": assessment.comment if assessment else "",
    }
    for c in criteria:
        if c.pk in scores:
            initial[score_field_name(c.code)] = scores[c.pk]
    form = AssessmentForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_assessment(
                commune,
                year,
                actor=user,
                points=form.points(),
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
                create_only_if_new=assessment is None,
            )
        except EditConflict as exc:
            form.add_error(None, conflict_message(exc))
        except ValidationError as exc:
            apply_errors(form, _rename(exc))
        else:
            if not request.POST.get("submit"):
                messages.success(request, _("Draft saved."))
            else:
                try:
                    actions.submit_assessment(saved, actor=user, expected_version=saved.version)
                    messages.success(request, _("Assessment submitted to the district."))
                except ValidationError as exc:
                    messages.warning(request, _("Draft saved, but not submitted."))
                    for text in exc.messages:
                        messages.error(request, text)
            return redirect("communes:assessment", commune_id=commune.pk, year=year)
    rows = [{"criterion": c, "points": scores.get(c.pk)} for c in criteria]
    return render(
        request,
        "communes/assessment.html",
        {
            "commune": commune,
            "commune_name": commune.name_on(datetime.date(year, 12, 31)),
            "year": year,
            "assessment": assessment,
            "template": template,
            "form": form,
            "editable": editable,
            "rows": rows,
            "max_total": sum(c.max_points for c in criteria),
            "can_review": assessment is not None
            and assessment.status == AssessmentStatus.SUBMITTED
            and actions.can_review(user, commune),
        },
        status=400 if request.method == "POST" else 200,
    )


def _rename(exc: ValidationError) -> ValidationError:
    """Criterion codes from the action become the form's score field names."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            (
                score_field_name(k)
                if k not in {"year", "status", "scores", "comment", "__all__"}
                else k
            ): v
            for k, v in exc.error_dict.items()
        }
    )


def _assessment_or_404(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.visible_to(request.user)
        .select_related("commune__parent", "template", "result_class")
        .prefetch_related("transitions"),
        pk=pk,
    )


@require_POST
@capability_required("assessment.submit")
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    try:
        actions.submit_assessment(
            assessment, actor=request.user, expected_version=posted_version(request)
        )
        messages.success(request, _("Assessment submitted to the district."))
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("communes:assessment", commune_id=assessment.commune_id, year=assessment.year)


@capability_required("assessment.confirm")
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The district confirms a submitted assessment or returns it with a comment."""
    assessment = _assessment_or_404(request, pk)
    if not actions.can_review(request.user, assessment.commune):
        raise PermissionDenied
    form = ReviewForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("decision") == "return":
                actions.return_assessment(
                    assessment,
                    actor=request.user,
                    expected_version=data["version"],
                    comment=data["comment"],
                )
                messages.success(request, _("Assessment returned to the commune."))
            else:
                actions.confirm_assessment(
                    assessment,
                    actor=request.user,
                    expected_version=data["version"],
                    comment=data["comment"],
                )
                messages.success(request, _("Assessment confirmed."))
            return redirect(
                "communes:assessment", commune_id=assessment.commune_id, year=assessment.year
            )
        except EditConflict as exc:
            form.add_error(None, conflict_message(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
    scores = _scores(assessment)
    criteria = list(assessment.template.criteria.all())
    return render(
        request,
        "communes/review.html",
        {
            "assessment": assessment,
            "form": form,
            "rows": [{"criterion": c, "points": scores.get(c.pk)} for c in criteria],
            "max_total": sum(c.max_points for c in criteria),
            "can_decide": assessment.status == AssessmentStatus.SUBMITTED,
        },
        status=400 if request.method == "POST" else 200,
    )


@capability_required("assessment.submit")
def import_page(request: HttpRequest) -> HttpResponse:
    form = YearImportForm(
        request.POST or None, request.FILES or None, initial={"year": year_param(request)}
    )
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        result, _template = imports.parse(
            form.cleaned_data["file"].read(), year, actor=request.user
        )
        if result.ok:
            count = actions.import_assessments(result.rows, year, actor=request.user)
            messages.success(request, _("%(n)s assessments imported as drafts.") % {"n": count})
            return redirect(f"{_list_url()}?year={year}")
        problems = result.problems
        if request.POST.get("as") == "xlsx":
            return xlsx_response(problems_workbook(problems), "loi-nhap-danh-gia.xlsx")
    return render(request, "communes/import.html", {"form": form, "problems": problems})


@capability_required("assessment.submit")
def import_template(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    template = AssessmentTemplate.objects.for_year(year)
    if template is None:
        raise Http404
    return xlsx_response(imports.spec_for(template).template(), f"mau-cham-diem-xa-{year}.xlsx")


def _list_url() -> str:
    from django.urls import reverse

    return reverse("communes:list")
