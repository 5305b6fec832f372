"""Run one call in many threads at the same moment (real transactions, one database connection each)."""

import threading

from django.db import connection


def race(target, count: int, *, expected: tuple[type[Exception], ...]) -> list:
    """Call ``target(i)`` for i in range(count), all released together; returns each result or expected error.

    Any other error comes back as a RuntimeError carrying its repr, so the test can fail with its text.
    """
    barrier = threading.Barrier(count)
    outcomes, lock = [], threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=30)
            result = target(i)
        except expected as error:
            result = error
        except Exception as error:  # noqa: BLE001 - an unexpected error fails the caller's test, with its text
            result = RuntimeError(repr(error))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
