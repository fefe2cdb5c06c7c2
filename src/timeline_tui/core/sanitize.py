"""Make text from a timeline file safe to show: the one place for this logic.

A timeline file is data from anywhere (a feed, a pasted article, a hostile pull request),
and every string in it ends up on a terminal or in an exported document:

- Control characters reach the terminal as escape sequences: a title can clear the screen,
  set the window title, write to the clipboard (OSC 52) or plant a hyperlink (OSC 8).
- Bidirectional controls reorder what is displayed around them, so the text a reader sees
  is not the text that is there (Trojan Source, CVE-2021-42574); zero-width characters
  hide text or make two different ids look the same.

`visible` turns all of these into a visible `<U+XXXX>` placeholder, so nothing is lost or
hidden and nothing is interpreted. `safe_url` is the only gate through which a URL becomes
a link: http(s) only, and percent-encoded so it cannot break out of the syntax around it
(a Markdown link, an OSC 8 sequence).
"""

from __future__ import annotations

import re

__all__ = ["CHANGED_MULTILINE", "CHANGED_ONE_LINE", "INVISIBLE_TEXT", "safe_url", "visible"]


def _placeholder(code: int) -> str:
    return f"<U+{code:04X}>"


def _hidden_code_points() -> list[int]:
    codes = [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]  # C0 but tab/newlines
    codes.append(0x7F)  # DEL
    codes.extend(range(0x80, 0xA0))  # C1: 0x9B is a one-byte CSI on some terminals
    # Bidi controls: embeddings, overrides, isolates and marks.
    codes.extend((0x061C, 0x200E, 0x200F))
    codes.extend(range(0x202A, 0x202F))
    codes.extend(range(0x2066, 0x206A))
    # Invisible characters that hide text or make look-alikes. ZWJ (U+200D) and ZWNJ
    # (U+200C) are left alone: emoji sequences and Persian or Indic words need them.
    codes.extend((0x180E, 0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF))
    # Characters that show as nothing: the Hangul fillers (an "empty" name or title), the
    # grapheme joiner, two Khmer vowels, and the tag characters, which can carry a
    # hidden message of their own. (A soft hyphen, common in text pasted from the web, is
    # left alone: terminals show it.)
    codes.extend((0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0))
    codes.extend(range(0xE0000, 0xE0080))
    codes.extend(range(0x206A, 0x2070))  # deprecated format characters
    codes.extend(range(0xFFF9, 0xFFFC))  # interlinear annotation controls
    # Lone surrogates cannot be written as UTF-8: shown, they would crash the writer.
    codes.extend(range(0xD800, 0xE000))
    return codes


_HIDDEN = _hidden_code_points()
_BASE: dict[int, str] = {code: _placeholder(code) for code in _HIDDEN}
_BASE[0x09] = " "  # a tab's width depends on where it lands: one space is predictable

_MULTILINE = {**_BASE, 0x0D: "\n", 0x2028: "\n", 0x2029: "\n"}
_ONE_LINE = {**_BASE, 0x0A: " ", 0x0D: " ", 0x2028: " ", 0x2029: " "}


def _char_class(codes: list[int]) -> str:
    """A regex character class body, with runs of code points as ranges."""
    parts: list[str] = []
    ordered = sorted(codes)
    start = prev = ordered[0]
    for code in [*ordered[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        parts.append(f"\\U{start:08X}" if start == prev else f"\\U{start:08X}-\\U{prev:08X}")
        start = prev = code
    return "".join(parts)


# The characters above that YAML lets stand raw in a file (it refuses the controls), so
# that a file can hold one unseen: its reader warns of them.
INVISIBLE_TEXT = re.compile(
    f"[{_char_class([c for c in _HIDDEN if c >= 0xA0 and not 0xD800 <= c < 0xE000])}]"
)

# What `visible` changes, as the body of a regex character class: a writer that checks
# for its own characters too (the Markdown export) learns in one search that a string
# needs nothing done.
CHANGED_MULTILINE = _char_class([*_MULTILINE])
CHANGED_ONE_LINE = _char_class([*_ONE_LINE])

# The fast path: most strings hold none of these, and are returned as they are.
_NEEDS_MULTILINE = re.compile(f"[{CHANGED_MULTILINE}]")
_NEEDS_ONE_LINE = re.compile(f"[{CHANGED_ONE_LINE}]")


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every control, bidi and invisible format character made visible.

    Each becomes `<U+XXXX>`; a tab becomes a space; `\\r\\n`, a lone `\\r`, U+2028 and
    U+2029 become `\\n`. With `keep_newlines=False` (titles, table cells) every line
    break becomes a space instead.
    """
    if keep_newlines:
        if not _NEEDS_MULTILINE.search(text):
            return text
        table = _MULTILINE
    else:
        if not _NEEDS_ONE_LINE.search(text):
            return text
        table = _ONE_LINE
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(table)


# RFC 3986 unreserved and reserved characters, less the ones that end a link in the
# syntax around it: `(` and `)` close a Markdown link destination. `[` and `]` are valid
# only around an IPv6 host, so only the authority keeps them. `%` is kept only as the
# start of an existing escape (handled below).
_URL_SAFE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'*+,;="
)
_AUTHORITY_SAFE = _URL_SAFE | {"[", "]"}
_WEB_URL = re.compile(r"(https?)://([^/?#]*)(.*)\Z", re.IGNORECASE | re.DOTALL)
_HEX = frozenset("0123456789abcdefABCDEF")


def safe_url(url: str) -> str | None:
    """A link target for an http(s) URL with a host, percent-encoded; None for anything else.

    Every character outside the RFC 3986 unreserved and reserved sets (spaces, `<`, `>`,
    quotes, backticks, controls, non-ASCII), and `(` and `)`, is percent-encoded, so the
    result can go inside any link syntax as it is; a host in another script is first
    written in its ASCII form (see `_ascii_host`). `javascript:`, `file:`, `data:`,
    scheme-relative `//host` and every other scheme give None: they are shown as text.
    """
    match = _WEB_URL.match(url.strip())
    if match is None:
        return None
    scheme, authority, rest = match.groups()
    if not _host(authority).strip().strip("[]"):
        return None
    authority = _encode(_ascii_host(authority), _AUTHORITY_SAFE)
    return f"{scheme.lower()}://{authority}{_encode(rest, _URL_SAFE)}"


# The characters IDNA 2003 (Python's codec) maps away and UTS 46, as browsers apply it, keeps
# (ẞ becomes ß there).
_IDNA_DEVIATIONS = frozenset("\u00df\u1e9e\u03c2\u200c\u200d")


def _ascii_host(authority: str) -> str:
    """The authority with a host written in another script in its ASCII form (IDNA:
    `élysée.fr` is `xn--lyse-9oad.fr`), as browsers look it up: a percent-encoded host is
    valid, but not every reader of the document resolves it. A host that IDNA refuses (an
    empty label, one too long), or that holds a character the codec's IDNA 2003 maps
    otherwise than browsers do (`straße` is not `strasse`), is left percent-encoded:
    browsers decode that and convert it themselves."""
    userinfo, at, host_port = authority.rpartition("@")
    if host_port.isascii() or host_port.startswith("[") or _IDNA_DEVIATIONS & set(host_port):
        return authority
    host, colon, port = host_port.partition(":")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return authority
    # The codec maps `＃` to `#` and `℀` to `a/c`, and keeps `%41` as text: a host it
    # gives must be labels of letters, digits and hyphens, else the link would go to
    # another host (`evil.example＃.bank.com`) or to none (found by a review).
    if _ASCII_HOST.fullmatch(ascii_host) is None:
        return authority
    return f"{userinfo}{at}{ascii_host}{colon}{port}"


_ASCII_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?")


def _host(authority: str) -> str:
    host = authority.rpartition("@")[2]
    if host.startswith("["):  # an IPv6 literal keeps its colons
        return host.partition("]")[0] + "]"
    return host.partition(":")[0]


def _encode(text: str, safe: frozenset[str]) -> str:
    out: list[str] = []
    for i, char in enumerate(text):
        if char in safe:
            out.append(char)
        elif char == "%" and text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX:
            out.append(char)  # already an escape: encoding it again would change the URL
        else:
            # surrogatepass: a lone surrogate is encoded too, never a crash.
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    return "".join(out)
