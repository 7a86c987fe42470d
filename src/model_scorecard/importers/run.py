"""One call per ``scorecard import`` command: read the foreign file, convert it, and return the
text of the new catalog (standalone, or merged into a copy of ``--into``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from model_scorecard.errors import UserError
from model_scorecard.importers.common import (
    ImportResult,
    header_lines,
    read_json,
    write_catalog,
)

__all__ = ["import_file"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")


def _check_paths(path: Path, output: Path, into: Path | None) -> None:
    for other, what in ((path, "the imported file"), (into, "the catalog given with --into")):
        if other is not None and output.resolve() == Path(other).resolve():
            raise UserError(f"refusing to write {output}: it is {what}", hint="choose another file for -o")


def import_file(tool: str, path: str | Path, options: Any, *, output: str | Path, into: str | Path | None = None,
                overwrite: bool = False) -> ImportResult:
    """Import ``path`` with the importer ``tool`` (lm-eval, litellm, genai-prices, promptfoo) and its options."""
    path, output = Path(path), Path(output)
    _check_paths(path, output, Path(into) if into is not None else None)
    model_id = getattr(options, "model_id", None)
    if model_id is not None and (not _SLUG.match(model_id) or len(model_id) > 120):
        raise UserError(f"--model {model_id!r} is not a catalog id: lower case letters, digits and . _ + -, "
                        "starting with a letter or digit")
    source = getattr(options, "source", None) or path.name
    if tool == "lm-eval":
        from model_scorecard.importers.lmeval import GRADE, WHAT, import_lm_eval

        entry, warnings = import_lm_eval(read_json(path, what=WHAT), options)
        entries = [entry]
        extra = "A team's run of the harness runs every model the same way."
    elif tool == "litellm":
        from model_scorecard.importers.litellm import GRADE, WHAT, import_litellm

        entries, warnings = import_litellm(read_json(path, what=WHAT), options)
        extra = "LiteLLM's map is a gateway's copy of the vendors' prices: shown, never evidence."
    elif tool == "genai-prices":
        from model_scorecard.importers.genaiprices import (
            GRADE,
            WHAT,
            import_genai_prices,
        )

        entries, warnings, source, extra = import_genai_prices(read_json(path, what=WHAT, array=True), options)
    elif tool == "promptfoo":
        from model_scorecard.importers.promptfoo import GRADE, WHAT, import_promptfoo

        entry, warnings = import_promptfoo(read_json(path, what=WHAT), options)
        entries = [entry]
        extra = "Your own eval, run the same way for every model."
    else:
        raise ValueError(f"no importer {tool!r}")
    grade = getattr(options, "grade", GRADE)
    if grade != GRADE:
        extra = "(The grade was given with --grade.)"
    return write_catalog(entries, header=header_lines(tool, source, grade, extra), output=output, into=into,
                         overwrite=overwrite, name=f"imported from {source}", warnings=warnings)
