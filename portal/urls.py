"""Root URLs. Pages live under a language prefix (/en/, /zh-hant/, /zh-hans/),
one include per domain app, so the first path segment after the language names
the app that serves it. The API, health check and language switch have no prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from portal.appointments import urls as appointments_urls
from portal.care import urls as care_urls
from portal.centres import urls as centres_urls
from portal.core import views as core_views
from portal.hospitals import urls as hospitals_urls
from portal.medicines import urls as medicines_urls
from portal.notifications import urls as notifications_urls
from portal.transfers import urls as transfers_urls
from portal.visits import urls as visits_urls
from portal.vouchers import urls as vouchers_urls

DOMAIN_URLS = {
    "hospitals": hospitals_urls,
    "medicines": medicines_urls,
    "appointments": appointments_urls,
    "vouchers": vouchers_urls,
    "transfers": transfers_urls,
    "notifications": notifications_urls,
    "centre": centres_urls,
    "care": care_urls,
    "visits": visits_urls,
}

api_v1 = [pattern for module in DOMAIN_URLS.values() for pattern in module.api_urlpatterns]

urlpatterns = [
    path("", core_views.root_redirect),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

urlpatterns += i18n_patterns(
    path("", include("portal.core.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    *[path(f"{prefix}/", include(module)) for prefix, module in DOMAIN_URLS.items()],
    prefix_default_language=True,
)

handler400 = "portal.core.views.bad_request"
handler404 = "portal.core.views.page_not_found"
