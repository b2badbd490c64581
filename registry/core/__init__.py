"""What every feature shares: the database base, the unit of work, errors, pagination, authorization marks."""
