"""The single place a request, a CLI command or a job commits its changes."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from registry.extensions import db


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit everything done inside the block, or roll all of it back on any error."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
