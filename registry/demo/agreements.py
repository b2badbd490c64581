"""The demonstration's agreements, as plain data: a month in a West Yorkshire sharing network.

Between them they are in every status an agreement can be in, carry special category and
criminal offence data, and owe obligations met, not met and overdue, with reviews and
obligations falling due at each reminder milestone. Dates are days from today, so the demo
always looks like this month. story.py drafts each one and moves it to its status through
the same services as everyone.
"""

from dataclasses import dataclass, field

from .data import BRADFORD, CALDERDALE, CHARITY, ICB, KIRKLEES, LEEDS, POLICE, WAKEFIELD

# Legal bases, by the code in the legal vocabulary (registry/legal/data/legal_bases.json).
PUBLIC_TASK = "UKGDPR-A6-1-E"
LEGITIMATE_INTERESTS = "UKGDPR-A6-1-F"  # open to a charity, not to a public authority's tasks
CARE = (PUBLIC_TASK, "UKGDPR-A9-2-H", "DPA2018-S1-P2")
SAFEGUARDING = (PUBLIC_TASK, "UKGDPR-A9-2-G", "DPA2018-S1-P18", "GW-CA2004-S11")
CRIME_AND_DISORDER = (PUBLIC_TASK, "UKGDPR-A10", "DPA2018-S1-P10", "GW-CDA1998-S115")
CHILDREN_AT_RISK = (PUBLIC_TASK, "UKGDPR-A10", "DPA2018-S1-P18", "GW-CA2004-S11")


@dataclass(frozen=True)
class PartySpec:
    code: str
    sharing_role: str
    legal_bases: tuple[str, ...]
    controller_role: str = "controller"


@dataclass(frozen=True)
class FlowSpec:
    source: str
    target: str
    dataset: str
    items: tuple[str, ...] | None = None  # None: every item of the dataset
    frequency: str = "periodic"
    method: str = "SFTP"
    volume: str = ""


@dataclass(frozen=True)
class ObligationSpec:
    owed_by: str
    owed_to: str | None  # None: owed to every other party
    type: str
    description: str
    due_in: int | None = None  # days from today of the (first) due date; None for an event
    every_months: int | None = None
    event: str = ""
    within_hours: int | None = None
    attested: str | None = None  # met, partly_met or not_met, once the agreement is in force
    note: str = ""


@dataclass(frozen=True)
class AgreementSpec:
    title: str
    lead: str
    status: str  # where story.py leaves it
    purpose: str
    functions_served: str
    benefits: str
    necessity: str
    parties: tuple[PartySpec, ...]
    flows: tuple[FlowSpec, ...] = ()
    obligations: tuple[ObligationSpec, ...] = ()
    start_in: int = 14
    review_in: int = 379
    end_in: int | None = None
    agreement_type: str = "information_sharing"
    terms: dict = field(default_factory=dict)  # what differs from story.TERMS
    withholding_reason: str = ""  # given: kept off the public register, for this reason
    by: str | None = None  # whose approver requests changes, suspends or terminates
    approved_by: tuple[str, ...] = ()  # partly approved: the parties that have approved so far
    amendment: dict = field(default_factory=dict)  # in force: sections an amendment changes, proposed and approved by the lead
    reason: str = ""


AGREEMENTS = (
    AgreementSpec(
        "Supporting Families: early help across West Yorkshire", LEEDS, "partly_approved",
        purpose="Identify families who would benefit from early help, and coordinate support between councils.",
        functions_served="Children's services, early help, housing", benefits="Families are helped sooner.",
        necessity="Matching needs only names, dates of birth and addresses; health needs are shared only with Bradford's social care.",
        parties=(PartySpec(LEEDS, "provider", SAFEGUARDING), PartySpec(BRADFORD, "recipient", SAFEGUARDING),
                 PartySpec(KIRKLEES, "recipient", (PUBLIC_TASK, "GW-CA2004-S10"))),
        flows=(FlowSpec(LEEDS, BRADFORD, "Early help case records", volume="About 300 families a month"),
               FlowSpec(LEEDS, KIRKLEES, "Early help case records", ("Name", "Date of birth", "Address", "School attendance"),
                        volume="About 120 families a month")),
        obligations=(
            ObligationSpec(BRADFORD, LEEDS, "security_standard", "Hold Cyber Essentials Plus and send Leeds the certificate each year.",
                           due_in=104, every_months=12),
            ObligationSpec(KIRKLEES, None, "breach_notification", "Tell the other councils' data protection officers.",
                           event="a personal data breach involving the shared data", within_hours=24),
        ),
        start_in=14, review_in=379, end_in=14 + 3 * 365, approved_by=(BRADFORD,),
    ),
    AgreementSpec(
        "Hospital discharge: housing adaptations for Leeds residents", LEEDS, "active",
        purpose="Arrange housing adaptations before residents leave hospital.", functions_served="Adult social care, housing",
        benefits="Fewer delayed discharges.", necessity="Only names, addresses and the adaptation needed are shared.",
        parties=(PartySpec(LEEDS, "provider", (PUBLIC_TASK,)), PartySpec(BRADFORD, "recipient", (PUBLIC_TASK,))),
        flows=(FlowSpec(LEEDS, BRADFORD, "Early help case records", ("Name", "Address"), "on_request", "Secure email",
                        "About 20 residents a month"),),
        obligations=(
            # Due ten days ago and nobody has attested: Leeds sees it overdue to it.
            ObligationSpec(BRADFORD, LEEDS, "security_standard",
                           "Complete the Data Security and Protection Toolkit each year and send Leeds the result.",
                           due_in=-10, every_months=12),
            ObligationSpec(LEEDS, BRADFORD, "data_quality", "Check addresses against the council tax register before sending.",
                           due_in=45),
        ),
        start_in=-100, review_in=80,
        terms={"retention": "Deleted six months after the adaptation is complete.", "breach_notification_hours": 72},
        amendment={"terms": {"retention": "Deleted three months after the adaptation is complete.",
                             "security_measures": "Sent through the councils' secure portal, no longer by email; role-based access."}},
    ),
    AgreementSpec(
        "Operation Encompass: domestic abuse notifications for schools", POLICE, "active",
        purpose="Tell a child's school, through the council's safeguarding team, before the next school day "
                "that police attended a domestic abuse incident at the child's home.",
        functions_served="Policing, safeguarding children, education", benefits="Schools can support children the morning after.",
        necessity="Only the child's name, address and the incident summary are sent; the victim's details stay with the police.",
        parties=(PartySpec(POLICE, "provider", CRIME_AND_DISORDER),
                 *(PartySpec(code, "recipient", CHILDREN_AT_RISK) for code in (LEEDS, BRADFORD, KIRKLEES, CALDERDALE, WAKEFIELD))),
        flows=tuple(FlowSpec(POLICE, code, "Domestic abuse incident notifications",
                             ("Address", "Children in the household", "Incident summary"), "continuous", "Secure portal",
                             "About 40 notifications a week")
                    for code in (LEEDS, BRADFORD, KIRKLEES, CALDERDALE, WAKEFIELD)),
        obligations=(
            ObligationSpec(POLICE, None, "breach_notification", "Tell every council's data protection officer.",
                           event="a personal data breach involving the notifications", within_hours=24),
            ObligationSpec(LEEDS, POLICE, "retention", "Confirm each year that notifications older than the child's "
                           "time at school have been deleted.", due_in=-35, every_months=12, attested="met",
                           note="Deletion run on the safeguarding system; report LCC-IG-2026-31."),
            ObligationSpec(BRADFORD, POLICE, "retention", "Confirm each year that notifications older than the child's "
                           "time at school have been deleted.", due_in=-35, every_months=12, attested="not_met",
                           note="The deletion job failed on 1,200 archived records; a fix is due by the end of next month."),
            ObligationSpec(KIRKLEES, POLICE, "retention", "Confirm each year that notifications older than the child's "
                           "time at school have been deleted.", due_in=-5, every_months=12),
            ObligationSpec(CALDERDALE, POLICE, "subject_rights", "Send the police any request about a notification within five working days.",
                           due_in=6),
        ),
        start_in=-400, review_in=20, agreement_type="disclosure",
    ),
    AgreementSpec(
        "Population health management: frailty and care needs", ICB, "under_review",
        purpose="Find residents at risk of a fall or a crisis, and plan care with the councils' adult social care teams.",
        functions_served="NHS commissioning, adult social care", benefits="Fewer emergency admissions of frail residents.",
        necessity="Pseudonymised until a care team needs to act; only the frailty score and conditions that explain it.",
        parties=(PartySpec(ICB, "both", (*CARE, "GW-HSCA2012-S251B"), "joint_controller"),
                 PartySpec(LEEDS, "both", (*CARE, "GW-CARE2014-S6"), "joint_controller"),
                 PartySpec(WAKEFIELD, "recipient", (*CARE, "GW-CARE2014-S6"), "joint_controller")),
        flows=(FlowSpec(ICB, LEEDS, "Population health extract", volume="About 9,000 residents a month"),
               FlowSpec(ICB, WAKEFIELD, "Population health extract", volume="About 4,000 residents a month"),
               FlowSpec(LEEDS, ICB, "Adult social care client index", volume="About 2,500 clients a month")),
        obligations=(
            ObligationSpec(ICB, None, "security_standard", "Publish a Data Security and Protection Toolkit "
                           "assessment of Standards Met each year.", due_in=-60, every_months=12, attested="met",
                           note="DSPT 2025-26 published: Standards Met."),
            ObligationSpec(LEEDS, ICB, "data_quality", "Match clients to NHS numbers before each monthly extract.",
                           due_in=-20, every_months=1, attested="met", note="98% matched this month."),
        ),
        start_in=-370, review_in=-5, agreement_type="joint_controller",
    ),
    AgreementSpec(
        "Council tax single person discount review", CALDERDALE, "expired",
        purpose="Check single person discounts against Kirklees's housing records for residents who moved between the councils.",
        functions_served="Council tax", benefits="Discounts go to those entitled to them.",
        necessity="Names and addresses only, for residents who moved between the two councils.",
        parties=(PartySpec(CALDERDALE, "provider", (PUBLIC_TASK, "GW-LGA1972-S111")),
                 PartySpec(KIRKLEES, "recipient", (PUBLIC_TASK, "GW-LGA1972-S111"))),
        flows=(FlowSpec(CALDERDALE, KIRKLEES, "Council tax accounts", frequency="one_off", volume="About 3,000 accounts"),),
        start_in=-740, review_in=-375, end_in=-12, agreement_type="disclosure",
    ),
    AgreementSpec(
        "Health checks for households in temporary accommodation", WAKEFIELD, "suspended",
        purpose="Offer a GP health check to every household placed in temporary accommodation.",
        functions_served="Housing, primary care", benefits="Health problems found before they become emergencies.",
        necessity="Only households in temporary accommodation, and only the support needs they agreed to share.",
        parties=(PartySpec(WAKEFIELD, "provider", CARE), PartySpec(ICB, "recipient", CARE)),
        flows=(FlowSpec(WAKEFIELD, ICB, "Homelessness casework", frequency="periodic", volume="About 150 households a month"),),
        obligations=(
            ObligationSpec(WAKEFIELD, ICB, "security_standard", "Pass an annual penetration test of the transfer server.",
                           due_in=-15, every_months=12, attested="not_met",
                           note="The test found an out-of-date TLS setting; the supplier fixes it this month."),
        ),
        start_in=-200, review_in=165, by=ICB,
        reason="The transfer server failed its penetration test: sharing is paused until the fix is verified.",
    ),
    AgreementSpec(
        "Family support referrals to Aire Valley Family Support", LEEDS, "terminated",
        purpose="Refer families to the charity's family support workers.", functions_served="Early help",
        benefits="Families get support within a week.", necessity="Only the contact details and the reason for the referral.",
        parties=(PartySpec(LEEDS, "provider", (PUBLIC_TASK, "GW-CA2004-S10")),
                 PartySpec(CHARITY, "recipient", (LEGITIMATE_INTERESTS,))),
        flows=(FlowSpec(LEEDS, CHARITY, "Early help case records", ("Name", "Address"), "on_request", "Secure email",
                        "About 30 families a month"),),
        start_in=-500, review_in=-135, by=LEEDS,
        reason="The commissioned service ended on 31 October; the charity confirmed it has deleted the shared records.",
    ),
    AgreementSpec(
        "Prevent: Channel panel referrals", KIRKLEES, "draft",
        purpose="Share what the Channel panel needs to assess a referral of someone at risk of being drawn into terrorism.",
        functions_served="Prevent duty, safeguarding", benefits="Support is offered before harm is done.",
        necessity="Only what the panel needs for one referral, case by case.",
        parties=(PartySpec(KIRKLEES, "both", (PUBLIC_TASK, "GW-CTSA2015-S36")),
                 PartySpec(POLICE, "both", (PUBLIC_TASK, "GW-CTSA2015-S36"))),
        withholding_reason="Publishing the details could prejudice the prevention of terrorism.",
    ),
    AgreementSpec(
        "Carers' support: referrals from Calderdale to Aire Valley Family Support", CALDERDALE, "changes_requested",
        purpose="Refer unpaid carers, with their consent, to the charity's carers' support service.",
        functions_served="Adult social care", benefits="Carers get a break and advice sooner.",
        necessity="Only carers who agreed; their own health only where it shapes the support.",
        parties=(PartySpec(CALDERDALE, "provider", (*CARE, "GW-CARE2014-S6")),
                 PartySpec(CHARITY, "recipient", (LEGITIMATE_INTERESTS, "UKGDPR-A9-2-H", "DPA2018-S1-P2"))),
        flows=(FlowSpec(CALDERDALE, CHARITY, "Carers' assessments", frequency="on_request", method="Secure email",
                        volume="About 25 carers a month"),),
        obligations=(ObligationSpec(CHARITY, CALDERDALE, "retention", "Delete a carer's records a year after support ends.",
                                    due_in=380, every_months=12),),
        start_in=30, review_in=395, by=CHARITY,
        reason="Our policy keeps carers' health details for 12 months after a referral closes; the draft says six years. "
               "Please change the retention terms to match.",
        terms={"retention": "Kept for six years after the referral closes."},
    ),
    AgreementSpec(
        "Winter resilience: vulnerable residents list for emergencies", WAKEFIELD, "proposed",
        purpose="Know who needs a welfare check in a flood, a power cut or heavy snow.",
        functions_served="Civil contingencies, adult social care, policing", benefits="Help reaches the most vulnerable first.",
        necessity="The list is opened only during a declared emergency.",
        parties=(PartySpec(WAKEFIELD, "both", (PUBLIC_TASK, "UKGDPR-A9-2-C")),
                 PartySpec(ICB, "provider", (PUBLIC_TASK, "UKGDPR-A9-2-C", "GW-HSCA2012-S251B")),
                 PartySpec(POLICE, "recipient", (PUBLIC_TASK,))),
        flows=(FlowSpec(ICB, WAKEFIELD, "Population health extract", ("NHS number", "Postcode", "Frailty score"), volume="About 6,000 residents"),
               FlowSpec(WAKEFIELD, POLICE, "Homelessness casework", ("Name", "Address"), "on_request", "Secure portal",
                        "Only during an emergency")),
        start_in=21, review_in=21 + 180,
    ),
    AgreementSpec(
        "Children missing education: attendance between Bradford and Kirklees", BRADFORD, "approved",
        purpose="Find children who moved between the two councils and are missing from school.",
        functions_served="Education welfare", benefits="Children are back in school sooner.",
        necessity="Only pupils who left a school without a known destination.",
        parties=(PartySpec(BRADFORD, "provider", (PUBLIC_TASK, "GW-EA1996-S436A")),
                 PartySpec(KIRKLEES, "recipient", (PUBLIC_TASK, "GW-EA1996-S436A"))),
        flows=(FlowSpec(BRADFORD, KIRKLEES, "Pupil attendance returns", volume="About 60 pupils a term"),),
        start_in=10, review_in=375, agreement_type="disclosure",
    ),
    AgreementSpec(
        "MARAC: high-risk domestic abuse cases in Leeds", LEEDS, "active",
        purpose="Share what the multi-agency risk assessment conference needs to make a safety plan for each high-risk victim.",
        functions_served="Community safety, safeguarding, policing", benefits="Victims at high risk get a plan within days.",
        necessity="Only cases assessed as high risk, and only what each agency needs for the plan.",
        parties=(PartySpec(LEEDS, "both", (*SAFEGUARDING, "UKGDPR-A10")), PartySpec(POLICE, "provider", CRIME_AND_DISORDER),
                 PartySpec(CHARITY, "recipient", (LEGITIMATE_INTERESTS, "UKGDPR-A9-2-G", "DPA2018-S1-P18"))),
        flows=(FlowSpec(POLICE, LEEDS, "Domestic abuse incident notifications", frequency="continuous", method="Secure portal",
                        volume="About 60 cases a month"),
               FlowSpec(POLICE, CHARITY, "Domestic abuse incident notifications", ("Victim's name", "Address", "Risk level"),
                        "on_request", "Secure portal", "About 20 cases a month"),
               FlowSpec(LEEDS, CHARITY, "Early help case records", ("Name", "Address", "Health needs"), "on_request",
                        "Secure email", "About 20 cases a month")),
        obligations=(
            ObligationSpec(POLICE, None, "breach_notification", "Tell the other parties' data protection officers.",
                           event="a personal data breach involving MARAC records", within_hours=24),
            ObligationSpec(CHARITY, LEEDS, "security_standard", "Hold Cyber Essentials and train staff in data protection each year.",
                           due_in=-40, every_months=12, attested="partly_met",
                           note="Cyber Essentials renewed; two new caseworkers finish their training next week."),
            ObligationSpec(LEEDS, None, "retention", "Delete MARAC minutes two years after the case closes.",
                           due_in=-60, every_months=12, attested="met", note="Annual deletion done; certificate LCC-RET-0926."),
        ),
        start_in=-300, review_in=25,
    ),
    AgreementSpec(
        "Drug and alcohol treatment outcomes for public health", KIRKLEES, "active",
        purpose="Measure how people fare after treatment, to commission better services.",
        functions_served="Public health, NHS commissioning", benefits="Money goes to the treatment that works.",
        necessity="NHS number and outcome only; no names.",
        parties=(PartySpec(KIRKLEES, "provider", (PUBLIC_TASK, "UKGDPR-A9-2-I", "DPA2018-S1-P3")),
                 PartySpec(ICB, "recipient", (PUBLIC_TASK, "UKGDPR-A9-2-I", "DPA2018-S1-P3", "GW-HSCA2012-S251B"))),
        flows=(FlowSpec(KIRKLEES, ICB, "Drug and alcohol service records", volume="About 800 people a quarter"),),
        obligations=(
            ObligationSpec(KIRKLEES, ICB, "data_quality", "Send the quarterly extract with every NHS number verified.",
                           due_in=5, every_months=3),
            ObligationSpec(ICB, KIRKLEES, "retention", "Delete the pilot extract once the evaluation is published.",
                           due_in=-3),
        ),
        start_in=-160, review_in=200,
    ),
)
