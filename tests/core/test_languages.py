import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.core.context_processors import same_page_in_each_language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "prefix"),
    [
        ("zh-HK,zh;q=0.9,en;q=0.8", "/zh-hant/"),
        ("zh-TW", "/zh-hant/"),
        ("zh-MO", "/zh-hant/"),
        ("zh-CN,zh;q=0.9", "/zh-hans/"),
        ("zh-SG", "/zh-hans/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("fr-FR", "/en/"),
        ("", "/en/"),
    ],
)
def test_first_visit_goes_to_the_browsers_language(client, accept_language, prefix):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == prefix


@pytest.mark.parametrize(("prefix", "lang", "heading"), [
    ("/en/", "en", "Care across the border, made simple"),
    ("/zh-hant/", "zh-hant", "跨境求醫"),
    ("/zh-hans/", "zh-hans", "跨境就医"),
])
def test_home_page_in_each_language_with_matching_html_lang(client, prefix, lang, heading):
    response = client.get(prefix)
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert heading in page


def test_language_switch_keeps_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/zh-hant/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/accounts/login/"


def test_signed_in_users_choice_is_saved_and_used_after_sign_in(client, resident):
    client.force_login(resident)
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/en/"})
    resident.refresh_from_db()
    assert resident.language == "zh-hant"
    client.logout()
    response = client.post("/en/accounts/login/", {"login": resident.email, "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hant/")


def test_language_switch_refuses_offsite_next(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example.com/"})
    assert "evil.example.com" not in response["Location"]


@pytest.mark.parametrize(("path", "query", "expected"), [
    ("/zh-hant/hospitals/", "q=%E5%B1%AF", "/en/hospitals/?q=%E5%B1%AF"),
    ("/zh-hant/medicines/勞拉/", "", "/en/medicines/%E5%8B%9E%E6%8B%89/"),
    ("/zh-hant//evil.example.com/", "", "/en//evil.example.com/"),
    ("//evil.example.com/", "next=x", "/en/"),
    ("/api/v1/hospitals/", "", "/en/"),
])
def test_language_links_are_this_page_on_this_site(path, query, expected):
    request = RequestFactory().get("/", QUERY_STRING=query)
    request.path_info = path
    links = {code: url for code, _name, url in same_page_in_each_language(request)}
    assert links["en"] == expected
    assert all(url.startswith(f"/{code}/") for code, url in links.items())
