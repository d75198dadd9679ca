"""Reusable editors and painted widgets."""
