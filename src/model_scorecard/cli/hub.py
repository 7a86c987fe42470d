"""``scorecard hub info``: what the Hugging Face Hub says about one model, cached."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, emit, guarded, say

hub_app = typer.Typer(name="hub", no_args_is_help=True, add_completion=False,
                      help="Ask the Hugging Face Hub about a model (answers are cached; HF_HUB_OFFLINE=1 uses only the cache).")
app.add_typer(hub_app, name="hub")


class HubFormat(str, Enum):
    table = "table"
    json = "json"


@hub_app.command("info")
@guarded
def info(
    repo_id: str = typer.Argument(..., metavar="ORG/NAME", help="Hub model id, e.g. Qwen/Qwen2.5-0.5B."),
    revision: Optional[str] = typer.Option(None, "--revision", metavar="REV", help="Branch, tag or commit sha. Default: the default branch."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cache (as HF_HUB_OFFLINE=1 does)."),
    refresh: bool = typer.Option(False, "--refresh", help="Ask the Hub again even when the answer is cached."),
    exact: bool = typer.Option(False, "--exact", help="Also read the safetensors headers for the exact weight bytes."),
    fmt: HubFormat = typer.Option(HubFormat.table, "--format", "-f", help="Output format."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, max=3600, metavar="SECONDS",
                                  help="How long one read may wait. The whole answer has its own limit: "
                                       "SCORECARD_HUB_TIMEOUT_S (default 60)."),
) -> None:
    """Show what the Hub says about a model: licence, gating, downloads, parameters, config, each with its source.

    Reads HF_TOKEN for gated and private models (never printed) and HF_ENDPOINT for a mirror
    (a user and password in it are used, never shown, written or cached).
    SCORECARD_HUB_TIMEOUT_S (seconds, default 60) bounds the whole answer, however slowly the
    Hub sends it: past it the command stops with exit 4 (unless an earlier answer is cached).

    Example: scorecard hub info Qwen/Qwen2.5-0.5B --exact
    """
    from model_scorecard.hub.client import fetch_model

    model = fetch_model(repo_id, revision, offline=True if offline else None, refresh=refresh, exact=exact,
                        timeout_s=timeout)
    for warning in model.warnings:
        say(f"warning: {warning}")
    if fmt is HubFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(model.to_dict()))
        return
    from model_scorecard.report.hubinfo import hub_panel

    console().print(hub_panel(model))
