from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pcmd.cases"
    label = "cases"
    verbose_name = _("Criminal cases and rings")

    def ready(self) -> None:
        from pcmd.accounts.roles import MODULE_CASES
        from pcmd.people import actions as people_actions
        from pcmd.people import retention as people_retention
        from pcmd.people import sources

        from . import actions, retention

        # The person page links the case or ring naming a person (for those who may open it).
        sources.register("case", _("criminal case"), lambda pk: reverse("cases:detail", args=[pk]))
        sources.register("ring", _("ring"), lambda pk: reverse("cases:ring", args=[pk]))
        people_retention.register(
            MODULE_CASES,
            retention.retention_date,
            _(
                "while a case or ring naming the person is open, and for the configured number "
                "of years after the last of them closed"
            ),
        )
        people_actions.register_merge_hook(
            "cases.parties", actions.move_named, actions.restore_named
        )
