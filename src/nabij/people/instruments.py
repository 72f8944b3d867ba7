"""Scoring of the validated instruments: pure functions, no database.

The De Jong Gierveld loneliness scale (11-item and 6-item) and the participatieladder, scored
exactly as DESIGN.md §2 says. The same functions serve the pages, the services and the
stateless endpoint `POST /api/v1/instruments/de-jong-gierveld`; docs/people.md explains the
scoring, its sources and the settings.

Sources: De Jong Gierveld & Kamphuis (1985), the 11-item scale; De Jong Gierveld & Van Tilburg
(1999), Manual of the Loneliness Scale; De Jong Gierveld & Van Tilburg (2006/2008), the 6-item
scale in the order CBS uses it; RIVM/GGD Gezondheidsmonitor for the 11-item categories.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.people.models import LadderRung, LonelinessCategory

YES = "ja"
MORE_OR_LESS = "min of meer"
NO = "nee"
ANSWERS: tuple[str, ...] = (YES, MORE_OR_LESS, NO)
VERSIONS: tuple[int, ...] = (11, 6)

EMOTIONAL: Literal["emotional"] = "emotional"
SOCIAL: Literal["social"] = "social"
Subscale = Literal["emotional", "social"]


@dataclass(frozen=True)
class Item:
    """One statement of the questionnaire.

    `number` is its place in the 11-item scale (DESIGN.md numbers the subscales that way);
    emotional items are worded negatively ("Ik mis ..."), social ones positively ("Er zijn ...").
    """

    number: int
    subscale: Subscale
    text: str | Promise

    def counts_as_lonely(self, answer: str) -> bool:
        # "min of meer" counts as lonely on every item.
        if self.subscale == EMOTIONAL:
            return answer in (YES, MORE_OR_LESS)
        return answer in (NO, MORE_OR_LESS)


# The official Dutch wording (De Jong Gierveld & Kamphuis 1985), as the GGD'en and CBS ask it.
ITEMS_11: tuple[Item, ...] = (
    Item(
        1,
        SOCIAL,
        gettext_lazy(
            "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes terecht kan."
        ),
    ),
    Item(2, EMOTIONAL, gettext_lazy("Ik mis een echt goede vriend of vriendin.")),
    Item(3, EMOTIONAL, gettext_lazy("Ik ervaar een leegte om me heen.")),
    Item(4, SOCIAL, gettext_lazy("Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.")),
    Item(5, EMOTIONAL, gettext_lazy("Ik mis gezelligheid om me heen.")),
    Item(6, EMOTIONAL, gettext_lazy("Ik vind mijn kring van kennissen te beperkt.")),
    Item(7, SOCIAL, gettext_lazy("Ik heb veel mensen op wie ik volledig kan vertrouwen.")),
    Item(8, SOCIAL, gettext_lazy("Er zijn voldoende mensen met wie ik me nauw verbonden voel.")),
    Item(9, EMOTIONAL, gettext_lazy("Ik mis mensen om me heen.")),
    Item(10, EMOTIONAL, gettext_lazy("Vaak voel ik me in de steek gelaten.")),
    Item(11, SOCIAL, gettext_lazy("Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht.")),
)
_BY_NUMBER = {item.number: item for item in ITEMS_11}
# The 6-item scale in its own published order (De Jong Gierveld & Van Tilburg 2006, as CBS
# asks it): leegte, narigheid, vertrouwen, mis mensen, nauw verbonden, in de steek gelaten.
ITEMS_6: tuple[Item, ...] = tuple(_BY_NUMBER[number] for number in (3, 4, 7, 9, 8, 10))

ITEMS: dict[int, tuple[Item, ...]] = {11: ITEMS_11, 6: ITEMS_6}

# How many unanswered items still give a total. 6-item: DESIGN.md §2 ("missing if more than
# one item is missing"). 11-item: DESIGN.md is silent; we ask for every answer, because a
# missing item would count as "not lonely" and "zeer ernstig eenzaam" (11) could never be reached.
MAX_MISSING: dict[int, int] = {11: 0, 6: 1}

# Total score → category: (lowest score of the band, category), highest band first.
CATEGORY_BANDS: dict[int, tuple[tuple[int, LonelinessCategory], ...]] = {
    11: (
        (11, LonelinessCategory.VERY_SEVERE),
        (9, LonelinessCategory.SEVERE),
        (3, LonelinessCategory.MODERATE),
        (0, LonelinessCategory.NOT),
    ),
    6: (
        (5, LonelinessCategory.SEVERE),
        (2, LonelinessCategory.MODERATE),
        (0, LonelinessCategory.NOT),
    ),
}

# The subscale cut-offs: from which subscale score on someone counts as emotionally or socially
# lonely. Sources differ (RIVM's Gezondheidsmonitor 2016: at least two unfavourable answers on
# the subscale's items; other GGD publications: at least three; CBS reports the 6-item
# subscales in bands 0 / 1-2 / 3), so a deployment may set NABIJ_LONELINESS_SUBSCALE_CUTOFFS,
# e.g. {11: {"emotional": 3, "social": 3}}. Unset versions and subscales keep these defaults.
DEFAULT_SUBSCALE_CUTOFFS: dict[int, dict[str, int]] = {
    11: {EMOTIONAL: 2, SOCIAL: 2},
    6: {EMOTIONAL: 2, SOCIAL: 2},
}


class InstrumentError(ValueError):
    """Invalid input for an instrument; `errors` says per item what is wrong, in Dutch."""

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        self.message = message
        self.errors = errors or []
        super().__init__(message)


@dataclass(frozen=True)
class LonelinessScore:
    """The outcome of one questionnaire. None means missing (too few answers)."""

    version: int
    total: int | None
    emotional: int | None
    social: int | None
    category: LonelinessCategory | None
    answered: int
    emotionally_lonely: bool | None
    socially_lonely: bool | None


def subscale_items(version: int, subscale: Subscale) -> tuple[Item, ...]:
    return tuple(item for item in ITEMS[version] if item.subscale == subscale)


def subscale_cutoffs(version: int) -> dict[str, int]:
    """The cut-offs in force: the defaults, overridden by NABIJ_LONELINESS_SUBSCALE_CUTOFFS."""
    configured: Mapping[Any, Mapping[str, int]] = getattr(settings, "NABIJ_LONELINESS_SUBSCALE_CUTOFFS", {}) or {}
    result = dict(DEFAULT_SUBSCALE_CUTOFFS[version])
    result.update(configured.get(version) or configured.get(str(version)) or {})
    for subscale, cutoff in result.items():
        size = len(subscale_items(version, subscale))  # type: ignore[arg-type]
        if not isinstance(cutoff, int) or not 1 <= cutoff <= size:
            raise ValueError(f"Subscale cut-off {subscale}={cutoff!r} for version {version} must be 1..{size}.")
    return result


def category_for(version: int, total: int) -> LonelinessCategory:
    for lowest, category in CATEGORY_BANDS[version]:
        if total >= lowest:
            return category
    raise ValueError(f"Negative total {total}.")


def normalise_answers(version: Any, answers: Any) -> list[str | None]:
    """Check the input and return the answers as ja / min of meer / nee / None.

    Answers are compared without surrounding spaces and capitals ("Ja " is "ja"); an empty
    string counts as no answer, like null.
    """
    if isinstance(version, bool) or version not in VERSIONS:
        raise InstrumentError(
            _("Kies versie 11 of 6 van de eenzaamheidsschaal."),
            [{"location": ["version"], "message": _("Kies 11 of 6."), "code": "invalid_version"}],
        )
    if not isinstance(answers, list | tuple):
        raise InstrumentError(
            _("Stuur de antwoorden als een lijst."),
            [{"location": ["answers"], "message": _("Stuur een lijst."), "code": "not_a_list"}],
        )
    expected = len(ITEMS[version])
    if len(answers) != expected:
        message = _(
            "De vragenlijst met %(version)s vragen heeft %(expected)s antwoorden nodig, in de volgorde "
            "van de vragen. Er zijn er %(count)s."
        ) % {
            "version": version,
            "expected": expected,
            "count": len(answers),
        }
        raise InstrumentError(message, [{"location": ["answers"], "message": message, "code": "wrong_count"}])
    result: list[str | None] = []
    errors: list[dict[str, Any]] = []
    for index, answer in enumerate(answers):
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            result.append(None)
            continue
        value = answer.strip().casefold() if isinstance(answer, str) else answer
        if value not in ANSWERS:
            errors.append(
                {
                    "location": ["answers", index],
                    "message": _(
                        "Antwoord %(number)s (%(answer)s) bestaat niet. Kies 'ja', 'min of meer' of 'nee', "
                        "of laat het leeg (null)."
                    )
                    % {"number": index + 1, "answer": str(answer)[:40]},
                    "code": "invalid_answer",
                }
            )
            continue
        result.append(str(value))
    if errors:
        numbers = ", ".join(str(error["location"][1] + 1) for error in errors)
        raise InstrumentError(
            _("Deze antwoorden bestaan niet: nummer %(numbers)s. Kies 'ja', 'min of meer' of 'nee'.")
            % {"numbers": numbers},
            errors,
        )
    return result


def score_de_jong_gierveld(
    version: int, answers: Sequence[str | None], *, cutoffs: Mapping[str, int] | None = None
) -> LonelinessScore:
    """Score one questionnaire. `answers` are in the questionnaire's own order (for the 6-item
    version: ITEMS_6), each ja / min of meer / nee, or None for no answer."""
    clean = normalise_answers(version, answers)
    items = ITEMS[version]
    answered = [(item, answer) for item, answer in zip(items, clean, strict=True) if answer is not None]
    missing = len(items) - len(answered)
    total = None
    if missing <= MAX_MISSING[version]:
        # The total counts the answered items: a missing item adds nothing.
        total = sum(item.counts_as_lonely(answer) for item, answer in answered)

    def subscale_score(subscale: Subscale) -> int | None:
        pairs = [(item, answer) for item, answer in zip(items, clean, strict=True) if item.subscale == subscale]
        if any(answer is None for _item, answer in pairs):
            return None  # a subscale with a missing item is missing
        return sum(item.counts_as_lonely(str(answer)) for item, answer in pairs)

    emotional = subscale_score(EMOTIONAL)
    social = subscale_score(SOCIAL)
    limits = {**subscale_cutoffs(version), **(cutoffs or {})}
    return LonelinessScore(
        version=version,
        total=total,
        emotional=emotional,
        social=social,
        category=category_for(version, total) if total is not None else None,
        answered=len(answered),
        emotionally_lonely=None if emotional is None else emotional >= limits[EMOTIONAL],
        socially_lonely=None if social is None else social >= limits[SOCIAL],
    )


# --- the participatieladder --------------------------------------------------------------------

LADDER_RUNGS: tuple[int, ...] = tuple(rung.value for rung in LadderRung)

# What each rung means, in plain words for the form (Movisie/Divosa participatieladder).
LADDER_EXPLANATIONS: dict[int, str | Promise] = {
    LadderRung.ISOLATED: gettext_lazy("Weinig of geen contact met anderen buiten het eigen huishouden."),
    LadderRung.SOCIAL_CONTACTS: gettext_lazy("Heeft contact met mensen buitenshuis, zoals buren, familie of vrienden."),
    LadderRung.ORGANISED_ACTIVITIES: gettext_lazy(
        "Doet mee aan georganiseerde activiteiten, zoals een club of inloop."
    ),
    LadderRung.UNPAID_WORK: gettext_lazy("Doet vrijwilligerswerk of ander onbetaald werk."),
    LadderRung.PAID_WORK_WITH_SUPPORT: gettext_lazy("Heeft betaald werk met begeleiding of loonkostensubsidie."),
    LadderRung.PAID_WORK: gettext_lazy("Heeft betaald werk zonder ondersteuning."),
}


def ladder_rung(value: Any) -> LadderRung:
    """A rung 1-6 from a number or a numeric string; anything else is an InstrumentError."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number not in LADDER_RUNGS or (isinstance(value, float) and value != number):
        raise InstrumentError(
            _("Kies een trede van 1 tot en met 6 op de participatieladder."),
            [{"location": ["rung"], "message": _("Kies 1 tot en met 6."), "code": "invalid_rung"}],
        )
    return LadderRung(number)


def ladder_movement(before: int, after: int) -> int:
    """Steps up (positive) or down (negative) between two measurements."""
    return int(ladder_rung(after)) - int(ladder_rung(before))
