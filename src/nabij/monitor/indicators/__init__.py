"""The monitor's indicators: definitions (`definitions.py`) and one module per family that computes
them from a `MonitorData` (`data.py`) into `Cell`s (`cells.py`)."""
