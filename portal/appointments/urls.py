from django.urls import include, path

from . import api, views

app_name = "appointments"


def _pages(prefix: str = "", wrap=lambda view: view):
    return [
        path("", wrap(views.index), name=f"{prefix}index"),
        path("book/slot/<int:slot_id>/", wrap(views.book_slot), name=f"{prefix}book_slot"),
        path("book/<slug:hospital_slug>/", wrap(views.book_hospital), name=f"{prefix}book_hospital"),
        path("book/<slug:hospital_slug>/<int:department_id>/", wrap(views.book_department), name=f"{prefix}book_department"),
        path("waitlist/join/", wrap(views.waitlist_join), name=f"{prefix}waitlist_join"),
        path("waitlist/<int:entry_id>/leave/", wrap(views.waitlist_leave), name=f"{prefix}waitlist_leave"),
        path("<str:reference>/", wrap(views.detail), name=f"{prefix}detail"),
        path("<str:reference>/calendar.ics", wrap(views.calendar_file), name=f"{prefix}calendar"),
        path("<str:reference>/cancel/", wrap(views.cancel), name=f"{prefix}cancel"),
        path("<str:reference>/reschedule/", wrap(views.reschedule), name=f"{prefix}reschedule"),
    ]


# Pages under /<lang>/appointments/; the same pages for centre staff acting for a
# consenting resident under /<lang>/appointments/for/<resident id>/, every one
# of them through views.on_behalf (consent, the reason, the access log).
urlpatterns = [
    path("for/<int:resident_id>/", include(_pages("for_", wrap=views.on_behalf))),
    *_pages(),
]

# API under /api/v1/.
api_urlpatterns = api.api_urlpatterns
