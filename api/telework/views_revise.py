"""POST /api/v1/telework/requests/{id}/revise/: a returned telework request changed and circulated again (a thin
call into telework.revisions)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.schema import error_codes
from api.telework.serializers import TeleworkRequestCreateSerializer, TeleworkRequestSerializer
from core.errors import CoreError
from telework import selectors
from telework.revisions import telework_request_revise


class RequestReviseView(APIView):
    @extend_schema(
        request=TeleworkRequestCreateSerializer,
        responses={200: TeleworkRequestSerializer},
        description="修正して再申請: the applicant changes a request whose document was returned to them "
        "(`dates`, `location`, `work_plan`); every rule is checked again (422 with every violation, as for a "
        "new request) and the document says the same and is circulated again. The generic PATCH of the "
        "document refuses telework documents (409 `kind_not_editable`).",
    )
    @error_codes(CoreError.INVALID_STATE, CoreError.RULE_VIOLATION)
    def post(self, request, pk: int):
        telework_request = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        serializer = TeleworkRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        telework_request_revise(request=telework_request, actor=request.user, **serializer.validated_data)
        telework_request = selectors.request_for_viewer(viewer=request.user, request_id=pk)
        return Response(TeleworkRequestSerializer(telework_request).data)
