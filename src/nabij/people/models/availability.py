"""When someone is available: 7 days x 3 parts of the day, one bit each (21 bits).

A bit mask, like the barriers: "do these two people have a moment in common" is `a & b != 0`,
one comparison in SQL or Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

DAYS = (
    ("mo", _("maandag")),
    ("tu", _("dinsdag")),
    ("we", _("woensdag")),
    ("th", _("donderdag")),
    ("fr", _("vrijdag")),
    ("sa", _("zaterdag")),
    ("su", _("zondag")),
)
PARTS = (("morning", _("ochtend")), ("afternoon", _("middag")), ("evening", _("avond")))
SLOTS = tuple(f"{day}-{part}" for day, _day in DAYS for part, _part in PARTS)
ALL_SLOTS = (1 << len(SLOTS)) - 1


def slot_choices() -> list[tuple[str, str]]:
    return [(f"{day}-{part}", f"{day_label} {part_label}") for day, day_label in DAYS for part, part_label in PARTS]


def availability_mask(slots: Iterable[str]) -> int:
    """['mo-morning', 'sa-evening'] → the mask; an unknown slot is a ValueError."""
    mask = 0
    for slot in slots:
        mask |= 1 << SLOTS.index(slot)
    return mask


def availability_slots(mask: int) -> list[str]:
    return [slot for number, slot in enumerate(SLOTS) if mask & (1 << number)]
