"""egov-planner: a council improvement-plan office's planner (Best Value, BVPI 157)."""

__version__ = "0.2.0"
APP_NAME = "egov-planner"
