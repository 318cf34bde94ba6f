"""Run one of the service loops on a thread for the length of a test."""
import threading

from shared.loops import Loop


class Background:
    def __init__(self, loop: Loop):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=loop.run, args=(self._stop,), name=loop.name)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
