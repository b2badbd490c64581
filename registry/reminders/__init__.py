"""Reminders by email before reviews and obligations fall due (written into the outbox), the outbox page, and preferences."""
