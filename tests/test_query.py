"""The query language: parsing, folding, filtering the real events.yaml, highlighting.

Expected selections from events.yaml are read from the file itself with PyYAML's
BaseLoader (every value a string), an oracle independent of the app's loader and query code.
"""

from __future__ import annotations

import re
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from timeline_tui.core.dates import parse_date
from timeline_tui.core.loader import load_file, load_text
from timeline_tui.core.model import Event, Status, Timeline, last_end
from timeline_tui.core.query import (
    QueryError,
    SearchIndex,
    fold,
    highlight_spans,
    parse_query,
    searchable_text,
)
from timeline_tui.core.wordindex import WordIndex

ROOT = Path(__file__).resolve().parents[1]
EVENTS_YAML = ROOT / "events.yaml"


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    result = load_file(EVENTS_YAML)
    assert result.ok and result.timeline is not None
    return result.timeline


@pytest.fixture(scope="module")
def raw_events() -> list[dict[str, Any]]:
    data = yaml.load(EVENTS_YAML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return data["events"]


def ids(timeline: Timeline, query: str) -> list[str]:
    """The ids of the events that match, by reading their text and by the word index,
    which must agree."""
    index = SearchIndex(timeline)
    read = index.filter(parse_query(query))
    index.prepare()
    assert index.filter(parse_query(query)) == read
    return [e.id for e in read]


# --- parse_query --------------------------------------------------------------------------


def test_words_are_folded_and_all_required() -> None:
    query = parse_query("Suleyman  MODÈLE")
    assert query.include.words == ("suleyman", "modele")
    assert query.words == ("suleyman", "modele")
    assert query.exclude.words == ()
    assert not query.is_empty


def test_a_quoted_phrase_is_one_word() -> None:
    query = parse_query('"Financial Times" -"open ai" "unclosed phrase')
    assert query.include.words == ("financial times", "unclosed phrase")
    assert query.exclude.words == ("open ai",)


def test_a_quote_that_closes_no_phrase_is_no_part_of_the_word(timeline: Timeline) -> None:
    # `"Microsoft` found Microsoft, `Microsoft"` nothing (a user pass).
    assert parse_query('Microsoft"').words == parse_query('"Microsoft').words == ("microsoft",)
    assert parse_query('-anthropic" plan"B').exclude.words == ("anthropic",)
    assert parse_query('-anthropic" plan"B').include.words == ("plan", "b")
    assert ids(timeline, 'Suleyman"') == ids(timeline, "Suleyman") != []


def test_tags_actors_and_negation() -> None:
    query = parse_query("#Finance @OpenAI -#ip -@nvidia -anthropic")
    assert query.include.tags == ("finance",)
    assert query.include.actors == ("openai",)
    assert query.exclude.tags == ("ip",)
    assert query.exclude.actors == ("nvidia",)
    assert query.exclude.words == ("anthropic",)
    assert query.include.words == ()


def test_a_lone_minus_is_no_filter() -> None:
    query = parse_query("microsoft - openai")
    assert query.include.words == ("microsoft", "openai")
    assert query.exclude == parse_query("").exclude


def test_a_minus_before_a_field_filter_excludes() -> None:
    query = parse_query("-status:forecast,Expected -since:2026 -until:2024")
    assert query.exclude.statuses == {Status.FORECAST, Status.EXPECTED}
    assert query.exclude.since == parse_date("2026").lower
    assert query.exclude.until == parse_date("2024").upper
    assert query.include == parse_query("").include


def test_since_and_until_take_the_outer_bounds_of_what_is_written() -> None:
    query = parse_query("since:2025-10 until:2026")
    assert query.include.since == parse_date("2025-10").lower
    assert query.include.until == parse_date("2026").upper
    assert parse_query("Since:2025").include.since == parse_date("2025").lower  # any case


@pytest.mark.parametrize("written", ["2026?", "2025-10~", "2019/2023", "-0044", "2019/.."])
def test_since_takes_the_start_of_any_date_form(written: str) -> None:
    assert parse_query(f"since:{written}").include.since == parse_date(written).lower


@pytest.mark.parametrize("written", ["2026?", "2025-10~", "2019/2023", "-0044", "/2032"])
def test_until_takes_the_end_of_any_date_form(written: str) -> None:
    assert parse_query(f"until:{written}").include.until == parse_date(written).upper


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "since:../2026",
            "since:../2026 has no known start, which since: needs (such as since:2025-10); "
            "until:../2026 keeps the events up to its end",
        ),
        ("since:/2032", "since:/2032 has no known start"),
        ("-since:../2026", "-until:../2026 leaves out the events up to its end"),
        (
            "until:2026/..",
            "until:2026/.. has no known end, which until: needs (such as until:2025-10); "
            "since:2026/.. keeps the events from its start on",
        ),
        (
            "-until:2019/..",
            "-until:2019/.. has no known end, which -until: needs (such as -until:2025-10); "
            "-since:2019/.. leaves out the events from its start on",
        ),
    ],
)
def test_since_or_until_of_an_open_side_says_what_to_write(text: str, said: str) -> None:
    # `since:../2026` stood for the end of 2026 (the end it has), and kept only the
    # events that reach it: 4 of the bundled 16, where a user expected no lower limit
    # (a user pass).
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert said in str(caught.value)


def test_status_takes_a_comma_list() -> None:
    query = parse_query("status:forecast,Expected status:disputed")
    assert query.include.statuses == {Status.FORECAST, Status.EXPECTED, Status.DISPUTED}
    assert parse_query("status:forecast,").include.statuses == {Status.FORECAST}  # typing on


def test_other_colons_are_plain_words() -> None:
    query = parse_query("https://example.org/x ratio:2 12:30")
    assert query.include.words == ("https://example.org/x", "ratio:2", "12:30")


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_an_empty_query(text: str) -> None:
    assert parse_query(text).is_empty


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("sice:2025", ["unknown filter 'sice:'", "did you mean 'since:'?"]),
        ("untill:2025", ["unknown filter 'untill:'", "did you mean 'until:'?"]),
        ("stauts:forecast", ["did you mean 'status:'?"]),
        ("status:forcast", ["unknown status 'forcast'", "did you mean 'forecast'?"]),
        ("status:bogus", ["unknown status 'bogus'", "use one of confirmed, reported"]),
        ("since:", ["since: needs a date"]),
        ("until:", ["until: needs a date"]),
        ("since:2025-13", ["since:2025-13", "month must be 1–12"]),
        ("until:someday", ["until:someday", "cannot read 'someday'"]),
        ("since:13/02/2026", ["numeric dates"]),
        ("-since:2025-13", ["-since:2025-13", "month must be 1–12"]),
        ("-until:", ["-until: needs a date"]),
        ("status:", ["status: needs one of confirmed, reported, expected, forecast, disputed"]),
        ("-status:", ["-status: needs one of confirmed, reported"]),
        ("status:,", ["status: needs one of confirmed"]),
        ("-status:forcast", ["unknown status 'forcast'"]),
        ("-sice:2025", ["unknown filter 'sice:'"]),
        ("#", ["# needs a tag name, such as #finance"]),
        ("-#", ["-# needs a tag name, such as -#finance"]),
        ("@", ["@ needs an actor's name, such as @openai"]),
        ("-@", ["-@ needs an actor's name"]),
    ],
)
def test_errors_say_what_to_fix(text: str, fragments: list[str]) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(f"suleyman {text}")
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("since:2027 until:2026", "since:2027 is after until:2026: since: takes the earlier date"),
        ('until:2026 since:"Jan 2027"', 'since:"Jan 2027" is after until:2026'),
        ("since:2026-02 until:2026-01-31", "since:2026-02 is after until:2026-01-31"),
        ("since:2026 since:2025", "since: is given twice: keep one of since:2026 and since:2025"),
        ("until:2026 Until:2025", "until: is given twice: keep one of until:2026 and Until:2025"),
        ("-since:2026 -since:2025", "-since: is given twice"),
        ("-until:2026 -until:2026", "-until: is given twice"),
        ("since:2026 -since:2025", "since:2026 and -since:2025 leave no event: -since: needs a"),
        ("since:2026 -since:2026", "since:2026 and -since:2026 leave no event"),
        ("-until:2025 until:2025", "-until:2025 and until:2025 leave no event: until: needs a"),
        ("-until:2025 -since:2026", "-until:2025 and -since:2026 leave no event: -since: needs"),
    ],
)
def test_bounds_that_clash_are_refused(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("since:Q1 2026", 'since:Q1: a date with spaces goes in quotes: since:"Q1 2026"'),
        ("until:13 February 2026 deal", 'quotes: until:"13 February 2026"'),
        ("-since:late 2025", 'quotes: -since:"late 2025"'),
        ("since:Q1 deal", "since:Q1: cannot read 'Q1' as a date"),  # no date with the next
    ],
)
def test_a_date_written_with_spaces_is_told_to_go_in_quotes(text: str, message: str) -> None:
    # "cannot read 'Q1' as a date" left the user to guess that the filter had cut the
    # date at its space (found by a user review).
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in str(caught.value)
    suggested = re.search(r'quotes: (\S+:"[^"]+")', str(caught.value))
    if suggested is not None:
        parse_query(suggested[1])  # what it says to write is read


@pytest.mark.parametrize(
    "text",
    [
        "since:2026 until:2026",  # the year 2026: since: reads its start, until: its end
        "since:2026-12-31 until:2026",
        "since:2026-02-13 until:2026-02-13",
        "since:2025 -since:2026",  # ended in 2025
        "-until:2025 -since:2027",  # within 2026
        "-until:2025 until:2026",  # began in 2026
        "since:2026 -until:2027",
        "until:2020 -since:2030",
    ],
)
def test_bounds_that_leave_events_are_accepted(text: str) -> None:
    parse_query(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tag:finance", "tag: is not a filter word: write #finance"),
        ("Tags:finance", "tags: is not a filter word: write #finance"),
        ('tag:"AI safety"', 'tag: is not a filter word: write #"AI safety"'),
        ("-tag:ip", "tag: is not a filter word: write -#ip"),
        ("tag:", "tag: is not a filter word: write the tag after #, such as #finance"),
        ("actor:openai", "actor: is not a filter word: write @openai"),
        ("-actors:nvidia", "actors: is not a filter word: write -@nvidia"),
        (
            "year:2025",
            "year: is not a filter word: write since:2025 until:2025 for the events that "
            "reach into 2025",
        ),
        ('date:"Oct 2025"', 'date: is not a filter word: write since:"Oct 2025" until:"Oct'),
        ("month:2025-10", "write since:2025-10 until:2025-10 for the events that reach into"),
        (
            "-year:2025",
            "year: is not a filter word: write -since:2025 for the events before 2025, or "
            "-until:2025 for those after it",
        ),
        ("year:", "year: is not a filter word: write a date after since: and until:, such as"),
        ("year:soon", "such as since:2025 until:2025"),
        (
            "source:reuters",
            "source: is not a filter word: words search the sources an event cites (titles, "
            "publishers, ids): write reuters",
        ),
        ('sources:"Financial Times"', 'ids): write "Financial Times"'),
        ("-source:ft", "ids): write -ft"),
    ],
)
def test_filter_words_people_guess_say_how_this_language_writes_them(
    text: str, message: str
) -> None:
    # They were words that no event's text holds: nothing matched, without a word of why
    # (found by user testing).
    with pytest.raises(QueryError) as caught:
        parse_query(f"microsoft {text}")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("tag:finance", "#finance"),
        ("actor:openai", "@openai"),
        ("year:2025", "since:2025 until:2025"),
        ('date:"Feb 2026"', 'since:"Feb 2026" until:"Feb 2026"'),
        ("-year:2026", "-since:2026"),
        ("-year:2026", "-until:2026"),
        ('source:"Financial Times"', '"Financial Times"'),
    ],
)
def test_what_a_guessed_filter_word_is_told_to_write_finds_events(
    timeline: Timeline, text: str, written: str
) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert f" {written} " in f"{caught.value} "
    assert ids(timeline, written)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "#finance,#compute",
            "#finance,#compute: a tag filter takes one tag: write #finance #compute for the "
            "events tagged with both; for either, filter for each in turn",
        ),
        ("#finance,compute,ip", "write #finance #compute #ip for the events tagged with all"),
        (
            "-#finance,#compute",
            "-#finance,#compute: a tag filter takes one tag: write -#finance -#compute, which "
            "leaves out the events tagged with either",
        ),
        ("#finance,", "#finance,: a tag filter takes one tag: write #finance"),
        (
            "@openai,@nvidia",
            "@openai,@nvidia: an actor filter takes one actor: write @openai @nvidia for the "
            "events about both",
        ),
        ("tags:finance,compute", "tags: is not a filter word: write #finance #compute for the"),
        # A name in quotes keeps its comma; each name is said once, and five at most; the
        # minus is said back (a review).
        ('actor:"Apple, Inc."', 'actor: is not a filter word: write @"Apple, Inc."'),
        ("#a,a,b,c,d,e,f", "write #a #b #c #d #e … for the events tagged with all of them"),
        ("-tag:a", "-tag: is not a filter word: write -#a"),
        # A quoted name with a space in a list: the rest after the space was lost, or
        # searched for as a word (a review).
        ('-tag:a,"b c"', 'write -#a -#"b c", which leaves out'),
        ('tag:"b c",a', 'write #"b c" #a for the events tagged with both'),
        ('@"Sam Altman",openai', 'write @"Sam Altman" @openai for the events about both'),
        ('#a,"b c"', 'a tag filter takes one tag: write #a #"b c" for'),
    ],
)
def test_a_list_of_tags_or_actors_is_told_to_give_each_its_own(text: str, message: str) -> None:
    # As status: takes `forecast,expected`, `#finance,#compute` looked for one tag of
    # that name: nothing matched, without a word of why (found by user testing).
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in str(caught.value)


def test_tags_each_with_its_own_hash_must_all_match(
    timeline: Timeline, raw_events: list[dict[str, Any]]
) -> None:
    # What the message for `#finance,#partnership` says they find.
    both = [e["id"] for e in raw_events if {"finance", "partnership"} <= set(e.get("tags", []))]
    either = [e["id"] for e in raw_events if {"finance", "partnership"} & set(e.get("tags", []))]
    assert both and len(either) > len(both)
    assert ids(timeline, "#finance #partnership") == both
    left = ids(timeline, "-#finance -#partnership")
    assert sorted(left) == sorted(set(e.id for e in timeline.events) - set(either))


def test_a_tag_with_a_comma_goes_in_quotes() -> None:
    result = load_text(
        "title: T\nevents:\n  - {id: a, date: 2026, title: A, tags: ['mergers, acquisitions']}\n",
        "t.yaml",
    )
    assert result.timeline is not None
    assert ids(result.timeline, '#"mergers, acquisitions"') == ["a"]
    assert ids(result.timeline, '#"mergers,acquisitions"') == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "anthropic OR nvidia",
            "OR is not supported: every word has to match; for either, filter for anthropic, "
            'then for nvidia ("OR" in quotes searches for the word)',
        ),
        ('#finance OR "plan B"', 'for either, filter for #finance, then for "plan B" ('),
        ("anthropic OR", "every word has to match; for either, filter for each in turn ("),
        (
            "anthropic AND nvidia",
            'AND is not needed: every word has to match, so leave it out ("AND" in quotes',
        ),
        (
            "anthropic NOT nvidia",
            "NOT is not supported: a minus leaves out what follows it: write -nvidia (",
        ),
        ("anthropic NOT", "a minus leaves out what follows it, such as -nvidia ("),
    ],
)
def test_operators_of_other_languages_say_what_to_do_instead(text: str, message: str) -> None:
    # They were words: `anthropic OR nvidia` wanted "or" too, and the events about both
    # (found by user testing).
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("bread or butter", ("bread", "or", "butter")),
        ("black and white", ("black", "and", "white")),
        ('"OR" "AND" "NOT"', ("or", "and", "not")),
        ("Or Not", ("or", "not")),
        ("OR-bit NOTES", ("or-bit", "notes")),
    ],
)
def test_operator_words_in_lower_case_or_in_quotes_are_words(
    text: str, words: tuple[str, ...]
) -> None:
    assert parse_query(text).words == words


def test_a_minus_before_an_operator_word_leaves_the_word_out() -> None:
    assert parse_query("anthropic -OR").exclude.words == ("or",)


def test_query_error_is_a_value_error() -> None:
    assert issubclass(QueryError, ValueError)


# --- fold ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Suleyman", "suleyman"),
        ("SÜLEYMAN", "suleyman"),
        ("modèle", "modele"),
        ("Éclats", "eclats"),
        ("Straße", "strasse"),
        ("ﬁnance", "finance"),  # a ligature
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("plain ascii", "plain ascii"),
        ("Œuvre", "oeuvre"),
        ("Ærøskøbing", "aeroskobing"),
        ("Đorđe Łódź", "dorde lodz"),
        ("Þórður Guðmundsson", "thordur gudmundsson"),
        ("Kırıkkale", "kirikkale"),
        ("Ǿ", "o"),  # NFKD makes it ø and an accent
        ("Ħal Saflieni", "hal saflieni"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_lets_accentless_words_find_accented_text() -> None:
    assert fold("modele") in fold("ses propres modèles d'IA")
    assert fold("suleyman") in fold("Mustafa Suleyman")
    assert fold("MODÈLE") == fold("modele")


# --- filtering events.yaml ---------------------------------------------------------------


def test_an_empty_query_keeps_every_event_in_order(timeline: Timeline) -> None:
    assert SearchIndex(timeline).filter(parse_query("")) == list(timeline.events)


def test_suleyman_finds_the_ft_interview_not_the_ip_rights(timeline: Timeline) -> None:
    found = ids(timeline, "suleyman")
    assert "ft-interview" in found
    assert "medical-superintelligence-ambition" in found
    assert "ip-rights-expire" not in found
    assert ids(timeline, "SULEYMAN") == ids(timeline, "Suleyman") == found


def test_accentless_words_find_accented_quotes() -> None:
    result = load_text(
        textwrap.dedent(
            """\
            title: T
            events:
              - {id: fr, date: 2026, title: French, sources: [s],
                 quotes: [{text: "ses propres modèles", lang: fr, translation: own models}]}
              - {id: en, date: 2026, title: English, sources: [s]}
            """
        ),
        "t.yaml",
    )
    assert result.timeline is not None
    assert ids(result.timeline, "modele") == ["fr"]
    assert ids(result.timeline, "MODÈLES") == ["fr"]
    assert ids(result.timeline, "own models") == ["fr"]  # translations count
    assert ids(result.timeline, '"own models"') == ["fr"]
    assert ids(result.timeline, "-modele") == ["en"]


def test_words_find_letters_spelt_in_ascii() -> None:
    result = load_text(
        textwrap.dedent(
            """\
            title: T
            events:
              - {id: oeuvre, date: 2026, title: Son œuvre, sources: [s]}
              - {id: town, date: 2026, title: Ferry to ÆRØSKØBING, sources: [s]}
              - {id: none, date: 2026, title: Nothing, sources: [s]}
            """
        ),
        "t.yaml",
    )
    assert result.timeline is not None
    assert ids(result.timeline, "oeuvre") == ids(result.timeline, "Œuvre") == ["oeuvre"]
    assert ids(result.timeline, "aeroskobing") == ["town"]
    assert ids(result.timeline, "-aeroskobing -oeuvre") == ["none"]


def test_words_match_every_searchable_field() -> None:
    result = load_text(
        textwrap.dedent(
            """\
            title: T
            sources:
              ft: {title: Interview in the Pink Paper}
              qz7: {title: Dredging deal signed, publisher: La Provence}
            events:
              - {id: title, date: 2026, title: Alpha}
              - {id: summary, date: 2026, title: X, summary: about alpha}
              - {id: speaker, date: 2026, title: X, quotes: [{text: hi, speaker: Alpha Person}]}
              - {id: figure, date: 2026, title: X, figures: [{label: alpha share, value: 1}]}
              - {id: note, date: 2026, title: X, figures: [{label: y, value: 1, note: alpha}]}
              - {id: source, date: 2026, title: X, sources: [ft]}
              - {id: none, date: 2026, title: X, tags: [alpha], actors: [Alpha Corp]}
              - {id: outlet, date: 2026, title: X, quotes: [{text: hi, source: qz7}]}
            """
        ),
        "t.yaml",
    )
    assert result.timeline is not None
    assert ids(result.timeline, "alpha") == ["title", "summary", "speaker", "figure", "note"]
    assert ids(result.timeline, "pink paper") == ["source"]
    # Which events rest on an outlet: by its name, or the id the file gives it.
    assert ids(result.timeline, "provence") == ["outlet"]
    assert ids(result.timeline, "qz7") == ["outlet"]
    assert ids(result.timeline, "ft") == ["source"]


def test_tag_filter_matches_the_file(timeline: Timeline, raw_events: list[dict[str, Any]]) -> None:
    expected = [e["id"] for e in raw_events if "finance" in e.get("tags", [])]
    assert expected  # the oracle found something to compare with
    assert sorted(ids(timeline, "#finance")) == sorted(expected)
    assert sorted(ids(timeline, "#FINANCE")) == sorted(expected)
    assert ids(timeline, "#fin") == []  # a tag matches whole, not a part


def test_negated_tag(timeline: Timeline, raw_events: list[dict[str, Any]]) -> None:
    expected = [e["id"] for e in raw_events if "finance" not in e.get("tags", [])]
    assert sorted(ids(timeline, "-#finance")) == sorted(expected)


def test_actor_filter_matches_part_of_a_name(
    timeline: Timeline, raw_events: list[dict[str, Any]]
) -> None:
    expected = [e["id"] for e in raw_events if any("Suleyman" in a for a in e.get("actors", []))]
    assert sorted(ids(timeline, "@suleyman")) == sorted(expected)
    with_openai = {e["id"] for e in raw_events if "OpenAI" in e.get("actors", [])}
    assert set(ids(timeline, "@suleyman @openai")) == set(expected) & with_openai


def test_status_filter(timeline: Timeline, raw_events: list[dict[str, Any]]) -> None:
    expected = [e["id"] for e in raw_events if e.get("status") == "forecast"]
    assert sorted(ids(timeline, "status:forecast")) == sorted(expected)
    both = [e["id"] for e in raw_events if e.get("status") in ("forecast", "expected")]
    assert sorted(ids(timeline, "status:forecast,expected")) == sorted(both)


def test_an_event_without_a_status_is_confirmed() -> None:
    result = load_text(
        textwrap.dedent(
            """\
            title: T
            events:
              - {id: unsaid, date: 2026, title: U, sources: [s]}
              - {id: confirmed, date: 2026, title: C, sources: [s], status: confirmed}
              - {id: forecast, date: 2026, title: F, sources: [s], status: forecast}
            """
        ),
        "t.yaml",
    )
    assert result.timeline is not None
    assert result.timeline.event_by_id("unsaid").status is None
    assert ids(result.timeline, "status:confirmed") == ["unsaid", "confirmed"]
    assert ids(result.timeline, "-status:confirmed") == ["forecast"]
    assert ids(result.timeline, "-status:forecast") == ["unsaid", "confirmed"]
    assert ids(result.timeline, "status:forecast,confirmed") == ["unsaid", "confirmed", "forecast"]


@pytest.mark.parametrize(
    "text",
    [
        "status:forecast",
        "status:forecast,expected",
        "status:reported",
        "since:2026",
        "since:2026-02-13",
        "since:2030",
        "until:2025",
        "until:2024",
        "until:2026-02",
    ],
)
def test_a_minus_leaves_out_what_the_filter_selects(timeline: Timeline, text: str) -> None:
    kept, left_out = ids(timeline, text), ids(timeline, f"-{text}")
    assert kept and left_out  # both sides of each cut hold events in events.yaml
    assert sorted(kept + left_out) == sorted(e.id for e in timeline.events)


def test_negated_status(timeline: Timeline, raw_events: list[dict[str, Any]]) -> None:
    expected = [e["id"] for e in raw_events if e.get("status") not in ("forecast", "expected")]
    assert sorted(ids(timeline, "-status:forecast,expected")) == sorted(expected)
    assert ids(timeline, "-status:forecast -status:expected") == ids(
        timeline, "-status:expected,forecast"
    )


def test_date_range(timeline: Timeline) -> None:
    found = ids(timeline, "since:2026-02 until:2026")
    assert "fy2025-capex" not in found  # all of 2025
    assert "partnership-restructured" not in found  # October 2025
    assert "ip-rights-expire" not in found  # 2032
    for inside in ("own-models-launch", "ft-interview", "openai-bankruptcy-forecast"):
        assert inside in found
    assert "ip-rights-expire" in ids(timeline, "since:2030")
    # An unknown end may lie anywhere later, an unknown start anywhere earlier.
    assert "openai-seeks-buyer" in ids(timeline, "since:2030")
    early = ids(timeline, "until:2024")
    assert early and all(timeline.event_by_id(i).date.lower is None for i in early)


def test_quoted_date_values() -> None:
    query = parse_query('since:"Oct 2025" until:"13 February 2026" words')
    assert query.include.since == parse_query("since:2025-10").include.since
    assert query.include.until == parse_query("until:2026-02-13").include.until
    assert query.words == ("words",)


PERIODS = """\
title: T
events:
  - {id: period, date: 2019/2023, title: P, sources: [s]}
  - {id: before, date: 2018, title: B, sources: [s]}
  - {id: end-field, date: 2010, end: 2021, title: E, sources: [s]}
"""


def test_a_range_keeps_periods_that_overlap_it() -> None:
    result = load_text(PERIODS, "t.yaml")
    assert result.timeline is not None
    assert ids(result.timeline, "since:2021-06 until:2022") == ["end-field", "period"]
    assert ids(result.timeline, "since:2022 until:2022") == ["period"]
    assert ids(result.timeline, "since:2021") == ["end-field", "period"]
    assert ids(result.timeline, "until:2018-06") == ["end-field", "before"]


def test_a_minus_before_since_or_until_keeps_the_events_wholly_outside() -> None:
    result = load_text(
        PERIODS
        + "  - {id: open-end, date: 2020/.., title: O, sources: [s]}\n"
        + "  - {id: unknown-start, date: /2019, title: U, sources: [s]}\n",
        "t.yaml",
    )
    assert result.timeline is not None
    # An open or unknown end may reach into any range on its side: never wholly outside.
    assert ids(result.timeline, "-since:2021") == ["before", "unknown-start"]
    assert ids(result.timeline, "-since:2022") == ["end-field", "before", "unknown-start"]
    assert ids(result.timeline, "-until:2018") == ["period", "open-end"]
    assert ids(result.timeline, "-until:2018 -since:2024") == ["period"]  # within 2019-2023
    assert ids(result.timeline, "since:2021 -since:2022") == ["end-field"]  # ended in 2021


MOMENTS = """\
title: T
events:
  - {id: tokyo, date: '2026-01-01T00:30+09:00', title: Tokyo, sources: [s]}
  - {id: london, date: '2025-12-31T20:00Z', title: London, sources: [s]}
  - {id: new-york, date: '2025-12-31T23:30-05:00', title: New York, sources: [s]}
  - {id: eve, date: '2026-03-04T23:00-05:00', end: '2026-03-05T01:00-05:00', title: Eve,
     sources: [s]}
"""


def test_since_and_until_read_a_moment_as_written_in_its_zone() -> None:
    # 00:30 on 1 Jan 2026 in Tokyo, listed under 2026, was left out of since:2026 (it is
    # 31 Dec in UTC), and 23:30 on 31 Dec in New York, listed under 2025, kept: a user
    # pass. A date in a filter is a date on the calendar the event was written in.
    result = load_text(MOMENTS, "t.yaml")
    assert result.timeline is not None
    assert ids(result.timeline, "since:2026") == ["tokyo", "eve"]
    assert ids(result.timeline, "until:2025") == ["london", "new-york"]
    assert ids(result.timeline, "-since:2026") == ["london", "new-york"]
    assert ids(result.timeline, "since:2026-03-05") == ["eve"]  # it ends on the 5th
    assert ids(result.timeline, "until:2026-03-04") == ["london", "new-york", "tokyo", "eve"]
    assert ids(result.timeline, "since:2026-03-06") == []
    # A moment with its zone as a bound is an instant, and events are compared at theirs:
    # it was read on the clock too, and 10:00 in Tokyo was before 09:30 there (a review).
    moments = load_text(
        "title: T\nevents:\n  - {id: utc, date: '2026-01-01T01:00Z', title: U}\n"
        "  - {id: tokyo, date: '2026-01-01T09:30+09:00', title: T}\n",
        "t.yaml",
    ).timeline
    assert moments is not None
    assert ids(moments, "since:2026-01-01T09:45+09:00") == ["utc"]
    assert ids(moments, "until:2026-01-01T00:45Z") == ["tokyo"]
    assert ids(moments, "since:2026-01-01T10:00+09:00 until:2026-01-01T02:00Z") == ["utc"]
    assert ids(moments, "since:2026-01-01T09:00") == ["tokyo"]  # no zone: on the clock


def test_filters_combine(timeline: Timeline, raw_events: list[dict[str, Any]]) -> None:
    expected = [
        e["id"]
        for e in raw_events
        if "finance" in e.get("tags", []) and e.get("status") == "forecast"
    ]
    assert sorted(ids(timeline, "#finance status:forecast")) == sorted(expected)


def test_filter_keeps_timeline_order(timeline: Timeline) -> None:
    everything = SearchIndex(timeline).filter(parse_query("microsoft"))
    order = {e.id: i for i, e in enumerate(timeline.events)}
    assert len(everything) > 1
    assert [order[e.id] for e in everything] == sorted(order[e.id] for e in everything)


# --- the word index ------------------------------------------------------------------------

# A few hundred generated events: most words are held by many events (bit sets), the
# speakers' names in quotes by a few (arrays of positions).
GENERATED_QUERIES = [
    "p", "partner", "partnership", "artne", "e", "zzz", "ev-7", "ev-12", "src-3", "1976",
    "partner -deal", "-e", '"deal rights"', '"rights\ndeal"', '"ip, mark"', "deal model court",
    "#ip partner", "@micro -partner", "since:1990 until:2000 deal", "status:forecast -a",
    '"  "', "é", "-partner -deal", "suleyman", "sam alt", '"mustafa suleyman"', "-nadella",
    "o", "ll -ma", "\u0301", "-\u0301", "a\u00a8b",
    "-status:forecast", "status:confirmed deal", "-since:1995", "-until:1995 partner",
    "since:1990 -since:2000", "-until:1990 -since:2000 -deal",
]  # fmt: skip


@pytest.fixture(scope="module")
def generated() -> Timeline:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    result = load_text(generate(400, seed=5), "g.yaml")
    assert result.timeline is not None
    return result.timeline


@pytest.mark.parametrize("query", GENERATED_QUERIES)
def test_the_word_index_selects_what_reading_the_text_does(generated: Timeline, query: str) -> None:
    parsed = parse_query(query)
    expected = [e for e in generated.events if parsed.matches(e, searchable_text(e, generated))]
    index = SearchIndex(generated)
    assert index.filter(parsed) == expected
    index.prepare()
    assert index.filter(parsed) == expected


def test_an_indexing_given_up_leaves_the_filter_reading_the_text(generated: Timeline) -> None:
    index = SearchIndex(generated)
    index.prepare(cancelled=lambda: True)
    assert not index.ready
    query = parse_query("partner -deal")
    expected = [e for e in generated.events if query.matches(e, searchable_text(e, generated))]
    assert index.filter(query) == expected
    index.prepare()
    assert index.ready and index.filter(query) == expected


def test_the_word_index_keeps_rare_words_as_positions_and_common_ones_as_bits() -> None:
    texts = ["alpha beta", "beta gamma", "beta", "delta beta"] * 10 + ["omega beta"]
    words = WordIndex(texts, len(texts))
    assert words.holders("omega") == 1 << 40  # one event in 41: kept as a position
    assert words.holders("alpha") == sum(1 << i for i in range(0, 40, 4))  # one in 4: bits
    assert words.holders("eta") == words.everything == (1 << 41) - 1  # in beta, everywhere
    assert words.holders("a") == words.everything
    assert words.holders("mm") == words.holders("gamma") == sum(1 << i for i in range(1, 40, 4))
    assert words.holders("ga") == words.holders("gamma") | words.holders("omega")
    assert words.holders("x") == 0
    assert words.candidates("alpha beta") == words.holders("alpha")
    assert words.selected(texts, words.holders("delta")) == ["delta beta"] * 10
    assert words.selector(words.bits([0, 2, 40]))[:3] == b"\x01\x00\x01"
    assert WordIndex([], 0).selected([], WordIndex([], 0).everything) == []


# --- highlight_spans ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "shown"),
    [
        ("Le modèle de Süleyman", ["modele", "suleyman"], ["modèle", "Süleyman"]),
        ("ÉCLATS et éclats", ["eclats"], ["ÉCLATS", "éclats"]),
        ("Die Straße", ["strasse"], ["Straße"]),
        ("Son Œuvre", ["oeuvre"], ["Œuvre"]),  # one letter folds to two
        ("Ærøskøbing havn", ["aeroskobing", "havn"], ["Ærøskøbing", "havn"]),
        ("cœur", ["e"], ["œ"]),  # half of a letter shows the whole of it
        ("Þórður", ["thor", "dur"], ["Þórður"]),
        ("Łódź et œuvres", ["lodz", "oeuvre"], ["Łódź", "œuvre"]),
        ("cafe\u0301 noir", ["cafe"], ["cafe\u0301"]),  # the accent stays with its letter
        ("abcabc", ["bca"], ["bca"]),
        ("overlapping", ["overl", "lapping"], ["overlapping"]),
        ("no match here", ["zzz"], []),
        ("", ["a"], []),
        ("text", [], []),
    ],
)
def test_highlight_spans_cover_the_original_characters(
    text: str, words: list[str], shown: list[str]
) -> None:
    spans = highlight_spans(text, words)
    assert [text[start:end] for start, end in spans] == shown
    assert spans == sorted(spans)


def test_highlight_uses_the_query_words() -> None:
    query = parse_query("MODÈLE #finance @openai")
    assert highlight_spans("un modèle", query.words) == [(3, 9)]


# --- text pasted from articles -------------------------------------------------------------

# Journalists paste queries from articles, which print quotes and apostrophes as typography.
PRINTED_PHRASES = [
    "“Claude Code”",
    "„Claude Code“",
    "”Claude Code”",
    "«Claude Code»",
    "« Claude Code »",
    "«\u00a0Claude Code\u00a0»",  # French: a no-break space inside the guillemets
    "«\u202fClaude Code\u202f»",  # or a narrow one
    "»Claude Code«",
]


@pytest.mark.parametrize("phrase", PRINTED_PHRASES)
def test_printed_quotes_make_a_phrase(timeline: Timeline, phrase: str) -> None:
    assert parse_query(phrase).words == ("claude code",)
    assert parse_query(f"-{phrase} x").exclude.words == ("claude code",)
    assert ids(timeline, phrase) == ids(timeline, '"Claude Code"') == ["claude-code-order"]


def test_a_printed_quote_left_open_is_a_phrase_being_typed() -> None:
    assert parse_query("«\u00a0Claude Co").words == ("claude co",)
    assert parse_query("“Claude Co").words == ("claude co",)


def test_printed_quotes_go_around_a_date_with_spaces() -> None:
    assert parse_query("since:« Oct 2025 »").include.since == parse_date("2025-10").lower
    assert parse_query("until:“Oct 2025”").include.until == parse_date("2025-10").upper


def test_straight_quotes_keep_the_spaces_inside_them() -> None:
    # `" ai "` finds `ai` as a word of its own: only French spacing in guillemets goes.
    assert parse_query('" ai "').words == (" ai ",)


@pytest.mark.parametrize("apostrophe", ["’", "‘", "ʼ"])
def test_printed_apostrophes_fold_to_the_typed_one(apostrophe: str) -> None:
    assert fold(f"Anthropic{apostrophe}s") == "anthropic's"
    assert fold(f"L{apostrophe}Année") == "l'annee"


@pytest.mark.parametrize(
    ("typed", "printed"), [("Anthropic's", "Anthropic’s"), ("l'année", "l’année")]
)
def test_a_printed_apostrophe_in_the_query_finds_the_typed_one(
    timeline: Timeline, typed: str, printed: str
) -> None:
    assert ids(timeline, typed)
    assert ids(timeline, printed) == ids(timeline, typed)
    assert ids(timeline, f'"{printed}"') == ids(timeline, typed)


def test_a_typed_apostrophe_finds_a_printed_one_in_the_text() -> None:
    result = load_text(
        textwrap.dedent(
            """\
            title: T
            events:
              - {id: printed, date: 2026, title: Anthropic’s Claude, sources: [s]}
              - {id: typed, date: 2026, title: Anthropic's model, sources: [s]}
              - {id: none, date: 2026, title: Anthropic alone, sources: [s]}
            """
        ),
        "t.yaml",
    )
    assert result.timeline is not None
    for query in ("anthropic's", "Anthropic’s", "anthropicʼs"):
        assert ids(result.timeline, query) == ["printed", "typed"]
    assert ids(result.timeline, '"anthropic\'s claude"') == ["printed"]
    assert highlight_spans("Anthropic’s Claude", parse_query("anthropic's").words) == [(0, 11)]


@pytest.mark.parametrize(
    "written",
    ['@"Sam Altman"', "@“Sam Altman”", "@« Sam Altman »", '@"sam altman'],
)
def test_an_actor_with_spaces_goes_in_quotes(
    timeline: Timeline, raw_events: list[dict[str, Any]], written: str
) -> None:
    expected = [e["id"] for e in raw_events if "Sam Altman" in e.get("actors", [])]
    assert expected
    query = parse_query(written)
    assert query.include.actors == ("sam altman",) and query.words == ()
    assert ids(timeline, written) == expected
    left_out = ids(timeline, f"-{written}")
    assert sorted(left_out + expected) == sorted(e.id for e in timeline.events)


def test_a_tag_with_spaces_goes_in_quotes() -> None:
    result = load_text(
        textwrap.dedent(
            """\
            title: T
            events:
              - {id: spaced, date: 2026, title: A, sources: [s], tags: [AI safety]}
              - {id: other, date: 2026, title: B, sources: [s], tags: [ai]}
            """
        ),
        "t.yaml",
    )
    assert result.timeline is not None
    assert ids(result.timeline, '#"ai safety"') == ["spaced"]
    assert ids(result.timeline, "-#“AI safety”") == ["other"]


@pytest.mark.parametrize(("text", "sign"), [('@""', ""), ("@“ ”", ""), ('-@"', "-"), ('#""', "")])
def test_an_empty_quoted_name_is_refused(text: str, sign: str) -> None:
    with pytest.raises(QueryError, match=f"^{sign}[#@] needs"):
        parse_query(text)


@pytest.mark.parametrize(
    "query", ["“Claude Code”", "« Claude Code »", "Anthropic’s", '@"Sam Altman"']
)
def test_the_command_line_reads_what_the_app_does(
    timeline: Timeline, tmp_path: Path, query: str
) -> None:
    from timeline_tui.cli import main

    out = tmp_path / "out.md"
    assert main(["export", str(EVENTS_YAML), "--query", query, "-o", str(out)]) == 0
    titles = [e.title for e in SearchIndex(timeline).filter(parse_query(query))]
    written = out.read_text(encoding="utf-8")
    headings = [re.sub(r"\\(.)", r"\1", h) for h in re.findall(r"^### .*", written, re.M)]
    assert titles and len(headings) == len(titles)
    assert all(any(title in h for h in headings) for title in titles)


def test_a_long_run_of_spaces_in_guillemets_is_quick() -> None:
    # Spaces matched around a lazy phrase cost the square of a long run of them: 5 s for
    # 30,000 (found by a review). Timed loosely.
    start = time.perf_counter()
    query = parse_query("«a" + " " * 20_000 + "b»")
    assert time.perf_counter() - start < 1
    assert query.words == ("a" + " " * 20_000 + "b",)


@pytest.mark.parametrize("typed", ["27”", '27"'])
def test_a_printed_quote_inside_a_word_is_found(typed: str) -> None:
    # `27”` became `27"` in the query but not in the text: no match (found by a review).
    timeline = load_text(
        "title: T\nevents:\n  - {id: a, date: 2026, title: Apple ships a 27” display}\n"
        "  - {id: b, date: 2026, title: Another screen}\n",
        "t.yaml",
    ).timeline
    assert timeline is not None
    assert [e.id for e in SearchIndex(timeline).filter(parse_query(typed))] == ["a"]


@pytest.mark.parametrize(
    ("text", "fixed"),
    [("since:'Oct 2025'", 'since:"Oct 2025"'), ("until:'2026' x", "until:2026")],
)
def test_a_date_in_single_quotes_is_told_the_quotes_to_use(text: str, fixed: str) -> None:
    # "since:'Oct: cannot read ''Oct' as a date" (found by a review).
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert f": write {fixed} (a date with spaces goes in double quotes)" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    ["‘commercial failure’", "'commercial failure'", "‚commercial failure‘", "'commercial'"],
)
def test_single_quotes_around_words_are_a_phrase(timeline: Timeline, text: str) -> None:
    # British papers print quotes as ‘…’: they found nothing, without a word (a review).
    assert ids(timeline, text) == ids(timeline, '"commercial failure"') == ["fy2025-capex"]


@pytest.mark.parametrize("text", ["l’année", "Anthropic's", "'90s"])
def test_an_apostrophe_is_no_quote(text: str) -> None:
    assert parse_query(text).words == (fold(text),)


@pytest.mark.parametrize("indexed", [True, False])
@pytest.mark.parametrize("text", ["", "microsoft", "microsoft -openai", "#finance", "zzz"])
def test_the_end_a_filter_gives_is_its_events_latest_end(
    timeline: Timeline, indexed: bool, text: str
) -> None:
    # The header's span of a big filtered list is found among the ends selected with
    # the events (in C): it must be what a pass over the events finds.
    index = SearchIndex(timeline)
    if indexed:
        index.prepare()
    events, end = index.filter_with_end(parse_query(text))
    assert events == [
        e for e in timeline.events if parse_query(text).matches(e, searchable_text(e, timeline))
    ]
    assert end is last_end(events)


def test_a_filter_that_selects_the_same_events_again_gives_the_same_answer(
    timeline: Timeline,
) -> None:
    # Typing a word, each keystroke that keeps the same events reuses the last answer:
    # whatever came between, each answer must be the one a pass over the events gives.
    index = SearchIndex(timeline)
    index.prepare()
    typed = ["m", "mi", "mic", "micr", "microsoft", "micro", "o", "openai", "micro", "zzz", "m"]
    # And two words that select as many events, but not the same ones, one after the other.
    selected: dict[int, tuple[str, list[Event]]] = {}
    for word in sorted({w for e in timeline.events for w in e.title.lower().split()}):
        events = SearchIndex(timeline).filter(parse_query(word))
        other = selected.setdefault(len(events), (word, events))
        if other[1] != events:
            typed += [other[0], word]
            break
    else:
        pytest.fail("no two words of the titles select as many events")
    answers = {}
    for text in typed:
        query = parse_query(text)
        events, end = index.filter_with_end(query)
        assert events == [
            e for e in timeline.events if query.matches(e, searchable_text(e, timeline))
        ]
        assert end is last_end(events)
        answers.setdefault(tuple(map(id, events)), []).append(events)
    repeated = [lists for lists in answers.values() if len(lists) > 1]
    assert repeated  # (else the test shows nothing: no two keystrokes chose the same events)
    for lists in repeated:
        assert len({id(events) for events in lists}) < len(lists)  # one list, made once


def test_characters_that_show_as_nothing_inside_a_word_do_not_hide_it() -> None:
    # A soft hyphen pasted from a news site, a zero-width space, non-joiner or joiner: the
    # event could not be found by the word (a user pass).
    for written in ("Bundes\u00adregierung", "Bundes\u200bregierung", "Bundes\u200cregierung"):
        assert fold(written) == "bundesregierung"
    assert parse_query("Bundes\u00adregierung").words == ("bundesregierung",)


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        ("-", True), ('""', True), ("- -", True), ("", True),
        # Words of nothing but characters that show as nothing: `-\u200b` left out every
        # event (a review).
        ("\u00ad", True), ("-\u200b", True), ('"\u200b"', True), ("a\u200b", False),
        ("-x", False), ("x", False), ('"a b"', False), ("#t", False), ("-@a", False),
        ("status:forecast", False), ("-since:2026", False), ("until:2026", False),
    ],
)  # fmt: skip
def test_a_query_asks_nothing_when_nothing_in_it_filters(text: str, nothing: bool) -> None:
    assert parse_query(text).asks_nothing is nothing


def test_a_tag_or_actor_of_invisible_characters_only_needs_a_name() -> None:
    for text, said in (("#\u200b", "# needs a tag name"), ("-@\u00ad", "-@ needs an actor's name")):
        with pytest.raises(QueryError) as caught:
            parse_query(text)
        assert said in str(caught.value)
