"""API: /api/v1/transfers/ (list, create), /api/v1/transfers/<id>/ and
/api/v1/transfers/<id>/moves/. Every object comes from selectors scoped to the
user (404 outside it); moves go through the same services as the pages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.models import IDENTITY_DOCUMENT_CHOICES
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


class TransferOutput(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    sending_hospital = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    receiving_hospital = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    border_point = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TransferRequest
        fields = ["id", "reference", "state", "state_label", "sending_hospital", "receiving_hospital",
                  "border_point", "preferred_date", "preferred_time", "fee_quoted_rmb", "created_at", "updated_at"]


class TransferDetailOutput(TransferOutput):
    events = EventOutput(many=True, read_only=True)
    details = serializers.SerializerMethodField()

    class Meta(TransferOutput.Meta):
        fields = [*TransferOutput.Meta.fields, "events", "details"]

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_details(self, transfer):
        """Clinical details for the parties; followers only get the timeline."""
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
    route = serializers.PrimaryKeyRelatedField(queryset=Route.objects.filter(is_active=True))
    reverse_direction = serializers.BooleanField(default=False)
    for_resident = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="Centre staff: the consenting resident's id.")
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
        requester = request.user
        resident_id = values.pop("for_resident", None)
        if resident_id is not None and resident_id != request.user.pk:
            requester = get_user_model().objects.filter(pk=resident_id, is_active=True).first()
            if requester is None or not selectors.may_request_transfer_for(request.user, requester):
                raise NotFound
        patient_email = values.pop("patient_email", "")
        patient_user = None
        if values["patient_kind"] == TransferRequest.PatientKind.RESIDENT:
            patient_user = selectors.account_named_as_patient(patient_email)
        try:
            transfer = services.transfer_submit(actor=request.user, requester=requester,
                                                patient_user=patient_user, **values)
        except (ValidationError, PermissionDenied) as error:
            raise _drf_error(error) from error
        return self._answer(transfer)

    def _answer(self, transfer):
        transfer = selectors.transfer_for(self.request.user, transfer.pk)
        return Response(TransferDetailOutput(transfer, context={"request": self.request}).data,
                        status=status.HTTP_201_CREATED)


class TransferDetail(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = TransferDetailOutput
    queryset = TransferRequest.objects.none()  # for the schema; objects come from the scoped selector

    def get_object(self):
        return selectors.transfer_for(self.request.user, self.kwargs["pk"])


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
