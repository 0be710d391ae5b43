"""Routes under /manage/ (namespace `portal:manage`): `department` (managers), `hr` (HR) and `secretariat` (the
secretariat), each with its actions."""

from django.urls import path

from portal.manage import department, hr, index, secretariat

app_name = "manage"

urlpatterns = [
    path("", index.index, name="index"),
    path("department/", department.department, name="department"),
    path("hr/", hr.hr, name="hr"),
    path("hr/close/", hr.close, name="hr-close"),
    path("hr/export.csv", hr.export, name="hr-export"),
    path("secretariat/", secretariat.secretariat, name="secretariat"),
    path("secretariat/phase/", secretariat.phase, name="secretariat-phase"),
    path("secretariat/policy/", secretariat.policy, name="secretariat-policy"),
]
