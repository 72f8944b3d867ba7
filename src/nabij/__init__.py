"""Nabij: the participation arena of a Dutch municipality."""

__version__ = "0.1.0"
