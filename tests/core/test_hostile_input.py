"""Issue 15, deliverable 8: hostile input at every door. Every URL pattern of the
URLconf (pages, the admin, allauth, the API) and every operation of the OpenAPI
schema is sent a fixed corpus (NUL and other control characters, 10,000-character
and 1 MB strings, deeply nested JSON, huge and negative numbers, NaN, wrong types,
emoji, right-to-left marks, full-width digits, lone surrogates), signed out and
signed in as each role, and must answer:
- never a server error (5xx);
- after a refusal (4xx), the same number of rows in every table: a refused request
  writes nothing.

The corpus is sampled, not crossed with everything: each URL gets a few values per
role in turn (the rotation differs per URL and role, so every value reaches many
doors), and the 1 MB and deeply nested bodies go to every API operation once per
role. PostgreSQL is the database that refuses NUL and overflows, so it runs there."""

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.access.conftest import World
from tests.conftest import sign_in
from tests.factories import SpecialtyFactory, give_consent, make_caregiver

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROLES = ["anonymous", "resident", "hospital_admin", "centre_staff", "superuser"]

MEGABYTE = "m" * (1024 * 1024)
# Text sent in addresses, query strings and form fields.
TEXT = [
    "a\x00b",                       # NUL: PostgreSQL refuses it in text
    "\x01\x08\x0b\x1b[31m\x7f",     # other control characters
    "x" * 10_000,
    "9" * 40,                       # far past any integer column
    str(2**63),                     # one past bigint
    "-1",
    "-" + "9" * 30,
    "NaN",
    "Infinity",
    "1e309",
    "😷🏥",
    "\u202egnp.exe\u202c",          # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd",  # right-to-left mark and Hebrew
    "１２３４",                      # full-width digits
    "\ud800",                       # a lone surrogate (sent as its UTF-8-ish bytes, decoded as a replacement)
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "",
]
# Values of the wrong type or out of range for JSON bodies.
JSON_VALUES = [
    "a\x00b", "\ud800", "x" * 10_000, 10**30, -(10**30), 2**63, -1, 0, 1.5, 1e308, True, None, [], {}, [[["deep"]]],
    {"a": {"b": {"c": 1}}}, "😷", "\u202eevil", "１２３", "9999-12-31", "0001-01-01", "not a date",
]
QUERY_NAMES = ["q", "search", "city", "specialty", "border_point", "therapeutic_area", "programme", "language",
               "page", "date", "department", "hospital", "year", "kind", "service_point", "next", "why", "lang",
               "within_km", "appointment", "status", "o", "p", "_changelist_filters", "state", "format"]
# Never posted to: they would end the session or run the admin's bulk actions.
NO_POST = {"account_logout"}
FORM_NAMES_LEFT_OUT = {"action", "post", "_selected_action", "index"}


# --- the world ------------------------------------------------------------------------


@dataclass
class Samples:
    """Real objects' keys for the URL parameters, per parameter name."""

    by_name: dict = field(default_factory=dict)
    admin_objects: dict = field(default_factory=dict)  # "app_model" -> a pk

    def value(self, name: str, path_hint: str):
        choices = self.by_name.get(name)
        if isinstance(choices, dict):
            return next((value for hint, value in choices.items() if hint in path_hint), choices["*"])
        return choices if choices is not None else "1"


@pytest.fixture
def world(resident, other_resident, hospital, other_hospital, hospital_admin, other_hospital_admin, centre,
          centre_staff, other_centre_staff, superuser, settings, tmp_path):
    from portal.appointments import services as appointments
    from portal.centres import services as centres
    from portal.centres.models import Consent
    from tests.hospitals.factories import ItemApprovalFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    give_consent(resident, centre)
    w = World(owner=resident, other_resident=other_resident, hospital=hospital, other_hospital=other_hospital,
              hospital_admin=hospital_admin, other_hospital_admin=other_hospital_admin, centre=centre,
              centre_staff_with_consent=centre_staff, centre_staff_without_consent=other_centre_staff,
              superuser=superuser)
    appointment = w.obj("appointment")
    department = appointment.slot.department  # the voucher claim's department takes the default specialty
    department.specialty = SpecialtyFactory(code="ophthalmology", name_en="Ophthalmology")
    department.save()
    claim, transfer = w.obj("voucher_claim"), w.obj("transfer")
    attachment, notification = w.obj("transfer_attachment"), w.obj("notification")
    centre_claim, document = w.obj("centre_claim"), w.obj("centre_claim_document")
    w.obj("access_log_entry")
    slot = appointment.slot
    entry = appointments.waitlist_join(actor=resident, resident=resident, department_id=slot.department_id,
                                       day=timezone.localdate() + timedelta(days=2))
    care_link = make_caregiver(resident, other_resident, relationship="son")
    escort = centres.escort_request_create(actor=resident, resident=resident, centre=centre, language="en",
                                           hospital=hospital, visit_at=timezone.now() + timedelta(days=4))
    medicine = ItemApprovalFactory(hospital=hospital).item
    samples = Samples(by_name={
        "slug": {"/medicines/": medicine.slug, "*": hospital.slug},
        "hospital_slug": hospital.slug, "reference": appointment.reference, "resident_id": resident.pk,
        "slot_id": slot.pk, "department_id": slot.department_id, "entry_id": entry.pk,
        "claim_id": {"/centre/": centre_claim.pk, "*": claim.pk}, "pk": transfer.pk, "id": transfer.pk,
        "attachment_id": attachment.pk, "link_id": care_link.pk, "token": "not-a-token", "notification_id": notification.pk,
        "escort_id": escort.pk, "consent_id": Consent.objects.get(resident=resident).pk, "document_id": document.pk,
        "hospital_id": hospital.pk, "app_label": "hospitals", "content_type_id": 1, "key": "abc-def",
        "uidb36": "1", "service": "insurance", "url": "nowhere/",
    })
    for model in apps.get_models():
        found = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if found is not None:
            samples.admin_objects[f"{model._meta.app_label}_{model._meta.model_name}"] = found
    users = {"anonymous": None, "resident": resident, "hospital_admin": hospital_admin, "centre_staff": centre_staff,
             "superuser": superuser}
    return users, samples, {"route": transfer.route_id, "slot": slot.pk, "resident": resident.pk}


# --- walking the URLconf ------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    name: str          # "namespace:name"
    params: tuple      # parameter names of the whole route
    text_params: tuple  # those a string (not an int) fills
    route: str         # for messages and hints


def _doors() -> list[Door]:
    doors = []

    def walk(patterns, route, namespace, params, text):
        for pattern in patterns:
            part = pattern.pattern
            converters = getattr(part, "converters", {})
            names = list(converters) or list(getattr(getattr(part, "regex", None), "groupindex", {}) or {})
            texts = [n for n in names if type(converters.get(n)).__name__ not in ("IntConverter",)]
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                    pattern.namespace or namespace)
                walk(pattern.url_patterns, route + str(part), ns, params + names, text + texts)
            elif isinstance(pattern, URLPattern):  # unnamed ones (the admin's redirects) are built from the route
                name = "" if not pattern.name else f"{namespace}:{pattern.name}" if namespace else pattern.name
                doors.append(Door(name, tuple(params + names), tuple(text + texts), route + str(part)))

    walk(get_resolver().url_patterns, "", "", [], [])
    return sorted(set(doors), key=lambda door: (door.route, door.name))


def _admin_object(door: Door, samples: Samples):
    if door.name:  # admin:<app>_<model>_<view>
        model = door.name.removeprefix("admin:").rsplit("_", 1)[0]
    else:  # <lang>/admin/<app>/<model>/<path:object_id>/
        model = "_".join(door.route.split("/")[2:4])
    return samples.admin_objects.get(model, 1)


def _from_route(door: Door, values: dict) -> str:
    """The address of an unnamed pattern: its route with the values put in."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: str(values[match[1]]), door.route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match[1]]), route)
    return "/" + route.replace("^", "").replace("$", "")


def _address(door: Door, samples: Samples, hostile: dict | None = None) -> str | None:
    """The door's URL with real objects, and hostile values in `hostile`'s parameters."""
    kwargs = {}
    for name in door.params:
        if name == "object_id" and _is_admin(door):
            kwargs[name] = _admin_object(door, samples)
        else:
            kwargs[name] = samples.value(name, door.route)
    markers = {name: f"hostile{n}marker" for n, name in enumerate(hostile or {}) if name in door.text_params}
    try:
        url = reverse(door.name, kwargs={**kwargs, **markers} or None) if door.name else _from_route(
            door, {**kwargs, **markers})
    except NoReverseMatch:
        return None
    for name, marker in markers.items():
        url = url.replace(marker, quote(hostile[name].encode("utf-8", "surrogatepass"), safe=""))
    return url


def _is_admin(door: Door) -> bool:
    return door.name.startswith("admin:") or "/admin/" in f"/{door.route}"


def _form_names() -> list[str]:
    """Every field name of the portal's forms, and allauth's."""
    names = {"login", "password", "remember", "email", "password1", "password2", "oldpassword", "code", "key",
             "language", "next", "reason", "other", "escorts-TOTAL_FORMS", "escorts-INITIAL_FORMS"}
    for app in ("accounts", "hospitals", "medicines", "appointments", "vouchers", "transfers", "centres", "core"):
        try:
            module = import_module(f"portal.{app}.forms")
        except ImportError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(getattr(value, "base_fields", {}))
    return sorted(names - FORM_NAMES_LEFT_OUT)


# --- requests and their checks ------------------------------------------------------------


class Watch:
    """Sends requests and records what went wrong: a 5xx, or rows written by a 4xx."""

    def __init__(self, client: Client):
        self.client = client
        tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)
                         if model._meta.managed and not model._meta.proxy} - {"django_session"})
        quote_name = connection.ops.quote_name
        # Table names from the models, quoted: nothing from a request goes into it.
        self.count_sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote_name(t)})" for t in tables)  # noqa: S608
        self.tables = tables
        self.counts = None
        self.problems: list[str] = []
        self.sent = 0

    def _count(self) -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql)
            return cursor.fetchone()

    def send(self, method: str, url: str, **kwargs) -> None:
        if self.counts is None:
            self.counts = self._count()
        response = getattr(self.client, method)(url, **kwargs)
        self.sent += 1
        status = response.status_code
        if response.streaming:  # read to the end: the test client then closes it (a file download)
            b"".join(response.streaming_content)
        shown = url if len(url) < 200 else url[:200] + "…"
        if status >= 500:
            self.problems.append(f"{status} {method.upper()} {shown} {str(kwargs.get('data', ''))[:200]}")
        if 400 <= status < 500:
            after = self._count()
            if after != self.counts:
                changed = [t for t, a, b in zip(self.tables, self.counts, after, strict=True) if a != b]
                self.problems.append(f"{status} {method.upper()} {shown} wrote rows in {changed}")
                self.counts = after
        else:
            self.counts = None  # a success may write: count again before the next request


def _client(users, role) -> Client:
    client = Client(raise_request_exception=False)
    return sign_in(client, users[role]) if users[role] is not None else client


def _rotation(values: list, start: int, count: int) -> list:
    return [values[(start + n) % len(values)] for n in range(count)]


# --- pages, allauth and the admin -----------------------------------------------------------

# Which of the admin's doors each role walks (every n-th, from an offset): the two
# admin roles share them out between them, so each door is walked signed in with
# the admin's permissions; the others are only sent to sign in, an eighth is enough.
ADMIN_SHARE = {"superuser": (2, 0), "hospital_admin": (2, 1), "centre_staff": (8, 0), "resident": (8, 3),
               "anonymous": (8, 5)}


def _walk_pages(watch: Watch, role: str, samples: Samples) -> None:
    form_names = _form_names()
    for index, door in enumerate(_doors()):
        if door.route.startswith("api/"):
            continue  # the API operations are walked from the schema
        is_admin = _is_admin(door)
        every, offset = ADMIN_SHARE[role]
        if is_admin and index % every != offset:
            continue
        start = index * 7 + ROLES.index(role) * 3
        url = _address(door, samples)
        if url is None:
            continue
        value = TEXT[start % len(TEXT)]
        query = urlencode({name: value.encode("utf-8", "surrogatepass") for name in QUERY_NAMES})
        watch.send("get", f"{url}?{query}")
        if door.name not in NO_POST and (not is_admin or door.name.endswith(("_add", "_change"))):
            value = TEXT[(start + 5) % len(TEXT)]
            data = {name: value.encode("utf-8", "surrogatepass") for name in form_names}
            watch.send("post", url, data=urlencode(data), content_type="application/x-www-form-urlencoded")
        hostile_url = _address(door, samples, dict.fromkeys(door.text_params, TEXT[(start + 11) % len(TEXT)]))
        if door.text_params and (not is_admin or role == "superuser") and hostile_url:
            watch.send("get", hostile_url)
        if set(door.params) - set(door.text_params) and not is_admin:  # ids past the end of bigint
            too_big = url
            for name in set(door.params) - set(door.text_params):
                too_big = too_big.replace(f"/{samples.value(name, door.route)}/", f"/{2**63}/", 1)
            watch.send("get", too_big)


# --- the API, from its schema --------------------------------------------------------------


def _operations() -> list[tuple[str, str, dict]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = (operation.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            if body and "$ref" in body:
                body = components[body["$ref"].rsplit("/", 1)[1]]
            properties = {}
            for name, spec in (body or {}).get("properties", {}).items():
                if "$ref" in spec:
                    spec = components[spec["$ref"].rsplit("/", 1)[1]]
                properties[name] = spec
            parameters = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            found.append((path, method, {"properties": properties, "query": parameters}))
    return found


def _valid(name: str, spec: dict, ids: dict):
    """A plausible value: real ids, a date in the booking window, the first choice."""
    if name in ids:
        return ids[name]
    if "enum" in spec:
        return next(value for value in spec["enum"] if value)
    kind, shape = spec.get("type"), spec.get("format")
    if shape == "date":
        return (timezone.localdate() + timedelta(days=3)).isoformat()
    if shape == "date-time":
        return (timezone.now() + timedelta(days=3)).isoformat()
    if kind == "boolean":
        return True
    if kind == "integer":
        return 1
    if kind == "array":
        return []
    return "Stable after stroke."


def _api_path(path: str, samples: Samples, value=None) -> str:
    for name in ("slug", "reference", "hospital_id", "id", "claim_id", "resident_id"):
        real = samples.value(name, path)
        if name == "slug" and path.startswith("/api/v1/hospitals/"):
            real = samples.value("hospital_slug", path)
        filled = quote(str(value).encode("utf-8", "surrogatepass"), safe="") if value is not None else real
        path = path.replace("{" + name + "}", str(filled))
    return path


def _walk_api(watch: Watch, role: str, samples: Samples, ids: dict) -> None:
    for index, (path, method, shape) in enumerate(_operations()):
        start = index * 5 + ROLES.index(role) * 2
        url = _api_path(path, samples)
        value = TEXT[start % len(TEXT)]
        query = urlencode({name: value.encode("utf-8", "surrogatepass") for name in shape["query"] or ["x"]})
        watch.send(method, f"{url}?{query}")
        if "{" in path:
            watch.send(method, _api_path(path, samples, TEXT[(start + 3) % len(TEXT)]))
        if method not in ("post", "put", "patch"):
            continue
        properties = shape["properties"]
        baseline = {name: _valid(name, spec, ids) for name, spec in properties.items()}
        bodies = [
            "[" * 100_000 + "]" * 100_000,                                           # nested far too deep
            json.dumps(dict.fromkeys(properties, MEGABYTE) or {"x": MEGABYTE}),  # over the body limit
            '{"route": NaN, "amount": Infinity}',
            json.dumps(baseline),
            json.dumps(dict.fromkeys(properties, "\u202e１２３😷")),
        ]
        for offset, name in enumerate(properties):  # one hostile field at a time, the rest plausible
            for value in _rotation(JSON_VALUES, start + offset * 3, 2):
                bodies.append(json.dumps({**baseline, name: value}))
        for body in bodies:
            watch.send(method, url, data=body, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_hostile_input_at_every_door(world, role):
    users, samples, ids = world
    watch = Watch(_client(users, role))
    _walk_pages(watch, role, samples)
    _walk_api(watch, role, samples, ids)
    assert watch.sent > 200
    assert not watch.problems, "\n".join(watch.problems)


def test_the_walk_reaches_every_kind_of_door():
    """The URLconf has what the walk expects, so a broken walk cannot pass quietly."""
    doors = _doors()
    assert sum(_is_admin(door) for door in doors) > 100
    assert {"api:transfers-moves", "account_login", "hospitals:detail", "centres:case"} <= {d.name for d in doors}
    assert len(_operations()) >= 19
