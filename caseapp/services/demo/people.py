"""People: names (frequency-weighted surnames, given names in the fashion of each birth cohort,
Uyghur names with the middle dot), valid resident ID numbers and phone numbers, all unique across a
demo dataset."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate

from caseapp.services.demo.common import people_data
from caseapp.validation import MIDDLE_DOT, id_check_char

# Mobile number blocks in use in Guangdong (China Mobile, Unicom, Telecom, incl. the 19x blocks).
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
                   "178", "182", "183", "184", "187", "188", "198", "130", "131", "132", "155", "156", "166",
                   "175", "176", "185", "186", "133", "153", "173", "177", "180", "181", "189", "191", "199")

# Divisions abolished in 2014 whose codes are still on the IDs of people registered there earlier.
FORMER_CODES = {"440118": "440183", "440117": "440184", "440112": "440116"}


@dataclass
class Registry:
    """ID and phone numbers already handed out: a dataset never has two people with one number."""

    ids: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


@cache
def _surnames() -> tuple[tuple[str, ...], tuple[float, ...]]:
    rows = people_data()["surnames"]
    return tuple(r[0] for r in rows), tuple(accumulate(float(r[1]) for r in rows))


def cohort(birth_year: int) -> str:
    return "1900" if birth_year < 1960 else "1960" if birth_year < 1985 else "1985" if birth_year < 2005 else "2005"


def surname(rng: random.Random) -> str:
    names, cumulative = _surnames()
    return rng.choices(names, cum_weights=cumulative)[0]


def family_of(name: str) -> str:
    """The surname of a Han name (compound surnames such as 欧阳 and 司徒 included)."""
    return name[:2] if len(name) > 2 and name[:2] in _surnames()[0] else name[:1]


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    pools = people_data()["given"][sex][cohort(birth_year)]
    if rng.random() < 0.12:
        return str(rng.choice(pools["single"]))
    return str(rng.choice(pools["first"]) + rng.choice(pools["second"]))


def han_name(rng: random.Random, sex: str, birth_year: int, family: str | None = None) -> str:
    return (family or surname(rng)) + given_name(rng, sex, birth_year)


def uyghur_given(rng: random.Random, sex: str) -> str:
    return str(rng.choice(people_data()["uyghur"][sex]))


def uyghur_name(rng: random.Random, sex: str, father: str | None = None) -> str:
    """Own name · father's name (Uyghur names have no surname; children carry the father's name)."""
    return uyghur_given(rng, sex) + MIDDLE_DOT + (father or uyghur_given(rng, "M"))


def birth_date(rng: random.Random, today: dt.date, age: int) -> dt.date:
    """A birth date giving ``age`` full years today (and at least a month ago for babies)."""
    latest = _years_before(today, age) - dt.timedelta(days=1 if age else 30)
    earliest = _years_before(today, age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def id_area(rng: random.Random, district: str, born: dt.date) -> str:
    """The address code on a Guangzhou-born person's ID: the district, or for those registered
    before 2014 in 增城, 从化 or 萝岗 the code of the division that issued it."""
    former = FORMER_CODES.get(district)
    if former and born.year < 2014 and (district != "440112" or (born.year >= 2005 and rng.random() < 0.5)):
        return former
    return district


def id_number(rng: random.Random, registry: Registry, area: str, born: dt.date, sex: str) -> str:
    """A valid, unused 18-digit ID: the sequence's last digit is odd for men, even for women."""
    seq = rng.randrange(0, 1000)
    while True:
        if (seq % 2 == 1) != (sex == "M"):
            seq = (seq + 1) % 1000
        first17 = f"{area}{born:%Y%m%d}{seq:03d}"
        number = first17 + id_check_char(first17)
        if number not in registry.ids:
            registry.ids.add(number)
            return number
        seq = (seq + 2) % 1000


def mobile(rng: random.Random, registry: Registry) -> str:
    while True:
        number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if number not in registry.phones:
            registry.phones.add(number)
            return number


def landline(rng: random.Random, registry: Registry) -> str:
    """A Guangzhou fixed line in the canonical form 020-XXXXXXXX (local numbers start 2-8)."""
    while True:
        number = f"020-{rng.randint(2, 8)}{rng.randrange(10**7):07d}"
        if number not in registry.phones:
            registry.phones.add(number)
            return number
