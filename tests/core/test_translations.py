"""Every user-facing message is translated into Traditional and Simplified Chinese.

Messages are extracted afresh from a copy of the source (as `makemessages`
would), merged with the committed catalogues, and any message that is missing,
empty or fuzzy fails the test with its text."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["zh_Hant", "zh_Hans"]


@pytest.fixture(scope="module")
def extracted_catalogues(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("source")
    for name in ("portal", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    command = [sys.executable, "-m", "django", "makemessages", "--no-location", "--no-obsolete",
               "--ignore", "portal/settings/*"] + [f"-l={language}" for language in LANGUAGES]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy)}
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)  # noqa: S603
    return copy


def _catalogues(root: Path) -> list[Path]:
    return sorted(root.glob("locale/*/LC_MESSAGES/django.po")) + sorted(root.glob("portal/*/locale/*/LC_MESSAGES/django.po"))


def test_catalogues_exist_for_both_chinese_scripts():
    found = {path.parts[-3] for path in _catalogues(ROOT)}
    assert found == set(LANGUAGES)


def test_every_message_is_translated_and_none_is_fuzzy(extracted_catalogues):
    problems = []
    for path in _catalogues(extracted_catalogues):
        catalogue = polib.pofile(str(path))
        relative = path.relative_to(extracted_catalogues)
        for entry in catalogue.untranslated_entries():
            problems.append(f"{relative}: untranslated: {entry.msgid!r}")
        for entry in catalogue.fuzzy_entries():
            problems.append(f"{relative}: fuzzy: {entry.msgid!r}")
    assert not problems, "\n".join(problems[:100]) + f"\n({len(problems)} problems)"


def test_committed_catalogues_compile():
    for path in _catalogues(ROOT):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)  # noqa: S603,S607
        assert result.returncode == 0, f"{path}: {result.stderr}"


PRODUCT_NAME = {"zh_Hant": "大灣區跨境醫療平台", "zh_Hans": "大湾区跨境医疗平台"}


def test_the_portal_is_called_by_one_name_in_each_script():
    """The header, the e-mails, their footers and the caregivers' invitations name the
    portal alike (they once said 大灣區醫療服務平台 and 大灣區跨境醫療服務平台 too)."""
    names = re.compile(r"大[灣湾][區区][^\s，。、「」“”（）]{0,8}?平台")
    problems = []
    for path in _catalogues(ROOT):
        language = path.parts[-3]
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                for name in names.findall(text):
                    if name != PRODUCT_NAME[language]:
                        problems.append(f"{path.relative_to(ROOT)}: {name} in {entry.msgid!r}")
    assert not problems, "\n".join(problems)
