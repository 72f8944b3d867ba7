"""The monitor's API under /api/v1/municipalities/{code}/monitor/...: one router per concept."""

from ninja import Router

from nabij.accounts.authentication import AUTHENTICATED
from nabij.monitor.api_attendance import router as attendance_router
from nabij.monitor.api_snapshots import router as snapshots_router
from nabij.monitor.api_whatif import router as whatif_router

router = Router(tags=["monitor"], auth=AUTHENTICATED)
router.add_router("", attendance_router)
router.add_router("", snapshots_router)
router.add_router("", whatif_router)
