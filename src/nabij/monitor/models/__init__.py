"""Monitor models: attendance (shared measurement), per-municipality settings, snapshots."""

from nabij.monitor.models.attendance import Attendance, AttendanceSession
from nabij.monitor.models.snapshots import MonitorSettings, Snapshot, SnapshotStatus, SnapshotValue, Unit

__all__ = [
    "Attendance",
    "AttendanceSession",
    "MonitorSettings",
    "Snapshot",
    "SnapshotStatus",
    "SnapshotValue",
    "Unit",
]
