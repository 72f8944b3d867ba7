from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "nabij.support"
    label = "support"
    verbose_name = _("Steun en warme overdracht")

    def ready(self) -> None:
        from nabij.people import signals as people
        from nabij.support import signals

        people.consent_revoked.connect(signals.on_consent_revoked, dispatch_uid="support.consent_revoked")
        people.profile_erased.connect(signals.on_profile_erased, dispatch_uid="support.profile_erased")
        people.collect_export.connect(signals.on_collect_export, dispatch_uid="support.collect_export")
