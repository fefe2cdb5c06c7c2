"""Write a large, realistic timeline file for benchmarks (seeded, so runs are comparable).

    python benchmarks/generate.py 20000 /tmp/t20k.yaml [--seed 1]

Events get varied date precision (years, months, days, uncertain and approximate dates,
periods, unknown starts, plain English), multi-line summaries, tags, actors, statuses,
sources, and some quotes (with translations) and figures, like a story tracked for years.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = [
    "partnership",
    "model",
    "compute",
    "cloud",
    "deal",
    "investment",
    "stake",
    "rights",
    "launch",
    "agent",
    "market",
    "share",
    "revenue",
    "spending",
    "forecast",
    "analyst",
    "report",
    "interview",
    "board",
    "court",
    "ruling",
    "merger",
    "regulator",
    "chip",
    "data",
    "center",
    "contract",
    "license",
    "exclusive",
    "rival",
    "strategy",
    "customer",
    "price",
    "growth",
    "loss",
    "profit",
    "filing",
    "statement",
    "leak",
    "memo",
    "roadmap",
    "team",
    "order",
    "adoption",
    "survey",
]
ACTORS = (
    "Microsoft", "OpenAI", "Anthropic", "NVIDIA", "Google", "Meta", "Amazon", "Apple",
    "Mustafa Suleyman", "Sam Altman", "Satya Nadella", "European Commission", "FTC",
)  # fmt: skip
TAGS = ("partnership", "models", "compute", "finance", "regulation", "market-share", "ip")
STATUSES = ("confirmed", "reported", "expected", "forecast", "disputed")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def a_date(rng: random.Random, year: int) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    kind = rng.random()
    if kind < 0.40:
        return f"{year}-{month:02d}-{day:02d}"
    if kind < 0.60:
        return f"{year}-{month:02d}"
    if kind < 0.70:
        return str(year)
    if kind < 0.78:
        return f"{year}?"
    if kind < 0.84:
        return f"{year}-{month:02d}~"
    if kind < 0.90:
        return f"{year}-{month:02d}/{year + rng.randint(0, 2)}-{month:02d}"
    if kind < 0.94:
        return f"/{year}-{month:02d}-{day:02d}"
    return f"{day} {rng.choice(MONTHS)} {year}"


def event(rng: random.Random, i: int, year: int) -> str:
    lines = [
        f"  - id: ev-{i}",
        f"    date: {a_date(rng, year)}",
        f"    title: {sentence(rng, rng.randint(5, 11))[:-1]}",
        "    summary: |",
        f"      {sentence(rng, rng.randint(10, 18))}",
        f"      {sentence(rng, rng.randint(8, 16))}",
        f"    tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]",
        f"    actors: [{', '.join(rng.sample(ACTORS, rng.randint(1, 3)))}]",
        f"    status: {rng.choice(STATUSES)}",
        f"    sources: [src-{rng.randint(0, 49)}]",
    ]
    if rng.random() < 0.3:
        lines += [
            "    quotes:",
            f'      - text: "{sentence(rng, rng.randint(6, 14))}"',
            f"        speaker: {rng.choice(ACTORS)}",
            "        lang: fr",
            f"        translation: {sentence(rng, rng.randint(6, 14))}",
            f"        source: src-{rng.randint(0, 49)}",
        ]
    if rng.random() < 0.2:
        lines += [
            "    figures:",
            f"      - label: {sentence(rng, 4)[:-1]}",
            f"        value: {rng.randint(1, 999)}.{rng.randint(0, 9)}",
            f'        unit: "{rng.choice(["%", "billion USD", "people", "GW"])}"',
            f"        as_of: {year}-{rng.randint(1, 12):02d}",
            f"        source: src-{rng.randint(0, 49)}",
        ]
    if i > 10 and rng.random() < 0.1:
        lines.append(f"    related: [ev-{rng.randint(0, i - 1)}]")
    return "\n".join(lines)


def generate(count: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    head = [
        "title: Generated benchmark timeline",
        "lang: en",
        "description: A generated timeline for measuring timeline-tui.",
        "sources:",
    ]
    for s in range(50):
        head += [
            f"  src-{s}:",
            f"    title: {sentence(rng, 6)[:-1]}",
            "    publisher: Example News",
            f"    url: https://example.org/articles/{s}",
        ]
    head.append("events:")
    first_year = 2026 - max(1, count // 400)
    body = [event(rng, i, first_year + i * (2026 - first_year) // count) for i in range(count)]
    return "\n".join(head + body) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.output.write_text(generate(args.count, args.seed), encoding="utf-8")
    size = args.output.stat().st_size
    print(f"wrote {args.count} events to {args.output} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
