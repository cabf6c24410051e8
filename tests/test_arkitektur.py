"""Dataflödets riktning: en modul importerar aldrig från ett lager ovanför sitt eget.

Lagren, nerifrån och upp (se docs/arkitektur.md): perioder och tabell längst ner, sedan
indata, matt, granskning, sekretess, presentation, rapport, korning och överst cli.
Testet läser varje moduls import-satser (även de som ligger i funktioner) med ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAKET = Path(__file__).resolve().parent.parent / "finsam_analys"

LAGER: dict[str, int] = {
    "perioder": 0,
    "tabell": 0,
    "indata": 1,
    "matt": 2,
    "granskning": 3,
    "sekretess": 4,
    "presentation": 5,
    "rapport": 6,
    "korning": 7,
    "cli": 8,
}


def _lager(modul: str) -> int | None:
    """Lagret för ``finsam_analys.<del>...``; ``None`` för paketroten och främmande moduler."""
    delar = modul.split(".")
    if delar[0] != "finsam_analys" or len(delar) < 2:
        return None
    return LAGER.get(delar[1])


def _importer(fil: Path) -> list[tuple[int, str]]:
    trad = ast.parse(fil.read_text(encoding="utf-8"))
    ut = []
    for nod in ast.walk(trad):
        if isinstance(nod, ast.ImportFrom) and nod.module and nod.level == 0:
            if nod.module == "finsam_analys":
                ut += [(nod.lineno, f"finsam_analys.{a.name}") for a in nod.names]
            else:
                ut.append((nod.lineno, nod.module))
        elif isinstance(nod, ast.Import):
            ut += [(nod.lineno, a.name) for a in nod.names]
    return ut


def _moduler() -> list[Path]:
    return sorted(p for p in PAKET.rglob("*.py") if p.parent != PAKET or p.name != "__init__.py")


def test_alla_moduler_har_ett_lager():
    utan = [
        str(p.relative_to(PAKET))
        for p in _moduler()
        if _lager("finsam_analys." + ".".join(p.relative_to(PAKET).with_suffix("").parts)) is None
    ]
    assert utan == []


def test_inga_relativa_importer():
    relativa = [
        f"{p.relative_to(PAKET)}:{n.lineno}"
        for p in _moduler()
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(n, ast.ImportFrom) and n.level > 0
    ]
    assert relativa == []


@pytest.mark.parametrize("fil", _moduler(), ids=lambda p: str(p.relative_to(PAKET)))
def test_importerar_inte_uppat(fil: Path):
    egen = _lager("finsam_analys." + ".".join(fil.relative_to(PAKET).with_suffix("").parts))
    uppat = [
        f"rad {rad}: {modul}"
        for rad, modul in _importer(fil)
        if (lager := _lager(modul)) is not None and lager > egen
    ]
    assert uppat == [], f"{fil.relative_to(PAKET)} importerar från ett högre lager"


def test_testet_kan_falla(tmp_path):
    """Ett påhittat brott mot riktningen upptäcks."""
    fil = tmp_path / "x.py"
    fil.write_text("def f():\n    from finsam_analys.rapport import gemensamt\n", encoding="utf-8")
    assert [m for _, m in _importer(fil) if _lager(m) == LAGER["rapport"]]
