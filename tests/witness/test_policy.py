"""C2SP tlog-policy as the verifier reads it: witnesses, groups, the quorum, and checking a checkpoint against it."""

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import VerificationError, check_quorum, parse_policy
from registry.witness.cosignature import generate_cosigner

from .logs import MemoryLog

LOG = MemoryLog("example.org/policy-log").append(3)
X1, X2, X3, Y1 = (generate_cosigner(f"example.org/{name}") for name in ("x1", "x2", "x3", "y1"))
BY_NAME = {"X1": X1, "X2": X2, "X3": X3, "Y1": Y1}


def policy_text(quorum_lines: str) -> str:
    return (
        f"log {LOG.signer.verifier_key}\n"
        f"witness X1 {X1.public.vkey} https://x1.example/\n"
        f"witness X2 {X2.public.vkey}\n"
        f"\twitness   X3 {X3.public.vkey}  \n"
        f"# the other council\nwitness Y1 {Y1.public.vkey}\n"
        + quorum_lines
    )


def cosigned_by(*cosigners) -> str:
    checkpoint = LOG.checkpoint()
    text = checkpoint[: checkpoint.rindex("\n\n") + 1]
    return checkpoint + "".join(c.cosign(text, 1_765_000_000) for c in cosigners)


SPEC_EXAMPLE = "group X-witnesses 2 X1 X2 X3\ngroup Y-witnesses any Y1\ngroup X-and-Y all X-witnesses Y-witnesses\nquorum X-and-Y\n"


@pytest.mark.parametrize(
    "names, met",
    [("X1 X2 Y1", True), ("X1 X3 Y1", True), ("X1 X2 X3", False), ("X1 Y1", False), ("", False)],
)
def test_the_specifications_two_level_quorum(names, met):
    policy = parse_policy(policy_text(SPEC_EXAMPLE))
    cosigners = [BY_NAME[name] for name in names.split()]
    if met:
        assert set(check_quorum(cosigned_by(*cosigners), policy)) == set(names.split())
    else:
        with pytest.raises(VerificationError, match="not cosigned as the policy requires"):
            check_quorum(cosigned_by(*cosigners), policy)


def test_the_refusal_names_the_witnesses_missing():
    policy = parse_policy(policy_text("group all-four all X1 X2 X3 Y1\nquorum all-four\n"))
    with pytest.raises(VerificationError, match="no cosignature from X2, Y1"):
        check_quorum(cosigned_by(X1, X3), policy)


def test_quorum_none_needs_no_cosignature_and_a_single_witness_can_be_the_quorum():
    assert check_quorum(cosigned_by(), parse_policy(policy_text("quorum none\n"))) == {}
    assert set(check_quorum(cosigned_by(Y1), parse_policy(policy_text("quorum Y1\n")))) == {"Y1"}


def test_a_forged_cosignature_by_a_listed_witness_is_refused_not_ignored():
    checkpoint = cosigned_by(X1)
    forged = checkpoint[:-20] + ("A" if checkpoint[-20] != "A" else "B") + checkpoint[-19:]
    with pytest.raises(VerificationError, match="does not verify"):
        check_quorum(forged, parse_policy(policy_text("quorum X1\n")))


def test_a_cosignature_of_another_checkpoint_does_not_count():
    other = LOG.checkpoint(2)
    text = other[: other.rindex("\n\n") + 1]
    moved = LOG.checkpoint() + X1.cosign(text, 1_765_000_000)
    with pytest.raises(VerificationError):
        check_quorum(moved, parse_policy(policy_text("quorum X1\n")))


@pytest.mark.parametrize(
    "lines, says",
    [
        ("", "no quorum line"),
        ("quorum none\nquorum none\n", "exactly one quorum"),
        ("quorum G\ngroup G any X1\n", "not defined above"),
        ("group G any X1 Z9\nquorum G\n", "Z9 must be defined on an earlier line"),
        ("group G 5 X1 X2\nquorum G\n", "threshold"),
        ("group G 0 X1\nquorum G\n", "threshold"),
        ("group X1 any X2\nquorum X1\n", "already used"),
        ("witness X9 {X1}\nquorum none\n", "listed twice"),
        ("witness X9 {LOG}\nquorum none\n", "not an Ed25519 cosignature/v1 witness key"),
        ("monitor M1 x\nquorum none\n", "not a log, witness, group or quorum line"),
    ],
)
def test_a_policy_the_specification_does_not_allow_is_refused(lines, says):
    lines = lines.format(X1=X1.public.vkey, LOG=LOG.signer.verifier_key)
    with pytest.raises(VerificationError, match=says):
        parse_policy(policy_text(lines))


def test_the_registrys_own_policy_without_witnesses_reads_back():
    policy = parse_policy(tlog.format_policy([LOG.signer.verifier_key]))
    assert policy.quorum == "none" and policy.witnesses == {}
