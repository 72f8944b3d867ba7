"""Monitor writes, one module per concept: every write goes through here."""
