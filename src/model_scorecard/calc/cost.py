"""Cost arithmetic: pure functions, units in their names, every assumption a parameter."""

from __future__ import annotations


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
