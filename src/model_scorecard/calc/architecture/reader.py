"""What every family builder shares: the config reader (class defaults, bounds), the standard
decoder keys, the parameter tally and the :class:`Architecture` record built from them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from model_scorecard.calc.architecture.model import (
    BREAKDOWN_KEYS,
    FULL_ATTENTION,
    LIMITS,
    MAX_OTHER,
    SLIDING_ATTENTION,
    Architecture,
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
        for k in (key, *aliases):  # the class default, under whichever name the class keeps it
            if k in self.defaults:
                self.defaults_used.append(self.prefix + k)
                return self.defaults[k]
        raise KeyError(f"no default for {key!r}")  # a programming error: every read field has a default

    def name_of(self, key: str, aliases: Sequence[str] = ()) -> str:
        """The field as the config names it (the first of key and aliases it has), with the prefix."""
        for k in (key, *aliases):
            if k in self.config:
                return self.prefix + k
        return self.prefix + key

    def integer(self, key: str, *aliases: str, minimum: int = 1) -> int:
        value = self.raw(key, *aliases)
        name = self.name_of(key, aliases)
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
            name = self.name_of(key, aliases)
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


def read_layer_types(reader: Reader, num_layers: int, derive: Callable[[], Iterable[str]],
                     allowed: tuple[str, ...] = (FULL_ATTENTION, SLIDING_ATTENTION), *,
                     located: bool = False) -> tuple[str, ...]:
    """The config's own ``layer_types`` when it has one (each of ``allowed``), else the class's
    derived pattern. ``located``: the error names the key as its field."""
    given = reader.config.get("layer_types")
    if given is None:
        return tuple(derive())
    if not isinstance(given, list) or len(given) != num_layers or any(t not in allowed for t in given):
        raise InvalidArchitectureConfig(
            f"{reader.prefix}layer_types must list one of {allowed} for each of the {num_layers} layers",
            reader.prefix + "layer_types" if located else None,
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
            "and the config gives no head_dim", reader.name_of("num_attention_heads")
        )
    return hidden // heads


def read_kv_heads(reader: Reader, heads: int, key: str = "num_key_value_heads", *aliases: str) -> int:
    value = reader.raw(key, *aliases)
    if value is None:
        return heads
    kv = reader.integer(key, *aliases)
    if heads % kv:
        raise InvalidArchitectureConfig(f"{reader.prefix}{key} {kv} does not divide num_attention_heads {heads}",
                                        reader.name_of(key, aliases))
    return kv


def moe_active_params(total: int, tally: Tally, num_moe_layers: int, k: int, per_expert: int) -> int:
    return total - tally.parts["experts"] + num_moe_layers * k * per_expert


# --------------------------------------------------------------------------- the standard keys and the record


def stored_head_dim(reader: Reader, hidden: int, heads: int) -> int:
    """The ``head_dim`` the config (else the class default) states, whatever hidden // heads is."""
    return reader.integer("head_dim")


def split_head_dim(reader: Reader, hidden: int, heads: int) -> int:
    """hidden_size // num_attention_heads, for a class that reads no ``head_dim``."""
    if hidden % heads:
        raise InvalidArchitectureConfig(f"{reader.prefix}hidden_size {hidden} is not a multiple of num_attention_heads "
                                        f"{heads}", reader.prefix + "hidden_size")
    return hidden // heads


class DecoderDims(NamedTuple):
    """The standard decoder keys, in the order the builders read them (see :func:`read_decoder_dims`)."""

    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int  # 0 where the family derives its own (DeepSeek's MLA)
    vocab: int
    intermediate: int | None  # None where the family reads its MLP width itself
    tied: bool | None  # None where the family reads tie_word_embeddings itself


def read_decoder_dims(reader: Reader, head_dim: Callable[[Reader, int, int], int] | None = read_head_dim, *,
                      intermediate: bool = True, tied: bool = True) -> DecoderDims:
    """Reads, in this order, ``num_hidden_layers``, ``hidden_size``, ``num_attention_heads``,
    ``num_key_value_heads`` (null: one per query head), the head width (``head_dim``: how the
    family's class derives it; None: not read), ``vocab_size`` and, unless told not to,
    ``intermediate_size`` and ``tie_word_embeddings``."""
    n = reader.integer("num_hidden_layers")
    h = reader.integer("hidden_size")
    heads = reader.integer("num_attention_heads")
    kv = read_kv_heads(reader, heads)
    d = 0 if head_dim is None else head_dim(reader, h, heads)
    vocab = reader.integer("vocab_size")
    inter = reader.integer("intermediate_size") if intermediate else None
    tie = reader.boolean("tie_word_embeddings") if tied else None
    return DecoderDims(n, h, heads, kv, d, vocab, inter, tie)


def attention_params(h: int, heads: int, kv: int, d: int, bias: bool, o_bias: bool | None = None) -> int:
    """q/k/v projections of ``heads`` query and ``kv`` KV heads of width ``d``, and the output
    projection (biased when ``o_bias``; the q/k/v ``bias`` when None)."""
    return (linear_params(h, heads * d, bias) + 2 * linear_params(h, kv * d, bias)
            + linear_params(heads * d, h, bias if o_bias is None else o_bias))


def gated_mlp_params(h: int, width: int, bias: bool = False) -> int:
    """A gated (SwiGLU/GeGLU) MLP ``width`` wide: gate and up projections, and down."""
    return 2 * linear_params(h, width, bias) + linear_params(width, h, bias)


def moe_fields(layers: Sequence[int], experts: int | None, k: int | None, width: int | None, *,
               shared: int = 0, shared_width: int | None = None) -> dict[str, Any]:
    """The MoE fields of an :class:`Architecture` that routes on ``layers`` to ``experts`` experts
    ``width`` wide (``k`` per token), beside ``shared`` shared experts ``shared_width`` wide in all;
    none (the record's dense defaults) when no layer routes."""
    if not layers:
        return {}
    return {"num_experts": experts, "experts_per_token": k, "moe_intermediate_size": width,
            "num_shared_experts": shared, "shared_expert_intermediate_size": shared_width,
            "first_dense_layers": layers[0], "moe_layer_indices": tuple(layers)}


def decoder_architecture(reader: Reader, tally: Tally, dims: DecoderDims, *, model_type: str, family: str,
                         counted_class: str, defaults_before: Sequence[str] = (),
                         defaults_after: Sequence[str] = (), **fields: Any) -> Architecture:
    """The :class:`Architecture` of ``dims`` and ``tally``: every parameter active, a gated MLP,
    full attention on every layer, no window -- unless ``fields`` says otherwise (any field of
    the record; what it names wins). ``max_position_embeddings`` is read last, unless given;
    ``defaults_used`` is ``defaults_before``, the reader's, then ``defaults_after``."""
    if "max_position_embeddings" not in fields:
        fields["max_position_embeddings"] = reader.opt_integer("max_position_embeddings")
    total = tally.total
    record: dict[str, Any] = {
        "num_layers": dims.layers, "hidden_size": dims.hidden, "num_heads": dims.heads, "num_kv_heads": dims.kv_heads,
        "head_dim": dims.head_dim, "intermediate_size": dims.intermediate, "gated_mlp": True,
        "vocab_size": dims.vocab, "tie_word_embeddings": dims.tied, "sliding_window": None,
        "layer_types": (FULL_ATTENTION,) * dims.layers, "total_params": total, "active_params": total,
        "param_breakdown": MappingProxyType(dict(tally.parts)),
        "defaults_used": (*defaults_before, *reader.defaults_used, *defaults_after),
    }
    return Architecture(model_type=model_type, family=family, counted_class=counted_class, **{**record, **fields})
