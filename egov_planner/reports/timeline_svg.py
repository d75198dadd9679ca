"""The timeline as inline SVG for the HTML paper, drawn from the window's layout (model/timeline.py).

One drawing in a fixed coordinate space (viewBox) that the page scales: a label column (objective headings,
each action's ref and title), a two-tier scale (financial years over months or quarters), each action's bar in
its rating's colour with its letter and ref beside it (colour is never the only signal), the forecast beyond
the target as a lighter hatched extension, external dependencies as diamonds and the status date as a dashed
line. Arrows are left to the PDF pack: the table after the chart carries the facts.
"""

from __future__ import annotations

from datetime import date
from html import escape

from egov_planner.model.dates import british, shift
from egov_planner.model.rules import Rag
from egov_planner.model.timeline import RowKind, Scale, Timeline, ticks
from egov_planner.reports.story import RAG_KEY

LABEL = 300.0  # the label column
CHART = 900.0  # the time axis
TAIL = 70.0  # room after the last day for a bar's letter and ref
ROW = 22.0
TIER = 20.0
TOP = 2 * TIER
SIZE = 12.0  # text size in viewBox units: at 1150 px wide it reads at about 12 px
INK = "#1A1A1A"
MUTED = "#4F5661"
HEADER = "#EEF1F5"
RULE = "#C5CCD6"
STATUS = "#B03A2E"
SUMMARY = "#3A4350"
# A lighter tone of each rating's colour, under the hatching of a forecast beyond the target.
LIGHT = {Rag.RED: "#F3C4BE", Rag.AMBER: "#F8D5B0", Rag.GREEN: "#BFE0CC", Rag.BLUE: "#C2D6EE", Rag.GREY: "#DADADA"}


def _scale(days: int) -> Scale:
    """Months while a month is wide enough for its name, then quarters, then years."""
    per_day = CHART / max(days, 1)
    if per_day * 30 >= 28:
        return Scale.MONTHS
    return Scale.QUARTERS if per_day * 91 >= 40 else Scale.YEARS


def _fit(text: str, room: float, size: float = SIZE) -> str:
    """text cut with an ellipsis to about room units (DejaVu Sans averages 0.6 em a character)."""
    most = max(1, int(room / (size * 0.6)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def timeline_svg(
    timeline: Timeline, objective_rags: dict[int, Rag | None], title: str, description: str, key: str
) -> str:
    """The chart as one <svg role="img"> named by its <title> and described by its <desc>."""
    first = timeline.first.replace(day=1)
    end = shift(timeline.last, 1)
    days = max(1, (end - first).days)
    day = CHART / days
    rows = timeline.rows
    width = LABEL + CHART + TAIL
    # The ref column as wide as the longest ref needs (within reason), the title taking the rest.
    refs = [timeline.bars[r.ident].ref for r in rows if r.kind is RowKind.ACTION and r.ident in timeline.bars]
    ref_room = min(120.0, max((len(r) for r in refs), default=4) * SIZE * 0.6 + 4)
    height = TOP + len(rows) * ROW + 2

    def x(value: date) -> float:
        return LABEL + (value.toordinal() - first.toordinal()) * day

    def middle(index: int) -> float:
        return TOP + index * ROW + ROW / 2

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:g} {height:g}" '
        f'aria-labelledby="{key}-title {key}-desc" class="timeline" focusable="false" '
        f'font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="{SIZE:g}">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
        "<defs>",
        *(
            f'<pattern id="{key}-hatch-{rag.value}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{LIGHT[rag]}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{rag.hex_colour}" stroke-width="2"/></pattern>'
            for rag in Rag
        ),
        "</defs>",
        f'<rect x="0" y="0" width="{width:g}" height="{TOP:g}" fill="{HEADER}"/>',
        f'<text x="6" y="{TIER + TIER / 2 + 4:g}" font-weight="bold" fill="{INK}">Action</text>',
    ]
    # Header rows' backgrounds, then the scale's grid and labels over them.
    for row in rows:
        top = TOP + row.index * ROW
        if row.is_header:
            out.append(f'<rect x="0" y="{top:g}" width="{width:g}" height="{ROW:g}" fill="{HEADER}"/>')
        out.append(f'<line x1="0" y1="{top + ROW:g}" x2="{width:g}" y2="{top + ROW:g}" stroke="#EEF0F3"/>')
    marks = ticks(_scale(days), first, end)
    for major in (True, False):
        tier = [t for t in marks if t.major is major and t.at <= end]
        baseline = (TIER if major else TOP) - 6
        for number, tick in enumerate(tier):
            # A year begun before the chart is still named, at the chart's left edge.
            left = max(LABEL, x(tick.at))
            following = x(tier[number + 1].at) if number + 1 < len(tier) else LABEL + CHART + TAIL
            colour = RULE if major else "#E3E6EB"
            if tick.at >= first:
                out.append(f'<line x1="{left:.1f}" y1="{0 if major else TIER:g}" x2="{left:.1f}" y2="{height:g}" '
                           f'stroke="{colour}"/>')  # fmt: skip
            label = tick.label
            if len(label) * SIZE * 0.6 > following - left - 4:
                label = label.split(" ")[0]  # 'Q1 Apr–Jun' -> 'Q1'
            if len(label) * SIZE * 0.6 <= following - left - 4:
                weight = ' font-weight="bold"' if major else ""
                out.append(f'<text x="{left + 3:.1f}" y="{baseline:g}" fill="{INK if major else MUTED}"{weight}>'
                           f"{escape(label)}</text>")  # fmt: skip
    out.append(f'<line x1="0" y1="{TOP:g}" x2="{width:g}" y2="{TOP:g}" stroke="#44546A"/>')
    out.append(f'<line x1="{LABEL:g}" y1="{TIER:g}" x2="{width:g}" y2="{TIER:g}" stroke="{RULE}"/>')
    for row in rows:
        y = middle(row.index)
        if row.kind is RowKind.ACTION:
            bar = timeline.bars.get(row.ident)
            if bar is None:
                continue
            left, right = x(bar.start), x(shift(bar.target, 1))
            end_x = x(shift(bar.forecast, 1)) if bar.late else right
            colour = bar.rag.hex_colour
            parts = [f'<g class="bar" data-ref="{escape(bar.ref, quote=True)}" data-rag="{bar.letter}">']
            if bar.late:
                parts.append(f'<rect class="forecast" x="{right:.1f}" y="{y - 6:.1f}" width="{end_x - right:.1f}" '
                             f'height="12" fill="url(#{key}-hatch-{bar.letter})" stroke="{colour}"/>')  # fmt: skip
            parts.append(f'<rect x="{left:.1f}" y="{y - 7:.1f}" width="{max(2.0, right - left):.1f}" height="14" '
                         f'fill="{colour}" stroke="{SUMMARY}" stroke-width="0.5"/>')  # fmt: skip
            text = f"{bar.letter} {bar.ref}"
            after = max(right, end_x) + 4
            if after + len(text) * SIZE * 0.6 > width:
                parts.append(f'<text x="{left - 4:.1f}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
                             f"{escape(text)}</text>")  # fmt: skip
            else:
                parts.append(f'<text x="{after:.1f}" y="{y + 4:.1f}" fill="{INK}">{escape(text)}</text>')
            parts.append("</g>")
            out.append("".join(parts))
            ref, name = escape(_fit(bar.ref, ref_room)), escape(_fit(row.title, LABEL - 20 - ref_room))
            out.append(f'<text x="10" y="{y + 4:.1f}" fill="{INK}">{ref}</text>'
                       f'<text x="{16 + ref_room:.0f}" y="{y + 4:.1f}" fill="{INK}">{name}</text>')  # fmt: skip
        elif row.kind is RowKind.EXTERNAL:
            milestone = timeline.milestones.get(row.ident)
            if milestone is None:
                continue
            at = x(milestone.on)
            fill = SUMMARY if milestone.delivered else "#F5B041"
            state = "delivered" if milestone.delivered else "expected"
            out.append(
                f'<path d="M{at:.1f} {y - 7:.1f}l7 7l-7 7l-7 -7z" fill="{fill}" stroke="{SUMMARY}"/>'
                f'<text x="10" y="{y + 4:.1f}" fill="{INK}">'
                f"{escape(_fit(f'{row.title} ({state} {british(milestone.on)})', LABEL - 16))}</text>"
            )
        else:
            rag = objective_rags.get(row.ident) if row.kind is RowKind.OBJECTIVE else None
            heading = f"{row.ref}  {row.title}" if row.ref else row.title
            if rag is not None:
                heading = f"{heading} ({rag.value})"
            out.append(f'<text x="6" y="{y + 4:.1f}" font-weight="bold" fill="{INK}">'
                       f"{escape(_fit(heading, LABEL - 10))}</text>")  # fmt: skip
            if row.span is not None:
                left, right = x(row.span[0]), x(shift(row.span[1], 1))
                out.append(f'<rect x="{left:.1f}" y="{y - 2:.1f}" width="{max(2.0, right - left):.1f}" height="4" '
                           f'fill="{SUMMARY}"/>')  # fmt: skip
    status = x(timeline.status_date)
    out.append(
        f'<line x1="{status:.1f}" y1="{TIER:g}" x2="{status:.1f}" y2="{height:g}" stroke="{STATUS}" '
        'stroke-width="2" stroke-dasharray="5 3"/>'
    )
    out.append(f'<line x1="{LABEL:g}" y1="0" x2="{LABEL:g}" y2="{height:g}" stroke="#44546A"/>')
    out.append("</svg>")
    return "".join(out)


def legend_html(status_date: date) -> str:
    """The chart's key in words, under it (the letters and marks it uses)."""
    ratings = ", ".join(f"{rag.value} {words.lower()}" for rag, words in RAG_KEY)
    return (
        f"Key: each bar is in its rating's colour, its letter beside it ({ratings}); a lighter hatched "
        f"extension is a forecast finish after the target; the dashed red line is the status date, "
        f"{british(status_date)}; a diamond is an external dependency; a dark line under an objective spans "
        "its actions."
    )
