"""guard: reads a diff and says ship, report or ask."""

__version__ = "0.1.0"
