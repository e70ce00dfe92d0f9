"""Write stage: put a file in place atomically, so a failed build never harms the previous one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from othandout.errors import OthandoutError


def write_atomic(data: bytes, target: Path, option: str = "--out") -> None:
    """Write bytes to a temporary file beside `target`, then rename it over `target`.

    `option` is the command-line option that chooses another place, named in the hints."""
    elsewhere = f"choose another folder with {option}"
    if target.parent.exists() and not target.parent.is_dir():
        raise OthandoutError(f"cannot write into {target.parent}: it is a file, not a folder", hint=elsewhere)
    if target.is_dir():
        raise OthandoutError(f"cannot write {target}: a folder of that name is in the way",
                             hint=f"move or rename that folder, or {elsewhere}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OthandoutError(f"cannot write to {target.parent}: {err.strerror}", hint=elsewhere) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OthandoutError(f"cannot write {target}: {err.strerror}", hint=elsewhere) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def example_content() -> Path:
    """The example content.yaml: inside the installed package, or the repository's own."""
    packaged = Path(__file__).resolve().parents[1] / "example" / "content.yaml"
    return packaged if packaged.is_file() else Path(__file__).resolve().parents[3] / "content.yaml"


def write_example(target: Path) -> None:
    """Copy the example content to `target`, never over an existing file."""
    if target.exists():
        raise OthandoutError(f"{target}: already exists, so it was left as it was",
                             hint="edit it and run othandout build, or give a new file name with --content")
    write_atomic(example_content().read_bytes(), target, option="--content")
