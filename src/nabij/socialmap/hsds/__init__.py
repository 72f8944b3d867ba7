"""HSDS 3.0 (Open Referral's Human Services Data Specification) out of and into the social map.

`export.export_hsds` writes a municipality's organisations, places (locations) and activities
(services) as one JSON file per HSDS table; `importer.import_hsds` reads that layout back, and the
data of other HSDS 3.0 publishers too. Barriers, participation types and the rest of Nabij's
classifications travel as HSDS attributes against published `nabij-*` taxonomies. See docs/hsds.md.
"""
