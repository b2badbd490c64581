"""Checks every HTML page the tests fetch must pass, whatever the test is about."""

import re
from collections import Counter

# An id attribute in markup: id="…" preceded by whitespace, so data-id= and the like do not count.
_ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")


def duplicate_ids(html: str) -> list[str]:
    """Return the ids used more than once in the page: a label tied to a shared id ticks the wrong box."""
    counts = Counter(double or single for double, single in _ID.findall(html))
    return sorted(id_ for id_, count in counts.items() if count > 1)


def assert_no_duplicate_ids(html: str, where: str) -> None:
    """Fail if any id is used twice on the page."""
    duplicates = duplicate_ids(html)
    assert not duplicates, f"{where} uses these ids more than once: {duplicates}"
