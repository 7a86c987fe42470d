"""Parsing and formatting of the quantities people write: ``70B``, ``7.2b``, ``128k``, ``35 GB``.

Conventions (the same as vLLM's ``--max-model-len``): for token counts a lower-case
suffix is decimal (``128k`` = 128,000) and an upper-case one binary (``128K`` = 131,072),
so an OpenAI "128,000-token" window is ``128k`` and Llama 3.1's 131,072 is ``128K``.
Parameter counts are always decimal (``70B`` = ``70b`` = 70 × 10⁹), as vendors use them.

Digits may be grouped by thousands with ``,`` or ``_`` (``7,500B``, ``8_030_261_248``), in
real groups of three only: ``7,5B`` is an error, never 75 billion. Every quantity has an upper
bound (:data:`MAX_PARAMS`, :data:`MAX_TOKENS`, :data:`MAX_BYTES`) far above any real model
or GPU and low enough that no figure computed from it leaves the range of a float or of a
64-bit integer; a value beyond it is refused with a message (a ``ValueError``; the CLI exits 2).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from model_scorecard.errors import UserError

#: The most parameters (or pretraining tokens) a count may state: 10^15, 500× the largest model.
MAX_PARAMS = 10**15
#: The most tokens a context window, output limit or ``--context`` may state: 2^32, 400× the
#: longest context any model states.
MAX_TOKENS = 2**32
#: The largest size in bytes (a GPU's memory): 2^60 (1 EiB).
MAX_BYTES = 2**60
#: The largest plain count read from outside (downloads, integrations …): 2^53 − 1, the largest
#: integer every JSON reader keeps exactly.
MAX_COUNT = 2**53 - 1

#: The largest magnitude of a real-valued figure read from outside (a price, a speed, a score,
#: a carbon price): 10^15; and, unless it is 0, the smallest is 10^-15. Products, quotients
#: and sums of a few such figures stay far inside a float, so no derived figure becomes infinite.
MAX_MAGNITUDE = 1e15
#: The most concurrent requests (or images) one estimate may batch: 2^20.
MAX_BATCH = 2**20


class OutOfRange(UserError, ValueError):
    """A quantity beyond its bound, or a figure computed from quantities within bounds that
    leaves what a float or a 64-bit integer holds: bad input (exit 2), never a crash."""


def require_finite(value: float, what: str) -> float:
    """``value`` when it is a finite number; :class:`OutOfRange` (exit 2) for NaN or infinity."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise OutOfRange(f"{what} must be a finite number, got {value!r}")
    return value


# digits, with thousands separators only in real groups of three (one kind of separator)
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:_[0-9]{3})+|[0-9]+)"
_NUMBER = r"(?P<num>" + _DIGITS + r"(?:\.[0-9]+)?|\.[0-9]+)"
#: The same numbers without named groups, for JSON Schema patterns (ECMA-262 regular expressions).
_PLAIN_NUMBER = r"(?:" + _DIGITS + r"(?:\.[0-9]+)?|\.[0-9]+)"
#: What a parameter count written as text looks like (``70B``, ``7.2b``, ``1.5T``), for JSON Schema.
PARAMS_PATTERN = r"^\s*" + _PLAIN_NUMBER + r"\s*[kKmMbBtT]?\s*$"
#: What a token count written as text looks like (``8192``, ``128k``, ``128K``, ``1M``), for JSON Schema.
TOKENS_PATTERN = r"^\s*" + _PLAIN_NUMBER + r"\s*(?:[kKmM]i?)?\s*$"
#: What looks like a number with separators, well grouped or not (to say what is wrong).
LOOSE_NUMBER = r"[0-9][0-9_,]*(?:\.[0-9]*)?"
_LOOSE = re.compile(LOOSE_NUMBER + r"\s*[A-Za-z]*$")
_PARAMS = re.compile(_NUMBER + r"\s*(?P<suf>[kKmMbBtT]?)$")
_TOKENS = re.compile(_NUMBER + r"\s*(?P<suf>(?:[kKmM]i?)?)$")
_BYTES = re.compile(_NUMBER + r"\s*(?P<suf>(?:[kKMGTP]i?)?B)?$")

_PARAM_SCALE = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}
_TOKEN_SCALE = {"": 1, "k": 10**3, "m": 10**6, "K": 2**10, "M": 2**20, "Ki": 2**10, "Mi": 2**20, "ki": 2**10, "mi": 2**20}
_BYTE_SCALE = {"": 1, "B": 1, "kB": 10**3, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "PB": 10**15,
               "KiB": 2**10, "kiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "PiB": 2**50}


_LIMITS = {"parameter count": MAX_PARAMS, "token count": MAX_TOKENS, "byte count": MAX_BYTES}


def _shown(value: object) -> str:
    """A value for a message, never a page of digits."""
    if isinstance(value, int):
        return f"{value:,}" if value.bit_length() <= 200 else f"a number of {value.bit_length()} bits"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


def _bounded(result: int | Decimal, value: object, what: str) -> None:
    limit = _LIMITS[what]
    if result > limit:
        raise ValueError(f"{_shown(value)} is above the limit of {limit:,} for a {what}")


def _bad_grouping(text: str, what: str, examples: str) -> ValueError:
    """The error for ``text``: a specific one when its digit groups are what is wrong."""
    if _LOOSE.match(text) and ("," in text or "_" in text):
        return ValueError(f"{text!r} is not a {what}: ',' and '_' may only separate groups of three digits "
                          "(7,500B; 8_030_261_248); a decimal point is '.' (7.5B)")
    return ValueError(f"{text!r} is not a {what} (examples: {examples})")


def _scaled(text: str, num: str, scale: int, what: str) -> int:
    try:
        value = Decimal(num.replace("_", "").replace(",", "")) * scale
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise ValueError(f"{text!r} is not a {what}") from None
    _bounded(value, text, what)  # before int(): no huge integer is ever built
    if value != value.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number ({what})")
    return int(value)


def _number(value: object, what: str) -> int | None:
    """A plain int or integral float; None when ``value`` is text to parse."""
    if isinstance(value, bool):
        raise ValueError(f"expected a {what}, got a boolean")
    if isinstance(value, int):
        result = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number")
        if value != int(value):
            raise ValueError(f"{value!r} is not a whole number ({what})")
        result = int(value)
    elif isinstance(value, str):
        return None
    else:
        raise ValueError(f"expected a {what} such as 70B or 128k, got {type(value).__name__}")
    if result < 0:
        raise ValueError(f"{what} cannot be negative")
    _bounded(result, value, what)
    return result


def parse_params(value: object) -> int:
    """``70B`` → 70_000_000_000; ``7.2b``, ``1.5T``, ``350M``, ``12_000`` or a number."""
    number = _number(value, "parameter count")
    if number is not None:
        return number
    text = str(value).strip()
    m = _PARAMS.match(text)
    if not m:
        raise _bad_grouping(text, "parameter count", "70B, 7.2b, 1.5T, 350M")
    return _scaled(text, m["num"], _PARAM_SCALE[m["suf"].lower()], "parameter count")


def parse_tokens(value: object) -> int:
    """``128k`` → 128_000; ``128K`` → 131_072; ``1M`` → 1_048_576; ``1m`` → 1_000_000."""
    number = _number(value, "token count")
    if number is not None:
        return number
    text = str(value).strip()
    m = _TOKENS.match(text)
    if not m:
        raise _bad_grouping(text, "token count", "8192, 128k, 128K, 1M")
    return _scaled(text, m["num"], _TOKEN_SCALE[m["suf"]], "token count")


def parse_bytes(value: object) -> int:
    """``35 GB`` → 35×10⁹; ``80GiB`` → 80×2³⁰; a bare number is bytes."""
    number = _number(value, "byte count")
    if number is not None:
        return number
    text = str(value).strip()
    m = _BYTES.match(text)
    if not m or (m["suf"] or "") not in _BYTE_SCALE:
        raise _bad_grouping(text, "byte count", "35 GB, 80 GiB, 24000000000")
    return _scaled(text, m["num"], _BYTE_SCALE[m["suf"] or ""], "byte count")


def format_params(n: int | float) -> str:
    """70_553_706_496 → ``70.6B``; 8_030_261_248 → ``8.03B``."""
    for scale, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k")):
        if abs(n) >= scale:
            x = n / scale
            return f"{x:.3g}{suffix}" if x < 100 else f"{x:.0f}{suffix}"
    return f"{n:g}"


def format_tokens(n: int) -> str:
    """131_072 → ``128K`` (binary), 128_000 → ``128k`` (decimal), else digits with commas."""
    for scale, suffix in ((10**6, "m"), (2**20, "M"), (10**3, "k"), (2**10, "K")):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{suffix}"
    return f"{n:,}"


def format_value(value: object) -> str:
    """A fact's value as people read it in a reason or a report: ``true``/``false``, floats to six
    significant digits, dates as ISO, mappings and lists joined, unknown as an em dash."""
    from datetime import date

    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    return str(value)
