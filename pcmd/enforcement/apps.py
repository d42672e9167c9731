from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "pcmd.enforcement"
    label = "enforcement"
    verbose_name = _("Violations and sanctions")

    def ready(self) -> None:
        from pcmd.inspections import followups

        from . import actions
        from .models import SubjectKind, ViolationType

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
