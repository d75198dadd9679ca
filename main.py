"""Start egov-planner from a source checkout: `python main.py [PLAN | COMMAND ...]`."""

from egov_planner.app import main

if __name__ == "__main__":
    raise SystemExit(main())
