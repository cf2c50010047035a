"""Child process of test_crash_safety.py (killed with SIGKILL at a random moment).

    python tests/db/crash_child.py saves PATH ROUND   saves companies through the service,
                                                      printing "committed <id>" after each commit
    python tests/db/crash_child.py sync PATH          prints "syncing", then syncs with HQ
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from advisor_app.services import sync_service
from advisor_app.services.companies import (
    PersonForm,
    empty_company_form,
    load_company_form,
    save_company,
)
from advisor_app.services.database import open_database


def saves(path: Path, round_: str) -> None:
    db = open_database(path)
    print("ready", flush=True)
    made: list[str] = []
    n = 0
    while True:
        if made and n % 3 == 2:  # an edit of an earlier company now and then
            form = load_company_form(db, made[n % len(made)])
            form.city = f"Ville {round_}-{n}"
            save_company(db, form)
            print(f"edited {form.id} {form.city}", flush=True)
        else:
            form = empty_company_form(db)
            form.name, form.city, form.region_code = f"Crash {round_}-{n:05d}", "Settat", "MA-06"
            form.people = [PersonForm(role="owner", first_name="Amina", last_name=f"Test{n}")]
            company_id = save_company(db, form)
            made.append(company_id)
            print(f"committed {company_id}", flush=True)
        n += 1


def sync(path: Path) -> None:
    db = open_database(path)
    print("syncing", flush=True)
    report = sync_service.sync(db)
    print(f"done {report.pushed} {report.pulled}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "saves":
        saves(Path(sys.argv[2]), sys.argv[3])
    else:
        sync(Path(sys.argv[2]))
