"""Cost of encryption at rest (issue 10): the same work on a plain SQLite file and on a
SQLCipher copy of it, alternating, median of several rounds, printed as encrypted / plain.

    .venv/bin/python bench/bench_encryption.py [--companies 5000] [--rounds 5]

Measured: opening the database (SQLCipher derives the key with PBKDF2, 256 000 rounds, on
each new connection), a search keystroke through the service API, saving one company
(triggers, outbox, FTS), a demo load, and the one-off conversion. Nothing is asserted."""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import advisor_app.domain.models  # noqa: F401  (every table known to the demo writer)
from advisor_app.services.companies import (
    CompanyFilter,
    CompanyForm,
    PersonForm,
    save_company,
    search_companies,
)
from advisor_app.services.database import open_database
from advisor_app.services.demo import generate_demo
from advisor_app.storage import encryption

PASSPHRASE = "banc d'essai 2026"


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mowakaba-bench-enc-"))
    plain = folder / "plain.sqlite"
    db = open_database(plain)
    load = {"plain": _timed(lambda: generate_demo(db, companies=args.companies, seed=7))}
    db.close()
    encrypted = folder / "encrypted.sqlite"
    shutil.copyfile(plain, encrypted)
    conversion = _timed(lambda: encryption.convert(encrypted, None, PASSPHRASE))
    demo_copy = folder / "demo-enc.sqlite"
    open_database(demo_copy).close()
    encryption.convert(demo_copy, None, PASSPHRASE)
    db = open_database(demo_copy, passphrase=PASSPHRASE)
    load["encrypted"] = _timed(lambda: generate_demo(db, companies=args.companies, seed=7))
    db.close()

    paths = {"plain": (plain, None), "encrypted": (encrypted, PASSPHRASE)}
    samples: dict[str, dict[str, list[float]]] = {k: {"open": [], "search": [], "save": []} for k in paths}
    for n in range(args.rounds):
        for kind, (path, key) in paths.items():
            start = time.perf_counter()
            db = open_database(path, passphrase=key)
            samples[kind]["open"].append(time.perf_counter() - start)
            for text in ("ben", "casa", "agro", "tazi"):
                samples[kind]["search"].append(_timed(lambda db=db, text=text: search_companies(
                    db, filter=CompanyFilter(text=text))))
            samples[kind]["save"].append(_timed(lambda db=db, n=n: save_company(db, CompanyForm(
                name=f"Banc {n}", legal_form="sarl", segment="tpe", region_code="MA-06", city="Settat",
                people=[PersonForm(role="owner", first_name="Karim", last_name="Tazi")]))))
            db.close()

    print(f"{args.companies} companies, {args.rounds} rounds (median, ms; ratio encrypted / plain)")
    for measure in ("open", "search", "save"):
        p, e = _median_ms(samples["plain"][measure]), _median_ms(samples["encrypted"][measure])
        print(f"  {measure:<8} plain {p:8.1f}   encrypted {e:8.1f}   ratio {e / p:5.2f}")
    print(f"  demo     plain {load['plain'] * 1000:8.0f}   encrypted {load['encrypted'] * 1000:8.0f}"
          f"   ratio {load['encrypted'] / load['plain']:5.2f}")
    print(f"  conversion of the plain file ({plain.stat().st_size / 1e6:.1f} MB): {conversion * 1000:.0f} ms")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
