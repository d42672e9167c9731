from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "pcmd.people"
    label = "people"
    verbose_name = _("Persons")

    def ready(self) -> None:
        from pcmd.core import audit_text, health

        from . import sources
        from .health import keys_read_identities

        # The audit log names where a person appears in words, not "sanction:12".
        audit_text.VALUE_LABELLERS["source"] = sources.in_words
        # /healthz: the field keys must read the identities stored, not only be set.
        if keys_read_identities not in health.KEY_READERS:
            health.KEY_READERS.append(keys_read_identities)
