"""Flow: which sections a layout prints, and how their bullets are shared out over the layout's flow slots.

A slot is each place a manifest says `flow`. The flowing sections are cut into units (one bullet each, the first
carrying the section's heading) and a plan gives each slot a contiguous run of units, in reading order. The best
plan is found from measured heights: nothing overflows, few sections are split, and the slots fill evenly."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from othandout.pipeline.blocks import FLOW, Piece
from othandout.pipeline.content import Content
from othandout.pipeline.layouts import Layout, Pin

Plan = tuple[tuple[int, int], ...]
PANEL_SPLIT_PT = 216.0  # a section split onto another panel costs as much as 3 in of uneven fill
EMPTY_BEFORE_PT = 1000.0  # an empty column or panel before the text: worse than any unevenness
COLUMN_SPLIT_PT = 36.0  # a section split onto the next column of the same page costs half an inch
COLUMN_WEIGHT = 4.0     # columns that end unevenly cost four times their difference
SAFETY_PT = 6.0         # plans keep this much room in every slot, for what the height model cannot foresee
MAX_PLANS = 200_000


@dataclass(frozen=True)
class Slot:
    """One `flow` in a manifest: the region, and the column (None for the region's own show/after list)."""

    index: int
    region: str
    column: int | None


@dataclass(frozen=True)
class Unit:
    """One bullet of a flowing section."""

    section: int
    item: int


def flowing(content: Content, layout: Layout) -> list[int]:
    """The sections that flow in this layout: its audience's, in content order, minus those pinned in place."""
    audience = layout.manifest.audience
    pinned = {pid for spec in layout.manifest.regions for pid in spec.pins()}
    return [i for i, s in enumerate(content.sections)
            if (audience == "everyone" or s.audience in ("everyone", audience)) and s.id not in pinned]


def printed(content: Content, layout: Layout) -> list[int]:
    """Every section this layout prints: pinned ones it has and flowing ones (when it has a flow)."""
    ids = {pid for spec in layout.manifest.regions for pid in spec.pins()}
    pinned = [i for i, s in enumerate(content.sections) if s.id in ids]
    return sorted(pinned + (flowing(content, layout) if slots(layout) else []))


def slots(layout: Layout) -> list[Slot]:
    """Every `flow` of the manifest in reading order."""
    found: list[Slot] = []
    order = layout.manifest.reading_order or [r.id for r in layout.manifest.regions]
    specs = {r.id: r for r in layout.manifest.regions}
    for rid in order:
        spec = specs[rid]
        lists = [(None, spec.show), *((c, col) for c, col in enumerate(spec.columns)), (None, spec.after)]
        found += [Slot(len(found) + n, rid, column) for n, (column, names) in enumerate(
            (c, names) for c, names in lists if FLOW in names)]
    return [Slot(i, s.region, s.column) for i, s in enumerate(found)]


def weights(layout: Layout, found: list[Slot]) -> list[float]:
    """A first guess at each slot's share of the flow: less where other blocks share its column or panel."""
    specs = {r.id: r for r in layout.manifest.regions}
    shares = []
    for slot in found:
        spec = specs[slot.region]
        names = spec.columns[slot.column] if slot.column is not None else [*spec.show, *spec.after]
        shares.append(max(0.3, 1.0 - 0.3 * sum(1 for n in names if n != FLOW)))
    return shares


def units(content: Content, layout: Layout) -> list[Unit]:
    """The flowing bullets in reading order."""
    return [Unit(s, i) for s in flowing(content, layout) for i in range(len(content.sections[s].items))]


def pieces(flow: list[Unit], plan: Plan) -> list[list[Piece]]:
    """For each slot, its runs of bullets grouped by section."""
    found = []
    for start, end in plan:
        run: list[Piece] = []
        for unit in flow[start:end]:
            if run and run[-1].section == unit.section:
                run[-1] = Piece(unit.section, run[-1].first, unit.item + 1)
            else:
                run.append(Piece(unit.section, unit.item, unit.item + 1))
        found.append(run)
    return found


def pinned(content: Content, pin: Pin) -> Piece | None:
    """The whole section a pin names, when the content has it."""
    for index, section in enumerate(content.sections):
        if section.id == pin.section:
            return Piece(index, 0, len(section.items), pinned=True)
    return None


def first_plan(content: Content, flow: list[Unit], count: int, weights: list[float] | None = None) -> Plan:
    """A first guess: cut the bullets by text length in proportion to each slot's weight, at section ends if near."""
    if count == 0:
        return ()
    weights = weights or [1.0] * count
    sizes = [len(content.sections[u.section].items[u.item].text) + (80 if u.item == 0 else 0) for u in flow]
    total, cuts, target = sum(sizes) or 1, [], 0.0
    for w in weights[:-1]:
        target += total * w / sum(weights)
        index = next((i for i, _ in enumerate(sizes) if sum(sizes[:i + 1]) >= target), len(sizes))
        ends = [i for i in range(max(0, index - 2), min(len(flow), index + 3)) if i == 0 or flow[i].item == 0]
        cut = min(ends, key=lambda i: abs(sum(sizes[:i]) - target)) if ends else index
        cuts.append(max(cut, cuts[-1] if cuts else 0))
    bounds = [0, *cuts, len(flow)]
    return tuple((bounds[i], bounds[i + 1]) for i in range(count))


@dataclass
class Measure:
    """Heights measured on a rendered plan, in points: what the optimizer plans with."""

    unit: list[float]         # each bullet's height, margins included
    head: list[float]         # each flowing section's heading (and intro) height, by unit index of its first bullet
    room: list[float]         # per slot: the height its flow may use before its region overflows
    group: list[int]          # per slot: slots in one region's columns share a group (their max counts)
    fixed: list[float]        # per slot: the height its column or panel gives to other blocks


def optimize(flow: list[Unit], measure: Measure) -> Plan:
    """The plan with the least overflow, then the fewest splits, then the most even fill."""
    count = len(measure.room)
    best: tuple[tuple[float, float], Plan] | None = None
    for plan in _plans(len(flow), count):
        score = _score(flow, plan, measure)
        if best is None or score < best[0]:
            best = (score, plan)
    return best[1] if best else ()


def _plans(n: int, count: int) -> Iterator[Plan]:
    """Every way to cut n units into `count` contiguous runs (capped, so huge inputs stay fast)."""
    if count == 0:
        return
    for made, cuts in enumerate(itertools.combinations_with_replacement(range(n + 1), count - 1)):
        if made > MAX_PLANS:
            return
        bounds = [0, *cuts, n]
        yield tuple((bounds[i], bounds[i + 1]) for i in range(count))


def fill(flow: list[Unit], start: int, end: int, measure: Measure) -> float:
    """The height a run of units takes in a slot: bullets plus a heading for each section it starts or continues."""
    height = sum(measure.unit[start:end])
    for i in range(start, end):
        if i == start or flow[i].section != flow[i - 1].section:
            first = next(j for j in range(i, -1, -1) if j == 0 or flow[j - 1].section != flow[i].section)
            height += measure.head[first]
    return height


def _score(flow: list[Unit], plan: Plan, measure: Measure) -> tuple[float, float]:
    """(overflow, cost) of a plan in points, lower is better; the cost counts split sections, uneven columns
    (a region's columns should end level), unevenly filled panels, and an empty place a reader meets before the
    text starts (short content fills the first places in reading order)."""
    fills = [fill(flow, s, e, measure) for s, e in plan]
    over, cost, ratios, rooms = 0.0, 0.0, [], []
    for group in sorted(set(measure.group)):
        members = [i for i, g in enumerate(measure.group) if g == group]
        heights = [measure.fixed[i] + fills[i] for i in members]
        room = min(measure.room[i] + measure.fixed[i] for i in members) - SAFETY_PT
        over += max(0.0, max(heights) - room)
        if len(members) > 1:
            cost += COLUMN_WEIGHT * (max(heights) - min(heights))
        ratios.append(max(heights) / max(room, 1.0))
        rooms.append(room)
    for k, (s, e) in enumerate(plan):
        if 0 < s < len(flow) and e > s and flow[s].item > 0:
            cost += COLUMN_SPLIT_PT if measure.group.count(measure.group[k]) > 1 else PANEL_SPLIT_PT
        if e == s and any(e2 > s2 for s2, e2 in plan[k + 1:]):
            cost += EMPTY_BEFORE_PT
    if len(ratios) > 1:
        cost += (max(ratios) - min(ratios)) * sum(rooms) / len(rooms)
    return (round(over, 1), cost)
