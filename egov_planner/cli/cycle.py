"""The committee cycle's commands: owners' returns, recorded reports, what changed since one, and the history."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from egov_planner.cli.common import (
    UsageError,
    _date_argument,
    _naming_plan,
    _Parser,
    _path_argument,
    _plan_argument,
    _reading,
    _status_date,
    _writing,
)
from egov_planner.model.dates import british


def add_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The cycle's commands on the command line's parser."""
    sub = commands.add_parser("returns", help="one workbook per owner of open actions, to fill in and send back")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("folder", type=_path_argument, metavar="FOLDER")
    sub.add_argument("--as-of", type=_date_argument, metavar="DATE", help="status date (default: the plan's)")

    sub = commands.add_parser("snapshot", help="record the plan as reported (a label not used before)")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--label", required=True, metavar="TEXT", help="e.g. 'Cabinet 2 February 2004'")
    sub.add_argument("--as-of", type=_date_argument, metavar="DATE", help="status date (default: the plan's)")

    sub = commands.add_parser("snapshots", help="the recorded reports")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--format", choices=("text", "json"), default="text")

    sub = commands.add_parser("changes", help="what changed since a recorded report")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--since", required=True, metavar="LABEL", help="the recorded report to compare with")
    sub.add_argument("--as-of", type=_date_argument, metavar="DATE", help="status date now (default: the plan's)")
    sub.add_argument("--format", choices=("text", "json"), default="text")

    sub = commands.add_parser("history", help="every recorded change, oldest first (of one action or objective: REF)")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("ref", nargs="?", metavar="REF", help="an action's or objective's ref (A1.2), or a row's name")
    sub.add_argument("--format", choices=("text", "json"), default="text")


def cmd_returns(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.interchange.returns import describe_written, save_returns

    with _reading(args.plan) as service:
        plan_id = service.store.meta("plan_id")
        snapshot = service.snapshot()
    if plan_id is None:  # an older plan gets its identity with one empty write
        with _writing(args.plan) as service:
            plan_id = service.plan_id()
    when = _status_date(args.as_of, snapshot.details.status_date)
    result = save_returns(snapshot, plan_id, args.folder, when)
    print(describe_written(result, args.folder, when), file=out)
    return 0


def cmd_snapshot(args: argparse.Namespace, out: TextIO) -> int:
    with _writing(args.plan) as service, _naming_plan(args.plan):
        header = service.record_report(args.label, args.as_of)
    print(
        f"Recorded '{header.label}' in {args.plan.name}: the plan as reported, position as at "
        f"{british(header.as_of)}, {header.actions} action{'' if header.actions == 1 else 's'}",
        file=out,
    )
    return 0


def cmd_snapshots(args: argparse.Namespace, out: TextIO) -> int:
    with _reading(args.plan) as service:
        headers = service.recorded_reports()
    if args.format == "json":
        json.dump([h.as_json() for h in headers], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    if not headers:
        print(f"{args.plan.name}: no reports recorded yet (record one with 'snapshot' or 'report --record')", file=out)
        return 0
    print(f"{args.plan.name}: {len(headers)} recorded report{'' if len(headers) == 1 else 's'}", file=out)
    print(f"{'As at':<10}  {'Actions':>7}  {'Recorded':<16}  {'By':<12}  {'How':<8}  Label", file=out)
    for h in headers:
        how = "pack" if h.with_pack else "snapshot"
        print(
            f"{british(h.as_of):<10}  {h.actions:>7}  {h.taken_at:%d/%m/%Y %H:%M}  {h.taken_by[:12]:<12}  "
            f"{how:<8}  {h.label}",
            file=out,
        )
    return 0


def cmd_changes(args: argparse.Namespace, out: TextIO) -> int:
    with _reading(args.plan) as service, _naming_plan(args.plan):
        changes = service.changes_since(args.since, args.as_of)
        report = service.recorded_report(changes.since.label)
        titles = {a.ref: a.title for a in report.actions} | {a.ref: a.title for a in service.actions()}
        latest = service.latest_revisions()
        authority = service.details().authority
    if args.format == "json":
        json.dump(changes.as_json(), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    from egov_planner.model.cycle_text import changes_text

    out.write(changes_text(changes, titles, latest, authority or args.plan.name))
    return 0


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model.errors import NotFound
    from egov_planner.model.service.history import as_shown, when_shown

    with _reading(args.plan) as service:
        try:
            entries = service.history(args.ref)
        except NotFound as error:
            raise UsageError(f"{args.plan}: {error}") from None
    if args.format == "json":
        json.dump([entry.as_json() for entry in entries], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    if not entries:
        print(f"No changes are recorded{f' under {args.ref}' if args.ref else ''} in {args.plan.name}.", file=out)
        return 0
    rows = [
        (
            when_shown(e.at),
            e.by,
            e.what,
            as_shown(e.ref, 30) or "(the plan)",
            e.field,
            f"{as_shown(e.from_value, 40, e.field)} → {as_shown(e.to_value, 40, e.field)}",
            as_shown(e.reason),
        )
        for e in entries
    ]
    header = ("When", "By", "What", "Ref", "Field", "From → to", "Reason")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, [*widths, 0], strict=True)).rstrip(), file=out)
    return 0
