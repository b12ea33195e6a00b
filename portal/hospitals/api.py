"""Read API for hospitals: /api/v1/hospitals/ (search, filters, paginated) and
/api/v1/hospitals/<slug>/. The language is the `lang` parameter, or else the
Accept-Language header (LocaleMiddleware)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .models import Hospital
from .search import cache_key, search_cache_get, search_cache_set
from .selectors import (
    DEFAULT_NEAR_KM,
    LANGUAGE_FILTERS,
    NEAR_KM_CHOICES,
    PROGRAMME_FILTERS,
    HospitalFilters,
    hospital_detail,
    hospital_search,
    with_specialties,
)

LANG_PARAMETER = OpenApiParameter("lang", OpenApiTypes.STR, enum=[code for code, _name in settings.LANGUAGES],
                                  description="Response language (default: Accept-Language).")


class LanguageParamMixin:
    """Answer in the language named by ?lang= when it is one of ours."""

    def dispatch(self, request, *args, **kwargs):
        lang = request.GET.get("lang", "")
        if lang in dict(settings.LANGUAGES):
            with translation.override(lang):
                response = super().dispatch(request, *args, **kwargs)
                response["Content-Language"] = lang
                return response
        response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response


class CachedListMixin:
    """Cache a list response's rendered body per query, Accept header, language and
    data version. A hit is answered before DRF's request handling (the endpoints
    are public and read-only, so there is no authentication or permission to run)."""

    cache_namespace = ""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "GET":
            return super().dispatch(request, *args, **kwargs)
        key = cache_key(self.cache_namespace, translation.get_language(), request.META.get("HTTP_ACCEPT", ""),
                        sorted(request.GET.lists()))
        cached = search_cache_get(key)
        if cached is not None:
            content_type, body = cached
            response = HttpResponse(body, content_type=content_type)
            patch_vary_headers(response, ["Accept", "Cookie"])
            return response
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200:
            response.render()
            search_cache_set(key, (response["Content-Type"], response.content))
        return response


class SpecialtySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class HospitalSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.code")
    city_name = serializers.CharField(source="city.name")
    languages = serializers.SerializerMethodField()
    programmes = serializers.SerializerMethodField()
    specialties = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Hospital
        fields = ["slug", "name", "short_name", "city", "city_name", "district", "address", "latitude", "longitude",
                  "phone", "website", "opening_hours", "languages", "programmes", "specialties", "ambulance_role",
                  "url"]

    def get_languages(self, obj) -> list[str]:
        return [code for code, flag in (("cantonese", obj.speaks_cantonese), ("putonghua", obj.speaks_putonghua),
                                        ("english", obj.speaks_english), ("portuguese", obj.speaks_portuguese)) if flag]

    def get_programmes(self, obj) -> list[str]:
        return [code for code, flag in (
            ("connect", obj.is_connect_designated), ("voucher", obj.is_voucher_point),
            ("ambulance", bool(obj.ambulance_role)), ("hk-gp", obj.has_hk_style_gp),
            ("insurance", obj.accepts_insurance)) if flag]

    def get_specialties(self, obj) -> list[dict]:
        return [{"code": d.specialty.code, "name": d.specialty.name} for d in obj.departments.all()]


class NearbySerializer(serializers.Serializer):
    code = serializers.CharField(source="border_point.code")
    name = serializers.CharField(source="border_point.name")
    distance_km = serializers.FloatField()


class ApprovedItemSerializer(serializers.Serializer):
    slug = serializers.CharField(source="item.slug")
    generic_name = serializers.CharField(source="item.generic_name")
    kind = serializers.CharField(source="item.kind")
    approved_on = serializers.DateField(allow_null=True)


class HospitalDetailSerializer(HospitalSerializer):
    description = serializers.CharField()
    nearest_border_points = serializers.SerializerMethodField()
    connect_items = ApprovedItemSerializer(source="connect_approvals", many=True)

    class Meta(HospitalSerializer.Meta):
        fields = [*HospitalSerializer.Meta.fields, "description", "nearest_border_points", "connect_items"]

    @extend_schema_field(NearbySerializer(many=True))
    def get_nearest_border_points(self, obj) -> list[dict]:
        return NearbySerializer(self.context["nearby"], many=True).data


HOSPITAL_FILTER_PARAMETERS = [
    OpenApiParameter("search", OpenApiTypes.STR, description="Part of a name, English or Chinese (either script)."),
    OpenApiParameter("city", OpenApiTypes.STR, description="City code, e.g. shenzhen."),
    OpenApiParameter("programme", OpenApiTypes.STR, enum=list(PROGRAMME_FILTERS)),
    OpenApiParameter("specialty", OpenApiTypes.STR, description="Specialty code, e.g. ophthalmology."),
    OpenApiParameter("language", OpenApiTypes.STR, enum=list(LANGUAGE_FILTERS)),
    OpenApiParameter("border_point", OpenApiTypes.STR, description="Border point code, e.g. shenzhen-bay."),
    OpenApiParameter("within_km", OpenApiTypes.INT, enum=list(NEAR_KM_CHOICES)),
    LANG_PARAMETER,
]


@extend_schema(parameters=HOSPITAL_FILTER_PARAMETERS)
class HospitalListApi(LanguageParamMixin, CachedListMixin, generics.ListAPIView):
    serializer_class = HospitalSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []
    cache_namespace = "api-hospitals"

    def get_queryset(self):
        params = self.request.query_params
        try:
            within_km = int(params.get("within_km", DEFAULT_NEAR_KM))
        except ValueError:
            within_km = DEFAULT_NEAR_KM
        filters = HospitalFilters(
            q=params.get("search", "")[:100], city=params.get("city", ""), programme=params.get("programme", ""),
            specialty=params.get("specialty", ""), language=params.get("language", ""),
            border_point=params.get("border_point", ""),
            within_km=within_km if within_km in NEAR_KM_CHOICES else DEFAULT_NEAR_KM,
        )
        return with_specialties(hospital_search(filters))


@extend_schema(parameters=[LANG_PARAMETER])
class HospitalDetailApi(LanguageParamMixin, generics.RetrieveAPIView):
    serializer_class = HospitalDetailSerializer
    permission_classes = [AllowAny]
    queryset = Hospital.objects.none()

    def retrieve(self, request, *args, **kwargs):
        hospital, nearby = hospital_detail(kwargs["slug"])
        return Response(HospitalDetailSerializer(hospital, context={"request": request, "nearby": nearby}).data)

