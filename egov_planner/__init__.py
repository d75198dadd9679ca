"""egov-planner: a council improvement-plan office's planner (Best Value, BVPI 157)."""

__version__ = "0.3.0"
APP_NAME = "egov-planner"
