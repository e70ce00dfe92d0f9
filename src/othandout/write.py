"""Write stage: put a PDF in place atomically, so a failed build never harms the previous one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from othandout.errors import OthandoutError


def write_atomic(data: bytes, target: Path) -> None:
    """Write bytes to a temporary file beside `target`, then rename it over `target`."""
    if target.parent.exists() and not target.parent.is_dir():
        raise OthandoutError(f"cannot write into {target.parent}: it is a file, not a folder",
                             hint="give a folder with --out, such as --out output")
    if target.is_dir():
        raise OthandoutError(f"cannot write {target}: a folder of that name is in the way",
                             hint="move or rename that folder, or choose another folder with --out")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OthandoutError(f"cannot write to {target.parent}: {err.strerror}",
                             hint="choose another folder with --out") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OthandoutError(f"cannot write {target}: {err.strerror}", hint="choose another folder with --out") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
