from django.urls import path

from . import views

app_name = "notifications"

# Pages under /<lang>/notifications/.
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:notification_id>/", views.detail, name="detail"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
]

# API under /api/v1/.
api_urlpatterns: list = []
