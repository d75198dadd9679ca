"""Alembic migrations for the plan schema (run by egov_planner.model.store)."""
