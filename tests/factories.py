"""factory_boy factories for the organisation; domain objects beyond it are built through their services."""

from datetime import date

import factory
from django.contrib.auth.hashers import make_password

from org.models import Assignment, Department, Employee, EmploymentType, Position, Role

TEST_PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"第{n}課")
    short_name = factory.Sequence(lambda n: f"南富{n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An employee with the `staff` role; pass `roles=["manager", ...]` for more."""

    class Meta:
        model = Employee
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"職員 {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.jp")
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))  # fast hasher in tests
    department = factory.SubFactory(DepartmentFactory)
    position = Position.STAFF
    employment_type = EmploymentType.REGULAR
    hired_on = factory.Faker("date_between", start_date="-10y", end_date="-1y")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        codes = {"staff", *(extracted or [])}
        if self.position in {Position.CHIEF, Position.ASSISTANT_DIRECTOR, Position.DIRECTOR}:
            codes.add("manager")
        if self.position in {Position.DEPUTY_MAYOR, Position.MAYOR}:
            codes.add("manager")
        # Transactional tests flush the tables, the migration's Role rows included: make sure they exist.
        self.roles.set([Role.objects.get_or_create(code=code)[0] for code in sorted(codes)])

    @factory.post_generation
    def assignment(self, create, extracted, **kwargs):
        """The first assignment (配属), as `employee_create` records it: from the hire date, as created."""
        if create and not Assignment.objects.filter(employee=self).exists():
            Assignment.objects.create(
                employee=self,
                start=self.hired_on or date(2000, 4, 1),
                department=self.department,
                section=self.section,
                position=self.position,
            )
