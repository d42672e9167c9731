"""The consent slot of a person's page (``people/_consent.html``)::

    {% load pcmd_consent %}{% consent_panel person %}

Social workers and the standing office who see the person in the support module get the
consents in force and a form to record one; the police who may refer the person get the
button; everyone else gets nothing.
"""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.people import consent
from pcmd.people.forms_consent import ConsentForm
from pcmd.people.models import Referral

register = template.Library()


@register.inclusion_tag("people/consent/_panel.html", takes_context=True)
def consent_panel(context: template.Context, person: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    may_record = consent.may_record_consent(user, person)
    return {
        "person": person,
        "may_record": may_record,
        "current": consent.current_consents(person) if may_record else [],
        "form": ConsentForm() if may_record else None,
        "may_refer": consent.may_refer(user, person),
        "referrals": list(Referral.objects.visible_to(user).filter(person=person)[:10]),
        "csrf_token": context.get("csrf_token"),
        "next": getattr(request, "path", ""),
    }
