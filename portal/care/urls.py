from django.urls import path

from . import api, views

app_name = "care"

# Pages under /<lang>/care/.
urlpatterns = [
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("ask/", views.ask, name="ask"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("<int:link_id>/change/", views.change, name="change"),
    path("<int:link_id>/answer/", views.answer, name="answer"),
    path("<int:link_id>/end/", views.revoke, name="revoke"),
    path("<int:link_id>/paper-consent/", views.paper_consent, name="paper_consent"),
    path("for/<int:resident_id>/", views.hub, name="hub"),
    path("centre/<int:resident_id>/record/", views.record, name="record"),
]

# API under /api/v1/.
api_urlpatterns = api.api_urlpatterns
