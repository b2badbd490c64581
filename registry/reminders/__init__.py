"""Reminders before reviews and obligations fall due, told through notifications; and the outbox page."""
