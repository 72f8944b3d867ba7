"""Signals core sends, so that apps which build on core can act without core importing them."""

from django.dispatch import Signal

# Sent inside the import's transaction and the municipality's scope, after a municipality is
# created by the area import; arguments: `municipality`, `actor`. The social map gives it its
# default catalogues (barriers, participation types, domains, target groups).
municipality_created = Signal()
