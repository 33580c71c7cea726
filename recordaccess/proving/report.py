"""The one report (issue 17, part 6): every benchmark's figures in one shape, each beside its target and, for
timings, its floor measured in the same run; written as var/report/summary.json and a self-contained
var/report/index.html (charts drawn here as inline SVG, no external asset).

A figure is a dict with, always, `name`, `value`, `unit`, `target` and `met`; and where they apply `better`
("lower" or "higher": which side of the target meets it), `floor` and `ratio` (the floor in the same unit, and the
value as a multiple of it), `step` (the benchmark it came from), `note` (what was measured, at what size) and
`reason` (why a figure has no value: its benchmark failed or timed out; such a figure is never met) and `why`
(for a target not met: what the run saw that explains it, in plain words).
"""

import datetime
import json
import os
from pathlib import Path

from django.template.loader import render_to_string

REQUIRED = ("name", "value", "unit", "target", "met")


def figure(
    name: str,
    value,
    unit: str,
    target=None,
    *,
    better: str = "lower",
    floor=None,
    note: str = "",
    step: str = "",
    reason: str = "",
) -> dict:
    """One figure. `met` is worked out from the target (None when there is none: a figure given for reading)."""
    if value is None:
        met = False if target is not None or reason else None
    elif target is None:
        met = None
    else:
        met = value <= target if better == "lower" else value >= target
    found = {"name": name, "value": value, "unit": unit, "target": target, "met": met, "better": better}
    if floor:
        found["floor"] = floor
        found["ratio"] = round(value / floor, 2) if value is not None else None
    for key, text in (("note", note), ("step", step), ("reason", reason)):
        if text:
            found[key] = text
    return found


def failed(step: str, reason: str, expected: list[tuple[str, str, float | None]]) -> list[dict]:
    """A benchmark that failed or timed out: each figure it would have given, not met, with the reason."""
    return [figure(name, None, unit, target, step=step, reason=reason) for name, unit, target in expected]


def scaled(size: int, full: int) -> str:
    """Said in the name of a figure measured smaller than its target's size (whose target is scaled with it)."""
    return "" if size >= full else f" (shrunk from {full:,}, the target scaled)"


# What each benchmark gives, before it runs: the names a failure is reported under. Sizes go in the names.
def expected_import(rows: int) -> list[tuple[str, str, float | None]]:
    return [
        (f"Register import, {rows:,} rows{scaled(rows, 1_000_000)}", "s", round(60 * rows / 1_000_000, 2)),
        ("Register import: ratio to the driver alone", "×", 3),
        ("Register import: peak memory", "MB", 300),
        (f"Patient search among {rows:,} patients: slowest", "ms", 50),
    ]


def from_import(data: dict, step: str = "import") -> list[dict]:
    rows = data["rows"]
    timed, ratio_name, rss_name, search_name = expected_import(rows)
    slowest = max(kind["max"] for kind in data["search_ms"].values())
    return [
        figure(
            timed[0],
            data["seconds"],
            "s",
            timed[2],
            floor=data["floor_seconds"],
            step=step,
            note=f"import_register in a child process on {data['database']}; floor: the same rows inserted with "
            "the driver alone (executemany on SQLite, COPY on PostgreSQL)",
        ),
        figure(ratio_name[0], data["ratio_to_floor"], "×", 3, step=step),
        figure(rss_name[0], data["peak_rss_mb"], "MB", 300, step=step),
        figure(
            search_name[0],
            slowest,
            "ms",
            50,
            step=step,
            note="slowest of 20 searches each by NHS number, surname, full name and date of birth",
        ),
    ]


def expected_campaign(recipients: int) -> list[tuple[str, str, float | None]]:
    return [
        (
            f"Campaign of {recipients:,} built and queued{scaled(recipients, 100_000)}",
            "s",
            round(10 * recipients / 100_000, 2),
        ),
        ("Campaign sent with two workers, one killed part-way", "messages/s", 500),
        ("Campaign: messages received twice", "messages", 0),
        ("Campaign: messages never received", "messages", 0),
    ]


def from_campaign(data: dict, notify_floor: dict | None, step: str = "campaign") -> list[dict]:
    built, rate, twice, never = expected_campaign(data["recipients"])
    floor_seconds = None
    note = (
        f"on {data['database']}, {data['tasks_backend']} tasks; worker killed after {data['killed_after']:,}"
    )
    if notify_floor:
        # The floor posted the same number of messages: scale if it did not (it should).
        floor_seconds = notify_floor["seconds"] * data["received"] / max(notify_floor["messages"], 1)
        note += (
            f"; floor: the Notify client alone, {notify_floor['rate_per_s']:,} messages/s over "
            f"{notify_floor['messages']:,} texts, scaled to {data['received']:,}"
        )
    return [
        figure(built[0], data["build_seconds"], "s", built[2], step=step),
        figure(rate[0], data["send_rate_per_s"], "messages/s", 500, better="higher", step=step, note=note),
        figure(
            "Campaign send time",
            data["send_seconds"],
            "s",
            None,
            floor=round(floor_seconds, 2) if floor_seconds else None,
            step=step,
            note="from starting the workers to the campaign complete, the kill included",
        ),
        figure(twice[0], data["duplicates"], "messages", 0, step=step),
        figure(never[0], data["lost"], "messages", 0, step=step),
    ]


def expected_waitinglist(requests: int) -> list[tuple[str, str, float | None]]:
    return [(f"Waiting list at {requests:,} open requests{scaled(requests, 100_000)}: page p95", "ms", 100)]


def from_waitinglist(data: dict, page_floor: dict | None, step: str = "waiting list") -> list[dict]:
    ((name, unit, target),) = expected_waitinglist(data["requests"])
    return [
        figure(
            name,
            data["p95_ms"],
            unit,
            target,
            floor=page_floor["p95_ms"] if page_floor else None,
            step=step,
            note=f"{data['pages_timed']} pages and filters through Django's test client on {data['database']}; "
            "floor: a trivial view through the same test client, p95",
        )
    ]


def expected_dashboard(practices: int, per_practice: int) -> list[tuple[str, str, float | None]]:
    size = f"{practices:,} practices × {per_practice:,} patients"
    if practices < 200 or per_practice < 10_000:
        size += " (shrunk from 200 × 10,000)"
    return [
        (f"Practice dashboard, ICB of {size}: p95", "ms", 200),
        (f"ICB roll-up, ICB of {size}: p95", "ms", 500),
    ]


def from_dashboard(data: dict, page_floor: dict | None, step: str = "dashboard") -> list[dict]:
    per_practice = data["patients"] // data["practices"]
    dashboard, rollup = expected_dashboard(data["practices"], per_practice)
    floor = page_floor["p95_ms"] if page_floor else None
    note = f"through Django's test client on {data['database']}; summary tables refreshed in {data['refresh_seconds']} s"
    return [
        figure(dashboard[0], data["dashboard_p95_ms"], "ms", 200, floor=floor, step=step, note=note),
        figure(rollup[0], data["rollup_p95_ms"], "ms", 500, floor=floor, step=step, note=note),
    ]


def from_figures(data: dict, step: str) -> list[dict]:
    """A benchmark that already gives figures in this shape (bench_load, bench_faults): checked, kept."""
    found = []
    for given in data["figures"]:
        missing = [key for key in REQUIRED if key not in given]
        if missing:
            raise ValueError(f"{step} gave a figure without {missing}: {given}")
        found.append({**given, "step": given.get("step") or step})
    return found


def explained(figures: list[dict], outcome: dict) -> list[dict]:
    """Each figure not met that its benchmark did not explain, explained by what the report saw: how far it is
    from its floor measured in the same run, and whether the machine was shared (its load average above its
    cores as the step ended) or not."""
    cores = os.cpu_count() or 1
    load = outcome.get("load_average")
    for f in figures:
        if f["met"] is not False or f.get("why") or f.get("reason"):
            continue
        said = []
        if f.get("floor"):
            said.append(f"{f['ratio']}× its floor ({f['floor']:,} {f['unit']}) measured in the same run")
        if load is not None and load > cores:
            said.append(
                f"the machine was shared: its load average was {load} on {cores} cores as the step ended"
            )
        elif load is not None:
            said.append(
                f"the machine was not otherwise busy (load average {load} on {cores} cores as the step ended): "
                "the time is the benchmark's own; benchmarks/results.md says where it goes"
            )
        text = "; ".join(said)
        f["why"] = text[:1].upper() + text[1:] + "."
    return figures


def summary(figures: list[dict]) -> dict:
    return {"figures": figures}


def write(
    folder: Path, figures: list[dict], steps: list[dict], *, title: str = "recordaccess: the one report"
):
    """summary.json (the figures alone) and index.html (the figures, their charts and the steps that ran)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary(figures), indent=2) + "\n", encoding="utf-8")
    met = sum(f["met"] is True for f in figures)
    missed = sum(f["met"] is False for f in figures)
    html = render_to_string(
        "proving/report.jinja",
        {
            "title": title,
            "written": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "figures": [dict(f, chart=chart(f)) for f in figures],
            "steps": steps,
            "met": met,
            "missed": missed,
            "total_seconds": round(sum(s.get("seconds") or 0 for s in steps)),
        },
    )
    (folder / "index.html").write_text(html, encoding="utf-8")


def chart(f: dict) -> dict | None:
    """Where to draw a figure's bar, its target's mark and its floor's mark, on a scale of 0 to 100."""
    value, target, floor = f["value"], f["target"], f.get("floor")
    if not isinstance(value, int | float):
        return None
    marks = [m for m in (value, target, floor) if isinstance(m, int | float)]
    top = max(marks) * 1.15 if marks and max(marks) > 0 else 1

    def at(m):
        return round(100 * m / top, 2) if isinstance(m, int | float) else None

    return {"value": at(value), "target": at(target), "floor": at(floor)}
