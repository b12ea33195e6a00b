"""API: /api/v1/care-links/ — the signed-in user's care relationships, as the
person cared for ("elder") or as the caregiver. The same services and rules as
the pages. Inviting and asking answer the same whether or not an address
belongs to an account."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.idempotency import IDEMPOTENCY_KEY, IDEMPOTENCY_RESPONSES, idempotent
from portal.core.schema import ErrorDetail

from . import selectors, services
from .forms import RIGHT_CHOICES
from .models import CareLink, Relationship

# --- serializers ---------------------------------------------------------------------------


class ActingForOut(serializers.Serializer):
    """In answers of other apps' endpoints: whom the request acted for (doors.acting_for_out)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=["caregiver", "centre_staff"], help_text="As whose helper you acted.")


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class CareLinkOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.SerializerMethodField(help_text="Your side of the relationship: elder (cared for) or caregiver.")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    relationship = serializers.CharField(help_text="Who the caregiver is to the elder, e.g. daughter.")
    relationship_label = serializers.CharField(source="get_relationship_display")
    rights = serializers.ListField(child=serializers.ChoiceField(choices=RIGHT_CHOICES))
    end_date = serializers.DateField(allow_null=True)
    elder = serializers.SerializerMethodField()
    caregiver = serializers.SerializerMethodField()
    invited_address = serializers.SerializerMethodField(
        help_text="The e-mail address or phone number an invitation or request was sent to (only the side that "
                  "typed it sees it).")
    transfer = serializers.IntegerField(source="transfer_id", allow_null=True,
                                        help_text="Set when the relationship is limited to this one transfer.")
    recorded_by_centre = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def _user(self):
        return self.context["request"].user

    def get_role(self, link) -> str:
        return "elder" if link.elder_id == self._user().pk else "caregiver"

    def _person(self, person, link) -> dict | None:
        # The other side's name once they are known to each other: an accepted
        # relationship, or a request the elder is answering.
        if person is None:
            return None
        known = link.accepted_at is not None or (link.status == CareLink.Status.REQUESTED
                                                 and link.elder_id == self._user().pk)
        if person.pk == self._user().pk or known:
            return PersonOut(person).data
        return None

    @extend_schema_field(PersonOut(allow_null=True))
    def get_elder(self, link):
        return self._person(link.elder, link)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_caregiver(self, link):
        return self._person(link.caregiver, link)

    def get_invited_address(self, link) -> str | None:
        return link.invited_address if link.created_by_id == self._user().pk else None

    def get_recorded_by_centre(self, link) -> str | None:
        return link.centre.name if link.centre_id else None


class RightsIn(serializers.Serializer):
    rights = serializers.ListField(child=serializers.ChoiceField(choices=RIGHT_CHOICES), min_length=1, max_length=10)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_end_date(self, value):
        if value is not None and value < timezone.localdate():
            raise serializers.ValidationError(_("The last day cannot be in the past."))
        return value


class InviteIn(RightsIn):
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.RegexField(r"^\+[1-9][0-9]{6,14}$", required=False, allow_blank=True, default="",
                                   help_text="E.164, e.g. +85291234567 or +8613812345678.")
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    language = serializers.ChoiceField(choices=["en", "zh-hant", "zh-hans"], required=False, default="en")

    def validate(self, data):
        if bool(data.get("email")) == bool(data.get("phone")):
            raise serializers.ValidationError(_("Give either an e-mail address or a phone number."))
        return data


class AskIn(serializers.Serializer):
    email = serializers.EmailField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)


class TokenIn(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class AnswerIn(RightsIn):
    rights = serializers.ListField(child=serializers.ChoiceField(choices=RIGHT_CHOICES), required=False,
                                   max_length=10, default=list)
    accept = serializers.BooleanField()


class Accepted(serializers.Serializer):
    detail = serializers.CharField()


def _bad(error: ValidationError) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=400)


def _out(request, link) -> dict:
    link = selectors.link_of_party(request.user, link.pk)
    return CareLinkOut(link, context={"request": request}).data


def _mine(request, pk: int) -> CareLink:
    link = selectors.link_of_party(request.user, pk)
    if link is None:
        raise NotFound
    return link


# --- views -------------------------------------------------------------------------------


class CareLinkListInvite(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CareLinkOut(many=True))
    def get(self, request: Request) -> Response:
        links = selectors.links_visible_to(request.user)[:200]
        return Response(CareLinkOut(links, many=True, context={"request": request}).data)

    @extend_schema(request=InviteIn, responses={201: CareLinkOut, **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY],
                   description="Invite someone (by e-mail or phone) to be your caregiver with these rights. "
                               "The answer does not say whether the address has an account.")
    @idempotent
    def post(self, request: Request) -> Response:
        data = InviteIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            link = services.care_link_invite(actor=request.user, email=values["email"], phone=values["phone"],
                                             relationship=values["relationship"], rights=values["rights"],
                                             end_date=values["end_date"], language=values["language"])
        except ValidationError as error:
            return _bad(error)
        return Response(_out(request, link), status=status.HTTP_201_CREATED)


class CareLinkAsk(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AskIn, responses={202: Accepted},
                   description="Ask the holder of an e-mail address to let you be their caregiver. The answer is "
                               "the same whether or not the address has an account.")
    def post(self, request: Request) -> Response:
        data = AskIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.care_link_request(actor=request.user, email=data.validated_data["email"],
                                       relationship=data.validated_data["relationship"])
        except ValidationError as error:
            return _bad(error)
        return Response({"detail": _("Your request has been recorded. If the address belongs to a portal account, "
                                     "its holder is asked.")}, status=status.HTTP_202_ACCEPTED)


class CareLinkAcceptInvitation(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=TokenIn, responses={200: CareLinkOut},
                   description="Accept an invitation (the token from its link): you become the caregiver.")
    def post(self, request: Request) -> Response:
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            link = services.care_link_accept_invitation(actor=request.user, token=data.validated_data["token"])
        except ValidationError as error:
            return _bad(error)
        return Response(_out(request, link))


class CareLinkDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CareLinkOut, 404: ErrorDetail})
    def get(self, request: Request, pk: int) -> Response:
        return Response(CareLinkOut(_mine(request, pk), context={"request": request}).data)

    @extend_schema(request=RightsIn, responses={200: CareLinkOut, 404: ErrorDetail},
                   description="The elder changes the rights and the last day.")
    def patch(self, request: Request, pk: int) -> Response:
        link = _mine(request, pk)
        data = RightsIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            link = services.care_link_change(actor=request.user, link_id=link.pk, rights=data.validated_data["rights"],
                                             end_date=data.validated_data["end_date"])
        except PermissionDenied as error:
            raise NotFound from error
        except ValidationError as error:
            return _bad(error)
        return Response(_out(request, link))


class CareLinkAnswer(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AnswerIn, responses={200: CareLinkOut, 404: ErrorDetail},
                   description="The elder accepts (with rights) or declines a caregiver's request.")
    def post(self, request: Request, pk: int) -> Response:
        link = _mine(request, pk)
        data = AnswerIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            link = services.care_link_answer_request(actor=request.user, link_id=link.pk, accept=values["accept"],
                                                     rights=values["rights"], end_date=values["end_date"])
        except PermissionDenied as error:
            raise NotFound from error
        except ValidationError as error:
            return _bad(error)
        return Response(_out(request, link))


class CareLinkRevoke(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: CareLinkOut, 404: ErrorDetail},
                   description="End the relationship (the elder, or the caregiver). It takes effect on the next "
                               "request.")
    def post(self, request: Request, pk: int) -> Response:
        link = _mine(request, pk)
        try:
            link = services.care_link_revoke(actor=request.user, link_id=link.pk)
        except PermissionDenied as error:
            raise NotFound from error
        return Response(_out(request, link))


api_urlpatterns = [
    path("care-links/", CareLinkListInvite.as_view(), name="care-links"),
    path("care-links/requests/", CareLinkAsk.as_view(), name="care-links-ask"),
    path("care-links/accept/", CareLinkAcceptInvitation.as_view(), name="care-links-accept"),
    path("care-links/<int:pk>/", CareLinkDetail.as_view(), name="care-links-detail"),
    path("care-links/<int:pk>/answer/", CareLinkAnswer.as_view(), name="care-links-answer"),
    path("care-links/<int:pk>/revoke/", CareLinkRevoke.as_view(), name="care-links-revoke"),
]
