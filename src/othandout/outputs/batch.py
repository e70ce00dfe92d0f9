"""Batch personalization: one content file, many rows (clinic sites, schools), the chosen layouts for each row.

A row is a table of dotted content keys (`organization.name`, `organization.phone`, `footer_note`, `lang` ...)
read from CSV, YAML or JSON. Every row is validated before anything is rendered; each row's PDFs go to
`<out>/<slug>/`. Rows are made in a pool of worker processes, each keeping one warm renderer."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from othandout import workers
from othandout.build import BuildOptions, Built, build_loaded
from othandout.errors import ContentError, ContractError, LayoutError, OthandoutError
from othandout.pipeline.content import WORDING, Content
from othandout.pipeline.files import FileRefused, Roots, read_bytes
from othandout.pipeline.load import Loaded, load_yaml
from othandout.pipeline.validation import _explain, allowed_keys, first_error, model_at

MAX_TABLE_BYTES = 4 * 1024 * 1024
MAX_ROWS = 5000
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Row:
    """One row of the table: its number as a person counts it, its slug and its cells by dotted key."""

    number: int
    slug: str
    cells: dict[str, str]


@dataclass
class RowResult:
    """What happened to one row: the PDFs made (or left unchanged) and the failures."""

    row: Row
    built: list[Built] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[Row]:
    """The rows of a CSV, YAML or JSON table, with a slug each (the `slug` column, or one made from the name)."""
    try:
        raw = read_bytes(path, Roots.of(path.resolve().parent), MAX_TABLE_BYTES, shown=path.name).decode("utf-8-sig")
    except FileRefused as err:
        raise ContentError(err.message, hint="give the path of a .csv, .yaml or .json table with --for") from None
    except UnicodeDecodeError:
        raise ContentError(f"{path.name}: is not UTF-8 text", hint="save the table as UTF-8 (CSV UTF-8 in Excel)") from None
    records = _records(path, raw)
    if not records:
        raise ContentError(f"{path.name}: has no rows", hint="put one row per site or school under a header row")
    if len(records) > MAX_ROWS:
        raise ContentError(f"{path.name}: has {len(records):,} rows; at most {MAX_ROWS:,} are made in one run",
                           hint="split the table into several files")
    rows, seen = [], {}
    for number, record in records:
        cells = {str(k).strip(): "" if v is None else str(v).strip() for k, v in record.items() if k is not None}
        slug = cells.pop("slug", "") or _slug(cells.get("organization.name", "")) or f"row-{number}"
        if not SLUG.match(slug):
            raise ContentError(f"{path.name}:row {number}, column slug: {slug!r} is not a folder name",
                               hint="use lower-case letters, digits and dashes, such as riverside-clinic")
        if slug in seen:
            raise ContentError(f"{path.name}:row {number}, column slug: '{slug}' is already used by row {seen[slug]}",
                               hint="give each row its own slug")
        seen[slug] = number
        rows.append(Row(number, slug, cells))
    return rows


def _records(path: Path, raw: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number, record) pairs: CSV rows are numbered as a spreadsheet shows them, list entries from 1."""
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(raw))
        return [(reader.line_num, record) for record in reader if any((v or "").strip() for v in record.values())]
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as err:
        raise ContentError(f"{path.name}: cannot be read as a table ({str(err).splitlines()[0]})",
                           hint="a YAML or JSON table is a list of rows, each a group of `key: value`") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ContentError(f"{path.name}: is not a list of rows",
                           hint="write one entry per site, each a group of `organization.name: ...` keys")
    return [(n, {str(k): v for k, v in r.items()}) for n, r in enumerate(data, start=1)]


def _slug(name: str) -> str:
    """A folder name made from a clinic's name: `Riverside Kids (North)` -> `riverside-kids-north`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def row_content(base: Loaded, row: Row, table: str) -> Content:
    """The base content with a row's cells put in, validated; a bad cell is named by row and column."""
    data = copy.deepcopy(base.data)
    for key, value in row.cells.items():
        path = key.split(".")
        if not value:  # an empty cell keeps the content file's value
            continue
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {}) if isinstance(target, dict) else target
        target[path[-1]] = value
    try:
        content = Content.model_validate(data)
    except ValidationError as exc:
        raise _row_error(exc, base, row, table) from None
    filled = [tuple(key.split(".")) for key, value in row.cells.items() if value]
    content._source = replace(base, marks={k: v for k, v in base.marks.items()  # a cell's text has no line there
                                           if not any(k[:len(f)] == f for f in filled)})
    return content


def check_columns(rows: list[Row], table: str) -> None:
    """Every column names a content key such as organization.phone (with a did-you-mean), checked once."""
    import difflib

    for key in dict.fromkeys(k for row in rows for k in row.cells):
        path = tuple(key.split("."))
        if model_at(Content, path[:-1]) is None or path[-1] not in allowed_keys(Content, path[:-1]):
            close = difflib.get_close_matches(key, list(_dotted_keys()), n=1)
            raise ContentError(f"{table}, column {key}: is not a content key",
                               hint=f"did you mean '{close[0]}'?" if close else "columns are content keys such as "
                                                                                "organization.name or footer_note")


def _dotted_keys() -> Iterator[str]:
    """Every dotted key a column may name (top-level text keys and organization.*)."""
    from othandout.pipeline.content import Organization

    yield from ("title", "teacher_title", "summary", "intro", "in_simple_terms", "footer_note", "lang", "web_url",
                "qr", "reviewed", "sources")
    yield from (f"organization.{k}" for k in Organization.model_fields)


def _row_error(exc: ValidationError, base: Loaded, row: Row, table: str) -> OthandoutError:
    """A validation error named by row and column when a cell caused it, else located in the content file."""
    err = first_error(exc)
    loc = tuple(str(p) for p in err["loc"])
    for column in row.cells:
        if loc[:len(column.split("."))] == tuple(column.split(".")):
            message, hint = _explain(err["type"], tuple(err["loc"]), err.get("input"), err, WORDING)
            return ContentError(f"{table}:row {row.number}, column {column}: {message}", hint=hint)
    from othandout.pipeline.validation import located

    return located(exc, base, WORDING)


# --- making the rows --------------------------------------------------------------------------------------

_JOB: dict[str, Any] = {}


def _share(options: BuildOptions, base: Loaded, table: str) -> None:
    """What every row shares, kept where each worker finds it."""
    _JOB.update(options=options, base=base, table=table)


def make_row(row: Row) -> RowResult:
    """Make one row's PDFs into <out>/<slug>/ (in a worker, or in this process with --jobs 1)."""
    options, base, table = _JOB["options"], _JOB["base"], _JOB["table"]
    result = RowResult(row)
    try:
        content = row_content(base, row, table)
        mine = replace(options, out=options.out / row.slug, jobs=1)  # the rows, not their layouts, run side by side
        result.built = build_loaded(content, mine, failures=result.failures)
    except (ContentError, ContractError, LayoutError) as err:
        result.failures.append(err.render())
    return result


def run(options: BuildOptions, table: Path, jobs: int, report: Callable[[RowResult, int, int], None]) -> list[RowResult]:
    """Validate every row, then make them in a pool of `jobs` workers; each finished row is reported."""
    base = load_yaml(options.content)
    rows = read_rows(table)
    check_columns(rows, table.name)
    problems = []
    for row in rows:
        try:
            row_content(base, row, table.name)
        except OthandoutError as err:
            problems.append(err.render())
    if problems:
        raise ContentError("\n".join(problems), hint="nothing was made; fix these rows and run the batch again")
    results: list[RowResult] = []
    for result in workers.run(make_row, rows, jobs, _share, (options, base, table.name), ordered=False):
        results.append(result)
        report(result, len(results), len(rows))
    return sorted(results, key=lambda r: r.row.number)
