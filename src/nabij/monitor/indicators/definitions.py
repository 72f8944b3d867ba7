"""Every indicator of the monitor, defined once: code, names, definition, sources and caveats.

`docs/indicators.md` is generated from this module (`python scripts/indicators_doc.py`), and a test
fails when the page and the definitions differ. The snapshot computes exactly these codes; a value's
`indicator` is the code, optionally followed by a breakdown (`coverage.bewegen`, `barrier_table.bewegen.2`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Families, in the order the dashboard shows them.
SUPPLY = "supply"
PRINCIPLES = "principles"
DYNAMICS = "dynamics"
OUTCOMES = "outcomes"
PROFESSIONAL = "professional"
FAMILIES: dict[str, Promise] = {
    SUPPLY: _("Aanbod"),
    PRINCIPLES: _("De vier dynamische principes"),
    DYNAMICS: _("Stabiliteit en dynamiek"),
    OUTCOMES: _("Uitkomsten"),
    PROFESSIONAL: _("Werk van professionals"),
}

# Dimensions an indicator is broken down by (besides the period and the area).
BY_TARGET_GROUP = "target_group"  # TargetGroup codes: which barriers count
BY_ISOLATION = "isolation_type"  # people indicators: `isolation:<type>` and everyone


@dataclass(frozen=True)
class Indicator:
    code: str
    family: str
    unit: str  # count, percentage, ratio, days
    name_nl: str
    name_en: str
    numerator: str  # English, for docs/indicators.md; the Dutch name is the page's title
    denominator: str
    population: str
    sources: tuple[str, ...]
    caveats: str = ""
    # What the breakdown after the code means ("participation type", "barrier count"...).
    breakdown: str = ""
    dimensions: tuple[str, ...] = ()
    # Area levels it is published on: BU (neighbourhood), WK (district), GM (municipality).
    levels: tuple[str, ...] = ("GM", "WK", "BU")
    # Numerator and denominator add up over areas (a district is the sum of its neighbourhoods):
    # small-cell protection then guards those sums against differencing.
    additive: bool = True
    # Numerator and denominator add up over time (a quarter is the sum of its months): protection then
    # guards the sums across snapshots of one year too.
    over_time: bool = False
    # Higher is better (for the arrow in period comparisons); None where neither is.
    higher_is_better: bool | None = True
    extra: dict[str, str] = field(default_factory=dict)

    def name(self, language: str = "nl") -> str:
        return self.name_en if language == "en" else self.name_nl


_PEOPLE_POPULATION = (
    "Resident profiles with a current consent for monitoring (and the anonymous remainders of erased "
    "profiles whose consent was current), in the municipality, by the neighbourhood on their profile."
)

INDICATORS: tuple[Indicator, ...] = (
    # Supply
    Indicator(
        code="barrier_table",
        family=SUPPLY,
        unit="count",
        name_nl="Aanbod naar soort deelname en aantal drempels",
        name_en="Supply by participation type and number of barriers",
        numerator="Published activities active on the last day of the period, with the barrier profile they had "
        "on that day, counted per participation type and per number of barriers the target group is "
        "sensitive to (0, 1, 2, 3, 4+; `total` is their sum).",
        denominator="—",
        population="Activities whose place lies in the area.",
        sources=("socialmap_activity", "socialmap_barrierprofilechange", "socialmap_place"),
        caveats="An activity without a place counts only for the municipality as a whole. The relational barrier "
        "`distance` is left out: it depends on where a person lives.",
        breakdown="participation type . barrier count (0, 1, 2, 3, 4+, total)",
        dimensions=(BY_TARGET_GROUP,),
        higher_is_better=None,
    ),
    Indicator(
        code="coverage",
        family=SUPPLY,
        unit="percentage",
        name_nl="Bereik: inwoners met toegankelijk aanbod op loopafstand",
        name_en="Coverage: residents with accessible supply within walking distance",
        numerator="Estimated residents who live within walking distance (800 m by default) of at least one "
        "activity of the participation type without any barrier the target group is sensitive to.",
        denominator="Residents (CBS population figure of the neighbourhood).",
        population="The neighbourhood's population, spread evenly over a 100 m grid inside its boundary (at its "
        "centroid when it has none). Walking distance = straight-line distance x the detour factor "
        "(1.3 by default).",
        sources=("core_neighbourhood (CBS population, boundary)", "socialmap_activity", "socialmap_place"),
        caveats="How many residents belong to the target group is not known per neighbourhood, so the share is "
        "of all residents: 'a member of this group living here would have an accessible option'. "
        "Activities in a neighbouring municipality are not counted.",
        breakdown="participation type, or `any` for at least one of any type",
        dimensions=(BY_TARGET_GROUP,),
    ),
    # The four dynamic principles
    Indicator(
        code="diversity",
        family=PRINCIPLES,
        unit="count",
        name_nl="Diversiteit: toegankelijke keuze per soort en domein",
        name_en="Diversity: accessible choice per type and domain",
        numerator="Published activities active on the last day of the period without any barrier the target group "
        "is sensitive to, per participation type (`type.<code>`) and per domain of the social basis "
        "(`domain.<code>`).",
        denominator="—",
        population="Activities whose place lies in the area.",
        sources=("socialmap_activity", "socialmap_activity_domains"),
        caveats="An activity can have several domains, so the domain counts do not add up to the total.",
        breakdown="type.<code> or domain.<code>",
        dimensions=(BY_TARGET_GROUP,),
    ),
    Indicator(
        code="activism",
        family=PRINCIPLES,
        unit="percentage",
        name_nl="Activisme: deelnemers in een kleine groep met trekker",
        name_en="Activism: participants in a small group with a trekker",
        numerator="Participants who were a member, at any time in the period, of a group that had 5 to 10 members "
        "and at least one trekker on the last day of the period.",
        denominator="Participants: monitored profiles with at least one named attendance or a group membership in "
        "the period.",
        population=_PEOPLE_POPULATION,
        sources=("groups_group", "groups_membership", "monitor_attendance"),
        dimensions=(BY_ISOLATION,),
    ),
    Indicator(
        code="access_support",
        family=PRINCIPLES,
        unit="percentage",
        name_nl="Toegang: kwetsbare deelnemers met een actieve steunrelatie",
        name_en="Access: vulnerable participants with an active support relation",
        numerator="Vulnerable profiles with a support relation that was active on at least one day of the period.",
        denominator="Vulnerable profiles: monitored profiles with an isolation type, created before the end of the "
        "period.",
        population=_PEOPLE_POPULATION,
        sources=("people_residentprofile", "support_supportrelation"),
        dimensions=(BY_ISOLATION,),
    ),
    Indicator(
        code="access_time_to_match",
        family=PRINCIPLES,
        unit="days",
        name_nl="Toegang: wachttijd tot een maatje (mediaan)",
        name_en="Access: time from request to match (median)",
        numerator="Median number of days from the request for a supporter to the start of the relation, for "
        "relations that started in the period.",
        denominator="— (the number of relations behind the median is protected like a count)",
        population=_PEOPLE_POPULATION,
        sources=("support_supportrelation (requested_at, started_on)",),
        caveats="Relations created before the request date was recorded have none and are left out.",
        dimensions=(BY_ISOLATION,),
        additive=False,
        higher_is_better=False,
    ),
    Indicator(
        code="access_contact_continuity",
        family=PRINCIPLES,
        unit="percentage",
        name_nl="Toegang: steunrelaties met geregeld contact",
        name_en="Access: support relations with continuous contact",
        numerator="Relations active during the whole period with no gap longer than the contact signal "
        "(4 weeks by default) between contact moments, counted from the period's start to its end.",
        denominator="Relations active during the whole period.",
        population=_PEOPLE_POPULATION,
        sources=("support_supportrelation", "support_contactmoment"),
        dimensions=(BY_ISOLATION,),
    ),
    Indicator(
        code="coherence",
        family=PRINCIPLES,
        unit="percentage",
        name_nl="Samenhang: netwerk van activiteiten",
        name_en="Coherence: the network of activities",
        numerator="`linked`: activities linked to at least one other (shared participants in the period, the same "
        "organiser, or a referral made in the period from a participant of one to the other); `largest`: "
        "activities in the largest connected component (none when no two activities are linked).",
        denominator="Published activities with at least one session or referral in the period, or active on its "
        "last day.",
        population="Activities of the municipality; links from named attendance, organisations and referrals.",
        sources=("monitor_attendance", "socialmap_activity", "support_referral"),
        caveats="Components, bridges and communities (Leiden) are shown on the coherence page; the snapshot keeps "
        "their counts as `coherence_structure`. Links are weighted: shared participants (count), the same "
        "organiser (1; an organisation with more than 50 activities links them per district only), referrals "
        "(count). A participant with more than 20 activities in the period counts with their 20 most visited.",
        breakdown="linked or largest",
        levels=("GM", "WK"),
        additive=False,
    ),
    Indicator(
        code="coherence_structure",
        family=PRINCIPLES,
        unit="count",
        name_nl="Samenhang: componenten, bruggen en gemeenschappen",
        name_en="Coherence: components, bridges and communities",
        numerator="Connected components of two or more activities (isolated activities are counted by "
        "`coherence.linked`), bridges (links whose removal splits a component) and communities of two or more "
        "activities (Leiden, modularity) in the network of activities.",
        denominator="—",
        population="As `coherence`.",
        sources=("monitor_attendance", "socialmap_activity", "support_referral"),
        breakdown="components, bridges or communities",
        levels=("GM",),
        additive=False,
        higher_is_better=None,
    ),
    # Stability and dynamics
    Indicator(
        code="continuity_activities",
        family=DYNAMICS,
        unit="percentage",
        name_nl="Stabiliteit: activiteiten die doorlopen",
        name_en="Stability: activities that continue",
        numerator="Activities active on the first day of the period that are still active on its last day.",
        denominator="Activities active on the first day of the period.",
        population="Published activities whose place lies in the area.",
        sources=("socialmap_activity",),
    ),
    Indicator(
        code="retention",
        family=DYNAMICS,
        unit="percentage",
        name_nl="Stabiliteit: deelnemers die blijven komen",
        name_en="Stability: participants who keep coming",
        numerator="Participants with a named attendance in the previous period who also have one in this period.",
        denominator="Participants with a named attendance in the previous period.",
        population=_PEOPLE_POPULATION,
        sources=("monitor_attendance",),
        dimensions=(BY_ISOLATION,),
    ),
    Indicator(
        code="relation_duration",
        family=DYNAMICS,
        unit="days",
        name_nl="Stabiliteit: duur van steunrelaties (mediaan)",
        name_en="Stability: duration of support relations (median)",
        numerator="Median days from start to the end of the period (or the relation's end, if earlier) of relations "
        "active on at least one day of the period.",
        denominator="— (the number of relations is protected like a count)",
        population=_PEOPLE_POPULATION,
        sources=("support_supportrelation",),
        dimensions=(BY_ISOLATION,),
        additive=False,
    ),
    Indicator(
        code="new_initiatives",
        family=DYNAMICS,
        unit="count",
        name_nl="Dynamiek: nieuwe activiteiten",
        name_en="Dynamics: new activities",
        numerator="Published activities that started in the period (their first date, or when they were added).",
        denominator="—",
        population="Activities whose place lies in the area.",
        sources=("socialmap_activity",),
        over_time=True,
    ),
    Indicator(
        code="new_links",
        family=DYNAMICS,
        unit="count",
        name_nl="Dynamiek: nieuwe verbindingen tussen activiteiten",
        name_en="Dynamics: new links between activities",
        numerator="Pairs of activities that share a participant in this period and did not in the previous one.",
        denominator="—",
        population="Named attendance.",
        sources=("monitor_attendance",),
        levels=("GM",),
        additive=False,
    ),
    Indicator(
        code="new_participants",
        family=DYNAMICS,
        unit="count",
        name_nl="Dynamiek: nieuwe deelnemers",
        name_en="Dynamics: new participants",
        numerator="Participants whose first named attendance ever is in the period.",
        denominator="—",
        population=_PEOPLE_POPULATION,
        sources=("monitor_attendance",),
        dimensions=(BY_ISOLATION,),
        over_time=True,
    ),
    Indicator(
        code="inflow",
        family=DYNAMICS,
        unit="count",
        name_nl="Dynamiek: instroom",
        name_en="Dynamics: inflow",
        numerator="Participants with a named attendance in this period and none in the previous period.",
        denominator="—",
        population=_PEOPLE_POPULATION,
        sources=("monitor_attendance",),
        dimensions=(BY_ISOLATION,),
    ),
    Indicator(
        code="outflow",
        family=DYNAMICS,
        unit="count",
        name_nl="Dynamiek: uitstroom",
        name_en="Dynamics: outflow",
        numerator="Participants with a named attendance in the previous period and none in this period.",
        denominator="—",
        population=_PEOPLE_POPULATION,
        sources=("monitor_attendance",),
        dimensions=(BY_ISOLATION,),
        higher_is_better=False,
    ),
    Indicator(
        code="visits",
        family=DYNAMICS,
        unit="count",
        name_nl="Bezoeken aan activiteiten",
        name_en="Visits to activities",
        numerator="Attendance in the period: named rows plus anonymous head counts, per participation type of the "
        "activity (`total` is their sum).",
        denominator="—",
        population="Sessions of activities whose place lies in the area.",
        sources=("monitor_attendancesession",),
        breakdown="participation type, or total",
        over_time=True,
    ),
    # Outcomes
    Indicator(
        code="ladder_movement",
        family=OUTCOMES,
        unit="percentage",
        name_nl="Uitkomst: beweging op de participatieladder",
        name_en="Outcome: movement on the participation ladder",
        numerator="Profiles whose latest rung in the period is higher (`up`), the same (`same`) or lower (`down`) "
        "than their measurement before it.",
        denominator="Profiles with a measurement in the period and an earlier one.",
        population=_PEOPLE_POPULATION,
        sources=("people_laddermeasurement",),
        breakdown="up, same or down",
        dimensions=(BY_ISOLATION,),
    ),
    Indicator(
        code="loneliness_change",
        family=OUTCOMES,
        unit="percentage",
        name_nl="Uitkomst: verandering in eenzaamheid",
        name_en="Outcome: change in loneliness category",
        numerator="Profiles whose latest loneliness category in the period is lower (`better`), the same (`same`) "
        "or higher (`worse`) than in their measurement before it (De Jong Gierveld, 6 or 11 items).",
        denominator="Profiles with a scored measurement in the period and an earlier one.",
        population=_PEOPLE_POPULATION,
        sources=("people_lonelinessmeasurement",),
        caveats="The 6- and 11-item versions have different cut-offs; the categories are compared, not the scores.",
        breakdown="better, same or worse",
        dimensions=(BY_ISOLATION,),
    ),
    # Professional work
    Indicator(
        code="referrals_collective",
        family=PROFESSIONAL,
        unit="percentage",
        name_nl="Collectief werken: overdrachten naar groepen en activiteiten",
        name_en="Collective work: hand-overs to groups and activities",
        numerator="Warm hand-overs made in the period to an activity or a group.",
        denominator="All warm hand-overs made in the period (to an activity, a group or a supporter).",
        population=_PEOPLE_POPULATION,
        sources=("support_referral",),
        caveats="Seed 004: only 2% of wijkteams work collectively; this is the share of hand-overs, not of time.",
        dimensions=(BY_ISOLATION,),
        over_time=True,
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}


def indicator_of(value_code: str) -> Indicator:
    """The definition behind a value's code (`coverage.bewegen` → coverage)."""
    return BY_CODE[value_code.split(".", 1)[0]]


def breakdown_of(value_code: str) -> str:
    return value_code.split(".", 1)[1] if "." in value_code else ""
