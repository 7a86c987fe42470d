"""The HTML reports in a real browser: each page renders (a screenshot that is not blank) with
no console error, at 1,400 and 800 px. Runs where Chromium is installed (`.ci/run` installs
Debian's `chromium`); the screenshots stay in the test's temporary folder."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import REPO

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine")


def shoot(page, png, width):
    done = subprocess.run([BROWSER, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--enable-logging=stderr", "--v=0", f"--window-size={width},2400",
                           f"--screenshot={png}", page.as_uri()], capture_output=True, text=True, timeout=120)
    if not png.exists():  # the browser itself could not start here (sandbox, display): not the page's fault
        pytest.skip(f"Chromium did not run (exit {done.returncode}): {done.stderr[-500:]}")
    return done.stderr


def not_blank(png) -> bool:
    from PIL import Image  # matplotlib's dependency: installed with the test extra

    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return colours is None or len(colours) > 20


@pytest.mark.parametrize("width", [1400, 800])
@pytest.mark.parametrize("kind", ["rank", "gate"])
def test_the_report_renders_in_chromium(cli, tmp_path, kind, width):
    page = tmp_path / f"{kind}.html"
    args = (["rank", "-o", str(page)] if kind == "rank"
            else ["gate", str(REPO / "examples" / "shortlist.yaml"), "-o", str(page)])
    result = cli(*args)
    assert result.exit_code in (0, 1), result.output
    png = tmp_path / f"{kind}-{width}.png"
    log = shoot(page, png, width)
    assert not_blank(png)
    console_errors = [line for line in log.splitlines() if "CONSOLE" in line and ("Error" in line or "Uncaught" in line)]
    assert console_errors == []
    assert "Content Security Policy" not in log  # nothing the page asked for was refused
