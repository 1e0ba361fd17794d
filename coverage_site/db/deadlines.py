"""A client-side deadline for database calls in web processes.

A database that accepts connections but never answers would hold a gunicorn worker until gunicorn
kills it (30 s). In a web process (`coverage_site/wsgi.py` switches this on) every query and every
connection health check must finish within `DATABASE_TIMEOUT` seconds, or it is abandoned with a
`DatabaseTimeout`, which readers see as a 503. It uses SIGALRM, so it applies to gunicorn's sync
workers (one request per process at a time, in the main thread); elsewhere it does nothing, and
PostgreSQL's own `statement_timeout` still bounds slow queries on a server that answers.
"""

import signal
import threading
from contextlib import contextmanager

from django.db import OperationalError

enabled = False


class DatabaseTimeout(OperationalError):
    """The database did not answer in time."""


def enable():
    global enabled
    enabled = True


def _expired(signum, frame):
    raise DatabaseTimeout("The database did not answer in time")


@contextmanager
def deadline(seconds):
    """Raise DatabaseTimeout if the block runs longer than `seconds` (main thread only)."""
    usable = enabled and seconds > 0 and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # off, or already bounded
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
