"""App configuration of api (HTTP only)."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from api.core import catalogue  # noqa: F401  (registers the check that each error code is declared once)
