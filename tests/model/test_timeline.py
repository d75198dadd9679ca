"""The timeline's layout (model/timeline.py): bars end at the right dates, arrows join the right bars."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from egov_planner.model.cycle import RecordedReport, ReportedAction, ReportHeader
from egov_planner.model.records import (
    ActionRecord,
    ExternalRecord,
    LinkRecord,
    ObjectiveRecord,
    PlanDetails,
    PlanSnapshot,
)
from egov_planner.model.rules import Rag, assess_plan
from egov_planner.model.timeline import (
    Axis,
    Part,
    RowKind,
    Scale,
    build_timeline,
    financial_year_label,
    hit_test,
    scale_for,
    ticks,
    zoomed,
)

STATUS = date(2004, 3, 1)


def objective(ident: int, ref: str) -> ObjectiveRecord:
    return ObjectiveRecord(ident, ref, f"Objective {ref}", "", None, "", ident, None, 1)


def action(ident: int, ref: str, objective_id: int, start: date | None, due: date, **extra: object) -> ActionRecord:
    values: dict[str, object] = dict(
        id=ident, ref=ref, objective_id=objective_id, objective_ref=f"O{objective_id}", title=f"Do {ref}",
        description="", owner_id=None, owner="", owner_role="", owner_left_on=None, department_id=None,
        department="", start=start, due=due, status="in_progress", completed_on=None, percent_complete=0,
        expected=None, success_measure="", resources="", notes="", exempt_paragraph=None, position=ident, version=1,
    )  # fmt: skip
    values.update(extra)
    return ActionRecord(**values)  # type: ignore[arg-type]


def link(ident: int, pred: ActionRecord, succ: ActionRecord, kind: str = "FS", lag: int = 0) -> LinkRecord:
    return LinkRecord(ident, pred.id, pred.ref, succ.id, succ.ref, kind, lag, 1)


def plan() -> PlanSnapshot:
    a11 = action(1, "A1.1", 1, date(2004, 1, 5), date(2004, 2, 27))  # overdue at 01/03/2004
    a12 = action(2, "A1.2", 1, date(2004, 3, 1), date(2004, 3, 31))  # FS after A1.1: pushed
    a21 = action(3, "A2.1", 2, date(2004, 2, 1), date(2004, 4, 30))
    a22 = action(4, "A2.2", 2, None, date(2004, 6, 30))
    a23 = action(5, "A2.3", 2, date(2003, 12, 1), date(2004, 1, 31), status="complete",
                 completed_on=date(2004, 1, 20), percent_complete=100)  # fmt: skip
    links = [link(1, a11, a12, "FS", 10), link(2, a21, a22, "SS", 5), link(3, a12, a21, "FF"), link(4, a23, a22, "SF")]
    national = ExternalRecord(7, "National gateway", "ODPM", date(2004, 5, 14), "medium", None, None, "", 1)
    return PlanSnapshot(
        details=PlanDetails(status_date=STATUS),
        objectives=[objective(1, "O1"), objective(2, "O2")],
        actions=[a11, a12, a21, a22, a23],
        links=links,
        externals=[national],
        waits_on=[(3, 7)],
    )


def layout(snapshot: PlanSnapshot, **options: object):  # type: ignore[no-untyped-def]
    return build_timeline(snapshot, assess_plan(snapshot.facts(), STATUS), **options)  # type: ignore[arg-type]


def test_rows_put_externals_first_then_each_objective_over_its_actions():
    timeline = layout(plan())
    assert [(r.kind, r.ref or r.title) for r in timeline.rows] == [
        (RowKind.EXTERNALS, "External dependencies"),
        (RowKind.EXTERNAL, "National gateway"),
        (RowKind.OBJECTIVE, "O1"),
        (RowKind.ACTION, "A1.1"),
        (RowKind.ACTION, "A1.2"),
        (RowKind.OBJECTIVE, "O2"),
        (RowKind.ACTION, "A2.1"),
        (RowKind.ACTION, "A2.2"),
        (RowKind.ACTION, "A2.3"),
    ]
    assert [r.index for r in timeline.rows] == list(range(9))
    assert timeline.rows[2].span == (date(2004, 1, 5), timeline.bars[2].finish)


def test_bar_ends_fall_on_the_start_and_the_day_after_the_target():
    timeline = layout(plan())
    axis = Axis(date(2004, 1, 1), 4.0)
    a11 = timeline.bars[1]
    assert (axis.x(a11.start), axis.end_x(a11.target)) == (4 * 4.0, (31 + 27) * 4.0)
    assert a11.rag is Rag.RED and a11.letter == "R"
    # A1.2 waits FS+10d on A1.1 (forecast 01/03/2004 at the status date): 30 days' work after 11/03/2004.
    a12 = timeline.bars[2]
    assert a12.late and a12.forecast == date(2004, 4, 10) and a12.rag is Rag.AMBER
    assert a12.finish == date(2004, 4, 10)
    # No start: one day on its target date.
    a22 = timeline.bars[4]
    assert a22.start == a22.target == date(2004, 6, 30)
    complete = timeline.bars[5]
    assert complete.complete and complete.rag is Rag.BLUE and not complete.late


def test_arrows_join_the_ends_each_link_kind_names():
    timeline = layout(plan())
    by_pair = {(a.predecessor_id, a.successor_id): a for a in timeline.arrows if a.predecessor_id}
    bars = timeline.bars
    fs = by_pair[(1, 2)]  # finish of A1.1 (its forecast end) -> start of A1.2
    assert (fs.from_row, fs.to_row) == (bars[1].row, bars[2].row) == (3, 4)
    assert fs.from_at == date(2004, 3, 2) and fs.to_at == date(2004, 3, 1) and fs.label == "FS+10d"
    ss = by_pair[(3, 4)]  # start -> start
    assert (ss.from_at, ss.to_at, ss.label) == (date(2004, 2, 1), date(2004, 6, 30), "SS+5d")
    ff = by_pair[(2, 3)]  # finish -> finish (A2.1 waits on the gateway, 14/05/2004, for 89 days' work)
    assert bars[3].finish == date(2004, 8, 11)
    assert (ff.from_at, ff.to_at, ff.label) == (date(2004, 4, 11), date(2004, 8, 12), "FF")
    sf = by_pair[(5, 4)]  # start of A2.3 -> finish of A2.2
    assert (sf.from_row, sf.to_row, sf.from_at, sf.to_at) == (8, 7, date(2003, 12, 1), date(2004, 7, 1))
    external = next(a for a in timeline.arrows if a.external_id == 7)
    assert (external.from_row, external.from_at, external.to_row, external.to_at) == (
        1,
        date(2004, 5, 14),
        6,
        date(2004, 2, 1),
    )
    assert timeline.milestones[7].on == date(2004, 5, 14) and timeline.milestones[7].row == 1


def test_filter_and_folding_drop_rows_and_the_arrows_to_them():
    snapshot = plan()
    shown = layout(snapshot, shown={1, 2})
    assert [r.ref for r in shown.rows] == ["O1", "A1.1", "A1.2"]  # no external: nothing shown waits on it
    assert [(a.predecessor_id, a.successor_id) for a in shown.arrows] == [(1, 2)]
    folded = layout(snapshot, collapsed={2})
    o2 = next(r for r in folded.rows if r.ref == "O2")
    assert o2.collapsed and o2.count == 3 and o2.rag is Rag.AMBER
    assert [r.ref for r in folded.rows if r.kind is RowKind.ACTION] == ["A1.1", "A1.2"]
    assert [(a.predecessor_id, a.successor_id) for a in folded.arrows] == [(1, 2)]  # the rest reach into O2
    assert [r.kind for r in layout(snapshot, externals_collapsed=True).rows[:2]] == [
        RowKind.EXTERNALS,
        RowKind.OBJECTIVE,
    ]


def test_arrows_between_finds_only_arrows_crossing_the_rows_on_screen():
    timeline = layout(plan())
    found = {(a.predecessor_id, a.successor_id) for a in timeline.arrows_between(3, 4)}
    assert found == {(1, 2), (2, 3), (None, 3)}  # the external's arrow runs from row 1 down to row 6
    assert {(a.predecessor_id, a.successor_id) for a in timeline.arrows_between(7, 8)} == {(3, 4), (5, 4)}
    assert timeline.arrows_between(0, 0) == []
    assert timeline.arrows_between(20, 30) == []


def test_reported_target_is_the_last_report_date_once_recorded():
    snapshot = plan()
    assert all(bar.reported is None for bar in layout(snapshot).bars.values())
    header = ReportHeader(1, "Cabinet", date(2004, 1, 12), datetime(2004, 1, 12, 9), "me", 1)
    snapshot.last_report = RecordedReport(
        header,
        actions=(
            ReportedAction(
                "A1.2", "Do A1.2", "O1", "in_progress", date(2004, 3, 15), date(2004, 3, 15), None, "G", 0, action_id=2
            ),
        ),  # fmt: skip
    )
    bars = layout(snapshot).bars
    assert bars[2].reported == date(2004, 3, 15) and bars[1].reported is None


def test_hit_test_finds_the_end_the_body_and_the_diamond():
    timeline = layout(plan())
    axis = Axis(date(2004, 1, 1), 4.0)
    right = axis.end_x(date(2004, 2, 27))
    assert hit_test(timeline, axis, 3, right - 1).part is Part.END  # type: ignore[union-attr]
    assert hit_test(timeline, axis, 3, axis.x(date(2004, 2, 1))).part is Part.BODY  # type: ignore[union-attr]
    assert hit_test(timeline, axis, 3, right + 40) is None
    assert hit_test(timeline, axis, 2, 10) is None  # the objective's header
    diamond = hit_test(timeline, axis, 1, axis.x(date(2004, 5, 14)) + 2)
    assert diamond is not None and diamond.part is Part.MILESTONE and diamond.ident == 7


def test_axis_round_trips_dates_and_snaps_edges_to_days():
    axis = Axis(date(2004, 4, 1), 16.0)
    assert axis.date_at(axis.x(date(2004, 5, 31)) + 15.9) == date(2004, 5, 31)
    assert axis.boundary_at(axis.x(date(2004, 5, 31)) + 7) == date(2004, 5, 31)
    assert axis.boundary_at(axis.x(date(2004, 5, 31)) + 9) == date(2004, 6, 1)


def test_scales_and_zoom():
    assert [scale_for(s.day_width) for s in Scale] == list(Scale)
    assert scale_for(zoomed(Scale.MONTHS.day_width, 1)) is Scale.MONTHS
    assert scale_for(zoomed(Scale.MONTHS.day_width, 5)) is Scale.WEEKS
    assert zoomed(1.0, 100) == 64.0 and zoomed(1.0, -100) == 0.1


def test_ticks_for_each_scale_follow_the_financial_year():
    weeks = ticks(Scale.WEEKS, date(2004, 3, 24), date(2004, 4, 10))
    assert [(t.at, t.label) for t in weeks if t.major] == [
        (date(2004, 3, 1), "March 2004"),
        (date(2004, 4, 1), "April 2004"),
    ]
    assert [t.at for t in weeks if not t.major] == [date(2004, 3, 22), date(2004, 3, 29), date(2004, 4, 5)]
    months = ticks(Scale.MONTHS, date(2004, 2, 10), date(2004, 5, 1))
    assert [(t.at, t.label) for t in months if t.major] == [
        (date(2003, 4, 1), "2003/04"),
        (date(2004, 4, 1), "2004/05"),
    ]
    assert [t.label for t in months if not t.major] == ["Feb", "Mar", "Apr", "May"]
    quarters = ticks(Scale.QUARTERS, date(2004, 2, 10), date(2004, 12, 1))
    assert [t.label for t in quarters if not t.major] == ["Q4 Jan–Mar", "Q1 Apr–Jun", "Q2 Jul–Sep", "Q3 Oct–Dec"]
    years = ticks(Scale.YEARS, date(2004, 2, 10), date(2005, 6, 1))
    assert [t.label for t in years if t.major] == ["2003/04", "2004/05", "2005/06"]
    assert [t.label for t in years if not t.major] == ["Q4", "Q1", "Q2", "Q3", "Q4", "Q1"]
    assert financial_year_label(date(2005, 3, 31)) == "2004/05" and financial_year_label(date(1999, 4, 1)) == "1999/00"


def many_links_plan(actions: int = 1500, links_each: int = 3) -> PlanSnapshot:
    """Two objectives; each action waits on a few earlier ones across the plan (thousands of arrows)."""
    records = [
        action(n, f"A{n % 2 + 1}.{n}", n % 2 + 1, date(2003, 4, 1) + timedelta(days=n % 700),
               date(2003, 4, 1) + timedelta(days=n % 700 + 20))
        for n in range(1, actions + 1)
    ]  # fmt: skip
    kinds = ["FS", "SS", "FF", "SF"]
    links = [
        link(len(records) * k + n, records[(n * 7919 + k * 104729) % (n - 1)], records[n - 1], kinds[(n + k) % 4])
        for n in range(2, actions + 1)
        for k in range(links_each)
        if (n * 7919 + k * 104729) % (n - 1) != n - 1
    ]
    unique = {(item.predecessor_id, item.successor_id): item for item in links}
    return PlanSnapshot(
        details=PlanDetails(status_date=STATUS),
        objectives=[objective(1, "O1"), objective(2, "O2")],
        actions=records,
        links=list(unique.values()),
        externals=[],
        waits_on=[],
    )


def crosses(arrow, first_row: int, last_row: int, first_day: date, last_day: date) -> bool:  # type: ignore[no-untyped-def]
    """The geometry, arrow by arrow: a run along the from row, the upright at from_at, a run along the to row."""
    upright = arrow.top <= last_row and arrow.bottom >= first_row and first_day <= arrow.from_at <= last_day
    along_to = (
        first_row <= arrow.to_row <= last_row
        and min(arrow.from_at, arrow.to_at) <= last_day
        and max(arrow.from_at, arrow.to_at) >= first_day
    )
    return upright or along_to


def test_a_screen_finds_exactly_the_arrows_crossing_it_in_a_plan_of_thousands_of_links():
    timeline = layout(many_links_plan())
    assert len(timeline.arrows) > 3000
    screens = [
        (700, 740, date(2003, 9, 1), date(2004, 1, 31)),
        (0, 40, date(2003, 1, 1), date(2005, 1, 1)),
        (1480, 1510, date(2004, 12, 1), date(2005, 6, 1)),
        (300, 300, date(2003, 6, 1), date(2003, 6, 2)),
    ]
    for screen in screens:
        expected = {id(a) for a in timeline.arrows if crosses(a, *screen)}
        found = [id(a) for a in timeline.arrows_in(*screen)]
        assert len(found) == len(set(found)) and set(found) == expected, screen
        passing = timeline.arrows_passing(*screen)
        assert {(a.from_at, "start" if a.kind in ("SS", "SF") else "finish") for a in passing} == {
            (day, str(leaves)) for day, leaves in timeline.uprights_passing(*screen)
        }
    # One long arrow with both ends off the screen, crossing it: found, and its upright is drawn.
    first_row, last_row, first_day, last_day = screens[0]
    long = next(
        a
        for a in timeline.arrows
        if a.top < first_row - 100 and a.bottom > last_row + 100 and first_day <= a.from_at <= last_day
    )
    assert long in timeline.arrows_in(*screens[0])
    assert long in timeline.arrows_passing(*screens[0]) and long not in timeline.arrows_ending_in(*screens[0])
