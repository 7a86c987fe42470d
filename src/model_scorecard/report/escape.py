"""One escaping helper per output sink, for every piece of text that comes from the inputs.

Names, ids, vendors, sources, reasons, notes, rubric and shortlist titles, file names and
whatever the Hugging Face Hub answers are data: in no output may they become markup, a
terminal control sequence, a spreadsheet formula, a mention or a CI command. Each sink has
one helper, and every renderer sends input text through its sink's helper:

- **terminal** (rich): :func:`terminal_text` for one line, :func:`rich_text` for a rich
  ``Text`` (rich never parses markup in a ``Text``: ``[/]`` or ``[bold]`` stay as written),
  :func:`markup_safe` where code mixes its own markup with input text, and
  :func:`terminal_message` for multi-line messages on stderr. C0 and C1 control characters
  (ESC, so CSI and OSC sequences: screen clears, titles, hyperlinks) are shown as visible
  symbols (``␛``, ``␇``; C1 and bidirectional overrides as ``�``) and never reach the terminal;
  line breaks inside one value become spaces.
- **CSV**: :func:`csv_cell` for text cells: a cell that a spreadsheet would evaluate (first
  non-blank character ``= + - @``, or their full-width forms) is prefixed with ``'``. Numeric
  columns are never passed through it, so negative numbers stay numbers.
- **Markdown** (the report, the step summary, the pull-request comment): :func:`markdown_text`
  escapes what would become markup inline: raw HTML (``<``, entity references), links and
  images (``[`` ``]``), code spans, emphasis, table pipes; ``@name`` mentions and ``#123``
  references get a zero-width space after ``@``/``#`` so GitHub neither notifies nor links.
  :func:`markdown_code` shows an id as a code span that no backtick inside can end.
- **CI log**: :func:`workflow_data` and :func:`workflow_property` encode the values of a
  workflow command as the runner expects (``%25 %0D %0A``, and ``%3A %2C`` in properties).
  Every sink's output may end up in a CI log (a table on stdout, ``--format`` on stdout), so
  no helper lets input text start a line, and the terminal helpers also break ``::`` (GitHub
  reads ``::cmd::`` at the start of a line after leading blanks, and a terminal table may wrap
  a value onto a new line); every helper breaks ``##[`` / ``##vso[`` (read anywhere in a
  line): by a zero-width space, by Markdown's ``\\[``, or in HTML and JSON by a character
  reference that parses back to the same text.
- **XML** (JUnit): :func:`xml_text`; **HTML**: :func:`html_text`; **JSON** (gate result,
  SARIF): :func:`json_safe` on the serialised text.

Lone surrogates (which no UTF-8 output can carry) become ``�`` in every text sink.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape as _html_escape
from typing import Any

ZWSP = "\u200b"  # zero-width space: invisible, not blank to a CI runner, breaks a token in two

class _lazy:
    """A regular expression compiled on first use (start-up of `scorecard vram` pays for none)."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: Any, flags: int = 0):
        self._args = (pattern, flags)
        self._compiled: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


# Line breaks as Python, .NET and the Unicode standard count them ("\r\n" is one).
_BREAKS = _lazy("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates: they reorder what a terminal or page shows.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _visible_table(keep: str = "") -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20)}     # C0 as control pictures: ␛ ␇ ␀ …
    table[0x7F] = "\u2421"                                  # ␡
    table.update({c: "\ufffd" for c in range(0x80, 0xA0)})  # C1 (8-bit CSI, OSC …)
    table.update({ord(c): "\ufffd" for c in _BIDI})
    table.update({c: "\ufffd" for c in range(0xD800, 0xE000)})  # lone surrogates
    for c in keep:
        table.pop(ord(c), None)
    return table


# The translation tables (thousands of entries, the lone surrogates) are built on first use:
# `scorecard vram` starts without paying for them.
@lru_cache(maxsize=None)
def _tables() -> dict[str, dict[int, str]]:
    visible = _visible_table()
    return {
        "visible_multiline": _visible_table(keep="\n\t"),
        "visible_workflow": {**_visible_table(keep="\n\r"), ord("\t"): " ", 0x2028: " ", 0x2029: " "},
        "one_line_visible": {**visible, **_ONE_LINE},
    }

# CI commands: GitHub `::cmd::` at a line start; GitHub `##[cmd]` and Azure `##vso[cmd]` anywhere.
_DOUBLE_COLON = _lazy(r":(?=:)")
_HASH_BRACKET = _lazy(r"#(?=#(?:vso)?\[)", re.IGNORECASE)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


_ONE_LINE = {ord(c): " " for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t"}
# Anything _ONE_LINE_VISIBLE changes: most text has none, and a search is much cheaper than a translate.
_SPECIAL = _lazy("[\x00-\x1f\x7f-\x9f\u2028\u2029" + _BIDI + "\ud800-\udfff]")


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").translate(_ONE_LINE)


def _visible_line(text: str) -> str:
    """One line, every control character visible (the first step of every one-line sink)."""
    if _SPECIAL.search(text) is None:
        return text
    return text.replace("\r\n", " ").translate(_tables()["one_line_visible"])


def ci_log_safe(text: str) -> str:
    """``text`` with no ``::`` and no ``##[``/``##vso[`` left (a zero-width space between)."""
    if "::" in text:
        text = _DOUBLE_COLON.sub(":" + ZWSP, text)
    if "##" in text:
        text = _HASH_BRACKET.sub("#" + ZWSP, text)
    return text


# --------------------------------------------------------------------------- terminal

def terminal_text(value: Any) -> str:
    """One line of input text for the terminal: line breaks become spaces, control characters
    visible symbols, and nothing a CI runner would read as a command is left."""
    return ci_log_safe(_visible_line(_text(value)))


def terminal_message(value: Any) -> str:
    """A message of several lines for stderr: as :func:`terminal_text`, but line breaks (any
    kind) become ``\\n`` and tabs stay."""
    return ci_log_safe(_BREAKS.sub("\n", _text(value)).translate(_tables()["visible_multiline"]))


def rich_text(value: Any, style: str = "") -> Any:
    """Input text as a rich ``Text``: shown as written (no markup, no emoji codes), made safe
    by :func:`terminal_text`."""
    from rich.text import Text

    return Text(terminal_text(value), style=style)


def markup_safe(value: Any) -> str:
    """Input text to embed in a string that rich parses as markup (``f"[yellow]{…}[/]"``)."""
    from rich.markup import escape

    return escape(terminal_text(value))


# --------------------------------------------------------------------------- CSV

_FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet shows as text: one line, controls visible, and ``'`` before a
    cell whose first non-blank character would start a formula. Non-text values pass as they are."""
    if not isinstance(value, str):
        return value
    text = _visible_line(value)
    if "##" in text:
        text = _HASH_BRACKET.sub("#" + ZWSP, text)
    stripped = text.lstrip(" ")
    if stripped and stripped[0] in _FORMULA_START:
        text = "'" + text
    return text


# --------------------------------------------------------------------------- Markdown

_MD_BACKSLASHED = "\\`*[]|~"
_MD_BACKSLASH = _lazy(r"([\\`*\[\]|~])")
_MD_UNDERSCORE = _lazy(r"_(?:(?<![0-9A-Za-z]_)|(?![0-9A-Za-z]))")  # intraword `_` is never emphasis
_MD_AMPERSAND = _lazy(r"&(?=#?[0-9A-Za-z]+;?)")                  # only where an entity could start
_MD_GT = _lazy(r">(?:(?<!\s>)|(?!\s))")                           # `a > b` stays as written
_MD_MENTION = _lazy(r"@(?=[0-9A-Za-z])|#(?=[0-9])")


def markdown_text(value: Any) -> str:
    """Input text inline in GitHub-flavoured Markdown (a table cell, a list item, a heading):
    one line, shown as written, never HTML, a link, an image, a code span, a mention or an
    issue reference. (A line of our Markdown never starts with input text, and ``[`` is
    escaped, so a CI log that shows the Markdown reads no command in it.)"""
    text = _visible_line(_text(value))
    if "&" in text:
        text = _MD_AMPERSAND.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    if ">" in text:
        text = _MD_GT.sub("&gt;", text)
    if any(c in text for c in _MD_BACKSLASHED):  # a few substring checks beat one regex scan
        text = _MD_BACKSLASH.sub(r"\\\1", text)
    if "_" in text:
        text = _MD_UNDERSCORE.sub(r"\\_", text)
    if "@" in text or "#" in text:
        text = _MD_MENTION.sub(lambda m: m.group() + ZWSP, text)
    return text


_BACKTICKS = _lazy("`+")


def markdown_code(value: Any, in_table: bool = False) -> str:
    """Input text as a whole code span (backticks included): one line, controls visible, a fence
    longer than any run of backticks inside; ``in_table`` escapes ``|`` as a table cell needs."""
    text = _visible_line(_text(value))
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    if text[:1] == "`" or text[-1:] == "`" or (text[:1] == " " and text[-1:] == " " and text.strip(" ")):
        text = f" {text} "
    return f"{fence}{text}{fence}"


# --------------------------------------------------------------------------- CI log

def workflow_data(value: Any) -> str:
    """The message of a GitHub workflow command (``::error …::MESSAGE``): ``%``, CR and LF
    percent-encoded, so the command stays one line; other controls visible."""
    text = _text(value).translate(_tables()["visible_workflow"])
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(value: Any) -> str:
    """A property of a GitHub workflow command (``file=``, ``title=``): as data, plus ``:`` and ``,``."""
    return workflow_data(value).replace(":", "%3A").replace(",", "%2C")


# --------------------------------------------------------------------------- XML, HTML, JSON

# Characters XML 1.0 cannot carry, even escaped, and those it discourages (DEL, C1 controls:
# an 8-bit CSI or OSC would reach the terminal that shows the file).
_INVALID_XML = _lazy("[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any, one_line: bool = False) -> str:
    """Text for an XML element or attribute (the serialiser escapes ``& < >`` and quotes):
    characters XML cannot carry or discourages become ``�``; ``one_line`` turns line breaks
    into spaces; no ``##[`` CI command is left."""
    text = _text(value)
    if one_line:
        text = _one_line(text)
    text = _INVALID_XML.sub("\ufffd", text)
    if "##" in text:
        text = _HASH_BRACKET.sub("#" + ZWSP, text)
    return text


# C0/C1 controls (tab, LF and CR aside) and noncharacters are parse errors in HTML text.
_HTML_UNSAFE = _lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_HTML_CI = _lazy(r"(##(?:vso)?)\[", re.IGNORECASE)


def html_text(value: Any) -> str:
    """Text as HTML: escaped (quotes too, so it is safe in attributes), controls replaced;
    line breaks, and ``[`` after ``##``, as character references (the page reads the same)."""
    text = _html_escape(_HTML_UNSAFE.sub("\ufffd", _text(value)), quote=True)
    if "\n" in text or "\r" in text:
        text = text.replace("\r", "&#13;").replace("\n", "&#10;")
    if "##" in text:
        text = _HTML_CI.sub(r"\1&#91;", text)
    return text


_JSON_UNSAFE = _lazy("[\x7f-\x9f\u2028\u2029\ud800-\udfff" + _BIDI + "]")
_JSON_CI = _lazy(r"(##(?:vso)?)\[", re.IGNORECASE)


def json_safe(serialised: str) -> str:
    """JSON text (``ensure_ascii=False``) whose strings carry no raw DEL, C1, line or paragraph
    separator, bidirectional control or lone surrogate, and no ``##[`` a CI log reads as a
    command: each as a ``\\uXXXX`` escape, so the parsed document is unchanged."""
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", serialised)
    if "##" in text:
        text = _JSON_CI.sub(lambda m: m.group(1) + "\\u005b", text)
    return text


_JSON_UNSAFE_BYTES = _lazy(
    rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]|##(?:vso)?\[", re.IGNORECASE)


def _json_byte_escape(m: re.Match[bytes]) -> bytes:
    raw = m.group()
    if raw.endswith(b"["):
        return raw[:-1] + b"\\u005b"
    return b"\\u%04x" % ord(raw.decode("utf-8"))


def _maybe_json_unsafe(data: bytes) -> bool:
    """Whether ``data`` may hold a byte sequence :data:`_JSON_UNSAFE_BYTES` matches: a superset
    test made of ``bytes.find`` calls, several times faster than the pattern's scan, so the
    usual report (nothing to escape) skips it."""
    if b"\x7f" in data or b"##" in data:
        return True
    for lead, low, high in ((b"\xc2", 0x80, 0x9f), (b"\xe2\x80", 0xA8, 0xAE), (b"\xe2\x81", 0xA6, 0xA9)):
        step = len(lead)
        i = data.find(lead)
        while 0 <= i < len(data) - step:
            if low <= data[i + step] <= high:
                return True
            i = data.find(lead, i + 1)
    return False


def json_safe_bytes(serialised: bytes) -> bytes:
    """:func:`json_safe` for UTF-8 JSON bytes (orjson's output, or one chunk of it cut at a line
    end): the same escapes, without a decode and re-encode."""
    if not _maybe_json_unsafe(serialised):
        return serialised
    return _JSON_UNSAFE_BYTES.sub(_json_byte_escape, serialised)
