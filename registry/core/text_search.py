"""Finding rows whose text contains what a person typed in a search box."""

import sqlalchemy as sa


def contains(text: str, *columns) -> sa.ColumnElement[bool]:
    """Return the condition that any of the columns contains the text, in any case.

    The text is matched as typed: its %, _ and backslashes are escaped, so that they are
    not taken as LIKE's wildcards.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return sa.or_(*(column.ilike(pattern, escape="\\") for column in columns))
