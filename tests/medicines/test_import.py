"""CSV import of the Connect list: all or nothing, every bad row reported by line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from portal.medicines.models import ConnectItem, ItemApproval
from portal.medicines.services import connect_items_import
from tests import factories
from tests.hospitals.factories import TherapeuticAreaFactory

HEADER = "name_en,name_zh_hant,name_zh_hans,kind,indication_en,therapeutic_area,institutions,first_reported\n"
GOOD = HEADER + (
    "Lorlatinib,勞拉替尼,劳拉替尼,drug,ALK-positive lung cancer,oncology,hku-szh,2021\n"
    "Alpelisib,阿培利司,阿培利司,drug,Breast cancer,oncology,hku-szh;qianhai,2022-03\n"
)
BAD = HEADER + (
    "Lorlatinib,勞拉替尼,劳拉替尼,drug,ALK-positive lung cancer,oncology,hku-szh,2021\n"
    ",阿培利司,阿培利司,pill,Breast cancer,oncology,hku-szh,2022\n"
    "Erdafitinib,厄達替尼,厄达替尼,drug,Urothelial carcinoma,astrology,nowhere,March\n"
)


@pytest.fixture
def institutions(db):
    TherapeuticAreaFactory()
    return [factories.HospitalFactory(slug="hku-szh"), factories.HospitalFactory(slug="qianhai")]


def test_good_file_imports_items_and_approvals(institutions):
    result = connect_items_import(actor=None, file=GOOD)
    assert result.ok and result.created == 2
    alpelisib = ConnectItem.objects.get(slug="alpelisib")
    assert alpelisib.generic_name_zh_hant == "阿培利司"
    assert alpelisib.approval_date.isoformat() == "2022-03-01"
    assert sorted(alpelisib.institutions.values_list("slug", flat=True)) == ["hku-szh", "qianhai"]
    again = connect_items_import(actor=None, file=GOOD)
    assert again.ok and again.created == 0 and again.updated == 2 and again.approvals == 0


def test_bad_file_imports_nothing_and_lists_every_error_with_its_line(institutions):
    result = connect_items_import(actor=None, file=BAD)
    assert not result.ok
    assert ConnectItem.objects.count() == 0 and ItemApproval.objects.count() == 0
    by_line = {}
    for error in result.errors:
        by_line.setdefault(error.line, []).append(error.message)
    assert set(by_line) == {3, 4}
    assert any("name_en" in message for message in by_line[3])
    assert any("pill" in message for message in by_line[3])
    assert any("astrology" in message for message in by_line[4])
    assert any("nowhere" in message for message in by_line[4])
    assert any("March" in message for message in by_line[4])


def test_errors_are_in_the_admins_language(institutions):
    with translation.override("zh-hant"):
        result = connect_items_import(actor=None, file=BAD)
    assert any("未知的治療範疇" in error.message for error in result.errors)


def test_missing_columns_are_reported(institutions):
    result = connect_items_import(actor=None, file="name_en,kind\nX,drug\n")
    assert [(error.line, "therapeutic_area" in error.message) for error in result.errors] == [(1, True)]


def test_command_imports_good_file_and_refuses_bad_one(institutions, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_connect_items", str(good))
    assert ConnectItem.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD.replace("Lorlatinib", "Newdrug"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_connect_items", str(bad))
    assert "line 4" in capsys.readouterr().err
    assert ConnectItem.objects.count() == 2


def test_admin_import_page(institutions, superuser, client_for):
    client = client_for(superuser)
    url = "/en/admin/medicines/connectitem/import/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("bad.csv", BAD.encode())})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html and "astrology" in html and "<td>4</td>" in html
    assert ConnectItem.objects.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("good.csv", GOOD.encode())})
    assert response.status_code == 302
    assert ConnectItem.objects.count() == 2


def test_admin_import_page_is_for_superusers_only(hospital_admin, client_for):
    response = client_for(hospital_admin).get("/en/admin/medicines/connectitem/import/")
    assert response.status_code == 403


def test_demo_loader_loads_the_real_items(db):
    from portal.hospitals import demo as hospitals_demo
    from portal.medicines import demo

    hospitals_demo.load()
    demo.load()
    assert ConnectItem.objects.count() == 18
    lorlatinib = ConnectItem.objects.get(slug="lorlatinib")
    assert lorlatinib.indication_zh_hans == "ALK阳性非小细胞肺癌"
    assert lorlatinib.institutions.filter(slug="hku-szh").exists()
