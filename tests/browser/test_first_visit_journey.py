"""Issue #2: a new resident's first visit, as a person would do it, in a Hong Kong
browser: home page in Traditional Chinese, sign up, verify the e-mail, sign in,
switch to Simplified Chinese, back to Traditional, then to English."""

import re

from playwright.sync_api import expect

EMAIL = "new.resident@example.com"
PASSWORD = "Lantau peak at dawn 2026"


# Field labels end with Django's translated label suffix (":" or "："). The e-mail
# label is Django's own "Email" (django.contrib.auth wins over allauth's catalogue).
EMAIL_LABEL = re.compile(r"^電郵(地址)?[:：]?$")
PASSWORD_LABEL = re.compile(r"^密碼[:：]?$")
PASSWORD_AGAIN_LABEL = re.compile(r"^密碼\s*[(（]再次輸入[)）][:：]?$")


def _language_is(page, prefix: str, lang: str):
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+/{prefix}/"))
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_first_visit_sign_up_verify_sign_in_and_switch_language(page_in, snap, mailoutbox, django_user_model):
    page = page_in("zh-HK")

    # 1. A Hong Kong browser lands on the Traditional Chinese home page.
    page.goto("/")
    _language_is(page, "zh-hant", "zh-hant")
    expect(page.get_by_role("heading", level=1)).to_have_text("跨境求醫，簡單易用")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="醫院", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="登入", exact=True)).to_be_visible()
    snap(page, "home-zh-hant")

    # 2. Sign up with e-mail and password (allauth's page in the portal's layout).
    nav.get_by_role("link", name="建立帳戶", exact=True).click()
    expect(page).to_have_url(re.compile(r"/zh-hant/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("註冊")
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(PASSWORD_AGAIN_LABEL).fill(PASSWORD)
    snap(page, "sign-up-filled")
    page.locator("main").get_by_role("button", name="註冊").click()

    # Mandatory verification: told to check the inbox, not signed in yet.
    expect(page).to_have_url(re.compile(r"/zh-hant/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("驗證您的電郵地址")
    snap(page, "verification-sent")
    user = django_user_model.objects.get(email=EMAIL)
    assert user.language == "zh-hant"

    # 3. Open the link from the e-mail and confirm (a POST: no confirmation on GET).
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    assert "/zh-hant/" in link
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("確認電郵")
    snap(page, "confirm-email")
    page.locator("main").get_by_role("button", name="確認").click()
    expect(page).to_have_url(re.compile(r"/zh-hant/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登入")
    expect(page.get_by_text(f"您已確認 {EMAIL}。")).to_be_visible()
    assert user.emailaddress_set.get(email=EMAIL).verified

    # 4. Sign in: the dashboard greets the new resident in Traditional Chinese.
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    snap(page, "sign-in-filled")
    page.locator("main").get_by_role("button", name="登入").click()
    expect(page).to_have_url(re.compile(r"/zh-hant/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"歡迎，{EMAIL}")
    expect(nav.get_by_role("link", name="我的帳戶", exact=True)).to_be_visible()
    snap(page, "dashboard-zh-hant")

    # 5. Switch to Simplified Chinese: same page, Simplified text.
    page.get_by_role("button", name="简体中文").click()
    _language_is(page, "zh-hans", "zh-hans")
    expect(page).to_have_url(re.compile(r"/zh-hans/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"欢迎，{EMAIL}")
    expect(nav.get_by_role("link", name="我的账户", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="医院", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="简体中文")).to_be_disabled()
    snap(page, "dashboard-zh-hans")
    user.refresh_from_db()
    assert user.language == "zh-hans"

    # 6. Back to Traditional Chinese.
    page.get_by_role("button", name="繁體中文").click()
    _language_is(page, "zh-hant", "zh-hant")
    expect(page).to_have_url(re.compile(r"/zh-hant/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"歡迎，{EMAIL}")
    expect(nav.get_by_role("link", name="我的帳戶", exact=True)).to_be_visible()
    snap(page, "dashboard-zh-hant-again")

    # 7. And to English.
    page.get_by_role("button", name="English").click()
    _language_is(page, "en", "en")
    expect(page).to_have_url(re.compile(r"/en/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {EMAIL}")
    expect(nav.get_by_role("link", name="My account", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Hospitals", exact=True)).to_be_visible()
    snap(page, "dashboard-en")
    user.refresh_from_db()
    assert user.language == "en"
