"""Links in emails and calendar feeds open the registry: the running app under `make run`, the service's host in production."""

import pytest

from config import DevelopmentConfig, ProductionConfig
from registry.core.links import external_url


def _config_in(monkeypatch, config_class, **environment):
    import importlib

    import config

    for name in ("REGISTRY_URL", "REGISTRY_HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    reloaded = importlib.reload(config)
    return getattr(reloaded, config_class.__name__)


@pytest.fixture(autouse=True)
def _restore_config():
    yield
    import importlib

    import config

    importlib.reload(config)


def test_under_make_run_links_open_the_running_app(monkeypatch):
    # `make run` exports PORT; the development server listens on 127.0.0.1 there.
    assert _config_in(monkeypatch, DevelopmentConfig, PORT="5077").SERVICE_URL == "http://127.0.0.1:5077"
    assert _config_in(monkeypatch, DevelopmentConfig).SERVICE_URL == "http://127.0.0.1:5000"


def test_in_production_links_are_on_the_service_host(monkeypatch):
    assert _config_in(monkeypatch, ProductionConfig, REGISTRY_HOST="registry.leeds.gov.uk").SERVICE_URL == "https://registry.leeds.gov.uk"
    assert _config_in(monkeypatch, ProductionConfig, REGISTRY_URL="https://leeds.example/registry").SERVICE_URL == "https://leeds.example/registry"


def test_a_link_is_built_on_the_base_url_with_its_path(app):
    app.config["SERVICE_URL"] = "http://127.0.0.1:5077"
    assert external_url("agreements.show", reference="DSA-2026-0001") == "http://127.0.0.1:5077/agreements/DSA-2026-0001"
    app.config["SERVICE_URL"] = "https://leeds.example/registry"
    assert external_url("agreements.show", reference="DSA-2026-0001") == "https://leeds.example/registry/agreements/DSA-2026-0001"


def test_a_reminder_under_development_settings_links_to_the_running_app(app, runner, smtp_server):
    from datetime import timedelta

    from tests.agreements.builders import three_councils
    from tests.notifications.conftest import text_of
    from tests.reminders import active_agreement, move_to, send

    agreement = active_agreement(three_councils())
    move_to(app, agreement.review_due - timedelta(days=30))
    app.config["SERVICE_URL"] = DevelopmentConfig.SERVICE_URL
    send(runner)
    body = text_of(smtp_server.messages[0].email)
    assert f"{DevelopmentConfig.SERVICE_URL}/agreements/{agreement.reference}" in body
