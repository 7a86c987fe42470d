"""Parsing and formatting of the quantities people write: ``70B``, ``7.2b``, ``128k``, ``35 GB``.

Conventions (the same as vLLM's ``--max-model-len``): for token counts a lower-case
suffix is decimal (``128k`` = 128,000) and an upper-case one binary (``128K`` = 131,072),
so an OpenAI "128,000-token" window is ``128k`` and Llama 3.1's 131,072 is ``128K``.
Parameter counts are always decimal (``70B`` = ``70b`` = 70 × 10⁹), as vendors use them.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_NUMBER = r"(?P<num>[0-9][0-9_,]*(?:\.[0-9]+)?|\.[0-9]+)"
_PARAMS = re.compile(_NUMBER + r"\s*(?P<suf>[kKmMbBtT]?)$")
_TOKENS = re.compile(_NUMBER + r"\s*(?P<suf>(?:[kKmM]i?)?)$")
_BYTES = re.compile(_NUMBER + r"\s*(?P<suf>(?:[kKMGTP]i?)?B)?$")

_PARAM_SCALE = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}
_TOKEN_SCALE = {"": 1, "k": 10**3, "m": 10**6, "K": 2**10, "M": 2**20, "Ki": 2**10, "Mi": 2**20, "ki": 2**10, "mi": 2**20}
_BYTE_SCALE = {"": 1, "B": 1, "kB": 10**3, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "PB": 10**15,
               "KiB": 2**10, "kiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "PiB": 2**50}


def _scaled(text: str, num: str, scale: int, what: str) -> int:
    try:
        value = Decimal(num.replace("_", "").replace(",", "")) * scale
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise ValueError(f"{text!r} is not a {what}") from None
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
    return result


def parse_params(value: object) -> int:
    """``70B`` → 70_000_000_000; ``7.2b``, ``1.5T``, ``350M``, ``12_000`` or a number."""
    number = _number(value, "parameter count")
    if number is not None:
        return number
    text = str(value).strip()
    m = _PARAMS.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a parameter count (examples: 70B, 7.2b, 1.5T, 350M)")
    return _scaled(text, m["num"], _PARAM_SCALE[m["suf"].lower()], "parameter count")


def parse_tokens(value: object) -> int:
    """``128k`` → 128_000; ``128K`` → 131_072; ``1M`` → 1_048_576; ``1m`` → 1_000_000."""
    number = _number(value, "token count")
    if number is not None:
        return number
    text = str(value).strip()
    m = _TOKENS.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a token count (examples: 8192, 128k, 128K, 1M)")
    return _scaled(text, m["num"], _TOKEN_SCALE[m["suf"]], "token count")


def parse_bytes(value: object) -> int:
    """``35 GB`` → 35×10⁹; ``80GiB`` → 80×2³⁰; a bare number is bytes."""
    number = _number(value, "byte count")
    if number is not None:
        return number
    text = str(value).strip()
    m = _BYTES.match(text)
    if not m or (m["suf"] or "") not in _BYTE_SCALE:
        raise ValueError(f"{text!r} is not a size (examples: 35 GB, 80 GiB, 24000000000)")
    return _scaled(text, m["num"], _BYTE_SCALE[m["suf"] or ""], "byte")


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
