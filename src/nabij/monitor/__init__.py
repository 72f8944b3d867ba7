"""The shared monitor: attendance from all partners, the arena's indicators with small-cell protection,
coverage and what-if, the coherence network, snapshots, dashboards and reports."""
