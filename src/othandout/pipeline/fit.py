"""Fit: lay a layout out so nothing overflows, sharing sections evenly over its slots and, with --fit shrink,
tightening spacing and then type in only the regions that need it (never below the manifest's floor)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from othandout.pipeline import flow
from othandout.pipeline.check import Overflow, box_on, overflows, with_words
from othandout.pipeline.content import Content
from othandout.pipeline.measure import Measurements
from othandout.pipeline.html import Arrangement, Assets, Level, Source, source
from othandout.pipeline.layouts import Layout
from othandout.pipeline.papers import PaperSpec

if TYPE_CHECKING:
    from othandout.pipeline.engine import Engine, Rendering

Fit = Literal["error", "shrink"]
STEP_PT = 0.25
MAX_RENDERS = 12
FLOW_GROUP = "flow"
FILL_KEEP_PT = 18.0   # evened-out columns still stop a quarter inch above what follows them
MAX_SPREAD_PT = 6.0   # and never add more than 6 pt to one gap
GROW_BAND_PT = 36.0   # a flowing region that ends more than half an inch above its foot may grow its type


@dataclass
class Laid:
    """The chosen rendering of a layout with what it took: its source, arrangement and leftover overflows."""

    source: Source
    rendering: Rendering
    arrangement: Arrangement
    assets: Assets
    overflows: list[Overflow] = field(default_factory=list)
    renders: int = 0

    @property
    def measurements(self) -> Measurements:
        """The chosen rendering's measurements."""
        return self.rendering.measurements

    @property
    def levels(self) -> dict[str, Level]:
        """Each region's level."""
        return self.arrangement.levels

    def worse_than(self, other: Laid) -> bool:
        """True when this rendering overflows more than another."""
        return sum(min(o.excess, 10**4) for o in self.overflows) > sum(min(o.excess, 10**4) for o in other.overflows)


def ladder(layout: Layout) -> list[Level]:
    """Every way to set a region, largest first: as designed, tighter spacing, then smaller type to the floor."""
    top, floor = layout.manifest.body_pt, layout.manifest.floor_pt
    steps = [Level(top), Level(top, tight=True)]
    size = top - STEP_PT
    while size > floor + 1e-6:
        steps.append(Level(round(size, 2), tight=True))
        size -= STEP_PT
    return steps + ([Level(floor, tight=True)] if floor < top else [])


def groups(layout: Layout) -> dict[str, str]:
    """Region id -> the group whose regions shrink together (all regions with a flow slot form one group)."""
    slotted = {slot.region for slot in flow.slots(layout)}
    return {r.id: FLOW_GROUP if r.id in slotted else r.id for r in layout.manifest.regions}


class _Run:
    """One layout being laid out: its flow, its ladder, what it has rendered so far."""

    def __init__(self, content: Content, layout: Layout, spec: PaperSpec, assets: Assets, engine: Engine) -> None:
        self.content, self.layout, self.spec, self.assets, self.engine = content, layout, spec, assets, engine
        self.units, self.slots = flow.units(content, layout), flow.slots(layout)
        self.steps, self.member = ladder(layout), groups(layout)
        self.renders = 0

    def arrangement(self, plan: flow.Plan, at: dict[str, int], spreads: dict[int, float] | None = None) -> Arrangement:
        """The arrangement for a plan and ladder positions."""
        levels = {rid: self.steps[at[g]] for rid, g in self.member.items()}
        return Arrangement(flow.pieces(self.units, plan), levels, spreads or {})

    def render(self, arrangement: Arrangement, tall: bool = False) -> Laid:
        """Lay out one arrangement and find its overflows."""
        src = source(self.content, self.layout, self.spec, self.assets, arrangement, tall=tall)
        rendering = self.engine.render(src, self.layout.name, shared=2)
        self.renders += 1
        found = overflows(self.layout, self.spec, src, rendering.measurements)
        return Laid(src, rendering, arrangement, self.assets, found, self.renders)


def lay_out(content: Content, layout: Layout, spec: PaperSpec, assets: Assets, fit: Fit, engine: Engine) -> Laid:
    """Render, re-plan the flow from what was measured, and with `shrink` step regions down until they fit."""
    run = _Run(content, layout, spec, assets, engine)
    plan = flow.first_plan(content, run.units, len(run.slots), flow.weights(layout, run.slots))
    at = {g: 0 for g in set(run.member.values())}
    tried: set[tuple] = set()
    best: Laid | None = None
    history: list[Laid] = []
    while run.renders < MAX_RENDERS:
        laid = run.render(run.arrangement(plan, at))
        best = laid if best is None or best.worse_than(laid) or not laid.worse_than(best) else best
        history.append(laid)
        tried.add((plan, tuple(sorted(at.items()))))
        better = _replan(run, plan, laid)
        if better is not None and (better, tuple(sorted(at.items()))) not in tried:
            plan = better
            continue
        if not laid.overflows or fit != "shrink" or not _step_down(laid.overflows, run.member, at, run.steps, laid):
            break
    assert best is not None
    if best.overflows:  # report from a rendering that splits no section: it names what made the text too long
        whole = [h for h in history if h.levels == best.levels
                 and not any(p.continued for pieces in h.arrangement.pieces for p in pieces)]
        best = min(whole, key=lambda h: sum(min(o.excess, 10**4) for o in h.overflows), default=best)
    plan = _plan_of(run, best)
    if fit == "shrink" and not best.overflows:
        best = _largest(run, best, plan, at)
    if not best.overflows and not any(at.values()):
        best = _grow(run, best)
    return _spread(run, best, plan)


def _band(run: _Run, laid: Laid) -> float:
    """The narrowest empty band between a flowing region's content and its foot, in points (0 with no flow)."""
    regions, m = {r.spec.id: r for r in run.layout.regions(run.spec.paper)}, laid.measurements
    bands = []
    for rid in dict.fromkeys(slot.region for slot in run.slots):
        body = box_on(m, f"body-{rid}", regions[rid].page)
        bands.append(regions[rid].safe.bottom - body.y1 if body else 0.0)
    return min(bands, default=0.0)


def _grow(run: _Run, laid: Laid) -> Laid:
    """Set the flowing text larger, in steps up to the manifest's largest_pt, while a wide empty band is left
    below it and it still fits: a page uses its room rather than leaving it blank."""
    body, largest = run.layout.manifest.body_pt, run.layout.manifest.largest_pt or run.layout.manifest.body_pt
    size = body
    while size + STEP_PT <= largest + 1e-6 and _band(run, laid) > GROW_BAND_PT:
        size = round(size + STEP_PT, 2)
        levels = {rid: Level(size) if group == FLOW_GROUP else laid.levels[rid] for rid, group in run.member.items()}
        attempt = run.render(Arrangement(laid.arrangement.pieces, levels))
        if attempt.overflows and (better := _replan(run, _plan_of(run, attempt), attempt)) is not None:
            attempt = run.render(Arrangement(flow.pieces(run.units, better), levels))  # the sections shared anew
        if attempt.overflows:
            break
        laid = attempt
    return laid


def _plan_of(run: _Run, laid: Laid) -> flow.Plan:
    """The plan an arrangement's pieces came from."""
    bounds, at = [], 0
    for pieces in laid.arrangement.pieces:
        size = sum(p.last - p.first for p in pieces)
        bounds.append((at, at + size))
        at += size
    return tuple(bounds)


def _largest(run: _Run, laid: Laid, plan: flow.Plan, at: dict[str, int]) -> Laid:
    """After shrinking, try each shrunk group one step larger again and keep it when it still fits."""
    for group in sorted(g for g, i in at.items() if i > 0):
        at[group] -= 1
        attempt = run.render(run.arrangement(plan, at))
        if attempt.overflows:
            at[group] += 1
        else:
            laid = attempt
    return laid


def _spread(run: _Run, laid: Laid, plan: flow.Plan) -> Laid:
    """Even out a page's columns (and close a wide empty band above what follows them) with a little more space
    between bullets and sections in the shorter ones; keep the result only when it still fits."""
    if laid.overflows:
        return laid
    spreads = column_spreads(run.layout, run.spec, run.slots, laid)
    if not spreads:
        return laid
    attempt = run.render(Arrangement(laid.arrangement.pieces, laid.levels, spreads))
    return laid if attempt.overflows else attempt


def column_spreads(layout: Layout, spec: PaperSpec, slots: list[flow.Slot], laid: Laid) -> dict[int, float]:
    """Points to add per gap in each column slot so the columns end level, then lower together toward what
    follows them (leaving FILL_KEEP_PT), never more than MAX_SPREAD_PT per gap."""
    m, regions, found = laid.measurements, {r.spec.id: r for r in layout.regions(spec.paper)}, {}
    for rid in dict.fromkeys(s.region for s in slots if s.column is not None):
        region = regions[rid]
        mine = [s for s in slots if s.region == rid and s.column is not None]
        cols = [box_on(m, f"col-{rid}-{s.column}", region.page) for s in mine]
        body = box_on(m, f"body-{rid}", region.page)
        if any(c is None for c in cols) or body is None:
            continue
        gaps = [max(_gaps(laid, s), 1) for s in mine]
        level = max(c.y1 for c in cols)  # type: ignore[union-attr]
        even = [min((level - c.y1) / g, MAX_SPREAD_PT) for c, g in zip(cols, gaps)]  # type: ignore[union-attr]
        spare = max(0.0, region.safe.bottom - body.y1 - FILL_KEEP_PT)
        lower = min([spare] + [(MAX_SPREAD_PT - e) * g for e, g in zip(even, gaps)])
        for slot, e, g in zip(mine, even, gaps):
            extra = e + max(0.0, lower) / g
            if extra * g > 2.0:
                found[slot.index] = extra
    return found


def _gaps(laid: Laid, slot: flow.Slot) -> int:
    """How many places in a slot take extra space: each bullet and each section."""
    pieces = laid.arrangement.pieces[slot.index]
    return sum(p.last - p.first for p in pieces) + len(pieces)


def _step_down(found: list[Overflow], member: dict[str, str], at: dict[str, int], steps: list[Level],
               laid: Laid) -> bool:
    """Move each overflowing group down the ladder by about what it lacks; False when none can go lower."""
    moved = False
    for group in {member[o.region.spec.id] for o in found}:
        lowest = _lowest_readable(group, member, at, steps, laid)
        if at[group] >= lowest:
            continue
        overflow = max((o for o in found if member[o.region.spec.id] == group), key=lambda o: o.excess)
        height = overflow.region.safe.h
        short = 1.0 if overflow.excess == math.inf else overflow.excess / max(height, 1.0)
        jump = 1 if at[group] == 0 else max(1, round(short * 2 * laid.levels[overflow.region.spec.id].size / STEP_PT))
        at[group] = min(lowest, at[group] + jump)
        moved = True
    return moved


def _lowest_readable(group: str, member: dict[str, str], at: dict[str, int], steps: list[Level], laid: Laid) -> int:
    """The lowest step of the ladder at which the group's smallest text stays at 9 pt or more."""
    from othandout.pipeline.check import MIN_TEXT_PT

    regions = [rid for rid, g in member.items() if g == group]
    sizes = [run.size for run in laid.measurements.texts if run.region in regions]
    if not sizes:
        return len(steps) - 1
    now = steps[at[group]].size
    return max([at[group], *(i for i in range(at[group], len(steps))
                            if min(sizes) * steps[i].size / now >= MIN_TEXT_PT - 0.05)])


def _replan(run: _Run, plan: flow.Plan, laid: Laid) -> flow.Plan | None:
    """A better plan from this rendering's measurements (a tall render when text fell off the page), or None."""
    if len(run.slots) < 2 or not run.units:
        return None
    m = laid.measurements
    if any(o.excess == math.inf for o in laid.overflows):
        m = run.render(laid.arrangement, tall=True).measurements
    measure = measure_flow(run.layout, run.spec, run.units, run.slots, plan, m)
    if measure is None:
        return None
    better = flow.optimize(run.units, measure)
    return better if better != plan else None


def measure_flow(layout: Layout, spec: PaperSpec, units: list[flow.Unit], slots: list[flow.Slot], plan: flow.Plan,
                 m: Measurements) -> flow.Measure | None:
    """Bullet, heading and slot heights from a rendering, for planning (None when something was not laid out).

    A bullet's height includes the gap to the next; a section's `head` is what its piece adds beyond its bullets
    (heading, intro, spacing after); a slot's `room` is what its flow may use before its region overflows."""
    from othandout.pipeline.blocks import item_anchor

    regions = {r.spec.id: r for r in layout.regions(spec.paper)}
    where = [_slot_of(slots, plan, i) for i in range(len(units))]
    rects = [box_on(m, item_anchor(u.section, u.item), regions[where[i].region].page) for i, u in enumerate(units)]
    if any(r is None for r in rects):
        return None
    gaps = sorted(rects[i + 1].y0 - rects[i].y1 for i in range(len(units) - 1)  # type: ignore[union-attr]
                  if units[i + 1].section == units[i].section and where[i] == where[i + 1])
    gap = gaps[len(gaps) // 2] if gaps else 0.0
    unit = [r.y1 - r.y0 + gap for r in rects]  # type: ignore[union-attr]
    lead = {u.section: i for i, u in reversed(list(enumerate(units)))}
    head = [0.0] * len(units)
    room, group, fixed, numbers = [], [], [], {}
    for slot, (start, end) in zip(slots, plan):
        region = regions[slot.region]
        box, body = box_on(m, f"slot-{slot.index}", region.page), box_on(m, f"body-{slot.region}", region.page)
        run = flow.pieces(units, ((start, end),))[0]
        shapes = [(p, box_on(m, p.anchor, region.page)) for p in run]
        if box is None or body is None or any(r is None for _, r in shapes):
            return None
        spacing = ((box.y1 - box.y0) - sum(r.y1 - r.y0 for _, r in shapes)) / max(len(run), 1)  # type: ignore[union-attr]
        for piece, rect in shapes:
            first = start + sum(p.last - p.first for p in run[:run.index(piece)])
            extra = rect.y1 - rect.y0 - sum(unit[first:first + piece.last - piece.first]) + spacing  # type: ignore[union-attr]
            head[lead[piece.section]] = max(head[lead[piece.section]], extra)
        if slot.column is None:  # a panel: what the flow cannot use is taken by the panel's other blocks
            room.append(region.safe.bottom - box.y0 - (body.y1 - box.y1))
            fixed.append(region.safe.h - room[-1])
            group.append(numbers.setdefault((slot.region, slot.index), len(numbers)))
            continue
        col, cols = box_on(m, f"col-{slot.region}-{slot.column}", region.page), box_on(m, f"cols-{slot.region}", region.page)
        if col is None or cols is None:
            return None
        other = (col.y1 - col.y0) - (box.y1 - box.y0)
        room.append(region.safe.bottom - col.y0 - (body.y1 - cols.y1) - other)
        fixed.append(other)
        group.append(numbers.setdefault((slot.region, None), len(numbers)))
    return flow.Measure(unit, head, room, group, fixed)


def _slot_of(slots: list[flow.Slot], plan: flow.Plan, unit: int) -> flow.Slot:
    """The slot a unit sits in under a plan."""
    return next(slot for slot, (s, e) in zip(slots, plan) if s <= unit < e)


def sized(laid: Laid, content: Content) -> list[Overflow]:
    """The leftover overflows with their word estimates."""
    return [with_words(o, content, laid.measurements, laid.source) for o in laid.overflows]


def tall_overflows(content: Content, layout: Layout, spec: PaperSpec, laid: Laid, engine: Engine) -> list[Overflow]:
    """Overflows sized on a ten-times-taller page, for text that ran off the real one."""
    tall = source(content, layout, spec, laid.assets, laid.arrangement, tall=True)
    rendering = engine.render(tall, layout.name, shared=2)
    found = overflows(layout, spec, tall, rendering.measurements)
    return [with_words(o, content, rendering.measurements, tall) for o in found]
