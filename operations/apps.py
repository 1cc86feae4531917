from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the service: backing the whole database up and restoring it (no models of its own)."""

    name = "operations"
    verbose_name = _("운영")
