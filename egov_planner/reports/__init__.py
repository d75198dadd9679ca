"""Report packs (reportlab; no Qt here, so the desktop app can call it from a worker thread)."""

from egov_planner.reports.pack import REPORT_KINDS, ReportError, ReportResult, build_report

__all__ = ["REPORT_KINDS", "ReportError", "ReportResult", "build_report"]
