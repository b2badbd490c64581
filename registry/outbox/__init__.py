"""The outbox: every email the registry sends, stored with the change that causes it, then delivered.

It knows nothing of what a message is about: each feature composes its own (notifications/delivery.py)
and stores it with services.enqueue(), enqueue_many() or enqueue_mailing(); delivery.send_queued() delivers
them by the configured backend (backends.py: SMTP, GOV.UK Notify, or the development mailbox),
from cron (`flask mail send`) or the worker (`flask mail worker`, worker.py).
"""
