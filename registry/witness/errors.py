"""Why a witness refuses a checkpoint, each with the HTTP status c2sp.org/tlog-witness gives it."""


class Refused(Exception):
    status = 400
    content_type = "text/plain; charset=utf-8"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def body(self) -> str:
        return self.message + "\n"


class BadRequest(Refused):
    """The request is malformed, or its old size is above the checkpoint's size."""

    status = 400


class BadSignature(Refused):
    """No trusted key signed the checkpoint, or a trusted key's signature does not verify."""

    status = 403


class UnknownLog(Refused):
    """The witness does not watch a log with this origin."""

    status = 404


class WrongOldSize(Refused):
    """The old size is not the size of the latest checkpoint the witness cosigned: the body says that size."""

    status = 409
    content_type = "text/x.tlog.size"

    def __init__(self, latest_size: int) -> None:
        super().__init__(f"the latest checkpoint cosigned for this log has size {latest_size}")
        self.latest_size = latest_size

    @property
    def body(self) -> str:
        return f"{self.latest_size}\n"


class Inconsistent(Refused):
    """The checkpoint is not consistent with the latest one cosigned (a bad proof, or a different root at the same size)."""

    status = 422
