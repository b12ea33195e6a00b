"""Macao's schemes for Macao residents in the Greater Bay Area: the rule of the
medical insurance subsidy's eligibility check, as a pure function.

The Medical Insurance Subsidy Programme for Macao SAR residents living on the
mainland (Administrative Regulation 16/2020; amount: Chief Executive's Dispatch
204/2021; area: Dispatch 148/2022, from 16 August 2022 the nine mainland cities
of the Greater Bay Area). An applicant must, all at once:

- live in one of the nine cities;
- hold a Residence Permit for Hong Kong and Macao Residents and a (valid or
  renewable) Macao resident identity card;
- have joined the basic medical insurance there and paid the premium (the
  subsidy repays what the person paid, up to MOP 1,000 a year);
- be 65 or over, 10 or under, a primary or secondary school student, or a person
  with a disability who meets the conditions for Macao's disability allowance.

The Health Bureau decides; the check says "you appear to qualify", never more.
Sources and the figures (MOP) are in the MacaoScheme rows (admin-editable).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

# The area of the programme since 16 August 2022 (Dispatch 148/2022).
NINE_CITIES = [
    ("guangzhou", _("Guangzhou")),
    ("shenzhen", _("Shenzhen")),
    ("zhuhai", _("Zhuhai")),
    ("foshan", _("Foshan")),
    ("huizhou", _("Huizhou")),
    ("dongguan", _("Dongguan")),
    ("zhongshan", _("Zhongshan")),
    ("jiangmen", _("Jiangmen")),
    ("zhaoqing", _("Zhaoqing")),
]
ELSEWHERE = [
    ("macao", _("Macao")),
    ("hong_kong", _("Hong Kong")),
    ("other_mainland", _("Elsewhere on the mainland")),
]
OLDEST_CHILD_AGE = 10
ELDER_AGE = 65

MESSAGES = {
    "lives_elsewhere": _("You must live in one of the nine mainland cities of the Greater Bay Area."),
    "no_permit": _("You need a Residence Permit for Hong Kong and Macao Residents."),
    "no_macao_id": _("You need a Macao resident identity card (valid or renewable)."),
    "not_insured": _("You must first join the basic medical insurance where you live and pay this year's premium: the subsidy repays what you paid."),
    "no_group": _("You must be 65 or over, 10 or under, a primary or secondary school student, or a person with a disability who meets the conditions for Macao's disability allowance."),
    "elder": _("You are 65 or over."),
    "child": _("You are 10 or under."),
    "student": _("You are a primary or secondary school student."),
    "disability": _("You meet the conditions for Macao's disability allowance."),
}


def age_on(date_of_birth: date, on: date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


@dataclass(frozen=True)
class InsuranceCheck:
    eligible: bool
    missing: list[str] = field(default_factory=list)    # keys of MESSAGES: what is missing
    qualifies_by: list[str] = field(default_factory=list)  # keys of MESSAGES: the groups met
    age: int | None = None

    @property
    def missing_messages(self) -> list[str]:
        return [str(MESSAGES[key]) for key in self.missing]

    @property
    def qualifying_messages(self) -> list[str]:
        return [str(MESSAGES[key]) for key in self.qualifies_by]


def insurance_subsidy_check(*, lives_in: str, has_residence_permit: bool, has_macao_id: bool, insured: bool,
                            date_of_birth: date | None, student: bool, disability_allowance: bool,
                            on: date) -> InsuranceCheck:
    """Whether a Macao resident appears to qualify for the medical insurance
    subsidy on day `on`, what is missing, and by which group they qualify."""
    missing = []
    if lives_in not in dict(NINE_CITIES):
        missing.append("lives_elsewhere")
    if not has_residence_permit:
        missing.append("no_permit")
    if not has_macao_id:
        missing.append("no_macao_id")
    if not insured:
        missing.append("not_insured")
    age = age_on(date_of_birth, on) if date_of_birth else None
    groups = []
    if age is not None and age >= ELDER_AGE:
        groups.append("elder")
    if age is not None and age <= OLDEST_CHILD_AGE:
        groups.append("child")
    if student:
        groups.append("student")
    if disability_allowance:
        groups.append("disability")
    if not groups:
        missing.append("no_group")
    return InsuranceCheck(eligible=not missing, missing=missing, qualifies_by=groups, age=age)
