from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "pcmd.enforcement"
    label = "enforcement"
    verbose_name = _("Violations and sanctions")

    def ready(self) -> None:
        from pcmd.accounts.roles import MODULE_ENFORCEMENT
        from pcmd.inspections import followups
        from pcmd.people import actions as people_actions
        from pcmd.people import retention, sources

        from . import actions, persons
        from .models import Sanction, SubjectKind, ViolationType

        # Identities of sanctioned persons are kept until they count as never sanctioned, and
        # a merge of two person records carries the decisions naming them.
        retention.register(
            MODULE_ENFORCEMENT,
            persons.retention_date,
            _(
                "until the person counts as never sanctioned for every decision naming them "
                "(Law on Handling Administrative Violations, Art. 7)"
            ),
        )
        # The person page links the decision naming a person to its violation's page.
        sources.register(
            "sanction",
            _("sanction decision"),
            lambda pk: next(
                (
                    reverse("enforcement:violation", args=[v])
                    for v in Sanction.objects.filter(pk=pk).values_list("violation_id", flat=True)
                ),
                None,
            ),
        )
        sources.register(
            "violation", _("violation"), lambda pk: reverse("enforcement:violation", args=[pk])
        )
        people_actions.register_merge_hook(
            "enforcement.sanctionedperson", persons.move_named, persons.restore_named
        )

        # The inspection field form records the violation found (inspections cannot import
        # enforcement: a violation refers to its inspection).
        followups.register_violations(
            followups.ViolationFollowUp(
                types=lambda: ViolationType.objects.filter(is_active=True).order_by(
                    "-valid_from", "order"
                ),
                subject_choices=lambda: list(SubjectKind.choices),
                default_subject=SubjectKind.ORGANISATION,
                record=actions.record_violation,
            )
        )
