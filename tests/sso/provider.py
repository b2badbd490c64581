"""An OpenID provider of our own for the tests, served on 127.0.0.1: discovery, JWKS, authorize and token endpoints.

It signs ID tokens with its own RSA key and checks what a real provider checks (the client,
the redirect URI, PKCE S256, single-use codes). A test says who signs in (`person`) and how
to spoil the next ID token (`spoil`), to see the registry refuse it.

Two styles: "entra", multi-tenant like Microsoft Entra ID (issuer with {tenantid}, `tid` and
`oid` claims, no email_verified but xms_edov), and "cis2", single-issuer like NHS CIS2
(`sub` only, email_verified).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_SECRET = "test-client-secret"
TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
OTHER_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


class TestProvider:
    """One provider: its keys, the codes it has handed out, and what the next sign-in will say."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, style: str) -> None:
        self.style = style
        self.client_id = f"registry-at-{style}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": f"{style}-key-1", "use": "sig", "alg": "RS256"})
        # Never published: a token signed with it must be refused.
        self.stranger_key = RSAKey.generate_key(2048, parameters={"kid": f"{style}-key-2", "alg": "RS256"})
        self.codes: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.reset()

    def reset(self) -> None:
        """Forget the last test's person and spoiling."""
        self.codes.clear()
        self.authorize_requests.clear()
        self.person = {}
        self.spoil = {}
        self.sign_with_stranger_key = False

    @property
    def issuer_template(self) -> str:
        return f"{self.base}/{{tenantid}}/v2.0" if self.style == "entra" else f"{self.base}/realms/healthcare"

    def issuer_for(self, tenant: str | None) -> str:
        return self.issuer_template.replace("{tenantid}", tenant or "")

    def claims_for(self, *, email: str, name: str = "Nadia Example", subject: str = "person-1", verified: bool = True,
                   tenant: str = TENANT, **extra) -> dict:
        """Return the claims a person of this provider's style has."""
        if self.style == "entra":
            claims = {"sub": f"pairwise-{subject}", "oid": f"oid-{subject}", "tid": tenant, "xms_edov": verified}
        else:
            claims = {"sub": subject, "email_verified": verified}
        return {**claims, "email": email, "name": name, **extra}

    # The endpoints.

    def __call__(self, environ, start_response):
        request = Request(environ)
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def _discovery(self, request):
        return _json({
            "issuer": self.issuer_template,
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "jwks_uri": f"{self.base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        })

    def _jwks(self, request):
        return _json(KeySet([self.key]).as_dict(private=False))

    def _authorize(self, request):
        args = request.args
        self.authorize_requests.append(dict(args))
        if args.get("client_id") != self.client_id or args.get("response_type") != "code":
            return Response("unknown client", status=400)
        redirect_uri = args["redirect_uri"]
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return _redirect(redirect_uri, error="invalid_request", state=args.get("state", ""))
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"challenge": args["code_challenge"], "nonce": args.get("nonce"),
                            "redirect_uri": redirect_uri, "person": dict(self.person)}
        return _redirect(redirect_uri, code=code, state=args.get("state", ""))

    def _token(self, request):
        form = request.form
        client_id, secret = _client_credentials(request)
        if client_id != self.client_id or secret != CLIENT_SECRET:
            return _json({"error": "invalid_client"}, 401)
        issued = self.codes.pop(form.get("code", ""), None)  # a code works once
        if issued is None or form.get("redirect_uri") != issued["redirect_uri"]:
            return _json({"error": "invalid_grant"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != issued["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE verifier does not match"}, 400)
        return _json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 3600,
                      "id_token": self._id_token(issued)})

    def _id_token(self, issued: dict) -> str:
        now = int(time.time())
        person = issued["person"]
        claims = {
            "iss": self.issuer_for(person.get("tid")),
            "aud": self.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "nonce": issued["nonce"],
            **person,
            **self.spoil,
        }
        key = self.stranger_key if self.sign_with_stranger_key else self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def _json(document: dict, status: int = 200) -> Response:
    return Response(json.dumps(document), status=status, mimetype="application/json")


def _redirect(uri: str, **params) -> Response:
    return Response(status=302, headers={"Location": f"{uri}?{urlencode(params)}"})


def _client_credentials(request) -> tuple[str | None, str | None]:
    if request.authorization is not None:
        return request.authorization.username, request.authorization.password
    return request.form.get("client_id"), request.form.get("client_secret")


class Served:
    """A provider running on a free port on 127.0.0.1 in a thread, until stopped."""

    def __init__(self, provider: TestProvider) -> None:
        self.server = make_server("127.0.0.1", 0, provider, threaded=True)
        provider.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


# How each style is named in the registry's settings, and which authority its tenant belongs to.
DISPLAY_NAMES = {"entra": "Microsoft", "cis2": "NHS Care Identity"}


def registry_settings(*providers: TestProvider, tenant_authority: str = "LDS", roles: dict | None = None) -> dict:
    """Return SSO_PROVIDERS for the app: every provider given, configured at once as OIDC_* would."""
    from registry.sso.providers import Provider

    return {
        provider.style: Provider(
            key=provider.style,
            display_name=DISPLAY_NAMES[provider.style],
            discovery_url=f"{provider.base}/.well-known/openid-configuration",
            client_id=provider.client_id,
            client_secret=CLIENT_SECRET,
            tenants={TENANT: tenant_authority} if provider.style == "entra" else {},
            roles=(roles or {}) if provider.style == "entra" else {},
        )
        for provider in providers
    }
