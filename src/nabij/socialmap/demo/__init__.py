"""Demo steps of the social map: organisations, their places, and activities with barrier profiles."""

from nabij.socialmap.demo import activities, organisations, places

__all__ = ["activities", "organisations", "places"]
