"""The social map's HTTP API under /api/v1/municipalities/{code}/, one router per concept.

- `api_organisations`: organisations and places (CRUD, archive);
- `api_search`: "activities for me" and the minimal listing;
- `api_activities`: activities (search list, CRUD, status, drempelscan, barrier history);
- `api_barrier_table`: the barrier table (JSON and CSV).
Reference: docs/api.md, section "Social map".
"""

from __future__ import annotations

from ninja import Router

from nabij.socialmap import api_activities, api_barrier_table, api_organisations, api_search

router = Router()
# Order matters: `activities/for-me` and `activities/bare` must be routed before `activities/{uid}`.
router.add_router("", api_search.router)
router.add_router("", api_activities.router)
router.add_router("", api_organisations.router)
router.add_router("", api_barrier_table.router)
