"""Wait for a condition with a deadline, instead of sleeping and hoping."""
import time


def wait_until(condition, timeout: float = 30.0, what: str = "the condition", interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
