"""API for centre staff (consenting residents) and for residents (their own
access log). Identity numbers only ever leave masked."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response

from portal.core.schema import ErrorDetail

from . import selectors, services
from .forms import ResidentSearchForm
from .models import AccessLogEntry, AccessWhat


class IsCentreStaff(permissions.BasePermission):
    """Centre staff only. Others get 404 (not 403) so the API does not reveal itself."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if selectors.centre_of(request.user) is None:
            raise Http404
        return True


class ResidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_en = serializers.CharField(source="profile.name_en", default="")
    name_zh = serializers.CharField(source="profile.name_zh", default="")
    masked_id_number = serializers.CharField(source="profile.masked_id_number", default="")


class ResidentDetailSerializer(ResidentSerializer):
    email = serializers.EmailField()
    language = serializers.CharField()
    date_of_birth = serializers.DateField(source="profile.date_of_birth", default=None)
    masked_travel_permit = serializers.CharField(source="profile.masked_travel_permit", default="")
    phone = serializers.CharField(source="profile.phone", default="")
    mainland_phone = serializers.CharField(source="profile.mainland_phone", default="")
    consent_expires_at = serializers.DateTimeField()


class ResidentList(generics.GenericAPIView):
    """Residents who currently consent to your centre. `search`: a name, a phone
    number or the last 4 digits of an identity card (never a full number)."""

    permission_classes = [IsCentreStaff]
    serializer_class = ResidentSerializer
    pagination_class = None
    queryset = get_user_model().objects.none()  # for the schema; reads go through selectors

    @extend_schema(operation_id="centre_residents_list",
                   responses={200: ResidentSerializer(many=True), 404: ErrorDetail},
                   parameters=[OpenApiParameter("search", str, description="Name, phone, or last 4 identity digits")])
    def get(self, request):
        text = request.query_params.get("search", "").strip()
        if text:
            form = ResidentSearchForm({"q": text})
            if not form.is_valid():
                raise APIValidationError({"search": form.errors["q"]})
            residents = selectors.search_residents(request.user, **form.cleaned_data["q"])
        else:
            residents = list(selectors.consenting_residents(selectors.centre_of(request.user))
                             .order_by("profile__name_en", "pk")[: selectors.SEARCH_LIMIT])
        return Response(ResidentSerializer(residents, many=True).data)


class ResidentDetail(generics.GenericAPIView):
    """One consenting resident's profile summary. Requires `why` (a reason code or
    a few words); the read is written to the resident's access log."""

    permission_classes = [IsCentreStaff]
    serializer_class = ResidentDetailSerializer
    queryset = get_user_model().objects.none()  # for the schema; reads go through selectors

    @extend_schema(operation_id="centre_residents_detail", parameters=[OpenApiParameter("why", str, required=True, description="Why you are opening this resident's data")])
    def get(self, request, resident_id: int):
        resident = selectors.assisted_resident(request.user, resident_id)
        if resident is None:
            raise Http404
        why = " ".join(request.query_params.get("why", "").split())
        if len(why) < 3:
            raise APIValidationError({"why": [_("Say why you are opening this resident's data.")]})
        try:
            services.access_log_record(staff=request.user, resident=resident, what=AccessWhat.PROFILE_API, why=why)
        except ValidationError as error:
            raise APIValidationError({"why": error.messages}) from error
        consent = selectors.live_consent(selectors.centre_of(request.user), resident)
        resident.consent_expires_at = consent.expires_at if consent else None
        return Response(ResidentDetailSerializer(resident).data)


class AccessLogEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name")
    centre_name = serializers.SerializerMethodField(help_text="The service centre of a staff member's read; "
                                                              "null for a caregiver's.")
    caregiver_relationship = serializers.SerializerMethodField(
        help_text="For a caregiver's read: who they are to you (e.g. daughter); null for staff.")
    what_label = serializers.CharField()
    why_label = serializers.CharField()

    class Meta:
        model = AccessLogEntry
        fields = ["id", "at", "actor_name", "centre_name", "caregiver_relationship", "what", "what_label", "why",
                  "why_label"]

    def get_centre_name(self, entry) -> str | None:
        return entry.centre.name if entry.centre_id else None

    def get_caregiver_relationship(self, entry) -> str | None:
        return str(entry.care_link.get_relationship_display()) if entry.care_link_id else None


class MyAccessLog(generics.ListAPIView):
    """Your own access log: who opened your data (staff of which centre, or which of your
    caregivers), what and why."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AccessLogEntrySerializer

    queryset = AccessLogEntry.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AccessLogEntry.objects.none()
        return AccessLogEntry.objects.filter(resident=self.request.user).select_related(
            "actor__profile", "centre", "care_link")
