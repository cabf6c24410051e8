"""Påståendefilen ``granskning_pastaenden.csv``: siffror i löptext som granskningen prövar.

En rad per påstående i rapportens text ("minskade med 37 procent", "7 av 14 = 50 %"), med
talet som tryckt och omräkningen som ett aritmetiskt uttryck. :func:`las_pastaendefil` läser
filen som alla andra indatafiler (CSV med semikolon eller komma, UTF-8 eller cp1252, eller
Excel) och kontrollerar den: kolumner, typ, tal, decimaler och att uttrycket går att räkna ut.
Alla problem rapporteras på en gång med rad som i Excel.

Kolumner (se ``data/README.md``):

=============  =======  ====================================================================
kolumn         krävs    innehåll
=============  =======  ====================================================================
``tabell``     ja       var i rapporten påståendet står (avsnitt, sida)
``pastaende``  ja       texten, citerad (utan personuppgifter)
``typ``        ja       en av :data:`PASTAENDETYPER`
``publicerat`` ja       talet som tryckt, med tecken ("minskade med 37 procent" är −37)
``decimaler``  ja       antal tryckta decimaler (0 för "37 procent", 1 för "4,5 procent")
``uttryck``    ja       omräkningen: tal, + − * / och parenteser, t.ex. 7 / 14 * 100
``kommentar``  nej      förklaring som visas med fyndet
=============  =======  ====================================================================
"""

from __future__ import annotations

import ast
import math
import operator
from pathlib import Path

import pandas as pd

from finsam_analys.indata.tryckt_cell import TolkningsFel, tolka_tal
from finsam_analys.indata.validering import Problem

__all__ = [
    "FIL",
    "PASTAENDETYPER",
    "PASTAENDE_KOLUMNER",
    "berakna_uttryck",
    "las_pastaendefil",
    "pastaendeproblem",
    "tryckt_tal",
]

FIL = "granskning_pastaenden.csv"
PASTAENDE_KOLUMNER: tuple[str, ...] = (
    "tabell",
    "pastaende",
    "typ",
    "publicerat",
    "decimaler",
    "uttryck",
)
VALFRIA_KOLUMNER: tuple[str, ...] = ("kommentar",)
PASTAENDETYPER: dict[str, str] = {
    "förändring": "relativ förändring i procent eller i procentenheter",
    "andel": "andel i procent (uttrycket räknar täljare / nämnare * 100)",
    "differens": "skillnad eller ett tal som räknas ur andra (t.ex. 18 - 4)",
    "summa": "summa av tal i texten",
    "olika värden": "samma storhet med olika värden på två ställen (uttrycket är det andra värdet)",
    "avrundning": "ett tal som avrundats från ett annat",
    "summa av avrundade delar": "en summa räknad på avrundade delar",
    "varav-delar överstiger totalen": "varav-tal som är större än sin total",
    "riktning": "ökade (1), minskade (-1) eller oförändrad (0); uttrycket räknar förändringen",
}
"""Tillåtna värden i kolumnen ``typ`` (samma ord som granskningens fyndtyper)."""

_OPERATORER = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def berakna_uttryck(uttryck: str) -> float:
    """Räkna ut ett enkelt aritmetiskt uttryck (tal, + − * /, parenteser; decimalkomma går bra).

    Inget annat än tal och de fyra räknesätten tolkas (inga namn, anrop eller potenser).

    >>> berakna_uttryck("(23036 - 37058) / 37058 * 100")
    -37.837983701225106
    >>> berakna_uttryck("7 160 / (18 506 − 3 041) * 100") > 46
    True
    """
    text = str(uttryck).replace("−", "-").replace("\u00a0", "").replace(" ", "")
    text = text.replace(",", ".")

    def varde(nod: ast.AST) -> float:
        if isinstance(nod, ast.Expression):
            return varde(nod.body)
        if isinstance(nod, ast.Constant) and isinstance(nod.value, (int, float)):
            if isinstance(nod.value, bool):
                raise ValueError(f"Otillåtet uttryck: {uttryck!r}.")
            return float(nod.value)
        if isinstance(nod, ast.BinOp) and type(nod.op) in _OPERATORER:
            return _OPERATORER[type(nod.op)](varde(nod.left), varde(nod.right))
        if isinstance(nod, ast.UnaryOp) and isinstance(nod.op, (ast.USub, ast.UAdd)):
            v = varde(nod.operand)
            return -v if isinstance(nod.op, ast.USub) else v
        raise ValueError(f"Otillåtet uttryck: {uttryck!r} (bara tal, + − * / och parenteser).")

    if len(text) > 500:
        raise ValueError("Uttrycket är för långt (högst 500 tecken).")
    try:
        resultat = varde(ast.parse(text, mode="eval"))
    except SyntaxError as fel:
        raise ValueError(f"Kan inte tolka uttrycket {uttryck!r}.") from fel
    except ZeroDivisionError:
        raise ValueError(f"Uttrycket {uttryck!r} delar med noll.") from None
    except (RecursionError, MemoryError, OverflowError):
        raise ValueError(f"Uttrycket {uttryck!r} är för stort eller för djupt nästlat.") from None
    if not math.isfinite(resultat):
        raise ValueError(f"Uttrycket {uttryck!r} ger inget ändligt tal.")
    return resultat


def tryckt_tal(text: str) -> float:
    """Det tryckta talet i kolumnen ``publicerat`` (``-37``, ``−4,5``, ``55 %``).

    >>> tryckt_tal("−4,5"), tryckt_tal("55 %"), tryckt_tal("1 670")
    (-4.5, 55.0, 1670.0)
    """
    t = str(text).strip().removesuffix("procent").strip().removesuffix("%").strip()
    try:
        return tolka_tal(t)[0]
    except TolkningsFel:
        raise ValueError(f'"{text}" är inget tal') from None


def pastaendeproblem(
    pastaenden: pd.DataFrame, *, fil: str = FIL, forsta_rad: int = 2
) -> list[Problem]:
    """Alla problem i en påståendetabell (text i alla celler), rad som i Excel.

    >>> p = pd.DataFrame({"tabell": ["s. 3"], "pastaende": ["ökade med 55 %"],
    ...     "typ": ["ökning"], "publicerat": ["55"], "decimaler": ["0"], "uttryck": ["124182 /"]})
    >>> for x in pastaendeproblem(p):
    ...     print(x.text()[:75])
    granskning_pastaenden.csv, rad 2, kolumn "typ": okänd typ (värde "ökning");
    granskning_pastaenden.csv, rad 2, kolumn "uttryck": Kan inte tolka uttrycke
    """
    problem: list[Problem] = []
    saknade = [k for k in PASTAENDE_KOLUMNER if k not in pastaenden.columns]
    if saknade:
        problem.append(
            Problem(
                f"kolumner saknas: {', '.join(saknade)}",
                fil=fil,
                rader=(forsta_rad - 1,),
                forvantat="rubrikerna "
                + ", ".join(PASTAENDE_KOLUMNER)
                + " (och valfritt kommentar)",
                kod="saknad_kolumn",
            )
        )
    for k in pastaenden.columns:
        if k not in PASTAENDE_KOLUMNER and k not in VALFRIA_KOLUMNER:
            problem.append(
                Problem(
                    "okänd kolumn",
                    fil=fil,
                    rader=(forsta_rad - 1,),
                    kolumn=str(k),
                    forvantat="kolumnerna " + ", ".join((*PASTAENDE_KOLUMNER, *VALFRIA_KOLUMNER)),
                    kod="okand_kolumn",
                )
            )
    if saknade:
        return problem

    def text(v: object) -> str:
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip()

    for i, rad in enumerate(pastaenden.itertuples(index=False)):
        nr = forsta_rad + i
        r = dict(zip(pastaenden.columns, rad, strict=True))
        for k in PASTAENDE_KOLUMNER:
            if text(r[k]) == "" and k != "decimaler":
                problem.append(
                    Problem("värde saknas", fil=fil, rader=(nr,), kolumn=k, kod="saknas")
                )
        typ = text(r["typ"])
        if typ and typ not in PASTAENDETYPER:
            problem.append(
                Problem(
                    "okänd typ",
                    fil=fil,
                    rader=(nr,),
                    kolumn="typ",
                    varde=typ,
                    forvantat="en av: " + ", ".join(PASTAENDETYPER),
                    kod="kategori",
                )
            )
        for k in ("publicerat", "uttryck"):
            v = text(r[k])
            if not v:
                continue
            try:
                if k == "publicerat":
                    if typ == "riktning" and tryckt_tal(v) not in (-1, 0, 1):
                        raise ValueError("en riktning är 1 (ökade), −1 (minskade) eller 0")
                    tryckt_tal(v)
                else:
                    berakna_uttryck(v)
            except ValueError as fel:
                problem.append(
                    Problem(
                        str(fel),
                        fil=fil,
                        rader=(nr,),
                        kolumn=k,
                        varde=v[:80],
                        forvantat=(
                            "1, −1 eller 0" if typ == "riktning"
                            else "ett tal med tecken, t.ex. −37 eller 4,5"
                        )
                        if k == "publicerat"
                        else "tal, + − * / och parenteser, t.ex. (23036 - 37058) / 37058 * 100",
                        kod="tal",
                    )
                )
        d = text(r["decimaler"])
        if d and not (d.isdigit() and int(d) <= 6):
            problem.append(
                Problem(
                    "decimaler ska vara ett heltal 0–6",
                    fil=fil,
                    rader=(nr,),
                    kolumn="decimaler",
                    varde=d,
                    forvantat="antal tryckta decimaler, t.ex. 0 för '37 procent'",
                    kod="tal",
                )
            )
    return problem


def las_pastaendefil(katalog: str | Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Läs och kontrollera ``granskning_pastaenden.csv`` (None och inga problem om den saknas).

    Filen läses som övriga indata (semikolon eller komma, UTF-8 eller cp1252, även .xlsx med
    samma namn); alla celler blir text. Rubrikraden är första icke-tomma raden.
    """
    from finsam_analys.indata.inlasning import _las_fil, _personnummerproblem

    katalog = Path(katalog)
    kandidater = [katalog / FIL, katalog / "granskning_pastaenden.xlsx"]
    # även en katalog, pipe eller länk med namnet: _las_fil säger varför den inte kan läsas
    sokvag = next((p for p in kandidater if p.exists() or p.is_symlink()), None)
    if sokvag is None:
        return None, []
    radata, problem = _las_fil(sokvag, None, sokvag.name, katalog)
    if radata is None:
        return None, problem
    problem = _personnummerproblem(radata, {}, sokvag.name)  # som i alla andra indatafiler
    if problem:
        return None, problem
    rader = radata.rader(len(radata.rutnat))
    start = next((i for i, r in enumerate(rader) if any(c is not None for c in r)), None)
    if start is None:
        return None, [Problem("filen är tom", fil=sokvag.name, kod="tom_fil")]
    rubriker = [str(c).strip() if c is not None else "" for c in rader[start]]
    data = [r for r in rader[start + 1 :] if any(c is not None for c in r)]
    nummer = [
        start + 2 + i for i, r in enumerate(rader[start + 1 :]) if any(c is not None for c in r)
    ]
    ut = pd.DataFrame(
        [["" if c is None else str(c) for c in r] for r in data],
        columns=rubriker,
        dtype=object,
    )
    ut = ut.loc[:, [k for k in ut.columns if k != ""]]
    problem = pastaendeproblem(ut, fil=sokvag.name, forsta_rad=start + 2)
    # radnumren stämmer med Excel även när tomma rader hoppats över
    if nummer and nummer != list(range(start + 2, start + 2 + len(nummer))):
        karta = dict(zip(range(start + 2, start + 2 + len(nummer)), nummer, strict=True))
        problem = [
            Problem(**{**p.__dict__, "rader": tuple(karta.get(r, r) for r in p.rader)})
            for p in problem
        ]
    if problem:
        return None, problem
    return ut.reset_index(drop=True), []
