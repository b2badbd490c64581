"""`flask witness …`: make a witness's key and configuration, and serve it.

    flask witness init example.org/leeds-witness instance/leeds-witness   # key, config, prints the vkey
    flask witness serve instance/leeds-witness/witness.conf --port 7380

In production, serve `registry.witness.wsgi:app` with gunicorn, with WITNESS_CONFIG set.
"""

from pathlib import Path

import click
from flask.cli import AppGroup

from .config import ConfigProblem, read_config
from .cosignature import generate_cosigner, write_private_key

witness_cli = AppGroup("witness", help="Run a C2SP tlog-witness that cosigns checkpoints of the logs it watches.")

CONFIG_FILE = "witness.conf"


@witness_cli.command("init")
@click.argument("name")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--log", "log_keys", multiple=True, help="A log verifier key to watch (repeat); more can be added to the file.")
def init_command(name, folder, log_keys):
    """Make a witness called NAME in FOLDER: its private key, and a configuration naming the logs it watches."""
    folder.mkdir(parents=True, exist_ok=True)
    key_file, config_file = folder / "witness.key", folder / CONFIG_FILE
    if key_file.exists() or config_file.exists():
        raise click.ClickException(f"{folder} already holds a witness; nothing was changed.")
    try:
        cosigner = generate_cosigner(name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from None
    write_private_key(key_file, cosigner)
    logs = "".join(f"log {key}\n" for key in log_keys)
    config_file.write_text(f"# The witness {name}\nkey witness.key\nstate witness.sqlite3\n{logs}", encoding="utf-8")
    try:
        read_config(config_file)
    except ConfigProblem as error:
        key_file.unlink()
        config_file.unlink()
        raise click.BadParameter(str(error), param_hint="--log") from None
    click.echo(f"Witness {name} made in {folder}.")
    click.echo(f"Its verifier key (give it to the logs' operators): {cosigner.public.vkey}")


@witness_cli.command("serve")
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", help="Default: the configuration's `listen`, else 127.0.0.1.")
@click.option("--port", type=int, help="Default: the configuration's `listen`, else 7380.")
def serve_command(config, host, port):
    """Serve the witness that CONFIG describes (for production, use gunicorn with registry.witness.wsgi:app)."""
    from werkzeug.serving import run_simple

    from .app import WitnessApp

    try:
        settings = read_config(config)
        witness = settings.witness()
    except ConfigProblem as error:
        raise click.ClickException(str(error)) from None
    host, port = host or settings.listen[0], port or settings.listen[1]
    click.echo(f"Witness {witness.cosigner.name} on http://{host}:{port}/ watching {len(witness.logs)} log(s).")
    run_simple(host, port, WitnessApp(witness), threaded=True)


@witness_cli.command("vkey")
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def vkey_command(config):
    """Print the witness's verifier key."""
    try:
        click.echo(read_config(config).cosigner().public.vkey)
    except ConfigProblem as error:
        raise click.ClickException(str(error)) from None
