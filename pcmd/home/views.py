"""The home page: each person's work list, computed for their scope (issue 10.1)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from pcmd.web.auth import AuthenticatedHttpRequest

from .assemble import cards_for


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    work, overview = cards_for(request)
    return render(
        request,
        "home/home.html",
        {
            "work": work,
            "overview": overview,
            # empty cards fold into one line of names (each a link to its list)
            "work_folded": [c for c in work if c.folded],
            "overview_folded": [c for c in overview if c.folded],
            # Leadership reads: where the plan stands comes before the (short) work list.
            "leading": not user.can("reports.submit"),
            "assignments": user.current_assignments,
        },
    )
