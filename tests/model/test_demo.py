"""The demo plan is the seed's review, as data; its figures come out of the rules."""

from __future__ import annotations

from datetime import date

from egov_planner.model.bvpi import bvpi_position
from egov_planner.model.rules import Flag, check_plan


def test_the_front_page_and_decision_status_are_the_seeds(demo_service):
    snap = demo_service.snapshot()
    details = snap.details
    assert details.authority == "Leicester City Council"
    assert details.title == "Best Value Review of e-Government Final Report and Improvement Plan"
    assert details.report_of == "Service Director (ICT & Customer Access)"
    assert [(m.committee, m.meets_on) for m in snap.meetings] == [
        ("Finance, Resources and Equal Opportunities Scrutiny", date(2004, 1, 22)),
        ("Cabinet", date(2004, 2, 2)),
    ]
    assert (details.key_decision, details.in_forward_plan) == (True, True)
    assert details.key_decision_reason == "Significant effect on two or more wards"
    assert details.decision_maker == "Executive (Cabinet)"
    assert details.officer_name == "Jill Craig"
    assert [(i.topic, i.applies, i.paragraph_refs) for i in snap.implications][:2] == [
        ("Equal Opportunities", True, "Section 10"),
        ("Policy", False, ""),
    ]
    assert len(snap.implications) == 7
    assert details.legal_implications == "None."


def test_seven_objectives_with_actions_and_the_consultation_evidence(demo_service):
    snap = demo_service.snapshot()
    assert [o.ref for o in snap.objectives] == ["O1", "O2", "O3", "O4", "O5", "O6", "O7"]
    assert snap.objectives[6].title == "e-Modernising Leicester equality checklist"
    per_objective = {o.id: 0 for o in snap.objectives}
    for action in snap.actions:
        per_objective[action.objective_id] += 1
    assert min(per_objective.values()) >= 3
    evidence = [(c.method, c.audience, c.respondents_text) for c in snap.consultations]
    assert ("Workshop", "Staff in every department", "over 100") in evidence
    assert ("Questionnaire", "Staff", "130") in evidence
    assert ("Questionnaire", "Public", "411") in evidence
    assert any("Audit Commission" in c.summary for c in snap.consultations)
    strategy = next(a for a in snap.actions if a.ref == "A3.3")
    assert strategy.due == date(2004, 5, 31)
    assert any("equality checklist" in a.title for a in snap.actions)
    assert any(a.exempt_paragraph for a in snap.actions)


def test_as_at_the_status_date_the_demo_shows_each_kind_of_flag(demo_service):
    assessment = demo_service.assess()
    assert assessment.status_date == date(2004, 1, 12)
    refs = {a.id: a.ref for a in demo_service.actions()}
    flagged = {refs[a.action_id]: a for a in assessment.flagged()}
    assert flagged["A1.2"].flag is Flag.OVERDUE
    assert flagged["A2.2"].flag is Flag.AT_RISK and flagged["A2.2"].driver == "A2.1"
    assert flagged["A1.6"].flag is Flag.AT_RISK
    assert flagged["A1.6"].driver == "National Registration Services modernisation project"
    assert flagged["A4.3"].flag is Flag.DUE_SOON


def test_the_demo_breaks_no_rule(demo_service):
    assert check_plan(demo_service.facts()) == []
    assert demo_service.store.integrity_problems() == []


def test_bvpi_figures_come_from_the_service_rows(demo_service):
    snap = demo_service.snapshot()
    assert len(snap.service_rows) >= 150
    position = bvpi_position(snap, date(2004, 1, 12))
    milestones = {when: figure.percent for when, figure in position.milestones}
    assert milestones[date(2004, 3, 31)] == 72.0
    assert milestones[date(2005, 3, 31)] == 86.0
    assert milestones[date(2005, 12, 31)] == 98.0
    assert position.now.percent < 72.0
    assert len(position.shortfall) == 5
    assert len({r.department for r in snap.service_rows}) == 6


def test_no_percentage_is_typed_into_the_report_text(demo_service):
    details = demo_service.details()
    for text in (details.summary, details.introduction, details.review_method, details.scope):
        for figure in ("72%", "86%", "98%"):
            assert figure not in text
