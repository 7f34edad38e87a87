"""Widgets the screens share: conversation turns and the deal meter."""
