from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialmapConfig(AppConfig):
    name = "nabij.socialmap"
    label = "socialmap"
    verbose_name = _("Sociale kaart")

    def ready(self) -> None:
        from nabij.core.signals import municipality_created
        from nabij.socialmap.signals import give_default_catalogues

        municipality_created.connect(give_default_catalogues, dispatch_uid="socialmap-default-catalogues")
