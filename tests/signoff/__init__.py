"""Tests of "who holds it up" (issue 12): who is still to approve, nudges, chasers and sign-off speed."""
