"""Profil av en rapport: CPU-tid per cell i ``notebooks/rapport.ipynb``, som i batchens kärnor.

Notebookens egna celler körs i ett IPython-skal i den här processen, efter samma förberedelser
som batchens förvärmda mall (:mod:`finsam_analys.korning.varmstart`: modulerna i ``FORLADDA``,
cacheminnena, ``gc.freeze``), så att tiderna är de en rapport kostar i en batch och inte
importer eller cacheminnen som fylls första gången. Utdata formateras som i en kärna (IPython
räknar fram varje visad tabells HTML) men skickas ingenstans. Tiderna är CPU-tid
(``time.process_time``), som påverkas mindre än väggtiden av andra processer på maskinen.

Med ``--cprofile N`` skrivs också de ``N`` tyngsta funktionerna (kumulativ tid) under
rapportens celler. Profileraren gör varje funktionsanrop dyrare: jämför proportioner, inte
sekunder.

```sh
.venv/bin/python benchmarks/profil_rapport.py                       # exempelförbundet 2024
.venv/bin/python benchmarks/profil_rapport.py --data DIR --forbund F --period P --cprofile 40
```
"""

from __future__ import annotations

import argparse
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


def profilera(
    *, data: Path, forbund: str, period: str, utdata: Path, cprofile: int = 0
) -> dict[str, Any]:
    """Kör notebookens celler för ``forbund`` och ``period``; CPU-tid per cell (och profil)."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    _som_mallen()
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
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="finsam-profil-") as ut:
        svar = profilera(
            data=args.data.resolve(),
            forbund=args.forbund,
            period=args.period,
            utdata=Path(ut),
            cprofile=args.cprofile,
        )
    rubrik(f"Rapporten {args.forbund} {args.period}: CPU-tid per cell")
    for namn, sekunder in svar["celler"]:
        print(f"  {sekunder:6.3f} s  {namn}")
    print(f"  {svar['totalt']:6.3f} s  totalt")
    if "profil" in svar:
        print(svar["profil"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
