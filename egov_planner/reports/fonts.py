"""The pack's fonts, registered with reportlab in this one place.

DejaVu Sans is embedded (never a base-14 font) so Welsh ŵ/ŷ, Polish Ł/ź, Greek
and Cyrillic print as themselves. The font files come from the installed
package `egov_planner.resources` (importlib.resources), never from a path
typed by a user.
"""

from __future__ import annotations

import io
import threading
from importlib.resources import files

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
FAMILY = REGULAR

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
_lock = threading.Lock()
_covered: frozenset[int] | None = None


def register_fonts() -> frozenset[int]:
    """Register the DejaVu family once (thread-safe); return the code points all three faces cover."""
    global _covered
    with _lock:
        if _covered is not None:
            return _covered
        folder = files("egov_planner.resources") / "fonts"
        coverage: frozenset[int] | None = None
        for name, filename in _FILES.items():
            font = TTFont(name, io.BytesIO((folder / filename).read_bytes()))
            pdfmetrics.registerFont(font)
            faces = frozenset(font.face.charToGlyph)
            coverage = faces if coverage is None else coverage & faces
        # There is no bold-oblique face: bold italic falls back to bold.
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD)
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
        _covered = coverage or frozenset()
        return _covered
