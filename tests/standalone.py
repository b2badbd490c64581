"""The verifier as an auditor has it: verifier.py copied into a folder of its own, run without the registry."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from registry.auditlog import verifier


@pytest.fixture
def standalone_verifier(tmp_path: Path) -> Path:
    """Return a copy of verifier.py, as an export bundle has it, in a directory where the registry cannot be imported."""
    directory = tmp_path / "auditor"
    directory.mkdir()
    return Path(shutil.copyfile(verifier.__file__, directory / "verify.py"))


def run_standalone(script: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the copied verifier with a clean environment: no PYTHONPATH, cwd outside the project."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=script.parent, env=env, capture_output=True, text=True, timeout=120
    )
