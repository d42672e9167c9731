from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pcmd.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import stamps

        # Once per migrate (every app's migrations are applied by then).
        post_migrate.connect(stamps.on_post_migrate, sender=self, dispatch_uid="pcmd_stamps")
