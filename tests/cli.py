"""Running the `flask` commands in tests."""


def succeeds(runner, *args: str) -> str:
    """Run `flask <args>`, check that it exited cleanly, and return what it printed."""
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output
