"""Serve one simulator over real HTTP on 127.0.0.1, on one or several listeners (ports).

Each listener is a ThreadingHTTPServer; the simulator learns which listener a request arrived on
(``SimRequest.listener``). ``stop()`` closes the listening sockets *and* any open keep-alive
connections and joins the handler threads, so nothing outlives a test.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.simulator import Simulator

LOOPBACK = "127.0.0.1"
_MAX_LINE = 65_537
_JOIN_SECONDS = 5.0
_POLL_SECONDS = 0.02  # how fast serve_forever notices stop()


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, simulator: Simulator, listener_name: str) -> None:
        self.simulator = simulator
        self.listener_name = listener_name
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        super().__init__((LOOPBACK, port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._process_tracked, args=(request, client_address), daemon=True, name="sandbox-http"
        )
        with self._lock:
            self._connections.add(request)
            self._handler_threads.add(thread)
        thread.start()

    def _process_tracked(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections.discard(request)
                self._handler_threads.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, dropped connections) are expected here: stay quiet."""

    def close_connections(self) -> None:
        with self._lock:
            connections = list(self._connections)
            threads = list(self._handler_threads)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(_JOIN_SECONDS)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small replies must not wait for a delayed ACK (about 40 ms a call)
    timeout = 120  # idle keep-alive connections are closed after this
    server: _Listener

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: request lines may carry tokens."""

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline(_MAX_LINE).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(_MAX_LINE) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(_MAX_LINE)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        split = urlsplit(self.path)
        request = SimRequest(
            method=self.command,
            path=split.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self._read_body(),
            query_string=split.query,
            listener=self.server.listener_name,
        )
        try:
            response = self.server.simulator.serve(request)
        except Exception as exc:  # a simulator bug: say so plainly, keep serving
            response = SimResponse.text(f"sandbox internal error: {type(exc).__name__}: {exc}", status=500)
        if response.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(response.status, response.reason)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


class LoopbackServer:
    """``with LoopbackServer(sim) as server: server.url`` — ports default to 0 (ephemeral)."""

    def __init__(self, simulator: Simulator, ports: Mapping[str, int] | None = None) -> None:
        ports = dict(ports or {})
        unknown = set(ports) - set(simulator.listener_names)
        if unknown:
            raise ValueError(f"{simulator.name} has no listener(s) {sorted(unknown)}")
        self.simulator = simulator
        self._ports = ports
        self._listeners: dict[str, _Listener] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> Self:
        if self._listeners:
            return self
        try:
            for name in self.simulator.listener_names:
                self._listeners[name] = _Listener(self._ports.get(name, 0), self.simulator, name)
        except OSError:
            self._close_listeners()
            raise
        self.simulator.attach(self.urls)
        for name, listener in self._listeners.items():
            thread = threading.Thread(
                target=listener.serve_forever,
                kwargs={"poll_interval": _POLL_SECONDS},
                daemon=True,
                name=f"sandbox-{name}",
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        if not self._listeners:
            return
        self.simulator.detach()
        stoppers = [threading.Thread(target=listener.shutdown) for listener in self._listeners.values()]
        for stopper in stoppers:  # in parallel: each waits for its serve_forever poll
            stopper.start()
        for thread in (*stoppers, *self._threads):
            thread.join(_JOIN_SECONDS)
        for listener in self._listeners.values():
            listener.close_connections()
        self._close_listeners()
        self._threads.clear()

    def _close_listeners(self) -> None:
        for listener in self._listeners.values():
            listener.server_close()
        self._listeners.clear()

    @property
    def running(self) -> bool:
        return bool(self._listeners)

    @property
    def urls(self) -> dict[str, str]:
        """Base URL per listener name, e.g. ``{"login": "http://127.0.0.1:54321"}``."""
        return {name: f"http://{LOOPBACK}:{listener.port}" for name, listener in self._listeners.items()}

    @property
    def url(self) -> str:
        """Base URL of the primary (first) listener."""
        return self.urls[self.simulator.listener_names[0]]

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
