"""The social map's views, one module per audience."""
