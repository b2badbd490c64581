"""Reminders by email before reviews and obligations fall due, the outbox they go through, and preferences."""
