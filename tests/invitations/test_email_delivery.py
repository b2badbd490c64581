"""The invitation email reaches a real SMTP server with a link that works, in its text and its HTML; the outbox then forgets the link."""

from registry.outbox import delivery
from tests.mail import link_in, messages_to, path_of

from .conftest import invite


def test_the_invitation_arrives_over_smtp_with_a_working_link(app, client, smtp_server, leeds, leeds_admin):
    invite(leeds_admin, leeds)

    delivery.send_queued()

    [received] = smtp_server.messages
    assert received.envelope.rcpt_tos == ["nadia@leeds.example.org"]
    text = received.email.get_body(preferencelist=("plain",)).get_content()
    html = received.email.get_body(preferencelist=("html",)).get_content()
    link = link_in(text, "/join/")
    assert link in html
    assert client.get(path_of(link)).status_code == 200
    assert "/join/" not in messages_to("nadia@leeds.example.org")[0].body
