"""Why a single sign-on was refused: one reason for the security log, one sentence for the person."""

from registry.core.errors import DomainError

# Reason -> what the person is told. The log gets the reason and its detail; never a token.
MESSAGES = {
    "provider_error": "{provider} did not sign you in. Try again, or ask your IT service desk if it keeps happening.",
    "provider_unavailable": "We could not reach {provider}. Try again in a few minutes.",
    "state": "This sign-in has already been used or has expired. Start again from the sign-in page.",
    "token_exchange": "We could not finish signing you in with {provider}. Start again from the sign-in page.",
    "signature": "We could not check that the sign-in came from {provider}: it was not signed with {provider}'s keys.",
    "issuer": "The sign-in did not come from the organisation {provider} said it came from.",
    "audience": "The sign-in from {provider} was meant for another service, not this registry.",
    "expired": "The sign-in from {provider} had expired. Start again from the sign-in page.",
    "nonce": "The sign-in from {provider} did not belong to the one this browser started. Start again from the sign-in page.",
    "invalid_token": "The sign-in from {provider} was not valid. Start again from the sign-in page.",
    "tenant": "Your organisation's {provider} is not set up to sign in to this registry. "
              "Ask your IT service desk to ask us to add it.",
    "email_unverified": "{provider} has not confirmed your email address, so we cannot match it to an invitation.",
    "not_invited": "You do not have an account in this registry, and there is no invitation for your email address.",
    "linked_elsewhere": "This {provider} account is already linked to another account in this registry.",
    "deactivated": "Your account in this registry has been deactivated.",
}


class SignInRefused(DomainError, status=403, code="sign_in_refused"):
    """A single sign-on that must not start a session; `reason` is a key of MESSAGES."""

    def __init__(self, reason: str, provider_name: str, *, detail: str = "", who_can_invite: tuple = ()) -> None:
        super().__init__(MESSAGES[reason].format(provider=provider_name))
        self.reason = reason
        self.detail = detail
        # The administrators who could invite the person (for "not_invited"): shown on the page.
        self.who_can_invite = who_can_invite
        if reason == "provider_unavailable":
            self.status = 503  # nothing the person did wrong: the provider is down or unreachable
