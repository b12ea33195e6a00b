from django.urls import path

from . import api, views

app_name = "hospitals"

# Pages under /<lang>/hospitals/.
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
]

# API under /api/v1/.
api_urlpatterns: list = [
    path("hospitals/", api.HospitalListApi.as_view(), name="hospital-list"),
    path("hospitals/<slug:slug>/", api.HospitalDetailApi.as_view(), name="hospital-detail"),
]
