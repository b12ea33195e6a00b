"""The benchmark's Markdown report: one table of every target, each next to the
trivial view measured by the same server, with the issue #9 targets beside the
figures, then the booking answers and the page weights."""

from dataclasses import dataclass

from .weight import KINDS, PAGE_WEIGHT_LIMIT
from .wrk import Result


@dataclass(frozen=True)
class Goal:
    """A target of issue #9: a ratio to the trivial view, and/or a p99 latency."""

    min_ratio: float | None = None
    max_p99_ms: float | None = None

    def describe(self, ratio: float, p99: float) -> str:
        parts = []
        if self.min_ratio is not None:
            parts.append(f"≥ {self.min_ratio:g} {_verdict(ratio >= self.min_ratio)}")
        if self.max_p99_ms is not None:
            parts.append(f"p99 ≤ {self.max_p99_ms:g} ms {_verdict(p99 <= self.max_p99_ms)}")
        return "; ".join(parts)


UNCACHED_SEARCH = Goal(min_ratio=0.15, max_p99_ms=100)
CACHED_SEARCH = Goal(min_ratio=0.6)


@dataclass
class Row:
    server: str
    result: Result
    baseline_rps: float  # the trivial view on the same server, same run
    goal: Goal | None = None

    @property
    def ratio(self) -> float:
        return self.result.rps / self.baseline_rps if self.baseline_rps else 0.0


def _verdict(met: bool) -> str:
    return "(met)" if met else "(**not met**)"


def _share(part: int, whole: int) -> str:
    return f"{part:,} ({part / whole:.1%})" if whole else f"{part:,}"


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| server | target | path | HTTP | requests/s | p50 ms | p90 ms | p99 ms | ratio to trivial | target | not 2xx |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for row in rows:
        r = row.result
        goal = row.goal.describe(row.ratio, r.p99) if row.goal else ""
        lines.append(f"| {row.server} | {r.name} | `{r.path}` | {r.status} | {r.rps:,.0f} | {r.p50:.1f} | {r.p90:.1f} "
                     f"| {r.p99:.1f} | {row.ratio:.2f} | {goal} | {_share(r.failed, r.requests)} |")
    return lines


def answers(rows: list[Row]) -> list[str]:
    """Status (and error code) counts of the targets that kept them (the booking)."""
    lines = []
    for row in rows:
        if row.result.answers:
            counts = sorted(row.result.answers.items(), key=lambda item: -item[1])
            listed = ", ".join(f"{key} × {n:,}" for key, n in counts)
            lines.append(f"- {row.result.name}: {listed}" + (f"; socket errors × {row.result.socket_errors:,}"
                                                           if row.result.socket_errors else ""))
    return ["Answers counted by status and error code:", "", *lines, ""] if lines else []


def weight_section(weight: dict) -> list[str]:
    total = weight["transferred"]
    lines = [f"### Page weight of `{weight['url']}` (Accept-Encoding: br, gzip)", "",
             "| kind | files | transferred bytes | uncompressed bytes |", "| --- | ---: | ---: | ---: |"]
    for kind in KINDS:
        files, sent, raw = weight["by_kind"].get(kind, (0, 0, 0))
        lines.append(f"| {kind} | {files} | {sent:,} | {raw:,} |")
    lines.append(f"| **total** | {weight['files']} | **{total:,}** | {weight['uncompressed']:,} |")
    lines += ["", f"Target: ≤ {PAGE_WEIGHT_LIMIT:,} bytes transferred, fonts included: {total:,} "
              f"{_verdict(total <= PAGE_WEIGHT_LIMIT)}.", "",
              "Files: " + ", ".join(f"`{u}` ({enc or 'identity'}, {n:,} B)" for u, enc, n in weight["files_list"]), ""]
    return lines


def build(*, title: str, context: list[str], rows: list[Row], weights: list[dict]) -> str:
    lines = [f"# {title}", "", *context, "", *table(rows), "", *answers(rows)]
    for weight in weights:
        lines += weight_section(weight)
    return "\n".join(lines) + "\n"
