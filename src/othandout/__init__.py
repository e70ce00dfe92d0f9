"""othandout: one content file in, print-ready handouts out."""

__version__ = "0.1.0"
