"""A loopback HTTP server for webhook tests: each POST's path, headers and body go to a callback, whose return
value is the response status. Binds 127.0.0.1 on an ephemeral port and always stops."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[str, dict[str, str], bytes], int]


@contextmanager
def serve_posts(answer: Answer) -> Iterator[str]:
    """Yields the server's base URL (`http://127.0.0.1:<port>`)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = answer(self.path, dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def collect_posts(*, lower_names: bool = False) -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A receiver that answers 200 and keeps (headers, body) of every POST; yields its `/hook` URL and the list.
    `lower_names` lower-cases the header names."""
    received: list[tuple[dict[str, str], bytes]] = []

    def keep(_path: str, headers: dict[str, str], body: bytes) -> int:
        received.append(({k.lower(): v for k, v in headers.items()} if lower_names else headers, body))
        return 200

    with serve_posts(keep) as base:
        yield f"{base}/hook", received
