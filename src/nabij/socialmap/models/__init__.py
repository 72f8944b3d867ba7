"""The social map: organisations, their places and activities, and the barrier catalogue.

An activity's barrier profile is a bit mask (`Activity.barrier_mask`): each `Barrier` of the
municipality's catalogue owns one bit, so "no barriers for me" is one comparison in SQL,
`barrier_mask & person_mask = 0`, on SQLite and PostgreSQL alike (docs/barriers.md).
"""

from nabij.socialmap.models.activities import (
    AMSTERDAM,
    PERSPECTIVE_FOR_ISOLATION,
    ActionPerspective,
    Activity,
    ActivityManager,
    ActivityQuerySet,
    ActivityStatus,
    BarrierProfileChange,
    BarrierSource,
    Commitment,
    IsolationType,
    SignUpChannel,
    barrier_count_expression,
    parse_rrule,
    validate_rrule,
)
from nabij.socialmap.models.catalogue import (
    MAX_BARRIER_BIT,
    Barrier,
    CatalogueEntry,
    Domain,
    ParticipationType,
    TargetGroup,
    Theme,
    barriers_by_code,
    bits_of,
    mask_of,
)
from nabij.socialmap.models.organisations import (
    Organisation,
    OrganisationKind,
    Sphere,
)
from nabij.socialmap.models.places import (
    POSTCODE,
    POSTCODE_EXCLUDED_LETTERS,
    Place,
    PlaceKind,
    normalise_postcode,
    validate_postcode,
)

__all__ = [
    "AMSTERDAM",
    "MAX_BARRIER_BIT",
    "PERSPECTIVE_FOR_ISOLATION",
    "POSTCODE",
    "POSTCODE_EXCLUDED_LETTERS",
    "ActionPerspective",
    "Activity",
    "ActivityManager",
    "ActivityQuerySet",
    "ActivityStatus",
    "Barrier",
    "BarrierProfileChange",
    "BarrierSource",
    "CatalogueEntry",
    "Commitment",
    "Domain",
    "IsolationType",
    "Organisation",
    "OrganisationKind",
    "ParticipationType",
    "Place",
    "PlaceKind",
    "SignUpChannel",
    "Sphere",
    "TargetGroup",
    "Theme",
    "barrier_count_expression",
    "barriers_by_code",
    "bits_of",
    "mask_of",
    "normalise_postcode",
    "parse_rrule",
    "validate_postcode",
    "validate_rrule",
]
