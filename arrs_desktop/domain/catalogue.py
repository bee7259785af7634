"""Fixed vocabularies of the product: needs, roles, and the coded lists the log uses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    """One entry of the needs catalogue."""

    id: str
    group: str
    label: str
    meaning: str
    plan_text: str = ""  # the need in the person's own words, for the care and support plan


@dataclass(frozen=True)
class Role:
    """One of the three personalised-care roles."""

    code: str
    name: str
    short_name: str
    colour: str


NEED_GROUPS: tuple[str, ...] = (
    "Social and emotional",
    "Navigating care",
    "Long-term conditions",
    "Self-management",
)

NEEDS: tuple[Need, ...] = (
    Need("loneliness", NEED_GROUPS[0], "Lonely or isolated",
         "Feels lonely or cut off from other people.",
         plan_text="I feel lonely or cut off from other people."),
    Need("complex_social", NEED_GROUPS[0], "Complex social needs",
         "Problems with housing, money, debt, benefits or work.",
         plan_text="I have worries about housing, money, debt, benefits or work."),
    Need("mental_health", NEED_GROUPS[0], "Mental health needs",
         "Low mood, anxiety or stress.",
         plan_text="I have been feeling low, anxious or stressed."),
    Need("community_interest", NEED_GROUPS[0], "Wants community activity",
         "Would like to join in with arts, sport, nature or volunteering.",
         plan_text="I would like to join in with things near me, like arts, sport, nature"
                   " or volunteering."),
    Need("low_control", NEED_GROUPS[0], "Feels stuck",
         "Feels stuck and wants more say over their own life.",
         plan_text="I feel stuck and would like more say over my own life."),
    Need("carer_strain", NEED_GROUPS[0], "Struggling carer",
         "Looks after someone without pay and is finding it hard.",
         plan_text="I look after someone and I am finding it hard."),
    Need("frail_elderly", NEED_GROUPS[1], "Frail or elderly",
         "Older and frail, or at risk of losing independence.",
         plan_text="I would like to stay independent and well at home."),
    Need("many_appointments", NEED_GROUPS[1], "Many appointments",
         "Has a lot of appointments across different services.",
         plan_text="I have a lot of appointments with different services."),
    Need("care_home", NEED_GROUPS[1], "Lives in a care home",
         "Is a resident of a care home.",
         plan_text="I live in a care home and would like support there."),
    Need("navigation", NEED_GROUPS[1], "Hard to find their way",
         "Finds it hard to find their way around health and care services.",
         plan_text="I find it hard to find my way around health and care services."),
    Need("follow_up", NEED_GROUPS[1], "Needs follow-up",
         "Needs a follow-up after appointments, or help to understand a condition.",
         plan_text="I would like help after my appointments, or to understand my"
                   " condition better."),
    Need("vulnerable", NEED_GROUPS[1], "Particularly vulnerable",
         "Is particularly vulnerable and needs someone keeping an eye out.",
         plan_text="I would like someone to keep an eye out for me."),
    Need("multi_service", NEED_GROUPS[1], "Several services involved",
         "Needs care joined up across several services.",
         plan_text="Several services help me and I would like my care joined up."),
    Need("multiple_ltc", NEED_GROUPS[2], "Two or more long-term conditions",
         "Lives with two or more long-term conditions.",
         plan_text="I have more than one long-term condition."),
    Need("chronic_condition", NEED_GROUPS[2], "Chronic condition",
         "Lives with a chronic condition.",
         plan_text="I live with a long-term condition."),
    Need("type2_diabetes", NEED_GROUPS[2], "Type 2 diabetes",
         "Has type 2 diabetes.",
         plan_text="I have type 2 diabetes."),
    Need("copd", NEED_GROUPS[2], "COPD",
         "Has chronic obstructive pulmonary disease (COPD).",
         plan_text="I have COPD, a long-term lung condition."),
    Need("ltc_risk", NEED_GROUPS[2], "At risk of a long-term condition",
         "Is at risk of developing a long-term condition.",
         plan_text="I would like to lower my risk of a long-term condition."),
    Need("physical_health", NEED_GROUPS[2], "Physical health affects daily life",
         "A physical health condition gets in the way of daily life.",
         plan_text="A health condition gets in the way of my daily life."),
    Need("behaviour_change", NEED_GROUPS[3], "Wants to change a habit",
         "Wants to change a behaviour: activity, diet, smoking or alcohol.",
         plan_text="I would like to change a habit, such as being more active, eating"
                   " well, smoking or drinking."),
    Need("goal_setting", NEED_GROUPS[3], "Wants help with health goals",
         "Wants help to set their own health goals and reach them.",
         plan_text="I would like help to set my own health goals and reach them."),
    Need("low_confidence", NEED_GROUPS[3], "Low confidence managing health",
         "Lacks the confidence or know-how to manage their own health.",
         plan_text="I would like more confidence in looking after my own health."),
)

NEED_IDS: tuple[str, ...] = tuple(n.id for n in NEEDS)
NEEDS_BY_ID: dict[str, Need] = {n.id: n for n in NEEDS}

ROLES: tuple[Role, ...] = (
    Role("splw", "Social Prescribing Link Worker", "Link worker", "#00A499"),
    Role("cc", "Care Coordinator", "Care coordinator", "#330072"),
    Role("hwbc", "Health and Wellbeing Coach", "Health coach", "#ED8B00"),
)
ROLE_CODES: tuple[str, ...] = tuple(r.code for r in ROLES)
ROLES_BY_CODE: dict[str, Role] = {r.code: r for r in ROLES}

REFERRAL_SOURCES: dict[str, str] = {
    "gp": "GP",
    "practice_nurse": "Practice nurse",
    "other_clinician": "Other clinician",
    "self": "Self-referral",
    "care_home": "Care home",
    "hospital_discharge": "Hospital discharge",
    "social_care": "Social care",
    "community_group": "Community group",
    "other": "Other",
}

EPISODE_STATUSES: dict[str, str] = {
    "referred": "Referred",
    "active": "Active",
    "on_hold": "On hold",
    "closed": "Closed",
    "declined": "Declined",
}
OPEN_STATUSES: tuple[str, ...] = ("referred", "active", "on_hold")

# Allowed status moves: from -> set of to.
EPISODE_TRANSITIONS: dict[str, frozenset[str]] = {
    "referred": frozenset({"active", "declined", "closed"}),
    "active": frozenset({"on_hold", "closed"}),
    "on_hold": frozenset({"active", "closed"}),
    "closed": frozenset(),
    "declined": frozenset(),
}

CLOSURE_REASONS: dict[str, str] = {
    "goals_met": "Goals met",
    "disengaged": "Disengaged / did not attend",
    "moved_away": "Moved away",
    "referred_on": "Referred on",
    "died": "Died",
    "other": "Other",
}

SESSION_KINDS: dict[str, str] = {
    "assessment": "Assessment",
    "follow_up": "Follow-up",
    "review": "Review",
    "discharge": "Discharge",
    "did_not_attend": "Did not attend / no answer",
}

# A session of this kind records a missed contact: it is not a contact (no first contact, no
# contact figures), takes no ONS4 or goal scores, and its minutes may be left blank (0).
DID_NOT_ATTEND = "did_not_attend"

SESSION_MODES: dict[str, str] = {
    "face_to_face": "Face to face",
    "telephone": "Telephone",
    "video": "Video",
    "home_visit": "Home visit",
    "care_home_visit": "Care-home visit",
    "group": "Group",
}

GOAL_STATUSES: dict[str, str] = {
    "active": "Active",
    "achieved": "Achieved",
    "stopped": "Stopped",
}

CARE_HOME_CONTACT_KINDS: dict[str, str] = {
    "weekly_check_in": "Weekly check-in",
    "home_round": "Home round / MDT",
    "phone": "Phone call",
    "visit": "Visit",
}

ASSET_CATEGORIES: dict[str, str] = {
    "arts_culture": "Arts & culture",
    "sport_activity": "Sport & physical activity",
    "nature_gardening": "Nature & gardening",
    "befriending": "Befriending",
    "advice": "Advice (debt, housing, benefits)",
    "volunteering": "Volunteering",
    "peer_support": "Peer support",
    "mental_health_support": "Mental health support",
    "learning_skills": "Learning & skills",
    "carers_support": "Carers' support",
}

REFERRAL_OUTCOMES: dict[str, str] = {
    "pending": "Pending",
    "attended": "Attended",
    "did_not_attend": "Did not attend",
    "declined": "Declined",
}

GENDERS: dict[str, str] = {
    "female": "Female",
    "male": "Male",
    "non_binary": "Non-binary",
    "other": "Other",
    "not_stated": "Not stated",
}

PREFERRED_CONTACT: dict[str, str] = {
    "phone": "Phone",
    "text": "Text message",
    "email": "Email",
    "letter": "Letter",
    "in_person": "In person",
}

# The NHS ethnic categories (NHS Data Dictionary, 2001 census groups), stored as these words.
ETHNIC_CATEGORIES: tuple[str, ...] = (
    "White: British",
    "White: Irish",
    "White: any other White background",
    "Mixed: White and Black Caribbean",
    "Mixed: White and Black African",
    "Mixed: White and Asian",
    "Mixed: any other mixed background",
    "Asian or Asian British: Indian",
    "Asian or Asian British: Pakistani",
    "Asian or Asian British: Bangladeshi",
    "Asian or Asian British: any other Asian background",
    "Black or Black British: Caribbean",
    "Black or Black British: African",
    "Black or Black British: any other Black background",
    "Other ethnic groups: Chinese",
    "Other ethnic groups: any other ethnic group",
    "Not stated",
)

# ONS4 personal well-being items, in the order they are asked. Never totalled.
ONS4_ITEMS: dict[str, str] = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Things you do are worthwhile",
    "happy": "Happy yesterday",
    "anxious": "Anxious yesterday (higher is worse)",
}

# SNOMED CT concepts shipped with the product (confirmed ids only).
SP_REFERRAL_CODE = "871731000000106"
SP_DECLINED_CODE = "871711000000103"
SHIPPED_GP_CODES: tuple[tuple[str, str, str], ...] = (
    (SP_REFERRAL_CODE, "Referral to social prescribing service", "splw_first_contact"),
    (SP_DECLINED_CODE, "Social prescribing declined", "splw_declined"),
)
