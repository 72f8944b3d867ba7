"""Every write on the social map. Keyword-only, atomic, audited (purpose: administration).

`actor` None is the system (the demo, an import); a person must pass `accounts.permissions`.
The barrier mask of an activity changes only in `barriers`, and every change leaves a
`BarrierProfileChange` row: the history the monitor reads.
"""

from nabij.socialmap.services.barriers import (
    CROWDED_ABOVE,
    DrempelscanItem,
    DrempelscanResult,
    activity_derive_barriers,
    activity_set_barriers,
    derive_barriers,
    drempelscan,
)
from nabij.socialmap.services.catalogue import (
    FIRST_OWN_BIT,
    CatalogueDefaultsResult,
    barrier_create,
    catalogue_ensure_defaults,
    mask_for_codes,
    target_group_create,
)
from nabij.socialmap.services.offer import (
    ACTIVITY_EDITABLE,
    ORGANISATION_EDITABLE,
    PLACE_EDITABLE,
    activities_refresh_schedule,
    activity_create,
    activity_set_classifications,
    activity_set_status,
    activity_update,
    organisation_archive,
    organisation_create,
    organisation_update,
    place_archive,
    place_create,
    place_update,
)

__all__ = [
    "ACTIVITY_EDITABLE",
    "CROWDED_ABOVE",
    "FIRST_OWN_BIT",
    "ORGANISATION_EDITABLE",
    "PLACE_EDITABLE",
    "CatalogueDefaultsResult",
    "DrempelscanItem",
    "DrempelscanResult",
    "activities_refresh_schedule",
    "activity_create",
    "activity_derive_barriers",
    "activity_set_barriers",
    "activity_set_classifications",
    "activity_set_status",
    "activity_update",
    "barrier_create",
    "catalogue_ensure_defaults",
    "derive_barriers",
    "drempelscan",
    "mask_for_codes",
    "organisation_archive",
    "organisation_create",
    "organisation_update",
    "place_archive",
    "place_create",
    "place_update",
    "target_group_create",
]
