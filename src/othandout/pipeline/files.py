"""The one reader: every file othandout reads is a regular file inside an allowed folder, read once, size-capped."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from othandout.errors import OthandoutError

# O_NONBLOCK: opening a FIFO or device never waits; O_NOFOLLOW: the checked file cannot become a link.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
KIND = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
        stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


class FileRefused(OthandoutError):
    """A file othandout will not read; `why` says why in plain words."""

    def __init__(self, shown: str, why: str, hint: str | None = None) -> None:
        self.shown, self.why = shown, why
        super().__init__(f"{shown}: {why}", hint=hint)


@dataclass(frozen=True)
class Roots:
    """The folders a read may reach, after every symlink is resolved."""

    folders: tuple[Path, ...]

    @classmethod
    def of(cls, *folders: Path) -> Roots:
        """Roots from folders, resolved once."""
        return cls(tuple(dict.fromkeys(f.resolve() for f in folders)))

    def holds(self, real: Path) -> bool:
        """True when a resolved path lies inside one of the folders."""
        return any(real == f or real.is_relative_to(f) for f in self.folders)


def shown_as(path: Path, base: Path | None) -> str:
    """A path as a message shows it: relative to `base` when inside it."""
    if base is not None:
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


def resolve(path: Path, roots: Roots, shown: str) -> Path:
    """The real path of `path`, symlinks followed, if it exists and stays inside the roots."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise FileRefused(shown, "no such file") from None
    except (OSError, RuntimeError) as err:
        raise FileRefused(shown, f"cannot be opened ({getattr(err, 'strerror', None) or err})") from None
    if not roots.holds(real):
        raise FileRefused(shown, "it lies outside the folders othandout may read (a link, or '..', leads out)",
                          hint="keep every file the content or a layout uses inside its own folder")
    return real


def read_bytes(path: Path, roots: Roots, limit: int, shown: str | None = None) -> bytes:
    """Read a regular file inside `roots` of at most `limit` bytes, or raise FileRefused saying why."""
    shown = shown or str(path)
    real = resolve(path, roots, shown)
    try:
        checked = _regular(real.stat(), shown, limit)
        fd = os.open(real, OPEN_FLAGS)
    except OSError as err:
        raise FileRefused(shown, f"cannot be opened ({err.strerror or err})") from None
    with os.fdopen(fd, "rb") as handle:
        opened = _regular(os.fstat(fd), shown, limit)
        if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
            raise FileRefused(shown, "it changed while being read")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(shown, f"it is larger than {_size(limit)}")
    return data


def _regular(info: os.stat_result, shown: str, limit: int) -> os.stat_result:
    """Pass a regular file of at most `limit` bytes; refuse pipes, devices, folders and huge files."""
    kind = stat.S_IFMT(info.st_mode)
    if kind != stat.S_IFREG:
        raise FileRefused(shown, f"is {KIND.get(kind, 'not a regular file')}, not a regular file")
    if info.st_size > limit:
        raise FileRefused(shown, f"it is larger than {_size(limit)}")
    return info


def _size(limit: int) -> str:
    """A byte limit in KiB or MiB, for messages."""
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
