"""A small TCP proxy of the test's own, on loopback, between a service and its broker: the network
fault, without iptables. `cut` drops every connection, as a broker outage would; `freeze` stops
forwarding without closing either side, as a peer that vanished (a network drop, a firewall) does."""
import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._live: list[threading.Event] = []  # one "frozen" flag per forwarded connection
        self._frozen = False
        self._lock = threading.Lock()

    def start(self) -> "TcpProxy":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        self.port, self._listener = listener.getsockname()[1], listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Refuse new connections and drop the live ones, as a broker outage would."""
        with self._lock:
            if self._listener:
                _close(self._listener)  # shutdown wakes the thread blocked in accept()
                self._listener = None
            for connection in self._connections:
                _close(connection)
            self._connections.clear()

    def restore(self) -> None:
        self.start()

    def freeze(self) -> None:
        """Stop forwarding: whatever either side sends is swallowed, and neither hears of the other
        closing. The connections open now stay so for good (their peer vanished); a connection
        opened while frozen is accepted and never answered."""
        with self._lock:
            self._frozen = True
            for frozen in self._live:
                frozen.set()

    def thaw(self) -> None:
        """Forward new connections again (the network is back); the frozen ones stay dead."""
        with self._lock:
            self._frozen = False

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                if self._frozen:  # a black hole: connected, and never a byte back
                    self._connections.append(client)
                    continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            frozen = threading.Event()
            with self._lock:
                self._connections += [client, upstream]
                self._live.append(frozen)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink, frozen), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket, frozen: threading.Event) -> None:
    try:
        while data := source.recv(65536):
            if not frozen.is_set():
                sink.sendall(data)
    except OSError:
        pass
    finally:
        if not frozen.is_set():
            _close(source)
            _close(sink)


def _close(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()
