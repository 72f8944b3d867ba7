from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "nabij.groups"
    label = "groups"
    verbose_name = _("Kleine groepen")

    def ready(self) -> None:
        from nabij.groups import receivers
        from nabij.people import signals

        signals.collect_export.connect(receivers.on_collect_export, dispatch_uid="groups.export")
