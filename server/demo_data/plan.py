"""The demo programme built in memory: the same seed and reference date give the same people."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TypeVar

import h3

from server import regions
from server.accounts.services import Registration
from server.accounts.tables import Role
from server.demo import DEMO_ACCOUNTS
from server.demo_data import catalogue
from server.demo_data.catalogue import Buyer, Region
from server.garments import CATEGORIES
from server.tailors.services import H3_RESOLUTION, coarsen
from server.tailors.tables import CertificateStatus, Verification

T = TypeVar("T")

SEED = 500
WIB = timezone(timedelta(hours=7))
PLATFORM_AGE_DAYS = 340
TRAINING_DAYS = 5
ASSESSMENT_AFTER_DAYS = (7, 10)
CITY_PICK_SHARE = 0.3  # the others shared their phone's position during onboarding
AVAILABLE_SHARE = 0.85
RESUBMITTED_SHARE = 0.06  # verified at the second try, after a rejected photo
LATE_SHARE = 0.12  # trained with their cohort, but signed up only in the last weeks
STATUS_SHARES = (
    (Verification.PENDING, 0.08),
    (Verification.REJECTED, 0.04),
    (Verification.EXPIRED, 0.03),
)
SCALES = (("home", 70), ("small", 25), ("workshop", 5))
# Demo numbers sit in one recognisable block beside demo mode's +6281200000001..3, so that a
# wa.me link in the demo never reaches a stranger's phone.
DESIGNER_PHONES_FROM = 100
TAILOR_PHONES_FROM = 10_000


@dataclass(frozen=True)
class Person:
    role: str
    name: str
    phone: str
    joined_at: datetime


@dataclass(frozen=True)
class CertificatePlan:
    number: str
    issuer: str
    issued_on: date
    expires_on: date
    status: str
    submitted_at: datetime
    decided_at: datetime | None = None
    reason: str = ""
    scheme: str = catalogue.SCHEME


@dataclass(frozen=True)
class TailorPlan:
    person: Person
    region: str
    city_code: str
    province_code: str
    latitude: float
    longitude: float
    location_source: str
    skills: tuple[str, ...]
    equipment: tuple[str, ...]
    weekly_capacity: int
    minimum_order: int
    service_radius_km: int
    bio: str
    available: bool
    verification: str
    certificate_expires_on: date | None
    certificates: tuple[CertificatePlan, ...]  # oldest first
    portfolio_photos: int = 0

    @property
    def h3_cell(self) -> str:
        return str(h3.latlng_to_cell(self.latitude, self.longitude, H3_RESOLUTION))

    @property
    def updated_at(self) -> datetime:
        last = self.certificates[-1]
        return last.decided_at or last.submitted_at


@dataclass(frozen=True)
class DesignerPlan:
    person: Person
    business_name: str
    business_type: str
    city_code: str
    province_code: str
    description: str


@dataclass(frozen=True)
class CohortPlan:
    region: str
    name: str
    place: str
    province_code: str
    starts_on: date
    ends_on: date
    trainer: str


@dataclass(frozen=True)
class Programme:
    admin: Person
    designers: tuple[DesignerPlan, ...]
    tailors: tuple[TailorPlan, ...]
    cohorts: tuple[CohortPlan, ...]
    targets: tuple[tuple[str, int], ...]

    def tailors_of(self, cohort: CohortPlan) -> list[TailorPlan]:
        return [tailor for tailor in self.tailors if tailor.region == cohort.region]


def build_programme(today: date, seed: int = SEED) -> Programme:
    rng = random.Random(seed)  # noqa: S311 (made-up people, not secrets)
    demo = {registration.role: registration for registration in DEMO_ACCOUNTS}
    designers = [designer(demo[Role.DESIGNER], catalogue.DEMO_BUYER, today)]
    for number, buyer in enumerate(catalogue.BUYERS, start=1):
        owner = Registration(
            Role.DESIGNER, f"{buyer.owner} ({buyer.business})", phone(DESIGNER_PHONES_FROM + number)
        )
        designers.append(designer(owner, buyer, today))
    builder = TailorBuilder(rng, today, taken_names={person.name for person in DEMO_ACCOUNTS})
    cohorts = [cohort_of(region, today) for region in catalogue.REGIONS]
    for region, cohort in zip(catalogue.REGIONS, cohorts, strict=True):
        first = demo[Role.TAILOR] if cohort is cohorts[0] else None
        builder.add_region(region, cohort, demo_tailor=first)
    admin = demo[Role.ADMIN]
    return Programme(
        admin=Person(
            admin.role, admin.name, admin.phone, at(days_before(today, PLATFORM_AGE_DAYS))
        ),
        designers=tuple(designers),
        tailors=tuple(builder.tailors),
        cohorts=tuple(cohorts),
        targets=catalogue.TARGETS,
    )


def designer(owner: Registration, buyer: Buyer, today: date) -> DesignerPlan:
    city = known_city(buyer.city_code)
    joined = at(days_before(today, buyer.joined_days_ago), 10)
    return DesignerPlan(
        person=Person(owner.role, owner.name, owner.phone, joined),
        business_name=buyer.business,
        business_type=buyer.kind,
        city_code=city.code,
        province_code=city.province_code,
        description=buyer.description,
    )


def cohort_of(region: Region, today: date) -> CohortPlan:
    starts_on = days_before(today, region.trained_days_ago)
    return CohortPlan(
        region=region.key,
        name=region.cohort_name,
        place=region.place,
        province_code=region.province_code,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=TRAINING_DAYS - 1),
        trainer=region.trainer,
    )


class TailorBuilder:
    """Draws tailors region by region from one random stream, so the order of calls matters."""

    def __init__(self, rng: random.Random, today: date, taken_names: set[str]) -> None:
        self.rng = rng
        self.today = today
        self.taken_names = set(taken_names)
        self.tailors: list[TailorPlan] = []
        self.phone_numbers = itertools.count(TAILOR_PHONES_FROM + 1)
        self.certificate_numbers = itertools.count(1)

    def add_region(
        self, region: Region, cohort: CohortPlan, demo_tailor: Registration | None
    ) -> None:
        statuses = self.status_mix(region.tailors)
        if demo_tailor is not None:
            # The demo tailor is one of the region's own: verified, in Kota Bandung.
            statuses.remove(Verification.VERIFIED)
            self.tailors.append(self.demo_tailor(demo_tailor, region, cohort))
        for status in statuses:
            self.tailors.append(self.tailor(region, cohort, status))

    def status_mix(self, size: int) -> list[str]:
        mix: list[str] = []
        for status, share in STATUS_SHARES:
            mix += [status] * max(1, round(size * share))
        mix += [Verification.VERIFIED] * (size - len(mix))
        self.rng.shuffle(mix)
        return mix

    def tailor(self, region: Region, cohort: CohortPlan, status: str) -> TailorPlan:
        rng = self.rng
        city = known_city(weighted(rng, region.towns))
        latitude, longitude, source = self.position(city)
        skills = self.skills(region, city.code)
        scale = weighted(rng, SCALES)
        capacity, minimum, radius = self.work(scale)
        certificates = self.certificates(region, cohort, status)
        joined = self.joined(cohort, certificates[0].submitted_at)
        verified = status in (Verification.VERIFIED, Verification.EXPIRED)
        return TailorPlan(
            person=Person(Role.TAILOR, self.name(region), phone(next(self.phone_numbers)), joined),
            region=region.key,
            city_code=city.code,
            province_code=city.province_code,
            latitude=latitude,
            longitude=longitude,
            location_source=source,
            skills=skills,
            equipment=self.equipment(skills, scale),
            weekly_capacity=capacity,
            minimum_order=minimum,
            service_radius_km=radius,
            bio=self.bio(city, skills, scale, minimum),
            available=status == Verification.VERIFIED and rng.random() < AVAILABLE_SHARE,
            verification=status,
            certificate_expires_on=certificates[-1].expires_on if verified else None,
            certificates=certificates,
        )

    def demo_tailor(self, person: Registration, region: Region, cohort: CohortPlan) -> TailorPlan:
        city = known_city("32.73")
        certificate = self.certificates(region, cohort, Verification.VERIFIED, resubmitted=False)
        return TailorPlan(
            person=Person(person.role, person.name, person.phone, at(cohort.starts_on, 9)),
            region=region.key,
            city_code=city.code,
            province_code=city.province_code,
            latitude=city.latitude,
            longitude=city.longitude,
            location_source="city",
            skills=("batik", "gamis", "kebaya", "kemeja"),
            equipment=("lubang_kancing", "mesin_jahit", "obras"),
            weekly_capacity=80,
            minimum_order=10,
            service_radius_km=15,
            bio=catalogue.DEMO_TAILOR_BIO,
            available=True,
            verification=Verification.VERIFIED,
            certificate_expires_on=certificate[-1].expires_on,
            certificates=certificate,
            portfolio_photos=3,
        )

    def name(self, region: Region) -> str:
        rng = self.rng
        women, men, women_second, men_second = catalogue.NAMES[weighted(rng, region.cultures)]
        female = rng.random() < catalogue.FEMALE_SHARE
        while True:
            first = rng.choice(women if female else men)
            second = rng.choice(women_second if female else men_second)
            # Many go by one name (Sumarni, Rohimah, Sutrisno); short ones rarely do.
            alone = len(first) >= 6 and rng.random() < catalogue.SINGLE_NAME_SHARE
            name = first if alone else f"{first} {second}"
            if first != second and name not in self.taken_names:
                self.taken_names.add(name)
                return name

    def position(self, city: regions.City) -> tuple[float, float, str]:
        """A listed city's centre, or a coarsened position that still lies nearest to it."""
        rng = self.rng
        if rng.random() >= CITY_PICK_SHARE:
            spread = 0.03 if city.kind == "kota" else 0.06
            for _attempt in range(20):
                latitude, longitude = coarsen(
                    city.latitude + rng.uniform(-spread, spread),
                    city.longitude + rng.uniform(-spread, spread),
                )
                if regions.nearest_city(latitude, longitude).code == city.code:
                    return latitude, longitude, "device"
        return city.latitude, city.longitude, "city"

    def skills(self, region: Region, city_code: str) -> tuple[str, ...]:
        weights = dict(catalogue.SKILL_WEIGHTS)
        for skill, extra in (*region.skill_bias, *catalogue.TOWN_SKILL_BIAS.get(city_code, ())):
            weights[skill] += extra
        pool = list(CATEGORIES)
        chosen = []
        for _pick in range(weighted(self.rng, catalogue.SKILL_COUNT_WEIGHTS)):
            skill = self.rng.choices(pool, weights=[weights[category] for category in pool])[0]
            pool.remove(skill)
            chosen.append(skill)
        return tuple(sorted(chosen))

    def equipment(self, skills: Sequence[str], scale: str) -> tuple[str, ...]:
        rng = self.rng
        tools = {"mesin_jahit"}
        if scale != "home" or rng.random() < 0.8:
            tools.add("obras")
        if rng.random() < (0.6 if "kaos" in skills else 0.1):
            tools.add("overdeck")
        if {"kemeja", "seragam"} & set(skills) and rng.random() < 0.4:
            tools.add("lubang_kancing")
        if rng.random() < (0.7 if "bordir" in skills else 0.03):
            tools.add("bordir_komputer")
        if scale == "workshop" or (scale == "small" and rng.random() < 0.3):
            tools.add("mesin_potong")
        return tuple(sorted(tools))

    def work(self, scale: str) -> tuple[int, int, int]:
        """Weekly capacity (pieces), minimum order and service radius (km) for a scale."""
        rng = self.rng
        if scale == "home":
            return rng.randrange(30, 130, 10), rng.choice((5, 10, 15)), rng.randint(5, 15)
        if scale == "small":
            return rng.randrange(120, 310, 10), rng.randrange(10, 35, 5), rng.randint(8, 25)
        return rng.randrange(300, 520, 20), rng.randrange(25, 55, 5), rng.randint(15, 30)

    def bio(self, city: regions.City, skills: Sequence[str], scale: str, minimum: int) -> str:
        rng = self.rng
        openings = catalogue.BIO_OPENINGS
        opening = rng.choice(openings[:2] + openings[3:] if scale == "home" else openings[2:])
        words = [catalogue.SKILL_WORDS[skill] for skill in skills]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " dan " + words[-1]
        parts = (opening, rng.choice(catalogue.BIO_SPECIALTIES), rng.choice(catalogue.BIO_CLOSINGS))
        return " ".join(parts).format(
            town=town_name(city),
            year=self.today.year - rng.randint(3, 25),
            helpers=rng.choice(catalogue.HELPER_WORDS),
            machines=rng.randint(3, 12),
            skills=listed,
            minimum=minimum,
        )

    def certificates(
        self, region: Region, cohort: CohortPlan, status: str, resubmitted: bool | None = None
    ) -> tuple[CertificatePlan, ...]:
        rng = self.rng
        number = next(self.certificate_numbers)
        late = False
        if status == Verification.EXPIRED:
            # Certified before the programme, joined early, and has not renewed since.
            expires_on = days_before(self.today, rng.randint(10, 150))
            issued_on = add_years(expires_on, -catalogue.CERTIFICATE_YEARS)
            submitted = days_before(self.today, rng.randint(290, 320))
            issuer = rng.choice(catalogue.OLDER_ISSUERS)
        else:
            issued_on = cohort.ends_on + timedelta(days=rng.choice(ASSESSMENT_AFTER_DAYS))
            expires_on = add_years(issued_on, catalogue.CERTIFICATE_YEARS)
            issuer = rng.choice(region.issuers)
            late = status == Verification.PENDING or rng.random() < LATE_SHARE
            if late:
                waiting = status == Verification.PENDING
                submitted = days_before(
                    self.today, rng.randint(1, 12) if waiting else rng.randint(3, 56)
                )
            else:
                submitted = issued_on + timedelta(days=rng.randint(1, 40))
        planned = CertificatePlan(
            number=f"PJ-{issued_on:%Y}-{region.province_code}-{number:05d}",
            issuer=issuer,
            issued_on=issued_on,
            expires_on=expires_on,
            status=CertificateStatus.PENDING,
            submitted_at=self.moment(submitted),
        )
        if status == Verification.PENDING:
            return (planned,)
        if status == Verification.REJECTED:
            return (self.decided(planned, approve=False),)
        if resubmitted is None:
            resubmitted = not late and rng.random() < RESUBMITTED_SHARE
        if not resubmitted:
            return (self.decided(planned, approve=True),)
        first = self.decided(planned, approve=False)
        assert first.decided_at is not None
        again = first.decided_at.date() + timedelta(days=rng.randint(1, 10))
        second = replace(planned, submitted_at=self.moment(again))
        return first, self.decided(second, approve=True)

    def decided(self, certificate: CertificatePlan, approve: bool) -> CertificatePlan:
        """The admin's decision a few days later, never today or after."""
        rng = self.rng
        day = certificate.submitted_at.astimezone(WIB).date() + timedelta(days=rng.randint(1, 4))
        day = min(day, self.today - timedelta(days=1))
        decided_at = at(day, rng.randint(9, 16), rng.randint(0, 59))
        return replace(
            certificate,
            status=CertificateStatus.APPROVED if approve else CertificateStatus.REJECTED,
            decided_at=max(decided_at, certificate.submitted_at + timedelta(hours=1)),
            reason="" if approve else rng.choice(catalogue.REJECTION_REASONS),
        )

    def moment(self, day: date) -> datetime:
        """Some time on `day` when people are awake."""
        return at(day, self.rng.randint(7, 21), self.rng.randint(0, 59))

    def joined(self, cohort: CohortPlan, first_submission: datetime) -> datetime:
        """Most sign up at their training session; the others a few days before submitting."""
        day = cohort.starts_on + timedelta(days=self.rng.randint(0, TRAINING_DAYS - 1))
        at_training = at(day, 10)
        if at_training < first_submission < at_training + timedelta(days=60):
            return at_training
        return first_submission - timedelta(days=self.rng.randint(1, 4), hours=2)


def weighted(rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    return rng.choices([choice for choice, _ in choices], weights=[w for _, w in choices])[0]


def phone(number: int) -> str:
    return f"+62812{number:08d}"


def known_city(code: str) -> regions.City:
    city = regions.city(code)
    if city is None:
        raise LookupError(f"no kabupaten/kota {code} in server.regions")
    return city


def town_name(city: regions.City) -> str:
    """How a bio names a place: Jakarta Timur, Bandung, Kabupaten Bandung."""
    if city.kind == "kabupaten":
        return city.name.removeprefix("Kabupaten Administrasi ")
    return city.name.removeprefix("Kota ").removeprefix("Administrasi ")


def days_before(today: date, days: int) -> date:
    return today - timedelta(days=days)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A Western Indonesian wall-clock time on `day`, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=WIB).astimezone(UTC)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
