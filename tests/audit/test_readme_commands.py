"""The README's audit commands work as printed: each line of its command block is run, in order.

`flask --app wsgi …` lines run through the app's own CLI (the same commands, on the test's
database); `python3 bundle/verify.py …` runs the exported verifier as a separate program.
A placeholder in angle brackets is filled with what it names.
"""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from registry.auditlog import keys
from registry.auditlog import recording as services
from registry.users.actors import COMMAND_LINE
from registry.extensions import db

README = Path(__file__).resolve().parents[2] / "README.md"



def _is_folder(word: str) -> bool:
    # A folder the README names, like bundle/ (a verifier key's base64 may also end in "/").
    return re.fullmatch(r"[a-z][a-z-]*/", word) is not None

def audit_commands() -> list[str]:
    """Return the command lines of the README's audit section, comments taken off."""
    section = README.read_text().split("## The audit log", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def test_the_section_has_the_commands_an_auditor_needs():
    joined = "\n".join(audit_commands())
    for needed in ("audit keys", "audit checkpoint >", "audit verify", "audit export", "verify.py", "--old-checkpoint"):
        assert needed in joined


def test_every_audit_command_in_the_readme_works_as_printed(app, runner, tmp_path):
    for n in range(5):
        services.record(COMMAND_LINE, "test.change", "thing", n, {"n": n})
    db.session.commit()
    log_key = keys.published_keys()[0].verifier_key
    placeholders = {"<log verifier key>": log_key}
    for line in audit_commands():
        for placeholder, value in placeholders.items():
            line = line.replace(placeholder, value)
        assert "<" not in line, f"a placeholder the test cannot fill: {line}"
        words = shlex.split(line)
        if words[:3] == ["flask", "--app", "wsgi"]:
            output_file = None
            if ">" in words:
                output_file = tmp_path / words[words.index(">") + 1]
                words = words[: words.index(">")]
            arguments = [str(tmp_path / w) if _is_folder(w) else w for w in words[3:]]
            result = runner.invoke(args=arguments)
            assert result.exit_code == 0, f"{line}\n{result.output}"
            if output_file is not None:
                output_file.write_text(result.output)
        elif words[0] == "python3":
            script, *arguments = words[1:]
            arguments = [str(tmp_path / a) if _is_folder(a) or a == "kept-checkpoint" else a for a in arguments]
            env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
            result = subprocess.run([sys.executable, str(tmp_path / script), *arguments], cwd=tmp_path, env=env,
                                    capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
            assert result.stdout.startswith("OK: the audit log bundle verifies."), result.stdout
        else:
            raise AssertionError(f"the test does not know how to run: {line}")
        # Append between commands, as the registry would between an auditor's visits.
        services.record(COMMAND_LINE, "test.change", "thing", line[:20], {})
        db.session.commit()
