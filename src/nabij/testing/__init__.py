"""Test support shipped with the package: settings, factories and personas used by tests/."""
