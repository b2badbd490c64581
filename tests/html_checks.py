"""Checks every HTML page the tests fetch must pass, whatever the test is about."""

import re
from collections import Counter
from html.parser import HTMLParser

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


# Where a code may stand without its name: text people read as small print.
SMALL_PRINT_TAGS = {"small"}
SMALL_PRINT_CLASSES = {"govuk-body-s", "govuk-hint", "app-small-print"}
# Not read as the page's words: the head, scripts, what a person typed into a box, and
# preformatted machine text (a log entry's exact signed bytes) shown as it is.
UNREAD_TAGS = {"head", "script", "style", "template", "textarea", "pre"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Words(HTMLParser):
    """Collect the page's text nodes that are neither small print nor unread."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[bool] = []  # for each open element: is the text inside it exempt?
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        exempt = tag in SMALL_PRINT_TAGS | UNREAD_TAGS or bool(classes & SMALL_PRINT_CLASSES)
        self.open.append(exempt or (bool(self.open) and self.open[-1]))

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.open:
            self.open.pop()

    def handle_data(self, data):
        if data.strip() and not (self.open and self.open[-1]):
            self.texts.append(" ".join(data.split()))


def words_outside_small_print(html: str) -> list[str]:
    """Return the page's text nodes that people read at full size, small print and form contents left out."""
    parser = _Words()
    parser.feed(html)
    parser.close()
    return parser.texts
