"""Macao residents' schemes: the medical insurance subsidy's eligibility rule and
check form, and the page listing where Macao's medical vouchers can be used."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.vouchers import macao, reference
from portal.vouchers.models import MacaoScheme, MacaoVoucherPlace
from tests import factories

pytestmark = pytest.mark.django_db
ON = date(2026, 12, 1)
QUALIFYING = {"lives_in": "zhuhai", "has_residence_permit": True, "has_macao_id": True, "insured": True,
              "date_of_birth": date(1956, 7, 1), "student": False, "disability_allowance": False, "on": ON}


# --- The rule ---------------------------------------------------------------------------


def test_a_70_year_old_in_zhuhai_with_permit_id_and_insurance_qualifies():
    check = macao.insurance_subsidy_check(**QUALIFYING)
    assert check.eligible and check.missing == [] and check.qualifies_by == ["elder"] and check.age == 70


@pytest.mark.parametrize(("born", "group"), [
    (date(1961, 12, 1), "elder"),     # 65 on the day
    (date(2016, 12, 2), "child"),     # 9, turns 10 tomorrow
    (date(2016, 12, 1), "child"),     # 10 on the day
])
def test_age_groups_are_counted_on_the_day_of_the_check(born, group):
    check = macao.insurance_subsidy_check(**{**QUALIFYING, "date_of_birth": born})
    assert check.eligible and check.qualifies_by == [group]


@pytest.mark.parametrize(("born", "student", "disability", "eligible", "groups"), [
    (date(1961, 12, 2), False, False, False, []),            # 64: turns 65 tomorrow
    (date(2015, 12, 1), False, False, False, []),            # 11
    (date(2010, 5, 1), True, False, True, ["student"]),
    (date(1980, 5, 1), False, True, True, ["disability"]),
    (None, True, False, True, ["student"]),                  # no date of birth given
])
def test_status_groups(born, student, disability, eligible, groups):
    check = macao.insurance_subsidy_check(**{**QUALIFYING, "date_of_birth": born, "student": student,
                                             "disability_allowance": disability})
    assert (check.eligible, check.qualifies_by) == (eligible, groups)
    assert ("no_group" in check.missing) is not eligible


@pytest.mark.parametrize(("change", "missing"), [
    ({"lives_in": "macao"}, "lives_elsewhere"),
    ({"lives_in": "other_mainland"}, "lives_elsewhere"),
    ({"has_residence_permit": False}, "no_permit"),
    ({"has_macao_id": False}, "no_macao_id"),
    ({"insured": False}, "not_insured"),
])
def test_each_missing_condition_is_named(change, missing):
    check = macao.insurance_subsidy_check(**{**QUALIFYING, **change})
    assert not check.eligible and check.missing == [missing]
    assert check.missing_messages and check.qualifying_messages == ["You are 65 or over."]


def test_every_one_of_the_nine_cities_counts():
    codes = [code for code, _label in macao.NINE_CITIES]
    assert len(codes) == 9
    assert all(macao.insurance_subsidy_check(**{**QUALIFYING, "lives_in": code}).eligible for code in codes)


# --- Data -------------------------------------------------------------------------------


def test_reference_data_loads_in_three_languages_with_sources_and_dates():
    assert reference.load_macao() == (2, 3)
    assert reference.load_macao() == (2, 3)  # idempotent
    subsidy = MacaoScheme.objects.get(code="medical_subsidy")
    insurance = MacaoScheme.objects.get(code="insurance_subsidy")
    assert (subsidy.amount_mop, insurance.amount_mop) == (600, 1000)
    assert (subsidy.valid_from, subsidy.valid_until) == (date(2024, 5, 1), date(2026, 4, 30))
    for row in (subsidy, insurance, *MacaoVoucherPlace.objects.all()):
        assert row.source_en and row.source_zh_hant and row.source_zh_hans and row.as_of
        assert row.name_en and row.name_zh_hant and row.name_zh_hans
    assert "配偶、父母或子女" in subsidy.family_transfer_zh_hant
    assert set(MacaoVoucherPlace.objects.values_list("vouchers", flat=True)) == {"accepted", "unconfirmed",
                                                                                 "not_accepted"}


# --- Page and check ------------------------------------------------------------------------


@pytest.fixture
def macao_data(db):
    reference.load_macao()


def test_page_lists_places_with_their_status_source_and_date_in_each_language(client, macao_data,
                                                                               django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        page = client.get(reverse("vouchers:macao")).content.decode()
    assert "MOP 600 a year" in page and "Up to MOP 1,000 a year" in page and "That round has ended" in page
    assert "Takes Macao medical vouchers" in page and "Not confirmed: ask the clinic" in page
    assert "Does not take Macao medical vouchers" in page and "as of 1 December 2019" in page
    assert "spouse, parents or children" in page and "The portal cannot move Macao" in page
    chinese = client.get("/zh-hant/vouchers/macao/").content.decode()
    assert "歐偉樂內科診所" in chinese and "橫琴澳門新街坊衛生站" in chinese and "珠海特區報" in chinese


def test_a_clinic_with_a_portal_page_links_to_its_booking(client, macao_data):
    hospital = factories.HospitalFactory(slug="hengqin-clinic", name_en="Hengqin Macao Family Clinic")
    MacaoVoucherPlace.objects.create(slug="hengqin-family", name_en="Hengqin Macao Family Clinic", area_en="Hengqin",
                                     vouchers="accepted", hospital=hospital, source_en="Test", as_of=date(2026, 1, 1))
    page = client.get(reverse("vouchers:macao")).content.decode()
    assert hospital.get_absolute_url() in page and "Hengqin Macao Family Clinic: details and booking" in page


def _answers(**change):
    data = {"lives_in": "zhuhai", "has_residence_permit": "yes", "has_macao_id": "yes", "insured": "yes",
            "date_of_birth": "1956-07-01"}
    data.update(change)
    return {key: value for key, value in data.items() if value is not None}


def test_check_says_eligible_with_what_to_bring_and_where_to_apply(client, macao_data):
    response = client.post(reverse("vouchers:macao_insurance_check"), _answers())
    text = response.content.decode()
    assert response.status_code == 200 and "You appear to qualify." in text and "You are 65 or over." in text
    assert "up to MOP 1,000 a year" in text and "The Health Bureau decides." in text
    assert "What to bring" in text and "Residence Permit for Hong Kong and Macao Residents" in text
    assert "Where to apply" in text and "ybjt@ssm.gov.mo" in text


def test_check_says_not_eligible_and_why(client, macao_data):
    text = client.post(reverse("vouchers:macao_insurance_check"),
                       _answers(lives_in="macao", insured="no", date_of_birth="1980-01-01")).content.decode()
    assert "you do not qualify yet" in text
    assert "nine mainland cities" in text and "join the basic medical insurance" in text and "65 or over, 10 or under" in text


def test_check_with_bad_input_explains_and_keeps_it(client, macao_data):
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    response = client.post(reverse("vouchers:macao_insurance_check"), _answers(lives_in=None, date_of_birth=future))
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required." in text and "cannot be in the future" in text and "You appear" not in text


def test_check_page_is_prefilled_for_a_signed_in_macao_resident(client_for, resident, macao_data):
    profile = resident.profile
    profile.id_document_type, profile.id_document_number = "macao_id", "1234567(8)"
    profile.date_of_birth = date(1956, 7, 1)
    profile.save()
    page = client_for(resident).get(reverse("vouchers:macao")).content.decode()
    assert 'name="date_of_birth" value="1956-07-01"' in page and 'value="yes" required id="id_has_macao_id_0" checked' in page


def test_a_get_of_the_check_goes_back_to_the_form(client):
    response = client.get(reverse("vouchers:macao_insurance_check"))
    assert response.status_code == 302 and response["Location"].endswith("/vouchers/macao/#insurance-check")
