"""Tests of invitations: inviting, resending, cancelling, and joining from the link."""
