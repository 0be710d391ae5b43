"""The demo town 南富良野町: departments and their sections (係), about a hundred staff at every position, deputies
and logins.

`build_town()` is idempotent: it creates what is missing (matched by department code and username) and
never changes what exists. Every demo account gets the same password (`DEMO_PASSWORD`), hashed once.
Names come from fixed name lists and a seeded generator, so the town is the same on every machine.
"""

import random
from dataclasses import dataclass, field, replace
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from org import services
from org.calendar import fiscal_year
from org.models import Department, Employee, EmploymentType, Position, RoleCode, Section

DEMO_PASSWORD = "Furano-demo-2026"
EMAIL_DOMAIN = "town.minamifurano.example"
SEED = 20260401
README_STAFF = "kikaku.staff.1"  # the staff login of the README (主事, 企画課)

# (code, name, short_name, staff below the mayor, 他律的業務)
DEPARTMENTS = [
    ("somu", "総務課", "南富総", 14, False),
    ("kikaku", "企画課", "南富企", 8, False),
    ("zeimu", "税務課", "南富税", 7, False),
    ("jumin", "住民課", "南富住", 8, False),
    ("hoken", "保健福祉課", "南富保", 12, False),
    ("sangyo", "産業課", "南富産", 8, False),
    ("kensetsu", "建設課", "南富建", 10, True),
    ("kaikei", "会計課", "南富会", 4, False),
    ("kyoiku", "教育委員会", "南富教", 9, False),
    ("gikai", "議会事務局", "南富議", 4, False),
    ("nogyo", "農業委員会", "南富農", 4, False),
    ("shinryo", "診療所", "南富診", 8, True),
]

# 係 of each department, in order: the n-th chief (係長) heads the n-th section; as many as the department has chiefs.
SECTIONS = {
    "somu": [("somu", "総務係"), ("digital", "デジタル推進係"), ("zaisei", "財政係")],
    "kikaku": [("kikaku", "企画係"), ("shinko", "地域振興係")],
    "zeimu": [("zeimu", "税務係")],
    "jumin": [("jumin", "住民係"), ("kankyo", "環境衛生係")],
    "hoken": [("hoken", "保健係"), ("fukushi", "福祉係"), ("kaigo", "介護保険係")],
    "sangyo": [("norin", "農林係"), ("shoko", "商工観光係")],
    "kensetsu": [("doboku", "土木係"), ("suido", "上下水道係")],
    "kaikei": [("kaikei", "会計係")],
    "kyoiku": [("gakko", "学校教育係"), ("shakai", "社会教育係")],
    "gikai": [("giji", "議事係")],
    "nogyo": [("nochi", "農地係")],
    "shinryo": [("iji", "医事係"), ("kango", "看護係")],
}

SURNAMES = [
    ("佐藤", "sato"), ("高橋", "takahashi"), ("佐々木", "sasaki"), ("鈴木", "suzuki"), ("伊藤", "ito"),
    ("田中", "tanaka"), ("渡辺", "watanabe"), ("小林", "kobayashi"), ("斎藤", "saito"), ("中村", "nakamura"),
    ("加藤", "kato"), ("吉田", "yoshida"), ("山本", "yamamoto"), ("山田", "yamada"), ("工藤", "kudo"),
    ("菊地", "kikuchi"), ("阿部", "abe"), ("松本", "matsumoto"), ("木村", "kimura"), ("林", "hayashi"),
    ("清水", "shimizu"), ("山口", "yamaguchi"), ("石川", "ishikawa"), ("森", "mori"), ("池田", "ikeda"),
    ("橋本", "hashimoto"), ("藤田", "fujita"), ("岡田", "okada"), ("後藤", "goto"), ("長谷川", "hasegawa"),
    ("村上", "murakami"), ("近藤", "kondo"), ("坂本", "sakamoto"), ("遠藤", "endo"), ("青木", "aoki"),
    ("西村", "nishimura"), ("福田", "fukuda"), ("太田", "ota"), ("三浦", "miura"), ("千葉", "chiba"),
    ("成田", "narita"), ("小野寺", "onodera"), ("今井", "imai"), ("畠山", "hatakeyama"), ("及川", "oikawa"),
]  # fmt: skip
GIVEN_NAMES = [
    ("翔太", "shota"), ("大輔", "daisuke"), ("健一", "kenichi"), ("誠", "makoto"), ("浩", "hiroshi"),
    ("拓也", "takuya"), ("直樹", "naoki"), ("和也", "kazuya"), ("隆", "takashi"), ("聡", "satoshi"),
    ("亮", "ryo"), ("健太", "kenta"), ("雄一", "yuichi"), ("修", "osamu"), ("剛", "tsuyoshi"),
    ("悠斗", "yuto"), ("蓮", "ren"), ("陽介", "yosuke"), ("智也", "tomoya"), ("博之", "hiroyuki"),
    ("陽子", "yoko"), ("恵子", "keiko"), ("美穂", "miho"), ("由美", "yumi"), ("真由美", "mayumi"),
    ("裕子", "yuko"), ("彩", "aya"), ("愛", "ai"), ("舞", "mai"), ("千尋", "chihiro"),
    ("美咲", "misaki"), ("奈々", "nana"), ("香織", "kaori"), ("智子", "tomoko"), ("直美", "naomi"),
    ("久美子", "kumiko"), ("明美", "akemi"), ("沙織", "saori"), ("里美", "satomi"), ("結衣", "yui"),
]  # fmt: skip

# Years of service by position (a range to draw from), for a plausible hire date.
SERVICE_YEARS = {
    Position.DIRECTOR: (28, 36),
    Position.ASSISTANT_DIRECTOR: (24, 30),
    Position.CHIEF: (12, 22),
    Position.SENIOR: (6, 12),
    Position.STAFF: (0, 6),
}


@dataclass(frozen=True)
class Login:
    """A row of the printed login table."""

    label: str
    username: str
    name: str
    department: str


@dataclass
class Town:
    """What `build_town()` made: other apps' `demo.load(town)` build on it."""

    password: str
    departments: dict[str, Department]
    employees: dict[str, Employee]  # by username
    keys: dict[str, str]  # plan key (e.g. "somu.director", "kikaku.staff.2") → username
    logins: list[Login] = field(default_factory=list)
    created: int = 0  # employees and departments created by this run

    def by_key(self, key: str) -> Employee:
        return self.employees[self.keys[key]]

    @property
    def admin(self) -> Employee:
        return self.by_key("admin")

    @property
    def mayor(self) -> Employee:
        return self.by_key("mayor")

    @property
    def deputy_mayor(self) -> Employee:
        return self.by_key("deputy_mayor")

    def director(self, code: str) -> Employee:
        return self.by_key(f"{code}.director")

    def chief(self, code: str) -> Employee:
        return self.by_key(f"{code}.chief.1")

    def members(self, code: str) -> list[Employee]:
        """The department's active staff, highest position first."""
        staff = [
            e for e in self.employees.values() if e.department_id == self.departments[code].pk and e.is_active
        ]
        return sorted(staff, key=lambda e: (-e.position_rank, e.pk))

    def with_role(self, role: str) -> list[Employee]:
        return [e for e in self.employees.values() if e.has_role(role)]


@dataclass(frozen=True)
class _Person:
    key: str
    username: str
    name: str
    department: str
    position: str
    employment_type: str = EmploymentType.REGULAR
    hired_on: date | None = None
    roles: tuple[str, ...] = ()
    training_fy: int | None = None
    pledge: bool = True
    section: str | None = None  # the code of their 係; None above the sections (課長, 課長補佐, 町長, 副町長)


def _positions(size: int) -> list[str]:
    """職位 of a department of `size` staff: a director, a chief, a senior at least; more as it grows."""
    chiefs = 1 if size < 8 else 2 if size < 12 else 3
    seniors = max(1, size // 4)
    head = [
        Position.DIRECTOR,
        *([Position.ASSISTANT_DIRECTOR] if size >= 8 else []),
        *[Position.CHIEF] * chiefs,
    ]
    head += [Position.SENIOR] * seniors
    return head + [Position.STAFF] * (size - len(head))


def _plan(*, this_fy: int) -> list[_Person]:
    """Everyone in the demo town, deterministic for a given fiscal year."""
    rng = random.Random(SEED)
    used: set[str] = set()

    def person_name() -> tuple[str, str]:
        while True:
            (surname, s_roman), (given, g_roman) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
            username = f"{s_roman}.{g_roman}"
            if username not in used:
                used.add(username)
                return f"{surname} {given}", username

    def hired(position: str, employment_type: str) -> date:
        if employment_type == EmploymentType.FIXED_TERM:
            return date(this_fy - rng.randint(0, 2), 4, 1)
        low, high = SERVICE_YEARS[position]
        return date(this_fy - rng.randint(low, high), 4, 1)

    def security() -> tuple[int | None, bool]:
        draw = rng.random()
        training = None if draw < 0.1 else this_fy - 1 if draw < 0.25 else this_fy
        return training, rng.random() < 0.9

    people = []
    for key, position, hired_on in (
        ("mayor", Position.MAYOR, date(this_fy - 3, 5, 1)),
        ("deputy_mayor", Position.DEPUTY_MAYOR, date(this_fy - 3, 6, 1)),
    ):
        name, username = person_name()
        people.append(_Person(key, username, name, "somu", position, hired_on=hired_on, training_fy=this_fy))
    for code, _name, _short, size, _exempt in DEPARTMENTS:
        counters: dict[str, int] = {}
        sections = [section_code for section_code, _section_name in SECTIONS[code]]
        members = 0
        for position in _positions(size):
            counters[position] = counters.get(position, 0) + 1
            number = counters[position]
            key = f"{code}.{position}" if position == Position.DIRECTOR else f"{code}.{position}.{number}"
            employment_type = (
                EmploymentType.FIXED_TERM
                if position == Position.STAFF and number % 2 == 0
                else EmploymentType.REGULAR
            )
            roles: tuple[str, ...] = ()
            if code == "somu" and position in {Position.CHIEF, Position.STAFF, Position.SENIOR}:
                # 総務係 (hr): chief 1, senior 1, staff 1–2; デジタル推進係 (secretariat): chief 2, staff 3–4.
                if (position, number) in {("chief", 1), ("senior", 1), ("staff", 1), ("staff", 2)}:
                    roles = (RoleCode.HR,)
                elif (position, number) in {("chief", 2), ("staff", 3), ("staff", 4)}:
                    roles = (RoleCode.SECRETARIAT,)
            section = None
            if position == Position.CHIEF:
                section = sections[number - 1]
            elif position in {Position.SENIOR, Position.STAFF}:
                # 総務課: the hr staff in 総務係, the secretariat in デジタル推進係; everyone else in turn
                section = (
                    "somu"
                    if RoleCode.HR in roles
                    else "digital"
                    if RoleCode.SECRETARIAT in roles
                    else sections[members % len(sections)]
                )
                members += 1
            name, username = person_name()
            training, pledge = security()
            people.append(
                _Person(
                    key,
                    username,
                    name,
                    code,
                    position,
                    employment_type,
                    hired(position, employment_type),
                    roles,
                    training,
                    pledge,
                    section,
                )
            )
    # The README's staff login tries telework as printed: two years in post, this year's security training done
    # and the pledge signed (set after the draws, so that everyone else stays as generated).
    return [
        replace(person, hired_on=date(this_fy - 2, 4, 1), training_fy=this_fy, pledge=True)
        if person.key == README_STAFF
        else person
        for person in people
    ]


def _deputies(keys: set[str]) -> dict[str, str]:
    """代決者: mayor → deputy mayor → 総務課長; director → assistant director or chief; chief → a senior."""
    deputies = {"mayor": "deputy_mayor", "deputy_mayor": "somu.director"}
    for code, *_rest in DEPARTMENTS:
        assistant = f"{code}.assistant_director.1"
        deputies[f"{code}.director"] = assistant if assistant in keys else f"{code}.chief.1"
        if assistant in keys:
            deputies[assistant] = f"{code}.chief.1"
        chief = 1
        while f"{code}.chief.{chief}" in keys:
            seniors = sorted(k for k in keys if k.startswith(f"{code}.senior."))
            deputies[f"{code}.chief.{chief}"] = seniors[(chief - 1) % len(seniors)]
            chief += 1
    return deputies


@transaction.atomic
def build_town(*, password: str = DEMO_PASSWORD) -> Town:
    """Creates the demo town where it is missing and returns it (see the module docstring)."""
    this_fy = fiscal_year(timezone.localdate())
    departments = {d.code: d for d in Department.objects.filter(code__in=[row[0] for row in DEPARTMENTS])}
    created = 0
    for order, (code, name, short_name, _size, exempt) in enumerate(DEPARTMENTS, start=1):
        if code not in departments:
            departments[code] = services.department_create(
                code=code, name=name, short_name=short_name, sort_order=order, overtime_exempt=exempt
            )
            created += 1

    sections = {
        (section.department.code, section.code): section
        for section in Section.objects.select_related("department")
    }
    for code, rows in SECTIONS.items():
        for order, (section_code, section_name) in enumerate(rows, start=1):
            if (code, section_code) not in sections:
                sections[code, section_code] = services.section_create(
                    actor=None,
                    department=departments[code],
                    code=section_code,
                    name=section_name,
                    sort_order=order,
                )

    plan = _plan(this_fy=this_fy)
    usernames = ["admin", *(p.username for p in plan)]
    employees = {e.username: e for e in Employee.objects.filter(username__in=usernames)}
    new_ids = []
    if "admin" not in employees:
        employees["admin"] = Employee.objects.create_superuser(
            "admin", f"admin@{EMAIL_DOMAIN}", None, name="システム管理者"
        )
        new_ids.append(employees["admin"].pk)
    for person in plan:
        if person.username in employees:
            continue
        employees[person.username] = services.employee_create(
            actor=None,
            username=person.username,
            name=person.name,
            email=f"{person.username}@{EMAIL_DOMAIN}",
            department=departments[person.department],
            section=sections[person.department, person.section] if person.section else None,
            position=person.position,
            employment_type=person.employment_type,
            hired_on=person.hired_on,
            roles=person.roles,
            security_training_fy=person.training_fy,
            security_pledge_signed=person.pledge,
        )
        new_ids.append(employees[person.username].pk)
    if new_ids:
        Employee.objects.filter(pk__in=new_ids).update(password=make_password(password))
    created += len(new_ids)

    keys = {"admin": "admin", **{p.key: p.username for p in plan}}
    for key, deputy_key in _deputies(set(keys)).items():
        employee, deputy = employees[keys[key]], employees[keys[deputy_key]]
        if employee.deputy_id is None and employee.is_active and deputy.is_active:
            employees[keys[key]] = services.employee_update(actor=None, employee=employee, deputy=deputy)

    for person in plan:
        section = sections[person.department, person.section] if person.position == Position.CHIEF else None
        if section is not None and section.chief_id is None:
            services.section_update(actor=None, section=section, chief=employees[person.username])

    employees = {
        e.username: e
        for e in Employee.objects.filter(username__in=usernames)
        .select_related("department")
        .prefetch_related("roles")
    }
    town = Town(password=password, departments=departments, employees=employees, keys=keys, created=created)
    for label, key in (
        ("システム管理者 (admin)", "admin"),
        ("町長", "mayor"),
        ("副町長", "deputy_mayor"),
        ("課長 (企画課)", "kikaku.director"),
        ("係長 (企画課)", "kikaku.chief.1"),
        ("主事 (企画課)", README_STAFF),
        ("人事・総務係 (hr)", "somu.staff.1"),
        ("デジタル推進係 (secretariat)", "somu.staff.3"),
    ):
        employee = town.by_key(key)
        town.logins.append(
            Login(
                label,
                employee.username,
                employee.name,
                employee.department.name if employee.department else "",
            )
        )
    return town
