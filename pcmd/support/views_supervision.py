"""The supervision page of support cases (``/support/supervision/``). Thin: the figures come
from :mod:`pcmd.support.supervision`."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .supervision import NO_CONTACT_DAYS, case_url, supervision


@capability_required("support.cases")
def supervision_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = supervision(request.user, timezone.localdate())
    # each case carries its page's address (codes only on this page, never names)
    for case in [
        *data.without_contact,
        *(f.case for f in data.followups),
        *(r.case for r in data.referrals),
    ]:
        setattr(case, "link", case_url(case.pk))  # noqa: B010
    return render(
        request,
        "support/supervision.html",
        {
            "data": data,
            "days": NO_CONTACT_DAYS,
        },
    )
