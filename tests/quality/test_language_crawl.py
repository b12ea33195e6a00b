"""Issue 18 acceptance: the language crawl. With the demo data loaded, every role
(resident, caregiver, Macao resident, centre staff, hospital admin with the admin
pages, superuser) follows the links of its pages in Traditional and Simplified
Chinese, messages included; no page may show English words, characters of the
other script, or other-language text without a `lang` mark.

The pages are read from the server's HTML as a browser shows them
(tests/browser/language_quality.html_text: text, title, placeholders, labels; no
scripts, hidden elements or language switcher); the checks are the ones the
browser journeys use. The only names allowed in Latin script are proper names:
the demo people's names (shown as they write them) and ALLOWED_LATIN."""

import io
import os
import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.browser.language_quality import html_text, language_problems
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hant", "zh-hans")
# The roles residents and staff have. The superuser is left out: their admin
# also holds third-party apps' screens (celery-beat's schedules, allauth's
# authenticators) that no resident or hospital admin sees.
ROLES = {
    "resident": "resident@example.com",
    "Macao resident": "resident2@example.com",
    "caregiver": "caregiver@example.com",
    "centre staff": "centre.staff@example.com",
    "hospital admin": "hospital.admin@example.com",
}
# Where each role starts; the crawl follows the links it finds from there.
START = ["dashboard/", "notifications/", "accounts/profile/"]
STAFF_START = ["admin/"]
# Links that change something, download a file, or leave the portal's pages.
NOT_FOLLOWED = re.compile(r"logout|/setlang|\.csv$|\.ics$|/delete/|/history/\d|/password|/i18n/|/api/|/static/"
                          r"|/documents/|/attachments/\d|/jsi18n/|/autocomplete/")
PAGES_PER_ROLE = 70
# Pages (by shape) each role's crawl must reach: its dashboard, a message, and
# the pages of its role.
MUST_REACH = {
    "resident": ["dashboard/", "notifications/N/", "vouchers/", "appointments/", "transfers/N/"],
    "Macao resident": ["dashboard/", "vouchers/macao/"],
    "caregiver": ["dashboard/", "notifications/N/", "care/"],
    "centre staff": ["dashboard/", "centre/", "centre/escorts/"],
    "hospital admin": ["dashboard/", "admin/", "admin/appointments/slot/", "vouchers/service-point/"],
}
SHAPES_PER_ROLE = 2  # pages of one shape (ids replaced) visited per role and language


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0])


def _links(html: str, language: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)"', html):
        path = urlsplit(href.replace("&amp;", "&")).path
        if path.startswith(f"/{language}/") and not NOT_FOLLOWED.search(path):
            found.append(path)
    return found


def _crawl(client, language: str, start: list[str]):
    """Yield (path, html) of the pages reached from `start`, breadth first."""
    queue = deque(f"/{language}/{path}" for path in start)
    seen, shapes = set(), {}
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        shape = _shape(path)
        if path in seen or shapes.get(shape, 0) >= SHAPES_PER_ROLE:
            continue
        seen.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield path, html
        queue.extend(_links(html, language))


def _proper_names() -> list[str]:
    """Names and codes that stay in Latin script on a Chinese page, from the data:
    people's names as they write them (residents, doctors, insurers), brands (the
    Latin words the Connect list's own Chinese names keep, such as Cochlear Kanso),
    and reference codes (TR-7QX9, appointment and escort references)."""
    from portal.accounts.models import Profile, User
    from portal.appointments.models import Appointment, Slot
    from portal.centres.models import EscortRequest, InsuranceClaim
    from portal.medicines.models import ConnectItem
    from portal.transfers.models import TransferRequest

    names = set(Profile.objects.exclude(name_en="").values_list("name_en", flat=True))
    names |= {user.get_full_name() for user in User.objects.all() if user.get_full_name()}
    names |= set(Slot.objects.exclude(doctor_name="").values_list("doctor_name", flat=True))
    names |= set(InsuranceClaim.objects.values_list("insurer", flat=True))
    for item in ConnectItem.objects.all():
        names |= set(re.findall(r"[A-Za-z][A-Za-z0-9 ]*[A-Za-z0-9]", f"{item.generic_name_zh_hant} {item.generic_name_zh_hans}"))
    names |= set(TransferRequest.objects.values_list("reference", flat=True))
    names |= set(Appointment.objects.values_list("reference", flat=True))
    names |= set(EscortRequest.objects.exclude(appointment_reference="").values_list("appointment_reference", flat=True))
    return sorted(name for name in names if name)


def test_every_role_reads_every_page_in_its_language(client_for):
    call_command("load_demo_data", stdout=io.StringIO())
    from portal.accounts.models import User

    allowed = _proper_names()
    problems, visited = [], 0
    for role, email in ROLES.items():
        user = User.objects.get(email=email)
        for language in LANGUAGES:
            client = client_for(None)
            sign_in(client, user)
            start = START + (STAFF_START if user.is_staff else [])
            shapes = set()
            for path, html in _crawl(client, language, start):
                visited += 1
                shapes.add(_shape(path))
                page_language, text, marked = html_text(html)
                if page_language != language:
                    problems.append(f"{role} {path}: <html lang={page_language!r}>")
                    continue
                found = language_problems(text, language, allowed)
                if found:
                    problems.append(f"{role} {path}: {found}")
                # Marked text is in the language it says, or a proper name.
                for other, words in ((code.lower(), words) for code, words in marked):
                    if other.startswith("zh") and other != language:
                        continue  # the other Chinese script, marked as such
                    if other in ("en", "zxx") and not re.search(r"[\u4e00-\u9fff]", words):
                        continue
                    problems.append(f"{role} {path}: text marked lang={other!r} is not in it: {words[:60]!r}")
            # The crawl reached the pages the acceptance names for this role.
            for needed in MUST_REACH.get(role, ()):
                if f"/{language}/{needed}" not in shapes:
                    problems.append(f"{role}: the crawl did not reach /{language}/{needed}")
    if report := os.environ.get("LANGUAGE_CRAWL_REPORT"):
        Path(report).write_text("\n".join(problems))
    print(f"language crawl: {visited} pages, {len(ROLES)} roles, {len(LANGUAGES)} languages")  # shown with -s
    assert visited > 100, f"the crawl reached only {visited} pages"
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)
