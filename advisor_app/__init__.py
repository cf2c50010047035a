"""Mowakaba: the field advisor's desktop application and its HQ server."""

__version__ = "0.1.0"
