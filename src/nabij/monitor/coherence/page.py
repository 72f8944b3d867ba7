"""What the coherence page shows, in plain data: figures, suggested links, bridges, communities and
isolated activities per district. Activities, organisations and counts; never people.

At city scale the network takes seconds to compute, so the overview is cached for a few minutes under
a key that changes when sessions, referrals, consents or activities change (what it cannot see, such
as a late row in an existing session, a place that moves or a group's activities, shows after at most
CACHE_SECONDS).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from nabij.core.models import Municipality
from nabij.monitor.areas import AreaTree, area_tree
from nabij.monitor.coherence.loader import network_for
from nabij.monitor.coherence.network import ActivityNode, Link, Network
from nabij.monitor.models import AttendanceSession
from nabij.monitor.models.snapshots import DEFAULT_MIN_COUNT
from nabij.monitor.periods import Period
from nabij.people.models import Consent
from nabij.socialmap.models import Activity
from nabij.support.models import Referral

CACHE_SECONDS = 600
MAX_BRIDGES = 25
MAX_ISOLATED_NAMES = 100  # per district; the count is always complete
SMALL = DEFAULT_MIN_COUNT  # counts of people below the municipality's threshold are shown as "<5"


def people_count(count: int, min_count: int = SMALL) -> str:
    """A count of people as the page may show it: 1 to `min_count - 1` becomes "<5" (with the
    municipality's threshold in place of 5: small-cell protection)."""
    return f"<{min_count}" if 0 < count < min_count else str(count)


@dataclass(frozen=True)
class ActivityRef:
    title: str
    organisation: str


@dataclass(frozen=True)
class LinkRow:
    a: ActivityRef
    b: ActivityRef
    participants: str  # "<5", "12" or "" (none)
    organiser: bool
    referrals: str
    separates: int = 0


@dataclass(frozen=True)
class SuggestionRow:
    a: ActivityRef
    b: ActivityRef
    perspective: str
    distance_m: int  # rounded to 10 m


@dataclass(frozen=True)
class CommunityRow:
    number: int
    size: int
    organisations: tuple[tuple[str, int], ...]
    types: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DistrictRow:
    code: str  # "" for activities without a district (no place, or a place outside the areas)
    name: str
    activities: int
    linked: int
    largest: int
    isolated: int
    isolated_names: tuple[ActivityRef, ...]

    @property
    def linked_share(self) -> float | None:
        return round(100 * self.linked / self.activities, 1) if self.activities else None

    @property
    def largest_share(self) -> float | None:
        return round(100 * self.largest / self.activities, 1) if self.activities else None


@dataclass(frozen=True)
class Overview:
    period: str
    computed_at: dt.datetime
    activities: int
    linked: int
    largest: int
    isolated: int
    components: int
    bridges: int
    communities: int
    modularity: float | None
    suggestion_rows: list[SuggestionRow] = field(default_factory=list)
    bridge_rows: list[LinkRow] = field(default_factory=list)
    community_rows: list[CommunityRow] = field(default_factory=list)
    district_rows: list[DistrictRow] = field(default_factory=list)

    @property
    def linked_share(self) -> float | None:
        return round(100 * self.linked / self.activities, 1) if self.activities else None

    @property
    def largest_share(self) -> float | None:
        return round(100 * self.largest / self.activities, 1) if self.activities else None


def _ref(node: ActivityNode) -> ActivityRef:
    return ActivityRef(node.title, node.organisation)


def _link_row(network: Network, link: Link, min_count: int, separates: int = 0) -> LinkRow:
    return LinkRow(
        a=_ref(network.node(link.a)),
        b=_ref(network.node(link.b)),
        participants=people_count(link.participants, min_count) if link.participants else "",
        organiser=link.organiser,
        referrals=people_count(link.referrals, min_count) if link.referrals else "",
        separates=separates,
    )


def build_overview(network: Network, tree: AreaTree, min_count: int = SMALL) -> Overview:
    """The page's content from a computed network (pure: no database). `min_count`: the municipality's
    small-cell threshold for the counts of people on a link."""
    district_of = [
        tree.district_of.get(tree.neighbourhood_code.get(n.neighbourhood_id, ""), "")
        if n.neighbourhood_id is not None
        else ""
        for n in network.nodes
    ]
    codes = np.array(district_of, dtype=object)
    rows = []
    for code in [*sorted(tree.districts, key=lambda c: tree.districts[c]), ""]:
        here = codes == code
        if code == "" and not here.any():
            continue
        isolated = [node for node, flag in zip(network.nodes, here & ~network.linked, strict=True) if flag]
        isolated.sort(key=lambda n: (n.title.casefold(), n.id))
        rows.append(
            DistrictRow(
                code=code,
                name=tree.districts.get(code, ""),
                activities=int(here.sum()),
                linked=int((here & network.linked).sum()),
                largest=int((here & network.in_largest).sum()),
                isolated=len(isolated),
                isolated_names=tuple(_ref(n) for n in isolated[:MAX_ISOLATED_NAMES]),
            )
        )
    return Overview(
        period=network.period,
        computed_at=timezone.now(),
        activities=len(network.nodes),
        linked=int(network.linked.sum()),
        largest=int(network.in_largest.sum()),
        isolated=int((~network.linked).sum()),
        components=network.components,
        bridges=len(network.bridges),
        communities=len(network.communities),
        modularity=None if network.modularity is None else round(network.modularity, 2),
        suggestion_rows=[
            SuggestionRow(_ref(network.node(s.a)), _ref(network.node(s.b)), s.perspective, int(round(s.distance_m, -1)))
            for s in network.suggestions
        ],
        bridge_rows=[_link_row(network, b.link, min_count, b.separates) for b in network.bridges[:MAX_BRIDGES]],
        community_rows=[CommunityRow(c.number, c.size, c.top_organisations, c.top_types) for c in network.communities],
        district_rows=rows,
    )


def _fingerprint(municipality: Municipality) -> str:
    """Changes when sessions, referrals, consents or activities are added or changed: cheap indexed
    aggregates. (Counting the attendance rows themselves takes a second at city scale; a row added to
    an existing session or removed shows after at most CACHE_SECONDS.)"""
    parts = [
        AttendanceSession.objects.filter(municipality=municipality).aggregate(last=Max("pk")),
        Referral.objects.filter(municipality=municipality).aggregate(n=Count("pk"), last=Max("pk")),
        Consent.objects.filter(municipality=municipality).aggregate(
            n=Count("pk"), revoked=Count("revoked_at"), last=Max("pk")
        ),
        Activity.objects.filter(municipality=municipality).aggregate(n=Count("pk"), at=Max("updated_at")),
    ]
    text = "|".join(f"{sorted(part.items())}" for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def coherence_overview(municipality: Municipality, period: Period, min_count: int) -> Overview:
    """The overview of one municipality's period, from the cache when nothing changed. Needs its scope."""
    key = f"nabij:monitor:coherence:{municipality.pk}:{period.code}:{min_count}:{_fingerprint(municipality)}"
    overview: Overview | None = cache.get(key)
    if overview is None:
        overview = build_overview(network_for(municipality, period), area_tree(municipality), min_count)
        cache.set(key, overview, CACHE_SECONDS)
    return overview
