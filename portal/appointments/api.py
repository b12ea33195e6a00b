"""API: the signed-in resident's own appointments, free slots, book, cancel and
reschedule. Same services, rules and errors as the pages. Book and reschedule
accept an `Idempotency-Key` header (portal.core.idempotency): a repeat with the
same key returns the stored answer instead of acting twice."""

from datetime import date, timedelta

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.idempotency import IDEMPOTENCY_KEY, IDEMPOTENCY_RESPONSES, idempotent
from portal.core.schema import ErrorDetail
from portal.hospitals.models import Hospital

from . import selectors, services
from .models import Appointment, IdentityDocument

# --- serializers ---------------------------------------------------------------


class SlotOut(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    department_id = serializers.IntegerField()
    department = serializers.CharField(source="department.display_name")
    doctor_name = serializers.CharField()
    free = serializers.IntegerField()


class AppointmentOut(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    slot_id = serializers.IntegerField()
    hospital_id = serializers.IntegerField(source="slot.department.hospital_id")
    hospital = serializers.CharField(source="slot.department.hospital.name")
    department = serializers.CharField(source="slot.department.display_name")
    reason = serializers.CharField()
    id_document = serializers.CharField()
    pay_with_vouchers = serializers.BooleanField()
    booked_on_behalf = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_booked_on_behalf(self, obj) -> bool:
        return obj.booked_by_id != obj.resident_id


# A slot id is a database id: bounded, so a huge number is a 400, not a database error.
SLOT_ID = {"min_value": 1, "max_value": 2**63 - 1}


class BookIn(serializers.Serializer):
    slot = serializers.IntegerField(**SLOT_ID)
    reason = serializers.CharField(max_length=500)
    id_document = serializers.ChoiceField(choices=IdentityDocument.choices)
    pay_with_vouchers = serializers.BooleanField(default=False)


class RescheduleIn(serializers.Serializer):
    slot = serializers.IntegerField(**SLOT_ID)


class CodedError(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class ErrorOut(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    alternatives = SlotOut(many=True)


def _error(exc: services.BookingError) -> Response:
    return Response(
        {"code": exc.code, "detail": str(exc.message), "alternatives": SlotOut(exc.alternatives, many=True).data},
        status=exc.status,
    )


def _appointment(appointment) -> dict:
    """The answer to a write: the services return the appointment with its slot,
    department and hospital loaded."""
    return AppointmentOut(appointment).data


# --- views ---------------------------------------------------------------------


class AppointmentListCreate(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AppointmentOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Appointment.objects.none()
        return selectors.appointments_for_api(resident=self.request.user).order_by("-starts_at", "-id")

    @extend_schema(responses=AppointmentOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AppointmentOut(page, many=True).data)

    # 400 (documented for every write in portal.core.schema): invalid fields, or a
    # booking rule's {code, detail, alternatives}; 422: Idempotency-Key reused.
    @extend_schema(request=BookIn, responses={201: AppointmentOut, 409: ErrorOut, **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def post(self, request: Request) -> Response:
        data = BookIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            appointment = services.appointment_book(
                actor=request.user, resident=request.user, slot_id=data.validated_data["slot"],
                reason=data.validated_data["reason"], id_document=data.validated_data["id_document"],
                pay_with_vouchers=data.validated_data["pay_with_vouchers"],
            )
        except services.BookingError as exc:
            return _error(exc)
        return Response(_appointment(appointment), status=status.HTTP_201_CREATED)


class AppointmentDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AppointmentOut)
    def get(self, request: Request, reference: str) -> Response:
        appointment = selectors.appointments_for_api(resident=request.user).filter(reference=reference).first()
        if appointment is None:
            raise NotFound
        return Response(AppointmentOut(appointment).data)


class AppointmentCancel(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: AppointmentOut, 409: ErrorOut})
    def post(self, request: Request, reference: str) -> Response:
        try:
            appointment = services.appointment_cancel(actor=request.user, resident=request.user, reference=reference)
        except services.NotPermitted as exc:
            raise NotFound from exc
        except services.BookingError as exc:
            return _error(exc)
        return Response(_appointment(appointment))


class AppointmentReschedule(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RescheduleIn, responses={200: AppointmentOut, 409: ErrorOut, **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        data = RescheduleIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            appointment = services.appointment_reschedule(
                actor=request.user, resident=request.user, reference=reference, slot_id=data.validated_data["slot"]
            )
        except services.NotPermitted as exc:
            raise NotFound from exc
        except services.BookingError as exc:
            return _error(exc)
        return Response(_appointment(appointment))


class HospitalSlots(APIView):
    """Free slots of a hospital, optionally for one department and one day."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: SlotOut(many=True), 400: CodedError, 404: ErrorDetail},
        parameters=[OpenApiParameter("department", int), OpenApiParameter("date", str, description="YYYY-MM-DD")],
    )
    def get(self, request: Request, hospital_id: int) -> Response:
        hospital = get_object_or_404(Hospital, pk=hospital_id, is_active=True)
        queryset = selectors.bookable_slots(for_resident=request.user).filter(
            department__hospital=hospital, free__gt=0
        ).select_related("department__specialty")
        department = request.query_params.get("department", "")
        if department:
            if not department.isdigit():
                return Response({"code": "invalid", "detail": _("Unknown department.")}, status=400)
            queryset = queryset.filter(department_id=int(department))
        day = request.query_params.get("date", "")
        if day:
            try:
                queryset = queryset.filter(starts_at__date=date.fromisoformat(day))
            except ValueError:
                return Response({"code": "invalid", "detail": _("Give the date as YYYY-MM-DD.")}, status=400)
        else:
            queryset = queryset.filter(starts_at__lte=timezone.now() + timedelta(days=selectors.BOOKING_WINDOW_DAYS + 7))
        return Response(SlotOut(queryset.order_by("starts_at")[:500], many=True).data)


api_urlpatterns = [
    path("appointments/", AppointmentListCreate.as_view(), name="appointments-list"),
    path("appointments/<str:reference>/", AppointmentDetail.as_view(), name="appointments-detail"),
    path("appointments/<str:reference>/cancel/", AppointmentCancel.as_view(), name="appointments-cancel"),
    path("appointments/<str:reference>/reschedule/", AppointmentReschedule.as_view(), name="appointments-reschedule"),
    path("hospitals/<int:hospital_id>/slots/", HospitalSlots.as_view(), name="hospital-slots"),
]
