from django.urls import path

from . import api, views

app_name = "centres"

# Pages under /<lang>/centre/.
urlpatterns = [
    # Centre staff: the console.
    path("", views.console, name="console"),
    path("residents/<int:resident_id>/open/", views.case_open, name="case_open"),
    path("residents/<int:resident_id>/", views.case, name="case"),
    path("residents/<int:resident_id>/notes/", views.case_note_add, name="case_note_add"),
    path("residents/<int:resident_id>/escorts/new/", views.escort_new_for, name="escort_new_for"),
    path("residents/<int:resident_id>/claims/new/", views.claim_new_for, name="claim_new_for"),
    path("escorts/", views.escorts, name="escorts"),
    path("escorts/<int:escort_id>/assign/", views.escort_assign, name="escort_assign"),
    path("claims/<int:claim_id>/", views.staff_claim, name="staff_claim"),
    path("claims/<int:claim_id>/move/", views.claim_move, name="claim_move"),
    path("workload/", views.workload, name="workload"),
    # Residents.
    path("consent/", views.consent_index, name="consent"),
    path("consent/<int:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("access-log/", views.my_access_log, name="access_log"),
    path("my-escorts/", views.my_escorts, name="my_escorts"),
    path("my-escorts/<int:escort_id>/cancel/", views.my_escort_cancel, name="my_escort_cancel"),
    path("my-claims/", views.my_claims, name="my_claims"),
    path("my-claims/<int:claim_id>/", views.my_claim, name="my_claim"),
    # Both: the document is streamed to the resident or to the centre's staff.
    path("claims/<int:claim_id>/documents/<int:document_id>/", views.claim_document, name="claim_document"),
]

# API under /api/v1/.
api_urlpatterns: list = [
    path("centre/residents/", api.ResidentList.as_view(), name="centre-residents"),
    path("centre/residents/<int:resident_id>/", api.ResidentDetail.as_view(), name="centre-resident"),
    path("centre/access-log/", api.MyAccessLog.as_view(), name="centre-access-log"),
]
