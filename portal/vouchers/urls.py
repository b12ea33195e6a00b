from django.urls import path

from . import api, views

app_name = "vouchers"

# Pages under /<lang>/vouchers/.
urlpatterns = [
    # A caregiver reads the account of the person they care for (views.on_behalf).
    path("for/<int:resident_id>/", views.on_behalf(views.index), name="for_index"),
    path("for/<int:resident_id>/history/", views.on_behalf(views.history), name="for_history"),
    path("for/<int:resident_id>/statement/", views.on_behalf(views.statement), name="for_statement"),
    path("for/<int:resident_id>/statement.csv", views.on_behalf(views.statement_csv), name="for_statement_csv"),
    path("", views.index, name="index"),
    path("history/", views.history, name="history"),
    path("statement/", views.statement, name="statement"),
    path("statement.csv", views.statement_csv, name="statement_csv"),
    path("claims/<int:claim_id>/confirm/", views.claim_confirm, name="claim_confirm"),
    path("claims/<int:claim_id>/decline/", views.claim_reject, name="claim_reject"),
    path("service-points/", views.service_points, name="service_points"),
    path("macao/", views.macao, name="macao"),
    path("macao/insurance-subsidy-check/", views.macao_insurance_check, name="macao_insurance_check"),
    path("service-point/", views.staff_claims, name="staff_claims"),
    path("service-point/claims/new/", views.staff_claim_new, name="staff_claim_new"),
    path("service-point/claims/<int:claim_id>/code/", views.staff_claim_code, name="staff_claim_code"),
    path("service-point/claims/<int:claim_id>/void/", views.staff_claim_void, name="staff_claim_void"),
]

# API under /api/v1/.
api_urlpatterns: list = [
    path("vouchers/", api.AccountView.as_view(), name="vouchers-account"),
    path("vouchers/claims/<int:claim_id>/confirm/", api.ClaimConfirmView.as_view(), name="vouchers-claim-confirm"),
]
