"""The single place a request, a CLI command or a job commits its changes."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from registry.extensions import db


@contextmanager
def unit_of_work(*, keep_loaded: bool = False) -> Iterator[Session]:
    """Commit everything done inside the block, or roll all of it back on any error.

    By default committing expires every loaded object, so whatever is read next comes from
    the database again. keep_loaded keeps them as committed instead, for an answer built
    from what the block holds: only for a block whose use case read what it answers with
    under the lock it took, so that what it holds is exactly what it committed.
    """
    try:
        yield db.session
        session = db.session()
        expire_on_commit = session.expire_on_commit
        session.expire_on_commit = not keep_loaded and expire_on_commit
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire_on_commit
    except BaseException:
        db.session.rollback()
        raise
