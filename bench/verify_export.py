"""Exporting a 1,000,000-entry log, and verifying the bundle offline with the standalone verifier.

The export runs in a child process so that its peak memory (maximum resident set size)
is its own; the verifier runs as an auditor would run it, `python verify.py DIR`, in a
clean interpreter, once with entry signatures and once without, using both cores.
Targets: export under 200 MB peak memory; verification with signatures under 60 s.
"""

import resource
import shutil
import subprocess
import sys
import time

from .setup import OUT, machine, sqlite_log

EXPORT_IN_CHILD = """
import resource, sys, time
from pathlib import Path
from registry import create_app
from registry.auditlog.export import export_bundle
app = create_app("development", {"SQLALCHEMY_DATABASE_URI": sys.argv[1]}, instance_path=sys.argv[2])
with app.app_context():
    started = time.perf_counter()
    summary = export_bundle(Path(sys.argv[3]))
    seconds = time.perf_counter() - started
print(summary.size, summary.files, f"{seconds:.1f}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"machine: {machine()}")
    sqlite_log(f"log-{size}", size)
    url, instance = f"sqlite:///{OUT / f'log-{size}.sqlite3'}", OUT / f"log-{size}-instance"
    bundle = OUT / f"bundle-{size}"
    shutil.rmtree(bundle, ignore_errors=True)

    result = subprocess.run(
        [sys.executable, "-c", EXPORT_IN_CHILD, url, str(instance), str(bundle)], capture_output=True, text=True, check=True
    )
    entries, files, seconds, max_rss_kb = result.stdout.split()
    print(f"export: {int(entries):,} entries, {int(files):,} files in {seconds} s; peak memory {int(max_rss_kb) / 1024:.0f} MB (target: under 200 MB)")

    for label, flags in (("with entry signatures", []), ("without entry signatures", ["--no-signatures"])):
        started = time.perf_counter()
        verified = subprocess.run(
            [sys.executable, "-I", str(bundle / "verify.py"), str(bundle), "--jobs", "2", *flags],
            capture_output=True, text=True,
        )
        seconds = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        verdict = verified.stdout.splitlines()[0] if verified.stdout else verified.stderr
        print(f"verify.py {label}: {seconds:.1f} s on 2 cores, exit {verified.returncode} ({verdict})")
    print(f"(CPU time of all child processes so far: {children.ru_utime + children.ru_stime:.0f} s)")


if __name__ == "__main__":
    main()
