"""Issue 14, class 8: faults of the environment are clear messages, never "this is a bug".

A full disk, /dev/full, a folder without write permission, a cross-device rename, a bad
GITHUB_STEP_SUMMARY: exit 2 with the file and the reason (or, for the step summary, a warning
and the gate's own exit code, so the verdict line printed and the exit code agree). SIGTERM
unwinds like Ctrl-C -- no temporary file left, exit 143 (130 for Ctrl-C) -- and every command
ends within a second of the signal, even with a worker thread blocked.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from model_scorecard import atomic
from model_scorecard.errors import UserError

from ..conftest import REPO

DAY = "2026-11-23"
TEAM = REPO / "examples" / "team-catalog.yaml"
SHORTLIST = REPO / "examples" / "shortlist.yaml"
FAILING = REPO / "examples" / "shortlist-failing.yaml"
HAS_DEV_FULL = Path("/dev/full").exists()


def _temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def _plain_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert "this is a bug" not in result.output.lower() or "not a bug" in result.output.lower()
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


# -- a full disk ---------------------------------------------------------------------------

@pytest.mark.skipif(not HAS_DEV_FULL, reason="no /dev/full")
@pytest.mark.parametrize("args", [["rank", TEAM, "-f", "json"], ["sensitivity", TEAM, "--draws", "20", "-f", "json"],
                                  ["gate", SHORTLIST]])
def test_dev_full_as_the_output_file(cli, tmp_path, args):
    # gate picks the format from the name: give it /dev/full under a .json name
    target = "/dev/full" if args[0] != "gate" else tmp_path / "gate.json"
    if args[0] == "gate":
        target.symlink_to("/dev/full")
    result = cli(*args, "-o", target)
    _plain_error(result, str(target), os.strerror(errno.ENOSPC))
    assert Path("/dev/full").is_char_device()  # written into, never renamed over (as root that replaced it)
    assert "gate passed" not in result.stdout


@pytest.mark.skipif(not HAS_DEV_FULL, reason="no /dev/full")
@pytest.mark.parametrize("args", [["rank", TEAM], ["rank", TEAM, "-f", "json"], ["gate", SHORTLIST], ["vram", "70B"]])
def test_dev_full_as_stdout(args):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "model_scorecard", *map(str, args)], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert os.strerror(errno.ENOSPC) in done.stderr


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, os.strerror(errno.ENOSPC)),
                                         (errno.EDQUOT, os.strerror(errno.EDQUOT)),
                                         (errno.EIO, os.strerror(errno.EIO))])
def test_a_failing_write_names_the_file_and_leaves_nothing(cli, tmp_path, monkeypatch, code, words):
    out = tmp_path / "ranking.json"
    out.write_text("the previous ranking\n")
    real_write = os.write

    def write(fd, data):  # the disk fills after the first chunk
        if getattr(write, "calls", 0):
            raise OSError(code, os.strerror(code))
        write.calls = 1
        return real_write(fd, data[:10])

    monkeypatch.setattr(os, "write", write)
    result = cli("rank", TEAM, "--as-of", DAY, "-f", "json", "-o", out)
    _plain_error(result, str(out), words)
    assert out.read_text() == "the previous ranking\n"  # the old file, whole
    assert _temporaries(tmp_path) == []


def test_a_cross_device_rename_is_a_clear_error(cli, tmp_path, monkeypatch):
    out = tmp_path / "gate.json"

    def replace(src, dst, **kw):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "replace", replace)
    result = cli("gate", SHORTLIST, "-o", out)
    _plain_error(result, str(out), os.strerror(errno.EXDEV), "different file systems")
    assert not out.exists() and _temporaries(tmp_path) == []
    assert "gate passed" not in result.stdout  # outputs are written before the verdict is printed


def test_a_symlink_to_another_file_system_is_written_through(cli, tmp_path):
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(tmp_path).st_dev or not os.access(other, os.W_OK):
        pytest.skip("no second writable file system at /dev/shm")
    target = other / f"scorecard-test-{os.getpid()}.json"
    link = tmp_path / "out.json"
    link.symlink_to(target)
    try:
        result = cli("rank", TEAM, "--as-of", DAY, "-f", "json", "-o", link)
        assert result.exit_code == 0, result.output  # before: EXDEV, "internal error", exit 3
        assert link.is_symlink() and json.loads(target.read_text())["models"]
        assert not list(other.glob(f".{target.name}.*.tmp"))
    finally:
        target.unlink(missing_ok=True)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_an_unwritable_folder_is_a_clear_error(cli, tmp_path, monkeypatch, code):
    import tempfile

    def mkstemp(*a, **k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    out = tmp_path / "r.json"
    result = cli("rank", TEAM, "--as-of", DAY, "-o", out)
    _plain_error(result, str(out), os.strerror(code))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_for_real(cli, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        result = cli("rank", TEAM, "--as-of", DAY, "-o", locked / "r.json")
        _plain_error(result, "r.json", os.strerror(errno.EACCES))
    finally:
        locked.chmod(0o700)


def test_a_missing_folder_and_a_directory_as_output(cli, tmp_path):
    _plain_error(cli("rank", TEAM, "-o", tmp_path / "no" / "such" / "r.json"), "does not exist")
    _plain_error(cli("rank", TEAM, "-o", tmp_path), "directory")


def test_dev_null_and_a_fifo_are_written_in_place(cli, tmp_path):
    assert cli("rank", TEAM, "--as-of", DAY, "-f", "json", "-o", os.devnull).exit_code == 0
    assert Path(os.devnull).is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = cli("rank", TEAM, "--as-of", DAY, "-f", "json", "-o", fifo)
    out, _ = reader.communicate(timeout=30)
    assert result.exit_code == 0 and json.loads(out)["models"] and fifo.is_fifo()


def test_write_text_maps_every_os_error(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(UserError) as info:
        atomic.write_text(tmp_path / "x.txt", "x")
    assert info.value.exit_code == 2 and "x.txt" in str(info.value)
    assert _temporaries(tmp_path) == [] and not (tmp_path / "x.txt").exists()


# -- GITHUB_STEP_SUMMARY ----------------------------------------------------------------------

@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of examples/: a run that goes wrong must not touch the repository's files."""
    folder = tmp_path / "examples"
    shutil.copytree(REPO / "examples", folder)
    shutil.copytree(REPO / "catalogs", tmp_path / "catalogs")  # the shortlists name ../catalogs/…
    return folder


@pytest.mark.parametrize("where", ["directory", "missing folder", "dev full", "input"])
@pytest.mark.parametrize("name, code, verdict", [("shortlist.yaml", 0, "gate passed"),
                                                 ("shortlist-failing.yaml", 1, "gate FAILED")])
def test_a_bad_step_summary_is_a_warning_and_the_exit_code_is_the_verdict(cli, tmp_path, examples, where, name, code,
                                                                           verdict):
    if where == "dev full" and not HAS_DEV_FULL:
        pytest.skip("no /dev/full")
    shortlist = examples / name
    target = {"directory": str(tmp_path), "missing folder": str(tmp_path / "no" / "summary.md"),
              "dev full": "/dev/full", "input": str(shortlist)}[where]
    before = shortlist.read_bytes()
    result = cli("gate", shortlist, "--github", env={"GITHUB_STEP_SUMMARY": target})
    # before: "gate passed" printed, then internal error, exit 3
    assert result.exit_code == code, result.output
    assert verdict in result.stdout
    assert "warning: step summary not written" in result.stderr and "internal error" not in result.output
    assert shortlist.read_bytes() == before  # before: the summary was appended to the shortlist


def test_a_good_step_summary_is_still_written(cli, tmp_path):
    summary = tmp_path / "summary.md"
    result = cli("gate", SHORTLIST, "--github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0 and "model-scorecard:gate" in summary.read_text()


def test_gate_piped_into_head_keeps_the_verdict_as_exit_code():
    # `scorecard gate … | head -1`: the reader leaves early; the exit code must stay the verdict (1),
    # not turn into 0 as for a report
    done = subprocess.run(f"{sys.executable} -m model_scorecard gate {FAILING} | head -c 1 >/dev/null; "
                          "echo ${PIPESTATUS[0]}", shell=True, executable="/bin/bash", capture_output=True,
                          text=True, cwd=REPO, timeout=120, check=False)
    assert done.stdout.strip() == "1", done.stderr


def test_invalid_second_shortlist_prints_no_verdict(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\ncatalog: nowhere.yaml\ncandidates: [x]\n")
    result = cli("gate", SHORTLIST, bad)
    assert result.exit_code == 2 and "gate passed" not in result.stdout


# -- signals ------------------------------------------------------------------------------

# Runs the CLI's main() with os.write slowed down once the output's temporary file is open, so
# that the signal arrives mid-write; prints nothing itself.
SLOW_WRITER = textwrap.dedent("""
    import os, sys, time
    real = os.write
    def slow(fd, data):
        if fd > 2:
            time.sleep(0.2)
            data = data[:4096]
        return real(fd, data)
    os.write = slow
    sys.argv = ["scorecard", *sys.argv[1:]]
    from model_scorecard.cli import main
    main()
""")


def _big_catalog(folder: Path, n: int = 300) -> Path:
    entries = "".join(f"  - {{id: m{i:04d}, name: Model {i}, vendor: V{i % 7}, kind: llm, access: api, "
                      f"params: {i % 90 + 1}B, benchmarks: {{mmlu: {40 + i % 50}}}}}\n" for i in range(n))
    path = folder / "big.yaml"
    path.write_text("schema_version: 1\nname: big\nmodels:\n" + entries)
    return path


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_while_writing_a_large_report_leaves_no_temporary_file(tmp_path, signum, code):
    catalog = _big_catalog(tmp_path)
    out = tmp_path / "out" / "ranking.json"
    out.parent.mkdir()
    out.write_text("the previous ranking\n")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, "rank", str(catalog), "--as-of", DAY, "-f", "json",
                             "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert _wait_for(lambda: _temporaries(out.parent) or proc.poll() is not None), "never started writing"
        assert proc.poll() is None and _temporaries(out.parent), "finished before the signal"
        sent = time.monotonic()
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    assert took < 1.5, took
    assert _temporaries(out.parent) == []  # before: SIGTERM left .ranking.json.*.tmp behind
    assert out.read_text() == "the previous ranking\n"
    assert "Traceback" not in err


# A command body whose worker thread is stuck (as a Hub request on a trickling server is) and
# which waits for it: Ctrl-C must end the process at once, not wait for the thread at exit.
STUCK_WORKER = textwrap.dedent("""
    import sys, threading, time
    import model_scorecard.scoring as scoring
    def evaluate(*a, **k):
        worker = threading.Thread(target=time.sleep, args=(120,))
        worker.start()
        print("waiting", file=sys.stderr, flush=True)
        worker.join()
    scoring.evaluate = evaluate
    sys.argv = ["scorecard", *sys.argv[1:]]
    from model_scorecard.cli import main
    main()
""")


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_ends_the_run_within_a_second_even_with_a_thread_blocked(signum, code):
    proc = subprocess.Popen([sys.executable, "-c", STUCK_WORKER, "rank", str(TEAM)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert proc.stderr.readline().strip() == "waiting"
        sent = time.monotonic()
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)  # before: "interrupted", then a wait of 120 s for the thread
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code and took < 1.0, (proc.returncode, took, err)
    assert ("interrupted" if signum == signal.SIGINT else signal.Signals(signum).name) in err


@pytest.mark.parametrize("args", [["enrich", "{catalog}", "-o", "{out}"], ["rank", "{catalog}", "--hub"],
                                  ["vram", "org/m0"]])
def test_ctrl_c_ends_a_hub_command_on_a_trickling_hub_within_a_second(tmp_path, args):
    # before: `enrich` printed "interrupted" and never exited (its threads still reading a byte a second)
    from tests.hub.fakehub import FakeHub, make_repo

    hub = FakeHub()
    for i in range(4):
        hub.add(make_repo(f"org/m{i}", config={"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64,
                                               "intermediate_size": 128, "num_attention_heads": 4,
                                               "vocab_size": 100}))
    hub.trickle("/api/models", 1.0)
    url = hub.start()
    catalog = tmp_path / "hub.yaml"
    catalog.write_text("schema_version: 1\nmodels:\n" + "".join(
        f"  - {{id: m{i}, name: M{i}, vendor: V, kind: llm, access: open-weights, hf_id: org/m{i}}}\n"
        for i in range(4)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(HF_ENDPOINT=url, SCORECARD_CACHE_DIR=str(tmp_path / "cache"), HF_HOME=str(tmp_path / "hf"))
    argv = [a.format(catalog=catalog, out=tmp_path / "new.yaml") for a in args]
    proc = subprocess.Popen([sys.executable, "-m", "model_scorecard", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
    try:
        assert _wait_for(lambda: hub.count > 0 or proc.poll() is not None, 30), "no request reached the hub"
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.2)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
        hub.stop()
    assert proc.returncode == 130 and took < 1.0, (proc.returncode, took, err)
    assert "interrupted" in err and "Traceback" not in err
    assert not (tmp_path / "new.yaml").exists()
    assert not [p for p in tmp_path.rglob(".*.tmp")]
