"""One plain sentence (B1) per proposed pair: why this supporter, for this participant.

"Woont 600 m verderop, houdt ook van tuinieren, spreekt Arabisch, heeft op dinsdagmiddag tijd."
The sentence names only what the rules looked at, so a coordinator can check the proposal.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from nabij.people.models import DAYS, PARTS
from nabij.socialmap.search import format_distance
from nabij.support.matching.rules import PairFacts

# Languages often spoken in Dutch cities (ISO 639-1); others get Django's name, or their code.
LANGUAGE_NAMES = {
    "nl": gettext_lazy("Nederlands"),
    "en": gettext_lazy("Engels"),
    "ar": gettext_lazy("Arabisch"),
    "tr": gettext_lazy("Turks"),
    "pl": gettext_lazy("Pools"),
    "ti": gettext_lazy("Tigrinya"),
    "so": gettext_lazy("Somalisch"),
    "fa": gettext_lazy("Perzisch"),
    "uk": gettext_lazy("Oekraïens"),
    "ru": gettext_lazy("Russisch"),
    "es": gettext_lazy("Spaans"),
    "pt": gettext_lazy("Portugees"),
    "fr": gettext_lazy("Frans"),
    "de": gettext_lazy("Duits"),
    "zh": gettext_lazy("Chinees"),
    "hi": gettext_lazy("Hindi"),
    "ur": gettext_lazy("Urdu"),
    "bg": gettext_lazy("Bulgaars"),
    "ro": gettext_lazy("Roemeens"),
}
MOST_INTERESTS = 3


def language_name(code: str) -> str:
    if code in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[code])
    try:
        from django.utils.translation import get_language_info

        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def slot_name(bit: int) -> str:
    """'dinsdagmiddag' for bit 4 (Tuesday, afternoon), as one word in Dutch."""
    day = DAYS[bit // len(PARTS)][1]
    part = PARTS[bit % len(PARTS)][1]
    # Translators: a day and a part of the day, like "dinsdagmiddag" (Dutch writes one word).
    return _("%(day)s%(part)s") % {"day": day, "part": part}


def listing(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s en %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


class Explainer:
    """Explains pairs in the active language. The fixed phrases are translated once, not per
    pair: a city's round explains some 20,000 pairs."""

    def __init__(self) -> None:
        self.same_area = _("woont in dezelfde buurt")
        self.away = _("woont %(distance)s verderop")
        self.likes = _("houdt ook van %(interests)s")
        self.speaks = _("spreekt %(language)s")
        self.speaks_other = _("spreekt geen %(own)s, wel %(shared)s")
        self.one_moment = _("heeft op %(moment)s tijd")
        self.vog = _("heeft een geldige VOG")
        self.slots = [slot_name(bit) for bit in range(len(DAYS) * len(PARTS))]
        self._languages: dict[str, str] = {}
        self._distances: dict[float, str] = {}
        self._more_moments: dict[int, str] = {}

    def language(self, code: str) -> str:
        if code not in self._languages:
            self._languages[code] = language_name(code)
        return self._languages[code]

    def distance(self, metres: float) -> str:
        if metres not in self._distances:
            self._distances[metres] = format_distance(metres)
        return self._distances[metres]

    def more_moments(self, others: int) -> str:
        if others not in self._more_moments:
            self._more_moments[others] = ngettext(
                "heeft op %(moment)s en nog %(count)d ander moment tijd",
                "heeft op %(moment)s en nog %(count)d andere momenten tijd",
                others,
            )
        return self._more_moments[others]

    def __call__(self, facts: PairFacts, *, own_language: str, vog_needed: bool) -> str:
        parts: list[str] = []
        if facts.same_area:
            parts.append(self.same_area)
        elif facts.distance_m is not None:
            parts.append(self.away % {"distance": self.distance(facts.distance_m)})
        if facts.shared_interests:
            parts.append(self.likes % {"interests": listing(list(facts.shared_interests[:MOST_INTERESTS]))})
        if facts.own_language_shared:
            parts.append(self.speaks % {"language": self.language(own_language)})
        elif facts.shared_languages:
            parts.append(
                self.speaks_other
                % {"own": self.language(own_language), "shared": self.language(facts.shared_languages[0])}
            )
        if facts.common_slots:
            moment = self.slots[facts.common_slots[0]]
            others = len(facts.common_slots) - 1
            if others:
                parts.append(self.more_moments(others) % {"moment": moment, "count": others})
            else:
                parts.append(self.one_moment % {"moment": moment})
        if vog_needed:
            parts.append(self.vog)
        if not parts:
            return ""
        sentence = ", ".join(parts)
        return sentence[0].upper() + sentence[1:] + "."


def explain_pair(facts: PairFacts, *, own_language: str, vog_needed: bool) -> str:
    """One pair's sentence; to explain many, make one `Explainer` and call it for each."""
    return Explainer()(facts, own_language=own_language, vog_needed=vog_needed)
