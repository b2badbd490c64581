"""A witness's configuration: a small text file, one setting a line, paths relative to it.

    # Leeds City Council's witness
    key leeds-witness.key          the private key file (`flask witness init` makes one)
    state leeds-witness.sqlite3    where the latest cosigned checkpoints are kept
    log <log verifier key>         each log watched; its origin is the key's name
    listen 127.0.0.1:7380          where `flask witness serve` listens (optional)
    sync full                      full (default): every answer waits until the record is on disk,
                                   safe through a power cut; normal: safe through a crash or kill
                                   of the witness, not a power cut, and much faster on a slow disk

A log may be named by more than one key (a rotated key): each `log` line adds one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from registry.auditlog.verifier import VerificationError, VerifierKey, parse_verifier_key

from .cosignature import Cosigner, parse_private_key
from .state import WitnessState
from .witnessing import Witness


class ConfigProblem(ValueError):
    pass


@dataclass(frozen=True)
class WitnessConfig:
    key_file: Path
    state_file: Path
    logs: Mapping[str, Sequence[VerifierKey]]
    listen: tuple[str, int] = ("127.0.0.1", 7380)
    synchronous: str = "FULL"

    def cosigner(self) -> Cosigner:
        try:
            return parse_private_key(self.key_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigProblem(f"cannot read the witness key {self.key_file}: {error}") from None

    def witness(self) -> Witness:
        return Witness(self.cosigner(), self.logs, WitnessState(self.state_file, synchronous=self.synchronous))


def read_config(path: Path | str) -> WitnessConfig:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigProblem(f"cannot read {path}: {error.strerror}") from None
    settings: dict[str, Path] = {}
    listen = ("127.0.0.1", 7380)
    synchronous = "FULL"
    logs: dict[str, list[VerifierKey]] = {}
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, value = line.partition(" ")
        value = value.strip()
        if word in ("key", "state") and value:
            settings[word] = path.parent / value
        elif word == "listen" and value:
            host, _, port = value.rpartition(":")
            if not host or not port.isdigit() or not 0 < int(port) < 65536:
                raise ConfigProblem(f"{path}, line {number}: `listen` takes HOST:PORT, like 127.0.0.1:7380")
            listen = (host, int(port))
        elif word == "sync" and value in ("full", "normal"):
            synchronous = value.upper()
        elif word == "log" and value:
            try:
                key = parse_verifier_key(value)
            except VerificationError as error:
                raise ConfigProblem(f"{path}, line {number}: {error}") from None
            logs.setdefault(key.name, []).append(key)
        else:
            raise ConfigProblem(f"{path}, line {number}: expected `key FILE`, `state FILE`, `log VERIFIER-KEY`, `listen HOST:PORT` or `sync full|normal`")
    missing = [word for word in ("key", "state") if word not in settings]
    if missing:
        raise ConfigProblem(f"{path} does not say {' or '.join(missing)}")
    return WitnessConfig(settings["key"], settings["state"], logs, listen, synchronous)
