"""API: the signed-in resident's own appointments, free slots, book, cancel and
reschedule, and the waiting list. Same services, rules and errors as the pages.
Book and reschedule accept an `Idempotency-Key` header (portal.core.idempotency):
a repeat with the same key returns the stored answer instead of acting twice.

Each endpoint takes an optional `resident` (a body field on writes, a query
parameter on reads): the person acted for, checked by portal.care.doors (a
caregiver with the right to manage their appointments; for writes, also centre
staff with their consent). Without it the caller acts for themselves. Answers
acting for someone else say so in `acting_for`."""

from datetime import date, timedelta

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.care.api import ActingForOut
from portal.care.doors import RESIDENT_HELP, acting_for_out, api_resident_acted_for
from portal.care.models import Right
from portal.core.idempotency import IDEMPOTENCY_KEY, IDEMPOTENCY_RESPONSES, idempotent
from portal.core.schema import ErrorDetail
from portal.hospitals.models import Department, Hospital

from . import selectors, services
from .models import Appointment, IdentityDocument, WaitlistEntry

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
    acting_for = serializers.SerializerMethodField(
        help_text="Whom this request acted for, when not yourself: {id, name, role}.")

    def get_booked_on_behalf(self, obj) -> bool:
        return obj.booked_by_id != obj.resident_id

    @extend_schema_field(ActingForOut(allow_null=True))
    def get_acting_for(self, obj):
        return acting_for_out(self.context.get("acting"))


# A slot id is a database id: bounded, so a huge number is a 400, not a database error.
SLOT_ID = {"min_value": 1, "max_value": 2**63 - 1}


RESIDENT = {"required": False, "min_value": 1, "max_value": 2**63 - 1, "help_text": RESIDENT_HELP}
RESIDENT_PARAMETER = OpenApiParameter("resident", int, description=RESIDENT_HELP)


class ResidentIn(serializers.Serializer):
    resident = serializers.IntegerField(**RESIDENT)


class BookIn(ResidentIn):
    slot = serializers.IntegerField(**SLOT_ID)
    reason = serializers.CharField(max_length=500)
    id_document = serializers.ChoiceField(choices=IdentityDocument.choices)
    pay_with_vouchers = serializers.BooleanField(default=False)


class RescheduleIn(ResidentIn):
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


def _appointment(appointment, acting=None) -> dict:
    """The answer to a write: the services return the appointment with its slot,
    department and hospital loaded."""
    return AppointmentOut(appointment, context={"acting": acting}).data


def _resident_param(request) -> int | None:
    value = request.query_params.get("resident", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise NotFound
    return int(value)


def _reading_for(request):
    return api_resident_acted_for(request, _resident_param(request), Right.APPOINTMENTS, write=False,
                                  what="appointments")


def _writing_for(request, resident_id):
    return api_resident_acted_for(request, resident_id, Right.APPOINTMENTS, write=True)


# --- views ---------------------------------------------------------------------


class AppointmentListCreate(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AppointmentOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Appointment.objects.none()
        return selectors.appointments_for_api(resident=self.acting.resident).order_by("-starts_at", "-id")

    @extend_schema(responses=AppointmentOut(many=True), parameters=[RESIDENT_PARAMETER])
    def get(self, request: Request) -> Response:
        self.acting = _reading_for(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AppointmentOut(page, many=True, context={"acting": self.acting}).data)

    # 400 (documented for every write in portal.core.schema): invalid fields, or a
    # booking rule's {code, detail, alternatives}; 422: Idempotency-Key reused.
    @extend_schema(request=BookIn, responses={201: AppointmentOut, 404: ErrorDetail, 409: ErrorOut,
                                              **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def post(self, request: Request) -> Response:
        data = BookIn(data=request.data)
        data.is_valid(raise_exception=True)
        acting = _writing_for(request, data.validated_data.get("resident"))
        try:
            appointment = services.appointment_book(
                actor=request.user, resident=acting.resident, slot_id=data.validated_data["slot"],
                reason=data.validated_data["reason"], id_document=data.validated_data["id_document"],
                pay_with_vouchers=data.validated_data["pay_with_vouchers"],
            )
        except services.NotPermitted as exc:  # the right ended between the door and the write
            raise NotFound from exc
        except services.BookingError as exc:
            return _error(exc)
        return Response(_appointment(appointment, acting), status=status.HTTP_201_CREATED)


class AppointmentDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AppointmentOut, parameters=[RESIDENT_PARAMETER])
    def get(self, request: Request, reference: str) -> Response:
        acting = _reading_for(request)
        appointment = selectors.appointments_for_api(resident=acting.resident).filter(reference=reference).first()
        if appointment is None:
            raise NotFound
        return Response(_appointment(appointment, acting))


class AppointmentCancel(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ResidentIn, responses={200: AppointmentOut, 409: ErrorOut})
    def post(self, request: Request, reference: str) -> Response:
        data = ResidentIn(data=request.data)
        data.is_valid(raise_exception=True)
        acting = _writing_for(request, data.validated_data.get("resident"))
        try:
            appointment = services.appointment_cancel(actor=request.user, resident=acting.resident,
                                                      reference=reference)
        except services.NotPermitted as exc:
            raise NotFound from exc
        except services.BookingError as exc:
            return _error(exc)
        return Response(_appointment(appointment, acting))


class AppointmentReschedule(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RescheduleIn, responses={200: AppointmentOut, 409: ErrorOut, **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        data = RescheduleIn(data=request.data)
        data.is_valid(raise_exception=True)
        acting = _writing_for(request, data.validated_data.get("resident"))
        try:
            appointment = services.appointment_reschedule(
                actor=request.user, resident=acting.resident, reference=reference, slot_id=data.validated_data["slot"]
            )
        except services.NotPermitted as exc:
            raise NotFound from exc
        except services.BookingError as exc:
            return _error(exc)
        return Response(_appointment(appointment, acting))


class HospitalSlots(APIView):
    """Free slots of a hospital, optionally for one department and one day, as the
    person booked for sees them (a place the waiting list holds for them is free)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: SlotOut(many=True), 400: CodedError, 404: ErrorDetail},
        parameters=[OpenApiParameter("department", int), OpenApiParameter("date", str, description="YYYY-MM-DD"),
                    RESIDENT_PARAMETER],
    )
    def get(self, request: Request, hospital_id: int) -> Response:
        hospital = get_object_or_404(Hospital, pk=hospital_id, is_active=True)
        acting = _reading_for(request)
        queryset = selectors.bookable_slots(for_resident=acting.resident).filter(
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


# --- the waiting list ----------------------------------------------------------------


class WaitlistOut(serializers.Serializer):
    id = serializers.IntegerField()
    department_id = serializers.IntegerField()
    department = serializers.CharField(source="department.display_name")
    hospital = serializers.CharField(source="department.hospital.name")
    date = serializers.DateField()
    status = serializers.CharField()
    offered_slot_id = serializers.IntegerField(allow_null=True)
    offer_expires_at = serializers.DateTimeField(allow_null=True)
    acting_for = serializers.SerializerMethodField()

    @extend_schema_field(ActingForOut(allow_null=True))
    def get_acting_for(self, obj):
        return acting_for_out(self.context.get("acting"))


class WaitlistJoinIn(ResidentIn):
    department = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    date = serializers.DateField()


class Waitlist(APIView):
    """The waiting lists one is on (or, with `resident`, the person acted for)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: WaitlistOut(many=True), 404: ErrorDetail}, parameters=[RESIDENT_PARAMETER])
    def get(self, request: Request) -> Response:
        acting = _reading_for(request)
        entries = selectors.waitlist_of(resident=acting.resident)
        return Response(WaitlistOut(entries, many=True, context={"acting": acting}).data)

    @extend_schema(request=WaitlistJoinIn, responses={201: WaitlistOut, 404: ErrorDetail})
    def post(self, request: Request) -> Response:
        data = WaitlistJoinIn(data=request.data)
        data.is_valid(raise_exception=True)
        acting = _writing_for(request, data.validated_data.get("resident"))
        department = get_object_or_404(Department.objects.select_related("hospital", "specialty"),
                                       pk=data.validated_data["department"], hospital__is_active=True)
        try:
            entry = services.waitlist_join(actor=request.user, resident=acting.resident, department_id=department.pk,
                                           day=data.validated_data["date"])
        except services.NotPermitted as exc:
            raise NotFound from exc
        except services.BookingError as exc:
            return Response({"code": exc.code, "detail": str(exc.message)}, status=exc.status)
        entry = WaitlistEntry.objects.select_related("department__hospital", "department__specialty").get(pk=entry.pk)
        return Response(WaitlistOut(entry, context={"acting": acting}).data, status=status.HTTP_201_CREATED)


class WaitlistLeave(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ResidentIn, responses={204: None, 404: ErrorDetail})
    def post(self, request: Request, entry_id: int) -> Response:
        data = ResidentIn(data=request.data)
        data.is_valid(raise_exception=True)
        acting = _writing_for(request, data.validated_data.get("resident"))
        try:
            services.waitlist_leave(actor=request.user, resident=acting.resident, entry_id=entry_id)
        except services.NotPermitted as exc:
            raise NotFound from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


api_urlpatterns = [
    path("appointments/", AppointmentListCreate.as_view(), name="appointments-list"),
    path("appointments/<str:reference>/", AppointmentDetail.as_view(), name="appointments-detail"),
    path("appointments/<str:reference>/cancel/", AppointmentCancel.as_view(), name="appointments-cancel"),
    path("appointments/<str:reference>/reschedule/", AppointmentReschedule.as_view(), name="appointments-reschedule"),
    path("hospitals/<int:hospital_id>/slots/", HospitalSlots.as_view(), name="hospital-slots"),
    path("waitlist/", Waitlist.as_view(), name="waitlist"),
    path("waitlist/<int:entry_id>/leave/", WaitlistLeave.as_view(), name="waitlist-leave"),
]
