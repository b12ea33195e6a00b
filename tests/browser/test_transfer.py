"""Journey: a resident requests a cross-boundary ambulance transfer and follows it
as the hospitals act on it, in each of the three languages. The hospital side
(clinical review, acceptance, crossing, schedule, departure, hand-over) is done
through the services, as the hospitals' staff would from their pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from portal.transfers import services
from portal.transfers.models import Route, TransferEvent, TransferRequest
from portal.transfers.workflow import State
from tests import factories
from tests.browser.journey import check, languages, t
from tests.conftest import _with_totp

SENDING = {"en": "HKU-Shenzhen Hospital", "zh-hant": "港大深圳醫院", "zh-hans": "港大深圳医院"}
RECEIVING = {"en": "Tuen Mun Hospital", "zh-hant": "屯門醫院", "zh-hans": "屯门医院"}
SUMMARY = {"en": "Stable after stroke; needs rehabilitation in Hong Kong.",
           "zh-hant": "中風後情況穩定，需回港復康。", "zh-hans": "中风后情况稳定，需回港康复。"}
# File formats and the unit of the upload limit.
CODES = ["JPEG", "PNG", "MB", "TR"]  # TR: the prefix of transfer references
STRETCHER = {"en": "Stretcher", "zh-hant": "擔架", "zh-hans": "担架"}


@pytest.fixture
def scene(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    sending = factories.HospitalFactory(slug="hku-szh", name_en=SENDING["en"], name_zh_hant=SENDING["zh-hant"],
                                        name_zh_hans=SENDING["zh-hans"])
    receiving = factories.HospitalFactory(
        slug="tuen-mun", name_en=RECEIVING["en"], name_zh_hant=RECEIVING["zh-hant"], name_zh_hans=RECEIVING["zh-hans"],
        city=factories.CityFactory(code="hong_kong", name_en="Hong Kong", name_zh_hant="香港", name_zh_hans="香港",
                                   region="hong_kong"))
    border = factories.BorderPointFactory()
    Route.objects.create(sending_hospital=sending, receiving_hospital=receiving, border_point=border,
                         direction="southbound", fee_rmb=4990)
    return {
        "border": border,
        "sending_admin": _with_totp(factories.make_hospital_admin(sending, email="hospital.admin@example.com")),
        "receiving_admin": _with_totp(factories.make_hospital_admin(receiving, email="receiving.admin@example.com")),
    }


def _label(state: State, lang: str) -> str:
    with translation.override(lang):
        return str(state.label)


@languages
def test_request_and_follow_a_transfer(page_in, login_as, snap, scene, lang, locale):
    resident = factories.ProfileFactory(user__email="resident@example.com", user__language=lang).user
    page = login_as(page_in(locale), resident)
    page.goto(f"/{lang}/transfers/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Cross-boundary ambulance transfers"))
    check(page, lang, snap, "transfers")
    page.get_by_role("link", name=t(lang, "Request a transfer")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Request a transfer"))
    expect(page.get_by_role("table")).to_contain_text(re.compile(r"4,?990"))
    check(page, lang, snap, "request-form", allowed=CODES)

    page.get_by_label(re.compile(re.escape(f"{SENDING[lang]} → {RECEIVING[lang]}"))).check()
    page.get_by_label(t(lang, "Clinical summary")).fill(SUMMARY[lang])
    page.get_by_label(t(lang, "Mobility needs")).fill(STRETCHER[lang])
    page.get_by_label(t(lang, "Preferred date")).fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_label(re.compile(re.escape(t(lang, "I agree that this information is shared with the sending and "
                                                   "receiving hospitals and the border authorities for this transfer.")))).check()
    page.get_by_role("button", name=t(lang, "Send the request")).click()
    transfer = TransferRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(transfer.reference)
    expect(page.locator("ol.transfer-timeline li")).to_have_count(1)
    # A reference is random letters and digits; one with no digit would read as a word.
    codes = [*CODES, transfer.reference]
    check(page, lang, snap, "submitted", allowed=[*codes, resident.display_name])

    # The hospitals act on it.
    sending, receiving = scene["sending_admin"], scene["receiving_admin"]
    moves = [
        (sending, State.CLINICALLY_REVIEWED, {}),
        (receiving, State.ACCEPTED, {}),
        (sending, State.CROSSING_PREREGISTERED, {
            "vehicle_plate_hk_macao": "AM1234", "vehicle_plate_mainland": "粵B·A1234港" if lang == "zh-hant" else "粤B·A1234港", "crew": "Dr LAU, nurse NG",
            "documents_checked": True, "crossing_border_point": scene["border"],
            "crossing_at": timezone.now() + timedelta(days=3)}),
        (sending, State.SCHEDULED, {}),
        (sending, State.IN_TRANSIT, {}),
        (receiving, State.HANDED_OVER, {}),
    ]
    for actor, target, details in moves:
        transfer = services.transfer_move(actor=actor, transfer=TransferRequest.objects.get(pk=transfer.pk),
                                          target=target.value, **details)
        if target in (State.ACCEPTED, State.IN_TRANSIT):
            # The resident follows along: the list and the timeline show the new state.
            page.goto(f"/{lang}/transfers/")
            expect(page.get_by_role("table")).to_contain_text(_label(target, lang))
            check(page, lang, snap, f"list-{target.value}", allowed=[*codes, resident.display_name])

    page.goto(f"/{lang}/transfers/{transfer.pk}/")
    timeline = page.locator("ol.transfer-timeline li strong").all_inner_texts()
    steps = [State.SUBMITTED, State.CLINICALLY_REVIEWED, State.ACCEPTED, State.CROSSING_PREREGISTERED,
             State.SCHEDULED, State.IN_TRANSIT, State.HANDED_OVER]
    assert timeline == [_label(state, lang) for state in steps]
    assert TransferEvent.objects.filter(transfer=transfer).count() == len(steps)
    expect(page.locator("main")).to_contain_text("AM1234")
    check(page, lang, snap, "handed-over", allowed=[*codes, resident.display_name, "AM1234", "Dr LAU, nurse NG", "LAU", "NG"])
