"""The demo plan: Leicester City Council's 2004 Best Value Review of e-Government, as data.

Everything the seed report prints is here to edit: the front page, the text of
each section, the implications table, consultations, officer to contact and
decision status; the seven improvement objectives of §3.2.4 with actions
(owners by role), dependencies and the national Registration Services project
as an external dependency; the consultation evidence; and the council's
service list for BVPI 157. Nothing here states a percentage: the pack and the
`bvpi` command compute 72% / 86% / 98% from the service rows' dates.

Status date 12/01/2004: A1.2 is overdue, A2.2 is at risk through its
dependency on A2.1, A1.6 is at risk through the national project, A4.3 is due soon.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from egov_planner.model.dates import month_end
from egov_planner.model.entities import (
    Action,
    ActionExternal,
    ConsultationEvidence,
    Department,
    Dependency,
    ExternalDependency,
    Meeting,
    Objective,
    OtherImplication,
    Person,
    Plan,
    ProgressUpdate,
    Service,
    ServiceInteraction,
)
from egov_planner.model.store import PlanFileError, create_plan

STATUS_DATE = date(2004, 1, 12)
NATIONAL_PROJECT = "National Registration Services modernisation project"

CHIEF_EXECS = "Chief Executive's Office"
EDUCATION = "Education and Lifelong Learning"
HOUSING = "Housing"
REGENERATION = "Regeneration and Culture"
RESOURCES = "Resources, Access and Diversity"
SOCIAL_CARE = "Social Care and Health"
DEPARTMENTS = (CHIEF_EXECS, EDUCATION, HOUSING, REGENERATION, RESOURCES, SOCIAL_CARE)

# (name, job title, department). Owners are named by role, as the plan names them;
# the officer to contact is named as the seed names her.
PEOPLE = (
    ("Jill Craig", "Service Director (ICT & Customer Access)", RESOURCES),
    ("Head of e-Government", "Head of e-Government Programme", RESOURCES),
    ("Chair, Heads of ICT", "Chair of the Heads of ICT group", RESOURCES),
    ("Head of ICT (Housing)", "Head of ICT, Housing Department", HOUSING),
    ("Head of ICT (Education)", "Head of ICT, Education and Lifelong Learning", EDUCATION),
    ("Head of ICT (Social Care)", "Head of ICT, Social Care and Health", SOCIAL_CARE),
    ("Head of ICT (Regeneration)", "Head of ICT, Regeneration and Culture", REGENERATION),
    ("Head of Revenues and Benefits", "Head of Revenues and Benefits", RESOURCES),
    ("Corporate Procurement Manager", "Corporate Procurement Manager", RESOURCES),
    ("ICT Security Manager", "ICT Security Manager", RESOURCES),
    ("Head of Policy", "Head of Corporate Policy", CHIEF_EXECS),
    ("Head of Communications", "Head of Corporate Communications", CHIEF_EXECS),
    ("Web Manager", "Corporate Web Manager", RESOURCES),
    ("Customer Services Manager", "Customer Services Centres Manager", RESOURCES),
    ("Head of Libraries", "Head of Libraries and Information Services", REGENERATION),
    ("Corporate Equalities Officer", "Corporate Equalities Officer", CHIEF_EXECS),
    ("Superintendent Registrar", "Superintendent Registrar", RESOURCES),
    ("Head of Member Services", "Head of Member Services", CHIEF_EXECS),
)

OBJECTIVES = (
    (
        "O1",
        "Review progress towards the BVPI 157 targets",
        "Heads of ICT to continuously review progress towards the BVPI157 targets and report any "
        "issues of concerns to its parent group, SRG, for action/resolution as required.",
        "Chair, Heads of ICT",
    ),
    (
        "O2",
        "Work together on shared services",
        "Heads of ICT should work in collaboration in order to avoid duplication of effort and ensure "
        "joined up working across services spanning the authority. In particular, departments to work "
        "collaboratively on central shared services including authentication, e-payment, "
        "e-procurement and security",
        "Chair, Heads of ICT",
    ),
    (
        "O3",
        "Joint ICT / e-Modernising Leicester strategy",
        "Develop a joint ICT/E-modernising Leicester strategy as a matter of priority.",
        "Jill Craig",
    ),
    (
        "O4",
        "Raise awareness of e-Modernising Leicester and the 2005 targets",
        "Continue to raise awareness and understanding of the e-Modernising Leicester programme in "
        "general and the 2005 targets in particular.",
        "Head of e-Government",
    ),
    (
        "O5",
        "Promote the Council's web site",
        "Actively promote the Council's web site, in particular the interactive facilities that are available.",
        "Head of Communications",
    ),
    (
        "O6",
        "Promote free Internet access in Libraries",
        "Further promote awareness of free Internet access in Libraries.",
        "Head of Libraries",
    ),
    (
        "O7",
        "e-Modernising Leicester equality checklist",
        "Develop an e-Modernising Leicester equality checklist.",
        "Corporate Equalities Officer",
    ),
)


def d(day: int, month: int, year: int) -> date:
    return date(year, month, day)


# ref, objective, title, owner, start, due, status, completed_on, percent, success measure, resources
ACTIONS: tuple[tuple[str, str, str, str, date | None, date, str, date | None, int, str, str], ...] = (
    (
        "A1.1",
        "O1",
        "Agree a quarterly BVPI 157 monitoring return with departmental lead officers",
        "Head of e-Government",
        d(1, 10, 2003),
        d(31, 10, 2003),
        "complete",
        d(28, 10, 2003),
        100,
        "Every department returns its ESD toolkit position each quarter",
        "Within existing budgets",
    ),
    (
        "A1.2",
        "O1",
        "Report the quarter 3 BVPI 157 position and issues of concern to SRG",
        "Chair, Heads of ICT",
        d(1, 12, 2003),
        d(31, 12, 2003),
        "in_progress",
        None,
        60,
        "SRG receives the report and resolves the issues raised",
        "Within existing budgets",
    ),
    (
        "A1.3",
        "O1",
        "Submit the Implementing e-Government (IEG) statement to ODPM",
        "Head of e-Government",
        d(1, 10, 2003),
        d(19, 12, 2003),
        "complete",
        d(17, 12, 2003),
        100,
        "Statement accepted; IEG capital grant released",
        "IEG grant",
    ),
    (
        "A1.4",
        "O1",
        "Report the quarter 4 BVPI 157 position to SRG",
        "Chair, Heads of ICT",
        d(1, 4, 2004),
        d(30, 4, 2004),
        "not_started",
        None,
        0,
        "SRG receives the year-end position",
        "Within existing budgets",
    ),
    (
        "A1.5",
        "O1",
        "Publish the 2004/05 e-enablement forecast in the Best Value Performance Plan",
        "Head of Policy",
        d(1, 5, 2004),
        d(30, 6, 2004),
        "not_started",
        None,
        0,
        "Forecast published with the BVPP",
        "Within existing budgets",
    ),
    (
        "A1.6",
        "O1",
        "E-enable Registration Services (certificate applications and appointments)",
        "Superintendent Registrar",
        d(1, 7, 2005),
        d(31, 12, 2005),
        "not_started",
        None,
        0,
        "Certificates and appointments available on-line",
        "National project funding",
    ),
    (
        "A2.1",
        "O2",
        "Agree a corporate approach to customer authentication (Government Gateway)",
        "ICT Security Manager",
        d(1, 11, 2003),
        d(31, 3, 2004),
        "in_progress",
        None,
        30,
        "One sign-on for residents across council web services",
        "Within existing budgets",
    ),
    (
        "A2.2",
        "O2",
        "Extend the corporate e-payment engine to every department's on-line forms",
        "Head of Revenues and Benefits",
        d(1, 1, 2004),
        d(30, 9, 2004),
        "not_started",
        None,
        0,
        "Every on-line form that takes money uses the corporate engine",
        "IEG grant",
    ),
    (
        "A2.3",
        "O2",
        "Implement e-procurement for corporate purchasing",
        "Corporate Procurement Manager",
        d(1, 4, 2004),
        d(31, 12, 2004),
        "not_started",
        None,
        0,
        "Corporate orders placed electronically",
        "National e-procurement project",
    ),
    (
        "A2.4",
        "O2",
        "Adopt a common information security policy across departments (BS 7799)",
        "ICT Security Manager",
        d(1, 9, 2003),
        d(31, 3, 2004),
        "in_progress",
        None,
        50,
        "Policy adopted by every department",
        "Within existing budgets",
    ),
    (
        "A2.5",
        "O2",
        "Agree a single corporate approach to smartcards",
        "Chair, Heads of ICT",
        d(1, 2, 2004),
        d(30, 6, 2004),
        "not_started",
        None,
        0,
        "One smartcard scheme, no departmental duplicates",
        "Within existing budgets",
    ),
    (
        "A3.1",
        "O3",
        "Draft the joint ICT and e-Modernising Leicester strategy",
        "Jill Craig",
        d(1, 11, 2003),
        d(31, 3, 2004),
        "in_progress",
        None,
        40,
        "Draft agreed by the Heads of ICT",
        "Within existing budgets",
    ),
    (
        "A3.2",
        "O3",
        "Consult departments and partners (Police, Health Authority) on the draft strategy",
        "Head of e-Government",
        d(1, 4, 2004),
        d(30, 4, 2004),
        "not_started",
        None,
        0,
        "Partners' comments received and reflected",
        "Within existing budgets",
    ),
    (
        "A3.3",
        "O3",
        "Complete the joint ICT/e-Modernising Leicester strategy and its financial planning",
        "Jill Craig",
        d(1, 5, 2004),
        d(31, 5, 2004),
        "not_started",
        None,
        0,
        "Strategy approved; financial implications understood",
        "Within existing budgets",
    ),
    (
        "A3.4",
        "O3",
        "Appraise options for connectivity with partner agencies",
        "Chair, Heads of ICT",
        d(1, 6, 2004),
        d(30, 9, 2004),
        "not_started",
        None,
        0,
        "Options appraisal reported to SRG",
        "To be identified in the strategy",
    ),
    (
        "A4.1",
        "O4",
        "Hold the staff IT awareness event",
        "Head of e-Government",
        d(1, 9, 2003),
        d(31, 10, 2003),
        "complete",
        d(15, 10, 2003),
        100,
        "Event held; staff questionnaire completed",
        "Within existing budgets",
    ),
    (
        "A4.2",
        "O4",
        "Run e-government workshops in every department",
        "Head of e-Government",
        d(1, 9, 2003),
        d(30, 11, 2003),
        "complete",
        d(28, 11, 2003),
        100,
        "Workshops held in every department",
        "Within existing budgets",
    ),
    (
        "A4.3",
        "O4",
        "Publish the quarterly e-Modernising Leicester feature in the staff magazine",
        "Head of Communications",
        d(1, 1, 2004),
        d(23, 1, 2004),
        "in_progress",
        None,
        50,
        "Feature published each quarter",
        "Within existing budgets",
    ),
    (
        "A4.4",
        "O4",
        "Brief members on the 2005 targets at a members' seminar",
        "Head of Member Services",
        d(1, 2, 2004),
        d(29, 2, 2004),
        "not_started",
        None,
        0,
        "Seminar held; members briefed",
        "Within existing budgets",
    ),
    (
        "A5.1",
        "O5",
        "Add on-line forms and payments to the council web site",
        "Web Manager",
        d(1, 10, 2003),
        d(31, 3, 2004),
        "in_progress",
        None,
        45,
        "Forms and payments live on the site",
        "IEG grant",
    ),
    (
        "A5.2",
        "O5",
        "Promote on-line services in the council newspaper and Customer Services Centres",
        "Head of Communications",
        d(1, 4, 2004),
        d(30, 4, 2004),
        "not_started",
        None,
        0,
        "Campaign run; take-up of on-line services rises",
        "Communications budget",
    ),
    (
        "A5.3",
        "O5",
        "Report web site use and on-line transactions each quarter",
        "Web Manager",
        d(1, 1, 2004),
        d(31, 3, 2004),
        "in_progress",
        None,
        20,
        "Take-up figures reported to the Heads of ICT",
        "Within existing budgets",
    ),
    (
        "A5.4",
        "O5",
        "Renegotiate the web hosting and managed service contract",
        "Corporate Procurement Manager",
        d(1, 2, 2004),
        d(31, 5, 2004),
        "not_started",
        None,
        0,
        "Contract renewed on better terms",
        "Within existing budgets",
    ),
    (
        "A6.1",
        "O6",
        "Publicise free Internet access in every library",
        "Head of Libraries",
        d(1, 11, 2003),
        d(31, 3, 2004),
        "in_progress",
        None,
        40,
        "Posters and leaflets in every library and Customer Services Centre",
        "Within existing budgets",
    ),
    (
        "A6.2",
        "O6",
        "Offer taster sessions for new Internet users in libraries",
        "Head of Libraries",
        d(1, 4, 2004),
        d(30, 6, 2004),
        "not_started",
        None,
        0,
        "Sessions held in every library",
        "People's Network funding",
    ),
    (
        "A6.3",
        "O6",
        "Extend the opening hours of library ICT suites",
        "Head of Libraries",
        d(1, 4, 2004),
        d(30, 9, 2004),
        "deferred",
        None,
        0,
        "Longer opening hours",
        "Awaiting the 2004/05 budget",
    ),
    (
        "A6.4",
        "O6",
        "Pilot Internet kiosks in neighbourhood housing offices",
        "Head of ICT (Housing)",
        d(1, 9, 2003),
        d(31, 12, 2003),
        "cancelled",
        None,
        0,
        "Replaced by promoting free access in libraries",
        "Within existing budgets",
    ),
    (
        "A7.1",
        "O7",
        "Draft an equality checklist for e-government projects",
        "Corporate Equalities Officer",
        d(1, 11, 2003),
        d(31, 1, 2004),
        "in_progress",
        None,
        70,
        "Draft checklist agreed with the Corporate Equalities Unit",
        "Within existing budgets",
    ),
    (
        "A7.2",
        "O7",
        "Consult disability groups on the checklist",
        "Corporate Equalities Officer",
        d(1, 2, 2004),
        d(29, 2, 2004),
        "not_started",
        None,
        0,
        "Groups' comments reflected in the checklist",
        "Within existing budgets",
    ),
    (
        "A7.3",
        "O7",
        "Apply the equality checklist to every new e-Modernising project",
        "Head of e-Government",
        d(1, 3, 2004),
        d(31, 5, 2004),
        "not_started",
        None,
        0,
        "Every new project passes the checklist",
        "Within existing budgets",
    ),
)

EXEMPT = {"A5.4": 3}  # information about the council's contract negotiations: Schedule 12A paragraph 3

# successor, predecessor, type, lag
DEPENDENCIES = (
    ("A1.4", "A1.2", "FS", 0),
    ("A1.5", "A1.4", "FS", 0),
    ("A2.2", "A2.1", "FS", 0),
    ("A2.3", "A2.1", "SS", 30),
    ("A3.2", "A3.1", "FS", 0),
    ("A3.3", "A3.2", "FS", 0),
    ("A3.4", "A3.3", "FS", 0),
    ("A5.2", "A5.1", "FF", 30),
    ("A7.2", "A7.1", "FS", 0),
    ("A7.3", "A7.2", "FS", 0),
    ("A4.4", "A4.3", "FS", 7),
)

PROGRESS = (
    (
        "A1.2",
        d(5, 1, 2004),
        "in_progress",
        60,
        "Departmental returns in from five of six departments; "
        "Social Care and Health return outstanding. Report to SRG now planned for its February meeting.",
        "Head of e-Government",
    ),
    (
        "A2.1",
        d(9, 1, 2004),
        "in_progress",
        30,
        "Government Gateway pilot agreed with Revenues; options paper to Heads of ICT in February.",
        "ICT Security Manager",
    ),
    (
        "A2.2",
        d(9, 1, 2004),
        "not_started",
        0,
        "Cannot start until the authentication approach (A2.1) is agreed.",
        "Head of Revenues and Benefits",
    ),
    (
        "A3.1",
        d(8, 1, 2004),
        "in_progress",
        40,
        "Draft chapters on infrastructure and customer access written; on target for completion by end May.",
        "Jill Craig",
    ),
    (
        "A4.3",
        d(7, 1, 2004),
        "in_progress",
        50,
        "Copy drafted; magazine goes to print on 23 January.",
        "Head of Communications",
    ),
    (
        "A7.1",
        d(6, 1, 2004),
        "in_progress",
        70,
        "Draft checklist with the Corporate Equalities Unit for comment.",
        "Corporate Equalities Officer",
    ),
    (
        "A1.6",
        d(12, 1, 2004),
        "not_started",
        0,
        "The national project is now not expected to go live until 2006.",
        "Superintendent Registrar",
    ),
)

# Plan text: paragraphs separated by a blank line; "- " starts a bullet.
INTRODUCTION = (
    "The Council's ICT function was subject to a Best Value review during 2002/3. At the time it was "
    "decided to review our progress towards e-government separately. This report concludes the "
    "e-government review and makes recommendations for improvement."
)
SCOPE = (
    "The scope of the review was to:\n"
    "- Ensure the Council is able to achieve the 2005 target of 100% of relevant services being "
    "accessible electronically (BVPI157).\n"
    "- Consider whether the Council is fully embracing the potential of e-government."
)
RECOMMENDATIONS = "Members are asked to:\n- Endorse the improvement plan attached as Appendix A."
REVIEW_METHOD = (
    "The IDeA (Improvement Development Agency) has produced a methodology (the Electronic Service "
    "Delivery toolkit) for calculating progress towards the 2005 BVPI-157 target of 100% of relevant "
    "services being accessible electronically. The toolkit lists all those services that Government "
    "would expect to be e-enabled. This review analysed progress against each of the listed "
    "activities. Departmental lead officers were required to document their work plans to achieve the "
    "2005 target and identify any areas where progress would not be made.\n\n"
    "To determine whether the Council is fully embracing the potential of e-government we ran "
    "workshops in each department to identify awareness of the programme, constraints to progress "
    "and to debate how we might overcome these constraints. In total over 100 staff attended these events.\n\n"
    "A timely Audit Commission review of our progress towards e-government was a useful contributor "
    "to this exercise. This review involved interviews with representatives from all departments and a "
    "detailed analysis of our e-government plans and progress to date. We also consulted with staff "
    "generally via a questionnaire at October's IT awareness event. 130 staff completed questionnaires.\n\n"
    "The public were consulted via a short questionnaire in Customer Services Centres, libraries and "
    "centres for people with disabilities. In total 411 completed questionnaires were received."
)
SUMMARY = (
    "We are confident that if we exclude the handful of functions that are effectively beyond our "
    "control we are on target for 100% of services being e-enabled.\n\n"
    "The final report recognises the distinction between e-enabling services and achieving a high "
    "level of use and the Improvement Plan includes tasks to further raise the profile of these new "
    "access channels to encourage take up.\n\n"
    "Section 9.1.2 of the final report considers the question 'Are we fully embracing the potential "
    "of e-Government? Is our planning joined up?' We can identify many excellent examples of services "
    "using ICT to improve the way we do business, and can demonstrate the good progress we're making "
    "on various national e-Government projects (above average compared to other Council's). However, "
    "the Council's Heads of ICT group (formed following a recommendation in the ICT BV Improvement "
    "Plan) has identified areas where we could be more joined up (for example the use of smartcards "
    "and a number of ICT related research and development projects) and are taking action to address "
    "the issue. Similarly we need to continuously seek ways of improving connectivity with external "
    "partner agencies such as the Police and the Health Authority. These issues will be addressed "
    "within the ICT and e-modernising Leicester strategy that is on target for completion by end May."
)
FINANCIAL = (
    "Departments have indicated in their detailed analysis that they can achieve their 2005 targets "
    "within existing budgets.\n\n"
    "The development of the Council's joint ICT/e-modernising Leicester strategy will allow us to "
    "better understand the financial implications of our ICT aspirations. The detailed planning "
    "should be complete by May 2004."
)
IMPLICATIONS = (
    ("Equal Opportunities", True, "Section 10"),
    ("Policy", False, ""),
    ("Sustainable and Environmental", False, ""),
    ("Crime and Disorder", False, ""),
    ("Human Rights Act", False, ""),
    ("Elderly/People on Low Income", False, ""),
    ("Property", False, ""),
)
CONSULTATION_EVIDENCE = (
    (
        "Workshop",
        "Staff in every department",
        100,
        True,
        d(28, 11, 2003),
        "Workshops in each department on awareness of the programme, constraints to progress and how "
        "we might overcome them.",
    ),
    ("Questionnaire", "Staff", 130, False, d(15, 10, 2003), "Questionnaire at October's IT awareness event."),
    (
        "Questionnaire",
        "Public",
        411,
        False,
        d(30, 11, 2003),
        "Short questionnaire in Customer Services Centres, libraries and centres for people with disabilities.",
    ),
    (
        "Inspection",
        "All departments",
        None,
        False,
        d(31, 10, 2003),
        "Audit Commission review of progress towards e-government: interviews with representatives of "
        "all departments and a detailed analysis of e-government plans and progress to date.",
    ),
)

# --- BVPI 157: the council's services on the ESD toolkit list ---------------------------
# Each service lists its interaction rows as LGIL code + phase:
#   a  e-enabled before the status date        b  forecast by 31/03/2004
#   c  forecast during 2004/05                 d  forecast April-December 2005
#   r  waits on the national Registration Services project
#   x  not legally permissible electronically (reason given)
SERVICES: tuple[tuple[str, str, str], ...] = (
    # Chief Executive's Office
    ("Community safety and crime reduction", CHIEF_EXECS, "8a 3b 6c"),
    ("Neighbourhood renewal", CHIEF_EXECS, "8a 3a"),
    ("Emergency planning", CHIEF_EXECS, "8a"),
    ("Voluntary sector grants", CHIEF_EXECS, "7c 8a"),
    ("Leicester Partnership", CHIEF_EXECS, "6b 8a"),
    ("Council news and press releases", CHIEF_EXECS, "8a 3a"),
    ("Scrutiny", CHIEF_EXECS, "8a 3d"),
    ("Equalities", CHIEF_EXECS, "8a 3b"),
    ("Consultation and the Citizens' Panel", CHIEF_EXECS, "3a 8a"),
    # Education and Lifelong Learning
    ("School admissions", EDUCATION, "0b 8a 3b"),
    ("Free school meals", EDUCATION, "7c 0b 8a"),
    ("Student awards and grants", EDUCATION, "7a 0a 8a"),
    ("Adult education courses", EDUCATION, "1b 4c 8a"),
    ("Education welfare", EDUCATION, "8a 3b"),
    ("Special educational needs", EDUCATION, "8a 3d 0x"),
    ("School term dates and information", EDUCATION, "8a"),
    ("Youth service", EDUCATION, "1c 8a 6d"),
    ("Childcare and early years register", EDUCATION, "8a 6c 1b"),
    ("Home to school transport", EDUCATION, "0c 8a"),
    ("School governor services", EDUCATION, "6b 8a 1c"),
    ("Music service", EDUCATION, "1c 4d 8a"),
    ("Schools' supplies procurement", EDUCATION, "5b 4b"),
    ("Teacher recruitment", EDUCATION, "0a 8a"),
    # Housing
    ("Housing register applications", HOUSING, "0a 8a"),
    ("Council house repairs", HOUSING, "0a 8a 4c 3b"),
    ("Council house rents", HOUSING, "2a 4a 8a"),
    ("Homelessness advice", HOUSING, "8a 0c"),
    ("Right to Buy", HOUSING, "0b 8a 2b"),
    ("Tenant participation", HOUSING, "3b 8a 6d"),
    ("Private sector housing renewal grants", HOUSING, "7c 8a 0d"),
    ("Houses in multiple occupation", HOUSING, "9d 8a"),
    ("Gypsy and traveller sites", HOUSING, "8a 0d"),
    ("Sheltered housing", HOUSING, "8a 1d"),
    ("Home energy efficiency advice", HOUSING, "8a 7d"),
    ("Housing estate management", HOUSING, "8a 0b"),
    # Regeneration and Culture
    ("Planning applications", REGENERATION, "0a 8a 3a 9b"),
    ("Building control", REGENERATION, "0b 8a 4c 9c"),
    ("Local land charges searches", REGENERATION, "0a 4a 8a"),
    ("Library loans and reservations", REGENERATION, "1a 8a 4b"),
    ("Library membership", REGENERATION, "0b 8a 6b"),
    ("Museums and galleries", REGENERATION, "8a 1b 4c"),
    ("Leisure centres", REGENERATION, "1b 4c 8a"),
    ("Sports development", REGENERATION, "8a 6b"),
    ("Parks and open spaces", REGENERATION, "8a 1c 3b"),
    ("Allotments", REGENERATION, "0c 8a 2d"),
    ("Bereavement services (cemeteries and crematorium)", REGENERATION, "8a 1d 4d"),
    ("Refuse collection", REGENERATION, "8a 0a 3a"),
    ("Bulky waste collection", REGENERATION, "0a 4c 8a"),
    ("Recycling", REGENERATION, "8a 3b"),
    ("Street cleansing", REGENERATION, "0a 8a"),
    ("Abandoned vehicles", REGENERATION, "0a 8a"),
    ("Highways maintenance", REGENERATION, "0a 8a"),
    ("Street lighting", REGENERATION, "0a 8a"),
    ("Residents' parking permits", REGENERATION, "0b 4c 9c"),
    ("Parking penalty charge notices", REGENERATION, "2b 4a 8a"),
    ("Concessionary travel passes", REGENERATION, "0b 8a"),
    ("Road safety", REGENERATION, "8a 1d"),
    ("Trading standards", REGENERATION, "8a 9x 0b"),
    ("Food safety", REGENERATION, "9c 8a 3d"),
    ("Pest control", REGENERATION, "0b 4b 8a"),
    ("Noise nuisance", REGENERATION, "0a 8a"),
    ("Pollution control", REGENERATION, "8a 9d"),
    ("Taxi and private hire licensing", REGENERATION, "9c 0c 8a 4d"),
    ("Premises licensing", REGENERATION, "9x 0d 8a"),
    ("Business support", REGENERATION, "8a 6b 7c"),
    ("Tourist information", REGENERATION, "8a 1b"),
    ("Markets", REGENERATION, "0d 8a 4d 2d"),
    ("Events and festivals", REGENERATION, "8a 1c"),
    ("Arts grants", REGENERATION, "7c 8a"),
    ("Public transport information", REGENERATION, "8a 3b"),
    # Resources, Access and Diversity
    ("Council Tax", RESOURCES, "2a 4a 8a 0a"),
    ("Council Tax Benefit", RESOURCES, "7b 0b 8a"),
    ("Housing Benefit", RESOURCES, "7b 0c 8a"),
    ("Business rates", RESOURCES, "2a 4a 8a"),
    ("Sundry debtors", RESOURCES, "2b 4b"),
    ("Electoral registration", RESOURCES, "0x 8a"),
    ("Elections", RESOURCES, "8a 9x"),
    ("Council meetings and minutes", RESOURCES, "8a 3a"),
    ("Complaints and compliments", RESOURCES, "0a 8a 3a"),
    ("Job vacancies", RESOURCES, "0a 8a"),
    ("Corporate procurement and tenders", RESOURCES, "5b 8a"),
    ("Births, deaths and marriages: certificates", RESOURCES, "0r 4r 8a"),
    ("Register office appointments", RESOURCES, "1r 8a"),
    ("Citizenship ceremonies", RESOURCES, "1r 8a"),
    ("Marriage and civil ceremonies", RESOURCES, "1r 8a 4c"),
    ("Customer Services Centres", RESOURCES, "8a 0a 3a"),
    ("Translation and interpreting", RESOURCES, "8a 0c"),
    ("Freedom of information requests", RESOURCES, "0b 8a"),
    # Social Care and Health
    ("Community care assessments", SOCIAL_CARE, "0x 8a 3d"),
    ("Meals on wheels", SOCIAL_CARE, "0b 4d 8a"),
    ("Blue badge parking", SOCIAL_CARE, "0b 8a"),
    ("Home care", SOCIAL_CARE, "0d 8a 4d"),
    ("Adoption and fostering", SOCIAL_CARE, "0x 8a 3c"),
    ("Day centres", SOCIAL_CARE, "1d 8a"),
    ("Disabled facilities grants", SOCIAL_CARE, "7c 8a 0c"),
    ("Children's services information", SOCIAL_CARE, "8a"),
    ("Welfare rights advice", SOCIAL_CARE, "8a 0b"),
    ("Carers' support", SOCIAL_CARE, "8a 7d"),
    ("Residential care charges", SOCIAL_CARE, "2c 4d 8a"),
    ("Aids and adaptations", SOCIAL_CARE, "0d 8a 4c"),
    ("Social care workforce training", SOCIAL_CARE, "1b 8a 6d"),
)

NOT_PERMISSIBLE_REASONS = {
    ("Special educational needs", 0): "Statutory assessment requires signed parental consent and professional reports",
    ("Trading standards", 9): "Enforcement and prosecution require inspection on the premises",
    ("Premises licensing", 9): "The Licensing Act process requires hearings and signed plans",
    ("Electoral registration", 0): "Registration requires a signed form under the Representation of the People Act",
    ("Elections", 9): "Voting and nominations are regulated by election law",
    ("Community care assessments", 0): "Assessment must be carried out in person (NHS and Community Care Act 1990)",
    ("Adoption and fostering", 0): "Applicants must be assessed in person",
}

CHANNELS_BY_PHASE = {
    "a": "web; email; telephone",
    "b": "web; email",
    "c": "web; telephone",
    "d": "web",
    "r": "web",
}


def _phase_date(phase: str, index: int) -> tuple[date | None, date | None]:
    """(enabled_on, forecast) for the index-th row of a phase, spread through its period."""
    spread = {
        "a": (d(1, 4, 2001), d(31, 12, 2003)),
        "b": (d(20, 1, 2004), d(31, 3, 2004)),
        "c": (d(30, 4, 2004), d(31, 3, 2005)),
        "d": (d(30, 4, 2005), d(31, 12, 2005)),
    }
    if phase == "r":
        return None, d(31, 12, 2005)
    first, last = spread[phase]
    span = (last - first).days
    when = first + timedelta(days=(index * 37) % (span + 1))
    when = min(max(month_end(when), first), last)  # end of month, as departments forecast
    return (when, None) if phase == "a" else (None, when)


def service_rows() -> list[dict[str, object]]:
    """The demo's service x interaction rows as plain values (department, dates, reason…)."""
    rows: list[dict[str, object]] = []
    counters: dict[str, int] = {}
    for name, department, spec in SERVICES:
        for token in spec.split():
            code, phase = int(token[:-1]), token[-1]
            row: dict[str, object] = {
                "service": name,
                "department": department,
                "interaction": code,
                "permissible": phase != "x",
                "reason": NOT_PERMISSIBLE_REASONS.get((name, code), "") if phase == "x" else "",
                "enabled_on": None,
                "forecast_on": None,
                "channels": CHANNELS_BY_PHASE.get(phase, ""),
                "waits_on_national_project": phase == "r",
            }
            if phase != "x":
                index = counters.get(phase, 0)
                counters[phase] = index + 1
                row["enabled_on"], row["forecast_on"] = _phase_date(phase, index)
            rows.append(row)
    return rows


def fill_demo(session: Session) -> None:
    """Write the demo plan into an empty plan's session (one transaction)."""
    plan = session.scalars(select(Plan)).one()  # the one row create_plan made, whatever its id
    plan.authority = "Leicester City Council"
    plan.title = "Best Value Review of e-Government Final Report and Improvement Plan"
    plan.report_of = "Service Director (ICT & Customer Access)"
    plan.status_date = STATUS_DATE
    plan.due_soon_days = 14
    plan.introduction = INTRODUCTION
    plan.scope = SCOPE
    plan.recommendations = RECOMMENDATIONS
    plan.review_method = REVIEW_METHOD
    plan.summary = SUMMARY
    plan.financial_implications = FINANCIAL
    plan.legal_implications = "None."
    plan.consultations = "Strategic Resource Group, Corporate Directors' Board, RAD Policy Board, Heads of ICT."
    plan.officer_name = "Jill Craig"
    plan.officer_role = "Service Director (ICT & Customer Access)"
    plan.key_decision = True
    plan.key_decision_reason = "Significant effect on two or more wards"
    plan.in_forward_plan = True
    plan.decision_maker = "Executive (Cabinet)"

    session.add_all(
        [
            Meeting(
                committee="Finance, Resources and Equal Opportunities Scrutiny", meets_on=d(22, 1, 2004), position=1
            ),
            Meeting(committee="Cabinet", meets_on=d(2, 2, 2004), position=2),
        ]
    )
    session.add_all(
        OtherImplication(topic=topic, applies=applies, paragraph_refs=refs, position=i)
        for i, (topic, applies, refs) in enumerate(IMPLICATIONS, start=1)
    )
    session.add_all(
        ConsultationEvidence(
            method=method,
            audience=audience,
            respondents=count,
            respondents_at_least=at_least,
            held_on=held,
            summary=summary,
            position=i,
        )
        for i, (method, audience, count, at_least, held, summary) in enumerate(CONSULTATION_EVIDENCE, start=1)
    )
    departments = {name: Department(name=name) for name in DEPARTMENTS}
    session.add_all(departments.values())
    people = {name: Person(name=name, job_title=title, department=departments[dept]) for name, title, dept in PEOPLE}
    session.add_all(people.values())
    session.flush()

    objectives: dict[str, Objective] = {}
    for position, (ref, title, description, lead) in enumerate(OBJECTIVES, start=1):
        objectives[ref] = Objective(
            ref=ref, title=title, description=description, lead_id=people[lead].id, position=position
        )
    session.add_all(objectives.values())
    session.flush()

    actions: dict[str, Action] = {}
    for position, (ref, objective, title, owner, start, due, status, done, pct, measure, resources) in enumerate(
        ACTIONS, start=1
    ):
        person = people[owner]
        actions[ref] = Action(
            objective_id=objectives[objective].id,
            ref=ref,
            title=title,
            owner_id=person.id,
            department_id=person.department_id,
            start=start,
            due=due,
            status=status,
            completed_on=done,
            percent_complete=pct,
            success_measure=measure,
            resources=resources,
            exempt_paragraph=EXEMPT.get(ref),
            position=position,
        )
    session.add_all(actions.values())
    session.flush()
    session.add_all(
        Dependency(predecessor_id=actions[pred].id, successor_id=actions[succ].id, kind=kind, lag_days=lag)
        for succ, pred, kind, lag in DEPENDENCIES
    )
    national = ExternalDependency(
        name=NATIONAL_PROJECT,
        organisation="General Register Office (national government)",
        expected_on=d(30, 6, 2006),
        confidence="low",
        last_checked_on=d(5, 1, 2004),
        notes="Registration Services cannot be e-enabled until the national project comes on line.",
    )
    gateway = ExternalDependency(
        name="Government Gateway authentication service",
        organisation="Office of the e-Envoy",
        expected_on=d(30, 9, 2003),
        confidence="high",
        last_checked_on=d(9, 1, 2004),
        delivered_on=d(1, 10, 2003),
        notes="National service the corporate authentication approach builds on; live for councils since October 2003.",
    )
    session.add_all([national, gateway])
    session.flush()
    session.add_all(
        [
            ActionExternal(action_id=actions["A1.6"].id, external_id=national.id),
            ActionExternal(action_id=actions["A2.1"].id, external_id=gateway.id),
        ]
    )
    recorded = datetime(2004, 1, 12, 9, 0)
    session.add_all(
        ProgressUpdate(
            action_id=actions[ref].id,
            reported_on=on,
            status=status,
            percent_complete=pct,
            note=note,
            author=author,
            recorded_at=recorded,
        )
        for ref, on, status, pct, note, author in PROGRESS
    )

    services: dict[str, Service] = {}
    for row in service_rows():
        name = str(row["service"])
        if name not in services:
            services[name] = Service(name=name, department=departments[str(row["department"])])
            session.add(services[name])
    session.flush()
    session.add_all(
        ServiceInteraction(
            service_id=services[str(row["service"])].id,
            interaction=row["interaction"],
            permissible=row["permissible"],
            reason=row["reason"],
            enabled_on=row["enabled_on"],
            forecast_on=row["forecast_on"],
            channels=row["channels"],
            external_id=national.id if row["waits_on_national_project"] else None,
        )
        for row in service_rows()
    )


def write_demo(path: Path, force: bool = False) -> None:
    """Write the demo plan to path. An existing file is replaced only with force (atomically)."""
    path = path.resolve()  # through a link: write the file it names, and leave the link a link
    if path.exists() and not force:
        raise PlanFileError(f"{path} already exists; use --force to replace it with the demo")
    if path.is_dir():
        raise PlanFileError(f"{path} is a folder")
    temp = path.with_name(f".{path.name}.demo-{os.getpid()}")
    if temp.exists():
        temp.unlink()
    try:
        create_plan(temp, on_created=fill_demo)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
