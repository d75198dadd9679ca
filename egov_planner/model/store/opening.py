"""Opening a plan, and what to offer when it will not open: the decisions the window and the command line share.

Both faces ask here, so they cannot drift apart. The command line acts on the
answer at once and prints its wording; the window keeps its own dialogs but
puts the same wording in them and does what the officer chose through the
offer (`InUse.take_over`, `Recovery.restore`).

- Reading: read-only; an older schema is upgraded first (backed up, then
  migrated) only while nobody is editing the plan.
- Writing from the command line: a crashed program's lock is taken over, and a
  verified backup is taken on opening.
- In use: a live program's lock is never taken over (read-only is offered); a
  stale lock may be.
- Will not open (DamagedPlan, NotAPlan): the newest good backup of this plan
  (only its own copies), whether a restore is possible, and one line saying so.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, overload

from egov_planner.model.store import NeedsUpgrade, NotAPlan, PlanFileError, PlanStore, Store, open_plan, plan_in_use
from egov_planner.model.store.lock import LockInfo
from egov_planner.model.store.server import ServerPlan, looks_like_server_url, open_server_plan

if TYPE_CHECKING:  # backups are loaded only when a plan is backed up or will not open: reads stay lean
    from egov_planner.model.store.backups import Backup, RestoreResult


# --- where a plan is kept ----------------------------------------------------------------------------------------

# A plan is a file on this machine or a database on a PostgreSQL server; this is the one place that decides which.
PlanLocation = Path | ServerPlan


def plan_location(text: str) -> PlanLocation:
    """What the officer typed as PLAN: a server's URL (postgresql://...) or a file's path."""
    if looks_like_server_url(text):
        return ServerPlan.parse(text)
    if "://" in text:  # another kind of URL: said plainly, not taken for a folder called 'mysql:'
        scheme = text.split("://", 1)[0]
        raise PlanFileError(
            f"{scheme}:// is not a kind of plan egov-planner knows; give a plan file or a postgresql:// URL"
        )
    return Path(text)


def shown(where: PlanLocation) -> str:
    """Where the plan is, in full, as it may be shown (a server's URL without its password)."""
    return where.location if isinstance(where, ServerPlan) else str(where)


# --- opening --------------------------------------------------------------------------------------------------


@overload
def open_for_reading(path: Path) -> PlanStore: ...
@overload
def open_for_reading(path: PlanLocation) -> Store: ...
def open_for_reading(path: PlanLocation) -> Store:
    """The plan read-only. An older schema is upgraded first when nobody is editing it, else NeedsUpgrade."""
    if isinstance(path, ServerPlan):
        return open_server_plan(path, read_only=True)
    try:
        return open_plan(path, read_only=True)
    except NeedsUpgrade:
        if plan_in_use(path) is not None:
            raise  # the file is theirs while they edit it: never migrated under them
    # Upgrade now (backed up first; a crashed program's lock is no obstacle), then read like any other plan.
    open_plan(path, take_over_stale_lock=True).close()
    return open_plan(path, read_only=True)


@overload
def open_for_writing(path: Path) -> PlanStore: ...
@overload
def open_for_writing(path: PlanLocation) -> Store: ...
def open_for_writing(path: PlanLocation) -> Store:
    """The plan locked for editing without asking anyone: a crashed program's lock is taken over, and backed up.

    On a server: no lock (many officers at once; each write is checked by version) and no backup on opening
    (the server's backups are IT's; `backup URL` writes a plan file).
    """
    if isinstance(path, ServerPlan):
        return open_server_plan(path)
    return open_plan(path, take_over_stale_lock=True, backup_on_open=True)


def open_for_editing(path: Path) -> PlanStore:
    """The plan locked for editing; PlanInUse (see InUse) or a refusal naming the file otherwise."""
    return open_plan(path)


def back_up_on_open(store: PlanStore) -> Path:
    """The verified copy taken as a plan is opened for editing (the window takes it once the plan is on screen)."""
    from egov_planner.model.store.backups import backup_plan

    target = backup_plan(store.path, reason="on open")
    store.last_backup_at = datetime.now()
    return target


# --- a plan someone else is editing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InUse:
    """A plan held by another program, and what may be done about it."""

    path: Path  # as the user named it
    holder: LockInfo

    @property
    def may_take_over(self) -> bool:
        """Only a crashed program's lock (process gone, heartbeat stopped) is offered; a live one never is."""
        return self.holder.is_stale()

    @property
    def line(self) -> str:
        """Who has it, in one line."""
        if self.may_take_over:
            return (
                f"{self.path.name} was left open by {self.holder.describe()}, and that program seems to have "
                "stopped (it may have crashed)."
            )
        return f"{self.path.name} is in use by {self.holder.describe()}; it can be opened read-only."

    def take_over(self) -> PlanStore:
        """The plan locked for editing here; PlanInUse when the holder came back (or was never stale)."""
        return open_plan(self.path, take_over_stale_lock=True)

    def open_read_only(self) -> PlanStore:
        """The plan beside its holder: read-only, its edits refused naming who has it (locked if they left)."""
        return open_plan(self.path, allow_read_only_fallback=True)


# --- a plan that will not open --------------------------------------------------------------------------------


def _shell_word(path: Path) -> str:
    """path quoted for the user's shell, so the suggested command can be pasted."""
    if os.name == "nt":  # pragma: no cover - Windows
        return subprocess.list2cmdline([str(path)])
    return shlex.quote(str(path))


@dataclass(frozen=True)
class Recovery:
    """What to offer for a plan that failed to open: its newest good backup, or why there is none."""

    path: Path  # the plan, as the user named it
    backup: Backup | None  # the newest good copy of THIS plan (never another plan's of the same name)
    searched: Path  # the backup folder the plan names (or its default)
    unclaimed: tuple[Path, ...] = ()  # copies by an earlier version that do not say which plan they are of
    quiet_when_none: bool = False  # a file that is not a plan may just be the wrong file: no "no backup" line

    @property
    def can_restore(self) -> bool:
        return self.backup is not None

    @property
    def line(self) -> str:
        """The one line both faces give: the backup on offer, or why there is none ("" when nothing is worth saying)."""
        if self.backup is not None:
            return f"The newest good backup is {self.backup.path} (taken {self.backup.label})."
        if self.quiet_when_none:
            return ""
        text = f"No good backup of it was found in {self.searched}."
        if self.unclaimed:
            # Never recommended: they may be another plan's with the same stem (plan.egov, plan.db).
            count = len(self.unclaimed)
            text += (
                f" {count} cop{'y' if count == 1 else 'ies'} made by an earlier version in "
                f"{self.unclaimed[0].parent} do not record which plan they came from; check one before restoring it."
            )
        return text

    @property
    def restore_command(self) -> str | None:
        """The command that brings the backup back, ready to paste into the user's shell."""
        if self.backup is None:
            return None
        return f"egov-planner restore {_shell_word(self.path)} --from {_shell_word(self.backup.path)}"

    @property
    def line_with_command(self) -> str:
        """line, and how to restore from the command line (what `egov-planner` prints)."""
        if self.restore_command is None:
            return self.line
        return (
            f"{self.line.removesuffix('.')}; to bring it back (the damaged file is set aside, never deleted) "
            f"run: {self.restore_command}"
        )

    def restore(self) -> RestoreResult:
        """Bring the backup back (the damaged file is set aside, never deleted); the plan must be free."""
        from egov_planner.model.store.backups import restore_plan

        if self.backup is None:
            raise ValueError("there is no backup to restore")  # a caller's mistake: can_restore said so
        return restore_plan(self.path, self.backup.path)

    def restored(self, result: RestoreResult) -> str:
        """What was done, once restored."""
        assert self.backup is not None
        kept = f" The damaged file is kept as {result.previous_saved_as.name}." if result.previous_saved_as else ""
        return f"{self.path.name} was restored from the backup of {self.backup.label}.{kept}"


def recovery_for(path: Path, problem: BaseException | None = None) -> Recovery:
    """What to offer for a plan that failed to open with problem (None: damage found inside an open plan)."""
    from egov_planner.model.store.backups import configured_backup_dir, newest_good_backup, unclaimed_copies

    backup = newest_good_backup(path)
    if backup is not None:
        return Recovery(path, backup, configured_backup_dir(path))
    return Recovery(
        path,
        None,
        configured_backup_dir(path),
        tuple(unclaimed_copies(path)),
        quiet_when_none=isinstance(problem, NotAPlan),
    )
