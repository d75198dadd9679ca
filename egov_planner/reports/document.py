"""The page furniture every pack shares: running header, "Page X of Y" footer, bookmarks, contents.

One layout pass only (a 2,000-action pack must not be built twice): numbers
not known until the end -- the page total and the contents' page numbers --
are PDF form XObjects that each page refers to as it is drawn and that the
canvas defines just before it saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as xml_escape

from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from egov_planner.reports.fonts import BOLD, REGULAR, register_fonts
from egov_planner.reports.styles import (
    ACCENT,
    HEADER_GAP,
    INK,
    LANDSCAPE,
    LANDSCAPE_A3,
    LANDSCAPE_MARGINS,
    MUTED,
    PART2_RED,
    PORTRAIT,
    PORTRAIT_MARGINS,
    RULE,
)
from egov_planner.reports.text import fit_width, plain

TOTAL_FORM = "packTotalPages"
HEADER_SIZE = 8
Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class PageFurniture:
    """What every page carries, and what the end of the build fills in."""

    authority: str
    title: str
    footer_left: str  # "Position as at 12 January 2004"
    marking: str = ""  # "NOT FOR PUBLICATION" on a Part II pack
    anchor_pages: dict[str, int] = field(default_factory=dict)
    contents_keys: list[str] = field(default_factory=list)
    pages: int = 0


class PackCanvas(Canvas):
    """A canvas that defines the late page-number forms just before saving."""

    furniture: PageFurniture

    def save(self) -> None:
        furniture = self.furniture
        # The viewer's title bar shows the report's title, not the file name; XMP carries the same facts.
        self.setViewerPreference("DisplayDocTitle", "true")
        info = self._doc.info
        metadata = XMP(creator=lambda _doc: xmp_packet(info.title, info.author, info.subject).encode("utf-8"))
        metadata.filters = []  # plain XML, as PDF/UA and catalogue tools expect to read it
        self._doc.Catalog.Metadata = metadata
        self._number_form(TOTAL_FORM, str(furniture.pages), right_aligned=False, size=HEADER_SIZE)
        for key in furniture.contents_keys:
            page = furniture.anchor_pages.get(key)
            self._number_form(_contents_form(key), str(page) if page else "–", right_aligned=True, size=10)
        super().save()

    def _number_form(self, name: str, text: str, *, right_aligned: bool, size: float) -> None:
        self.beginForm(name, lowerx=-60, lowery=-10, upperx=60, uppery=20)
        self.setFont(REGULAR, size)
        self.setFillColor(INK if right_aligned else MUTED)
        if right_aligned:
            self.drawRightString(0, 0, text)
        else:
            self.drawString(0, 0, text)
        self.endForm()


def _xml(text: object) -> str:
    """Text safe inside the XMP packet: XML-escaped, control characters dropped."""
    return xml_escape("".join(ch for ch in plain(str(text or "")) if ch >= " " or ch in "\t"))


def xmp_packet(title: str, author: str, subject: str, language: str = "en-GB") -> str:
    """The XMP metadata: title, author, subject and language (Dublin Core), as PDF readers show them."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        "<dc:format>application/pdf</dc:format>\n"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f"<dc:creator><rdf:Seq><rdf:li>{_xml(author)}</rdf:li></rdf:Seq></dc:creator>\n"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml(subject)}</rdf:li></rdf:Alt></dc:description>\n'
        f"<dc:language><rdf:Bag><rdf:li>{_xml(language)}</rdf:li></rdf:Bag></dc:language>\n"
        "<pdf:Producer>egov-planner (reportlab)</pdf:Producer>\n"
        "<xmp:CreatorTool>egov-planner</xmp:CreatorTool>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def _contents_form(key: str) -> str:
    return f"packContents{key}"


class PackDocument(BaseDocTemplate):
    """A4 portrait report pages and landscape appendix pages (A4, or A3 for a timeline) with the shared furniture."""

    def __init__(
        self,
        filename: str,
        furniture: PageFurniture,
        *,
        title: str,
        author: str,
        subject: str,
        first_template: str = "portrait",
    ) -> None:
        register_fonts()
        self.furniture = furniture
        left, right, top, bottom = PORTRAIT_MARGINS
        super().__init__(
            filename,
            pagesize=PORTRAIT,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=plain(title),
            author=plain(author),
            subject=plain(subject),
            creator="egov-planner",
            producer="egov-planner (reportlab)",
            allowSplitting=1,
            lang="en-GB",
            # Start every page in the embedded font: reportlab's default would add an unembedded Helvetica.
            initialFontName=REGULAR,
            initialFontSize=10,
        )
        templates = [
            PageTemplate(
                "portrait", frames=[self._frame(PORTRAIT, PORTRAIT_MARGINS)], pagesize=PORTRAIT, onPage=self._decorate
            ),
            PageTemplate(
                "landscape",
                frames=[self._frame(LANDSCAPE, LANDSCAPE_MARGINS)],
                pagesize=LANDSCAPE,
                onPage=self._decorate,
            ),
            PageTemplate(
                "landscape-a3",
                frames=[self._frame(LANDSCAPE_A3, LANDSCAPE_MARGINS)],
                pagesize=LANDSCAPE_A3,
                onPage=self._decorate,
            ),
        ]
        # The first page's template goes first: reportlab starts on the first in the list.
        templates.sort(key=lambda template: template.id != first_template)
        self.addPageTemplates(templates)

    @staticmethod
    def _frame(pagesize: tuple[float, float], margins: tuple[float, float, float, float]) -> Frame:
        left, right, top, bottom = margins
        return Frame(
            left,
            bottom,
            pagesize[0] - left - right,
            pagesize[1] - top - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )

    def build_pack(self, story: list[Flowable]) -> int:
        """Lay the story out and save; return the number of pages."""
        furniture = self.furniture

        def make_canvas(*args: object, **kwargs: object) -> PackCanvas:
            canvas = PackCanvas(*args, **kwargs)
            canvas.furniture = furniture
            return canvas

        self.build(story, canvasmaker=make_canvas)
        return furniture.pages

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Running header and footer; "Page X of " here, the total from the late form."""
        furniture = self.furniture
        furniture.pages = max(furniture.pages, doc.page)
        width, height = canvas._pagesize
        margins = LANDSCAPE_MARGINS if width > height else PORTRAIT_MARGINS
        left, right = margins[0], width - margins[1]
        canvas.saveState()
        if doc.page == 1:
            canvas.showOutline()
        # Header: authority on the left, the report's title on the right, a hairline below.
        top = height - HEADER_GAP - HEADER_SIZE
        authority = fit_width(furniture.authority, BOLD, HEADER_SIZE, (right - left) * 0.35)
        canvas.setFont(BOLD, HEADER_SIZE)
        canvas.setFillColor(ACCENT)
        canvas.drawString(left, top, authority)
        # The whole width right of the authority: the marking has a line of its own, so it cuts no title.
        title_room = (right - left) - canvas.stringWidth(authority, BOLD, HEADER_SIZE) - 12
        canvas.setFont(REGULAR, HEADER_SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(right, top, fit_width(furniture.title, REGULAR, HEADER_SIZE, title_room))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - 4, right, top - 4)
        # Footer: position date on the left, the marking in the middle, page numbers on the right.
        base = HEADER_GAP
        canvas.line(left, base + HEADER_SIZE + 4, right, base + HEADER_SIZE + 4)
        canvas.setFont(REGULAR, HEADER_SIZE)
        canvas.drawString(left, base, furniture.footer_left)
        if furniture.marking:
            canvas.setFont(BOLD, HEADER_SIZE + 1)
            canvas.setFillColor(PART2_RED)
            canvas.drawCentredString((left + right) / 2, base, furniture.marking)
            canvas.drawCentredString((left + right) / 2, top - 4 - HEADER_SIZE - 4, furniture.marking)
            canvas.setFont(REGULAR, HEADER_SIZE)
            canvas.setFillColor(MUTED)
        # Room for a three-digit total after "of ".
        number_x = right - canvas.stringWidth("000", REGULAR, HEADER_SIZE)
        canvas.drawRightString(number_x, base, f"Page {doc.page} of ")
        canvas.translate(number_x, base)
        canvas.doForm(TOTAL_FORM)
        canvas.restoreState()


class Anchor(Flowable):
    """A zero-size mark where a section starts: bookmark, outline entry and contents page number."""

    def __init__(self, key: str, outline: str, level: int = 0, closed: bool = True) -> None:
        super().__init__()
        self.key = key
        self.outline = " ".join(plain(outline).split())[:120]
        self.level = level
        self.closed = closed
        self.keepWithNext = 1  # stays on the page of the heading that follows

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        _, top = canvas.absolutePosition(0, 0)
        canvas.bookmarkPage(self.key, fit="XYZ", left=0, top=top + 30)
        canvas.addOutlineEntry(self.outline, self.key, level=self.level, closed=self.closed)
        furniture: PageFurniture = canvas.furniture
        furniture.anchor_pages.setdefault(self.key, canvas.getPageNumber())


class Tick(Flowable):
    """A zero-size mark that reports progress when the layout reaches it."""

    def __init__(self, report: Callable[[str], None], message: str) -> None:
        super().__init__()
        self.report = report
        self.message = message

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.report(self.message)


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    key: str
    label: str
    level: int = 0


class ContentsList(Flowable):
    """The contents: each entry with a dotted leader and its page number (filled in at save)."""

    line_height = 17.0

    def __init__(self, entries: Sequence[ContentsEntry], furniture: PageFurniture) -> None:
        super().__init__()
        self.entries = list(entries)
        for entry in self.entries:
            furniture.contents_keys.append(entry.key)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.line_height * len(self.entries)

    def draw(self) -> None:
        canvas = self.canv
        y = self.line_height * (len(self.entries) - 1) + 4
        number_room = 28
        for entry in self.entries:
            font = BOLD if entry.level == 0 else REGULAR
            indent = 8 * entry.level * 1.0 + (0 if entry.level == 0 else 10)
            label = fit_width(entry.label, font, 10, self.width - number_room - indent - 20)
            canvas.setFont(font, 10)
            canvas.setFillColor(INK)
            canvas.drawString(indent, y, label)
            start = indent + canvas.stringWidth(label, font, 10) + 6
            end = self.width - number_room
            if end > start:
                canvas.setStrokeColor(RULE)
                canvas.setLineWidth(0.8)
                canvas.setDash(0.8, 2.6)
                canvas.line(start, y + 1, end, y + 1)
                canvas.setDash()
            canvas.saveState()
            canvas.translate(self.width, y)
            canvas.doForm(_contents_form(entry.key))
            canvas.restoreState()
            canvas.linkRect("", entry.key, (0, y - 3, self.width, y + 11), relative=1, thickness=0)
            y -= self.line_height
