"""The report as one accessible HTML page (WCAG 2.1 AA), drawn from the content model (reports/content.py).

One self-contained file: no script, no external file, styles inline in <style>. lang en-GB, headings in
order, a skip link, every table with a caption and header cells with scope, the RAG as words on a light
tint (text contrast well over 4.5:1), the BVPI chart as inline SVG with a title and a description and its
figures as a table, a print stylesheet (appendices on landscape pages), and narrow screens (320 px) read
each table row as a stack of labelled cells instead of scrolling sideways.
"""

from __future__ import annotations

from html import escape

from egov_planner.model.rules import Rag
from egov_planner.reports.content import Block, Break, Cell, Figure, Heading, Para, Report, Table, TimelineFigure
from egov_planner.reports.figures import drawing_svg
from egov_planner.reports.timeline_svg import legend_html, timeline_svg

# A light tint of each RAG colour, with a bar of the colour itself: ink on the tint is over 12:1.
RAG_TINT = {
    Rag.RED: ("#F9D9D5", "#C0392B"),
    Rag.AMBER: ("#FCE6CF", "#E67E22"),
    Rag.GREEN: ("#D5EDDF", "#2E8B57"),
    Rag.BLUE: ("#D7E5F5", "#2E6DB4"),
    Rag.GREY: ("#E8E8E8", "#8C8C8C"),
}

STYLE = """
:root { --ink: #1A1A1A; --muted: #4F5661; --accent: #1F3A5F; --rule: #C5CCD6; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 1rem/1.5 "DejaVu Sans", Verdana, Arial, sans-serif;
  overflow-wrap: anywhere; }
.page { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
a { color: var(--accent); }
a:focus, a:hover { outline: 3px solid #FFBF47; outline-offset: 1px; }
.skip { position: absolute; left: 0.5rem; top: -10rem; background: #fff; padding: 0.5rem 0.75rem;
  border: 2px solid var(--accent); z-index: 10; }
.skip:focus { top: 0.5rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.75rem 0; }
h2 { font-size: 1.3rem; color: var(--accent); margin: 2rem 0 0.75rem; border-bottom: 2px solid var(--rule);
  padding-bottom: 0.25rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 0.4rem; }
p { margin: 0 0 0.75rem; max-width: 48rem; }
.authority { font-size: 1.4rem; font-weight: bold; color: var(--accent); margin-bottom: 0.25rem; }
.front { font-weight: normal; }
.front strong { color: var(--accent); }
.banner { font-weight: bold; border: 3px solid #8B0000; color: #8B0000; padding: 0.5rem 0.75rem; }
.numbered { display: flex; gap: 0.75rem; }
.num { flex: 0 0 3.5rem; font-weight: bold; }
.note { color: var(--muted); }
ul.bullets { margin: 0 0 0.75rem 4.25rem; padding-left: 1.1rem; max-width: 46rem; }
ul.bullets li { margin-bottom: 0.35rem; }
nav.contents ul { list-style: none; padding-left: 0; }
.table { margin: 0.5rem 0 1.5rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.fixed { table-layout: fixed; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--rule); }
thead th { background: #EEF1F5; color: var(--accent); border-top: 2px solid #44546A;
  border-bottom: 2px solid #44546A; }
tbody th { font-weight: bold; }
.fig { text-align: right; font-variant-numeric: tabular-nums; }
.cellnote { display: block; color: var(--muted); font-size: 0.85rem; margin-top: 0.2rem; }
.rag { font-weight: bold; border-left: 0.45rem solid transparent; }
.rag .cellnote { color: var(--ink); font-weight: normal; }
tr.has-details > * { border-bottom: 0; }
tr.details td { padding-top: 0; color: var(--muted); font-size: 0.85rem; }
tr.details strong { color: var(--ink); }
figure { margin: 1rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-weight: bold; margin-top: 0.5rem; }
/* The timeline keeps a readable size and scrolls sideways in its own labelled region, never the page. */
.chart-scroll { overflow-x: auto; border: 1px solid var(--rule); }
.chart-scroll:focus { outline: 3px solid #FFBF47; }
figure svg.timeline { min-width: 56rem; }
@media (max-width: 40em) {
  .page { padding: 0.75rem; }
  .numbered { display: block; }
  .num { display: inline; margin-right: 0.4rem; }
  ul.bullets { margin-left: 0.5rem; }
  /* Each row a card of labelled cells: a phone reads down, never sideways. */
  table, tbody, tr, td, tbody th, caption { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border-top: 2px solid #44546A; padding: 0.25rem 0; }
  td, tbody th { border: 0; padding: 0.2rem 0.25rem; }
  td[data-label]::before, tbody th[data-label]::before { content: attr(data-label) ": "; font-weight: bold;
    color: var(--accent); }
  .fig { text-align: left; }
  figure svg.timeline { min-width: 40rem; }
}
@media print {
  @page { size: A4 portrait; margin: 16mm 14mm; }
  @page wide { size: A4 landscape; margin: 14mm; }
  .skip, nav.contents { display: none; }
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .landscape { page: wide; break-before: page; }
  thead { display: table-header-group; }
  tr, figure, .numbered { break-inside: avoid; }
  tr.details { break-inside: auto; }  /* a long description may run on: a tall row never leaves a page blank */
  h2, h3, h4, caption { break-after: avoid; }
  .rag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .chart-scroll { overflow: visible; border: 0; }  /* on paper the chart is scaled to the page, never cut */
  figure svg.timeline { min-width: 0; }
}
"""


def _text(value: str) -> str:
    """User text escaped for HTML (quotes too), line breaks kept."""
    return escape(value, quote=True).replace("\n", "<br>")


def _cell(cell: Cell, tag: str, label: str, numeric: bool, row_header: bool) -> str:
    classes = []
    style = ""
    if numeric:
        classes.append("fig")
    if cell.rag is not None:
        tint, bar = RAG_TINT[cell.rag]
        classes.append("rag")
        style = f' style="background:{tint};border-left-color:{bar}"'
    body = _text(cell.text)
    if cell.strong and tag == "td":
        body = f"<strong>{body}</strong>"
    if cell.note:
        body += f'<span class="cellnote">{_text(cell.note)}</span>'
    scope = ' scope="row" role="rowheader"' if row_header else ' role="cell"'
    klass = f' class="{" ".join(classes)}"' if classes else ""
    return f'<{tag}{scope}{klass}{style} data-label="{escape(label, quote=True)}" dir="auto">{body}</{tag}>'


def _table(table: Table) -> str:
    header = "".join(f'<th scope="col" role="columnheader">{_text(h)}</th>' for h in table.header)
    rows = []
    for row_index, row in enumerate(table.rows):
        cells = []
        for index, cell in enumerate(row):
            heads = table.row_header and index == 0
            label = table.header[index] if index < len(table.header) else ""
            cells.append(_cell(cell, "th" if heads else "td", label, index in table.numeric, heads))
        details = table.details.get(row_index)
        if details:
            rows.append(f'<tr role="row" class="has-details">{"".join(cells)}</tr>')
            text = "<br>".join(f"<strong>{_text(label)}:</strong> {_text(value)}" for label, value in details)
            rows.append(
                f'<tr class="details" role="row"><td role="cell" colspan="{len(table.header)}" '
                f'data-label="Details" dir="auto">{text}</td></tr>'
            )
        else:
            rows.append(f'<tr role="row">{"".join(cells)}</tr>')
    # The PDF's column widths, fixed: a long unbroken word then wraps in its column instead of squeezing the rest.
    columns = ""
    if len(table.widths) == len(table.header):
        total = sum(table.widths)
        columns = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in table.widths)
        columns += "</colgroup>"
    fixed = ' class="fixed"' if columns else ""
    return (
        f'<div class="table"><table role="table"{fixed}>'
        f"<caption>{_text(table.caption)}</caption>{columns}"
        f'<thead role="rowgroup"><tr role="row">{header}</tr></thead>'
        f'<tbody role="rowgroup">{"".join(rows)}</tbody></table></div>'
    )


def _para(para: Para) -> str:
    if para.style == "banner":
        return f'<p class="banner">{_text(para.text)}</p>'
    if para.style == "front":
        if para.strong and para.strong == para.text:
            return f'<p class="authority" dir="auto">{_text(para.text)}</p>'
        if para.strong:
            return f'<p class="front"><strong dir="auto">{_text(para.text)}</strong></p>'
        return f'<p class="front" dir="auto">{_text(para.text)}</p>'
    lead = f"<strong>{_text(para.strong)}</strong> " if para.strong else ""
    if para.number:
        return (
            f'<p class="numbered"><span class="num">{_text(para.number)}</span>'
            f'<span dir="auto">{lead}{_text(para.text)}</span></p>'
        )
    klass = ' class="note"' if para.style == "note" else ""
    return f'<p{klass} dir="auto">{lead}{_text(para.text)}</p>'


def _figure(figure: Figure, index: int) -> str:
    svg = drawing_svg(figure.drawing, figure.title, figure.description, key=f"chart-{index}")
    return (
        f"<figure>{svg}<figcaption>{_text(figure.title)}</figcaption></figure>"
        f'<p class="note">{_text(figure.description)}</p>{_table(figure.figures)}'
    )


def _timeline(figure: TimelineFigure, index: int) -> str:
    svg = timeline_svg(figure.timeline, figure.objective_rags, figure.title, figure.description, f"timeline-{index}")
    return (
        f'<figure><div class="chart-scroll" role="region" tabindex="0" aria-label="{escape(figure.title, quote=True)} '
        f'(scrolls sideways)">{svg}</div><figcaption>{_text(figure.title)}</figcaption></figure>'
        f'<p class="note">{_text(legend_html(figure.timeline.status_date))} '
        f"The table “{_text(figure.table_caption)}” gives the same facts.</p>"
    )


def _contents(report: Report) -> str:
    entries = [h for h in report.headings() if h.level == 2 and h.anchor]
    if not entries:
        return ""
    items = "".join(f'<li><a href="#{h.anchor}">{_text(h.text)}</a></li>' for h in entries)
    return (
        '<nav class="contents" aria-labelledby="contents-title"><h2 id="contents-title">Contents</h2>'
        f"<ul>{items}</ul></nav>"
    )


def render_html(report: Report) -> str:
    """The whole page as one string."""
    blocks: list[Block] = report.blocks
    first_section = next((i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 2), len(blocks))
    front = [_block(b, i) for i, b in enumerate(blocks[:first_section])]
    body: list[str] = []
    bullets: list[str] = []
    open_part = False
    for index, block in enumerate(blocks[first_section:], start=first_section):
        if isinstance(block, Para) and block.style == "bullet":
            lead = f"<strong>{_text(block.strong)}</strong> " if block.strong else ""
            bullets.append(f'<li dir="auto">{lead}{_text(block.text)}</li>')
            continue
        if bullets:
            body.append(f'<ul class="bullets">{"".join(bullets)}</ul>')
            bullets = []
        if isinstance(block, Break):
            if open_part:
                body.append("</div>")
            body.append('<div class="landscape">' if block.landscape else "<div>")
            open_part = True
            continue
        body.append(_block(block, index))
    if bullets:
        body.append(f'<ul class="bullets">{"".join(bullets)}</ul>')
    if open_part:
        body.append("</div>")
    front_bullets = "".join(front)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(report.title)}</title>\n"
        f'<meta name="author" content="{escape(report.author, quote=True)}">\n'
        f'<meta name="description" content="{escape(report.subject, quote=True)}">\n'
        '<meta name="generator" content="egov-planner">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the report</a>\n'
        f'<div class="page">\n<header>{front_bullets}</header>\n{_contents(report)}\n'
        f'<main id="main" tabindex="-1">\n{"".join(body)}\n</main>\n</div>\n</body>\n</html>\n'
    )


def _block(block: Block, index: int) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{block.anchor}"' if block.anchor else ""
        return f'<h{block.level}{anchor} dir="auto">{_text(block.text)}</h{block.level}>'
    if isinstance(block, Para):
        if block.style == "bullet":
            lead = f"<strong>{_text(block.strong)}</strong> " if block.strong else ""
            return f'<ul class="bullets"><li dir="auto">{lead}{_text(block.text)}</li></ul>'
        return _para(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block, index)
    if isinstance(block, TimelineFigure):
        return _timeline(block, index)
    return ""
