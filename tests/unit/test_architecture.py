"""The layering of DESIGN.md, checked on the source rather than trusted."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "advisor_app"
MAX_LINES = 500

# layer -> packages it must not import
FORBIDDEN = {
    "domain": ("PySide6", "advisor_app.storage", "advisor_app.services", "advisor_app.sync",
               "advisor_app.reports", "advisor_app.hq", "advisor_app.ui", "sqlite3", "httpx",
               "reportlab", "platformdirs"),
    "storage": ("PySide6", "advisor_app.services", "advisor_app.ui", "advisor_app.hq"),
    "sync": ("PySide6", "advisor_app.services", "advisor_app.ui"),
    "reports": ("PySide6", "advisor_app.services", "advisor_app.ui"),
    "services": ("PySide6", "advisor_app.ui"),
    "hq": ("PySide6", "advisor_app.ui"),
    # Views get plain data from services: no session, no query, no ORM object in the UI.
    "ui": ("sqlalchemy", "advisor_app.storage", "advisor_app.sync"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layering(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    layer = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    imports = _imports(path)
    if layer not in ("ui", "app"):
        assert not any(i.split(".")[0] == "PySide6" for i in imports), "Qt outside ui/ and app.py"
    for forbidden in FORBIDDEN.get(layer, ()):
        bad = [i for i in imports if i == forbidden or i.startswith(forbidden + ".")]
        assert not bad, f"{relative} ({layer}) imports {bad}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
