"""Shadowbox: rehearse sales negotiations against scripted buyers."""

__version__ = "0.1.0"
