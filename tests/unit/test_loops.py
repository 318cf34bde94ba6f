"""A loop steps again at once while there is more to take, and waits once it has found the end."""
import threading

from shared.loops import Loop


def run_steps(results: list[int], full_at: int) -> list[str]:
    """What the loop did, in order: each step's work, and each wait between steps."""
    happened, stopping = [], threading.Event()

    def step() -> int:
        done = results.pop(0)
        happened.append(f"step {done}")
        if not results:
            stopping.set()
        return done
    loop = Loop("test", step, idle_wait=5, full_at=full_at, stopping=stopping,
                wait=lambda _seconds, _stop: happened.append("wait"))
    loop.run()
    return happened


def test_after_a_full_batch_it_steps_again_at_once_and_after_a_partial_one_it_waits():
    assert run_steps([500, 500, 3, 0, 2], full_at=500) == [
        "step 500", "step 500", "step 3", "wait", "step 0", "wait", "step 2", "wait"]


def test_without_a_full_batch_size_only_an_idle_step_waits():
    assert run_steps([3, 3, 0, 1], full_at=0) == ["step 3", "step 3", "step 0", "wait", "step 1"]
