"""iCalendar feeds of an authority's review and obligation dates, at secret per-person addresses."""
