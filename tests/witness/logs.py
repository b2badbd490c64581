"""A log kept in memory for the witness tests: it appends records, signs checkpoints and proves consistency."""

from registry.auditlog import tlog
from registry.auditlog.verifier import hash_leaf, parse_verifier_key


class MemoryLog:
    def __init__(self, origin: str = "example.org/test-log", *, records: str = "record") -> None:
        signer_key, verifier_key = tlog.generate_signer_key(origin)
        self.origin = origin
        self.signer = tlog.parse_signer_key(signer_key)
        self.verifier_key = parse_verifier_key(verifier_key)
        self.records = records
        self.size = 0
        self._hashes: list[bytes] = []

    def fork(self) -> "MemoryLog":
        """Return another history of this log: the same origin and key, other records from the first on."""
        fork = MemoryLog(self.origin, records="forged record")
        fork.signer, fork.verifier_key = self.signer, self.verifier_key
        return fork

    def _read(self, indexes):
        return [self._hashes[i] for i in indexes]

    def append(self, count: int = 1) -> "MemoryLog":
        for _ in range(count):
            leaf = hash_leaf(f"{self.records} {self.size}".encode())
            self._hashes.extend(tlog.stored_hashes_for_record(self.size, leaf, self._read))
            self.size += 1
        return self

    def root(self, size: int | None = None) -> bytes:
        return tlog.tree_hash(self.size if size is None else size, self._read)

    def checkpoint(self, size: int | None = None, *, root: bytes | None = None, signer=None) -> str:
        """Return the signed checkpoint of the first `size` records (all by default)."""
        size = self.size if size is None else size
        text = tlog.format_checkpoint(self.origin, size, root if root is not None else self.root(size))
        return tlog.sign_note(text, signer or self.signer)

    def proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        new_size = self.size if new_size is None else new_size
        return tlog.prove_tree(new_size, old_size, self._read) if 0 < old_size < new_size else []

    def request(self, old_size: int, size: int | None = None, **checkpoint) -> bytes:
        """Return an add-checkpoint body from old_size to `size` with the right proof."""
        size = self.size if size is None else size
        return add_checkpoint_body(old_size, self.proof(old_size, size), self.checkpoint(size, **checkpoint))


def add_checkpoint_body(old_size: int, proof, checkpoint: str) -> bytes:
    import base64

    lines = [f"old {old_size}", *(base64.b64encode(h).decode() for h in proof)]
    return ("\n".join(lines) + "\n\n" + checkpoint).encode()
