"""One mechanism for output formats: a table from a format to its renderer and file extensions.

``scorecard rank`` (a ``Report``) and ``scorecard gate`` (a ``GateResult``) each declare a
``FormatTable``: every member of their format enum with the function that renders it and
the file extensions that choose it. The table renders to text or bytes and picks a
format from an output file's name (longest extension first, so ``gate.junit.xml`` is
JUnit before it is XML). Renderers are named by module and function and imported on
first use, so a command that prints the terminal table never imports the HTML or CSV
code (or pandas).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Generic, Mapping, TypeVar

from model_scorecard.errors import UserError

E = TypeVar("E", bound=Enum)
Renderer = Callable[[Any], "str | bytes"]


@dataclass(frozen=True)
class Lazy:
    """``module.function`` (module relative to this package), imported when first called."""

    module: str
    function: str

    def __call__(self, obj: Any) -> str | bytes:
        fn: Renderer = getattr(import_module(self.module, __package__), self.function)
        return fn(obj)


@dataclass(frozen=True)
class OutputFormat:
    render: Renderer
    suffixes: tuple[str, ...] = ()
    chunks: Callable[[Any], Any] | None = None  # the same bytes in pieces, for output too big to hold


class FormatTable(Generic[E]):
    """Every member of ``kind`` with its renderer and extensions; a missing member is a bug."""

    def __init__(self, kind: type[E], formats: Mapping[E, OutputFormat]):
        missing = [m.value for m in kind if m not in formats]
        if missing:  # pragma: no cover - caught by the exhaustiveness tests at import
            raise TypeError(f"formats without a renderer: {', '.join(missing)}")
        self.kind = kind
        self.formats: dict[E, OutputFormat] = dict(formats)
        declared = [(s, fmt) for fmt, out in self.formats.items() for s in out.suffixes]
        self.declared_suffixes: tuple[str, ...] = tuple(s for s, _ in declared)
        # longest first, so a compound extension wins over its tail (sorted() is stable)
        self.suffixes: tuple[tuple[str, E], ...] = tuple(sorted(declared, key=lambda sf: -len(sf[0])))

    @property
    def renderers(self) -> dict[E, Renderer]:
        return {fmt: out.render for fmt, out in self.formats.items()}

    def render_bytes(self, obj: Any, fmt: E) -> bytes:
        """``obj`` in ``fmt`` as UTF-8 bytes (a renderer that makes bytes skips a decode and re-encode)."""
        out = self.formats[fmt].render(obj)
        return out if isinstance(out, bytes) else out.encode("utf-8")

    def render_chunks(self, obj: Any, fmt: E) -> Any:
        """``render_bytes`` as an iterable of byte chunks: streamed where the format can be."""
        chunks = self.formats[fmt].chunks
        return chunks(obj) if chunks is not None else [self.render_bytes(obj, fmt)]

    def render(self, obj: Any, fmt: E) -> str:
        out = self.formats[fmt].render(obj)
        return out.decode("utf-8") if isinstance(out, bytes) else out

    def format_for(self, path: str | Path, default: E | None = None) -> E:
        """The format a file's extension asks for; ``default`` for a name with no extension; a
        UserError listing the known extensions for any other (``report.xlsx`` is never written as
        a text table by surprise)."""
        name = Path(path).name.lower()
        for suffix, fmt in self.suffixes:
            if name.endswith(suffix):
                return fmt
        if default is not None and not Path(name).suffix:
            return default
        raise UserError(f"cannot tell the format of '{path}' from its extension",
                        hint=f"name the file with one of: {', '.join(self.declared_suffixes)}")

