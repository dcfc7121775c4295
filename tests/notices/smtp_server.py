"""A real SMTP server for the e-mail tests (aiosmtpd on a free local port), keeping what it received."""
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.handler = _Keep()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
