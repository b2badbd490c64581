"""Demonstration data for a development install: a month in a West Yorkshire sharing network (never in production)."""
