"""The tamper-evident log itself: entries, the Merkle tree and its tiles, keys, appending, checks, the verifier.

It knows nothing of people, pages or agreements: every feature's services append to it with
`recording.record(...)`, and the audit pages, API and CLI (registry/audit/) read it.
"""
