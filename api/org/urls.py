"""Routes of the organisation area (included at the root of /api/v1/)."""

from rest_framework.routers import SimpleRouter

from api.org.views import AbsenceViewSet, DepartmentViewSet, EmployeeViewSet

router = SimpleRouter()
router.register("org/departments", DepartmentViewSet, basename="org-department")
router.register("org/employees", EmployeeViewSet, basename="org-employee")
router.register("org/absences", AbsenceViewSet, basename="org-absence")

urlpatterns: list = [*router.urls]
