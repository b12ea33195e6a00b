"""Connect list honesty (issue 19 item 4): the published totals with their source
and date beside the portal's partial list, on every item and hospital page; the
source and date of each item; the official list imported with its bad lines
reported."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from portal.medicines.models import ConnectItem, ConnectListTotals
from portal.medicines.selectors import connect_list_coverage
from portal.medicines.services import connect_items_import
from tests import factories
from tests.hospitals.factories import (
    ConnectItemFactory,
    ItemApprovalFactory,
    TherapeuticAreaFactory,
)


@pytest.fixture
def published(db):
    # The migration loads the totals of 8 Dec 2025; the latest row is the one shown.
    return ConnectListTotals.objects.get(as_of="2025-12-08")


def test_the_migration_loads_the_published_totals(published):
    assert (published.items, published.drugs, published.devices, published.institutions) == (140, 63, 77, 71)
    assert published.source_zh_hant and published.source_zh_hans


@pytest.mark.parametrize("language, published_text, partial_text, date_text", [
    ("en", "140 items (63 drugs and 77 medical devices) at 71 designated institutions, as published on 8 December 2025",
     "The portal's list is partial, gathered from public reports.", "8 December 2025"),
    ("zh-hant", "140", "本網站的名單並不完整", "2025年12月8日"),
    ("zh-hans", "140", "本网站的名单并不完整", "2025年12月8日"),
])
def test_item_and_hospital_pages_show_the_totals_and_say_the_list_is_partial(client, published, hospital, language,
                                                                            published_text, partial_text, date_text):
    item = ConnectItemFactory(slug="lorlatinib", source_en="A news report", source_zh_hant="新聞報道",
                              source_zh_hans="新闻报道")
    ItemApprovalFactory(item=item, hospital=hospital)
    for url in (f"/{language}/medicines/lorlatinib/", f"/{language}/hospitals/{hospital.slug}/",
                f"/{language}/medicines/"):
        html = client.get(url).content.decode()
        assert published_text in html and partial_text in html, url
        assert date_text in html


def test_newer_published_totals_replace_the_older_on_the_pages(client, published, superuser, client_for,
                                                               django_capture_on_commit_callbacks):
    ConnectItemFactory(slug="lorlatinib")
    client.get("/en/medicines/lorlatinib/")
    admin = client_for(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("admin:medicines_connectlisttotals_add"), {
            "items": 150, "drugs": 70, "devices": 80, "institutions": 75, "patients": "", "as_of": "2026-06-30",
            "source_en": "A later report", "source_zh_hant": "較後的報道", "source_zh_hans": "较后的报道",
            "source_url": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get("/en/medicines/lorlatinib/").content.decode()
    assert "150 items (70 drugs and 80 medical devices) at 75 designated institutions" in html
    assert "A later report" in html


def test_totals_that_do_not_add_up_are_refused_by_the_database(published):
    with pytest.raises(IntegrityError):
        ConnectListTotals.objects.filter(pk=published.pk).update(items=141)


def test_without_published_totals_the_page_says_they_are_not_known(client, published):
    published.delete()
    cache.clear()
    ConnectItemFactory(slug="lorlatinib")
    html = client.get("/en/medicines/lorlatinib/").content.decode()
    assert "The totals of the official Connect list are not known to the portal." in html


def test_each_item_shows_its_source_and_date_to_the_precision_published(client, db):
    TherapeuticAreaFactory()
    factories.HospitalFactory(slug="hku-szh")
    text = ("name_en,name_zh_hant,name_zh_hans,kind,therapeutic_area,institutions,first_reported,source_en,"
            "source_zh_hant,source_zh_hans,source_url\n"
            "Lorlatinib,勞拉替尼,劳拉替尼,drug,oncology,hku-szh,2021,Hospital announcement,醫院公告,医院公告,"
            "https://example.org/list\n")
    assert connect_items_import(actor=None, file=text).ok
    html = client.get("/en/medicines/lorlatinib/").content.decode()
    assert 'href="https://example.org/list"' in html and "Hospital announcement" in html
    assert "reported 2021" in html and "2021-01" not in html
    html = client.get("/zh-hans/medicines/lorlatinib/").content.decode()
    assert "医院公告" in html


def test_an_item_without_a_source_says_so(client, db):
    ConnectItemFactory(slug="lorlatinib", source_en="", source_zh_hant="", source_zh_hans="")
    assert "Not known" in client.get("/en/medicines/lorlatinib/").content.decode()


OFFICIAL = ("name_en,name_zh_hant,name_zh_hans,kind,therapeutic_area,institutions\n"
            "Lorlatinib,勞拉替尼,劳拉替尼,drug,oncology,hku-szh\n"
            "Unknown place drug,某藥,某药,drug,oncology,not-in-the-portal\n"
            "Alpelisib,阿培利司,阿培利司,pill,oncology,hku-szh\n"
            "Stent,支架,支架,device,oncology,hku-szh\n")


def test_the_official_list_imports_its_good_lines_and_reports_the_bad_ones(db, tmp_path, capsys):
    TherapeuticAreaFactory()
    factories.HospitalFactory(slug="hku-szh")
    path = tmp_path / "official.csv"
    path.write_text(OFFICIAL, encoding="utf-8")
    call_command("import_connect_items", str(path), "--skip-bad-lines", "--source-en", "Official list, 2026",
                 "--source-zh-hant", "官方名單，2026年", "--source-zh-hans", "官方名单，2026年",
                 "--source-url", "https://example.org/official.csv")
    out, err = capsys.readouterr()
    assert "2 created" in out and "2 line(s) skipped: 3, 4" in out
    assert "line 3: Unknown institution(s): not-in-the-portal." in err and "line 4:" in err
    assert sorted(ConnectItem.objects.values_list("slug", flat=True)) == ["lorlatinib", "stent"]
    stent = ConnectItem.objects.get(slug="stent")
    assert stent.source_zh_hans == "官方名单，2026年" and stent.source_url == "https://example.org/official.csv"


def test_without_skip_the_official_list_is_all_or_nothing(db, tmp_path):
    TherapeuticAreaFactory()
    factories.HospitalFactory(slug="hku-szh")
    path = tmp_path / "official.csv"
    path.write_text(OFFICIAL, encoding="utf-8")
    with pytest.raises(Exception, match="nothing was imported"):
        call_command("import_connect_items", str(path))
    assert not ConnectItem.objects.exists()


def test_coverage_counts_only_listed_items(db, hospital):
    ItemApprovalFactory(item=ConnectItemFactory(kind="drug"), hospital=hospital)
    ItemApprovalFactory(item=ConnectItemFactory(kind="device"), hospital=hospital)
    ConnectItemFactory(kind="drug", status="delisted")
    cache.clear()
    coverage = connect_list_coverage()
    assert (coverage.items, coverage.drugs, coverage.devices, coverage.institutions) == (2, 1, 1, 1)
