"""Signing in and out, sessions, password hashing, throttling, and who may use each route."""
