"""Accounts, memberships of authorities with a role, and personal API tokens."""
