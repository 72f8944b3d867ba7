"""The baseline of bench/monitor.py: every indicator of a monitor snapshot, written by hand in DuckDB SQL.

The tables the snapshot reads are loaded from the SQLite file with `sqlite3` into DuckDB (through
pyarrow); the indicators are SQL over them, one row per series, group and area (GROUPING SETS over
municipality, district and neighbourhood, and per isolation type). What SQL is not the tool for is
left to the same Python libraries as the project, on the baseline's own data: the coverage grid (the
project's numpy `population_grid`) and the walking-distance pairs (scipy's cKDTree); the coherence
graph's components, bridges and Leiden communities (igraph, the same call and seed). The rows then
become the project's `Cell`s, in the project's order, for its `protect`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

LONELINESS = ("niet eenzaam", "matig eenzaam", "ernstig eenzaam", "zeer ernstig eenzaam")  # better → worse
BUCKETS = ("0", "1", "2", "3", "4+")


# --- load ---------------------------------------------------------------------------------

# name → (SQLite table, columns as `source [AS name] TYPE`, filter). :m is the municipality's pk, :S and
# :E the period. Dates and times arrive as SQLite's text and DuckDB casts them; times are UTC (Django's).
MINE = "WHERE municipality_id = :m"
OF_ACTIVITIES = "WHERE activity_id IN (SELECT id FROM socialmap_activity WHERE municipality_id = :m)"
TABLES: dict[str, tuple[str, str, str]] = {
    "district": ("core_district", "id BIGINT, code VARCHAR, name VARCHAR", MINE),
    "neighbourhood": (
        "core_neighbourhood",
        "id BIGINT, code VARCHAR, name VARCHAR, district_id BIGINT, population BIGINT, centroid_lat AS lat DOUBLE, "
        "centroid_lon AS lon DOUBLE, boundary VARCHAR",
        MINE,
    ),
    "ptype": ("socialmap_participationtype", "id BIGINT, code VARCHAR, position BIGINT", MINE),
    "domain": ("socialmap_domain", "id BIGINT, code VARCHAR, position BIGINT", MINE),
    "tgroup": ("socialmap_targetgroup", "code VARCHAR, sensitivity_mask AS sensitivity BIGINT", MINE),
    "barrier": ("socialmap_barrier", "bit BIGINT, relational BIGINT", MINE),
    "activity": (
        "socialmap_activity",
        "id BIGINT, status VARCHAR, participation_type_id AS type_id BIGINT, place_id BIGINT, organisation_id AS org "
        "BIGINT, barrier_mask BIGINT, active_from DATE, active_until DATE, dtstart TIMESTAMP",
        MINE,
    ),
    "place": (
        "socialmap_place",
        "id BIGINT, neighbourhood_id AS nb BIGINT, lat DOUBLE, lon DOUBLE",
        "WHERE id IN (SELECT place_id FROM socialmap_activity WHERE municipality_id = :m)",
    ),
    "bpc": (
        "socialmap_barrierprofilechange",
        "id BIGINT, activity_id BIGINT, at AS changed_at TIMESTAMP, old_mask BIGINT",
        MINE,
    ),
    "act_domain": ("socialmap_activity_domains", "activity_id BIGINT, domain_id BIGINT", OF_ACTIVITIES),
    # `+municipality_id`, NOT INDEXED: table scans. Through the (municipality, on) and (on) indexes
    # SQLite fetches the rows in random order: slower for these shares of a table (0.24 s instead of
    # 0.15 s for the period's sessions, several seconds instead of 0.3 s for all attendance on a busy disk).
    "session": (
        "monitor_attendancesession",
        'activity_id BIGINT, "on" AS day DATE, named_count AS named BIGINT, anonymous_count AS anonymous BIGINT',
        'WHERE +municipality_id = :m AND "on" BETWEEN :S AND :E',
    ),
    "att": (
        "monitor_attendance",
        'profile_id BIGINT, activity_id BIGINT, "on" AS day DATE',
        'WHERE +municipality_id = :m AND "on" <= :E',
    ),
    "profile": (
        "people_residentprofile",
        "id BIGINT, neighbourhood_id AS nb BIGINT, isolation_type AS iso VARCHAR, created_at TIMESTAMP, "
        "erased_at TIMESTAMP",
        MINE,
    ),
    "consent": ("people_consent", "profile_id BIGINT", MINE + " AND purpose = 'monitoring' AND revoked_at IS NULL"),
    "membership": (
        "groups_membership",
        "profile_id BIGINT, group_id BIGINT, role VARCHAR, joined_at TIMESTAMP, left_at TIMESTAMP",
        MINE,
    ),
    "group_activity": (
        "groups_group_activities",
        "group_id BIGINT, activity_id BIGINT",
        "WHERE group_id IN (SELECT id FROM groups_group WHERE municipality_id = :m)",
    ),
    "relation": (
        "support_supportrelation",
        "id BIGINT, participant_id BIGINT, status VARCHAR, started_on DATE, ended_on DATE, requested_at TIMESTAMP",
        MINE,
    ),
    "contact": (
        "support_contactmoment",
        'relation_id BIGINT, "on" AS day DATE',
        'NOT INDEXED WHERE +municipality_id = :m AND "on" BETWEEN :S AND :E',
    ),
    "referral": (
        "support_referral",
        "profile_id BIGINT, activity_id BIGINT, group_id BIGINT, created_at TIMESTAMP",
        MINE,
    ),
    "ladder": ("people_laddermeasurement", "profile_id BIGINT, measured_on AS day DATE, rung AS v BIGINT", MINE),
    "lonely": ("people_lonelinessmeasurement", "profile_id BIGINT, measured_on AS day DATE, category VARCHAR", MINE),
}
_ARROW = {"BIGINT": "int64", "DOUBLE": "float64"}  # everything else comes as text


def load(con: Any, path: Path, code: str, bounds: dict[str, str]) -> dict[str, Any]:
    """Every table the snapshot reads, for one municipality, from SQLite into DuckDB tables."""
    import pyarrow as pa  # type: ignore[import-untyped]

    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = source.execute(
            "SELECT m.id, m.centroid_lat, m.centroid_lon, s.min_count, s.min_base, s.walk_metres, s.detour_factor "
            "FROM core_municipality m LEFT JOIN monitor_monitorsettings s ON s.municipality_id = m.id WHERE code = ?",
            (code,),
        ).fetchone()
        for name, (table, columns, where) in TABLES.items():
            specs = [column.split() for column in columns.split(", ")]
            query = f"SELECT {', '.join(spec[0] for spec in specs)} FROM {table} {where}"
            rows = source.execute(query, {"m": row[0], "S": bounds["S"], "E": bounds["E"]}).fetchall()
            data = list(zip(*rows, strict=True)) if rows else [()] * len(specs)
            names = [(spec[-2], spec[-1]) for spec in specs]  # (name, type)
            arrow = pa.table(
                {f: pa.array(v, type=_ARROW.get(kind, "string")) for (f, kind), v in zip(names, data, strict=True)}
            )
            con.register("incoming", arrow)
            casts = ", ".join(f"CAST({f} AS {kind}) AS {f}" for f, kind in names)
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {casts} FROM incoming")
            con.unregister("incoming")
    finally:
        source.close()
    # No settings row: the model's defaults (as the snapshot's unsaved MonitorSettings).
    from nabij.monitor.models import snapshots as defaults

    return {
        "lat": row[1],
        "lon": row[2],
        "min_count": row[3] or defaults.DEFAULT_MIN_COUNT,
        "min_base": row[4] or defaults.DEFAULT_MIN_BASE,
        "radius": (row[5] or defaults.DEFAULT_WALK_METRES) / (row[6] or defaults.DEFAULT_DETOUR_FACTOR),
    }


# --- SQL ------------------------------------------------------------------------------------


def by_area(facts: str, measures: str, *, isolation: bool) -> str:
    """Aggregate `facts` (series, tg, nb = neighbourhood pk or NULL, iso, measure columns) to one row per
    series, group and area: the municipality (every row), its districts and neighbourhoods, and with
    `isolation` the same again per isolation type."""
    sets = ["(series, tg)", "(series, tg, wk)", "(series, tg, bu)"]
    if isolation:
        sets += ["(series, tg, iso)", "(series, tg, iso, wk)", "(series, tg, iso, bu)"]
    from nabij.monitor.indicators.grouping import ISOLATION_TYPES

    kinds = ", ".join(f"'{kind}'" for kind in ISOLATION_TYPES)
    iso = "iso, GROUPING(iso) AS gi" if isolation else "NULL AS iso, 1 AS gi"
    return f"""
        WITH f AS (SELECT f.*, a.bu, a.wk FROM ({facts}) f LEFT JOIN areas a ON a.nb = f.nb),
        g AS (SELECT series, tg, {iso}, bu, wk, GROUPING(wk) AS gw, GROUPING(bu) AS gb, {measures}
              FROM f GROUP BY GROUPING SETS ({", ".join(sets)}))
        SELECT series, CASE WHEN gi = 0 THEN 'isolation:' || iso ELSE tg END,
               CASE WHEN gb = 0 THEN bu WHEN gw = 0 THEN wk ELSE 'GM' END, n, d, v
        FROM g WHERE (gw = 1 OR wk IS NOT NULL) AND (gb = 1 OR bu IS NOT NULL) AND (gi = 1 OR iso IN ({kinds}))"""


COUNT = "sum(w) AS n, NULL AS d, NULL AS v"
SHARE = "sum(CASE WHEN num AND den THEN 1 ELSE 0 END) AS n, sum(CASE WHEN den THEN 1 ELSE 0 END) AS d, NULL AS v"
FIGURE = "count(*) AS n, NULL AS d, median(x) AS v"


def supply_sql(name: str, day: str, after: str, tz: str) -> str:
    """Published activities active on `day`, with the barrier mask they had then: the old mask of the
    first change after that day, or the current one."""
    return f"""
        CREATE OR REPLACE TABLE {name} AS
        WITH changed AS (SELECT activity_id, first(old_mask ORDER BY changed_at, id) AS old_mask FROM bpc
                         WHERE changed_at >= TIMESTAMP '{after}' GROUP BY activity_id)
        SELECT a.id, t.code AS type_code, p.nb, a.org, p.lat, p.lon, coalesce(c.old_mask, a.barrier_mask) AS mask,
               coalesce(a.active_from, CAST(a.dtstart AT TIME ZONE 'UTC' AT TIME ZONE '{tz}' AS DATE)) AS first_day
        FROM activity a LEFT JOIN place p ON p.id = a.place_id LEFT JOIN ptype t ON t.id = a.type_id
             LEFT JOIN changed c ON c.activity_id = a.id
        WHERE a.status = 'published' AND (a.active_from IS NULL OR a.active_from <= DATE '{day}')
              AND (a.active_until IS NULL OR a.active_until >= DATE '{day}')"""


def prepare(con: Any, b: dict[str, str], tz: str, signal_days: int) -> None:
    """The shared tables: areas, target groups, the supply at both ends, the people and their relations."""
    con.execute("""
        CREATE OR REPLACE TABLE areas AS
        SELECT n.id AS nb, n.code AS bu, d.code AS wk FROM neighbourhood n JOIN district d ON d.id = n.district_id;
        CREATE OR REPLACE TABLE tgroups AS SELECT code, sensitivity & ~(
            SELECT coalesce(bit_or(CAST(1 AS BIGINT) << bit), 0) FROM barrier WHERE relational <> 0) AS mask
        FROM tgroup""")
    con.execute(supply_sql("supply_start", b["S"], b["after_S"], tz))
    con.execute(supply_sql("supply_end", b["E"], b["after_E"], tz))
    con.execute(f"""
        CREATE OR REPLACE TABLE people AS
        WITH seen AS (SELECT profile_id, bool_or(day >= DATE '{b["S"]}') AS now,
                             bool_or(day BETWEEN DATE '{b["PS"]}' AND DATE '{b["PE"]}') AS before, min(day) AS first
                      FROM att WHERE day <= DATE '{b["E"]}' GROUP BY profile_id)
        SELECT p.id, p.nb, coalesce(p.iso, '') AS iso, p.created_at, coalesce(s.now, false) AS now,
               coalesce(s.before, false) AS before, coalesce(s.now AND s.first >= DATE '{b["S"]}', false) AS new
        FROM profile p LEFT JOIN seen s ON s.profile_id = p.id
        WHERE p.erased_at IS NOT NULL OR p.id IN (SELECT profile_id FROM consent);
        CREATE OR REPLACE TABLE rel AS
        SELECT r.id, r.participant_id, r.started_on, r.ended_on, r.requested_at, p.nb, p.iso FROM relation r
        LEFT JOIN people p ON p.id = r.participant_id
        WHERE r.status IN ('active', 'ended') AND r.started_on IS NOT NULL AND r.started_on <= DATE '{b["E"]}'
              AND (r.ended_on IS NULL OR r.ended_on >= DATE '{b["S"]}');
        CREATE OR REPLACE TABLE steady AS
        WITH whole AS (SELECT id FROM rel WHERE started_on <= DATE '{b["S"]}'
                           AND (ended_on IS NULL OR ended_on >= DATE '{b["E"]}')),
             days AS (SELECT id, DATE '{b["S"]}' AS day FROM whole UNION ALL SELECT id, DATE '{b["E"]}' FROM whole
                      UNION ALL SELECT c.relation_id, c.day FROM contact c JOIN whole w ON w.id = c.relation_id
                      WHERE c.day BETWEEN DATE '{b["S"]}' AND DATE '{b["E"]}'),
             gaps AS (SELECT id, day - lag(day) OVER (PARTITION BY id ORDER BY day) AS gap FROM days)
        SELECT id, max(gap) <= {signal_days} AS ok FROM gaps GROUP BY id""")


def indicator_sql(b: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(facts, measures, by isolation type) per query; together every indicator except coverage and coherence."""
    from nabij.groups.models import LARGEST, SMALLEST  # a small group: 5 to 10 members

    S, E = f"DATE '{b['S']}'", f"DATE '{b['E']}'"
    start_utc, end_utc = f"TIMESTAMP '{b['S_utc']}'", f"TIMESTAMP '{b['E1_utc']}'"
    bucket = "CASE WHEN bit_count(s.mask & g.mask) >= 4 THEN '4+' ELSE CAST(bit_count(s.mask & g.mask) AS VARCHAR) END"
    supply_counts = f"""
        SELECT 'barrier_table.' || s.type_code || '.' || {bucket} AS series, g.code AS tg, s.nb, NULL AS iso, 1 AS w
        FROM supply_end s, tgroups g WHERE s.type_code IS NOT NULL
        UNION ALL SELECT 'barrier_table.' || s.type_code || '.total', g.code, s.nb, NULL, 1
        FROM supply_end s, tgroups g WHERE s.type_code IS NOT NULL
        UNION ALL SELECT 'diversity.type.' || s.type_code, g.code, s.nb, NULL, 1
        FROM supply_end s, tgroups g WHERE s.type_code IS NOT NULL AND s.mask & g.mask = 0
        UNION ALL SELECT 'diversity.domain.' || d.code, g.code, s.nb, NULL, 1
        FROM supply_end s JOIN act_domain x ON x.activity_id = s.id JOIN domain d ON d.id = x.domain_id, tgroups g
        WHERE s.mask & g.mask = 0
        UNION ALL SELECT 'new_initiatives', '', nb, NULL, 1 FROM supply_end WHERE first_day BETWEEN {S} AND {E}
        UNION ALL (WITH per AS (SELECT activity_id, sum(named) + sum(anonymous) AS n FROM session
                                WHERE day BETWEEN {S} AND {E} GROUP BY activity_id)
                   SELECT unnest(['visits.' || t.code, 'visits.total']), '', p.nb, NULL, per.n
                   FROM per JOIN activity a ON a.id = per.activity_id LEFT JOIN place p ON p.id = a.place_id
                   LEFT JOIN ptype t ON t.id = a.type_id)"""
    continuity = """SELECT 'continuity_activities' AS series, '' AS tg, nb, NULL AS iso,
                           id IN (SELECT id FROM supply_end) AS num, true AS den FROM supply_start"""
    people_counts = """
        SELECT 'new_participants' AS series, '' AS tg, nb, iso, 1 AS w FROM people WHERE new
        UNION ALL SELECT 'inflow', '', nb, iso, 1 FROM people WHERE now AND NOT before
        UNION ALL SELECT 'outflow', '', nb, iso, 1 FROM people WHERE before AND NOT now"""
    moves = """
        WITH m AS (SELECT profile_id, day, v, count(*) OVER (PARTITION BY profile_id) AS k,
                          row_number() OVER (PARTITION BY profile_id ORDER BY day DESC, v DESC) AS r FROM {table})
        SELECT profile_id, sign(max(v) FILTER (r = 1) - max(v) FILTER (r = 2)) AS move FROM m
        WHERE r <= 2 AND k >= 2 GROUP BY profile_id HAVING max(day) FILTER (r = 1) >= {S}"""
    ladder = moves.format(table=f"(SELECT * FROM ladder WHERE day <= {E})", S=S)
    order = ", ".join(f"'{category}'" for category in LONELINESS)
    lonely = moves.format(
        table=f"(SELECT profile_id, day, list_position([{order}], category) AS v FROM lonely "
        f"WHERE day <= {E} AND category IN ({order}))",
        S=S,
    )
    people_shares = f"""
        WITH ov AS (SELECT * FROM membership
                    WHERE joined_at < {end_utc} AND (left_at IS NULL OR left_at >= {start_utc})),
             binding AS (SELECT group_id FROM ov WHERE left_at IS NULL OR left_at >= {end_utc} GROUP BY group_id
                         HAVING count(*) BETWEEN {SMALLEST} AND {LARGEST} AND bool_or(role = 'trekker')),
             member AS (SELECT profile_id, bool_or(group_id IN (SELECT group_id FROM binding)) AS bound
                        FROM ov GROUP BY profile_id),
             ladder AS ({ladder}), lonely AS ({lonely})
        SELECT 'activism' AS series, '' AS tg, p.nb, p.iso, coalesce(m.bound, false) AS num,
               p.now OR m.profile_id IS NOT NULL AS den FROM people p LEFT JOIN member m ON m.profile_id = p.id
        UNION ALL SELECT 'access_support', '', nb, iso, id IN (SELECT participant_id FROM rel),
               iso <> '' AND created_at < {end_utc} FROM people
        UNION ALL SELECT 'access_contact_continuity', '', r.nb, r.iso, s.ok, true
        FROM steady s JOIN rel r ON r.id = s.id WHERE r.iso IS NOT NULL
        UNION ALL SELECT 'retention', '', nb, iso, now, before FROM people
        UNION ALL SELECT 'ladder_movement.' || label, '', p.nb, p.iso, l.move = want, true
        FROM ladder l JOIN people p ON p.id = l.profile_id, (VALUES ('up', 1), ('same', 0), ('down', -1)) s(label, want)
        UNION ALL SELECT 'loneliness_change.' || label, '', p.nb, p.iso, l.move = want, true
        FROM lonely l JOIN people p ON p.id = l.profile_id,
             (VALUES ('better', -1), ('same', 0), ('worse', 1)) s(label, want)
        UNION ALL SELECT 'referrals_collective', '', p.nb, p.iso, r.activity_id IS NOT NULL OR r.group_id IS NOT NULL,
               true FROM referral r JOIN people p ON p.id = r.profile_id
        WHERE r.created_at >= {start_utc} AND r.created_at < {end_utc}"""
    people_figures = f"""
        SELECT 'access_time_to_match' AS series, '' AS tg, nb, iso,
               started_on - CAST(requested_at AT TIME ZONE 'UTC' AT TIME ZONE '{b["tz"]}' AS DATE) AS x
        FROM rel WHERE iso IS NOT NULL AND requested_at IS NOT NULL AND started_on BETWEEN {S} AND {E}
        UNION ALL SELECT 'relation_duration', '', nb, iso, least(coalesce(ended_on, {E}), {E}) - started_on
        FROM rel WHERE iso IS NOT NULL"""
    return [
        (supply_counts, COUNT, False),
        (continuity, SHARE, False),
        (people_counts, COUNT, True),
        (people_shares, SHARE, True),
        (people_figures, FIGURE, True),
    ]


def coverage_sql(con: Any, ctx: dict[str, Any]) -> list[tuple]:
    """(target group, kind, area, covered residents, residents). The grid and the pairs within reach are
    numpy/scipy (the project's grid builder, cKDTree); which points are covered is SQL."""
    import numpy as np
    import pyarrow as pa
    from scipy.spatial import cKDTree

    from nabij.monitor.coverage import AreaShape, Projection, population_grid

    projection = Projection(ctx["lat"], ctx["lon"])
    shapes = con.execute("SELECT code, population, lat, lon, boundary FROM neighbourhood ORDER BY code").fetchall()
    grid = population_grid(
        [AreaShape(c, p or 0, lat, lon, json.loads(b) if b else None) for c, p, lat, lon, b in shapes], projection
    )
    located = con.execute("SELECT id, lat, lon FROM supply_end WHERE lat IS NOT NULL AND lon IS NOT NULL").fetchnumpy()
    x, y = projection.to_xy(located["lat"], located["lon"])
    sites, site = np.unique(np.round(np.column_stack([x, y]), 3), axis=0, return_inverse=True)
    pairs = cKDTree(np.column_stack([grid.x, grid.y])).sparse_distance_matrix(
        cKDTree(sites), ctx["radius"], output_type="ndarray"
    )
    con.register("act_site", pa.table({"id": located["id"], "site": site.ravel()}))
    con.register("pairs", pa.table({"point": pairs["i"].astype(np.int64), "site": pairs["j"].astype(np.int64)}))
    con.register("grid_point", pa.table({"point": np.arange(len(grid.x)), "area": grid.area}))
    con.register(
        "grid_area",
        pa.table({"code": grid.codes, "idx": np.arange(len(grid.codes)), "pop": grid.population, "cnt": grid.count}),
    )
    return con.execute("""
        WITH acc AS (SELECT g.code AS tg, s.site, e.type_code
                     FROM supply_end e JOIN act_site s ON s.id = e.id, tgroups g WHERE e.mask & g.mask = 0),
             kinds AS (SELECT DISTINCT tg, type_code AS kind, site FROM acc WHERE type_code IS NOT NULL
                       UNION SELECT DISTINCT tg, 'any', site FROM acc),
             points AS (SELECT DISTINCT k.tg, k.kind, p.point FROM kinds k JOIN pairs p ON p.site = k.site),
             hits AS (SELECT tg, kind, q.area, count(*) AS hits FROM points JOIN grid_point q ON q.point = points.point
                      GROUP BY ALL),
             covered AS (SELECT h.tg, h.kind, a.code AS bu,
                                (2 * a.pop * h.hits + greatest(a.cnt, 1)) // (2 * greatest(a.cnt, 1)) AS residents
                         FROM hits h JOIN grid_area a ON a.idx = h.area),
             kinds_all AS (SELECT code AS tg, kind FROM tgroups, (SELECT code AS kind FROM ptype UNION SELECT 'any')),
             base AS (SELECT k.tg, k.kind, n.code AS bu, coalesce(c.residents, 0) AS residents, n.population
                      FROM (kinds_all k CROSS JOIN neighbourhood n)
                      LEFT JOIN covered c ON c.tg = k.tg AND c.kind = k.kind AND c.bu = n.code)
        SELECT b.tg, b.kind, coalesce(b.bu, a.wk, 'GM'), sum(b.residents), sum(b.population)
        FROM base b JOIN areas a ON a.bu = b.bu GROUP BY GROUPING SETS ((b.tg, b.kind), (b.tg, b.kind, a.wk),
                                                                        (b.tg, b.kind, b.bu))""").fetchall()


def coherence_sql(con: Any, b: dict[str, str]) -> dict[str, Any]:
    """The network's links in SQL (shared participants, organisers, referrals), its structure with igraph."""
    import random

    import igraph
    import numpy as np

    S, E, PS, PE = (f"DATE '{b[k]}'" for k in ("S", "E", "PS", "PE"))
    top = """SELECT p, a FROM (SELECT p, a, row_number() OVER (PARTITION BY p ORDER BY v DESC, a) AS k FROM {t})
             WHERE k <= 20"""
    attended = """SELECT profile_id AS p, activity_id AS a, count(*) AS v FROM att
                   WHERE day BETWEEN {s} AND {e} AND profile_id IN (SELECT id FROM people) GROUP BY ALL"""
    con.execute(f"""
        CREATE OR REPLACE TABLE attended AS {attended.format(s=S, e=E)};
        CREATE OR REPLACE TABLE referred AS
        SELECT r.profile_id AS p, coalesce(r.activity_id, x.activity_id) AS target FROM referral r
        LEFT JOIN group_activity x ON r.activity_id IS NULL AND x.group_id = r.group_id
        WHERE r.created_at >= TIMESTAMP '{b["S_utc"]}' AND r.created_at < TIMESTAMP '{b["E1_utc"]}'
              AND r.profile_id IN (SELECT id FROM people) AND coalesce(r.activity_id, x.activity_id) IS NOT NULL;
        CREATE OR REPLACE TABLE nodes AS
        SELECT a.id, a.org, n.district_id, ar.wk, row_number() OVER (ORDER BY a.id) - 1 AS i FROM activity a
        LEFT JOIN place p ON p.id = a.place_id LEFT JOIN neighbourhood n ON n.id = p.nb
        LEFT JOIN areas ar ON ar.nb = p.nb
        WHERE a.status = 'published' AND (((a.active_from IS NULL OR a.active_from <= {E})
              AND (a.active_until IS NULL OR a.active_until >= {E}))
              OR a.id IN (SELECT activity_id FROM session WHERE day BETWEEN {S} AND {E})
              OR a.id IN (SELECT target FROM referred));
        CREATE OR REPLACE TABLE links AS
        WITH top AS ({top.format(t="attended")}),
             shared AS (SELECT x.a, y.a AS b, count(*) AS n FROM top x JOIN top y ON x.p = y.p AND x.a < y.a
                        GROUP BY ALL),
             sized AS (SELECT id, org, CASE WHEN count(*) OVER (PARTITION BY org) > 50
                                            THEN coalesce(district_id, -1) + 1 ELSE 0 END AS part FROM nodes),
             organiser AS (SELECT x.id AS a, y.id AS b FROM sized x JOIN sized y
                           ON x.org = y.org AND x.part = y.part AND x.id < y.id),
             referral AS (SELECT least(t.a, r.target) AS a, greatest(t.a, r.target) AS b, count(DISTINCT t.p) AS n
                          FROM referred r JOIN attended t ON t.p = r.p WHERE t.a <> r.target GROUP BY ALL),
             evidence AS (SELECT a, b, n AS shared, 0 AS org, 0 AS ref FROM shared
                          UNION ALL SELECT a, b, 0, 1, 0 FROM organiser UNION ALL SELECT a, b, 0, 0, n FROM referral)
        SELECT x.i, y.i AS j, e.a, e.b, sum(e.shared) AS shared, sum(e.org) + sum(e.ref) + sum(e.shared) AS weight
        FROM evidence e JOIN nodes x ON x.id = e.a JOIN nodes y ON y.id = e.b GROUP BY ALL ORDER BY e.a, e.b""")
    new_links = con.execute(f"""
        WITH previous AS ({attended.format(s=PS, e=PE)}), top AS ({top.format(t="previous")}),
             pairs AS (SELECT DISTINCT x.a, y.a AS b FROM top x JOIN top y ON x.p = y.p AND x.a < y.a)
        SELECT count(*) FROM links l ANTI JOIN pairs q ON q.a = l.a AND q.b = l.b WHERE l.shared > 0""").fetchone()[0]
    links = con.execute("SELECT i, j, weight FROM links").fetchnumpy()
    wk = [w or "" for (w,) in con.execute("SELECT wk FROM nodes ORDER BY i").fetchall()]
    graph = igraph.Graph(n=len(wk), edges=np.column_stack([links["i"], links["j"]]).tolist(), directed=False)
    component = np.array(graph.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(component, minlength=1) if len(wk) else np.zeros(0, dtype=np.int64)
    real = [int(c) for c in np.argsort(-sizes, kind="stable") if sizes[c] >= 2]
    communities = 0
    if graph.ecount():
        # The same Leiden call and seed as the project (igraph's generator is process-wide).
        igraph.set_random_number_generator(random.Random(5))
        try:
            membership = graph.community_leiden(
                objective_function="modularity", weights=links["weight"].astype(float).tolist(), n_iterations=-1
            ).membership
        finally:
            igraph.set_random_number_generator(random)
        communities = int((np.bincount(membership) >= 2).sum())
    return {
        "wk": np.array(wk, dtype=object),
        "linked": np.array(graph.degree(), dtype=np.int64) > 0,
        "largest": component == real[0] if real else np.zeros(len(wk), dtype=bool),
        "components": len(real),
        "bridges": len(graph.bridges()) if graph.ecount() else 0,
        "communities": communities,
        "new_links": int(new_links),
    }


def day_bounds(period: Any, tz: str) -> dict[str, str]:
    """The period's dates as SQL literals, and local midnights as the UTC times Django stores."""
    import datetime as dt

    def utc(day: dt.date) -> str:
        midnight = dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(tz))
        return midnight.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")

    previous, one = period.previous(), dt.timedelta(days=1)
    return {
        "tz": tz,
        "S": period.start.isoformat(),
        "E": period.end.isoformat(),
        "PS": previous.start.isoformat(),
        "PE": previous.end.isoformat(),
        "S_utc": utc(period.start),
        "E1_utc": utc(period.end + one),
        "after_S": utc(period.start + one),
        "after_E": utc(period.end + one),
    }


def baseline(path: Path, code: str, period: Any) -> tuple[dict[str, float], list[Any], list[Any]]:
    """Load, compute every indicator in DuckDB, protect. Returns the seconds per step and the cells
    before and after protection."""
    import duckdb
    from django.conf import settings

    from nabij.monitor.areas import AreaTree
    from nabij.monitor.suppression import protect

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    con = duckdb.connect()
    bounds = day_bounds(period, settings.TIME_ZONE)
    ctx = load(con, path, code, bounds)
    seconds["load"] = time.perf_counter() - started
    mark = time.perf_counter()
    prepare(con, bounds, settings.TIME_ZONE, settings.NABIJ_CONTACT_SIGNAL_WEEKS * 7)
    results: dict[tuple[str, str, str], tuple] = {}
    for facts, measures, isolation in indicator_sql(bounds):
        for series, group, area, n, d, v in con.execute(by_area(facts, measures, isolation=isolation)).fetchall():
            results[(series, group, area)] = (n, d, v)
    seconds["sql"] = time.perf_counter() - mark
    mark = time.perf_counter()
    coverage = {(g, kind, area): (n, d) for g, kind, area, n, d in coverage_sql(con, ctx)}
    seconds["coverage"] = time.perf_counter() - mark
    mark = time.perf_counter()
    network = coherence_sql(con, bounds)
    seconds["coherence"] = time.perf_counter() - mark
    mark = time.perf_counter()
    tree = AreaTree(municipality=code)
    for pk, district, name in con.execute("SELECT id, code, name FROM district ORDER BY code").fetchall():
        tree.districts[district] = name
        tree.district_code[pk] = district
    for pk, bu, name, wk, population in con.execute(
        "SELECT n.id, n.code, n.name, d.code, n.population FROM neighbourhood n "
        "JOIN district d ON d.id = n.district_id ORDER BY n.code"
    ).fetchall():
        tree.neighbourhoods[bu], tree.neighbourhood_code[pk] = name, bu
        tree.district_of[bu], tree.population[bu] = wk, population or 0
    catalogue = {
        "types": [c for (c,) in con.execute("SELECT code FROM ptype ORDER BY position, code").fetchall()],
        "domains": [c for (c,) in con.execute("SELECT code FROM domain ORDER BY position, code").fetchall()],
        "groups": [c for (c,) in con.execute("SELECT code FROM tgroups ORDER BY code").fetchall()],
    }
    con.close()
    cells = assemble(tree, catalogue, results, coverage, network)
    seconds["cells"] = time.perf_counter() - mark
    raw = [replace(cell) for cell in cells]  # for the comparison, not timed: protect changes the cells
    mark = time.perf_counter()
    published = protect(cells, tree, min_count=ctx["min_count"], min_base=ctx["min_base"])
    seconds["protect"] = time.perf_counter() - mark
    return seconds, raw, published


def assemble(
    tree: Any,
    catalogue: dict[str, list[str]],
    results: dict[tuple[str, str, str], tuple],
    coverage: dict[tuple[str, str, str], tuple],
    network: dict[str, Any],
) -> list[Any]:
    """The SQL's rows as the project's cells, every area included (zeros too), in the project's order:
    small-cell protection breaks ties by position, so the same cells must come in the same order."""
    from nabij.monitor.indicators.cells import count_cell, figure_cell, percentage_cell
    from nabij.monitor.indicators.grouping import ISOLATION_TYPES

    gm, districts, neighbourhoods = tree.municipality, sorted(tree.districts), sorted(tree.neighbourhoods)
    areas = [gm, *districts, *neighbourhoods]
    everyone = [""]
    by_isolation = ["", *(f"isolation:{kind}" for kind in ISOLATION_TYPES)]

    def row(series: str, group: str, area: str) -> tuple:
        return results.get((series, group, "GM" if area == gm else area)) or (0, 0, None)

    def counts(series: str, groups: list[str]) -> list[Any]:
        return [count_cell(series, a, g, float(round(row(series, g, a)[0], 6))) for g in groups for a in areas]

    def shares(series: str, groups: list[str]) -> list[Any]:
        out = []
        for g in groups:
            for a in areas:
                n, d, _v = row(series, g, a)
                out.append(percentage_cell(series, a, g, float(n), float(d)))
        return out

    def figures(series: str) -> list[Any]:
        out = []
        for g in by_isolation:
            for a in areas:
                n, _d, v = row(series, g, a)
                out.append(figure_cell(series, "days", a, g, float(v) if n else None, int(n)))
        return out

    cells: list[Any] = []
    types, groups = catalogue["types"], catalogue["groups"]
    for group in groups:
        for t in types:
            for label in (*BUCKETS, "total"):
                cells += counts(f"barrier_table.{t}.{label}", [group])
    for group in groups:
        cells += [c for t in types for c in counts(f"diversity.type.{t}", [group])]
        cells += [c for d in catalogue["domains"] for c in counts(f"diversity.domain.{d}", [group])]
    cells += shares("continuity_activities", everyone) + counts("new_initiatives", everyone)
    for group in groups:
        for kind in (*types, "any"):
            for area in (*neighbourhoods, *districts, gm):
                n, d = coverage.get((group, kind, "GM" if area == gm else area), (0, 0))
                cells.append(percentage_cell(f"coverage.{kind}", area, group, int(n), int(d)))
    cells += [c for t in (*types, "total") for c in counts(f"visits.{t}", everyone)]
    cells += shares("activism", by_isolation) + shares("access_support", by_isolation)
    cells += figures("access_time_to_match")
    cells += shares("access_contact_continuity", by_isolation) + figures("relation_duration")
    cells += shares("retention", by_isolation)
    for series in ("new_participants", "inflow", "outflow"):
        cells += counts(series, by_isolation)
    for series in ("ladder_movement.up", "ladder_movement.same", "ladder_movement.down"):
        cells += shares(series, by_isolation)
    for series in ("loneliness_change.better", "loneliness_change.same", "loneliness_change.worse"):
        cells += shares(series, by_isolation)
    cells += shares("referrals_collective", by_isolation)
    for flag in ("linked", "largest"):
        flags = network[flag]
        cells.append(percentage_cell(f"coherence.{flag}", gm, "", int(flags.sum()), len(flags)))
        for district in districts:
            here = network["wk"] == district
            cells.append(percentage_cell(f"coherence.{flag}", district, "", int(flags[here].sum()), int(here.sum())))
    for name in ("components", "bridges", "communities"):
        cells.append(count_cell(f"coherence_structure.{name}", gm, "", network[name]))
    cells.append(count_cell("new_links", gm, "", network["new_links"]))
    return cells
