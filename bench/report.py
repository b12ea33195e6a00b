"""The Markdown report of one run."""

from __future__ import annotations

import os


def report(results: dict, *, options, workers: int, load: tuple[float, float], when) -> str:
    from portal.hospitals.models import Hospital
    from portal.medicines.models import ConnectItem

    lines = [
        f"## Run of {when:%Y-%m-%d %H:%M %Z}",
        "",
        f"`python -m bench {' '.join(options.parts)}`: PostgreSQL with {Hospital.objects.count():,} hospitals and "
        f"{ConnectItem.objects.count():,} Connect items; gunicorn with {workers} sync workers (the Procfile's), "
        f"production settings; wrk 2 threads, {options.connections} connections, {options.seconds} s per "
        f"measurement after 2 s warm-up; {options.rounds} rounds per figure (ratios are medians); "
        f"{os.cpu_count()} cores, load average {load[0]:.1f} at the start and {load[1]:.1f} at the end.",
        "",
    ]
    if "search" in results:
        lines += ["| search (pages and API, three languages) | ratio to trivial | req/s | trivial req/s | p99 ms "
                  "| not 2xx | goal |", "| --- | --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {f.scenario} | **{f.ratio:.2f}** | {f.rps:,.0f} | {f.trivial_rps:,.0f} | {f.p99:.1f} | "
                  f"{f.failed} | {f.goal} |" for f in results["search"]]
        lines.append("")
    if "booking" in results:
        f = results["booking"]
        lines += [f"Booking through `appointment_book`, {workers} processes: **{f.ratio:.2f}** of a plain indexed "
                  f"insert ({f.bookings_per_second:,.0f} bookings/s against {f.inserts_per_second:,.0f} inserts/s; "
                  f"{f.booked:,} booked, {f.taken:,} found the slot full). Goal ≥ 0.15.", ""]
    if "notifications" in results:
        f = results["notifications"]
        lines += [f"Notifications: **{f.ratio:.2f}** of a no-op task ({f.deliveries_per_second:,.0f} deliveries/s "
                  f"against {f.noops_per_second:,.0f} no-op tasks/s, {f.count:,} each). Goal ≥ 0.45.", ""]
    if "rush" in results:
        f = results["rush"]
        answers = ", ".join(f"{key}: {n}" for key, n in sorted(f.answers.items()))
        lines += [f"Slot-release rush: {f.clients} clients at once for {f.places} places, {len(f.booked)} rounds: "
                  f"booked {', '.join(map(str, f.booked))}; answers {answers}; latency p50 {f.p50:.0f} ms, "
                  f"**p99 {f.p99:.0f} ms**, worst {f.worst:.0f} ms. Goal: exactly {f.places}, no 5xx, p99 ≤ 500 ms.",
                  ""]
    return "\n".join(lines)
