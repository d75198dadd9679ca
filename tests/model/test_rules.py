"""The flag rules of DOMAIN.md, by example and by property."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_planner.model.rules import (
    ActionFacts,
    ExternalFacts,
    Flag,
    LinkFacts,
    PlanFacts,
    Rag,
    assess_plan,
    check_plan,
    describe_assessment,
    find_any_cycle,
    find_cycle_if_added,
    name_cycle,
    roll_up,
)

D = date(2004, 1, 12)  # the demo's status date


def action(
    ident: int,
    due: date,
    status: str = "not_started",
    start: date | None = None,
    completed_on: date | None = None,
    objective: int = 1,
    expected: date | None = None,
) -> ActionFacts:
    return ActionFacts(ident, f"A{ident}", objective, start, due, status, completed_on, expected=expected)


def assess(actions: list[ActionFacts], links: list[LinkFacts] = (), externals=(), waits=(), when=D, soon=14):
    facts = PlanFacts(list(actions), list(links), {e.id: e for e in externals}, list(waits))
    return assess_plan(facts, when, soon)


class TestFlags:
    def test_overdue_counts_days_from_due_to_status_date(self):
        result = assess([action(1, date(2003, 12, 31), "in_progress")]).actions[1]
        assert result.flag is Flag.OVERDUE
        assert result.days_overdue == 12
        assert result.rag is Rag.RED
        assert describe_assessment(result) == "Overdue by 12 days (due 31/12/2003)"

    def test_due_on_the_status_date_is_not_overdue_but_due_soon(self):
        result = assess([action(1, D)]).actions[1]
        assert result.flag is Flag.DUE_SOON
        assert result.reason == "due today"

    def test_due_soon_window_is_inclusive(self):
        inside = assess([action(1, D + timedelta(days=14))]).actions[1]
        outside = assess([action(1, D + timedelta(days=15))]).actions[1]
        assert inside.flag is Flag.DUE_SOON
        assert outside.flag is None and outside.rag is Rag.GREEN

    def test_done_and_deferred_actions_are_never_flagged(self):
        past = date(2003, 6, 30)
        results = assess(
            [action(1, past, "complete", completed_on=past), action(2, past, "cancelled"), action(3, past, "deferred")]
        ).actions
        assert [results[i].flag for i in (1, 2, 3)] == [None, None, None]
        assert [results[i].rag for i in (1, 2, 3)] == [Rag.BLUE, Rag.GREY, Rag.GREY]

    def test_finish_to_start_predecessor_pushes_by_its_forecast_plus_duration(self):
        # A2 waits on A1 (due 31/03/2004) and takes 30 days: forecast 30/04/2004 > due 15/04/2004.
        results = assess(
            [action(1, date(2004, 3, 31), "in_progress"), action(2, date(2004, 4, 15), start=date(2004, 3, 16))],
            [LinkFacts(1, 2, "FS", 0)],
        ).actions
        assert results[2].forecast == date(2004, 4, 30)
        assert results[2].flag is Flag.AT_RISK
        assert describe_assessment(results[2]) == "At risk: waits on A1, forecast 31/03/2004"

    def test_overdue_predecessor_pushes_from_the_status_date(self):
        # A1 was due 31/12/2003, still open at 12/01/2004: its forecast is the status date.
        results = assess(
            [action(1, date(2003, 12, 31), "in_progress"), action(2, date(2004, 1, 13))],
            [LinkFacts(1, 2, "FS", 5)],
        ).actions
        assert results[1].forecast == D
        assert results[2].forecast == D + timedelta(days=5)
        assert results[2].flag is Flag.AT_RISK

    def test_an_overdue_action_forecasts_to_its_expected_date_and_says_so(self):
        result = assess([action(1, date(2003, 12, 31), "in_progress", expected=date(2004, 2, 29))]).actions[1]
        assert result.forecast == date(2004, 2, 29)
        assert (result.flag, result.days_overdue) == (Flag.OVERDUE, 12)
        assert describe_assessment(result) == "Overdue by 12 days (due 31/12/2003); now expected 29/02/2004"

    def test_an_overdue_action_says_what_it_waits_on(self):
        # A2 (due 05/01/2004, 3 days' work) waits on A1, now expected 20/01/2004: A2 by 23/01/2004.
        results = assess(
            [
                action(1, date(2004, 1, 31), "in_progress", expected=date(2004, 1, 20)),
                action(2, date(2004, 1, 5), start=date(2004, 1, 2)),
            ],
            [LinkFacts(1, 2, "FS", 0)],
        ).actions
        assert results[1].forecast == date(2004, 1, 31)  # an expected date before due changes nothing
        assert results[2].forecast == date(2004, 2, 3)
        assert results[2].reason == (
            "overdue by 7 days (due 05/01/2004); now expected 03/02/2004, waits on A1, forecast 31/01/2004"
        )
        assert results[2].driver == "A1"

    def test_an_expected_date_after_due_puts_an_open_action_at_risk_and_pushes_its_successors(self):
        results = assess(
            [action(1, date(2004, 3, 31), "in_progress", expected=date(2004, 4, 30)), action(2, date(2004, 5, 10))],
            [LinkFacts(1, 2, "FS", 0)],
        ).actions
        assert (results[1].forecast, results[1].flag) == (date(2004, 4, 30), Flag.AT_RISK)
        assert describe_assessment(results[1]) == "At risk: the owner expects to finish 30/04/2004"
        assert results[2].forecast == date(2004, 5, 10)  # FS with no duration: A1's 30/04 is before due
        pushed = assess(
            [action(1, date(2004, 3, 31), expected=date(2004, 6, 1)), action(2, date(2004, 5, 10))],
            [LinkFacts(1, 2, "FS", 0)],
        ).actions[2]
        assert (pushed.forecast, pushed.reason) == (date(2004, 6, 1), "waits on A1, forecast 01/06/2004")

    def test_done_and_deferred_actions_ignore_an_expected_date(self):
        past, later = date(2003, 6, 30), date(2004, 9, 30)
        results = assess(
            [
                action(1, past, "complete", completed_on=past, expected=later),
                action(2, past, "cancelled", expected=later),
                action(3, date(2004, 3, 31), "deferred", expected=later),
            ]
        ).actions
        assert [results[i].flag for i in (1, 2, 3)] == [None, None, None]
        assert results[1].forecast == past and results[3].forecast == date(2004, 3, 31)

    @pytest.mark.parametrize(
        ("kind", "lag", "expected"),
        [
            # predecessor: start 01/03, due 31/03 (30 days); successor: start 01/04, due 10/04 (9 days)
            ("FS", 0, date(2004, 4, 9)),  # 31/03 + 0 + 9
            ("FS", 10, date(2004, 4, 19)),  # 31/03 + 10 + 9
            ("SS", 0, date(2004, 3, 10)),  # 01/03 + 0 + 9 -> not later than due
            ("SS", 40, date(2004, 4, 19)),  # 01/03 + 40 + 9
            ("FF", 15, date(2004, 4, 15)),  # 31/03 + 15
            ("FF", -5, date(2004, 3, 26)),  # negative lag
            ("SF", 45, date(2004, 4, 15)),  # 01/03 + 45
        ],
    )
    def test_every_dependency_type_and_lag(self, kind, lag, expected):
        pred = action(1, date(2004, 3, 31), start=date(2004, 3, 1))
        succ = action(2, date(2004, 4, 10), start=date(2004, 4, 1))
        results = assess([pred, succ], [LinkFacts(1, 2, kind, lag)]).actions
        assert results[2].forecast == max(expected, succ.due)
        assert (results[2].flag is Flag.AT_RISK) == (expected > succ.due)

    def test_cancelled_predecessor_pushes_nothing(self):
        results = assess(
            [action(1, date(2005, 1, 1), "cancelled"), action(2, date(2004, 4, 1))], [LinkFacts(1, 2)]
        ).actions
        assert results[2].forecast == date(2004, 4, 1)
        assert results[2].flag is None

    def test_complete_predecessor_pushes_from_its_completed_on_date(self):
        results = assess(
            [action(1, date(2004, 2, 1), "complete", completed_on=date(2004, 5, 1)), action(2, date(2004, 4, 1))],
            [LinkFacts(1, 2)],
        ).actions
        assert results[2].forecast == date(2004, 5, 1)
        assert results[2].flag is Flag.AT_RISK

    def test_external_dependency_not_delivered_pushes_like_finish_to_start(self):
        national = ExternalFacts(7, "National Registration Services project", date(2006, 6, 30))
        results = assess(
            [action(1, date(2005, 12, 31), start=date(2005, 12, 1))], externals=[national], waits=[(1, 7)]
        ).actions
        assert results[1].forecast == date(2006, 7, 30)
        assert results[1].reason == "waits on National Registration Services project, expected 30/06/2006"
        assert results[1].driver == "National Registration Services project"

    def test_delivered_external_pushes_from_its_delivery_date(self):
        gateway = ExternalFacts(7, "Gateway", date(2003, 1, 1), delivered_on=date(2004, 6, 1))
        results = assess([action(1, date(2004, 5, 1))], externals=[gateway], waits=[(1, 7)]).actions
        assert results[1].forecast == date(2004, 6, 1)
        assert "delivered 01/06/2004" in results[1].reason

    def test_reason_names_the_latest_driver(self):
        late = ExternalFacts(9, "Late thing", date(2004, 9, 1))
        results = assess(
            [action(1, date(2004, 6, 1)), action(2, date(2004, 5, 1))],
            [LinkFacts(1, 2)],
            externals=[late],
            waits=[(2, 9)],
        ).actions
        assert results[2].forecast == date(2004, 9, 1)
        assert results[2].driver == "Late thing"

    def test_objective_roll_up(self):
        assert roll_up([Rag.GREEN, Rag.RED, Rag.AMBER]) is Rag.RED
        assert roll_up([Rag.GREEN, Rag.AMBER, Rag.BLUE]) is Rag.AMBER
        assert roll_up([Rag.BLUE, Rag.GREEN]) is Rag.GREEN
        assert roll_up([Rag.BLUE, Rag.GREY]) is Rag.BLUE
        assert roll_up([Rag.GREY]) is Rag.GREY
        results = assess([action(1, date(2003, 1, 1), objective=5), action(2, date(2005, 1, 1), objective=5)])
        assert results.objectives[5] is Rag.RED

    def test_a_cycle_in_a_damaged_file_does_not_hang_the_rules(self):
        results = assess([action(1, date(2004, 6, 1)), action(2, date(2004, 6, 1))], [LinkFacts(1, 2), LinkFacts(2, 1)])
        assert results.in_cycle == {1, 2}
        assert set(results.actions) == {1, 2}


class TestCycles:
    def test_a_link_that_closes_a_cycle_is_named(self):
        successors = {12: [31]}  # A3.1 waits on A1.2
        cycle = find_cycle_if_added(successors, 31, 12)  # now A1.2 would wait on A3.1
        assert name_cycle(cycle, {12: "A1.2", 31: "A3.1"}) == "A3.1 → A1.2 → A3.1"

    def test_longer_cycles_are_named_in_order(self):
        successors = {1: [2], 2: [3]}
        cycle = find_cycle_if_added(successors, 3, 1)
        assert cycle == [3, 1, 2, 3]

    def test_find_any_cycle(self):
        assert find_any_cycle({1: [2], 2: [3], 3: []}) is None
        cycle = find_any_cycle({1: [2], 2: [3], 3: [1]})
        assert cycle is not None and cycle[0] == cycle[-1] and set(cycle) == {1, 2, 3}


class TestChecks:
    def test_check_plan_names_each_problem(self):
        facts = PlanFacts(
            actions=[
                ActionFacts(1, "A1.1", 1, date(2004, 5, 1), date(2004, 4, 1), "in_progress"),
                ActionFacts(2, "A1.2", 1, None, date(2004, 4, 1), "complete", None),
                ActionFacts(3, "A1.3", 1, None, date(2004, 4, 1), "in_progress", percent_complete=140),
                ActionFacts(4, "A1.4", 1, None, date(2004, 4, 1), "in_progress", owner_left_on=date(2003, 12, 1)),
            ],
            links=[LinkFacts(1, 3), LinkFacts(3, 1)],
            externals={9: ExternalFacts(9, "Undated project", None)},
        )
        text = [str(p) for p in check_plan(facts)]
        # Single fields (due before start, 140%) are validation's: tests/model/test_validation_doors.py.
        assert "A1.2: complete, but has no completed-on date" in text
        assert "A1.4: its owner left the plan on 01/12/2003" in text
        assert "external 'Undated project': has no expected date" in text
        assert any("dependency cycle A1.1 → A1.3 → A1.1" in t for t in text)


# --- properties on random dependency graphs ------------------------------------------------

dates = st.dates(min_value=date(2003, 1, 1), max_value=date(2006, 12, 31))
STATUSES = ("not_started", "in_progress", "complete", "deferred", "cancelled")


@st.composite
def plans(draw: st.DrawFn, max_actions: int = 25) -> PlanFacts:
    count = draw(st.integers(min_value=1, max_value=max_actions))
    actions = []
    for ident in range(1, count + 1):
        due = draw(dates)
        start = draw(st.one_of(st.none(), st.dates(min_value=due - timedelta(days=400), max_value=due)))
        status = draw(st.sampled_from(STATUSES))
        done = draw(st.one_of(st.none(), dates)) if status == "complete" else None
        expected = draw(st.one_of(st.none(), dates))
        actions.append(ActionFacts(ident, f"A{ident}", 1 + ident % 3, start, due, status, done, expected=expected))
    # Edges only from lower to higher ids: acyclic by construction.
    links = []
    seen = set()
    for _ in range(draw(st.integers(min_value=0, max_value=count * 2))):
        a = draw(st.integers(min_value=1, max_value=count))
        b = draw(st.integers(min_value=1, max_value=count))
        if a == b or (min(a, b), max(a, b)) in seen:
            continue
        seen.add((min(a, b), max(a, b)))
        links.append(
            LinkFacts(
                min(a, b),
                max(a, b),
                draw(st.sampled_from(("FS", "SS", "FF", "SF"))),
                draw(st.integers(min_value=-30, max_value=60)),
            )
        )
    externals = {
        100 + i: ExternalFacts(100 + i, f"X{i}", draw(st.one_of(st.none(), dates)), draw(st.one_of(st.none(), dates)))
        for i in range(draw(st.integers(min_value=0, max_value=3)))
    }
    waits = []
    for ext in externals:
        for ident in draw(st.lists(st.integers(min_value=1, max_value=count), max_size=3, unique=True)):
            waits.append((ident, ext))
    return PlanFacts(actions, links, externals, waits)


@settings(max_examples=150, deadline=None)
@given(plans(), dates)
def test_an_open_actions_forecast_is_never_before_its_due_date_or_the_status_date(facts, status_date):
    result = assess_plan(facts, status_date)
    for a in facts.actions:
        if a.status != "complete":
            assert result.actions[a.id].forecast >= a.due
            assert result.actions[a.id].forecast >= status_date
            if a.status not in ("deferred", "cancelled") and a.expected is not None:
                assert result.actions[a.id].forecast >= a.expected


@settings(max_examples=150, deadline=None)
@given(plans(), dates, st.data())
def test_adding_a_dependency_never_makes_any_forecast_earlier(facts, status_date, data):
    before = assess_plan(facts, status_date)
    ids = [a.id for a in facts.actions]
    successors = defaultdict(list)
    for link in facts.links:
        successors[link.predecessor_id].append(link.successor_id)
    pred = data.draw(st.sampled_from(ids))
    succ = data.draw(st.sampled_from(ids))
    if (
        pred == succ
        or find_cycle_if_added(successors, pred, succ)
        or any(k.predecessor_id == pred and k.successor_id == succ for k in facts.links)
    ):
        return  # the service refuses these; nothing to compare
    new_link = LinkFacts(
        pred,
        succ,
        data.draw(st.sampled_from(("FS", "SS", "FF", "SF"))),
        data.draw(st.integers(min_value=-30, max_value=60)),
    )
    after = assess_plan(
        PlanFacts(facts.actions, [*facts.links, new_link], facts.externals, facts.waits_on), status_date
    )
    for ident in ids:
        assert after.actions[ident].forecast >= before.actions[ident].forecast


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_a_link_closing_a_cycle_is_always_found(facts, data):
    successors = defaultdict(list)
    for link in facts.links:
        successors[link.predecessor_id].append(link.successor_id)
    ids = [a.id for a in facts.actions]
    pred = data.draw(st.sampled_from(ids))
    succ = data.draw(st.sampled_from(ids))
    cycle = find_cycle_if_added(successors, pred, succ)
    # Ground truth: is pred reachable from succ (or the same action)?
    reachable, stack = {succ}, [succ]
    while stack:
        for nxt in successors.get(stack.pop(), ()):
            if nxt not in reachable:
                reachable.add(nxt)
                stack.append(nxt)
    assert (cycle is not None) == (pred in reachable)
    if cycle is not None:
        assert cycle[0] == cycle[-1] == pred
        for a, b in zip(cycle[1:-1], cycle[2:], strict=False):
            assert b in successors[a]


def test_on_a_tie_the_first_predecessor_by_ref_drives_then_predecessors_before_externals():
    same_day = date(2004, 6, 1)
    results = assess(
        [action(1, same_day), action(2, same_day), action(3, date(2004, 5, 1))],
        [LinkFacts(2, 3), LinkFacts(1, 3)],
        externals=[ExternalFacts(9, "Another body", same_day)],
        waits=[(3, 9)],
    ).actions
    assert results[3].driver == "A1"
