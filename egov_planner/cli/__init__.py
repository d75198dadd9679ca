"""The command line of CONTRACTS.md: one small function per command over the model.

Exit 0 on success, 1 when `check` finds problems, 2 for bad input or usage:
one clear line on stderr, never a traceback. A refused command leaves the
plan as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from egov_planner import __version__
from egov_planner.cli.common import (
    UsageError,
    _date_argument,
    _file_of,
    _naming_plan,
    _non_negative,
    _Parser,
    _path_argument,
    _plan_argument,
    _reading,
    _reading_core,
    _status_date,
    _writing,
)
from egov_planner.cli.cycle import add_parsers, cmd_changes, cmd_history, cmd_returns, cmd_snapshot, cmd_snapshots
from egov_planner.model.dates import british, long_british
from egov_planner.model.errors import PlanError

if TYPE_CHECKING:
    from egov_planner.model.timeline import Scale

COMMANDS = (
    "init",
    "demo",
    "import",
    "export",
    "overdue",
    "report",
    "check",
    "backup",
    "restore",
    "bvpi",
    "snapshot",
    "snapshots",
    "changes",
    "returns",
    "history",
    "copy",
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="egov-planner",
        description="Keep a council's improvement plan; see what is overdue or at risk; "
        "track BVPI 157; print cabinet report packs. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"egov-planner {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub = commands.add_parser("init", help="create an empty plan: a file, or in an empty PostgreSQL database (URL)")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")

    sub = commands.add_parser("demo", help="write the demo plan (the seed's review)")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--force", action="store_true", help="replace an existing file")

    sub = commands.add_parser(
        "import",
        help="add or update rows from a file: .csv (actions or services), .xlsx (workbook or an owner's return),"
        " .xml (MS Project), .gan (GanttProject)",
    )
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("file", type=Path, metavar="FILE")

    sub = commands.add_parser(
        "export",
        help="write the plan to a file: .csv (actions or services), .xlsx (workbook), .xml (MS Project),"
        " .ics (calendar)",
    )
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("file", type=Path, metavar="FILE")
    sub.add_argument("--what", choices=("actions", "services"), default="actions")
    sub.add_argument("--owner", metavar="NAME", help="a calendar (.ics) of this owner's actions only")

    sub = commands.add_parser("overdue", help="what is overdue, at risk or due soon")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--as-of", type=_date_argument, metavar="DATE", help="status date (default: the plan's)")
    sub.add_argument("--soon-days", type=_non_negative, metavar="N", help="due-soon window in days")
    sub.add_argument("--format", choices=("text", "json", "csv"), default="text")

    sub = commands.add_parser("report", help="build the cabinet report pack (PDF, HTML or Word by extension)")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf|OUT.html|OUT.docx")
    sub.add_argument("--as-of", type=_date_argument, metavar="DATE")
    sub.add_argument("--kind", choices=("cabinet", "exceptions", "timeline"), default="cabinet")
    sub.add_argument(
        "--scale",
        type=str.lower,  # 'Weeks' as well as 'weeks'
        choices=("weeks", "months", "quarters", "years"),
        help="the printed timeline's scale, with --kind timeline or in the cabinet pack's Timeline appendix"
        " (default: the finest that fits the plan's span across a sheet)",
    )
    sub.add_argument(
        "--paper",
        type=str.lower,
        choices=("a4", "a3"),
        default="a4",
        help="the paper the timeline's landscape sheets are printed on (default a4); a3 holds more rows"
        " and more time a sheet at the same type size",
    )
    sub.add_argument("--part2", action="store_true", help="the exempt (Part II) pack alone")
    sub.add_argument("--record", metavar="LABEL", help="also record the plan as reported under LABEL (both or neither)")

    sub = commands.add_parser("check", help="integrity and rule check (exit 1 when problems are found)")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--as-of", type=_date_argument, metavar="DATE", help="status date completions are checked against")

    sub = commands.add_parser("backup", help="take a consistent copy, even while the plan is open")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--to", type=_path_argument, metavar="DIR", help="folder for the copy")

    sub = commands.add_parser("restore", help="bring a backup back (the current file is backed up first)")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--from", dest="source", type=Path, required=True, metavar="BACKUP")

    sub = commands.add_parser("bvpi", help="BVPI 157 position and forecast")
    sub.add_argument("plan", type=_plan_argument, metavar="PLAN")
    sub.add_argument("--as-of", type=_date_argument, metavar="DATE")
    sub.add_argument("--format", choices=("text", "json"), default="text")

    sub = commands.add_parser(
        "copy", help="copy a whole plan between a file and a PostgreSQL server (either way), checked before it says so"
    )
    sub.add_argument("source", type=_plan_argument, metavar="SOURCE")
    sub.add_argument("dest", type=_plan_argument, metavar="DEST")

    add_parsers(commands)
    return parser


# --- the commands ------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model.store import create_plan
    from egov_planner.model.store.server import ServerPlan, create_server_plan

    if isinstance(args.plan, ServerPlan):
        if create_server_plan(args.plan) == "upgraded":
            print(f"Upgraded the plan in {args.plan.name} to the current version: {args.plan}", file=out)
        else:
            print(f"Created an empty plan in {args.plan.name}: {args.plan}", file=out)
        return 0
    create_plan(args.plan)
    print(f"Created an empty plan: {args.plan}", file=out)
    return 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.interchange.demo import write_demo
    from egov_planner.model.store import PlanInUse, plan_in_use
    from egov_planner.model.store.files import refuse_read_only

    if _file_of(args.plan) is None:
        return _demo_on_server(args, out)
    holder = plan_in_use(args.plan) if args.plan.exists() else None
    if holder is not None:
        raise PlanInUse(args.plan, holder)
    if args.force:
        refuse_read_only(args.plan)  # before anything is backed up or set aside
    kept = _keep_what_demo_replaces(args.plan) if args.force and args.plan.exists() else None
    write_demo(args.plan, force=args.force)
    print(f"Wrote the demo plan (Leicester City Council, e-Government review) to {args.plan}", file=out)
    if kept is not None:
        print(kept, file=out)
    return 0


def _demo_on_server(args: argparse.Namespace, out: TextIO) -> int:
    """The demo plan into an empty database: written as a file first, then copied (and checked) onto the server."""
    import tempfile

    from egov_planner.interchange.demo import write_demo
    from egov_planner.model.store.copying import copy_plan

    if args.force:
        raise UsageError(f"{args.plan.name}: --force cannot replace a plan on a server; give an empty database")
    with tempfile.TemporaryDirectory(prefix="egov-demo-") as folder:
        built = Path(folder) / "demo.egov"
        write_demo(built)
        copy_plan(built, args.plan)
    print(f"Wrote the demo plan (Leicester City Council, e-Government review) to {args.plan}", file=out)
    return 0


def cmd_copy(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model.store.copying import copy_plan

    if not isinstance(args.source, Path) or args.source.exists():
        result = copy_plan(args.source, args.dest)
    else:
        raise UsageError(f"{args.source}: no such plan file")
    print(
        f"Copied {args.source} to {args.dest}: {result.rows} rows in {result.tables} tables, "
        "checked row for row against the source",
        file=out,
    )
    return 0


def _keep_what_demo_replaces(plan: Path) -> str:
    """demo --force never loses a file: a plan is backed up, anything else is set aside (renamed)."""
    from egov_planner.model.store import DamagedPlan, NewerSchema, NotAPlan, PlanFileError, inspect_plan_file
    from egov_planner.model.store.backups import set_aside_damaged, take_backup

    if plan.is_dir():
        raise PlanFileError(f"{plan} is a folder")
    try:
        inspect_plan_file(plan)
    except (NotAPlan, DamagedPlan, NewerSchema):
        aside = set_aside_damaged(plan, label="replaced")
        return f"The file it replaced is not a plan that can be backed up, so it was set aside (not changed) as {aside}"
    taken = take_backup(plan, reason="before replace")
    return f"The plan it replaced was backed up to {taken.path}"


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.interchange import import_file

    if not args.file.exists():
        raise UsageError(f"{args.file}: no such file")
    with _writing(args.plan) as service:
        result = import_file(service, args.file)
    print(f"Imported {args.file.name} into {args.plan.name} ({result.kind}): {result.describe()}", file=out)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.interchange import export_file
    from egov_planner.model import queries

    with _reading_core(args.plan) as connection:
        snapshot = queries.load_snapshot(connection)
        plan_id = queries.plan_id(connection)
    count = export_file(
        snapshot, args.file, args.what, plan_path=_file_of(args.plan), plan_id=plan_id, owner=args.owner
    )
    what = "events" if args.file.suffix.lower() == ".ics" else args.what
    print(f"Wrote {count} {what} to {args.file}", file=out)
    return 0


def cmd_overdue(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model import queries
    from egov_planner.model.positions import flagged_actions
    from egov_planner.model.rules import Flag, assess_plan

    with _reading_core(args.plan) as connection:
        details = queries.plan_details(connection)
        facts = queries.load_facts(connection)
        labels = queries.load_action_labels(connection)
    when = _status_date(args.as_of, details.status_date)
    window = args.soon_days if args.soon_days is not None else details.due_soon_days
    assessment = assess_plan(facts, when, window)
    items = flagged_actions(facts, assessment, labels)
    if args.format == "json":
        # One item per line: readable, and json's fast C encoder (indent= falls back to Python).
        lines = ",\n  ".join(json.dumps(item.as_json(), ensure_ascii=False) for item in items)
        out.write(
            f'{{"status_date": "{when.isoformat()}",\n "items": [\n  {lines}\n ]}}\n'
            if items
            else f'{{"status_date": "{when.isoformat()}", "items": []}}\n'
        )
        return 0
    if args.format == "csv":
        from egov_planner.interchange.csv_common import make_cell_safe

        fields = ("ref", "title", "objective", "owner", "due", "flag", "days_overdue", "forecast", "reason")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        for item in items:
            row = item.as_json()
            writer.writerow(make_cell_safe("" if row[f] is None else str(row[f])) for f in fields)
        return 0
    counts = {flag: sum(1 for i in items if i.flag is flag) for flag in Flag}
    print(
        f"{details.authority or args.plan.name} — position as at {long_british(when)}: "
        f"{counts[Flag.OVERDUE]} overdue, {counts[Flag.AT_RISK]} at risk, "
        f"{counts[Flag.DUE_SOON]} due soon (of {len(facts.actions)} actions; due soon = within {window} days)",
        file=out,
    )
    if not items:
        print("Nothing is overdue, at risk or due soon.", file=out)
        return 0
    print(file=out)
    print(f"{'Flag':<9} {'Ref':<8} {'Due':<10} {'Days':>4}  {'Forecast':<10}  {'Owner':<24} Action", file=out)
    for item in items:
        days = "" if item.days_overdue is None else str(item.days_overdue)
        owner = item.owner if len(item.owner) <= 24 else item.owner[:23] + "…"
        print(
            f"{item.flag.label:<9} {item.ref:<8} {british(item.due):<10} {days:>4}  "
            f"{british(item.forecast):<10}  {owner:<24} {item.title}",
            file=out,
        )
        print(f"{'':<9} {'':<8} {'':<10} {'':>4}  {'':<10}  {'':<24} ↳ {item.reason}", file=out)
    return 0


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.reports import build_report

    if args.record is not None:
        return _report_and_record(args, out)
    with _reading(args.plan) as service:
        snapshot, plan_file = service.snapshot(), service.store.path
    # The plan is closed before the (long) layout: the pack is drawn from the snapshot alone.
    result = build_report(
        snapshot, args.output, protect=plan_file, kind=args.kind, as_of=args.as_of, part2=args.part2,
        scale=_timeline_scale(args), paper=args.paper,
    )  # fmt: skip
    print(f"Wrote {_written(result.pages)} to {args.output}", file=out)
    for warning in result.warnings:  # the pack is made; these say what to check before it is issued
        print(f"warning: {warning}", file=getattr(args, "err", None) or sys.stderr)
    return 0


def _written(pages: int) -> str:
    """'12 pages' for a PDF; 'the report' for HTML and Word, which have no pages of their own."""
    return f"{pages} page{'' if pages == 1 else 's'}" if pages else "the report"


def _timeline_scale(args: argparse.Namespace) -> Scale | None:
    from egov_planner.reports.timeline import SCALE_CHOICES

    return SCALE_CHOICES[args.scale] if getattr(args, "scale", None) else None


def _report_and_record(args: argparse.Namespace, out: TextIO) -> int:
    """report --record: the pack and the recorded report, together or not at all.

    The plan stays locked throughout, so the record is of the plan the pack shows. The label is
    checked before the (long) layout; the pack is built beside OUT and moved into place inside the
    recording transaction, so a failed pack records nothing and a failed record leaves no pack.
    """
    import secrets

    from egov_planner.reports import build_report
    from egov_planner.reports.pack import _check_output

    with _writing(args.plan) as service:
        with _naming_plan(args.plan):
            label = service.check_new_label(args.record)
        _check_output(args.output, service.store.path)  # the real name, before the temporary one is used
        snapshot = service.snapshot()
        # The same extension as OUT: it chooses the format.
        temp = args.output.with_name(f".{args.output.name}.{secrets.token_hex(4)}{args.output.suffix.lower()}")
        placed = False

        def put_in_place() -> None:
            nonlocal placed
            os.replace(temp, args.output)
            placed = True

        try:
            result = build_report(
                snapshot, temp, protect=service.store.path, kind=args.kind, as_of=args.as_of, part2=args.part2,
                scale=_timeline_scale(args), paper=args.paper,
            )  # fmt: skip
            header = service.record_report(label, args.as_of, with_pack=True, before_commit=put_in_place)
        except BaseException:
            if placed:  # the record failed as it was committed: no pack without its record
                with contextlib.suppress(OSError):
                    args.output.unlink()
            raise
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()
    pages = _written(result.pages)
    print(
        f"Wrote {pages} to {args.output} and recorded it as reported: '{header.label}', "
        f"position as at {british(header.as_of)}, {header.actions} actions",
        file=out,
    )
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model.store import DamagedPlan
    from egov_planner.model.store.backups import backup_dir_problem

    try:
        with _reading(args.plan) as service:
            damage = service.store.integrity_problems()
            problems = damage + [str(p) for p in service.check(args.as_of)]
    except DamagedPlan as error:
        # Damage is what check looks for: a finding (exit 1), said the same way as damage found inside.
        damage = [f"integrity: {_one_line(error.detail)}"]
        problems = list(damage)
    folder_problem = backup_dir_problem(args.plan) if _file_of(args.plan) else None  # a server's are IT's
    if folder_problem is not None:
        problems.append(f"backups: {folder_problem}")
    if not problems:
        print(f"{args.plan.name}: no problems found", file=out)
        return 0
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    print(f"{args.plan.name}: {count} found", file=out)
    for problem in problems:
        print(f"  - {problem}", file=out)
    if any(line.startswith("integrity:") for line in damage) and _file_of(args.plan):
        # The file itself is damaged, not just its content: say where a good copy is.
        print(f"{args.plan.name} is damaged. {_recovery_line(args.plan)}", file=out)
    return 1


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model.store import inspect_plan_file, refuse_plan_target
    from egov_planner.model.store.backups import take_backup

    if _file_of(args.plan) is None:
        return _backup_server_plan(args, out)
    inspect_plan_file(args.plan)
    if args.to is not None and args.to.exists() and not args.to.is_dir():
        refuse_plan_target(args.to, args.plan, "backups")  # the plan (or its lock) given as the folder
        raise UsageError(f"{args.to} is a file, not a folder; give the folder to put the copy in")
    taken = take_backup(args.plan, to=args.to, reason="on request")
    if taken.new:
        print(f"Backed up {args.plan.name} to {taken.path}", file=out)
    else:
        print(f"{args.plan.name} has not changed since its backup {taken.path}; no new copy was needed", file=out)
    return 0


def _backup_server_plan(args: argparse.Namespace, out: TextIO) -> int:
    """A server plan's backup is a plan file: it opens anywhere, and `copy` puts it back on a server."""
    from egov_planner.model.store.copying import copy_plan, server_backup_path

    if args.to is not None and args.to.exists() and not args.to.is_dir():
        raise UsageError(f"{args.to} is a file, not a folder; give the folder to put the copy in")
    target = server_backup_path(args.plan, args.to)
    target.parent.mkdir(parents=True, exist_ok=True)
    result = copy_plan(args.plan, target)
    print(f"Backed up {args.plan.name} to {target} ({result.rows} rows, checked against the server)", file=out)
    return 0


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model.store.backups import restore_plan

    if _file_of(args.plan) is None:
        raise UsageError(
            f"{args.plan.name} is on a server: restore never overwrites a shared plan. Put the backup into an "
            f"empty database with: egov-planner copy BACKUP postgresql://.../NEW_DATABASE"
        )
    if not args.source.exists():
        raise UsageError(f"{args.source}: no such backup file")
    result = restore_plan(args.plan, args.source)
    print(f"Restored {args.plan.name} from {result.restored_from.name}", file=out)
    if result.previous_saved_as is not None:
        if result.previous_was_damaged:
            print(
                f"The file it replaced could not be opened, so it was set aside (not changed) "
                f"as {result.previous_saved_as}",
                file=out,
            )
        else:
            print(f"The file it replaced was backed up to {result.previous_saved_as}", file=out)
    return 0


def cmd_bvpi(args: argparse.Namespace, out: TextIO) -> int:
    from egov_planner.model import queries
    from egov_planner.model.bvpi import bvpi_position

    with _reading_core(args.plan) as connection:
        snapshot = queries.load_snapshot(connection)
    when = _status_date(args.as_of, snapshot.details.status_date)
    position = bvpi_position(snapshot, when)
    if args.format == "json":
        json.dump(position.as_json(), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(position.as_text())
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "import": cmd_import,
    "export": cmd_export,
    "overdue": cmd_overdue,
    "report": cmd_report,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "bvpi": cmd_bvpi,
    "returns": cmd_returns,
    "snapshot": cmd_snapshot,
    "snapshots": cmd_snapshots,
    "changes": cmd_changes,
    "history": cmd_history,
    "copy": cmd_copy,
}


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _recovery_line(plan: Path, problem: Exception | None = None) -> str:
    """For a plan that cannot be opened: the newest good backup and the command that restores it."""
    from egov_planner.model.store.opening import recovery_for

    return recovery_for(plan, problem).line_with_command


def _is_the_plan(error: Exception, args: argparse.Namespace | None) -> bool:
    """Is error about the PLAN argument of a command that opens it (not a backup or a CSV)?"""
    plan = getattr(args, "plan", None)
    path = getattr(error, "path", None)
    if plan is None or path is None or args is None or args.command in ("init", "demo", "restore"):
        return False
    if not isinstance(plan, Path):
        return False  # a plan on a server has no backups beside it to offer
    try:
        return Path(path).resolve() == Path(plan).resolve()
    except OSError:
        return False


def run(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; return its exit code. Errors are one line on err."""
    from egov_planner.model.store import DamagedPlan, NotAPlan, PlanFileError, PlanInUse

    out = out or _tolerant(sys.stdout)
    err = err or _tolerant(sys.stderr)
    parser = build_parser()
    args: argparse.Namespace | None = None
    try:
        with contextlib.redirect_stdout(out):  # --help and --version print to our out
            args = parser.parse_args(list(argv))
        if args.command is None:
            raise UsageError("no command given (see 'egov-planner --help')")
        args.err = err  # where a command that succeeds says what to check (`report`'s warnings)
        return HANDLERS[args.command](args, out)
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    except UsageError as error:
        print(f"egov-planner: {_one_line(str(error))}", file=err)
        return 2
    except PlanInUse as busy:
        print(f"egov-planner: {_one_line(str(busy))}; close it there first. Nothing was changed.", file=err)
        return 2
    except (DamagedPlan, NotAPlan) as error:
        message = _one_line(str(error))
        if _is_the_plan(error, args):
            assert args is not None
            hint = _recovery_line(Path(args.plan), error)
            if hint:
                message = f"{message.rstrip('.')}. {hint}"
        print(f"egov-planner: {message}", file=err)
        return 2
    except (PlanFileError, PlanError) as error:
        print(f"egov-planner: {_one_line(str(error))}", file=err)
        return 2
    except BrokenPipeError:
        # The reader stopped reading (`overdue | head`): it took what it wanted; nothing to say.
        if out is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except OSError as error:
        name = getattr(error, "filename", None)
        where = f"{name}: " if name else ""
        print(f"egov-planner: {where}{_one_line(error.strerror or str(error))}", file=err)
        return 2
    except KeyboardInterrupt:
        print("egov-planner: interrupted; nothing was changed", file=err)
        return 2
    except MemoryError:
        print(f"egov-planner: {_too_large(args)}", file=err)
        return 2
    except Exception as error:  # a bug: one line for the officer, the traceback to a log file
        from egov_planner.model.store import plan_file_error

        # SQLite refusing outside the plan's engine (a copy, a raw read): still one line naming the plan.
        plan = getattr(args, "plan", None)
        known = plan_file_error(plan, error) if isinstance(plan, Path) else None
        if known is not None:
            print(f"egov-planner: {_one_line(str(known))}", file=err)
            return 2
        log = _log_unexpected(error)
        print(
            f"egov-planner: something went wrong ({type(error).__name__}: {_one_line(str(error))[:200]}); "
            f"nothing was saved by the failed step. Details: {log}",
            file=err,
        )
        return 2


def _too_large(args: argparse.Namespace | None) -> str:
    """The line for running out of memory: which file was too big, and that nothing changed."""
    plan = getattr(args, "plan", None)
    source = getattr(args, "file", None) if getattr(args, "command", None) == "import" else None
    if source is not None and plan is not None:
        return (
            f"{source} is too large to import into {Path(plan).name} with this machine's memory "
            "(it ran out); nothing was changed"
        )
    if plan is not None:
        return f"{plan} is too large for this machine's memory (it ran out); nothing was changed"
    return "this machine ran out of memory; nothing was changed"


def _tolerant(stream: TextIO) -> TextIO:
    """stream, able to show a file name that is not valid text (b'plan\xff.egov') instead of failing on it."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
        # On UTF-8 the name's own bytes go out, as `ls` shows them; elsewhere an escape, never a failure.
        utf8 = (stream.encoding or "").lower().replace("-", "") == "utf8"
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")
    return stream


def _log_unexpected(error: BaseException) -> str:
    """Write the traceback where support can find it; return where (or why not)."""
    import traceback
    from datetime import datetime

    from egov_planner.paths import logs_dir

    try:
        folder = logs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"error-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
        return str(path)
    except OSError:
        return "no log could be written"


def capture(argv: Sequence[str]) -> tuple[int, str, str]:
    """Run a command and return (exit code, stdout, stderr): for tests and scripts."""
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()
