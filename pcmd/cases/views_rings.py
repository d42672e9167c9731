"""Rings: list and page (the pages helper completes these)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pcmd.accounts.permissions import holds

from .models import Ring


@login_required
def ring_list(request: HttpRequest) -> HttpResponse:
    if not holds(request.user, "cases.view"):
        raise PermissionDenied
    rings = Ring.objects.visible_to(request.user).select_related("unit")[:200]
    return render(request, "cases/rings.html", {"rings": rings})


@login_required
def ring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ring = get_object_or_404(Ring.objects.visible_to(request.user), pk=pk)
    return render(request, "cases/ring.html", {"ring": ring})
