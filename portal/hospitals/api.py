"""Read API for hospitals: /api/v1/hospitals/ (search, filters, paginated) and
/api/v1/hospitals/<slug>/. The language is the `lang` parameter, or else the
Accept-Language header (LocaleMiddleware)."""

from django.conf import settings
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from portal.core.caching import cache_anonymous_page, cached_for_path

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
        raise NotFound(_("Invalid page."))
    return number


def paginated_response(request, *, count: int, number: int, size: int, results: list) -> Response:
    """A page of results in the shape of DRF's page-number pagination."""
    url = request.build_absolute_uri()
    previous = None
    if number > 1:
        previous = remove_query_param(url, "page") if number == 2 else replace_query_param(url, "page", number - 1)
    following = replace_query_param(url, "page", number + 1) if number * size < count else None
    return Response({"count": count, "next": following, "previous": previous, "results": results})


class SearchListMixin:
    """A list API over a search selector: the answer for a given address (language,
    query, page) is cached for everyone (portal.core.caching.cached_for_path), and a
    signed-out visitor's whole response too. Subclasses define `search(number)`,
    returning a search.ResultPage of the request's filters."""

    cache_name = ""

    @method_decorator(cache_anonymous_page(headers=("Accept",)))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        number = requested_page(request)

        def answer() -> tuple[int, int, list]:
            page = self.search(number)
            if page.number != number:  # past the end
                raise NotFound(_("Invalid page."))
            return page.total, page.size, self.get_serializer(page.rows, many=True).data

        count, size, results = cached_for_path(request, self.cache_name, answer)
        return paginated_response(request, count=count, number=number, size=size, results=results)


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
        return obj.programmes

    def get_specialties(self, obj) -> list[dict]:
        return [{"code": specialty.code, "name": specialty.name} for specialty in obj.specialties]


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
        fields = [*HospitalSerializer.Meta.fields, "description", "booking_without_portal", "contact_source_title",
                  "contact_source_url", "contact_checked_on", "nearest_border_points", "connect_items"]

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
class HospitalListApi(LanguageParamMixin, SearchListMixin, generics.ListAPIView):
    serializer_class = HospitalSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []
    queryset = Hospital.objects.none()
    cache_name = "api-hospitals"

    def search(self, number: int) -> ResultPage:
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
        return hospital_search(filters, number=number)


@extend_schema(parameters=[LANG_PARAMETER])
class HospitalDetailApi(LanguageParamMixin, generics.RetrieveAPIView):
    serializer_class = HospitalDetailSerializer
    permission_classes = [AllowAny]
    queryset = Hospital.objects.none()

    def retrieve(self, request, *args, **kwargs):
        hospital, nearby = hospital_detail(kwargs["slug"])
        return Response(HospitalDetailSerializer(hospital, context={"request": request, "nearby": nearby}).data)

