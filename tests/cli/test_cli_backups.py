"""Backups belong to one plan file, keep its history through refused work, and stay where they belong.

Issue 9: plan.egov and plan.db shared "plan backups" and pruned each other;
refused imports rotated the pre-import copy away; `demo --force` replaced a plan
without a backup; `backup --to` invented folders; a stored backup_dir could send
copies anywhere; killed writes left hidden temporaries for good.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

from egov_planner.cli import capture
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.model.store.backups import backup_plan, list_backups
from tests.model.helpers.plans import contents, digest, make_plan, overwrite_middle, query, random_bytes, refs

STAMP = "%Y%m%d-%H%M%S-%f"


def one_line(stderr: str) -> str:
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr.rstrip("\n")


def change(plan: Path, ref: str) -> None:
    with open_plan(plan) as store:
        PlanService(store).add_objective(ref, f"Objective {ref}")


def backed_up_to(out: str, name: str) -> Path:
    return Path(out.removeprefix(f"Backed up {name} to ").strip())


def test_two_plans_with_the_same_stem_never_prune_or_restore_each_other(tmp_path: Path) -> None:
    egov = make_plan(tmp_path / "plan.egov", objectives=2, actions_each=3)
    other = make_plan(tmp_path / "plan.db", objectives=5, actions_each=8)
    code, out, _ = capture(["backup", str(egov)])
    assert code == 0
    egov_copy = backed_up_to(out, "plan.egov")
    assert egov_copy.parent == tmp_path / "plan.egov backups"
    other_copies = []
    for number in range(11):
        change(other, f"D{number}")
        code, out, _ = capture(["backup", str(other)])
        assert code == 0
        other_copies.append(backed_up_to(out, "plan.db"))
    assert {c.parent for c in other_copies} == {tmp_path / "plan.db backups"}
    assert egov_copy.exists(), "plan.db's backups pruned plan.egov's only copy"
    assert [b.path for b in list_backups(egov)] == [egov_copy]

    wanted = contents(egov)
    overwrite_middle(egov)
    code, out, err = capture(["check", str(egov)])
    assert (code, err) == (1, "")
    assert f"The newest good backup is {egov_copy} (taken " in out
    assert "plan.db" not in out
    # Restoring plan.db's copy into plan.egov is refused, naming both; nothing changes.
    damaged = egov.read_bytes()
    code, _, err = capture(["restore", str(egov), "--from", str(other_copies[-1])])
    assert code == 2
    assert one_line(err) == (
        f"egov-planner: {other_copies[-1].name} is a backup of {other.resolve()}, not of plan.egov; "
        "nothing was changed"
    )
    assert egov.read_bytes() == damaged
    suggested = out.splitlines()[-1].split(" run: ", 1)[1]
    assert capture(shlex.split(suggested)[1:])[0] == 0
    assert contents(egov) == wanted


def test_a_copy_of_a_same_named_plan_elsewhere_is_refused(tmp_path: Path) -> None:
    (tmp_path / "north").mkdir()
    (tmp_path / "south").mkdir()
    north = make_plan(tmp_path / "north" / "plan.egov")
    south = make_plan(tmp_path / "south" / "plan.egov", objectives=4)
    south_copy = backup_plan(south)
    before = digest(north)
    code, _, err = capture(["restore", str(north), "--from", str(south_copy)])
    assert code == 2
    assert f"is a backup of {south.resolve()}, not of plan.egov" in one_line(err)
    assert digest(north) == before


def test_copies_in_the_old_shared_folder_are_found_only_when_they_record_their_plan(tmp_path: Path) -> None:
    egov = make_plan(tmp_path / "plan.egov")
    other = make_plan(tmp_path / "plan.db", objectives=5)
    old_folder = tmp_path / "plan backups"
    old_folder.mkdir()
    recorded = backup_plan(egov, to=old_folder, now=datetime(2004, 1, 12, 9, 0))
    theirs = backup_plan(other, to=old_folder, now=datetime(2004, 1, 12, 10, 0))
    # A copy made by an earlier version: named for the stem, recording nothing.
    unrecorded = old_folder / f"plan-{datetime(2004, 1, 12, 11, 0).strftime(STAMP)}.egov"
    unrecorded.write_bytes(theirs.read_bytes())
    connection = sqlite3.connect(unrecorded)
    connection.execute("DELETE FROM meta WHERE key LIKE 'backup_of_%'")
    connection.commit()
    connection.close()
    assert [b.path for b in list_backups(egov)] == [recorded]
    assert [b.path for b in list_backups(other)] == [theirs]
    overwrite_middle(egov)
    _, out, _ = capture(["check", str(egov)])
    assert f"The newest good backup is {recorded} (taken 12/01/2004 09:00:00)" in out


def test_refused_imports_do_not_rotate_the_pre_import_copy_away(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=3, actions_each=10)
    before_import = contents(plan)
    rows = tmp_path / "more actions.csv"
    rows.write_text(
        "objective_ref,objective,action_ref,action,due\r\n"
        + "".join(f"O9,New work,A9.{n},Action {n},31/03/2005\r\n" for n in range(1, 40)),
        encoding="utf-8",
    )
    assert capture(["import", str(plan), str(rows)])[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "objective_ref,objective,action_ref,action,due\r\nO9,New work,A9.99,Broken,31/02/2005\r\n",
        encoding="utf-8",
    )
    after_import = contents(plan)
    for _ in range(10):
        code, _, _ = capture(["import", str(plan), str(bad)])
        assert code == 2
    kept = [contents(b.path) for b in list_backups(plan)]
    assert before_import in kept, "the plan as it was before the import is gone"
    assert after_import in kept
    assert len(kept) == 2  # one copy per state, not one per refused attempt


def test_opening_an_unchanged_plan_takes_no_new_copy(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    for _ in range(12):
        open_plan(plan, backup_on_open=True).close()
    (only,) = list_backups(plan)
    change(plan, "O9")
    open_plan(plan, backup_on_open=True).close()
    newest, oldest = list_backups(plan)
    assert oldest.path == only.path and "O9" in refs(newest.path)
    # An explicit backup of an unchanged plan says so and writes nothing.
    code, out, _ = capture(["backup", str(plan)])
    assert code == 0
    assert out == f"plan.egov has not changed since its backup {newest.path}; no new copy was needed\n"
    assert len(list_backups(plan)) == 2


def test_demo_force_backs_up_the_plan_it_replaces(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "Our plan.egov", objectives=2, actions_each=2)
    ours = contents(plan)
    code, out, _ = capture(["demo", str(plan), "--force"])
    assert code == 0
    saved = Path(out.splitlines()[1].removeprefix("The plan it replaced was backed up to "))
    assert saved.parent == tmp_path / "Our plan.egov backups"
    assert contents(saved) == ours
    (backup,) = list_backups(plan)
    assert backup.reason == "before replace"
    assert contents(plan) != ours


def test_demo_force_over_a_file_that_is_not_a_plan_sets_it_aside(tmp_path: Path) -> None:
    target = tmp_path / "notes.egov"
    random_bytes(target)
    original = target.read_bytes()
    code, out, _ = capture(["demo", str(target), "--force"])
    assert code == 0
    assert out.splitlines()[1] == (
        "The file it replaced is not a plan that can be backed up, so it was set aside (not changed) as "
        f"{tmp_path / 'notes.egov.replaced'}"
    )
    assert (tmp_path / "notes.egov.replaced").read_bytes() == original
    assert capture(["check", str(target)])[0] == 0


def test_backup_to_a_missing_folder_is_refused_like_export(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    missing = tmp_path / "memory stick" / "plans"
    code, out, err = capture(["backup", str(plan), "--to", str(missing)])
    assert (code, out) == (2, "")
    assert one_line(err) == f"egov-planner: {missing}: the folder does not exist; nothing was backed up"
    assert not (tmp_path / "memory stick").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.egov"]


def test_a_stored_backup_folder_outside_the_plans_folder_is_ignored_and_reported(tmp_path: Path) -> None:
    home = tmp_path / "plans"
    home.mkdir()
    for stored in ("../escaped", str(tmp_path / "anywhere"), "."):
        plan = make_plan(home / "plan.egov")
        with open_plan(plan) as store:
            PlanService(store).set_backup_folder(stored)
        code, out, _ = capture(["backup", str(plan)])
        assert code == 0
        assert backed_up_to(out, "plan.egov").parent == home / "plan.egov backups", stored
        assert sorted(p.name for p in tmp_path.iterdir()) == ["plans"]
        code, out, _ = capture(["check", str(plan)])
        assert code == 1
        assert out.splitlines()[1] == (
            f"  - backups: the plan names '{stored}' for its backups, which is not a folder below the "
            f"plan's own; backups go to {home / 'plan.egov backups'} instead"
        )
        plan.unlink()
    # A folder below the plan's own is honoured (and made when missing).
    plan = make_plan(home / "plan.egov")
    with open_plan(plan) as store:
        PlanService(store).set_backup_folder("copies/2004")
    code, out, _ = capture(["backup", str(plan)])
    assert backed_up_to(out, "plan.egov").parent == home / "copies" / "2004"
    assert capture(["check", str(plan)])[0] == 0


def test_hidden_temporaries_of_killed_writes_are_cleared_by_the_next_write(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    hour_ago = time.time() - 3700
    stale = [tmp_path / ".actions.csv.0a1b2c3d.part", tmp_path / ".plan.egov.1234abcd.restoring"]
    fresh = tmp_path / ".actions.csv.99999999.part"  # an export running right now
    not_ours = [tmp_path / ".actions.csv.part", tmp_path / ".bashrc", tmp_path / ".old.0a1b2c3d.bak"]
    for path in [*stale, fresh, *not_ours]:
        path.write_text("left over")
    for path in [*stale, *not_ours]:
        os.utime(path, (hour_ago, hour_ago))
    assert capture(["export", str(plan), str(tmp_path / "actions.csv")])[0] == 0
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and all(path.exists() for path in not_ours)


def test_restore_leaves_no_copy_record_in_the_plan(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    copy = backup_plan(plan)
    change(plan, "O9")
    assert capture(["restore", str(plan), "--from", str(copy)])[0] == 0
    assert query(plan, "SELECT key FROM meta WHERE key LIKE 'backup_%'") == []
    assert query(plan, "SELECT count(*) FROM meta WHERE key = 'plan_id'") == [(1,)]
    assert datetime.now() - list_backups(plan)[0].taken_at < timedelta(minutes=5)
