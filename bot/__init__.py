"""Werkplekbot: answers employees' questions about werkplekleren from a curated Dutch FAQ."""

__version__ = "0.1.0"
