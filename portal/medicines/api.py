"""Read API for the Connect list: /api/v1/medicines/ and /api/v1/medicines/<slug>/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.hospitals.api import LANG_PARAMETER, LanguageParamMixin, SearchListMixin
from portal.hospitals.search import ResultPage

from .models import ConnectItem
from .selectors import ItemFilters, item_detail, item_search


class ItemSerializer(serializers.ModelSerializer):
    therapeutic_area = serializers.CharField(source="therapeutic_area.code")
    therapeutic_area_name = serializers.CharField(source="therapeutic_area.name")
    institution_count = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = ConnectItem
        fields = ["slug", "kind", "generic_name", "brand_name", "dosage_form", "indication", "therapeutic_area",
                  "therapeutic_area_name", "hk_registration_no", "holder", "approval_date", "approval_date_precision",
                  "status", "coverage_notes", "source", "source_url", "institution_count", "url"]


class ApprovalSerializer(serializers.Serializer):
    slug = serializers.CharField(source="hospital.slug")
    name = serializers.CharField(source="hospital.name")
    city = serializers.CharField(source="hospital.city.code")
    approved_on = serializers.DateField(allow_null=True)


class ItemDetailSerializer(ItemSerializer):
    institution_count = None
    institutions = ApprovalSerializer(source="approvals", many=True)

    class Meta(ItemSerializer.Meta):
        fields = [name for name in ItemSerializer.Meta.fields if name != "institution_count"] + ["institutions"]


@extend_schema(parameters=[
    OpenApiParameter("search", OpenApiTypes.STR, description="Generic or brand name, English or Chinese."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=ConnectItem.Kind.values),
    OpenApiParameter("therapeutic_area", OpenApiTypes.STR, description="Therapeutic area code, e.g. oncology."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=ConnectItem.Status.values),
    LANG_PARAMETER,
])
class ItemListApi(LanguageParamMixin, SearchListMixin, generics.ListAPIView):
    serializer_class = ItemSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []
    queryset = ConnectItem.objects.none()
    cache_name = "api-medicines"

    def search(self, number: int) -> ResultPage:
        params = self.request.query_params
        filters = ItemFilters(q=params.get("search", "")[:100], kind=params.get("kind", ""),
                              therapeutic_area=params.get("therapeutic_area", ""), status=params.get("status", ""))
        return item_search(filters, number=number)


@extend_schema(parameters=[LANG_PARAMETER])
class ItemDetailApi(LanguageParamMixin, generics.RetrieveAPIView):
    serializer_class = ItemDetailSerializer
    permission_classes = [AllowAny]
    queryset = ConnectItem.objects.none()

    def retrieve(self, request, *args, **kwargs):
        return Response(ItemDetailSerializer(item_detail(kwargs["slug"]), context={"request": request}).data)
