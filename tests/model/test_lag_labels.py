"""Where an arrow's lag label goes (model/timeline.py place_lag_label): beside its arrow, never on a bar,
a ref or another label; left out when there is no room anywhere along the arrow."""

from __future__ import annotations

from egov_planner.model.timeline_labels import LabelSpot, Span, place_lag_label

WIDTH = 30.0  # 'SS+10d' at the drawer's size
ALL = (0.0, 1000.0)


def overlaps(spot: LabelSpot, spans: list[Span]) -> bool:
    return any(spot.x < b and spot.x + WIDTH > a for a, b in spans)


def test_a_label_with_room_sits_on_the_run_into_the_head() -> None:
    # Predecessor bar on row 0 ends at 100; the arrow turns down at 104 and runs right to the successor at 200.
    taken: dict[int, list[Span]] = {0: [(40.0, 140.0)], 3: [(200.0, 300.0)]}
    spot = place_lag_label(((100, 0), (104, 0), (104, 3), (200, 3)), WIDTH, taken, ALL, (0, 10))
    assert spot == LabelSpot(3, 106.0)
    assert (106.0, 136.0) in taken[3]  # kept, so the next label keeps clear of it


def test_a_label_slides_along_its_run_past_what_is_there() -> None:
    # Another action's ref text sits on the successor's row just after the elbow: the label goes after it.
    taken: dict[int, list[Span]] = {2: [(100.0, 130.0), (220.0, 300.0)]}
    spot = place_lag_label(((90, 0), (94, 0), (94, 2), (220, 2)), WIDTH, taken, ALL, (0, 10))
    assert spot is not None and spot.row == 2
    assert spot.x >= 132 and spot.x + WIDTH <= 220 - 6  # clear of the ref, the bar and the arrowhead
    assert not overlaps(spot, [(100.0, 130.0), (220.0, 300.0)])


def test_a_short_run_moves_the_label_up_the_leg_to_a_free_row() -> None:
    # SS arrow: the leg drops at 96 to a successor starting at 110 (too short a run for the label).
    # The corner's row is free to the left of the leg: the label goes there, next to the head.
    taken: dict[int, list[Span]] = {0: [(100.0, 200.0)], 3: [(60.0, 180.0)], 4: [(110.0, 260.0)]}
    spot = place_lag_label(((100, 0), (96, 0), (96, 4), (110, 4)), WIDTH, taken, ALL, (0, 10))
    assert spot == LabelSpot(4, 96 - 2 - WIDTH)
    # With that taken too, and row 3 busy beside the leg, row 2 is free on the leg's right.
    taken = {0: [(100.0, 200.0)], 3: [(60.0, 180.0)], 4: [(20.0, 95.0), (110.0, 260.0)]}
    spot = place_lag_label(((100, 0), (96, 0), (96, 4), (110, 4)), WIDTH, taken, ALL, (0, 10))
    assert spot == LabelSpot(2, 98.0)


def test_the_left_of_the_leg_is_used_when_its_right_is_taken() -> None:
    taken: dict[int, list[Span]] = {1: [(100.0, 400.0)], 2: [(110.0, 400.0)]}
    spot = place_lag_label(((100, 1), (104, 1), (104, 2), (110, 2)), WIDTH, taken, ALL, (0, 10))
    assert spot == LabelSpot(2, 104 - 2 - WIDTH)


def test_no_room_anywhere_leaves_the_label_out_and_takes_nothing() -> None:
    busy = [(0.0, 1000.0)]
    taken: dict[int, list[Span]] = {0: list(busy), 1: list(busy), 2: list(busy)}
    assert place_lag_label(((100, 0), (104, 0), (104, 2), (300, 2)), WIDTH, taken, ALL, (0, 10)) is None
    assert taken == {0: busy, 1: busy, 2: busy}


def test_two_arrows_into_one_row_never_print_one_label_over_the_other() -> None:
    taken: dict[int, list[Span]] = {5: [(300.0, 400.0)]}
    first = place_lag_label(((50, 0), (54, 0), (54, 5), (300, 5)), WIDTH, taken, ALL, (0, 10))
    second = place_lag_label(((50, 1), (54, 1), (54, 5), (300, 5)), WIDTH, taken, ALL, (0, 10))
    assert first is not None and second is not None
    assert first.row != second.row or first.x + WIDTH <= second.x or second.x + WIDTH <= first.x


def test_a_label_stays_inside_the_sheet_and_on_its_rows() -> None:
    # The run into the head is off the sheet to the left (x < 80); rows above 3 are on the sheet before.
    taken: dict[int, list[Span]] = {}
    spot = place_lag_label(((10, 0), (14, 0), (14, 4), (70, 4)), WIDTH, taken, (80.0, 500.0), (3, 10))
    assert spot is None
    spot = place_lag_label(((90, 0), (94, 0), (94, 4), (140, 4)), WIDTH, taken, (80.0, 500.0), (3, 10))
    assert spot == LabelSpot(4, 96.0)
