"""Who holds up an agreement's sign-off: who is still to approve, nudges and chasers, and how fast authorities sign off."""
