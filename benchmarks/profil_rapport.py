"""Profil av en rapport: CPU-tid per cell i ``notebooks/rapport.ipynb``, som i batchens kärnor.

Notebookens egna celler körs i ett IPython-skal i den här processen, efter samma förberedelser
som batchens förvärmda mall (:mod:`finsam_analys.korning.varmstart`: modulerna i ``FORLADDA``,
cacheminnena, ``gc.freeze``), så att tiderna är de en rapport kostar i en batch och inte
importer eller cacheminnen som fylls första gången. Utdata formateras som i en kärna (IPython
räknar fram varje visad tabells HTML) men skickas ingenstans. Tiderna är CPU-tid
(``time.process_time``), som påverkas mindre än väggtiden av andra processer på maskinen.

Med ``--delar`` skrivs också CPU-tiden för rapportens dyra steg (:data:`DELAR`: inläsningen,
kontrollpunkterna, figurerna som SVG och PNG, Word-dokumentet och arbetsboken), mätt runt
bibliotekets egna funktioner; ``make bench`` skriver samma uppdelning för en av batchens
rapporter, så att det syns vad en rapport kostar och varför.

Med ``--cprofile N`` skrivs också de ``N`` tyngsta funktionerna (kumulativ tid) under
rapportens celler. Profileraren gör varje funktionsanrop dyrare: jämför proportioner, inte
sekunder.

```sh
.venv/bin/python benchmarks/profil_rapport.py                       # exempelförbundet 2024
.venv/bin/python benchmarks/profil_rapport.py --data DIR --forbund F --period P --cprofile 40
.venv/bin/python benchmarks/profil_rapport.py --delar
```
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import importlib
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gemensamt import ROT, rubrik

NOTEBOOK = ROT / "notebooks" / "rapport.ipynb"

DELAR: tuple[tuple[str, str, str], ...] = (
    ("finsam_analys.indata.inlasning", "las_forbund", "inläsning och validering"),
    ("finsam_analys.rapport", "kontrollpunkter", "kontrollpunkterna (sekretess, avrundning)"),
    ("finsam_analys.presentation.figurer", "som_svg", "figurerna som SVG (HTML), med byggandet"),
    ("finsam_analys.presentation.word", "word_dokument", "Word-dokumentet"),
    ("finsam_analys.presentation.figurer", "som_png", "  varav figurerna som PNG (Word)"),
    ("finsam_analys.presentation.excel", "arbetsbok", "arbetsboken (tabeller.xlsx)"),
)
"""Steg som ``--delar`` mäter: (modul, funktion, beskrivning). Varje funktion ersätts under
körningen av en som summerar sin CPU-tid; anrop inne i ett annat anrop av samma funktion räknas
inte två gånger."""


def _som_mallen() -> None:
    """Samma moduler, cacheminnen och frysta objekt som batchens förvärmda mall."""
    from finsam_analys.korning import varmstart

    for modul in varmstart.FORLADDA:
        try:
            importlib.import_module(modul)
        except Exception:  # som i mallen: kärnan importerar själv
            pass
    varmstart._fyll_cacheminnen()
    gc.collect()
    gc.freeze()


def _omslag(funktion: Any, beskrivning: str, tider: dict[str, float]) -> Any:
    djup = [0]

    def omslag(*a: Any, **k: Any) -> Any:
        djup[0] += 1
        start = time.process_time()
        try:
            return funktion(*a, **k)
        finally:
            djup[0] -= 1
            if not djup[0]:
                tider[beskrivning] += time.process_time() - start

    return omslag


@contextlib.contextmanager
def _matta_delar(tider: dict[str, float]):
    """Ersätt funktionerna i :data:`DELAR` med mätande omslag (återställs efteråt)."""
    ersatta = []
    for modulnamn, namn, beskrivning in DELAR:
        modul = importlib.import_module(modulnamn)
        original = getattr(modul, namn)
        tider.setdefault(beskrivning, 0.0)

        setattr(modul, namn, _omslag(original, beskrivning, tider))
        ersatta.append((modul, namn, original))
    try:
        yield
    finally:
        for modul, namn, original in ersatta:
            setattr(modul, namn, original)


def profilera(
    *, data: Path, forbund: str, period: str, utdata: Path, cprofile: int = 0, delar: bool = False
) -> dict[str, Any]:
    """Kör notebookens celler för ``forbund`` och ``period``; CPU-tid per cell (och profil).

    ``delar=True``: också CPU-tiden för stegen i :data:`DELAR` (nyckeln ``"delar"``).
    """
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    _som_mallen()
    tider: dict[str, float] = {}
    with _matta_delar(tider) if delar else contextlib.nullcontext():
        ut = _kor_cellerna(
            nbformat, InteractiveShell, data=data, forbund=forbund, period=period, utdata=utdata,
            cprofile=cprofile,
        )  # fmt: skip
    if delar:
        ut["delar"] = tider
    return ut


def _kor_cellerna(nbformat, InteractiveShell, *, data, forbund, period, utdata, cprofile):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    parametrar = {
        "forbund": forbund,
        "period": period,
        "data_katalog": str(data),
        "utdata_katalog": str(utdata),
        "skapad": "2026-01-01",
    }
    skal = InteractiveShell.instance()
    skal.display_pub.publish = lambda *a, **k: None  # formatera som i kärnan, skicka inte
    os.chdir(NOTEBOOK.parent)
    profil = cProfile.Profile(time.process_time) if cprofile else None
    celler: list[tuple[str, float]] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kod = cell.source
        if "parameters" in cell.metadata.get("tags", []):
            kod += "\n" + "\n".join(f"{k} = {v!r}" for k, v in parametrar.items())
        start = time.process_time()
        if profil is not None:
            profil.enable()
        svar = skal.run_cell(kod, store_history=False)
        if profil is not None:
            profil.disable()
        celler.append((kod.splitlines()[0].lstrip("# ")[:70], time.process_time() - start))
        if not svar.success:
            fel = svar.error_in_exec or svar.error_before_exec
            raise RuntimeError(f"cellen misslyckades: {fel!r}")
    ut: dict[str, Any] = {"celler": celler, "totalt": sum(t for _, t in celler)}
    if profil is not None:
        text = io.StringIO()
        # utan IPython:s egna ramar (run_cell och liknande omsluter allt)
        utan_ipython = r"^(?!.*(IPython|builtins\.exec|coroutine))"
        statistik = pstats.Stats(profil, stream=text).sort_stats("cumulative")
        statistik.print_stats(utan_ipython, cprofile)
        ut["profil"] = text.getvalue()
    return ut


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROT / "data")
    parser.add_argument("--forbund", default="exempelforbund")
    parser.add_argument("--period", default="2024")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="skriv de N tyngsta funktionerna (cProfile)")  # fmt: skip
    parser.add_argument("--delar", action="store_true",
                        help="CPU-tid för rapportens dyra steg (figurer, Word …)")  # fmt: skip
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="finsam-profil-") as ut:
        svar = profilera(
            data=args.data.resolve(),
            forbund=args.forbund,
            period=args.period,
            utdata=Path(ut),
            cprofile=args.cprofile,
            delar=args.delar,
        )
    rubrik(f"Rapporten {args.forbund} {args.period}: CPU-tid per cell")
    for namn, sekunder in svar["celler"]:
        print(f"  {sekunder:6.3f} s  {namn}")
    print(f"  {svar['totalt']:6.3f} s  totalt")
    if "delar" in svar:
        rubrik("Varav (CPU-tid i bibliotekets funktioner)")
        for namn, sekunder in svar["delar"].items():
            print(f"  {sekunder:6.3f} s  {namn}")
    if "profil" in svar:
        print(svar["profil"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
