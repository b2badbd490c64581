"""Small keyword-only factories for test data; each commits, so requests can see what it made."""

import itertools

from flask import current_app

from registry.authorities.models import Authority
from registry.extensions import db
from registry.users import services as user_services
from registry.users.actors import COMMAND_LINE
from registry.users.models import User
from registry.users.roles import Role
from tests.shared_data import shared_data

TEST_PASSWORD = "a-long-test-passphrase"
_numbers = itertools.count(1)


def make_authority(*, code: str | None = None, name: str | None = None, type: str = "UA", **values) -> Authority:
    """Create a council (a unitary authority unless told otherwise)."""
    number = next(_numbers)
    code = code or f"T{number:03d}"
    authority = Authority(
        code=code,
        name=name or f"Test Council {number}",
        short_name=values.pop("short_name", None) or name or f"Test {number}",
        type=type,
        **values,
    )
    db.session.add(authority)
    db.session.commit()
    return authority


def make_user(
    *,
    email: str | None = None,
    name: str | None = None,
    system_role: str | None = None,
    memberships: dict[Authority, str] | None = None,
    administers: tuple[Authority, ...] = (),
    password: str = TEST_PASSWORD,
) -> User:
    """Create a user through the real service, with roles given as {authority: "approver"}, administering the authorities given."""
    number = next(_numbers)
    user = user_services.create_user(
        COMMAND_LINE,
        email=email or f"user{number}@example.org",
        name=name or f"Test User {number}",
        password=password,
        system_role=system_role,
    )
    for authority, role in (memberships or {}).items():
        user_services.grant_membership(COMMAND_LINE, user, authority, Role(role))
    for authority in administers:
        user_services.appoint_administrator(COMMAND_LINE, user, authority)
    db.session.commit()
    return user


def make_api_token(user: User, name: str = "test token") -> str:
    """Create an API token for the user and return its secret."""
    _, secret = user_services.create_api_token(user, name)
    db.session.commit()
    return secret


def make_legal_basis(
    *,
    code: str = "UKGDPR-A6-1-E",
    kind: str = "article6",
    title: str = "Public task",
    citation: str = "UK GDPR Article 6(1)(e)",
    url: str = "https://www.legislation.gov.uk/eur/2016/679/article/6",
    commenced=None,
    **values,
):
    """Create a legal basis (UK GDPR Article 6(1)(e) unless told otherwise); a gateway needs mandatory=."""
    # Imported here so this factory stands alone at the end of the file.
    from datetime import date

    from registry.legal.models import LegalBasis

    legal_basis = LegalBasis(
        code=code,
        kind=kind,
        title=title,
        citation=citation,
        url=url,
        commenced=commenced or date(2018, 5, 25),
        summary=values.pop("summary", f"Summary of {citation}."),
        **values,
    )
    db.session.add(legal_basis)
    db.session.commit()
    return legal_basis


def load_legal_vocabulary() -> None:
    """Load the bundled legal vocabulary through the import service, as `flask legal import` does."""
    # Imported here so this helper stands alone at the end of the file.
    from registry.legal import services as legal_services
    from registry.legal.reference import BUNDLED_FILE, read_legal_bases

    legal_services.import_legal_bases(COMMAND_LINE, read_legal_bases(BUNDLED_FILE))
    db.session.commit()


def make_dataset(
    *,
    authority: Authority,
    name: str | None = None,
    items=(("Name", "personal"), ("Health condition", "special")),
    classification: str = "OFFICIAL",
    **values,
):
    """Create a dataset with items given as (name, kind), kind one of none, personal, special or criminal."""
    # Imported here so this factory stands alone at the end of the file.
    from registry.datasets.models import DataItem, Dataset

    dataset = Dataset(
        authority=authority,
        name=name or f"Test dataset {next(_numbers)}",
        security_classification=classification,
        items=[
            DataItem(
                name=item_name,
                personal=kind != "none",
                special_category=kind == "special",
                criminal_offence=kind == "criminal",
            )
            for item_name, kind in items
        ],
        **values,
    )
    db.session.add(dataset)
    db.session.commit()
    return dataset


@shared_data
def every_uk_council() -> None:
    """Load every UK council from the bundled reference list, as `flask authorities import` does (built once per worker)."""
    result = current_app.test_cli_runner().invoke(args=["authorities", "import"])
    assert result.exit_code == 0, result.output
