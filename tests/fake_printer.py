"""A fake ESC/POS network printer on 127.0.0.1 for fault tests.

Modes: ``ok`` (answers status queries, keeps every byte), ``paper_out``,
``offline``, ``silent`` (accepts the connection, never answers: a hung printer),
``drop`` (closes the connection after ``drop_after`` bytes). ``refuse`` is simply
a port nobody listens on (see :func:`closed_port`).
"""

from __future__ import annotations

import socket
import threading


class FakePrinter:
    def __init__(self, mode: str = "ok", drop_after: int = 64) -> None:
        self.mode = mode
        self.drop_after = drop_after
        self.received = bytearray()
        self.jobs = 0
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(5)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                self.jobs += 1
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        taken = 0
        while not self._stop.is_set():
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            if self.mode == "silent":
                continue  # never answers, keeps nothing
            if self.mode == "drop":
                taken += len(chunk)
                if taken >= self.drop_after:  # mid-job: gone, with a reset
                    conn.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    return
            self.received += chunk
            # answer real-time status queries wherever they appear
            for query in (b"\x10\x04\x01", b"\x10\x04\x04"):
                for _ in range(chunk.count(query)):
                    conn.sendall(self._status(query))

    def _status(self, query: bytes) -> bytes:
        if query == b"\x10\x04\x01":
            return b"\x1a" if self.mode == "offline" else b"\x12"  # bit 3 = offline
        return b"\x72" if self.mode == "paper_out" else b"\x12"  # bits 5-6 = paper end

    def payload(self) -> bytes:
        """What was printed, without the status queries."""
        return bytes(self.received).replace(b"\x10\x04\x01", b"").replace(b"\x10\x04\x04", b"")

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        self._thread.join(timeout=2)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return int(port)
