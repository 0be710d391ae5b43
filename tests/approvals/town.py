"""A small town for approval tests: 総務課, 会計課 and 企画課 with directors, a chief and staff, a deputy mayor and a
mayor; `submitted` routes a general document through the services."""

from types import SimpleNamespace

from approvals import services
from approvals.models import RouteRule
from approvals.routing import DEFAULT_TEMPLATES
from org.models import Position
from tests.factories import DepartmentFactory, EmployeeFactory


def ensure_route_rules() -> None:
    """The seeded version-1 rules, again if a transactional test's flush removed the migration's rows."""
    for kind, steps in DEFAULT_TEMPLATES.items():
        if not RouteRule.objects.filter(kind=kind).exists():
            RouteRule.objects.create(kind=kind, version=1, active=True, steps=steps)


def build_town() -> SimpleNamespace:
    ensure_route_rules()
    somu = DepartmentFactory(code="somu", name="総務課", short_name="南富総", sort_order=1)
    kaikei = DepartmentFactory(code="kaikei", name="会計課", short_name="南富会", sort_order=2)
    kikaku = DepartmentFactory(code="kikaku", name="企画課", short_name="南富企", sort_order=3)
    executive = DepartmentFactory(code="shicho", name="町長室", short_name="南富町", sort_order=0)
    town = SimpleNamespace(somu=somu, kaikei=kaikei, kikaku=kikaku, executive=executive)
    town.mayor = EmployeeFactory(username="mayor", name="町長", department=executive, position=Position.MAYOR)
    town.deputy_mayor = EmployeeFactory(
        username="deputy_mayor", name="副町長", department=executive, position=Position.DEPUTY_MAYOR
    )
    town.director = EmployeeFactory(
        username="somu_director", name="総務課長", department=somu, position=Position.DIRECTOR
    )
    town.chief = EmployeeFactory(
        username="somu_chief", name="総務係長", department=somu, position=Position.CHIEF
    )
    town.staff = EmployeeFactory(
        username="somu_staff", name="総務主事", department=somu, position=Position.STAFF
    )
    town.staff2 = EmployeeFactory(
        username="somu_staff2", name="総務主事2", department=somu, position=Position.STAFF
    )
    town.kaikei_director = EmployeeFactory(
        username="kaikei_director", name="会計課長", department=kaikei, position=Position.DIRECTOR
    )
    town.kaikei_staff = EmployeeFactory(username="kaikei_staff", name="会計主事", department=kaikei)
    town.kikaku_director = EmployeeFactory(
        username="kikaku_director", name="企画課長", department=kikaku, position=Position.DIRECTOR
    )
    # 代決者: the chief stands in for the director, the director for the deputy mayor.
    town.director.deputy = town.chief
    town.director.save(update_fields=["deputy"])
    town.deputy_mayor.deputy = town.director
    town.deputy_mayor.save(update_fields=["deputy"])
    return town


def submit_general(
    town, *, amount=None, consult=(), drafter=None, title="物品購入について", retention_years=5
):
    """A general document drafted and submitted through the services."""
    drafter = drafter or town.staff
    document = services.document_create(
        kind="general",
        drafter=drafter,
        title=title,
        body="本文",
        amount=amount,
        retention_years=retention_years,
        consult_departments=consult,
    )
    return services.document_submit(document=document, actor=drafter)
