"""build_paper: the report as HTML (.html) or Word (.docx) from one snapshot, written atomically.

build_report (pack.py) hands these formats here after checking the output; the PDF stays its own.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from egov_planner.model.safe_files import atomic_path
from egov_planner.reports.data import PackData

PAPER_FORMATS = (".html", ".docx")


def write_paper(data: PackData, output: Path, kind: str, progress: Callable[[str], None] | None = None) -> None:
    """The report of data (a prepared pack) written to output in the format its extension names.

    Raises OSError as the file system does; pack.build_report words it for the user.
    """
    from egov_planner.reports.content_packs import build_content

    report = build_content(data, kind)
    if progress is not None:
        progress("wrote the report's text")
    suffix = output.suffix.lower()
    if suffix == ".html":
        from egov_planner.reports.html import render_html

        payload = render_html(report).encode("utf-8")
    else:
        from egov_planner.reports.docx import render_docx

        payload = render_docx(report)
    with atomic_path(output, suffix=".part") as temp:
        Path(temp).write_bytes(payload)


def disk_full(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
