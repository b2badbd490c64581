"""What each party to an agreement owes the others, and the attestations that they did it."""
