"""A C2SP tlog-witness (c2sp.org/tlog-witness) that any council, the ICO or an auditor can run.

It needs nothing of the registry's database: its own Ed25519 key and name, the logs it watches
(origin and log verifier key), and a small SQLite file holding the latest checkpoint it cosigned
for each log. `POST /add-checkpoint` checks a new checkpoint against that one with a consistency
proof and answers with a cosignature (c2sp.org/tlog-cosignature, Ed25519, type 0x04).

Layers, lowest first: `cosignature` (the signed message and lines), `requests` (the request
body), `state` (the latest cosigned checkpoints, advanced atomically), `witnessing` (the checks
in the order the protocol gives them), `app` (the WSGI app) and `cli` (`flask witness …`).
"""
