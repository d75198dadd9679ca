"""Qt item models over the document's snapshot (never one query per row)."""
