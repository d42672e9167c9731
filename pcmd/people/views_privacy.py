"""Pages of privacy administration: the entry page, the register of data-subject requests,
the "my data" document, and the processing inventory (page and DOCX annex). Thin views:
the writes are in pcmd.people.requests, the inventory in pcmd.people.inventory."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import is_administrator
from pcmd.accounts.roles import Capability
from pcmd.accounts.templatetags.pcmd_perms import may_open_path
from pcmd.core.concurrency import EditConflict
from pcmd.core.messages import bilingual
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt, cleaned, paginate, posted_version, query_without_page

from . import inventory, requests, retention
from .actions import PersonRefused
from .forms_privacy import ExtendForm, HandleForm, RequestFilterForm, RequestForm
from .models import SubjectRequest

NO_GRANT = _(
    "The “my data” document shows the person's identity: it needs a request handler who may see "
    "this person's identity (e.g. the standing office for a person referred for support), or an "
    "emergency access with a written reason."
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The pages of the "Personal data protection" entry: (url name, title, what it is for).
# Other parts append theirs (the review queue, the access log); each shows to who may open it.
PRIVACY_PAGES: list[tuple[str, Any, Any]] = [
    (
        "people:requests",
        _("Data-subject requests"),
        _("Requests of persons about their own data, with deadlines and outcomes."),
    ),
    (
        "people:inventory",
        _("Processing inventory"),
        _("Every personal field: purpose, legal basis, who may see it, retention."),
    ),
    (
        "people:review",
        _("Review of exceptional access"),
        _("Emergency accesses and actions without consent, each marked justified or not."),
    ),
]


def _refused(exc: PersonRefused) -> ValidationError:
    vi, en = exc.texts["vi"], exc.texts["en"]
    return ValidationError(f"{vi} / {en}" if vi != en else en)


def _run(call: Any) -> Any:
    """An action's bilingual refusal as a form error."""
    try:
        return call()
    except PersonRefused as exc:
        raise _refused(exc) from exc


@capability_required(Capability.MANAGE_REQUESTS)
def privacy_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    pages = []
    for name, title, text in PRIVACY_PAGES:
        url = reverse(name)
        if may_open_path(request.user, url):
            pages.append({"url": url, "title": title, "text": text})
    visible = SubjectRequest.objects.visible_to(request.user)
    return render(
        request,
        "people/privacy/home.html",
        {
            "pages": pages,
            "open_count": visible.open().count(),
            "overdue_count": visible.overdue().count(),
        },
    )


@capability_required(Capability.MANAGE_REQUESTS)
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    data = cleaned(form)
    rows = SubjectRequest.objects.visible_to(request.user).select_related("person", "handled_by")
    status = data.get("status")
    if status == "open":
        rows = rows.open()
    elif status == "overdue":
        rows = rows.overdue()
    elif status:
        rows = rows.filter(status=status)
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    page = paginate(request, rows, 50)
    today = timezone.localdate()
    return render(
        request,
        "people/privacy/request_list.html",
        {
            "form": form,
            "page": page,
            "rows": [{"obj": r, "overdue": r.is_overdue(today)} for r in page],
            "query": query_without_page(request),
        },
    )


@capability_required(Capability.MANAGE_REQUESTS)
def request_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = attempt(
            form,
            lambda: _run(
                lambda: requests.register_request(
                    request.user,
                    person=data["code"],
                    kind=data["kind"],
                    received_on=data["received_on"],
                    outcome=data["outcome"],
                )
            ),
        )
        if created.ok and created.value is not None:
            messages.success(request, gettext("Request registered."))
            return redirect("people:request", pk=created.value.pk)
    return render(
        request,
        "people/privacy/request_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@capability_required(Capability.MANAGE_REQUESTS)
def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        SubjectRequest.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    form = HandleForm(
        request.POST or None,
        initial={"status": row.status, "outcome": row.outcome, "version": row.version},
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: _run(
                lambda: requests.update_request(
                    request.user,
                    row,
                    version=data["version"],
                    status=data["status"],
                    outcome=data["outcome"],
                )
            ),
        )
        if outcome.ok:
            messages.success(request, gettext("Changes saved."))
            return redirect("people:request", pk=row.pk)
    status = 409 if outcome is not None and outcome.conflict else (400 if form.errors else 200)
    return render(
        request,
        "people/privacy/request_detail.html",
        {
            "row": row,
            "form": form,
            "extend_form": ExtendForm(initial={"version": row.version}),
            "overdue": row.is_overdue(),
            "may_document": requests.may_produce_document(request.user, row.person),
            "may_erase": row.kind == "deletion"
            and row.is_open
            and row.person.pseudonymised_at is None
            and is_administrator(request.user),
            "removable_from": retention.removable_from(row.person),
        },
        status=status,
    )


@require_POST
@capability_required(Capability.MANAGE_REQUESTS)
def request_extend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(SubjectRequest.objects.visible_to(request.user), pk=pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Write why the deadline is extended."))
        return redirect("people:request", pk=pk)
    try:
        requests.extend_request(
            request.user,
            row,
            version=posted_version(request),
            reason=form.cleaned_data["reason"],
        )
    except EditConflict as exc:
        messages.error(request, f"{exc.texts['vi']} / {exc.texts['en']}")
    except PersonRefused as exc:
        messages.error(request, f"{exc.texts['vi']} / {exc.texts['en']}")
    else:
        messages.success(request, gettext("Deadline extended."))
    return redirect("people:request", pk=pk)


@require_POST
@capability_required(Capability.MANAGE_REQUESTS)
def request_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        SubjectRequest.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    try:
        requests.erase_for_request(request.user, row, version=posted_version(request))
    except (EditConflict, PersonRefused) as exc:
        messages.error(request, f"{exc.texts['vi']} / {exc.texts['en']}")
    else:
        messages.success(request, gettext("The identity was removed."))
    return redirect("people:request", pk=pk)


@capability_required(Capability.MANAGE_REQUESTS)
def request_document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        SubjectRequest.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    try:
        data = requests.own_data_document(request.user, row.person, path=request.path)
    except PermissionDenied:
        texts = bilingual(NO_GRANT)
        refusal, status = f"{texts['vi']} / {texts['en']}", 403
    except PersonRefused as exc:
        refusal, status = f"{exc.texts['vi']} / {exc.texts['en']}", 400
    else:
        response = HttpResponse(data, content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="du-lieu-{row.person.pk}.docx"'
        return response
    return render(
        request, "people/privacy/no_grant.html", {"row": row, "refusal": refusal}, status=status
    )


@capability_required(Capability.MANAGE_REQUESTS)
def inventory_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    printed, bases = inventory.lines()
    return render(
        request,
        "people/privacy/inventory.html",
        {"lines": printed, "bases": bases, "retention": retention.descriptions()},
    )


@capability_required(Capability.MANAGE_REQUESTS)
def inventory_annex(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(inventory.annex(), content_type=DOCX)
    response["Content-Disposition"] = 'attachment; filename="phu-luc-danh-muc-xu-ly-dlcn.docx"'
    return response
