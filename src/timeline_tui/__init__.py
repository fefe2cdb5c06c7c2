"""timeline-tui: a terminal timeline explorer over a YAML event log."""

__version__ = "0.1.0"
