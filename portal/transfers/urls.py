from django.urls import path

from . import api, views

app_name = "transfers"

# Pages under /<lang>/transfers/.
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("for/<int:resident_id>/new/", views.new_for, name="new_for"),
    path("hospital/", views.hospital_list, name="hospital"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]

# API under /api/v1/.
api_urlpatterns: list = [
    path("transfers/", api.TransferListCreate.as_view(), name="transfers-list"),
    path("transfers/<int:pk>/", api.TransferDetail.as_view(), name="transfers-detail"),
    path("transfers/<int:pk>/moves/", api.TransferMoves.as_view(), name="transfers-moves"),
]
