"""The one error type the CLI turns into a message and exit code 1, and terminal-safe text."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """Text safe for a terminal: control characters (escape sequences, bells) and lone surrogates shown as \\x1b."""
    return "".join(c if c == "\n" or unicodedata.category(c) not in ("Cc", "Cs") else f"\\x{ord(c):02x}"
                   if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in text)


class Interrupted(BaseException):
    """The build was stopped by a signal (Ctrl-C or SIGTERM); `code` is the exit code (130 or 143)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class OthandoutError(Exception):
    """A problem the user can fix; `str()` is the whole message."""

    def __init__(self, message: str, hint: str | None = None, where: str | None = None,
                 more: list[OthandoutError] | None = None) -> None:
        self.message = message
        self.hint = hint
        self.where = where
        self.more = more or []  # further problems found at the same time, each with its own place and hint
        super().__init__(self.render())

    def render(self) -> str:
        """Format as `where message` plus an optional hint line, then each further problem the same way."""
        head = f"{self.where} {self.message}" if self.where else self.message
        head = f"{head}\n  hint: {self.hint}" if self.hint else head
        return "\n".join([head, *(problem.render() for problem in self.more)])


class ContentError(OthandoutError):
    """The content file cannot be read or is not valid."""


class LayoutError(OthandoutError):
    """A layout folder or its manifest is broken, or a layout is unknown."""


class ContractError(OthandoutError):
    """A rendered document breaks its layout's contract."""
