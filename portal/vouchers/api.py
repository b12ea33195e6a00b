"""API: the signed-in resident's vouchers (the balance from the voucher registry
when one is configured, and the claims made through the portal) or, with
`resident`, those of someone who lets them see them (read only), and claim
confirmation (the resident's own, never a caregiver's)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.care.api import ActingForOut
from portal.care.doors import RESIDENT_HELP, acting_for_out, api_resident_acted_for
from portal.care.models import Right

from . import selectors, services
from .models import Claim


class ClaimSerializer(serializers.ModelSerializer):
    service_point = serializers.CharField(source="hospital.name")
    department = serializers.CharField(source="department.display_name")
    hkd_per_rmb = serializers.DecimalField(source="exchange_rate.hkd_per_rmb", max_digits=8, decimal_places=5)

    class Meta:
        model = Claim
        fields = ["id", "status", "service_point", "department", "service_date", "visit_reference", "amount_rmb",
                  "hkd_per_rmb", "fee_hkd", "voucher_amount", "primary_care", "expires_at", "confirmed_at",
                  "registry_name", "registry_reference", "paid_own_hkd", "paid_reward_hkd", "paid_spouse_hkd"]


class ClaimPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ClaimSerializer(many=True)


class BalanceOut(serializers.Serializer):
    own_hkd = serializers.IntegerField()
    reward_hkd = serializers.IntegerField()
    reward_expires_on = serializers.DateField(allow_null=True)
    spouse_hkd = serializers.IntegerField(allow_null=True)
    total_hkd = serializers.IntegerField()
    source = serializers.CharField(help_text="The voucher registry the figures come from.")
    is_simulator = serializers.BooleanField(help_text="True: figures from the portal's simulator, not the real system.")
    as_of = serializers.DateTimeField()


@extend_schema_serializer(many=False)
class AccountOut(serializers.Serializer):
    eligible = serializers.BooleanField()
    ineligible_reason = serializers.CharField(allow_null=True, allow_blank=True)
    balance = BalanceOut(allow_null=True, help_text="Null when no voucher registry is configured: the portal then shows no balance.")
    where_to_check = serializers.CharField()
    pending_claims = ClaimSerializer(many=True)
    claims = ClaimPage(help_text="The claims made through the portal (not a balance).")
    acting_for = ActingForOut(allow_null=True, help_text="Whose vouchers these are, when not yours.")


@extend_schema(responses=AccountOut, parameters=[OpenApiParameter("resident", int, description=RESIDENT_HELP)])
class AccountView(generics.ListAPIView):
    """GET /api/v1/vouchers/: eligibility, the balance from the voucher registry
    (null with none configured), and the claims made through the portal (newest
    first, paginated). With `resident`: a caregiver reads those of the person they
    care for (the read goes into that person's access log)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClaimSerializer

    def _owner(self):
        if not hasattr(self, "_acting"):
            value = self.request.query_params.get("resident", "")
            if value and (not value.isdigit() or len(value) > 18):
                raise Http404
            self._acting = api_resident_acted_for(self.request, int(value) if value else None, Right.VOUCHERS,
                                                  write=False, what="vouchers")
        return self._acting.resident

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Claim.objects.none()
        account = selectors.account_of(self._owner())
        if account is None:
            return Claim.objects.none()
        return selectors.claims_of(account)

    def list(self, request, *args, **kwargs):
        owner = self._owner()
        check = selectors.eligibility_for(owner, timezone.localdate())
        response = super().list(request, *args, **kwargs)
        view = selectors.registry_view(owner) if check.eligible else None
        balance = view.balance if view is not None else None
        response.data = {
            "eligible": check.eligible,
            "ineligible_reason": check.message,
            "balance": None if balance is None else {
                "own_hkd": balance.own_hkd, "reward_hkd": balance.reward_hkd,
                "reward_expires_on": balance.reward_expires_on, "spouse_hkd": balance.spouse_hkd,
                "total_hkd": balance.total_hkd, "source": view.source, "is_simulator": view.is_simulator,
                "as_of": balance.as_of,
            },
            "where_to_check": _("Your balance is kept by the Department of Health: see it in the eHealth app. "
                                "Using vouchers in the Greater Bay Area requires eHealth enrolment."),
            "pending_claims": ClaimSerializer(selectors.pending_claims_for(owner), many=True).data,
            "claims": response.data,
            "acting_for": acting_for_out(self._acting),
        }
        return response


class ConfirmInput(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=6)


class ClaimConfirmView(APIView):
    """POST /api/v1/vouchers/claims/<id>/confirm/: the owner confirms (code
    optional), or an admin of the claim's service point with the resident's code."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "sensitive"  # checks a one-time code

    @extend_schema(request=ConfirmInput, responses=ClaimSerializer)
    def post(self, request, claim_id: int):
        user = request.user
        claim = Claim.objects.filter(pk=claim_id).select_related("account").first()
        if claim is None or not (claim.account.user_id == user.pk
                                 or selectors.claims_at_service_points(user).filter(pk=claim_id).exists()):
            raise Http404
        data = ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            claim = services.claim_confirm(actor=user, claim_id=claim.pk, code=data.validated_data.get("code"))
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages), "code": error.code}, status=status.HTTP_400_BAD_REQUEST)
        claim = Claim.objects.select_related("hospital", "department__specialty", "exchange_rate").get(pk=claim.pk)
        return Response(ClaimSerializer(claim).data)
