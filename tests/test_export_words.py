"""The words an export adds to the timeline's own, in its language."""

from __future__ import annotations

import pytest

from timeline_tui.core.dates import parse_date
from timeline_tui.core.export_markdown import export_markdown, incomplete_note
from timeline_tui.core.export_words import ENGLISH, FRENCH, export_words
from timeline_tui.core.loader import load_text
from timeline_tui.core.model import Diagnostic, Position, Severity


@pytest.mark.parametrize(
    ("written", "french"),
    [
        ("2026-02-13", "13 févr. 2026"),
        ("2025-10", "oct. 2025"),
        ("2025-08", "août 2025"),
        ("2025-06/2025-09", "juin–sept. 2025"),
        ("2026-03-04/2026-03-06", "4–6 mars 2026"),
        ("Q3 2026", "T3 2026"),
        ("late 2025", "fin 2025"),
        ("mid 2025", "mi-2025"),
        ("early 2026", "début 2026"),
        ("spring 2026", "printemps 2026"),
        ("1850s", "années 1850"),
        ("44 BC", "44 av. J.-C."),
        ("15 March 44 BCE", "15 mars 44 av. J.-C."),
        ("AD 14", "14 apr. J.-C."),
        ("2026?", "2026?"),
        ("circa 1850", "~1850"),
        ("2026-02-13T09:30+01:00", "13 févr. 2026 09:30 +01:00"),
    ],
)
def test_a_date_is_written_in_french(written: str, french: str) -> None:
    shown = parse_date(written).display()
    assert FRENCH.date(shown) == french
    assert ENGLISH.date(shown) == shown


@pytest.mark.parametrize(
    ("written", "up_to", "since"),
    [
        ("2026-02-13", "Jusqu'au 13 févr. 2026", "À partir du 13 févr. 2026"),
        ("2026", "Jusqu'en 2026", "À partir de 2026"),
        ("2025-10", "Jusqu'en oct. 2025", "À partir d'oct. 2025"),
    ],
)
def test_an_open_end_is_said_as_french_says_it(written: str, up_to: str, since: str) -> None:
    date = parse_date(written)
    assert (FRENCH.up_to(date), FRENCH.since(date)) == (up_to, since)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", FRENCH), ("fr-CA", FRENCH), ("FR_be", FRENCH), ("en", ENGLISH), (None, ENGLISH)],
)
def test_the_words_follow_the_timeline_s_language(lang: str | None, words: object) -> None:
    assert export_words(lang) is words


FRENCH_TIMELINE = """\
title: Partenaires et rivaux
lang: fr
sources:
  lm: {title: Le Monde, date: 2026-02-13, note: sans URL}
events:
  - id: a
    date: ../2026-02-13
    title: Microsoft investit
    status: reported
    actors: [Microsoft]
    tags: [finance]
    figures:
      - {label: Part, value: "27", unit: "%", as_of: 2025-10, source: lm}
    sources: [lm]
    related: [b]
  - id: b
    date: 2025-10
    title: Le partenariat est revu
    sources: [lm]
"""


def test_a_french_timeline_is_exported_in_french() -> None:
    # A French journalist's export said "Status: reported", "References" and "13 Feb 2026"
    # (a user pass).
    result = load_text(FRENCH_TIMELINE, "t.yaml")
    assert result.timeline is not None and not result.diagnostics
    markdown = export_markdown(result.timeline, query="#finance")
    for said in (
        "*Filtre : \\#finance (2 sur 2 événements)*",
        "## 2025",
        "### oct. 2025 — Le partenariat est revu",
        "### Jusqu'au 13 févr. 2026 — Microsoft investit",
        "*Statut : rapporté*",
        "Acteurs : Microsoft · Mots-clés : finance",
        "| Chiffre | Valeur | Date | Source |",
        "| Part | 27 % | oct. 2025 | \\[1\\] |",
        "Sources : \\[1\\]",
        "Voir aussi : oct. 2025 — Le partenariat est revu",
        "## Références",
        "1. Le Monde — 13 févr. 2026. Note : sans URL",
    ):
        assert said in markdown, said
    for english in ("Status", "Actors", "Tags", "Related", "References", "Feb", "Oct", "Up to"):
        assert english not in markdown, english


def test_the_note_of_an_incomplete_export_is_in_the_timeline_s_language() -> None:
    errors = [Diagnostic(Position("t.yaml", n, 1), Severity.ERROR, "x") for n in (4, 9)]
    assert incomplete_note("t.yaml", errors[:1], lang="fr") == (
        "t.yaml a 1 erreur (ligne 4), et ce qu'une erreur écarte n'est pas ici"
    )
    assert incomplete_note("t.yaml", errors, as_before=["A", "B"], lang="fr") == (
        "t.yaml a 2 erreurs (lignes 4, 9) ; 2 événements montrés tels qu'avant (“A”, “B”), "
        "et ce qu'une erreur écarte d'autre n'est pas ici"
    )
    assert incomplete_note("t.yaml", errors[:1], as_before=["A"]) == (
        "t.yaml has 1 error (line 4); 1 event it leaves out is shown as before (“A”), and "
        "anything else an error leaves out is not here"
    )


@pytest.mark.parametrize(
    ("lines", "lang", "said"),
    [
        # Three errors in one event said "lines 6, 6, 7"; three on one line pushed the next
        # line behind the "…" (a user pass).
        ((6, 6, 7), None, "t.yaml has 3 errors (lines 6, 7)"),
        ((4, 4, 4, 6), None, "t.yaml has 4 errors (lines 4, 6)"),
        ((4, 4), None, "t.yaml has 2 errors (line 4)"),
        ((4, 4), "fr", "t.yaml a 2 erreurs (ligne 4)"),
        ((1, 2, 2, 3, 5), None, "t.yaml has 5 errors (lines 1, 2, 3, …)"),
        ((1, 2, 3, 3), None, "t.yaml has 4 errors (lines 1, 2, 3)"),
    ],
)
def test_the_note_of_an_incomplete_export_names_each_line_once(
    lines: tuple[int, ...], lang: str | None, said: str
) -> None:
    errors = [Diagnostic(Position("t.yaml", n, 1), Severity.ERROR, "x") for n in lines]
    assert incomplete_note("t.yaml", errors, lang=lang).startswith(f"{said}, ")
