"""Run one of the service loops on a thread for the length of a test."""
import threading

from shared.loops import Loop


class Background:
    def __init__(self, loop: Loop):
        self._loop = loop
        self._thread = threading.Thread(target=loop.run, name=loop.name)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._loop.stopping.set()
        self._thread.join()
