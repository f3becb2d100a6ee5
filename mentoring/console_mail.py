"""The email backend of `make run`: each message printed readably in the terminal.

Django's console backend prints the raw MIME message: quoted-printable text, then the
whole HTML part, so a subject is hard to find among the worker's output. This prints one
line that starts "Email:" with the subject, then who it is to, its Message-ID and its text
part, as a person reads it.
"""

from __future__ import annotations

import sys

from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class EmailBackend(ConsoleBackend):
    def __init__(self, *args, **kwargs):
        # The process's own output, not the Celery worker's logging proxy of it (which
        # would turn each message into a WARNING log record).
        kwargs.setdefault("stream", sys.__stdout__)
        super().__init__(*args, **kwargs)

    def write_message(self, message) -> None:
        parsed = message.message()
        extra = " (+ an HTML version)" if getattr(message, "alternatives", None) else ""
        lines = [
            f"Email: {message.subject}",
            f"  To: {', '.join(message.to)}   From: {message.from_email}",
            f"  Message-ID: {parsed['Message-ID']}{extra}",
            "",
            *(f"  {line}" for line in str(message.body).splitlines()),
            "-" * 79,
        ]
        self.stream.write("\n".join(lines) + "\n")
