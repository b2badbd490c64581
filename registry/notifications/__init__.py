"""Notifications: telling people when it is their turn, in the registry's inbox and by email, as each chooses."""
