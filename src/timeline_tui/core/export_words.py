"""The words a Markdown export adds to the timeline's own, in the timeline's language.

A story kept in French (`lang: fr`) is published in French: its export's labels (status,
actors, sources, the figures' table, the references), its dates (`13 févr. 2026`, `T3 2026`,
`fin 2025`, `années 1850`) and the notes under its title are French; any other language
gets English, the app's. Dates are shown in English by the model (`FuzzyDate.display`);
their few words are translated here, so that the model keeps one way of writing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from timeline_tui.core.dates import MONTH_ABBR, FuzzyDate, Precision
from timeline_tui.core.model import Status
from timeline_tui.core.wording import counted

__all__ = ["ExportWords", "export_words", "stale_why"]


@dataclass(frozen=True, slots=True)
class ExportWords:
    """What an export says around the timeline's text."""

    filtered: str
    of: str  # `2 of 16 events`
    incomplete: str
    no_events: str
    status: str
    unknown_status: str  # after a status that is none of these
    statuses: Mapping[Status, str]
    actors: str
    tags: str
    sources: str
    related: str
    references: str
    figure_header: tuple[str, str, str, str]
    note_header: str
    note: str
    colon: str  # what goes before a colon: nothing, or in French a space
    up_to: Callable[[FuzzyDate], str]
    since: Callable[[FuzzyDate], str]
    date: Callable[[str], str]  # a date as the model shows it, in these words
    events: Callable[[int], str]  # `16 events`
    # The file's name, its errors, the lines they are at (written out) and how many.
    has_errors: Callable[[str, int, str, int], str]
    left_out: Callable[[str, int, int, str], str]  # that, the errors, the events, their titles
    # The app's export of the version it shows, the file now not loading: its name, and
    # why it cannot be read, if it cannot.
    last_good: Callable[[str, str | None], str]

    def labelled(self, label: str, text: str) -> str:
        """`Sources: [1]`, `Sources : [1]`."""
        return f"{label}{self.colon}: {text}"


def _english_has_errors(name: str, errors: int, lines: str, at_lines: int) -> str:
    count = counted(errors, "error")
    where = f" ({'line' if at_lines == 1 else 'lines'} {lines})" if lines else ""
    return f"{name} has {count}{where}"


def stale_why(unreadable: str | None) -> str:
    """Why a file's last good version is shown, in English (the app says it too): it
    cannot be read now (`unreadable` says why: deleted...), or it has errors."""
    return f"cannot be read now ({unreadable})" if unreadable else "has changed and has errors"


def _english_last_good(name: str, unreadable: str | None) -> str:
    return f"{name} {stale_why(unreadable)}; this is its last good version"


def _english_left_out(has: str, errors: int, events: int, titles: str) -> str:
    if not events:
        return f"{has}, and what an error leaves out is not here"
    they = "it leaves" if errors == 1 else "they leave"
    verb = "is" if events == 1 else "are"
    return (
        f"{has}; {counted(events, 'event')} {they} out {verb} shown as before "
        f"({titles}), and anything else an error leaves out is not here"
    )


ENGLISH = ExportWords(
    filtered="Filtered",
    of="of",
    incomplete="Incomplete",
    no_events="No events.",
    status="Status",
    unknown_status="not a known status",
    statuses={status: status.value for status in Status},
    actors="Actors",
    tags="Tags",
    sources="Sources",
    related="Related",
    references="References",
    figure_header=("Figure", "Value", "As of", "Source"),
    note_header="Note",
    note="Note",
    colon="",
    up_to=lambda end: f"Up to {end.display()}",
    since=lambda start: f"From {start.display()}",
    date=lambda shown: shown,
    events=lambda number: counted(number, "event"),
    has_errors=_english_has_errors,
    left_out=_english_left_out,
    last_good=_english_last_good,
)


# The English words of the model's dates, and the French for them.
_FRENCH_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin")
_FRENCH_MONTHS += ("juil.", "août", "sept.", "oct.", "nov.", "déc.")
_MONTHS = dict(zip(MONTH_ABBR, _FRENCH_MONTHS, strict=True))
_SEASONS = {"Spring": "printemps", "Summer": "été", "Autumn": "automne", "Winter": "hiver"}
_DATE_WORD = re.compile(
    r"\b(?:(?P<month>" + "|".join(_MONTHS) + r")|(?P<season>" + "|".join(_SEASONS) + r")"
    r"|Q(?P<quarter>[1-4])|(?P<part>early|mid|late) (?P<year>\S+)|(?P<decade>\d+)s"
    r"|(?P<era>BCE|CE))\b"
)
_PARTS = {"early": "début ", "mid": "mi-", "late": "fin "}


def _french_word(match: re.Match[str]) -> str:
    if match["month"]:
        return _MONTHS[match["month"]]
    if match["season"]:
        return _SEASONS[match["season"]]
    if match["quarter"]:
        return f"T{match['quarter']}"
    if match["part"]:
        return f"{_PARTS[match['part']]}{match['year']}"
    if match["decade"]:
        return f"années {match['decade']}"
    return "av. J.-C." if match["era"] == "BCE" else "apr. J.-C."


def _french_date(shown: str) -> str:
    """`13 Feb 2026` as `13 févr. 2026`, `Q3 2026` as `T3 2026`, `1850s` as `années 1850`."""
    return _DATE_WORD.sub(_french_word, shown)


def _french_bound(date: FuzzyDate, day: str, other: str) -> str:
    """`Jusqu'au 13 févr. 2026` but `Jusqu'en 2026`: French says a day with `au`/`du`,
    and elides `de` before a vowel (`À partir d'oct. 2025`)."""
    shown = _french_date(date.display())
    if date.precision >= Precision.DAY:
        return f"{day} {shown}"
    if other.endswith(" de") and shown[:1].lower() in "aeiouyéèêâàh":
        return f"{other[:-1]}'{shown}"
    return f"{other} {shown}"


def _french_has_errors(name: str, errors: int, lines: str, at_lines: int) -> str:
    count = f"{errors} erreur{'s' if errors > 1 else ''}"
    where = f" ({'ligne' if at_lines == 1 else 'lignes'} {lines})" if lines else ""
    return f"{name} a {count}{where}"


def _french_left_out(has: str, errors: int, events: int, titles: str) -> str:
    if not events:
        return f"{has}, et ce qu'une erreur écarte n'est pas ici"
    shown = "montré tel qu'avant" if events == 1 else f"{events} événements montrés tels qu'avant"
    return f"{has} ; {shown} ({titles}), et ce qu'une erreur écarte d'autre n'est pas ici"


def _french_last_good(name: str, unreadable: str | None) -> str:
    why = f"ne peut pas être lu ({unreadable})" if unreadable else "a changé et a des erreurs"
    return f"{name} {why} ; voici sa dernière bonne version"


FRENCH = ExportWords(
    filtered="Filtre",
    of="sur",
    incomplete="Incomplet",
    no_events="Aucun événement.",
    status="Statut",
    unknown_status="statut inconnu",
    statuses={
        Status.CONFIRMED: "confirmé",
        Status.REPORTED: "rapporté",
        Status.EXPECTED: "attendu",
        Status.FORECAST: "prévision",
        Status.DISPUTED: "contesté",
    },
    actors="Acteurs",
    tags="Mots-clés",
    sources="Sources",
    related="Voir aussi",
    references="Références",
    figure_header=("Chiffre", "Valeur", "Date", "Source"),
    note_header="Note",
    note="Note",
    colon=" ",
    up_to=lambda end: _french_bound(end, "Jusqu'au", "Jusqu'en"),
    since=lambda start: _french_bound(start, "À partir du", "À partir de"),
    date=_french_date,
    events=lambda number: f"{number} événement{'s' if number > 1 else ''}",
    has_errors=_french_has_errors,
    left_out=_french_left_out,
    last_good=_french_last_good,
)


def export_words(lang: str | None) -> ExportWords:
    """The words for a timeline written in `lang` (`fr`, `fr-CA`: French; else English)."""
    primary = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return FRENCH if primary == "fr" else ENGLISH


def titles_list(titles: Sequence[str]) -> str:
    """The first few titles, quoted: `“A”, “B”, “C”, …`."""
    shown = ", ".join(f"“{title}”" for title in titles[:3])
    return shown + (", …" if len(titles) > 3 else "")
