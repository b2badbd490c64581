"""Tests of the outbox: storing a message once, and `flask outbox send` delivering whatever is waiting."""
