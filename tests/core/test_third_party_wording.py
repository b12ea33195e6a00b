"""Where a third-party catalogue is wrong for this portal, the portal's own wins
(portal/accounts/wording.py, portal/core/wording.py, templates/account/):
one test per override, in each language, on the page where it shows."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext, pgettext

from tests import factories

LATIN = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hant", "已成功以 %(name)s 的身份登入。"),
    ("zh-hans", "已成功以 %(name)s 的身份登录。"),
])
def test_allauth_signed_in_message_has_no_double_dot(language, expected):
    with translation.override(language):
        assert gettext("Successfully signed in as %(name)s.") == expected


@pytest.mark.parametrize("msgid", [
    "An authenticator app is not active.",
    "You can store this secret and use it to reinstall your authenticator app at a later time.",
])
@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_allauth_two_factor_messages_have_no_english_left(language, msgid):
    with translation.override(language):
        text = gettext(msgid)
    assert text != msgid and not LATIN.search(text)


@pytest.mark.parametrize(("language", "thing", "person"), [
    ("zh-hant", "名稱", "姓名"),
    ("zh-hans", "名称", "姓名"),
])
def test_name_is_not_celery_beats_task_name(language, thing, person):
    with translation.override(language):
        assert gettext("Name") == thing
        assert pgettext("person", "Name") == person


def test_search_box_and_console_name_column_in_simplified(client_for, centre_staff):
    search = client_for(None).get("/zh-hans/hospitals/").content.decode()
    assert "任务名" not in search and "名称" in search
    console = client_for(centre_staff).get("/zh-hans/centre/").content.decode()
    assert "任务名" not in console


@pytest.mark.parametrize(("language", "label"), [("en", "Send the code to"), ("zh-hant", "把驗證碼發送到"),
                                                 ("zh-hans", "将验证码发送到")])
def test_reauthentication_page_has_no_english_recipient(client_for, resident, language, label):
    from allauth.account.forms import RequestReauthenticationCodeForm
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = resident
    with translation.override(language):
        html = render_to_string("account/request_reauthentication_code.html",
                                {"form": RequestReauthenticationCodeForm(user=resident)}, request=request)
    assert label in html and "Recipient" not in html


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)))


@pytest.mark.parametrize(("language", "code", "hospital_word", "title"), [
    ("zh-hant", "代碼", "醫院", "大灣區跨境醫療平台管理"),
    ("zh-hans", "代码", "医院", "大湾区跨境医疗平台管理"),
])
def test_admin_code_column_hospital_filter_and_site_title(client_for, superuser, hospital, language, code, hospital_word,
                                                           title):
    client = client_for(superuser)
    cities = _visible(client.get(f"/{language}/admin/hospitals/city/").content.decode())
    assert code in cities and "Code" not in cities
    assert title in cities and "GBA Health Portal" not in cities
    templates = _visible(client.get(f"/{language}/admin/appointments/sessiontemplate/").content.decode())
    assert hospital_word in templates
    assert not re.search(r"\bhospital\b", templates)


@pytest.mark.parametrize(("language", "greeting", "name"), [
    ("en", "Hello from the GBA Health Portal.", "GBA Health Portal"),
    ("zh-hant", "大灣區跨境醫療平台向你問好。", "大灣區跨境醫療平台"),
    ("zh-hans", "大湾区跨境医疗平台向您问好。", "大湾区跨境医疗平台"),
])
def test_sign_up_email_names_the_portal_not_example_com(db, client, language, greeting, name, settings):
    settings.SITE_URL = "https://portal.test"
    response = client.post(f"/{language}/accounts/signup/", {
        "email": "chan.taiman@mail.test", "password1": "a long test password 1", "password2": "a long test password 1"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject.startswith(f"[{name}] ")
    assert greeting in message.body and "portal.test" in message.body
    assert "example.com" not in message.subject + message.body


def test_the_sites_record_names_the_portal(db, settings):
    from django.contrib.sites.models import Site

    from portal.core.site import site_record_sync

    settings.SITE_URL = "https://portal.test/"
    site_record_sync()
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("portal.test", "GBA Health Portal")


@pytest.mark.parametrize(("page_language", "account_language", "expected"), [
    ("zh-hans", "zh-hans", "已成功以"),
    ("zh-hant", "en", "Successfully signed in as"),
    ("en", "zh-hant", "已成功以"),
])
def test_signed_in_message_is_in_the_language_of_the_page_it_shows_on(db, client, page_language, account_language,
                                                                       expected):
    user = factories.ProfileFactory(user__email="wong@mail.test").user
    user.language = account_language
    user.set_password("a long test password 1")
    user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    response = client.post(f"/{page_language}/accounts/login/",
                           {"login": user.email, "password": "a long test password 1"}, follow=True)
    assert response.request["PATH_INFO"].startswith(f"/{account_language}/")
    messages = [str(m) for m in response.context["messages"]]
    assert messages and expected in messages[0] and ".." not in messages[0]

