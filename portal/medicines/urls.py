from django.urls import path

from . import api, views

app_name = "medicines"

# Pages under /<lang>/medicines/.
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
]

# API under /api/v1/.
api_urlpatterns: list = [
    path("medicines/", api.ItemListApi.as_view(), name="medicine-list"),
    path("medicines/<slug:slug>/", api.ItemDetailApi.as_view(), name="medicine-detail"),
]
