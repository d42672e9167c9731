"""Pages of the receiving agency (the inbox of service referrals and a referral's page) and
the worker's "seen" mark on a reappearance. Logic in pcmd.support.receive / reappear."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt, paginate, query_without_page

from . import cases, reappear, receive
from .forms_receive import ACCEPT, AnswerForm, FeedbackForm
from .models import Reappearance, ServiceReferral, ServiceReferralStatus

PAGE_SIZE = 50


def _receiver(request: AuthenticatedHttpRequest) -> None:
    if not receive.receives(request.user):
        raise PermissionDenied


def _verified(request: AuthenticatedHttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


@login_required
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _receiver(request)
    rows = receive.inbox(request.user)
    status = request.GET.get("status", "")
    if status in ServiceReferralStatus.values:
        rows = rows.filter(status=status)
    page = paginate(request, rows, PAGE_SIZE)
    return render(
        request,
        "support/receive/list.html",
        {
            "page": page,
            "rows": [(r, receive.minimum_data(r)) for r in page],
            "statuses": ServiceReferralStatus.choices,
            "status": status,
            "query": query_without_page(request),
            "today": timezone.localdate(),
        },
    )


@login_required
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _receiver(request)
    referral: ServiceReferral = get_object_or_404(receive.inbox(request.user), pk=pk)
    answer_form = AnswerForm(prefix="answer")
    feedback_form = FeedbackForm(prefix="feedback")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer" and referral.status == ServiceReferralStatus.SENT:
            answer_form = AnswerForm(request.POST, prefix="answer")
            if answer_form.is_valid():
                data = answer_form.cleaned_data
                if attempt(
                    answer_form,
                    lambda: cases.answer(
                        request.user,
                        referral,
                        accepted=data["decision"] == ACCEPT,
                        on=data["on"],
                        feedback=data["feedback"],
                    ),
                ).ok:
                    messages.success(request, _("The answer has been sent to the case worker."))
                    return redirect("support:referral", pk=referral.pk)
        elif action == "feedback" and referral.status == ServiceReferralStatus.ACCEPTED:
            feedback_form = FeedbackForm(request.POST, prefix="feedback")
            if feedback_form.is_valid():
                data = feedback_form.cleaned_data
                if attempt(
                    feedback_form,
                    lambda: cases.give_feedback(
                        request.user, referral, on=data["on"], feedback=data["feedback"]
                    ),
                ).ok:
                    messages.success(request, _("The feedback has been returned."))
                    return redirect("support:referral", pk=referral.pk)
        else:
            messages.error(
                request,
                _("This referral is no longer waiting for that step: reload the page."),
            )
            return redirect("support:referral", pk=referral.pk)
    context: dict[str, Any] = {
        "referral": referral,
        "data": receive.minimum_data(referral),
        "identity": receive.identity(
            request.user, referral, verified=_verified(request), path=request.path
        ),
        "answer_form": answer_form,
        "feedback_form": feedback_form,
        "today": timezone.localdate(),
    }
    status = 400 if answer_form.errors or feedback_form.errors else 200
    return render(request, "support/receive/detail.html", context, status=status)


@login_required
@require_POST
def reappearance_seen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Reappearance.objects.select_related("case"), pk=pk)
    if not reappear.follows(request.user, row.case):
        raise PermissionDenied
    reappear.mark_seen(request.user, row)
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("home")
