"""Organisation endpoints: departments (admin writes), sections (hr and admin write), employees (admin and hr
write) with their assignment history, transfers (人事異動, hr), absences."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core import filters
from api.core.idempotency import idempotent
from api.core.permissions import RolesPrefetchedMixin, has_role
from api.core.schema import error_codes
from api.org.serializers import (
    AbsenceCreateSerializer,
    AbsenceSerializer,
    AssignmentSerializer,
    DepartmentCreateSerializer,
    DepartmentSerializer,
    DepartmentUpdateSerializer,
    EmployeeSerializer,
    EmployeeWriteSerializer,
    SectionCreateSerializer,
    SectionListQuerySerializer,
    SectionSerializer,
    SectionUpdateSerializer,
    TransferSerializer,
)
from core.errors import CoreError
from org import selectors, services
from org.codes import OrgError
from org.models import Absence, Department, Employee, Position, RoleCode


@error_codes()
class DepartmentViewSet(
    RolesPrefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """課: everyone reads; the admin creates and changes."""

    serializer_class = DepartmentSerializer
    lookup_field = "code"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.department_list()

    def get_permissions(self):
        if self.action in {"create", "partial_update"}:
            return [has_role(RoleCode.ADMIN)()]
        return [IsAuthenticated()]

    @extend_schema(request=DepartmentCreateSerializer, responses={201: DepartmentSerializer})
    @error_codes(fields=(CoreError.REQUIRED, CoreError.UNIQUE))
    @idempotent
    def create(self, request):
        serializer = DepartmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        department = services.department_create(**serializer.validated_data)
        return Response(DepartmentSerializer(department).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DepartmentUpdateSerializer, responses={200: DepartmentSerializer})
    @error_codes(OrgError.DEPARTMENT_HAS_EMPLOYEES, fields=(CoreError.REQUIRED,))
    def partial_update(self, request, code=None):
        department = self.get_object()
        serializer = DepartmentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        department = services.department_update(department=department, **serializer.validated_data)
        return Response(DepartmentSerializer(department).data)


class SectionViewSet(
    RolesPrefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """係: everyone reads (`?department=` a department's, in display order); hr and admin create and change."""

    serializer_class = SectionSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.sections_of()
        query = SectionListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.sections_of(department=query.validated_data.get("department"))

    def get_permissions(self):
        if self.action in {"create", "partial_update"}:
            return [has_role(RoleCode.HR, RoleCode.ADMIN)()]
        return [IsAuthenticated()]

    @extend_schema(parameters=[SectionListQuerySerializer])
    @error_codes()
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @error_codes()
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=SectionCreateSerializer, responses={201: SectionSerializer})
    @error_codes(
        fields=(
            CoreError.REQUIRED,
            CoreError.UNIQUE,
            OrgError.CHIEF_NOT_IN_DEPARTMENT,
        )
    )
    @idempotent
    def create(self, request):
        serializer = SectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        section = services.section_create(actor=request.user, **serializer.validated_data)
        return Response(SectionSerializer(section).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SectionUpdateSerializer, responses={200: SectionSerializer})
    @error_codes(
        OrgError.SECTION_HAS_MEMBERS,
        fields=(CoreError.REQUIRED, OrgError.CHIEF_NOT_IN_DEPARTMENT),
    )
    def partial_update(self, request, pk=None):
        section = self.get_object()
        serializer = SectionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        section = services.section_update(actor=request.user, section=section, **serializer.validated_data)
        return Response(SectionSerializer(section).data)


class TransferView(RolesPrefetchedMixin, APIView):
    """人事異動 (hr, admin): dated today or earlier it takes effect at once, later on its day; on that day the
    waiting approval steps of the posts it changes move to their new holders."""

    permission_classes = [has_role(RoleCode.HR, RoleCode.ADMIN)]

    @extend_schema(request=TransferSerializer, responses={201: AssignmentSerializer})
    @error_codes(
        OrgError.ADMIN_ONLY,
        OrgError.EMPLOYEE_INACTIVE,
        OrgError.TRANSFER_BEFORE_LATER_ONE,
        fields=(CoreError.INVALID_CHOICE, OrgError.SECTION_NOT_IN_DEPARTMENT),
    )
    @idempotent
    def post(self, request):
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.employee_transfer(actor=request.user, **serializer.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


# The codes of `errors` that the employee services answer (Django's password validators' included).
EMPLOYEE_FIELD_CODES = (
    CoreError.REQUIRED,
    CoreError.UNIQUE,
    CoreError.INVALID_CHOICE,
    OrgError.MANAGER_REQUIRES_POSITION,
    OrgError.DEPUTY_SELF,
    OrgError.DEPUTY_INACTIVE,
    OrgError.SECTION_NOT_IN_DEPARTMENT,
    OrgError.PASSWORD_TOO_SIMILAR,
    OrgError.PASSWORD_TOO_SHORT,
    OrgError.PASSWORD_TOO_COMMON,
    OrgError.PASSWORD_ENTIRELY_NUMERIC,
)


class EmployeeFilter(filters.FilterSet):
    department = filters.ModelChoiceFilter(
        field_name="department", to_field_name="code", queryset=Department.objects.all()
    )
    position = filters.ChoiceFilter(choices=Position.choices)
    active = filters.BooleanFilter(field_name="is_active")


@error_codes()
class EmployeeViewSet(
    RolesPrefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """職員: the directory for everyone (own department for staff), full records for self, hr and admin;
    admin and hr register, change and deactivate."""

    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return Employee.objects.none()
        return selectors.employees_visible_to(viewer=self.request.user)

    def get_permissions(self):
        if self.action in {"create", "partial_update", "deactivate"}:
            return [has_role(RoleCode.ADMIN, RoleCode.HR)()]
        return [IsAuthenticated()]

    @extend_schema(request=EmployeeWriteSerializer, responses={201: EmployeeSerializer})
    @error_codes(OrgError.ADMIN_ONLY, fields=EMPLOYEE_FIELD_CODES)
    @idempotent
    def create(self, request):
        serializer = EmployeeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = services.employee_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(employee).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EmployeeWriteSerializer, responses={200: EmployeeSerializer})
    @error_codes(OrgError.ADMIN_ONLY, fields=EMPLOYEE_FIELD_CODES)
    def partial_update(self, request, pk=None):
        employee = self.get_object()
        serializer = EmployeeWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        employee = services.employee_update(
            actor=request.user, employee=employee, **serializer.validated_data
        )
        return Response(self.get_serializer(employee).data)

    @extend_schema(responses={200: AssignmentSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def assignments(self, request, pk=None):
        """配属履歴: the employee's assignments, oldest first (the employee, hr and admin; others 403)."""
        employee = self.get_object()
        if not selectors.can_read_employee_record(viewer=request.user, employee=employee):
            raise CoreError.PERMISSION_DENIED.error()
        history = selectors.assignment_history(employee=employee)
        return Response(AssignmentSerializer(history, many=True).data)

    @extend_schema(request=None, responses={200: EmployeeSerializer})
    @error_codes(OrgError.ADMIN_ONLY, OrgError.CANNOT_DEACTIVATE_SELF, OrgError.ALREADY_INACTIVE)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """退職・異動: the account can no longer log in; whoever had them as deputy loses that deputy."""
        employee = services.employee_deactivate(actor=request.user, employee=self.get_object())
        return Response(self.get_serializer(employee).data)


class AbsenceFilter(filters.FilterSet):
    employee = filters.NumberFilter(field_name="employee_id")


# `from` and `to` are Python keywords, so they are added by name: absences overlapping [from, to].
AbsenceFilter.base_filters["from"] = filters.DateFilter(field_name="end", lookup_expr="gte")
AbsenceFilter.base_filters["to"] = filters.DateFilter(field_name="start", lookup_expr="lte")


@error_codes()
class AbsenceViewSet(RolesPrefetchedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """不在: recorded (and taken back) by the employee, their department's manager, hr or admin; read by
    them and the employee's deputy."""

    serializer_class = AbsenceSerializer
    filterset_class = AbsenceFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return Absence.objects.none()
        return selectors.absences_visible_to(viewer=self.request.user)

    @extend_schema(request=AbsenceCreateSerializer, responses={201: AbsenceSerializer})
    @error_codes(OrgError.EMPLOYEE_INACTIVE, OrgError.ABSENCE_OVERLAP, fields=(CoreError.END_BEFORE_START,))
    @idempotent
    def create(self, request):
        serializer = AbsenceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        absence = services.absence_create(actor=request.user, **serializer.validated_data)
        return Response(AbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.absence_delete(actor=request.user, absence=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
