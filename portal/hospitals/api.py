"""Read API for hospitals: /api/v1/hospitals/ (search, filters, paginated) and
/api/v1/hospitals/<slug>/. The language is the `lang` parameter, or else the
Accept-Language header (LocaleMiddleware)."""

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .models import Hospital
from .search import ResultPage
from .selectors import (
    DEFAULT_NEAR_KM,
    LANGUAGE_FILTERS,
    NEAR_KM_CHOICES,
    PROGRAMME_FILTERS,
    HospitalFilters,
    hospital_detail,
    hospital_search,
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


def requested_page(request) -> int:
    """The `page` parameter; a page that is not a number is not found (as DRF's pagination)."""
    try:
        number = int(request.query_params.get("page", 1))
    except ValueError:
        number = 0
    if number < 1:
        raise NotFound("Invalid page.")
    return number


def paginated_response(request, page: ResultPage, number: int, results: list) -> Response:
    """A search page in the shape of DRF's page-number pagination: count, next, previous, results."""
    if page.number != number:  # past the end
        raise NotFound("Invalid page.")
    url = request.build_absolute_uri()
    previous = None
    if page.has_previous:
        previous = (remove_query_param(url, "page") if page.previous_page_number == 1
                    else replace_query_param(url, "page", page.previous_page_number))
    return Response({"count": page.total, "next": replace_query_param(url, "page", page.next_page_number)
                     if page.has_next else None, "previous": previous, "results": results})


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
class HospitalListApi(LanguageParamMixin, generics.ListAPIView):
    serializer_class = HospitalSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []
    queryset = Hospital.objects.none()

    def list(self, request, *args, **kwargs):
        params = request.query_params
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
        number = requested_page(request)
        page = hospital_search(filters, number=number)
        return paginated_response(request, page, number, HospitalSerializer(page.rows, many=True).data)


@extend_schema(parameters=[LANG_PARAMETER])
class HospitalDetailApi(LanguageParamMixin, generics.RetrieveAPIView):
    serializer_class = HospitalDetailSerializer
    permission_classes = [AllowAny]
    queryset = Hospital.objects.none()

    def retrieve(self, request, *args, **kwargs):
        hospital, nearby = hospital_detail(kwargs["slug"])
        return Response(HospitalDetailSerializer(hospital, context={"request": request, "nearby": nearby}).data)

