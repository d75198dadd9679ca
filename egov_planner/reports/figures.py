"""The PDF's chart drawing (reportlab graphics) as inline SVG for the HTML paper and as a PNG for the Word paper.

chart.py draws with four shapes only -- Line, PolyLine, Circle, String -- so both are drawn here from the same
shapes: no second chart to keep in step, and no cairo (reportlab's renderPM needs rlPyCairo; Pillow, which
reportlab already requires, draws the PNG).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from html import escape
from importlib.resources import files

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib.colors import Color

from egov_planner.reports.fonts import BOLD

_FONT_FILES = {"bold": "DejaVuSans-Bold.ttf", "regular": "DejaVuSans.ttf"}


def _hex(colour: Color | None) -> str:
    if colour is None:
        return "none"
    return "#" + colour.hexval()[2:].rjust(6, "0")


def _shapes(drawing: Drawing) -> Iterator[object]:
    yield from drawing.contents


def drawing_svg(drawing: Drawing, title: str, description: str, key: str = "chart") -> str:
    """The drawing as an inline <svg> with a <title> and <desc> (role img, named by both); scales to its box."""
    width, height = float(drawing.width), float(drawing.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:g} {height:g}" '
        f'aria-labelledby="{key}-title {key}-desc" class="chart" focusable="false">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
    ]
    for shape in _shapes(drawing):
        if isinstance(shape, Line):
            parts.append(
                f'<line x1="{shape.x1:.1f}" y1="{height - shape.y1:.1f}" x2="{shape.x2:.1f}" '
                f'y2="{height - shape.y2:.1f}"{_stroke(shape)}/>'
            )
        elif isinstance(shape, PolyLine):
            points = " ".join(
                f"{x:.1f},{height - y:.1f}" for x, y in zip(shape.points[::2], shape.points[1::2], strict=True)
            )
            parts.append(f'<polyline points="{points}" fill="none" stroke-linejoin="round"{_stroke(shape)}/>')
        elif isinstance(shape, Circle):
            parts.append(
                f'<circle cx="{shape.cx:.1f}" cy="{height - shape.cy:.1f}" r="{shape.r:.1f}" '
                f'fill="{_hex(shape.fillColor)}"/>'
            )
        elif isinstance(shape, String):
            anchor = {"start": "start", "middle": "middle", "end": "end"}.get(shape.textAnchor, "start")
            weight = ' font-weight="bold"' if shape.fontName == BOLD else ""
            parts.append(
                f'<text x="{shape.x:.1f}" y="{height - shape.y:.1f}" font-size="{shape.fontSize:g}" '
                f'text-anchor="{anchor}" fill="{_hex(shape.fillColor)}"{weight}>{escape(shape.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _stroke(shape: Line | PolyLine) -> str:
    dash = shape.strokeDashArray
    dashes = f' stroke-dasharray="{",".join(f"{d:g}" for d in dash)}"' if dash else ""
    return f' stroke="{_hex(shape.strokeColor)}" stroke-width="{shape.strokeWidth:g}"{dashes}'


def _dashed(points: Sequence[tuple[float, float]], dash: Sequence[float] | None) -> list[list[tuple[float, float]]]:
    """The polyline cut into its drawn dashes (all of it when not dashed)."""
    if not dash:
        return [list(points)]
    pieces: list[list[tuple[float, float]]] = []
    pattern = list(dash)
    index, left, on = 0, pattern[0], True
    current: list[tuple[float, float]] = [points[0]]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        done = 0.0
        while length - done > left:
            done += left
            t = done / length
            point = (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)
            if on:
                current.append(point)
                pieces.append(current)
            current = [point]
            on = not on
            index = (index + 1) % len(pattern)
            left = pattern[index]
        left -= length - done
        current.append((x2, y2))
    if on and len(current) > 1:
        pieces.append(current)
    return pieces


def drawing_png(drawing: Drawing, scale: float = 3.0) -> bytes:
    """The drawing as a PNG at scale pixels a point (3: about 216 dots an inch), white background."""
    width, height = float(drawing.width), float(drawing.height)
    image = Image.new("RGB", (round(width * scale), round(height * scale)), "white")
    pen = ImageDraw.Draw(image)
    folder = files("egov_planner.resources") / "fonts"
    fonts: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}

    def font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
        key = ("bold" if bold else "regular", size)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(
                io.BytesIO((folder / _FONT_FILES[key[0]]).read_bytes()), round(size * scale)
            )
        return fonts[key]

    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale, (height - y) * scale

    for shape in _shapes(drawing):
        if isinstance(shape, Line | PolyLine):
            if isinstance(shape, Line):
                points = [(shape.x1, shape.y1), (shape.x2, shape.y2)]
            else:
                points = list(zip(shape.points[::2], shape.points[1::2], strict=True))
            colour = _hex(shape.strokeColor)
            line_width = max(1, round(shape.strokeWidth * scale))
            for piece in _dashed(points, shape.strokeDashArray):
                pen.line([at(x, y) for x, y in piece], fill=colour, width=line_width, joint="curve")
        elif isinstance(shape, Circle):
            cx, cy = at(shape.cx, shape.cy)
            r = shape.r * scale
            pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_hex(shape.fillColor))
        elif isinstance(shape, String):
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(shape.textAnchor, "ls")
            pen.text(
                at(shape.x, shape.y),
                shape.text,
                fill=_hex(shape.fillColor),
                font=font(shape.fontName == BOLD, shape.fontSize),
                anchor=anchor,
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
