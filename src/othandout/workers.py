"""Worker processes for independent PDFs (the layouts of one build, the rows of a batch): one warm renderer in
each, results in order, and a stop that leaves nothing half-written.

Workers are forked after WeasyPrint is imported, so none imports it again. They ignore Ctrl-C (the parent
stops the pool) and unwind on SIGTERM, so a temporary file is removed on the way out. Their temporary files
(WeasyPrint's font folders among them) go in one scratch folder that the parent removes, however they end."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def warm() -> None:
    """Start this process's renderer now, to be cleaned up when the process ends."""
    from multiprocessing import util

    from othandout.build import engine

    renderer = engine()
    util.Finalize(renderer, renderer.close, exitpriority=100)


def _leave(signum: int, frame: Any) -> None:
    """SIGTERM in a worker (the pool is stopping): unwind quietly, removing any half-written file."""
    raise SystemExit(128 + signum)


def _start(scratch: str, setup: Callable[..., None] | None, args: tuple) -> None:
    """A new worker: ignore Ctrl-C, unwind on SIGTERM, keep temporary files in `scratch`, warm its renderer,
    then the caller's own setup."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    tempfile.tempdir = scratch
    warm()
    if setup is not None:
        setup(*args)


def run(function: Callable[[Item], Result], items: Sequence[Item], jobs: int,
        setup: Callable[..., None] | None = None, args: tuple = (), ordered: bool = True) -> Iterator[Result]:
    """`function` over `items` in `jobs` worker processes (in this process when one is enough), in the items'
    order or, unordered, as each finishes. What `setup(*args)` leaves in module globals is what the workers
    share; an exception or a signal in the caller stops every worker."""
    if jobs <= 1 or len(items) <= 1:
        if setup is not None:
            setup(*args)
        yield from map(function, items)
        return
    import multiprocessing

    import othandout.pipeline.engine  # noqa: F401 - imported once, before the fork, for every worker

    scratch = tempfile.mkdtemp(prefix="othandout-workers-")
    pool = multiprocessing.get_context("fork").Pool(min(jobs, len(items)), initializer=_start,
                                                     initargs=(scratch, setup, args))
    try:
        yield from (pool.imap if ordered else pool.imap_unordered)(function, items)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        shutil.rmtree(scratch, ignore_errors=True)
