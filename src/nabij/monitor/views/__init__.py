"""Monitor pages, one module per concept."""
