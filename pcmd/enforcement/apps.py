from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "pcmd.enforcement"
    label = "enforcement"
    verbose_name = _("Violations and sanctions")

    def ready(self) -> None:
        from pcmd.accounts.roles import MODULE_ENFORCEMENT
        from pcmd.inspections import followups
        from pcmd.people import actions as people_actions
        from pcmd.people import retention

        from . import actions, persons
        from .models import SubjectKind, ViolationType

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
