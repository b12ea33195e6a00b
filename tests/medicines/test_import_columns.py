"""Issue 15: the Connect CSV import crashed with a raw DataError (a 500 in the
admin) on over-long names, slugs or registration numbers instead of listing
the lines. Every column is now checked against its model field, every bad line
is reported with its reason, and nothing is written when any line is bad: the
service, the management command and the admin page alike."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from portal.medicines.models import ConnectItem, ItemApproval
from portal.medicines.services import connect_items_import
from tests import factories
from tests.hospitals.factories import TherapeuticAreaFactory

HEADER = "name_en,name_zh_hant,name_zh_hans,kind,therapeutic_area,institutions,slug,hk_registration_no,holder\n"
GOOD_LINE = "Lorlatinib,勞拉替尼,劳拉替尼,drug,oncology,hku-szh,,HK-66666,Pfizer\n"
BAD = HEADER + GOOD_LINE + (
    f"{'L' * 201},勞拉替尼,劳拉替尼,drug,oncology,hku-szh,lorlatinib-long,,\n"     # line 3: name over 200
    f"Alpelisib,阿培利司,阿培利司,drug,oncology,hku-szh,{'a' * 101},,\n"              # line 4: slug over 100
    f"Erdafitinib,厄達替尼,厄达替尼,drug,oncology,hku-szh,,{'9' * 51},\n"             # line 5: number over 50
    "Osimertinib,奧希替尼,奥希替尼,drug,oncology,hku-szh,not a slug!,,\n"              # line 6: not a slug
    "Capmatinib\x00,卡馬替尼,卡马替尼,drug,oncology,hku-szh,,,\n"                      # line 7: a NUL
    f"Tepotinib,特泊替尼,特泊替尼,drug,oncology,hku-szh,,,{'H' * 201}\n"             # line 8: holder over 200
)


@pytest.fixture
def institutions(db):
    TherapeuticAreaFactory()
    return [factories.HospitalFactory(slug="hku-szh")]


def _by_line(result) -> dict[int, list[str]]:
    lines: dict[int, list[str]] = {}
    for error in result.errors:
        lines.setdefault(error.line, []).append(error.message)
    return lines


def test_every_bad_column_is_reported_with_its_line_and_nothing_is_written(institutions):
    result = connect_items_import(actor=None, file=BAD)
    assert not result.ok
    lines = _by_line(result)
    assert set(lines) == {3, 4, 5, 6, 7, 8}
    assert "name_en" in lines[3][0] and "200" in lines[3][0]
    assert "slug" in lines[4][0] and "100" in lines[4][0]
    assert "hk_registration_no" in lines[5][0] and "50" in lines[5][0]
    assert "slug" in lines[6][0]
    assert "name_en" in lines[7][0] and "characters that are not allowed" in lines[7][0]
    assert "holder" in lines[8][0]
    assert not ConnectItem.objects.exists() and not ItemApproval.objects.exists()


def test_the_command_lists_the_lines(institutions, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_connect_items", str(path))
    printed = capsys.readouterr().err
    assert all(f"line {line}:" in printed for line in (3, 4, 5, 6, 7, 8))
    assert not ConnectItem.objects.exists()


def test_the_admin_page_lists_the_lines(institutions, superuser, client_for):
    upload = SimpleUploadedFile("connect.csv", BAD.encode(), content_type="text/csv")
    response = client_for(superuser).post("/en/admin/medicines/connectitem/import/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "hk_registration_no" in page and "Ensure this value has at most 50 characters" in page
    assert not ConnectItem.objects.exists()
