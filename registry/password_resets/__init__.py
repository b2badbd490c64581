"""Resetting a forgotten password by an emailed single-use link, and telling people their password changed."""
