"""Reading an XML file another program wrote, safely (defusedxml) and with one clear line when it cannot be read."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from egov_planner.interchange.csv_common import MAX_FILE_BYTES
from egov_planner.model.errors import RowError


def read_xml(path: Path, what: str) -> Element:
    """The file's root element; RowError naming the file when it is too big, not XML, or unsafe XML."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise RowError(path.name, None, None, f"cannot be read ({error.strerror or error})") from None
    if size > MAX_FILE_BYTES:
        raise RowError(path.name, None, None, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not read")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RowError(path.name, None, None, f"cannot be read ({error.strerror or error})") from None
    try:
        root: Any = fromstring(data)
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        where = f" (line {line}, column {column})" if line is not None else ""
        raise RowError(path.name, None, None, f"is not {what}: it is not well-formed XML{where}") from None
    except DefusedXmlException:
        # Entity and DTD tricks can exhaust memory or read other files: never followed.
        raise RowError(
            path.name, None, None, f"declares XML entities or a DTD, which are refused for safety; not {what}"
        ) from None
    return root


def local(tag: object) -> str:
    """A tag's name without its namespace ('{http://...}Task' -> 'Task')."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def fields(element: Element) -> dict[str, str]:
    """The text of each direct child by local name (the first when a name repeats)."""
    values: dict[str, str] = {}
    for child in element:
        values.setdefault(local(child.tag), (child.text or "").strip())
    return values


def children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if local(child.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None
