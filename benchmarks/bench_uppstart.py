"""Uppstart: importtid, inga tunga moduler vid import, och rapportkärnans tid till första utdata.

1. ``import finsam_analys`` i en ny process: tiden (bästa av fem) mot baslinjen ``import pandas``
   i en ny process, och kontrollen att varken matplotlib, seaborn eller scipy har laddats (målet;
   samma kontroll finns som vanligt test i ``tests/test_benchmarks.py``). Kontrollen görs också
   efter att varje modul i paketet importerats: de tunga paketen får bara laddas i funktionerna
   som använder dem.
2. En rapport (``kor_rapport`` för det inbäddade exempelförbundet, seriellt): tid från start till
   att kärnan svarat (första cellen börjar), till första cellen med utdata, och totalt; de
   långsammaste cellerna skrivs ut (underlag för profilering). Tiderna läses ur papermills
   tidsstämplar i den körda notebooken.
3. Samma rapport med förvärmd kärna som i batchen (:mod:`finsam_analys.korning.varmstart`): den
   första
   körningen väntar på mallens importer, den andra visar vad en rapport i batchen kostar.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gemensamt import ROT, Matt, rubrik, skriv_ut, spara_json

NAMN = "uppstart"
TUNGA = ("matplotlib", "seaborn", "scipy")

_IMPORTKOD = """
import json, sys, time
start = time.perf_counter()
import {modul}
sekunder = time.perf_counter() - start
print(json.dumps({{"sekunder": sekunder,
                   "tunga": sorted(m for m in {tunga!r} if m in sys.modules)}}))
"""

_ALLA_MODULER = """
import importlib, json, pkgutil, sys
import finsam_analys
namn = sorted(m.name for m in pkgutil.walk_packages(finsam_analys.__path__, "finsam_analys."))
laddar = {{}}
for modul in namn:
    fore = set(sys.modules)
    importlib.import_module(modul)
    nya = sorted(m for m in {tunga!r} if m in sys.modules and m not in fore)
    if nya:
        laddar[modul] = nya
print(json.dumps({{"moduler": namn, "laddar_tunga": laddar}}))
"""


def tunga_moduler_efter_import(modul: str = "finsam_analys") -> dict[str, Any]:
    """Importtid och vilka tunga paket som laddats, i en ny Python-process."""
    kod = _IMPORTKOD.format(modul=modul, tunga=TUNGA)
    klart = subprocess.run(
        [sys.executable, "-c", kod], cwd=ROT, capture_output=True, text=True, check=True
    )
    return json.loads(klart.stdout.strip().splitlines()[-1])


def moduler_som_laddar_tunga() -> dict[str, Any]:
    """Importera varje modul i paketet i en ny process; vilka laddar tunga paket vid import?"""
    klart = subprocess.run(
        [sys.executable, "-c", _ALLA_MODULER.format(tunga=TUNGA)],
        cwd=ROT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(klart.stdout.strip().splitlines()[-1])


def _tid(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def rapportens_tider(notebook: Path) -> dict[str, Any]:
    """Tider ur papermills metadata: kärnstart, första utdata, totalt, långsammaste celler."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    start = _tid(nb.metadata.get("papermill", {}).get("start_time"))
    forsta_cell = forsta_utdata = None
    celler = []
    for i, cell in enumerate(nb.cells):
        pm = cell.metadata.get("papermill", {})
        borjan, slut = _tid(pm.get("start_time")), _tid(pm.get("end_time"))
        if cell.cell_type != "code" or borjan is None:
            continue
        forsta_cell = forsta_cell or borjan
        if forsta_utdata is None and cell.get("outputs"):
            forsta_utdata = slut
        kalla = cell.source.strip().splitlines()
        celler.append({"cell": i + 1, "sekunder": pm.get("duration"), "kod": kalla[:1]})
    slut = _tid(nb.metadata.get("papermill", {}).get("end_time"))

    def sek(a, b):
        return None if a is None or b is None else (b - a).total_seconds()

    celler.sort(key=lambda c: -(c["sekunder"] or 0))
    return {
        "karnstart": sek(start, forsta_cell),
        "forsta_utdata": sek(start, forsta_utdata),
        "totalt_notebook": sek(start, slut),
        "langsammaste_celler": celler[:5],
    }


def kor(*, forbund: str = "exempelforbund", period: str = "2024") -> list[Matt]:
    """Kör uppstartsbenchmarken och returnera måtten."""
    rubrik("Uppstart: import finsam_analys i en ny process")
    matningar = [tunga_moduler_efter_import("finsam_analys") for _ in range(5)]
    baslinje = [tunga_moduler_efter_import("pandas") for _ in range(5)]
    importtid = min(m["sekunder"] for m in matningar)
    pandastid = min(m["sekunder"] for m in baslinje)
    tunga = matningar[0]["tunga"]
    alla = moduler_som_laddar_tunga()
    matt = [
        skriv_ut(
            Matt(
                NAMN,
                "import finsam_analys laddar matplotlib/seaborn/scipy",
                len(tunga),
                f"paket {tunga}" if tunga else "paket",
                "0",
                not tunga,
            )
        ),
        skriv_ut(
            Matt(
                NAMN,
                f"import av alla {len(alla['moduler'])} moduler i paketet laddar tunga paket",
                len(alla["laddar_tunga"]),
                f"moduler {alla['laddar_tunga']}" if alla["laddar_tunga"] else "moduler",
                "0",
                not alla["laddar_tunga"],
                alla,
            )
        ),
        skriv_ut(
            Matt(
                NAMN,
                "importtid finsam_analys (bästa av 5)",
                importtid * 1000,
                "ms",
                "",
                None,
                {"alla": [m["sekunder"] for m in matningar]},
            )
        ),
        skriv_ut(
            Matt(
                NAMN,
                "baslinje: importtid pandas (bästa av 5)",
                pandastid * 1000,
                "ms",
                "",
                None,
                {"alla": [m["sekunder"] for m in baslinje]},
            )
        ),
    ]

    rubrik(f"Uppstart: rapportkärnan ({forbund} {period}, en rapport, seriellt)")
    from finsam_analys.korning.batch import kor_rapport

    with tempfile.TemporaryDirectory(prefix="finsam-bench-uppstart-") as tmp:
        r = kor_rapport(
            forbund=forbund,
            period=period,
            data_katalog=ROT / "data",
            utdata_katalog=tmp,
            skapad="2026-01-01",
        )
        tider = rapportens_tider(r.katalog / "rapport.ipynb") if r.katalog else {}
    if not r.lyckades:
        print(f"      rapporten misslyckades: {r.cell}: {r.fel}", flush=True)
    for namn, nyckel in (
        ("kärnstart (till första cellen)", "karnstart"),
        ("tid till första utdata", "forsta_utdata"),
        ("notebooken totalt", "totalt_notebook"),
    ):
        matt.append(skriv_ut(Matt(NAMN, f"rapport: {namn}", tider.get(nyckel), "s", "", None)))
    matt.append(
        skriv_ut(
            Matt(
                NAMN,
                "rapport: kor_rapport totalt (med HTML-export)",
                r.sekunder,
                "s",
                "lyckas",
                r.lyckades,
                tider,
            )
        )
    )
    for cell in tider.get("langsammaste_celler", []):
        print(
            f"      cell {cell['cell']}: {cell['sekunder'] or 0:.2f} s  {cell['kod']}", flush=True
        )
    matt += _forvarmd(forbund=forbund, period=period)
    return matt


def _forvarmd(*, forbund: str, period: str) -> list[Matt]:
    """Samma rapport med förvärmd kärna, som i batchen (finsam_analys.korning.varmstart)."""
    from finsam_analys.korning import batch as korning
    from finsam_analys.korning import varmstart

    if not varmstart.anvand_varmstart():
        print("      förvärmda kärnor används inte på den här maskinen", flush=True)
        return []
    rubrik(f"Uppstart: förvärmd rapportkärna som i batchen ({forbund} {period})")
    matt: list[Matt] = []
    mall = varmstart.Karnmall()
    varmstart.anslut(mall.adress, python=mall.python)
    tidigare, korning._VARMSTART = korning._VARMSTART, True
    try:
        with tempfile.TemporaryDirectory(prefix="finsam-bench-uppstart-") as tmp:
            korningar = []
            for _ in range(2):  # första väntar på mallens importer, andra är som i en batch
                r = korning.kor_rapport(
                    forbund=forbund,
                    period=period,
                    data_katalog=ROT / "data",
                    utdata_katalog=tmp,
                    skapad="2026-01-01",
                )
                korningar.append((r, rapportens_tider(r.katalog / "rapport.ipynb")))
    finally:
        korning._VARMSTART = tidigare
        varmstart.stang_mall()
        mall.stang()
    (forsta, _), (andra, tider) = korningar
    matt.append(
        skriv_ut(
            Matt(
                NAMN,
                "förvärmd: första rapporten (väntar på mallen)",
                forsta.sekunder,
                "s",
                "lyckas",
                forsta.lyckades,
            )
        )  # fmt: skip
    )
    for namn, nyckel in (
        ("kärnstart (till första cellen)", "karnstart"),
        ("tid till första utdata", "forsta_utdata"),
        ("notebooken totalt", "totalt_notebook"),
    ):
        matt.append(skriv_ut(Matt(NAMN, f"förvärmd: {namn}", tider.get(nyckel), "s", "", None)))
    matt.append(
        skriv_ut(
            Matt(
                NAMN,
                "förvärmd: kor_rapport totalt (med HTML-export)",
                andra.sekunder,
                "s",
                "lyckas",
                andra.lyckades,
                tider,
            )
        )  # fmt: skip
    )
    return matt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forbund", default="exempelforbund")
    parser.add_argument("--period", default="2024")
    args = parser.parse_args(argv)
    matt = kor(forbund=args.forbund, period=args.period)
    spara_json(NAMN, matt)
    return 0 if all(m.godkant is not False for m in matt) else 1


if __name__ == "__main__":
    sys.exit(main())
