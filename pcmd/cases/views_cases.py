"""Case files: list and page (the pages helper completes these)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pcmd.accounts.permissions import holds

from .models import Case


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not holds(request.user, "cases.view"):
        raise PermissionDenied
    cases = Case.objects.visible_to(request.user).select_related("commune")[:200]
    return render(request, "cases/list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    return render(request, "cases/detail.html", {"case": case})
