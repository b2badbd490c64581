"""Security headers on every response, with a per-request nonce for the one inline script."""

import secrets

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix


def csp_nonce() -> str:
    """Return this request's Content-Security-Policy nonce, creating it on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(*, style_src: str = "'self'", form_action: str = "'self'") -> str:
    """Return the Content-Security-Policy every page gets; a page that shows an email's own HTML may let its styles in.

    The sign-in page lets its forms go on to the identity providers (registry/sso/views.py).
    """
    # No 'unsafe-inline' for scripts anywhere: GOV.UK Frontend's template has one inline
    # script (it marks the body as JavaScript-enabled) and it carries this request's nonce.
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{csp_nonce()}'",
            f"style-src {style_src}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action {form_action}",
            "frame-ancestors 'none'",
        ]
    )


def _set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages show what only their reader may see: keep them out of shared caches and out of
    # the back-button cache after signing out. Routes that are safe to cache say so.
    if "Cache-Control" not in headers and request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response, and trust the configured reverse proxies' headers."""
    app.after_request(_set_security_headers)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # The client's address (for sign-in throttling) and scheme as the proxies saw them;
        # without this, every request would seem to come from the proxy itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
