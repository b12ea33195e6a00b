"""API (session auth): the health summary (GET, PUT) and documents from visits
(list, detail), scoped by the same functions as the pages
(selectors.summary_acting_for, selectors.documents_visible_to); every read by
someone other than the resident goes into the resident's access log."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.care.doors import RESIDENT_HELP, CareRefused
from portal.core.schema import ErrorDetail

from . import selectors, services

RESIDENT = OpenApiParameter("resident", int, description=RESIDENT_HELP + " Caregivers need the health summary right.")


def _resident_id(request) -> int | None:
    value = request.query_params.get("resident", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise NotFound
    return int(value)


def _acting(request):
    try:
        return selectors.summary_acting_for(request.user, _resident_id(request))
    except CareRefused as refused:
        raise DrfPermissionDenied(detail=refused.message, code="care_refused") from refused
    except Http404 as missing:
        raise NotFound from missing


class SummaryOut(serializers.Serializer):
    connect_items = serializers.ListField(child=serializers.CharField(), help_text="Slugs of Connect items.")
    other_medicines = serializers.CharField(allow_blank=True)
    allergies = serializers.CharField(allow_blank=True)
    conditions = serializers.CharField(allow_blank=True)
    emergency_contact_name = serializers.CharField(allow_blank=True)
    emergency_contact_phone = serializers.CharField(allow_blank=True)
    show_medicines = serializers.BooleanField()
    show_allergies = serializers.BooleanField()
    show_conditions = serializers.BooleanField()
    show_emergency_contact = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)


class SummaryIn(serializers.Serializer):
    connect_items = serializers.ListField(child=serializers.SlugField(max_length=100), required=False, default=list,
                                          max_length=200)
    other_medicines = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    allergies = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    conditions = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    emergency_contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    emergency_contact_phone = PhoneNumberField(required=False, allow_blank=True, default="", region="HK")
    show_medicines = serializers.BooleanField(required=False, default=True)
    show_allergies = serializers.BooleanField(required=False, default=True)
    show_conditions = serializers.BooleanField(required=False, default=True)
    show_emergency_contact = serializers.BooleanField(required=False, default=True)

    def validate_connect_items(self, slugs):
        items = list(selectors.connect_items_to_pick().filter(slug__in=slugs))
        if len(items) != len(set(slugs)):
            raise serializers.ValidationError("Unknown or delisted Connect item.")
        return items


def _summary_out(summary) -> dict:
    if summary is None:
        return {"connect_items": [], "other_medicines": "", "allergies": "", "conditions": "",
                "emergency_contact_name": "", "emergency_contact_phone": "", "show_medicines": True,
                "show_allergies": True, "show_conditions": True, "show_emergency_contact": True, "updated_at": None}
    return {**{name: getattr(summary, name) for name in services.SUMMARY_FIELDS},
            "emergency_contact_phone": str(summary.emergency_contact_phone or ""),
            "connect_items": [item.slug for item in summary.connect_items.all()], "updated_at": summary.updated_at}


class HealthSummaryView(APIView):
    """GET /api/v1/health-summary/: the health summary (empty when not filled in);
    PUT replaces it. With `resident`: a caregiver with the health summary right
    keeps the elder's (each read in the elder's access log)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SummaryOut, 403: ErrorDetail, 404: ErrorDetail}, parameters=[RESIDENT])
    def get(self, request):
        from portal.care.services import access_log_record

        acting = _acting(request)
        if acting.care_link is not None:
            access_log_record(link=acting.care_link, what="health_summary")
        return Response(SummaryOut(_summary_out(selectors.health_summary_of(acting.resident))).data)

    @extend_schema(request=SummaryIn, responses={200: SummaryOut, 403: ErrorDetail, 404: ErrorDetail},
                   parameters=[RESIDENT])
    def put(self, request):
        acting = _acting(request)
        data = SummaryIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            summary = services.health_summary_save(actor=request.user, resident=acting.resident,
                                                   connect_items=values.pop("connect_items"), **values)
        except PermissionDenied as refused:
            raise DrfPermissionDenied(detail=str(refused)) from refused
        return Response(SummaryOut(_summary_out(selectors.health_summary_of(summary.resident))).data)


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    appointment = serializers.CharField(source="appointment.reference")
    kind = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    shared_with = serializers.CharField(source="shared_with.slug", allow_null=True, default=None)
    uploaded = serializers.DateTimeField(source="created_at")
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str:
        return reverse("visits:document_download", args=[document.pk])


class DocumentList(APIView):
    """GET /api/v1/visit-documents/: the documents from the visits of the resident
    acted for (yourself, or with `resident` an elder whose health summary you keep;
    the read goes into their access log)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: DocumentOut(many=True), 403: ErrorDetail, 404: ErrorDetail}, parameters=[RESIDENT])
    def get(self, request):
        from portal.care.services import access_log_record

        acting = _acting(request)
        if acting.care_link is not None:
            access_log_record(link=acting.care_link, what="visit_document")
        documents = selectors.documents_visible_to(request.user).filter(resident=acting.resident)[:500]
        return Response(DocumentOut(documents, many=True).data)


class DocumentDetail(APIView):
    """GET /api/v1/visit-documents/<id>/: one document's details and its download
    address. Centre staff reach documents shared with their centre after opening
    the resident's case with a reason (the read is logged with it)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: DocumentOut, 403: ErrorDetail, 404: ErrorDetail})
    def get(self, request, pk: int):
        from portal.centres.selectors import case_reason

        try:
            document = selectors.document_for(request.user, pk)
        except Http404 as missing:
            raise NotFound from missing
        try:
            services.document_read_record(actor=request.user, document=document,
                                          why=case_reason(request, document.resident_id))
        except PermissionDenied as refused:
            raise DrfPermissionDenied(detail=str(refused)) from refused
        return Response(DocumentOut(document).data)


api_urlpatterns = [
    path("health-summary/", HealthSummaryView.as_view(), name="health-summary"),
    path("visit-documents/", DocumentList.as_view(), name="visit-documents-list"),
    path("visit-documents/<int:pk>/", DocumentDetail.as_view(), name="visit-documents-detail"),
]
