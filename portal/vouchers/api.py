"""API: the signed-in resident's own account and ledger (or, with `resident`, the
account of someone who lets them see it, read only), and claim confirmation
(the resident's own, never a caregiver's)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.care.api import ActingForOut
from portal.care.doors import RESIDENT_HELP, acting_for_out, api_resident_acted_for
from portal.care.models import Right

from . import selectors, services
from .models import Claim, LedgerEntry


class LedgerEntrySerializer(serializers.ModelSerializer):
    service_point = serializers.CharField(source="hospital.name", default=None, allow_null=True)
    department = serializers.CharField(source="department.display_name", default=None, allow_null=True)
    hkd_per_rmb = serializers.DecimalField(source="exchange_rate.hkd_per_rmb", max_digits=8, decimal_places=5,
                                           default=None, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = ["sequence", "kind", "amount_hkd", "balance_after", "allotment_year", "service_point",
                  "department", "service_date", "visit_reference", "amount_rmb", "hkd_per_rmb", "note", "created_at"]


class ClaimSerializer(serializers.ModelSerializer):
    service_point = serializers.CharField(source="hospital.name")
    department = serializers.CharField(source="department.display_name")
    hkd_per_rmb = serializers.DecimalField(source="exchange_rate.hkd_per_rmb", max_digits=8, decimal_places=5)

    class Meta:
        model = Claim
        fields = ["id", "status", "service_point", "department", "service_date", "visit_reference", "amount_rmb",
                  "hkd_per_rmb", "fee_hkd", "voucher_amount", "expires_at", "confirmed_at"]


class LedgerPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = LedgerEntrySerializer(many=True)


@extend_schema_serializer(many=False)
class AccountOut(serializers.Serializer):
    eligible = serializers.BooleanField()
    ineligible_reason = serializers.CharField(allow_null=True, allow_blank=True)
    balance_hkd = serializers.IntegerField()
    cap_hkd = serializers.IntegerField()
    this_year_allotment_hkd = serializers.IntegerField(allow_null=True)
    pending_claims = ClaimSerializer(many=True)
    ledger = LedgerPage()
    acting_for = ActingForOut(allow_null=True, help_text="Whose account this is, when not yours.")


@extend_schema(responses=AccountOut, parameters=[OpenApiParameter("resident", int, description=RESIDENT_HELP)])
class AccountView(generics.ListAPIView):
    """GET /api/v1/vouchers/: eligibility, balance and the ledger (newest first,
    paginated). With `resident`: a caregiver reads the account of the person they
    care for (the read goes into that person's access log)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = LedgerEntrySerializer

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
            return LedgerEntry.objects.none()
        account = selectors.account_of(self._owner())
        if account is None:
            return LedgerEntry.objects.none()
        return selectors.ledger_entries(account)

    def list(self, request, *args, **kwargs):
        today = timezone.localdate()
        owner = self._owner()
        check = selectors.eligibility_for(owner, today)
        account = services.account_open(user=owner, today=today) if check.eligible else None
        response = super().list(request, *args, **kwargs)
        allotment = selectors.allotment_of(account, today.year)
        response.data = {
            "eligible": check.eligible,
            "ineligible_reason": check.message,
            "balance_hkd": selectors.balance_of(account),
            "cap_hkd": settings.VOUCHER_ACCUMULATION_CAP_HKD,
            "this_year_allotment_hkd": allotment.amount_hkd if allotment else None,
            "pending_claims": ClaimSerializer(selectors.pending_claims_for(owner), many=True).data,
            "ledger": response.data,
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
