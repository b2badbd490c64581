"""Demonstration data for a fresh development install: users for three West Yorkshire councils."""
