"""A real SMTP server on localhost for tests and benchmarks (aiosmtpd in a thread).

It accepts every message, except for addresses it is told to refuse: permanently (550,
the mailbox does not exist) or for now (451, try again later).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Sink:
    def __init__(
        self, *, refuse_permanently=(), refuse_for_now=(), pause_once_at=(), pause_once_after=()
    ):
        self.refuse_permanently = {a.lower() for a in refuse_permanently}
        self.refuse_for_now = {a.lower() for a in refuse_for_now}
        # Hold the conversation when these recipients come up (once each), until
        # release(): a test can then kill the sender while it waits, mid-message,
        # before the message is accepted.
        self.pause_once_at = {a.lower() for a in pause_once_at}
        # Keep the message to these recipients (once each), then hold the answer until
        # release(): the message is accepted and stored, and a sender killed while it
        # waits never learns so (the crash between accepting and recording "sent").
        self.pause_once_after = {a.lower() for a in pause_once_after}
        self.paused = threading.Event()
        self._released = threading.Event()
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    def release(self) -> None:
        self._released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.pause_once_at:
            self.pause_once_at.discard(address.lower())
            self.paused.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        if address.lower() in self.refuse_permanently:
            return "550 5.1.1 No such mailbox here"
        if address.lower() in self.refuse_for_now:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        held = {a.lower() for a in envelope.rcpt_tos} & self.pause_once_after
        if held:
            self.pause_once_after -= held
            self.paused.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self._lock:
            return [m["To"] for m in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_sink(**kwargs):
    """Yield ``(sink, port)`` while an SMTP server listens on 127.0.0.1:port."""
    sink = Sink(**kwargs)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()
