"""How a delivery backend says a message did not go: this message was refused, or the service itself failed."""


class Refused(Exception):
    """The service refused this one message (others may go); give_up says it never will take it as it stands."""

    def __init__(self, description: str, *, give_up: bool = False) -> None:
        super().__init__(description)
        self.give_up = give_up


class ServiceFailed(Exception):
    """The service failed for every message, not for this one: stop the run, and let the rest wait.

    wait: how long the service asked us to wait, if it did; busy: it answered "too many
    requests" (it works, and wants us slower).
    """

    def __init__(self, description: str, *, wait: float | None = None, busy: bool = False) -> None:
        super().__init__(description)
        self.wait = wait
        self.busy = busy
