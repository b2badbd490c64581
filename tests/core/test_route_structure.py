"""Structural rules every route keeps: an explicit authorization decision, kebab-case URLs, typed parameters."""

import re

import pytest

from registry.core.authz import decision_of


def _handlers(app):
    """Yield (endpoint, rule, method, handler) for every route, looking inside class-based API views."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            handler = getattr(view_class, method.lower()) if view_class else view
            yield rule.endpoint, rule.rule, method, handler


def test_every_route_declares_who_may_use_it(app):
    undeclared = [f"{method} {rule} ({endpoint})" for endpoint, rule, method, handler in _handlers(app) if not decision_of(handler)]
    assert undeclared == [], "routes without an authorization decision: " + ", ".join(undeclared)


def test_only_the_expected_routes_are_public(app):
    public = {rule for _, rule, _, handler in _handlers(app) if decision_of(handler) == "public"}
    assert public == {
        "/",
        "/about",
        "/accessibility",
        "/health",
        "/sign-in",
        "/sign-out",
        # Single sign-on: the button that goes to the provider, and the callback that checks
        # what it sends back (state, PKCE, the ID token) before anyone is signed in (registry/sso).
        "/sign-in/with/<string:provider_key>",
        "/sign-in/with/<string:provider_key>/callback",
        # Forgotten passwords: the request page answers the same for every address; the reset
        # link's secret is its credential, checked against its hash (registry/password_resets).
        "/forgotten-password",
        "/reset-password/<string:token>",
        # An invitation's link: its secret is the credential, checked against its hash
        # (registry/invitations); accepting with an existing account needs signing in.
        "/join/<string:token>",
        "/static/<path:filename>",
        "/api/v1/openapi.json",
        # The audit log's checkpoint, keys and hash tiles reveal nothing but hashes and
        # public keys, and anyone must be able to check the log (C2SP tlog-tiles).
        "/audit/checkpoint",
        "/audit/policy",
        "/audit/keys",
        "/audit/tile/<path:tile>",
        # Calendar apps cannot sign in: the secret in a feed's address is its credential,
        # checked against its hash by the view (registry/calendars/queries.py).
        "/calendars/<string:token>.ics",
        # The public register: what it publishes is limited to registry/public/published.py.
        "/register",
        "/register/changes",
        "/register/changes.json",
        "/register/download.csv",
        "/register/download.json",
        "/register/<string:reference>",
        # The header's search: signed out, it searches only the public register (registry/search/queries.py).
        "/search",
    }


def test_urls_are_kebab_case(app):
    bad = []
    for rule in app.url_map.iter_rules():
        literal_parts = [part for part in re.sub(r"<[^>]+>", "", rule.rule).split("/") if part]
        bad += [rule.rule for part in literal_parts if not re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?(\.(json|ics|csv|xlsx|pdf))?", part)]
    assert bad == []


def test_url_parameters_name_their_type(app):
    untyped = [rule.rule for rule in app.url_map.iter_rules() if re.search(r"<(?![a-z]+:)[^>]+>", rule.rule)]
    assert untyped == []


@pytest.mark.parametrize(
    "decision", ["public", "signed-in", "system-role:admin", "system-role:auditor", "api-token", "signed-in-or-token"]
)
def test_each_kind_of_decision_is_in_use(app, decision):
    # Guards the test above: if the marks stopped being set, every route would look undeclared.
    assert any(decision_of(handler) == decision for *_, handler in _handlers(app))
