from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "pcmd.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from pcmd.people import actions as people_actions
        from pcmd.people import sources

        from . import reappear

        # The person page names the support case a person is followed in (no page yet).
        sources.register("support_case", _("support case"), lambda pk: None)
        # A supported person named on a new sanction or criminal case: tell the case worker.
        people_actions.register_involve_hook("support_reappearance", reappear.on_involvement)
        people_actions.register_merge_hook(
            "support_reappearance", reappear.on_merge, reappear.on_unmerge
        )
