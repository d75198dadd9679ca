"""User text on its way into the PDF: the one escaping helper, and the plan-text convention.

reportlab's Paragraph reads its text as markup (`<b>`, `<img src=…>`, `&amp;`),
so an officer's text must never reach it raw: `esc()` is the only way user
text becomes markup, and everything that draws user text straight on the
canvas (running header, bookmarks, PDF metadata) uses `plain()`, which `esc()`
is built on. Characters the embedded fonts cannot draw are spelt out as
[U+XXXX] rather than printed as an empty box.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as _xml_escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from egov_planner.reports.fonts import register_fonts


class Markup(str):
    """Text that is already safe reportlab markup (built with esc()); never re-escaped."""

    __slots__ = ()


class _PrintableChars(dict[int, str | None]):
    """str.translate table filled on first sight of each code point (fast for long texts)."""

    def __init__(self, covered: frozenset[int]) -> None:
        super().__init__()
        self.covered = covered

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value: str | None
        if char in "\n":
            value = "\n"
        elif char in "\t\v\f":
            value = " "
        elif char in "\u2028\u2029\x85":
            value = "\n"  # Unicode line and paragraph separators read as line breaks
        elif 0xD800 <= code <= 0xDFFF:
            value = "\ufffd" if 0xFFFD in self.covered else "?"  # a lone surrogate from a bad paste
        elif unicodedata.category(char) == "Cc":
            value = None  # control characters are invisible as typed, and break PDF text
        elif code in self.covered:
            value = char
        elif unicodedata.category(char) in ("Cf", "Zl", "Zp"):
            value = None  # zero-width format marks the font lacks: nothing to see
        elif unicodedata.category(char) == "Zs":
            value = " "
        else:
            value = f"[U+{code:04X}]"  # say which character, never draw an empty box
        self[code] = value
        return value


_table: _PrintableChars | None = None


def plain(text: object) -> str:
    """User text as the fonts can print it: line breaks as \\n, control characters dropped."""
    global _table
    value = "" if text is None else str(text)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.isascii() and value.isprintable():
        return value  # the common case: nothing to map
    if _table is None:
        _table = _PrintableChars(register_fonts())
    return value.translate(_table)


def esc(text: object) -> Markup:
    """THE escaping helper: user text -> reportlab markup that prints exactly as typed.

    `<`, `>` and `&` become entities (so `<img src="x">` or `</para>` is just
    text), line breaks become <br/>, unprintable characters are handled by plain().
    """
    value = _xml_escape(plain(text))
    if "\n" in value:
        value = value.replace("\n", "<br/>")
    return Markup(value)


def fit_width(text: object, font: str, size: float, width: float) -> str:
    """plain(text) shortened with '…' to fit width points (for one-line canvas text)."""
    value = " ".join(plain(text).split())
    if stringWidth(value, font, size) <= width:
        return value
    low, high = 0, len(value)
    while low < high:  # longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(value[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return value[:low].rstrip() + "…"


# --- the plan-text convention --------------------------------------------------------------

_BLANK_LINE = BLANK_LINE = re.compile(r"\n[ \t]*\n")  # between paragraphs of plan text


@dataclass(slots=True)
class PlanItem:
    """One paragraph of plan text and the bullets that follow it (text '' when it starts with bullets)."""

    text: str = ""
    bullets: list[str] = field(default_factory=list)


def plan_items(text: str | None) -> list[PlanItem]:
    """Split plan text by its convention: a blank line between paragraphs, '- ' starts a bullet.

    A line after a bullet that is indented continues the bullet; one that is not
    starts a new paragraph.
    """
    value = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    items: list[PlanItem] = []
    for group in _BLANK_LINE.split(value):
        if not group.strip():
            continue
        current: PlanItem | None = None
        for line in group.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("- ") or stripped == "-":
                if current is None:
                    current = PlanItem()
                    items.append(current)
                current.bullets.append(stripped[2:].strip())
            elif current is not None and current.bullets and line[:1] in (" ", "\t"):
                current.bullets[-1] += "\n" + stripped
            elif current is None or current.bullets:
                current = PlanItem(stripped)
                items.append(current)
            else:
                current.text += "\n" + stripped
    return items
