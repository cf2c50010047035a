"""Every benchmark of the product in one command, and one summary table of their ratios.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/run_all.py          # small sizes, minutes
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/run_all.py --full   # the issues' sizes

Runs each bench script (start-up and memory are measured here, the others in their own
scripts: list, search, sync, certificates, HQ dashboard, backups) in its own process, prints
its output as it comes, then gathers the lines that state a ratio or a target into one table.
Start-up: from process start to the main window shown (``python -m advisor_app
--smoke-test``: migrations, reference data, fonts, window) against a bare Python process
and against a bare QApplication + QMainWindow shown, all measured in this run. Memory: peak
RSS of the same smoke test against the bare Qt window. Backups: an online backup of a
database of N companies against a plain file copy of it. Nothing is asserted: machines
differ; the ratios travel.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
# script -> (small arguments, full arguments)
SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    "bench_company_search.py": (["--companies", "10000"], []),
    "bench_company_list_ui.py": (["--companies", "10000"], []),
    "bench_sync.py": (["--rows", "2000"], ["--rows", "20000"]),
    "bench_certificates.py": (["--count", "20", "--rounds", "1"], []),
    "bench_hq_dashboard.py": (["--count", "200"], []),
}
RATIO_LINE = re.compile(r"ratio|floor|target|budget|\d+(\.\d+)?x\b|%", re.IGNORECASE)
BARE_QT = """
import sys, resource
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 760)
window.show()
app.processEvents()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
SMOKE_RSS = re.compile(r"peak RSS (\d+) MiB")


def _timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300, check=True)
    return time.perf_counter() - start, done.stdout


def startup_and_memory(rounds: int) -> list[str]:
    python = [sys.executable, "-c", "pass"]
    bare = [sys.executable, "-c", BARE_QT]
    folder = Path(tempfile.mkdtemp(prefix="mowakaba-bench-start-"))
    existing = folder / "mowakaba.sqlite"  # made once: the start-ups below open it as the app does
    subprocess.run([sys.executable, "-m", "advisor_app", "init", "--db", str(existing)], cwd=ROOT,
                   check=True, capture_output=True, timeout=300)
    smoke = [sys.executable, "-m", "advisor_app", "--smoke-test", "--db", str(existing)]
    times: dict[str, list[float]] = {"python": [], "bare": [], "smoke": []}
    bare_rss: list[float] = []
    smoke_rss: list[float] = []
    for _ in range(rounds):  # interleaved: a busy moment of the machine touches all three
        times["python"].append(_timed(python)[0])
        elapsed, out = _timed(bare)
        times["bare"].append(elapsed)
        bare_rss.append(int(out.split()[-1]) / 1024)
        elapsed, out = _timed(smoke)
        times["smoke"].append(elapsed)
        match = SMOKE_RSS.search(out)
        if match:
            smoke_rss.append(float(match.group(1)))
    shutil.rmtree(folder, ignore_errors=True)
    py, qt, ours = (statistics.median(times[k]) for k in ("python", "bare", "smoke"))
    lines = [f"start-up to main window shown: {ours * 1000:.0f} ms; bare Qt window {qt * 1000:.0f} ms "
             f"(ratio {ours / qt:.2f}); bare Python {py * 1000:.0f} ms (ratio {ours / py:.1f})"]
    if smoke_rss:
        ours_rss, qt_rss = statistics.median(smoke_rss), statistics.median(bare_rss)
        lines.append(f"memory, peak RSS: app {ours_rss:.0f} MiB, bare Qt window {qt_rss:.0f} MiB "
                     f"(ratio {ours_rss / qt_rss:.2f})")
    return lines


def backups(companies: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    from bench_company_search import build

    from advisor_app.services import backup
    from advisor_app.services.database import open_database
    from advisor_app.storage import migrate

    folder = Path(tempfile.mkdtemp(prefix="mowakaba-bench-backup-"))
    try:
        cached = Path(tempfile.gettempdir()) / f"mowakaba-bench-{companies}-{migrate.head_revision()}.sqlite"
        if not cached.exists():
            build(cached, companies)
        path = folder / "mowakaba.sqlite"
        shutil.copyfile(cached, path)
        db = open_database(path)
        copies, online = [], []
        try:
            for n in range(3):
                start = time.perf_counter()
                shutil.copyfile(path, folder / f"copie-{n}.sqlite")
                copies.append(time.perf_counter() - start)
                start = time.perf_counter()
                backup.backup_to(db, folder / f"sauvegarde-{n}.sqlite")
                online.append(time.perf_counter() - start)
        finally:
            db.close()
        size = path.stat().st_size / 1_048_576
        ours, floor = statistics.median(online), statistics.median(copies)
        return [f"backup of {companies} companies ({size:.0f} MiB): online backup {ours * 1000:.0f} ms, "
                f"file copy {floor * 1000:.0f} ms (ratio {ours / floor:.2f})"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_script(name: str, args: list[str]) -> tuple[int, list[str]]:
    print(f"\n=== {name} {' '.join(args)}", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(BENCH / name), *args], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    kept = []
    for line in process.stdout:
        print(line, end="", flush=True)
        if RATIO_LINE.search(line):
            kept.append(line.strip())
    return process.wait(), kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the sizes of the issues (long)")
    parser.add_argument("--only", nargs="*", default=None, metavar="SCRIPT",
                        help="only these bench scripts (e.g. bench_sync.py); start-up always runs")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    summary: dict[str, list[str]] = {}
    print("=== start-up and memory", flush=True)
    summary["start-up, memory"] = startup_and_memory(rounds=5 if args.full else 3)
    print("\n".join(summary["start-up, memory"]), flush=True)
    print("\n=== backups", flush=True)
    summary["backups"] = backups(100_000 if args.full else 10_000)
    print("\n".join(summary["backups"]), flush=True)
    failed = []
    for name, (small, full) in SCRIPTS.items():
        if args.only is not None and name not in args.only:
            continue
        status, lines = run_script(name, full if args.full else small)
        summary[name] = lines if status == 0 else [*lines, f"FAILED (exit {status})"]
        if status:
            failed.append(name)
    print(f"\n{'=' * 30} summary ({'full' if args.full else 'small'} sizes) {'=' * 30}")
    width = max(len(name) for name in summary)
    for name, lines in summary.items():
        for n, line in enumerate(lines or ["(no ratio printed)"]):
            print(f"{name if n == 0 else '':<{width}}  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
