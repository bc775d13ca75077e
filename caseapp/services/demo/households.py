"""Households and their members: who lives together (with ages that fit their relationships),
names, ID numbers, health, disability, work and income."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from caseapp.domain import Household, IncomeItem, Member
from caseapp.domain.households import SELF_CARE_ITEMS, self_care_result
from caseapp.services.demo import people as pp
from caseapp.services.demo.common import Grid, chance, money, people_data, pick, places_data, record
from caseapp.services.validate import code_of

# Household shapes and how common they are among the households a community keeps on file.
COMPOSITIONS: list[tuple[str, float]] = [
    ("alone_elder", 7), ("elder_couple", 9), ("single", 10), ("couple", 9), ("nuclear", 36),
    ("single_parent", 5), ("three_generations", 11), ("elder_head_family", 10), ("skipped_generation", 3),
]
DISABILITY_TYPES: list[tuple[str, float]] = [("1", 12), ("2", 20), ("3", 2), ("4", 35), ("5", 8), ("6", 10), ("7", 13)]
DISABILITY_GRADES: list[tuple[str, float]] = [("1", 10), ("2", 20), ("3", 35), ("4", 35)]
POVERTY_REASONS = ("因病", "因残", "缺乏劳动力", "失业", "年老体弱", "子女就学", "意外事故")


@dataclass
class Person:
    role: str  # head / spouse / child / parent / child_in_law / grandchild
    sex: str
    age: int
    name: str = ""
    born: dt.date | None = None
    member: Any = None
    disabled_grade: str | None = None
    health: str = "healthy"

    @property
    def severe(self) -> bool:
        """Seriously ill or with a grade 1-2 disability: cannot be expected to work."""
        return self.health == "serious" or self.disabled_grade in ("1", "2")


@dataclass
class HouseholdDraft:
    """A generated household with what later generators (cases, elders, events) need to know."""

    household: Any
    people: list[Person]
    grid: Grid
    composition: str
    register_type: str
    economic: str  # dibao / tekun / low_income / normal
    incomes: list[Any] = field(default_factory=list)

    @property
    def monthly_income(self) -> Decimal:
        return sum((i.monthly_amount for i in self.incomes), Decimal("0"))

    @property
    def members(self) -> list[Any]:
        return [p.member for p in self.people]


def _skeleton(rng: random.Random, composition: str) -> list[Person]:
    """Roles, sexes and ages that fit together (a mother is 20-40 years older than her children …)."""
    def kids(mother_age: int, count: int, youngest: int = 0, oldest: int = 30) -> list[Person]:
        out = []
        for _ in range(count):
            low, high = max(youngest, mother_age - 40), min(oldest, mother_age - 20)
            if low <= high:
                out.append(Person("child", rng.choice("MF"), rng.randint(low, high)))
        return sorted(out, key=lambda p: -p.age)

    head_male = chance(rng, 0.8)
    if composition == "alone_elder":
        return [Person("head", "F" if chance(rng, 0.6) else "M", round(rng.triangular(65, 97, 72)))]
    if composition == "elder_couple":
        age = round(rng.triangular(62, 92, 68))
        return [Person("head", "M", age), Person("spouse", "F", max(60, age - rng.randint(0, 5)))]
    if composition == "single":
        return [Person("head", rng.choice("MF"), rng.randint(22, 59))]
    if composition == "couple":
        age = rng.randint(24, 45)
        return [Person("head", "M" if head_male else "F", age),
                Person("spouse", "F" if head_male else "M", max(22, age + rng.randint(-4, 4)))]
    if composition in ("nuclear", "three_generations"):
        age = rng.randint(28, 56)
        spouse_age = max(22, age + rng.randint(-4, 4))
        head = Person("head", "M" if head_male else "F", age)
        spouse = Person("spouse", "F" if head_male else "M", spouse_age)
        mother_age = spouse_age if head_male else age
        people = [head, spouse, *kids(mother_age, pick(rng, [(1, 55), (2, 38), (3, 7)]))]
        if composition == "three_generations":
            parent_age = min(97, age + rng.randint(22, 36))
            if chance(rng, 0.6):
                people.append(Person("parent", "M", parent_age))
            people.append(Person("parent", "F", min(97, max(age + 20, parent_age - rng.randint(0, 4)))))
        return people
    if composition == "single_parent":
        age = rng.randint(28, 55)
        head = Person("head", "F" if chance(rng, 0.75) else "M", age)
        return [head, *kids(age, pick(rng, [(1, 60), (2, 40)]), oldest=24)]
    if composition == "elder_head_family":
        age = rng.randint(58, 82)
        spouse_age = max(55, age - rng.randint(0, 5))
        son_age = rng.randint(max(22, spouse_age - 38), max(22, spouse_age - 22))
        wife_age = max(21, son_age + rng.randint(-4, 3))
        return [Person("head", "M", age), Person("spouse", "F", spouse_age), Person("child", "M", son_age),
                Person("child_in_law", "F", wife_age),
                *[Person("grandchild", p.sex, p.age) for p in kids(wife_age, pick(rng, [(1, 60), (2, 40)]))]]
    # skipped generation (隔代): grandparents raising grandchildren whose parents are away or gone
    age = rng.randint(58, 80)
    people = [Person("head", "M", age)]
    if chance(rng, 0.7):
        people.append(Person("spouse", "F", max(55, age - rng.randint(0, 5))))
    people += [Person("grandchild", rng.choice("MF"), rng.randint(3, 16)) for _ in range(pick(rng, [(1, 70), (2, 30)]))]
    return people


def _relationship(person: Person, people: list[Person]) -> str:
    """GB/T 4761 code of the person's relationship to the head."""
    if person.role == "head":
        return "02"
    if person.role == "spouse":
        return "10"
    if person.role == "parent":
        return "51" if person.sex == "M" else "52"
    if person.role == "child_in_law":
        return "38" if person.sex == "F" else "28"
    if person.role == "grandchild":
        return "41" if person.sex == "M" else "42"
    same = [p for p in people if p.role == "child" and p.sex == person.sex]
    if len(same) == 1 and len([p for p in people if p.role == "child"]) == 1:
        return "21" if person.sex == "M" else "31"
    rank = same.index(person)
    return (("22", "23", "24", "25", "26") if person.sex == "M" else ("32", "33", "34", "35", "36"))[min(rank, 4)]


def _names(rng: random.Random, people: list[Person], uyghur: bool, zhuang: bool, today: dt.date) -> None:
    """Names that fit the family, never two alike in one household."""
    for _ in range(20):
        _draw_names(rng, people, uyghur, zhuang, today)
        if len({p.name for p in people}) == len(people):
            return


def _draw_names(rng: random.Random, people: list[Person], uyghur: bool, zhuang: bool, today: dt.date) -> None:
    """Children take the father's surname (or, for Uyghur names, the father's own name after the
    dot); spouses keep their own."""
    for p in people:
        p.name = ""
    head = people[0]
    if uyghur:
        fathers = {"head": pp.uyghur_given(rng, "M"), "spouse": pp.uyghur_given(rng, "M")}
        for p in people:
            if p.role in ("head", "spouse"):
                p.name = pp.uyghur_name(rng, p.sex, fathers[p.role])
        father = next((p for p in people if p.role in ("head", "spouse") and p.sex == "M"), head)
        for p in people:
            if not p.name:
                p.name = pp.uyghur_name(rng, p.sex, father.name.split("·")[0])
        return
    def family() -> str:
        return str(rng.choice(people_data()["zhuang_surnames"])) if zhuang and chance(rng, 0.6) else pp.surname(rng)

    head_family = family()
    spouse_family = family()
    father_family = head_family if head.sex == "M" else spouse_family
    if head.role == "head" and not any(p.role == "spouse" for p in people) and head.sex == "F" and chance(rng, 0.7):
        father_family = head_family  # single mothers' children often carry her surname
    son_family = father_family
    for p in people:
        year = today.year - p.age
        if p.role == "head":
            p.name = pp.han_name(rng, p.sex, year, head_family)
        elif p.role == "spouse":
            p.name = pp.han_name(rng, p.sex, year, spouse_family)
        elif p.role in ("child", "grandchild"):
            p.name = pp.han_name(rng, p.sex, year, son_family if p.role == "grandchild" else father_family)
        elif p.role == "parent":
            p.name = pp.han_name(rng, p.sex, year, head_family if (p.sex == "M" and head.sex == "M") else None)
        else:
            p.name = pp.han_name(rng, p.sex, year)


def _ethnic_code(name: str, field: str = "ethnicity") -> str:
    return code_of("ethnicity", name)  # 汉族 → 01 (GB 3304)


def _education(rng: random.Random, age: int, year: int) -> str | None:
    if age < 3:
        return None
    # GB/T 4658 codes: 80 小学, 70 初中, 60 高中, 40 中专/职高/技校, 30 大专, 20 本科, 10 研究生,
    # 90 其他 (文盲、半文盲); preschool children have none.
    if age < 6:
        return None
    if age < 12:
        return "80"
    if age < 15:
        return "70"
    if age < 18:
        return pick(rng, [("60", 70), ("40", 30)])
    if year < 1960:
        return pick(rng, [("90", 15), ("80", 45), ("70", 30), ("60", 10)])
    if year < 1985:
        return pick(rng, [("80", 10), ("70", 40), ("60", 25), ("40", 12), ("30", 8), ("20", 5)])
    return pick(rng, [("70", 15), ("60", 20), ("40", 15), ("30", 25), ("20", 22), ("10", 3)])


def _marital(rng: random.Random, person: Person, people: list[Person], composition: str) -> str:
    if person.age < 20 or person.role in ("grandchild",):
        return "10"
    if person.role in ("spouse", "child_in_law") or (person.role == "head" and any(p.role == "spouse" for p in people)):
        return "20"
    if person.role == "child" and any(p.role == "child_in_law" for p in people):
        return "20"
    if person.role == "parent":
        return "20" if sum(p.role == "parent" for p in people) == 2 else "30"
    if composition == "single_parent":
        return pick(rng, [("40", 60), ("30", 40)])
    if person.age >= 60:
        return pick(rng, [("30", 70), ("40", 12), ("10", 8), ("20", 10)])
    return pick(rng, [("10", 70), ("40", 25), ("30", 5)])


def _health(rng: random.Random, person: Person) -> None:
    elder = person.age >= 60
    person.health = pick(rng, [("healthy", 44), ("chronic", 51), ("serious", 5)] if elder
                         else [("healthy", 88), ("chronic", 10), ("serious", 2)])
    if chance(rng, 0.08 if elder else 0.045):
        person.disabled_grade = pick(rng, DISABILITY_GRADES)


def _employment(rng: random.Random, person: Person, economic: str, rural: bool) -> tuple[str, str]:
    """(employment status, work capacity)."""
    age, poor = person.age, economic in ("dibao", "tekun")
    if person.severe:
        capacity = "none"
    elif person.disabled_grade or (person.health == "chronic" and age >= 50):
        capacity = "partial"
    else:
        capacity = "full"
    if age < 6:
        return "preschool", "none"
    if age < 16:
        return "student", "none"
    if age < 22 and chance(rng, 0.75):
        return "student", capacity
    retire_age = 60 if person.sex == "M" else 55
    if age >= retire_age:
        return (pick(rng, [("retired", 55), ("farming", 35), ("other", 10)]) if rural
                else pick(rng, [("retired", 88), ("other", 12)])), capacity
    if capacity == "none":
        return "unable", capacity
    if poor:
        return pick(rng, [("unemployed", 45), ("flexible", 40), ("other", 15)]), capacity
    if rural:
        return pick(rng, [("farming", 30), ("employed", 40), ("flexible", 15), ("self_employed", 8),
                          ("unemployed", 7)]), capacity
    return pick(rng, [("employed", 62), ("flexible", 14), ("self_employed", 10), ("unemployed", 9),
                      ("other", 5)]), capacity


def _round10(value: float) -> Decimal:
    return money(int(value / 10) * 10)


def _incomes(rng: random.Random, draft: HouseholdDraft) -> None:
    """Monthly income items by type, scaled to the household's economic situation."""
    scale = {"dibao": 0.25, "tekun": 0.2, "low_income": 0.55}.get(draft.economic, 1.0)
    rural = draft.register_type == "local_rural"
    for person in draft.people:
        m = person.member
        ranges: list[tuple[str, float, float]] = []
        if m.employment == "employed":
            ranges.append(("wages", 3500, 15000))
        elif m.employment == "flexible":
            ranges.append(("wages", 1500, 4000))
        elif m.employment == "self_employed":
            ranges.append(("business", 3000, 12000))
        elif m.employment == "farming":
            ranges.append(("farming", 800, 2500))
        elif m.employment == "retired":
            ranges.append(("pension", 300, 1200) if rural else ("pension", 2500, 7000))
        if person.role == "head" and draft.economic == "normal" and chance(rng, 0.08):
            ranges.append(("property", 1500, 6000))
        if person.age >= 65 and draft.composition in ("alone_elder", "elder_couple") and chance(rng, 0.3):
            ranges.append(("maintenance", 500, 2000))
        for kind, low, high in ranges:
            amount = _round10(rng.uniform(low, high) * (scale if kind != "pension" else max(scale, 0.4)))
            if amount > 0:
                draft.incomes.append(record(IncomeItem, org_code=m.org_code, member_id=m.id, income_type=kind,
                                            monthly_amount=amount))


def _economic(rng: random.Random, people: list[Person], composition: str, register_type: str) -> str:
    """Whether the household lives on 低保, 特困 support, a low income or an ordinary one. Only
    households registered in the city qualify for the first three."""
    if register_type == "migrant":
        return "normal"
    vulnerable = any(p.severe for p in people) or composition in ("single_parent", "alone_elder",
                                                                    "skipped_generation")
    alone = len(people) == 1
    if alone and (people[0].age >= 60 or people[0].severe) and chance(rng, 0.15):
        return "tekun"
    roll = rng.random()
    dibao = 0.03 + (0.10 if vulnerable else 0)
    low = 0.02 + (0.05 if vulnerable else 0)
    return "dibao" if roll < dibao else "low_income" if roll < dibao + low else "normal"


def _address(rng: random.Random, grid: Grid) -> str:
    base = grid.district.name + grid.street.name
    if grid.rural:
        village = grid.community.name
        for suffix in ("村民委员会", "村委会", "居民委员会", "居委会"):
            village = village.removesuffix(suffix)
        lane = rng.choice(places_data()["village_lanes"])
        return f"{base}{village}{lane}{rng.randint(1, 120)}号"
    road = rng.choice(grid.roads)
    number = rng.randint(1, 400)
    floor, room = rng.randint(1, 18), rng.randint(1, 8)
    style = rng.random()
    if style < 0.5:
        return f"{base}{road}{number}号{rng.randint(1, 12)}栋{floor}{room:02d}室"
    if style < 0.8:
        return f"{base}{road}{number}号{floor}{room:02d}房"
    return f"{base}{road}{number}号之{'一二三四五'[rng.randrange(5)]}{floor}{room:02d}房"


def bank_card(rng: random.Random) -> str:
    """A 19-digit debit card number with a valid Luhn check digit (the bank where aid is paid)."""
    body = rng.choice(("622202", "622848", "621700", "621226")) + f"{rng.randrange(10**12):012d}"
    total = 0
    for position, ch in enumerate(reversed(body)):
        n = int(ch)
        if position % 2 == 0:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return body + str((10 - total % 10) % 10)


def build(rng: random.Random, grid: Grid, registry: pp.Registry, today: dt.date) -> HouseholdDraft:
    """One household with its members and income items, all in ``grid``."""
    composition = pick(rng, COMPOSITIONS)
    if grid.rural:
        register_type = "local_rural" if chance(rng, 0.85) else "migrant"
    else:
        register_type = "local_urban" if chance(rng, 0.72) else "migrant"
    origin = pick(rng, [(o, o["weight"]) for o in people_data()["origins"]]) if register_type == "migrant" else None
    ethnicity = origin["ethnicity"] if origin else "汉族"
    people = _skeleton(rng, composition)
    _names(rng, people, ethnicity == "维吾尔族", ethnicity == "壮族", today)
    for p in people:
        _health(rng, p)
    economic = _economic(rng, people, composition, register_type)
    org = grid.code
    household = record(Household, org_code=org, address=_address(rng, grid), register_type=register_type,
                       head_name=people[0].name)
    draft = HouseholdDraft(household, people, grid, composition, register_type, economic)
    for p in people:
        p.born = pp.birth_date(rng, today, p.age)
        if origin is not None:
            area = origin["code"]
        elif chance(rng, 0.12) and p.age >= 18:
            area = pick(rng, [(o["code"], o["weight"]) for o in people_data()["origins"]])  # moved in
        else:
            area = pp.id_area(rng, grid.district.code, p.born)
        number = pp.id_number(rng, registry, area, p.born, p.sex)
        employment, capacity = _employment(rng, p, economic, grid.rural)
        phone = None
        if p.age >= 16 and chance(rng, 0.45 if p.age >= 80 else 0.92):
            phone = pp.mobile(rng, registry)
        disability_type = pick(rng, DISABILITY_TYPES) if p.disabled_grade else None
        p.member = record(
            Member, org_code=org, household_id=household.id, name=p.name, id_number=number,
            relationship=_relationship(p, people), sex=p.sex, birth_date=p.born,
            ethnicity=_ethnic_code(ethnicity, "ethnicity"),
            marital_status=_marital(rng, p, people, composition), education=_education(rng, p.age, p.born.year),
            phone=phone, health=p.health, disability_type=disability_type, disability_grade=p.disabled_grade,
            disability_card=f"{number}{disability_type}{p.disabled_grade}" if p.disabled_grade else None,
            employment=employment, work_capacity=capacity)
        if economic == "tekun" and p.age >= 60:
            _self_care(p, today)
    head = people[0].member
    elderly_home = people[0].age >= 65
    # Elders' homes are often reached on a landline; a head without a mobile always is.
    wants_landline = (elderly_home and chance(rng, 0.35)) or head.phone is None
    household.phone = pp.landline(rng, registry) if wants_landline else head.phone
    if economic != "normal":
        household.poverty_reason = _poverty_reason(rng, draft)
    _incomes(rng, draft)
    return draft


#: the items an elder loses first, in order (bathing and walking before eating)
_LOST_FIRST = ("self_care_bathing", "self_care_walking", "self_care_transfer", "self_care_toilet",
               "self_care_dressing", "self_care_eating")


def _self_care(p: Person, today: dt.date) -> None:
    """A 特困 elder's self-care assessment (DOMAIN.md §2.1), from their age, health and disability,
    within the past year. Drawn without the generator, so the rest of the demo stays as it was."""
    failed = ((p.disabled_grade in ("1", "2")) * 2 + (p.disabled_grade in ("3", "4")) + (p.health == "serious")
              + (p.age >= 80) + (p.age >= 90))
    member = p.member
    for item in SELF_CARE_ITEMS:
        setattr(member, item, "unable" if item in _LOST_FIRST[:failed] else "able")
    member.self_care_assessed_on = today - dt.timedelta(days=20 + (p.age * 37) % 330)
    member.self_care_result = self_care_result({item: getattr(member, item) for item in SELF_CARE_ITEMS})


def _poverty_reason(rng: random.Random, draft: HouseholdDraft) -> str:
    if any(p.disabled_grade in ("1", "2") for p in draft.people):
        return "因残"
    if any(p.health == "serious" for p in draft.people):
        return "因病"
    if draft.people[0].age >= 65:
        return "年老体弱"
    return rng.choice(POVERTY_REASONS)
