from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskreportsConfig(AppConfig):
    name = "pcmd.taskreports"
    label = "taskreports"
    verbose_name = _("Agency task reports")
