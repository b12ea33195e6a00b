"""Search over HTTP: the hospital search page and the Connect list page and API,
signed out and signed in, with the cache on (a small set of repeated queries)
and off (every request a miss), each next to the trivial view measured by the
same server just before it."""

from __future__ import annotations

import random
import re
import statistics
from dataclasses import dataclass
from urllib.parse import urlencode

from portal.hospitals.models import Hospital
from portal.medicines.models import ConnectItem

from . import fixtures
from .load import TRIVIAL, Result, gunicorn, run_wrk, status

LANGUAGES = ("en", "zh-hant", "zh-hans")
# The setting that turns the page cache off (0) or on (seconds).
CACHE_SETTING = "PAGE_CACHE_SECONDS"


@dataclass
class Figure:
    scenario: str
    ratio: float  # median over the rounds of scenario rps / trivial rps
    rps: float
    trivial_rps: float
    p99: float
    failed: int
    goal: str


def queries(count: int = 2000, seed: int = 20261203) -> tuple[list[str], list[str]]:
    """(varied, repeated) paths: parts of real names in either script or English,
    some with a filter, under each language's prefix in turn. Deterministic."""
    chooser = random.Random(seed)  # noqa: S311
    hospitals = list(Hospital.objects.order_by("id").values_list("name_en", "name_zh_hant", "name_zh_hans",
                                                                 "city__code"))
    items = list(ConnectItem.objects.order_by("id").values_list("generic_name_en", "generic_name_zh_hant",
                                                                 "generic_name_zh_hans", "kind"))

    def fragment(names: tuple[str, str, str]) -> str:
        script = chooser.randrange(3)
        if script == 0:
            words = [word for word in re.findall(r"[A-Za-z]+", names[0]) if len(word) > 3] or [names[0]]
            word = chooser.choice(words)
            return word[: chooser.randint(4, max(4, len(word)))]
        text = names[script]
        length = min(len(text), chooser.randint(2, 4))
        begin = chooser.randrange(max(1, len(text) - length + 1))
        return text[begin: begin + length]

    paths = []
    for n in range(count):
        language = LANGUAGES[n % 3]
        kind = n % 4
        if kind < 2:  # the hospital page is the busiest
            name_en, hant, hans, city = chooser.choice(hospitals)
            params = {"q": fragment((name_en, hant, hans))}
            if chooser.random() < 0.3:
                params["city"] = city
            if programme := chooser.choice(["", "", "", "connect", "voucher", "insurance"]):
                params["programme"] = programme
            paths.append(f"/{language}/hospitals/?{urlencode(params)}")
        elif kind == 2:
            generic_en, hant, hans, item_kind = chooser.choice(items)
            paths.append(f"/{language}/medicines/?{urlencode({'q': fragment((generic_en, hant, hans))})}")
        else:
            generic_en, hant, hans, item_kind = chooser.choice(items)
            params = {"search": fragment((generic_en, hant, hans))}
            if chooser.random() < 0.3:
                params["kind"] = item_kind
            paths.append(f"/api/v1/medicines/?{urlencode(params)}")
    return paths, paths[:24]


SCENARIOS = [
    # (name, cache on, signed in, goal: ratio, p99 ms)
    ("signed out, cache on, repeated queries", True, False, (0.6, 50.0)),
    ("signed in, cache on, repeated queries", True, True, (0.1, None)),
    ("signed out, cache off, every request a miss", False, False, (0.06, 250.0)),
    ("signed in, cache off, every request a miss", False, True, (0.06, 250.0)),
]


def run(*, env: dict[str, str], workers: int, seconds: int, connections: int, rounds: int,
        secret_key: str, log) -> list[Figure]:
    varied, repeated = queries()
    signed_in = fixtures.sessions(fixtures.residents(60, prefix="searcher"), secret_key=secret_key)
    figures = []
    for cache_on in (True, False):
        server_env = {**env, CACHE_SETTING: "600" if cache_on else "0"}
        with gunicorn(server_env, workers) as base:
            for name, on, with_session, goal in SCENARIOS:
                if on != cache_on:
                    continue
                paths = repeated if cache_on else varied
                sessions = signed_in if with_session else []
                bad = {status(base + path) for path in paths[:6]} - {200}
                if bad:
                    raise RuntimeError(f"{name}: answers {bad} for some of {paths[:6]}")
                log(f"  {name}")
                measured: list[tuple[Result, Result]] = []
                for _round in range(rounds):
                    trivial = run_wrk(base, [TRIVIAL], seconds=seconds, connections=connections)
                    result = run_wrk(base, paths, sessions=sessions, seconds=seconds, connections=connections)
                    measured.append((trivial, result))
                    log(f"    trivial {trivial.rps:,.0f}/s, search {result.rps:,.0f}/s, p99 {result.p99:.1f} ms")
                ratio_goal, p99_goal = goal
                figures.append(Figure(
                    scenario=name,
                    ratio=statistics.median(r.rps / t.rps for t, r in measured),
                    rps=statistics.median(r.rps for _t, r in measured),
                    trivial_rps=statistics.median(t.rps for t, _r in measured),
                    p99=statistics.median(r.p99 for _t, r in measured),
                    failed=sum(r.failed for _t, r in measured),
                    goal=f"≥ {ratio_goal}" + (f", p99 ≤ {p99_goal:.0f} ms" if p99_goal else ""),
                ))
    return figures
