"""The site's URLs plus stand-ins for the support case page (``support:case``) and the
receiving side's referral page (``support:referral``) while other helpers build them; a name
that already exists is not replaced. Tests opt in with ``settings.ROOT_URLCONF``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from config import urls as base
from pcmd.support import urls as support_urls


def _stand_in(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"stand-in {pk}")


_have = {getattr(p, "name", None) for p in support_urls.urlpatterns}
_extra = [
    path(f"stand-in/{name}/<int:pk>/", _stand_in, name=name)
    for name in ("case", "referral")
    if name not in _have
]
# the first "support" namespace in the list is the one reverse() uses
urlpatterns: list[URLPattern | URLResolver] = [
    path("support/", include(([*support_urls.urlpatterns, *_extra], "support"))),
    *base.urlpatterns,
]
