"""People: resident profiles, purpose-bound consent and the validated instruments.

Special-category personal data (AVG art. 9): a profile exists only with a consent, every read by
someone other than the resident is audited, and the monitor sees only the pseudonymous `key`.
"""

from nabij.people.models.availability import (
    ALL_SLOTS,
    DAYS,
    PARTS,
    SLOTS,
    availability_mask,
    availability_slots,
    slot_choices,
)
from nabij.people.models.instruments import LadderMeasurement, LadderRung, LonelinessCategory, LonelinessMeasurement
from nabij.people.models.profiles import (
    BirthYearBand,
    Consent,
    ConsentPurpose,
    ProfileManager,
    ProfileQuerySet,
    ResidentProfile,
)

__all__ = [
    "ALL_SLOTS",
    "DAYS",
    "PARTS",
    "SLOTS",
    "BirthYearBand",
    "Consent",
    "ConsentPurpose",
    "LadderMeasurement",
    "LadderRung",
    "LonelinessCategory",
    "LonelinessMeasurement",
    "ProfileManager",
    "ProfileQuerySet",
    "ResidentProfile",
    "availability_mask",
    "availability_slots",
    "slot_choices",
]
