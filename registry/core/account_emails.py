"""Short emails about a person's own account (an invitation, a reset link, a changed password): the same words as text and as simple HTML."""

from dataclasses import dataclass, field

from flask import current_app, render_template


@dataclass(frozen=True)
class AccountEmail:
    """What one email says: a title, paragraphs, perhaps a button with its link, then closing paragraphs."""

    subject: str
    title: str
    paragraphs: list[str]
    action: str | None = None
    link: str | None = None
    closing: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Return the plain-text body: the link on a line of its own, so any mail program makes it clickable."""
        parts = [*self.paragraphs]
        if self.link:
            parts.append(f"{self.action}:\n{self.link}")
        parts += self.closing
        return "\n\n".join(parts) + f"\n\n{current_app.config['SERVICE_NAME']}\n"

    def html(self) -> str:
        """Return the HTML body: the same words, with the link as a button."""
        return render_template("emails/account.html", email=self, service_name=current_app.config["SERVICE_NAME"])
