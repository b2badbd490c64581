"""Bringing existing agreements in from a council's spreadsheet register."""
