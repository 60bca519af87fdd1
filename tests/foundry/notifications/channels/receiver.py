"""A local HTTP server standing in for Slack, Discord, a webhook receiver or a push service.

It records every request and answers each with the next scripted response (200 once the
script runs out).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Answer", "Receiver", "Received", "running_receiver"]


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    """A scripted response."""

    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)


class Receiver:
    """What the server received and what it answers next."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.requests: list[Received] = []
        self.script: deque[Answer] = deque()
        self.lock = threading.Lock()

    def url(self, path: str = "/") -> str:
        """An ``http://127.0.0.1:<port>`` URL on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *answers: Answer) -> None:
        """Answer the next requests with these, in order."""
        with self.lock:
            self.script.extend(answers)

    def next_answer(self) -> Answer:
        with self.lock:
            return self.script.popleft() if self.script else Answer()


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with receiver.lock:
                receiver.requests.append(Received("POST", self.path, headers, body))
            answer = receiver.next_answer()
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output quiet

    return Handler


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    """Serve on a free port of 127.0.0.1 in a thread until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    receiver = Receiver(server.server_address[1])
    server.RequestHandlerClass = _handler(receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
