"""Single sign-on with OpenID Connect: Entra ID (multi-tenant), NHS CIS2 and any other provider set by environment."""
