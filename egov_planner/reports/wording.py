"""How the pack says things: month names, percentages, lists of words, and the BVPI 157 paragraphs.

Shared by the report's sections and its appendices; pure text, computed from the plan's data.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date

from egov_planner.model.bvpi import BvpiPosition
from egov_planner.model.dates import british, long_british
from egov_planner.model.entities import INTERACTION_TYPES
from egov_planner.model.rules import BVPI_TARGET_DATE, Flag, Rag, actual_only, bvpi_breakdown
from egov_planner.reports.chart import pct_label
from egov_planner.reports.data import PackData, count_text


def month_year(value: date) -> str:
    """'March 2004', as the seed states its forecasts."""
    return f"{calendar.month_name[value.month]} {value.year}"


def percent_of(part: int, whole: int) -> int:
    """A whole percentage, rounded half up (0 when there is nothing to divide)."""
    return (part * 200 + whole) // (whole * 2) if whole else 0


def sentence_case(text: str) -> str:
    """'overdue by 12 days …' -> 'Overdue by 12 days …' (the rules' reasons start in lower case)."""
    return text[:1].upper() + text[1:]


def slip_text(days: int) -> str:
    """A target date's move: '+90 days' later, '−14 days' brought forward, 'no change'."""
    if days == 0:
        return "no change"
    return f"{'+' if days > 0 else '−'}{abs(days)} {'day' if abs(days) == 1 else 'days'}"


def yes_no(value: bool | None) -> str:
    return "Not stated" if value is None else ("Yes" if value else "No")


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


# --- the BVPI 157 paragraph ------------------------------------------------------------------


def bvpi_paragraph(data: PackData, position: BvpiPosition, *, shortfall: bool = True) -> str:
    """The summary's BVPI 157 paragraph in the seed's words, every figure from model/bvpi.py.

    shortfall adds why the target will not be met (left out in Appendix D, whose table says it).
    """
    status = data.status_date
    now, confirmed = position.now, position.confirmed
    # The position counts actual e-enabled dates only (as the chart's actual line does); forecasts are said as such.
    sentences = [
        f"As at {long_british(status)}, {confirmed.enabled} of the {confirmed.permissible} interactions with the "
        f"public that can legally be delivered electronically are e-enabled (BVPI 157: {pct_label(confirmed.percent)})."
    ]
    unconfirmed = now.enabled - confirmed.enabled
    if unconfirmed:
        one = unconfirmed == 1
        sentences.append(
            f"A further {'interaction was' if one else f'{unconfirmed} interactions were'} forecast to be e-enabled "
            f"by this date but {'has' if one else 'have'} no e-enabled date recorded; counting "
            f"{'it' if one else 'them'}, the forecast position is {pct_label(now.percent)}."
        )
    ahead = [(when, figure) for when, figure in position.milestones if status < when < BVPI_TARGET_DATE]
    if ahead:
        forecasts = [f"{pct_label(figure.percent)} by {month_year(when)}" for when, figure in ahead]
        sentences.append(f"The authority's progress in e-enabling services gives forecasts of {join_words(forecasts)}.")
    target = dict(position.milestones).get(BVPI_TARGET_DATE)
    if target is not None and status >= BVPI_TARGET_DATE:
        target = dict(position.confirmed_milestones).get(BVPI_TARGET_DATE)  # past: what was recorded, not forecast
    if target is not None and status < BVPI_TARGET_DATE:
        sentences.append(
            f"We forecast that by {month_year(BVPI_TARGET_DATE)} {pct_label(target.percent)} of our services "
            "will be e-enabled" + (", meeting the target of 100%." if target.enabled == target.permissible else ".")
        )
    elif target is not None:
        sentences.append(
            f"At the target date of {long_british(BVPI_TARGET_DATE)}, {pct_label(target.percent)} of our "
            "services were e-enabled."
        )
    if shortfall:
        sentences += shortfall_sentences(data, position)
    return " ".join(sentences)


def shortfall_sentences(data: PackData, position: BvpiPosition) -> list[str]:
    """Why BVPI 157 stays under 100% at the target date (rules.bvpi_shortfall), grouped by cause."""
    past = data.status_date >= BVPI_TARGET_DATE
    if not position.shortfall:
        return []
    externals = {e.id: e for e in data.snapshot.externals}
    waiting: dict[int, list[str]] = defaultdict(list)
    unforecast: list[str] = []
    late: list[str] = []
    enabled_late: list[str] = []
    # Once the target date has passed, a row only forecast by then was not e-enabled as far as anyone recorded.
    unrecorded = 0
    for item in position.shortfall:
        row = item.row
        if item.cause == "unrecorded":
            unrecorded += 1
        elif item.cause == "external" and row.external_id is not None:
            waiting[row.external_id].append(row.service)
        elif item.cause == "no_forecast":
            unforecast.append(row.service)
        elif item.cause == "enabled_late":
            enabled_late.append(row.service)
        else:
            late.append(row.service)
    parts = []
    for external_id, services in waiting.items():
        external = externals[external_id]
        names = sorted(set(services))
        when = (
            (
                f"which is not expected to come on line until {month_year(external.expected_on)}"
                if external.expected_on > data.status_date
                else f"which was expected to come on line in {month_year(external.expected_on)}"
            )
            if external.expected_on
            else "which has no expected date"
        )
        parts.append(
            f"{join_words(names)} {'is' if len(names) == 1 else 'are'} dependent on the {external.name}, {when} "
            f"({count_text(len(services), 'interaction')})"
        )
    if late:
        parts.append(
            f"{count_text(len(late), 'interaction')} of {join_words(sorted(set(late)))} "
            f"{'is' if len(late) == 1 else 'are'} forecast after {month_year(BVPI_TARGET_DATE)}"
        )
    if enabled_late:
        parts.append(
            f"{count_text(len(enabled_late), 'interaction')} of {join_words(sorted(set(enabled_late)))} "
            f"{'was' if len(enabled_late) == 1 else 'were'} e-enabled after {month_year(BVPI_TARGET_DATE)}"
        )
    if unforecast:
        parts.append(
            f"{count_text(len(unforecast), 'interaction')} of {join_words(sorted(set(unforecast)))} "
            f"{'has' if len(unforecast) == 1 else 'have'} no forecast date"
        )
    if unrecorded:
        parts.append(
            f"{count_text(unrecorded, 'interaction')} forecast by then {'has' if unrecorded == 1 else 'have'} "
            "no e-enabled date recorded"
        )
    if past:
        # Told after the target date: what was not e-enabled by then.
        opening = (
            "The areas that were not e-enabled by the target date are areas where we depend on the progress of others"
            if waiting and not late and not unforecast and not unrecorded and not enabled_late
            else f"The areas that were not e-enabled by {month_year(BVPI_TARGET_DATE)} are these"
        )
    else:
        opening = (
            "The areas that will not be e-enabled are areas where we are dependent on the progress of others"
            if waiting and not late and not unforecast and not enabled_late
            else f"The areas that will not be e-enabled by {month_year(BVPI_TARGET_DATE)} are these"
        )
    return [f"{opening}: {'; '.join(parts)}. Appendix D sets out the detail."]


def position_sentence(data: PackData) -> str:
    """The plan's position in one sentence (actions by RAG, % complete, overdue and at risk), as both papers say it."""
    actions = data.actions
    counts = data.counts_by_rag()
    flags = {flag: sum(1 for a in actions if data.assessed(a).flag is flag) for flag in Flag}
    live = [a for a in actions if a.status != "cancelled"]
    complete = sum(1 for a in actions if a.status == "complete")
    average = percent_of(sum(a.percent_complete for a in live), 100 * len(live)) if live else 0
    status = long_british(data.status_date)
    if not actions:
        return f"As at {status} the improvement plan has no actions."
    rated = [
        (counts[Rag.BLUE], "complete (B)"),
        (counts[Rag.GREEN], "on track (G)"),
        (counts[Rag.AMBER], "at risk (A)"),
        (counts[Rag.RED], "overdue (R)"),
    ]
    sentence = (
        f"As at {status} the improvement plan has {count_text(len(actions), 'action')} under "
        f"{count_text(len(data.objectives), 'improvement objective')}: "
        f"{join_words([f'{n} {text}' for n, text in rated])}"
    )
    if counts[Rag.GREY]:
        sentence += f"; {counts[Rag.GREY]} not rated (N: deferred or cancelled)"
    sentence += (
        f". {complete} of the {len(live)} actions that are not cancelled "
        f"{'is' if complete == 1 else 'are'} complete ({percent_of(complete, len(live))}%), and "
        f"officers report the plan as {average}% complete overall (the average of each action's "
        "percentage complete)."
    )
    overdue, at_risk = flags[Flag.OVERDUE], flags[Flag.AT_RISK]
    if overdue or at_risk:
        sentence += (
            f" {count_text(overdue, 'action is', 'actions are')} overdue and {at_risk} "
            f"{'is' if at_risk == 1 else 'are'} at risk of missing the target date; Appendix B lists "
            "them with the reasons."
        )
    else:
        sentence += " No action is overdue or at risk."
    return sentence


def bvpi_figure_headers(data: PackData) -> list[str]:
    """The four figure columns of the BVPI 157 tables."""
    as_at = british(data.status_date)
    return [
        "Legally permissible",
        f"e-enabled at {as_at}",
        f"BVPI 157 at {as_at}",
        f"Forecast at {british(BVPI_TARGET_DATE)}",
    ]


def bvpi_table_rows(data: PackData) -> tuple[list[list[object]], list[list[object]]]:
    """The rows of the BVPI 157 tables by department and by type of interaction."""
    rows_facts = [row.facts() for row in data.snapshot.service_rows]
    externals = data.snapshot.external_facts()
    # "at the status date" columns count actual e-enabled dates only, as the summary does.
    by_department = bvpi_breakdown(actual_only(rows_facts), externals, data.status_date, "department")
    by_interaction = bvpi_breakdown(actual_only(rows_facts), externals, data.status_date, "interaction")
    target_by_department = bvpi_breakdown(rows_facts, externals, BVPI_TARGET_DATE, "department")
    target_by_interaction = bvpi_breakdown(rows_facts, externals, BVPI_TARGET_DATE, "interaction")
    departments: list[list[object]] = []
    for name, figure in by_department.items():
        target = target_by_department.get(name)
        departments.append(
            [
                name or "(no department)",
                str(figure.permissible),
                str(figure.enabled),
                pct_label(figure.percent),
                pct_label(target.percent) if target else "—",
            ]
        )
    interactions: list[list[object]] = []
    for code, figure in by_interaction.items():
        target = target_by_interaction.get(code)
        interactions.append(
            [
                str(code),
                INTERACTION_TYPES[int(str(code))],
                str(figure.permissible),
                str(figure.enabled),
                pct_label(figure.percent),
                pct_label(target.percent) if target else "—",
            ]
        )
    return departments, interactions


def no_shortfall_text(data: PackData) -> str:
    """Said when no interaction keeps BVPI 157 under 100%: a forecast until the target date, a record after it."""
    return (
        "None: every legally permissible interaction is forecast to be e-enabled by the target date."
        if data.status_date < BVPI_TARGET_DATE
        else "None: every legally permissible interaction was recorded as e-enabled by the target date."
    )


def shortfall_rows(position: BvpiPosition) -> list[list[str]]:
    """Each interaction that keeps BVPI 157 under 100%, with why."""
    return [
        [
            item.row.service,
            item.row.department or "—",
            f"{item.row.interaction} {INTERACTION_TYPES[item.row.interaction]}",
            item.reason,
        ]
        for item in position.shortfall
    ]


def excluded_rows(data: PackData) -> list[list[str]]:
    """The interactions not legally permissible electronically, with the reason."""
    return [
        [row.service, row.department or "—", f"{row.interaction} {INTERACTION_TYPES[row.interaction]}", row.reason]
        for row in data.snapshot.service_rows
        if not row.permissible
    ]
