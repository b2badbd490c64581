"""The outbox: every email the registry sends, stored with the change that causes it, then delivered over SMTP.

It knows nothing of what a message is about: each feature composes its own (reminders/messages.py)
and stores it with services.enqueue(); delivery.send_queued() sends them.
"""
