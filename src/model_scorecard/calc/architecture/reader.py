"""The one config reader every family shares: class defaults, bounds, and the parameter tally."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from model_scorecard.calc.architecture.model import (
    BREAKDOWN_KEYS,
    FULL_ATTENTION,
    LIMITS,
    MAX_OTHER,
    SLIDING_ATTENTION,
    InvalidArchitectureConfig,
    shown,
)

# --------------------------------------------------------------------------- reading


class Reader:
    """Reads config fields with transformers' class defaults, recording which were defaulted."""

    def __init__(self, config: Mapping[str, Any], defaults: Mapping[str, Any], prefix: str = ""):
        if not isinstance(config, Mapping):
            raise InvalidArchitectureConfig(f"{prefix.rstrip('.') or 'config'} must be a JSON object")
        self.config = config
        self.defaults = defaults
        self.prefix = prefix
        self.defaults_used: list[str] = []

    def has(self, *keys: str) -> bool:
        return any(k in self.config for k in keys)

    def raw(self, key: str, *aliases: str) -> Any:
        for k in (key, *aliases):
            if k in self.config:
                return self.config[k]
        if key not in self.defaults:  # a programming error: every read field has a default
            raise KeyError(f"no default for {key!r}")
        self.defaults_used.append(self.prefix + key)
        return self.defaults[key]

    def _name(self, key: str, aliases: Sequence[str]) -> str:
        for k in (key, *aliases):
            if k in self.config:
                return self.prefix + k
        return self.prefix + key

    def integer(self, key: str, *aliases: str, minimum: int = 1) -> int:
        value = self.raw(key, *aliases)
        name = self._name(key, aliases)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InvalidArchitectureConfig(f"{name} must be an integer >= {minimum}, got {shown(value)}", name)
        limit = LIMITS.get(name.rsplit(".", 1)[-1], MAX_OTHER)
        if value > limit:
            raise InvalidArchitectureConfig(
                f"{name} is {shown(value)}, above the limit of {limit:,}: no model comes near it "
                "(is the config.json corrupt?)", name)
        return value

    def opt_integer(self, key: str, *aliases: str, minimum: int = 1) -> int | None:
        """An integer, or None where the config (or the class default) says null."""
        if self.raw(key, *aliases) is None:
            return None
        return self.integer(key, *aliases, minimum=minimum)

    def boolean(self, key: str, *aliases: str) -> bool:
        value = self.raw(key, *aliases)
        if not isinstance(value, bool):
            name = self._name(key, aliases)
            raise InvalidArchitectureConfig(f"{name} must be true or false, got {shown(value)}", name)
        return value

    def int_list(self, key: str) -> list[int]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise InvalidArchitectureConfig(f"{self.prefix}{key} must be a list of layer indices, got "
                                            f"{shown(value)}", self.prefix + key)
        return value


class Tally:
    """Parameter counts by category."""

    def __init__(self) -> None:
        self.parts = dict.fromkeys(BREAKDOWN_KEYS, 0)

    def add(self, part: str, count: int) -> None:
        self.parts[part] += count

    @property
    def total(self) -> int:
        return sum(self.parts.values())


def linear_params(d_in: int, d_out: int, bias: bool) -> int:
    return d_in * d_out + (d_out if bias else 0)


def read_layer_types(reader: Reader, num_layers: int, derive: Callable[[], Iterable[str]]) -> tuple[str, ...]:
    """The config's own ``layer_types`` when it has one, else the class's derived pattern."""
    given = reader.config.get("layer_types")
    if given is None:
        return tuple(derive())
    allowed = (FULL_ATTENTION, SLIDING_ATTENTION)
    if not isinstance(given, list) or len(given) != num_layers or any(t not in allowed for t in given):
        raise InvalidArchitectureConfig(
            f"{reader.prefix}layer_types must list one of {allowed} for each of the {num_layers} layers"
        )
    return tuple(given)


def read_head_dim(reader: Reader, hidden: int, heads: int) -> int:
    """An explicit ``head_dim`` (config, else class default) when set, else hidden // heads."""
    explicit = reader.has("head_dim") or "head_dim" in reader.defaults
    if explicit and reader.raw("head_dim") is not None:
        return reader.integer("head_dim")
    if hidden % heads:
        raise InvalidArchitectureConfig(
            f"{reader.prefix}hidden_size {hidden} is not a multiple of num_attention_heads {heads} "
            "and the config gives no head_dim"
        )
    return hidden // heads


def read_kv_heads(reader: Reader, heads: int, key: str = "num_key_value_heads", *aliases: str) -> int:
    value = reader.raw(key, *aliases)
    if value is None:
        return heads
    kv = reader.integer(key, *aliases)
    if heads % kv:
        raise InvalidArchitectureConfig(f"{reader.prefix}{key} {kv} does not divide num_attention_heads {heads}")
    return kv


def moe_active_params(total: int, tally: Tally, num_moe_layers: int, k: int, per_expert: int) -> int:
    return total - tally.parts["experts"] + num_moe_layers * k * per_expert


