"""Routes of the organisation area (included at the root of /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.org.views import AbsenceViewSet, DepartmentViewSet, EmployeeViewSet, SectionViewSet, TransferView

router = SimpleRouter()
router.register("org/departments", DepartmentViewSet, basename="org-department")
router.register("org/employees", EmployeeViewSet, basename="org-employee")
router.register("org/absences", AbsenceViewSet, basename="org-absence")
router.register("org/sections", SectionViewSet, basename="org-section")

urlpatterns: list = [*router.urls, path("org/transfers/", TransferView.as_view(), name="org-transfers")]
