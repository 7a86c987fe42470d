"""The ground every input model stands on: the strict base class, facts with provenance, and the
field types (dates, counts, sizes, slugs) the catalog, workload, rubric and data files share.

Kept apart from the catalog's models so that a data table (GPUs, carbon presets, licences) is
validated without building the catalog schema.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from model_scorecard.units import (
    MAX_BYTES,
    MAX_COUNT,
    MAX_MAGNITUDE,
    MAX_PARAMS,
    MAX_TOKENS,
    PARAMS_PATTERN,
    TOKENS_PATTERN,
    parse_params,
    parse_tokens,
)

T = TypeVar("T")

#: What a model is: the kinds a catalog entry and a workload name.
Kind = Literal["llm", "diffusion-image", "diffusion-llm", "embedding", "speech"]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Strict(BaseModel):
    """Base of every input model: unknown fields are errors, numbers are real numbers.

    Numbers are finite (no NaN or infinity) and bounded: an integer by :func:`integer_limit`
    of its field's name (a fact's value by the field that holds the fact), a real number by
    ``units.MAX_MAGNITUDE`` (and, unless 0, at least its reciprocal); so no figure read from
    a file, nor any computed from a few of them, leaves what a float, a 64-bit integer and
    JSON hold."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False,
                              populate_by_name=True)

    @model_validator(mode="after")
    def _bounded_integers(self) -> Strict:
        for name, value in self.__dict__.items():
            if isinstance(value, Fact):
                value = value.value
            kind = type(value)
            if kind is int and value > 1_000 and value > (limit := integer_limit(name)):
                shown = f"{value:,}" if value.bit_length() <= 200 else f"a number of {value.bit_length()} bits"
                raise ValueError(f"{name}: {shown} is above the limit of {limit:,}")
            if kind is float and value:
                if abs(value) > (bound := _REAL_LIMITS.get(name, MAX_MAGNITUDE)):
                    raise ValueError(f"{name}: {value:g} is beyond the limit of ±{bound:g} for a figure")
                if abs(value) < 1 / MAX_MAGNITUDE:  # its reciprocal (a share divided by) would be beyond
                    raise ValueError(f"{name}: {value:g} is closer to zero than {1 / MAX_MAGNITUDE:g}, too small "
                                     "to be a figure")
        return self


#: Bounds of integer fields by name, beyond the generic MAX_COUNT (see :func:`integer_limit`).
_TOKEN_FIELDS = ("input_tokens", "output_tokens", "prompt_tokens", "context_window", "max_output_tokens")
_ARCHITECTURE_KEYS = {"num_layers": "num_hidden_layers", "hidden_size": "hidden_size",
                      "num_heads": "num_attention_heads", "num_kv_heads": "num_key_value_heads",
                      "head_dim": "head_dim", "vocab_size": "vocab_size", "num_experts": "num_experts",
                      "experts_per_token": "num_experts_per_tok", "sliding_window": "sliding_window"}


# a GPU's memory (tables/gpu_file.py rows) at most units.MAX_BYTES, in each unit it may be given in
_MEMORY_LIMITS = {"memory_bytes": MAX_BYTES, "memory_mib": MAX_BYTES // 2**20}
_REAL_LIMITS = {"memory_gib": MAX_BYTES / 2**30, "memory_gb": MAX_BYTES / 1e9}


def integer_limit(field: str) -> int:
    """The largest integer a catalog, workload or GPU-file field may hold: a token count's bound
    for tokens per request or context, calc.architecture's for a config.json figure,
    ``units.MAX_BYTES`` for a GPU's memory, else 2^53 − 1."""
    if field in _TOKEN_FIELDS:
        return MAX_TOKENS
    if field in _MEMORY_LIMITS:
        return _MEMORY_LIMITS[field]
    if field in _ARCHITECTURE_KEYS:
        from model_scorecard.calc.architecture import LIMITS

        return LIMITS[_ARCHITECTURE_KEYS[field]]
    return MAX_COUNT


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD") from None
    return value


def _as_partial_date(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and not _PARTIAL_DATE.match(value.strip()):
        raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY (leave it out when unknown)")
    return value.strip() if isinstance(value, str) else value


class Described:
    """Names a field type in the JSON Schema an editor reads: a title (the type's name, which
    also names a fact of it: ``PercentFact``), a description and examples. Validation is
    unchanged."""

    def __init__(self, name: str, description: str, examples: tuple[Any, ...] = ()) -> None:
        self.name, self.description, self.examples = name, description, examples

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = dict(handler(core_schema))
        schema.update(title=self.name, description=self.description)
        if self.examples:
            schema["examples"] = list(self.examples)
        return schema


def written_as(name: str, description: str, *forms: dict[str, Any], examples: tuple[Any, ...]) -> WithJsonSchema:
    """The JSON Schema of a field parsed from text (a count written ``70B``): the forms a
    file may use, as an editor should check them."""
    return WithJsonSchema({"title": name, "description": description, "anyOf": list(forms), "examples": list(examples)})


def type_name(tp: Any) -> str:
    """A readable name for a field type (``ParamCount``, ``Bool``, ``LanguageCodeList``): the
    name its :class:`Described` or JSON Schema title gives, else one built from the type."""
    meta = getattr(tp, "__metadata__", ())
    for m in meta:
        if isinstance(m, Described):
            return m.name
        if isinstance(m, WithJsonSchema) and isinstance(m.json_schema, dict) and "title" in m.json_schema:
            return str(m.json_schema["title"])
    origin = typing.get_origin(tp)
    if meta:
        return type_name(typing.get_args(tp)[0])
    if origin is list:
        return type_name(typing.get_args(tp)[0]) + "List"
    if origin is Literal:
        return "".join(str(v).replace("-", " ").title().replace(" ", "") for v in typing.get_args(tp))
    names = {bool: "Bool", int: "Integer", float: "Number", str: "Text", date: "Date"}
    return names.get(tp, re.sub(r"[^A-Za-z0-9]", "", getattr(tp, "__name__", "Value")))


Date = Annotated[date, BeforeValidator(_as_date, json_schema_input_type=str),
                 WithJsonSchema({"title": "Date", "type": "string", "format": "date",
                                 "pattern": r"^\s*\d{4}-\d{2}-\d{2}\s*$",
                                 "description": "a calendar date, YYYY-MM-DD", "examples": ["2024-04-18"]})]
AsOf = Annotated[str, BeforeValidator(_as_partial_date, json_schema_input_type=str),
                 WithJsonSchema({"title": "AsOf", "type": "string", "pattern": r"^\s*\d{4}(-\d{2}(-\d{2})?)?\s*$",
                                 "description": "when the source was read or published: YYYY-MM-DD, YYYY-MM or YYYY",
                                 "examples": ["2024-04-18", "2024-04", "2024"]})]
ParamCount = Annotated[int, BeforeValidator(parse_params, json_schema_input_type=Union[int, str]), Field(ge=0),
                       written_as("ParamCount",
                                  "a parameter (or token) count: a whole number, or text with a decimal suffix: "
                                  "k = 10^3, M = 10^6, B = 10^9, T = 10^12, either case (70B = 70,000,000,000)",
                                  {"type": "integer", "minimum": 0, "maximum": MAX_PARAMS},
                                  {"type": "string", "pattern": PARAMS_PATTERN},
                                  examples=("70B", "7.2b", "1.5T", "350M", 8030261248))]
TokenCount = Annotated[int, BeforeValidator(parse_tokens, json_schema_input_type=Union[int, str]), Field(gt=0),
                       written_as("TokenCount",
                                  "a token count: a whole number, or text with a suffix read as vLLM reads it: "
                                  "lower case is decimal, upper case binary (128k = 128,000; 128K = 131,072; "
                                  "1m = 1,000,000; 1M = 1,048,576)",
                                  {"type": "integer", "minimum": 1, "maximum": MAX_TOKENS},
                                  {"type": "string", "pattern": TOKENS_PATTERN},
                                  examples=("128k", "128K", "1M", 8192))]
NonNegative = Annotated[float, Field(ge=0), Described("NonNegative", "a number, 0 or more")]
Percent = Annotated[float, Field(ge=0, le=100), Described("Percent", "a percentage, 0–100")]
Share = Annotated[float, Field(ge=0, le=1), Described("Share", "a share, 0–1 (0.25 = a quarter)")]
Count = Annotated[int, Field(ge=0), Described("Count", "a whole number, 0 or more")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._+-]*$", max_length=120),
                 Described("Slug", "an id: lower-case letters, digits and . _ + - (starting with a letter or digit)",
                           ("llama-3.1-70b-instruct",))]

Grade = Literal["first-party", "independent", "third-party"]


class Provenance(Strict):
    """Where a group of facts came from; applies to members that do not say."""

    source: str | None = Field(default=None, description="where the facts come from: a URL, or a document's title "
                                                          "and page", examples=["https://huggingface.co/org/model"])
    as_of: AsOf | None = Field(default=None, description="when the source was read or published: YYYY-MM-DD, "
                                                          "YYYY-MM or YYYY")
    grade: Grade | None = Field(
        default=None, description="first-party (the vendor's card, docs, price page, licence text); independent "
                                  "(a measurement that runs every model the same way); third-party (a wiki, news "
                                  "copy, reseller or gateway: shown and scored, never counted as evidence)")
    note: str | None = Field(default=None, description="free text for a reader: a caveat, how the figure was read")


class Fact(Provenance, Generic[T]):
    """One value with where it came from."""

    value: T  # described by its type (see editor.EditorSchema)

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """``Fact[ParamCount]`` is named ``ParamCountFact`` (the name an editor shows), not its Python spelling."""
        return "".join(type_name(p) for p in params) + "Fact"
