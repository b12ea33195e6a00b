"""Names in messages fall back as the pages do (modeltranslation's fallbacks):
a missing Chinese name shows the other Chinese script before English."""

from types import SimpleNamespace

import pytest

from portal.appointments import services


@pytest.mark.parametrize(("stored", "expected"), [
    (("Kiang Wu Hospital", "鏡湖醫院", "镜湖医院"), {"en": "Kiang Wu Hospital", "zh-hant": "鏡湖醫院", "zh-hans": "镜湖医院"}),
    (("Kiang Wu Hospital", "鏡湖醫院", ""), {"en": "Kiang Wu Hospital", "zh-hant": "鏡湖醫院", "zh-hans": "鏡湖醫院"}),
    (("Kiang Wu Hospital", None, "镜湖医院"), {"en": "Kiang Wu Hospital", "zh-hant": "镜湖医院", "zh-hans": "镜湖医院"}),
    (("Kiang Wu Hospital", "", ""), {"en": "Kiang Wu Hospital", "zh-hant": "Kiang Wu Hospital", "zh-hans": "Kiang Wu Hospital"}),
    (("", "鏡湖醫院", ""), {"en": "", "zh-hant": "鏡湖醫院", "zh-hans": "鏡湖醫院"}),
])
def test_names_fall_back_as_the_pages_do(stored, expected):
    en, hant, hans = stored
    assert services._names(SimpleNamespace(name_en=en, name_zh_hant=hant, name_zh_hans=hans)) == expected
