"""The tamper-evident audit log: signed entries in an RFC 6962 tree, C2SP checkpoints, tiles, receipts."""
