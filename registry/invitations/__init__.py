"""Invitations: a person invited by email with a role for an authority joins by following its link."""
