"""Signals the people app sends, so support and groups can act without people importing them.

All are sent inside the service's transaction: what a receiver writes commits (or rolls back)
together with the change that caused it. Receivers connect in their app's `ready()`.
"""

from django.dispatch import Signal

# A consent was revoked; it takes effect at once. Arguments: `profile`, `purpose` (a
# ConsentPurpose value), `actor` (who revoked it; None for the system). Support takes the
# profile out of matching rounds and proposals, referrals pause.
consent_revoked = Signal()

# A profile was erased (after every consent was revoked, each with consent_revoked). Arguments:
# `profile` (already anonymised), `actor`. Apps remove or anonymise their own personal data
# about the resident, such as notes in contact moments.
profile_erased = Signal()

# A resident asked for an export of their data. Arguments: `profile`, `actor`. Each receiver
# returns a dict of JSON-ready sections to add, e.g. {"support_relations": [...]}, with no data
# about other people beyond what the resident may know. Section names must be unique.
collect_export = Signal()
