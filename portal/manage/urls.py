"""Routes under /manage/ (namespace `portal:manage`). The nav links to `portal:manage:department` (managers),
`portal:manage:hr` (HR) and `portal:manage:secretariat` (the secretariat) once they exist."""

app_name = "manage"

urlpatterns: list = []
