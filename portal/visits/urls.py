from django.urls import include, path

from portal.appointments.views import on_behalf

from . import api, views

app_name = "visits"


def _pages(prefix: str = "", wrap=lambda view: view):
    return [
        path("<str:reference>/", wrap(views.guide), name=f"{prefix}guide"),
    ]


# /<lang>/visits/<reference>/ for the resident; the same page for a caregiver with
# the right to manage appointments, or staff of a centre the resident consents to,
# under /<lang>/visits/for/<resident id>/ (appointments' on_behalf: the rule, the
# reason and the access log).
urlpatterns = [
    # The health summary: the resident's own, or kept by a caregiver with the right
    # (views._summary_subject: selectors.summary_acting_for, the one scoping function).
    path("summary/", views.summary, name="summary"),
    path("summary/card/", views.summary_card, name="summary_card"),
    path("summary/for/<int:resident_id>/", views.summary, name="summary_for"),
    path("summary/for/<int:resident_id>/card/", views.summary_card, name="summary_card_for"),
    # Documents from visits (selectors.documents_visible_to, the one scoping function).
    path("documents/shared/", views.shared_documents, name="shared_documents"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/share/", views.document_share, name="document_share"),
    path("documents/<int:pk>/attach/", views.document_attach, name="document_attach"),
    path("documents/for/<int:resident_id>/<str:reference>/", views.documents, name="documents_for"),
    path("<str:reference>/documents/", views.documents, name="documents"),
    path("for/<int:resident_id>/", include(_pages("for_", wrap=on_behalf))),
    *_pages(),
]

# API under /api/v1/.
api_urlpatterns = api.api_urlpatterns
