"""A TCP proxy that cuts every connection after a set number of bytes from the client: a poor
line, for the intake service's tests and benchmarks (issue 18). It counts every byte the client
sent, so a test can check what the cuts cost."""

from __future__ import annotations

import socket
import threading


class CuttingProxy:
    def __init__(self, upstream: tuple[str, int], cut_after: int):
        self.upstream = upstream
        self.cut_after = cut_after
        self.client_bytes = 0  # everything the clients sent, over all connections
        self.connections = 0
        self.cuts = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> CuttingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
            state = {"sent": 0, "closed": False}
            threading.Thread(target=self._pipe, args=(client, server, state, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, state, False), daemon=True).start()

    def _close(self, a: socket.socket, b: socket.socket, state: dict) -> None:
        if not state["closed"]:
            state["closed"] = True
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def _pipe(self, source: socket.socket, target: socket.socket, state: dict, from_client: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if from_client:  # counted as received, also what the cut then drops
                    with self._lock:
                        self.client_bytes += len(data)
                    data = data[: max(self.cut_after - state["sent"], 0)]
                    state["sent"] += len(data)
                target.sendall(data)
                if from_client and state["sent"] >= self.cut_after:
                    with self._lock:
                        self.cuts += 1
                    break
        except OSError:
            pass
        self._close(source, target, state)
