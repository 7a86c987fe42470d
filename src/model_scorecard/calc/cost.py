"""Cost arithmetic: pure functions, units in their names, every assumption a parameter."""

from __future__ import annotations

import math

from model_scorecard.calc.ranges import Range


def blended_usd_per_1k_tokens(input_usd_per_1m: float, output_usd_per_1m: float,
                              input_tokens: int, output_tokens: int) -> float:
    """Price of 1k tokens of traffic with the given input:output mix.

    The workload's own mix is the honest blend: a RAG or agent request (2,000 in, 500
    out) is mostly input, so a fixed 3:1 blend misprices it. Pass 3 and 1 for the
    Artificial Analysis convention.
    """
    total = input_tokens + output_tokens
    if total <= 0:
        raise ValueError("a request needs at least one token")
    usd_per_request = (input_tokens * input_usd_per_1m + output_tokens * output_usd_per_1m) / 1e6
    return usd_per_request / total * 1000


def egress_usd_per_1k_tokens(bytes_per_token: float, usd_per_gb: float) -> float:
    """Internet egress for 1k output tokens: ~4 KB of text, so negligible for text."""
    return 1000 * bytes_per_token / 1e9 * usd_per_gb


def carbon_eur_per_1k_tokens(g_co2e_per_1k_tokens: float, eur_per_t_co2e: float) -> float:
    """Carbon cost of 1k tokens at a carbon price (1 t = 10⁶ g)."""
    return g_co2e_per_1k_tokens / 1e6 * eur_per_t_co2e


# --------------------------------------------------------------------------- self-hosted

#: Bytes of UTF-8 text per token, roughly (English; 1k tokens ≈ 4 KB).
TEXT_BYTES_PER_TOKEN = 4.0


def _check(name: str, value: float, *, positive: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'non-negative'}, got {value!r}")


def _check_utilisation(utilisation: float) -> None:
    _check("utilisation", utilisation, positive=True)
    if utilisation > 1:
        raise ValueError(f"utilisation is a share of paid time (0 < u <= 1), got {utilisation!r}")


def self_hosted_usd_per_1k_tokens(usd_per_gpu_hour: float, gpus: int, tokens_per_s: float,
                                  utilisation: float) -> float:
    """GPU rent of 1k tokens: 1000·N·p / (3600·T·u).

    ``gpus`` (N) per replica at ``usd_per_gpu_hour`` (p), ``tokens_per_s`` (T) the replica's
    throughput at the load it runs, ``utilisation`` (u) the share of paid time it serves
    at that load. Pass prefill throughput for input tokens, decode throughput for output.
    """
    _check("usd_per_gpu_hour", usd_per_gpu_hour)
    _check("gpus", gpus, positive=True)
    _check("tokens_per_s", tokens_per_s, positive=True)
    _check_utilisation(utilisation)
    return 1000 * gpus * usd_per_gpu_hour / (3600 * tokens_per_s * utilisation)


def self_hosted_blended_usd_per_1k_tokens(usd_per_gpu_hour: float, gpus: int, prefill_tokens_per_s: float,
                                          decode_tokens_per_s: float, utilisation: float,
                                          input_tokens: int, output_tokens: int) -> float:
    """Self-hosted cost of 1k tokens of traffic with the workload's input:output mix.

    c_in and c_out (:func:`self_hosted_usd_per_1k_tokens` at the prefill and decode
    throughputs) blended by token counts. This equals the GPU time a request takes
    (input/T_prefill + output/T_decode) priced per 1k of its tokens.
    """
    total = input_tokens + output_tokens
    if input_tokens < 0 or output_tokens < 0 or total <= 0:
        raise ValueError("a request needs at least one token and no negative counts")
    c_in = self_hosted_usd_per_1k_tokens(usd_per_gpu_hour, gpus, prefill_tokens_per_s, utilisation)
    c_out = self_hosted_usd_per_1k_tokens(usd_per_gpu_hour, gpus, decode_tokens_per_s, utilisation)
    return (input_tokens * c_in + output_tokens * c_out) / total


def usd_per_image(usd_per_gpu_hour: float, gpus: int, seconds_per_image: float, utilisation: float) -> float:
    """GPU rent of one generated image: N·p·seconds_per_image / 3600 / u."""
    _check("usd_per_gpu_hour", usd_per_gpu_hour)
    _check("gpus", gpus, positive=True)
    _check("seconds_per_image", seconds_per_image, positive=True)
    _check_utilisation(utilisation)
    return gpus * usd_per_gpu_hour * seconds_per_image / 3600 / utilisation


def egress_usd(bytes_out: float, usd_per_gb: float) -> float:
    """Internet egress for ``bytes_out`` bytes at a price per GB (10⁹ bytes)."""
    _check("bytes_out", bytes_out)
    _check("usd_per_gb", usd_per_gb)
    return bytes_out / 1e9 * usd_per_gb


def audio_bytes(seconds: float, kbit_per_s: float) -> float:
    """Bytes of an audio stream: seconds × bitrate (e.g. 128 kbit/s MP3 ≈ 16 KB/s)."""
    _check("seconds", seconds)
    _check("kbit_per_s", kbit_per_s)
    return seconds * kbit_per_s * 1000 / 8


def _price_band(usd_per_gpu_hour: Range | tuple[float, float] | float) -> Range:
    if isinstance(usd_per_gpu_hour, Range):
        return usd_per_gpu_hour
    if isinstance(usd_per_gpu_hour, tuple):
        low, high = usd_per_gpu_hour
        return Range(low, (low + high) / 2, high)
    return Range.point(float(usd_per_gpu_hour))


def self_hosted_usd_per_1k_tokens_range(usd_per_gpu_hour: Range | tuple[float, float] | float, gpus: int,
                                        prefill_tokens_per_s: Range, decode_tokens_per_s: Range,
                                        utilisation: float, input_tokens: int, output_tokens: int) -> Range:
    """:func:`self_hosted_blended_usd_per_1k_tokens` over ranges of price and throughput.

    ``low`` pairs the lowest price with the highest throughputs, ``high`` the highest price
    with the lowest; ``likely`` takes the likely throughputs and the price's likely value
    (the midpoint of a ``(low, high)`` tuple, such as a GPU's on-demand range).
    """
    price = _price_band(usd_per_gpu_hour)

    def cost(p: float, t_in: float, t_out: float) -> float:
        return self_hosted_blended_usd_per_1k_tokens(p, gpus, t_in, t_out, utilisation, input_tokens, output_tokens)

    return Range(cost(price.low, prefill_tokens_per_s.high, decode_tokens_per_s.high),
                 cost(price.likely, prefill_tokens_per_s.likely, decode_tokens_per_s.likely),
                 cost(price.high, prefill_tokens_per_s.low, decode_tokens_per_s.low))


def usd_per_image_range(usd_per_gpu_hour: Range | tuple[float, float] | float, gpus: int,
                        seconds_per_image: Range | float, utilisation: float) -> Range:
    """:func:`usd_per_image` with the low price and short time at ``low``, and vice versa."""
    price = _price_band(usd_per_gpu_hour)
    seconds = seconds_per_image if isinstance(seconds_per_image, Range) else Range.point(float(seconds_per_image))
    return Range(usd_per_image(price.low, gpus, seconds.low, utilisation),
                 usd_per_image(price.likely, gpus, seconds.likely, utilisation),
                 usd_per_image(price.high, gpus, seconds.high, utilisation))
