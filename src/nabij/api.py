"""The HTTP API: one NinjaAPI under /api/v1/ that mounts each app's router."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Nabij API",
    version="1",
    description="The participation arena of a Dutch municipality.",
    urls_namespace="api",
)
