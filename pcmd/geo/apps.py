from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "pcmd.geo"
    label = "geo"
    verbose_name = _("Administrative units")

    def ready(self) -> None:
        from .tree import connect_signals

        connect_signals()
