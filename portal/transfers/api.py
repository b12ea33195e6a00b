"""API: /api/v1/transfers/ (list, create), /api/v1/transfers/<id>/ and
/api/v1/transfers/<id>/moves/. Every object comes from selectors scoped to the
user (404 outside it); moves go through the same services as the pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.models import IDENTITY_DOCUMENT_CHOICES
from portal.care.api import ActingForOut
from portal.care.doors import RESIDENT_HELP, ActingFor, acting_for_out, api_resident_acted_for
from portal.care.models import Right
from portal.care.services import access_log_record as care_access_log_record
from portal.core.bad_input import DateTimeField
from portal.core.idempotency import IDEMPOTENCY_KEY, IDEMPOTENCY_RESPONSES, idempotent
from portal.core.schema import ErrorDetail
from portal.hospitals.models import BorderPoint

from . import selectors, services
from .models import Escort, Route, TransferEvent, TransferRequest
from .workflow import State


def _drf_error(error: Exception):
    if isinstance(error, PermissionDenied):
        return DrfPermissionDenied(str(error))
    return DrfValidationError({"detail": error.messages if isinstance(error, ValidationError) else [str(error)]})


class EventOutput(serializers.ModelSerializer):
    to_state_label = serializers.CharField(source="get_to_state_display")

    class Meta:
        model = TransferEvent
        fields = ["from_state", "to_state", "to_state_label", "role", "note", "at"]


@extend_schema_field({"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
                      "nullable": True, "description": "Hong Kong time, HH:MM:SS (no offset)."})
class LocalTime(serializers.TimeField):
    """A wall-clock time without an offset: OpenAPI's `format: time` would demand one."""


class TransferOutput(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    sending_hospital = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    receiving_hospital = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    border_point = serializers.SlugRelatedField(slug_field="code", read_only=True)
    preferred_time = LocalTime(read_only=True, allow_null=True)

    class Meta:
        model = TransferRequest
        fields = ["id", "reference", "state", "state_label", "sending_hospital", "receiving_hospital",
                  "border_point", "preferred_date", "preferred_time", "fee_quoted_rmb", "created_at", "updated_at"]


class TransferDetailOutput(TransferOutput):
    events = EventOutput(many=True, read_only=True)
    details = serializers.SerializerMethodField()
    acting_for = serializers.SerializerMethodField(
        help_text="Whom the request that made this answer acted for, when not yourself.")

    class Meta(TransferOutput.Meta):
        fields = [*TransferOutput.Meta.fields, "events", "details", "acting_for"]

    @extend_schema_field(ActingForOut(allow_null=True))
    def get_acting_for(self, transfer):
        return acting_for_out(self.context.get("acting"))

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_details(self, transfer):
        """Clinical details for the parties; a caregiver limited to this one transfer gets the timeline."""
        if not selectors.can_see_details(self.context["request"].user, transfer):
            return None
        return {
            "patient_name": transfer.patient_name, "patient_document_masked": transfer.patient_document_masked,
            "patient_document_type": transfer.patient_document_type,
            "clinical_summary": transfer.clinical_summary, "mobility_needs": transfer.mobility_needs,
            "equipment_needs": transfer.equipment_needs,
            "escorts": [{"kind": e.kind, "name": e.name, "relationship": e.relationship} for e in transfer.escorts.all()],
            "attachments": [{"id": a.id, "name": a.original_name, "content_type": a.content_type, "size": a.size}
                            for a in transfer.attachments.all()],
        }


class EscortInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Escort.Kind.choices)
    name = serializers.CharField(max_length=150)
    relationship = serializers.CharField(max_length=100, required=False, allow_blank=True)


class TransferInput(serializers.Serializer):
    # Every route: a route that is not running is refused by the service with its reason.
    route = serializers.PrimaryKeyRelatedField(queryset=Route.objects.all(),
                                               help_text="Only a running route can be requested.")
    reverse_direction = serializers.BooleanField(default=False)
    resident = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text=RESIDENT_HELP)
    patient_kind = serializers.ChoiceField(choices=TransferRequest.PatientKind.choices)
    patient_email = serializers.EmailField(required=False)
    patient_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    patient_document = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    patient_document_type = serializers.ChoiceField(
        choices=IDENTITY_DOCUMENT_CHOICES, required=False, allow_blank=True, default="",
        help_text="Needed for a Certificate of Exemption; other documents are recognised from the number.")
    clinical_summary = serializers.CharField(max_length=4000)
    mobility_needs = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    equipment_needs = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    escorts = EscortInput(many=True, required=False, default=list)
    preferred_date = serializers.DateField()
    preferred_time = serializers.TimeField(required=False, allow_null=True, default=None)
    consent_to_share = serializers.BooleanField()


class TransferListCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TransferOutput(many=True))
    def get(self, request):
        transfers = selectors.transfers_visible_to(request.user)[:200]
        return Response(TransferOutput(transfers, many=True).data)

    @extend_schema(request=TransferInput, responses={201: TransferDetailOutput, 404: ErrorDetail, **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def post(self, request):
        data = TransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        acting = api_resident_acted_for(request, values.pop("resident", None), Right.TRANSFERS, write=True)
        requester = acting.resident
        patient_email = values.pop("patient_email", "")
        patient_user = None
        if values["patient_kind"] == TransferRequest.PatientKind.RESIDENT:
            patient_user = selectors.account_named_as_patient(patient_email)
        try:
            transfer = services.transfer_submit(actor=request.user, requester=requester,
                                                patient_user=patient_user, **values)
        except (ValidationError, PermissionDenied) as error:
            raise _drf_error(error) from error
        transfer = selectors.transfer_for(request.user, transfer.pk)
        return Response(TransferDetailOutput(transfer, context={"request": request, "acting": acting}).data,
                        status=status.HTTP_201_CREATED)


class TransferDetail(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = TransferDetailOutput
    queryset = TransferRequest.objects.none()  # for the schema; objects come from the scoped selector

    def get_object(self):
        transfer = selectors.transfer_for(self.request.user, self.kwargs["pk"])
        link = selectors.caregiver_reading(self.request.user, transfer)
        if link is not None:  # a caregiver's read goes into the elder's access log, and the answer says for whom
            care_access_log_record(link=link, what="transfers")
            self.acting = ActingFor(resident=link.elder, care_link=link)
        return transfer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "acting": getattr(self, "acting", None)}


class MoveInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=State.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    vehicle_plate_hk_macao = serializers.CharField(max_length=20, required=False, default="")
    vehicle_plate_mainland = serializers.CharField(max_length=20, required=False, default="")
    crew = serializers.CharField(max_length=1000, required=False, default="")
    documents_checked = serializers.BooleanField(required=False, default=False)
    crossing_border_point = serializers.SlugRelatedField(slug_field="code", queryset=BorderPoint.objects.all(),
                                                         required=False, allow_null=True, default=None)
    crossing_at = DateTimeField(required=False, allow_null=True, default=None)


class TransferMoves(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=MoveInput, responses=TransferDetailOutput)
    def post(self, request, pk: int):
        transfer = selectors.transfer_for(request.user, pk)
        data = MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        target = values.pop("to")
        details = {} if target != State.CROSSING_PREREGISTERED else values
        note = values.pop("note", "")
        try:
            services.transfer_move(actor=request.user, transfer=transfer, target=target, note=note, **details)
        except (ValidationError, PermissionDenied) as error:
            raise _drf_error(error) from error
        transfer = selectors.transfer_for(request.user, pk)
        return Response(TransferDetailOutput(transfer, context={"request": request}).data)
