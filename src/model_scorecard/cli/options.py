"""Options several commands share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

RubricOpt = typer.Option(None, "--rubric", "-r", metavar="NAME|FILE",
                         help="Rubric file, or a bundled rubric name. Default: the bundled 'production' rubric.")
WorkloadOpt = typer.Option(None, "--workload", "-w", metavar="NAME|FILE",
                           help="Workload preset (chat, voice, ad-auction, batch) or a YAML file. Default: the rubric's (chat).")
AsOfOpt = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                       help="Evaluate deprecations and dates as of this day. Default: today.")
OutputOpt: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                         help="Write to FILE (atomically) instead of stdout.")
