from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "nabij.monitor"
    label = "monitor"
    verbose_name = _("Monitor")

    def ready(self) -> None:
        from nabij.monitor import receivers_attendance
        from nabij.people import signals

        # A revoked monitoring consent turns the person's named attendance into anonymous counts, and a
        # resident's data export lists their attendance.
        signals.consent_revoked.connect(receivers_attendance.on_consent_revoked, dispatch_uid="monitor.revoked")
        signals.collect_export.connect(receivers_attendance.on_collect_export, dispatch_uid="monitor.export")
