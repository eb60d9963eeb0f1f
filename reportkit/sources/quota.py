"""Platform limits shared by every worker of a batch: concurrency slots and back-off.

A month-start batch runs many clients in several processes, often several clients on the
same GA4 property, ad account or site. :class:`Gate` makes their API calls share the
platform's limits:

- **slots**: at most ``limit`` calls to one property/account at a time, across processes.
  Slot ``i`` is the file ``<warehouse>.limits/<key>.<i>``; a call holds an exclusive
  ``fcntl`` lock on one of them. The operating system releases the lock when the process
  ends, so a killed worker never keeps a slot.
- **back-off**: when the platform says "slow down" (a rate limit, 503), the worker that saw
  it writes the time until which nobody should call that property/account into
  ``<key>.wait``; every worker waits for it before its next call.

The files live beside the warehouse (which every worker of a batch already shares).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import re
import time
from contextlib import contextmanager
from pathlib import Path

from reportkit.errors import SourceError

POLL_S = 0.01             # how often a worker waiting for a slot looks again
SLOT_TIMEOUT_S = 900.0    # a slot not free after this long: give up on the client
MAX_WAIT_S = 300.0        # a back-off longer than this is not waited for here

# Concurrency caps per property / account (GA4 documents 10 concurrent requests a property;
# the others publish no figure: a cap that keeps a batch well below their rate limits).
CAPS = {"ga4": 10, "search_console": 5, "meta_ads": 4, "google_ads": 5}


def _safe(key: str) -> str:
    """A file name for a property/account key (e.g. ``ga4:123456``, ``sc-domain:x.com``)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", key)[:60]
    return f"{name}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


class Gate:
    """The shared limits of one property/account (``key``) for the workers using ``folder``."""

    def __init__(self, folder: str | Path, key: str, limit: int):
        self.folder, self.key, self.limit = Path(folder), key, max(1, int(limit))
        self.base = self.folder / _safe(key)

    @classmethod
    def beside(cls, warehouse_path: str | Path, key: str, limit: int) -> "Gate":
        path = Path(warehouse_path)
        return cls(path.with_name(path.name + ".limits"), key, limit)

    @contextmanager
    def slot(self):
        """Hold one of the ``limit`` slots (waiting for a free one and for any back-off)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + SLOT_TIMEOUT_S
        order = list(range(self.limit))
        random.shuffle(order)    # waiting workers do not all try slot 0 first
        while True:
            self.wait_out()
            for i in order:
                handle = open(f"{self.base}.{i}", "a")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    continue
                try:
                    yield i
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                    handle.close()
                return
            if time.monotonic() > deadline:
                raise SourceError(self.key, f"no free request slot after {SLOT_TIMEOUT_S:.0f} s "
                                  f"(at most {self.limit} at a time)",
                                  "other runs are using this account; run this client again later")
            time.sleep(POLL_S)

    # --- shared back-off -----------------------------------------------------------------
    def _wait_file(self) -> Path:
        return Path(f"{self.base}.wait")

    def back_off(self, seconds: float) -> None:
        """Ask every worker to leave this property/account alone for ``seconds``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        until = time.time() + max(0.0, seconds)
        with open(self._wait_file(), "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            try:
                current = float(handle.read().strip() or 0)
            except ValueError:
                current = 0.0
            if until > current:
                handle.seek(0)
                handle.truncate()
                handle.write(f"{until:.3f}")
                handle.flush()
                os.fsync(handle.fileno())

    def waiting(self) -> float:
        """Seconds left of the shared back-off (0 when none)."""
        try:
            until = float(self._wait_file().read_text().strip() or 0)
        except (OSError, ValueError):
            return 0.0
        return max(0.0, until - time.time())

    def wait_out(self) -> None:
        left = self.waiting()
        if left > 0:
            time.sleep(min(left, MAX_WAIT_S))


def backoff_s(attempt: int, initial: float, maximum: float) -> float:
    """Exponential back-off with jitter for retry ``attempt`` (0-based)."""
    return min(maximum, initial * (2 ** attempt)) * (0.5 + random.random() / 2)
