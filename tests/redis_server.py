"""A real ``redis-server`` of a test's own, on a free port, that the test stops, starts
again, pauses (SIGSTOP: it accepts connections and never answers) and resumes."""

from __future__ import annotations

import signal
import subprocess
from contextlib import contextmanager

import redis

from tests.smtp_sink import free_port
from tests.worker import wait_for


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0, scheme: str = "redis") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
        wait_for(lambda: _pings(client), timeout=20, what="the test's Redis to start")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.send_signal(signal.SIGCONT)  # a paused server cannot act on SIGTERM
            process.terminate()
            process.wait(timeout=20)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@contextmanager
def redis_server():
    """Yield a started :class:`RedisServer`; it is stopped however the test ends."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
