"""Wait until no other apt or dpkg process holds its locks, saying once what we are waiting for.

A freshly booted Ubuntu machine runs unattended upgrades for several minutes; apt-get would fail at once.
Usage: python3 scripts/wait_for_apt.py [--timeout SECONDS] [LOCK ...]   (exit 1 if still locked at the timeout)
"""

from __future__ import annotations

import argparse
import fcntl
import sys
import time

LOCKS = ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock"]


def held(path: str) -> bool:
    """True when another process holds the fcntl lock that apt and dpkg take on this file."""
    try:
        with open(path, "a") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(handle, fcntl.LOCK_UN)
    except OSError:  # no such lock file, or not ours to open: nothing to wait for
        return False
    return False


def main() -> int:
    """Poll the locks until they are free or the timeout passes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("locks", nargs="*", default=LOCKS)
    args = parser.parse_args()
    deadline, told = time.monotonic() + args.timeout, False
    while busy := [path for path in args.locks if held(path)]:
        if time.monotonic() > deadline:
            print(f"setup: {busy[0]} is still locked after {args.timeout:g} s; try again later", file=sys.stderr)
            return 1
        if not told:
            print(f"setup: waiting for another apt/dpkg process to finish (it holds {busy[0]}; "
                  "a new machine often runs automatic updates first)...", flush=True)
            told = True
        time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
