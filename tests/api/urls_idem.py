"""Test-only routes: a creating endpoint (an absence of the caller) behind `@idempotent`, plus the real URLs."""

import threading

from django.urls import include, path
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from api.core.idempotency import idempotent
from core.errors import RuleViolation
from org.models import Absence


class Gate:
    """Holds a request whose reason is `gate` inside the view until the test releases it."""

    entered = threading.Event()
    release = threading.Event()

    @classmethod
    def reset(cls) -> None:
        cls.entered.clear()
        cls.release.clear()


class AbsenceInputSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.CharField(required=False, default="")


def _absence_data(absence: Absence) -> dict:
    return {"id": absence.pk, "start": absence.start.isoformat(), "end": absence.end.isoformat()}


class AbsenceTestViewSet(viewsets.GenericViewSet):
    serializer_class = AbsenceInputSerializer

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = AbsenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        if reason == "refuse":
            raise RuleViolation(code="refused")
        if reason == "gate":
            Gate.entered.set()
            Gate.release.wait(timeout=10)
        absence = Absence.objects.create(employee=request.user, **serializer.validated_data)
        return Response(
            _absence_data(absence),
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/test/absences/{absence.pk}/"},
        )

    @action(detail=True, methods=["post"])
    @idempotent
    def copy(self, request, pk=None):
        original = Absence.objects.get(pk=pk, employee=request.user)
        absence = Absence.objects.create(employee=request.user, start=original.start, end=original.end)
        return Response(_absence_data(absence), status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("api/test/absences", AbsenceTestViewSet, basename="test-absence")

urlpatterns = [*router.urls, path("", include("config.urls"))]

handler400 = "api.core.views.bad_request"
handler403 = "api.core.views.permission_denied"
handler404 = "api.core.views.page_not_found"
handler500 = "api.core.views.server_error"
