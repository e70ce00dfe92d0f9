"""A bounded Jinja sandbox for layout templates: plain data in, limited time, loops, string sizes and output."""

from __future__ import annotations

import functools
import re
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from othandout.errors import LayoutError
from othandout.pipeline.files import FileRefused, Roots, read_bytes

MAX_TEMPLATE_BYTES = 256 * 1024
MAX_OUTPUT = 2 * 1024 * 1024
MAX_LOOP = 20_000      # range() items over one render
MAX_SIZE = 100_000     # characters or items one operator may produce
SECONDS = 10.0
HUGE_WIDTH = re.compile(r"%[-+ #0]*\d{6,}|\{[^{}]*?\d{6,}")  # a format width of 100,000 or more ("{:>1000000}")


class TemplateLimit(Exception):
    """A template went past one of the sandbox's limits; the message says which."""


class SafeLoader(jinja2.BaseLoader):
    """Load templates from the layout folder, then the shared base, through the one reader (no links out)."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.roots = Roots.of(*folders)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, from the first folder that has it."""
        if template.startswith("/") or ".." in Path(template).parts:
            raise jinja2.TemplateNotFound(template)
        for folder in self.folders:
            path = folder / template
            if path.exists() or path.is_symlink():
                try:
                    data = read_bytes(path, self.roots, MAX_TEMPLATE_BYTES, shown=f"{folder.name}/{template}")
                    stamp = _stamp(path)
                    return data.decode("utf-8"), template, lambda: _stamp(path) == stamp
                except UnicodeDecodeError as err:
                    line = data[:err.start].count(b"\n") + 1
                    raise LayoutError(f"{folder.name}/{template}:{line}: is not UTF-8 text (byte 0x{data[err.start]:02x})",
                                      hint="save the template as UTF-8 in your editor") from None
                except FileRefused as err:
                    raise LayoutError(err.message, hint=err.hint) from None
        raise jinja2.TemplateNotFound(template)


def _stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size, to know when a cached template is stale."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a loop budget and size limits on `*`, `**` and `+`."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, folders: list[Path], **filters: Callable[..., Any]) -> None:
        super().__init__(loader=SafeLoader(folders), autoescape=True, undefined=jinja2.StrictUndefined,
                         trim_blocks=True, lstrip_blocks=True)
        self.budget = MAX_LOOP
        self.globals = {"range": self._range, "dict": dict}
        self.filters.update(filters)
        self.filters = {name: _bounded(name, f) for name, f in self.filters.items()}

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Any call a template makes (str.format and other methods): no huge counts or format widths."""
        _check_arguments(getattr(__obj, "__name__", "a function"), args, kwargs)
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format in a safe formatter
        if isinstance(getattr(method, "__self__", None), str):
            _check_format(method.__self__)
        return super().call(__context, __obj, *args, **kwargs)

    def _range(self, *args: int) -> range:
        """range(), charged to the render's loop budget."""
        found = range(*args)
        self.budget -= len(found)
        if self.budget < 0:
            raise TemplateLimit(f"loops run more than {MAX_LOOP:,} times")
        return found

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """Refuse `*`, `**` and `+` whose result would be huge."""
        if operator == "**" and (abs(_number(right)) > 64 or abs(_number(left)) > 10**6):
            raise TemplateLimit("a power is too large")
        sequence = isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple))
        if operator == "*" and sequence and _length(left) * _length(right) > MAX_SIZE:
            raise TemplateLimit(f"a repeated text or list would be longer than {MAX_SIZE:,}")
        if operator == "+" and isinstance(left, (str, list, tuple)) and len(left) + _length(right) > MAX_OUTPUT:
            raise TemplateLimit("a joined text or list is too long")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)


def _bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses huge counts and format widths before it builds anything (`center(1500000000)`)."""
    @functools.wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(name, args, kwargs)
        if name == "format" and args and isinstance(args[0], str):
            _check_format(args[0])
        return function(*args, **kwargs)
    return bounded


def _check_arguments(name: str, args: tuple, kwargs: dict[str, Any]) -> None:
    """Refuse a whole number over MAX_SIZE given to a filter or function: it would size something huge."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            raise TemplateLimit(f"{name}() was given {value:,}, more than the {MAX_SIZE:,} a template may ask for")


def _check_format(text: str) -> None:
    """Refuse a format string with a huge width (`"{:>1000000}".format(x)`, `"%1000000s" % x`)."""
    if HUGE_WIDTH.search(text):
        raise TemplateLimit(f"a format width in {text[:40]!r} is over {MAX_SIZE:,}")


def _number(value: Any) -> float:
    """A value as a number for size checks (0 when it is not one)."""
    return value if isinstance(value, (int, float)) else 0


def _length(value: Any) -> int:
    """The length of a sequence, or a number's magnitude, for size checks."""
    return len(value) if isinstance(value, (str, list, tuple)) else int(abs(_number(value)) or 1)


def render(env: Sandbox, name: str, context: dict[str, Any], layout: str) -> str:
    """Render a template within the sandbox's limits; any failure is a LayoutError naming the file and line."""
    env.budget = MAX_LOOP
    deadline = time.monotonic() + SECONDS
    previous = sys.gettrace()
    sys.settrace(_tracer(deadline))
    try:
        out, size = [], 0
        for chunk in env.get_template(name).generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"it writes more than {MAX_OUTPUT // (1024 * 1024)} MB of HTML")
            out.append(chunk)
        return "".join(out)
    except LayoutError:
        raise
    except jinja2.TemplateSyntaxError as err:
        raise LayoutError(f"{layout}: template problem in {err.name} line {err.lineno}: {err.message}") from None
    except jinja2.TemplateNotFound as err:
        raise LayoutError(f"{layout}: template {err.name} not found in the layout folder or the shared base") from None
    except RecursionError:
        raise LayoutError(f"{layout}: a template includes or calls itself without end{_place()}",
                          hint="remove the include or macro call that leads back to the same template") from None
    except (TemplateLimit, MemoryError, OverflowError) as err:
        raise LayoutError(f"{layout}: template stopped{_place()}: {err or 'it needs too much memory'}",
                          hint="templates arrange the content; they cannot run long loops or make huge text") from None
    except Exception as err:  # noqa: BLE001 - any error inside a layout's template is the layout's problem
        raise LayoutError(f"{layout}: template problem{_place()}: {type(err).__name__}: {err}") from None
    finally:
        sys.settrace(previous)


def _tracer(deadline: float) -> Callable[..., Any]:
    """A trace function that stops template code (and only it) once the deadline passes."""
    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line" and time.monotonic() > deadline:
            raise TemplateLimit(f"it ran for more than {SECONDS:g} s")
        return local

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.endswith(".j2") else None
    return trace


def _place() -> str:
    """` in file line N` for the innermost template frame of the exception being handled."""
    frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if f.filename.endswith(".j2")]
    return f" in {Path(frames[-1].filename).name} line {frames[-1].lineno}" if frames else ""
