"""Emergency access (break the glass) and the review queue of access exceptions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pcmd.accounts.roles import Capability
from pcmd.core.messages import bilingual
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import cleaned, paginate, query_without_page

from . import access, emergency
from .actions import PersonRefused
from .forms_access import EmergencyForm, ReviewedFilterForm, ReviewForm
from .models import AccessException, AccessLog, Person

PER_PAGE = 30
READS_SHOWN = 10  # reads listed under each use (the count says how many in all)


def _both_texts(texts: dict[str, str]) -> str:
    vi, en = texts["vi"], texts["en"]
    return f"{vi} / {en}" if vi != en else en


def _both(exc: PersonRefused) -> str:
    return _both_texts(exc.texts)


# --- emergency access -----------------------------------------------------------------------


def _safe_next(request: AuthenticatedHttpRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def emergency_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the person's emergency access (the form, or the identity while it is open);
    POST: open it with a reason."""
    user = request.user
    if not user.can(Capability.VIEW_IDENTITY):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk)
    form = EmergencyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                exception = emergency.open_emergency(user, person, form.cleaned_data["reason"])
            except PersonRefused as exc:
                form.add_error("reason", _both(exc))
            else:
                until = timezone.localtime(exception.expires_at).strftime("%H:%M %d/%m/%Y")
                messages.success(
                    request,
                    _("Emergency access open until %(until)s. It will be reviewed.")
                    % {"until": until},
                )
                target = _safe_next(request, form.cleaned_data.get("next") or "")
                return redirect(target or reverse("people:emergency", args=[person.pk]))
        status = 400
    grant = access.grant_for(user, person)
    shown = grant is not None and access.reveal(
        user, person, "page", path=request.path, purpose="emergency access"
    )
    return render(
        request,
        "people/access/emergency.html",
        {
            "person": person,
            "form": form,
            "shown": shown,
            "exception": grant.exception if grant is not None else None,
            "may_open": emergency.may_break_glass(user, person),
            "hours": emergency.hours(),
        },
        status=status,
    )


# --- the review queue -----------------------------------------------------------------------


def _rows(qs: QuerySet[AccessException]) -> QuerySet[AccessException]:
    return qs.select_related("user", "person", "reviewed_by").prefetch_related(
        Prefetch("reads", queryset=AccessLog.objects.order_by("at", "pk"), to_attr="read_rows")
    )


def _reviewed(user: Any, filters: dict[str, Any]) -> QuerySet[AccessException]:
    qs = emergency.reviewable(user).filter(reviewed_at__isnull=False)
    if "kind" in filters:
        qs = qs.filter(kind=filters["kind"])
    if "verdict" in filters:
        qs = qs.filter(justified=filters["verdict"] == "yes")
    if "user" in filters:
        qs = qs.filter(user__username__iexact=filters["user"].strip())
    if "since" in filters:
        qs = qs.filter(started_at__date__gte=filters["since"])
    if "until" in filters:
        qs = qs.filter(started_at__date__lte=filters["until"])
    return qs.order_by("-reviewed_at", "-pk")


def _queue_page(
    request: AuthenticatedHttpRequest,
    *,
    tab: str,
    errors: dict[int, str] | None = None,
    forms: dict[int, ReviewForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    filter_form = ReviewedFilterForm(request.GET if tab == "reviewed" else None)
    if tab == "reviewed":
        qs = _reviewed(user, cleaned(filter_form))
    else:
        qs = emergency.pending(user)
    page = paginate(request, _rows(qs), PER_PAGE)
    late = emergency.overdue_since()
    rows = [
        {
            "exception": e,
            "reads": e.read_rows[:READS_SHOWN],
            "read_count": len(e.read_rows),
            "overdue": e.reviewed_at is None and e.started_at < late,
            "form": (forms or {}).get(e.pk) or ReviewForm(prefix=f"r{e.pk}"),
            "error": (errors or {}).get(e.pk, ""),
        }
        for e in page.object_list
    ]
    return render(
        request,
        "people/access/review.html",
        {
            "tab": tab,
            "rows": rows,
            "page": page,
            "query": query_without_page(request),
            "filter_form": filter_form,
            "counts": emergency.queue_counts(user),
            "days": emergency.review_days(),
        },
        status=status,
    )


@capability_required(Capability.REVIEW_ACCESS)
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    tab = "reviewed" if request.GET.get("tab") == "reviewed" else "pending"
    return _queue_page(request, tab=tab)


@require_POST
@capability_required(Capability.REVIEW_ACCESS)
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one use justified or not; a refusal shows the queue again with the message
    next to the use (status 400)."""
    user = request.user
    exception = get_object_or_404(
        AccessException.objects.filter(emergency.reviewable_q(user) | Q(user=user)), pk=pk
    )
    form = ReviewForm(request.POST, prefix=f"r{exception.pk}")
    error = ""
    if form.is_valid():
        try:
            emergency.review_exception(
                user,
                exception,
                justified=form.cleaned_data["verdict"] == "yes",
                note=form.cleaned_data["note"],
            )
        except PersonRefused as exc:
            error = _both(exc)
        else:
            messages.success(
                request, _("Review of %(code)s recorded.") % {"code": exception.person.code}
            )
            return redirect("people:review")
    else:
        if "verdict" in form.errors:
            texts = bilingual(gettext_lazy("Verdict: choose justified or not justified."))
        else:
            texts = bilingual(gettext_lazy("Note: at most %(n)d characters."), n=emergency.MAX_NOTE)
        error = _both_texts(texts)
    if exception.user_id == user.pk or exception.reviewed_at is not None:
        # neither in the pending list: show the message on top
        messages.error(request, error)
    return _queue_page(
        request,
        tab="pending",
        errors={exception.pk: error},
        forms={exception.pk: form},
        status=400,
    )
