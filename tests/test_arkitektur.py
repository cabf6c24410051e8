"""Dataflödets riktning: en modul importerar aldrig från ett lager ovanför sitt eget.

Lagren, nerifrån och upp (se docs/arkitektur.md): perioder och tabell längst ner, sedan
indata, matt, granskning, sekretess, presentation, rapport, korning och överst cli.
Testet läser varje moduls import-satser (även de som ligger i funktioner) med ``ast``.

Dessutom: ingen funktion i ``rapport/`` har fler än 80 rader kod (docstring, tomma rader och
kommentarer räknas inte), så att varje rapportavsnitt går att läsa i delar.
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


# ------------------------------------------------------------------ korta funktioner i rapport/

MAX_KODRADER = 80


def _kodrader(fil: Path) -> list[tuple[str, int, int]]:
    """(funktion, rad, kodrader) för varje funktion i filen (även nästlade och metoder).

    Kodrader är funktionens rader från ``def`` till sista raden, utom docstringen, tomma rader
    och rader med bara en kommentar. En nästlad funktions rader räknas också i den yttre.
    """
    text = fil.read_text(encoding="utf-8")
    rader = text.splitlines()
    ut = []
    for nod in ast.walk(ast.parse(text)):
        if not isinstance(nod, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        docstring: range = range(0)
        forsta = nod.body[0]
        if (
            isinstance(forsta, ast.Expr)
            and isinstance(forsta.value, ast.Constant)
            and isinstance(forsta.value.value, str)
        ):
            docstring = range(forsta.lineno, (forsta.end_lineno or forsta.lineno) + 1)
        antal = sum(
            1
            for nr in range(nod.lineno, (nod.end_lineno or nod.lineno) + 1)
            if nr not in docstring
            and rader[nr - 1].strip()
            and not rader[nr - 1].strip().startswith("#")
        )
        ut.append((nod.name, nod.lineno, antal))
    return ut


@pytest.mark.parametrize(
    "fil", sorted((PAKET / "rapport").glob("*.py")), ids=lambda p: str(p.relative_to(PAKET))
)
def test_rapportens_funktioner_har_hogst_80_kodrader(fil: Path):
    langa = [f"{namn} (rad {rad}): {antal}" for namn, rad, antal in _kodrader(fil)
             if antal > MAX_KODRADER]  # fmt: skip
    assert langa == [], f"{fil.relative_to(PAKET)}: dela upp funktionerna i hjälpfunktioner"


def test_radraknaren_kan_falla(tmp_path):
    """Docstring, tomma rader och kommentarer räknas inte; def-raden och koden räknas."""

    def funktion(namn: str, kodrader: int) -> str:
        kropp = "".join(f"    x{i} = {i}\n" for i in range(kodrader - 1))
        return (
            f'def {namn}():\n    """Docstring\n\n    över flera rader.\n    """\n\n'
            f"    # en kommentar\n\n{kropp}"
        )

    fil = tmp_path / "x.py"
    text = funktion("lagom", MAX_KODRADER) + "\n\n" + funktion("for_lang", MAX_KODRADER + 1)
    fil.write_text(text, encoding="utf-8")
    antal = {namn: n for namn, _, n in _kodrader(fil)}
    assert antal == {"lagom": MAX_KODRADER, "for_lang": MAX_KODRADER + 1}
