"""scripts/setup.sh waits for another apt process instead of failing, and says what it waits for."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time
from pathlib import Path

from support import ROOT

WAIT = [sys.executable, str(ROOT / "scripts" / "wait_for_apt.py")]


def test_setup_waits_for_the_apt_lock() -> None:
    assert "scripts/wait_for_apt.py" in (ROOT / "scripts" / "setup.sh").read_text()


def test_a_held_lock_is_waited_for_with_one_message(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    with lock.open("a") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)  # what a running apt-get holds
        start = time.monotonic()
        waiter = subprocess.Popen([*WAIT, str(lock)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert waiter.poll() is None, "it must still be waiting while the lock is held"
        fcntl.lockf(handle, fcntl.LOCK_UN)
        out, err = waiter.communicate(timeout=10)
    assert waiter.returncode == 0, err
    assert time.monotonic() - start >= 1.5
    assert out.count("\n") == 1
    assert out.startswith("setup: waiting for another apt/dpkg process to finish") and str(lock) in out


def test_a_free_lock_is_silent(tmp_path: Path) -> None:
    run = subprocess.run([*WAIT, str(tmp_path / "lock-frontend"), str(tmp_path / "missing" / "lock")],
                         capture_output=True, text=True, timeout=10)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_a_lock_held_past_the_timeout_fails_plainly(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    with lock.open("a") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)
        run = subprocess.run([*WAIT, "--timeout", "0.5", str(lock)], capture_output=True, text=True, timeout=10)
    assert run.returncode == 1
    assert f"{lock} is still locked after 0.5 s; try again later" in run.stderr
