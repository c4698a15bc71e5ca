"""One run at a time per state folder: an exclusive ``flock`` on ``state/lock``.

The kernel releases a flock when its holder exits, however it exits (kill -9 included), so a
lock left by a dead process never blocks: the file may stay, the lock does not. The file holds
the holder's pid, host and start time, only to name it in the message of a run that must wait.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from ..errors import FeedgenError

LOCK_NAME = "lock"


class LockHeld(FeedgenError):
    """Another run holds the state folder's lock (exit 2: nothing written)."""


class StateLock:
    """``with StateLock(folder, now=..., wait=seconds):`` holds the lock for the block."""

    def __init__(
        self,
        state_dir: Path,
        *,
        now: datetime,
        wait: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = state_dir / LOCK_NAME
        self.now = now
        self.wait = wait
        self.sleep = sleep
        self.fd: int | None = None

    def __enter__(self) -> StateLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd, self.sleep)
                    os.close(fd)
                    waited = f" after waiting {self.wait:g} s" if self.wait else ""
                    raise LockHeld(
                        f"{self.path}: another build is running ({holder}){waited}; "
                        "try again later or pass --wait SECONDS"
                    ) from None
                self.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        info = f"pid {os.getpid()} on {os.uname().nodename} since {self.now.isoformat()}\n"
        data = info.encode("utf-8")
        os.pwrite(fd, data, 0)  # write, then cut: a reader never finds the file empty mid-way
        os.ftruncate(fd, len(data))
        self.fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing releases the flock
            self.fd = None


def _read_holder(fd: int, sleep: Callable[[float], None]) -> str:
    """The holder's name; a holder that has just taken the lock gets a moment to write it."""
    for _ in range(20):
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        if text:
            return f"held by {text}"
        sleep(0.05)
    return "held by a process that has not written its name yet"
