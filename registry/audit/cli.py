"""`flask audit …`: verify the live log, export it, rotate its keys, print the checkpoint."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from registry.users.actors import COMMAND_LINE
from registry.core.cli_errors import reports_domain_errors
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db

from registry.auditlog import checks, export, keys, queries

from . import services
from registry.auditlog.verifier import VerificationError, parse_policy, parse_verifier_key

audit_cli = AppGroup("audit", help="The tamper-evident audit log.")


@audit_cli.command("verify")
@click.option("--key", "pinned", multiple=True, help="A verifier key to trust (repeat); default: the published keys.")
@click.option("--old-checkpoint", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A checkpoint kept from earlier, which the log must extend.")
@click.option(
    "--policy", "policy_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The log's witness policy (from /audit/policy): trust its log keys; the latest checkpoint must meet its quorum.",
)
@click.option("--no-signatures", is_flag=True, help="Skip checking each entry's signature (faster).")
def verify_command(pinned, old_checkpoint, policy_file, no_signatures):
    """Check the whole log in the database as an auditor would; exit 1 naming the first failure.

    With --policy, the latest checkpoint must carry its witnesses' cosignatures: run it after
    a witness round (`flask audit witness`), or changes made since will fail it.
    """
    try:
        trusted = [parse_verifier_key(key) for key in pinned] or None
    except VerificationError as error:
        raise click.BadParameter(str(error), param_hint="--key") from None
    try:
        policy = parse_policy(policy_file.read_text(encoding="utf-8")) if policy_file else None
    except VerificationError as error:
        raise click.BadParameter(str(error), param_hint="--policy") from None
    report = checks.verify_database(
        trusted_keys=trusted,
        old_checkpoint=old_checkpoint.read_text() if old_checkpoint else None,
        check_signatures=not no_signatures,
        jobs=os.cpu_count() or 1,
        policy=policy,
    )
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)


@audit_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path):
    """Write the log as a bundle for offline verification into an empty DIRECTORY."""
    try:
        summary = export.export_bundle(directory)
    except FileExistsError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Exported {summary.size} entries ({summary.files} files) to {summary.directory}.")
    click.echo(f"Verify with: python3 {summary.directory / 'verify.py'} {summary.directory}")


@audit_cli.command("rotate-key")
@click.option("--purpose", type=click.Choice(["log", "entry", "both"]), default="both", show_default=True)
@reports_domain_errors
def rotate_key_command(purpose: str):
    """Add a new signing key, publish it and record the rotation; old keys stay published."""
    for each in ("log", "entry") if purpose == "both" else (purpose,):
        rotation = None
        try:
            with unit_of_work():
                rotation = services.rotate_key(COMMAND_LINE, each)
        except BaseException:
            if rotation is not None:
                rotation.abandon()
            raise
        retired = rotation.install()
        click.echo(f"The {each} key is now {rotation.key_id} (was {rotation.previous_key_id}, kept in {retired.name}).")


@audit_cli.command("init-keys")
def init_keys_command():
    """Create the signing key files that do not exist yet (mode 0600); print only public keys."""
    created = keys.create_missing_key_files()
    for purpose in keys.PURPOSES:
        state = "created" if purpose in created else "already there"
        click.echo(f"{purpose} key: {keys.key_path(purpose)} ({state}); verifier key {keys.signer(purpose).verifier_key}")


@audit_cli.command("checkpoint")
def checkpoint_command():
    """Print the latest signed checkpoint; keep it to check later that the log only grew."""
    click.echo(queries.current_checkpoint(), nl=False)


@audit_cli.command("keys")
def keys_command():
    """Print the published verifier keys, the current log key first."""
    for key in keys.published_keys():
        click.echo(key.verifier_key)


@audit_cli.command("witness")
@click.option("--watch", is_flag=True, help="Keep going: a round after each change, until stopped.")
def witness_command(watch: bool):
    """Ask the witnesses in the policy to cosign the latest checkpoint (c2sp.org/tlog-witness).

    Once by default; with --watch, a round whenever the log has grown, at most one every
    AUDIT_WITNESS_ROUND_SECONDS, until SIGTERM or Ctrl+C. A witness that is down is noted and
    asked again next round.
    """
    from registry.auditlog import cosigning

    if not watch:
        _say(cosigning.ask_witnesses())
        return
    import signal

    from registry.outbox.worker import StopFlag

    stop = StopFlag()
    signal.signal(signal.SIGTERM, stop.set)
    signal.signal(signal.SIGINT, stop.set)
    interval = current_app.config["AUDIT_WITNESS_ROUND_SECONDS"]
    asked_at_size = None
    while not stop():
        try:
            size = queries.log_size()
            db.session.rollback()  # end the read: the next look must see new commits
            if size != asked_at_size:
                report = cosigning.ask_witnesses()
                asked_at_size = size if not report.problems else None
                _say(report)
        except Exception as error:  # the database is down, say: note it and try again next round
            click.echo(f"Could not ask the witnesses: {error}", err=True)
            db.session.remove()
        stop.sleep(interval)


def _say(report) -> None:
    if report.cosigned or report.problems:
        done = ", ".join(report.cosigned) or "nobody"
        click.echo(f"Size {report.size}: cosigned by {done}." + "".join(
            f" {name}: {problem}." for name, problem in report.problems.items()))
