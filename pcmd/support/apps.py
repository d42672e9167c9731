from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "pcmd.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from django.urls import reverse

        from pcmd.people import actions as people_actions
        from pcmd.people import consent, sources

        from . import cases, reappear

        # The person page links the support case a person is followed in.
        sources.register(
            "support_case", _("support case"), lambda pk: reverse("support:case", args=[pk])
        )
        # A withdrawn consent closes what it covered (cases, referrals).
        consent.register_withdrawal_hook(cases.on_withdrawal)
        # A supported person named on a new sanction or criminal case: tell the case worker.
        people_actions.register_involve_hook("support_reappearance", reappear.on_involvement)
        people_actions.register_merge_hook(
            "support_reappearance", reappear.on_merge, reappear.on_unmerge
        )
