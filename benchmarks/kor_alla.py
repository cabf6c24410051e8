"""Kör alla benchmarks (``make bench``): uppstart, batch och utdata, skala.

Varje benchmark skriver ut sina mått med mål och PASS/FAIL (INFO för mått utan mål) och mäter
baslinjen i samma körning. Resultaten skrivs som JSON i ``benchmarks/resultat/`` (en fil per
benchmark och ``alla.json``). Slutkoden är 1 om något mål missas.

``--snabb`` kör allt i minimal storlek (ett förbund, små dataset): för att prova att skripten
fungerar, inte för att mäta.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_batch, bench_skala, bench_uppstart, bench_utdata
from benchmarks.gemensamt import Matt, maskin, rubrik, spara_json

DELAR = ("uppstart", "batch", "skala")


def kor_alla(*, snabb: bool = False, delar: tuple[str, ...] = DELAR) -> list[Matt]:
    """Kör de valda benchmarkdelarna; returnerar alla mått (och skriver JSON)."""
    alla: list[Matt] = []
    ext = "_snabb" if snabb else ""
    tider: dict[str, float] = {}
    for del_ in delar:
        start = time.perf_counter()
        if del_ == "uppstart":
            matt = bench_uppstart.kor()
            spara_json(bench_uppstart.NAMN + ext, matt)
        elif del_ == "batch":
            if snabb:
                matt, storlekar = bench_batch.kor(
                    antal_forbund=1, urval_loop=1, deltaganden=200, upprepningar=1
                )
            else:
                matt, storlekar = bench_batch.kor()
            utd = bench_utdata.matt_fran_storlekar(storlekar)
            spara_json(bench_batch.NAMN + ext, matt)
            spara_json(bench_utdata.NAMN + ext, utd)
            matt += utd
        elif del_ == "skala":
            matt = bench_skala.kor(snabb=snabb)
            spara_json(bench_skala.NAMN + ext, matt)
        else:
            raise ValueError(f"okänd del {del_!r}; välj bland {DELAR}")
        tider[del_] = time.perf_counter() - start
        alla += matt
    rubrik("Sammanfattning")
    for m in alla:
        if m.godkant is not None:
            print(m.rad())
    missade = [m for m in alla if m.godkant is False]
    total = sum(tider.values())
    print(
        f"\n{len(alla) - len(missade)} av {len(alla)} mått utan anmärkning, "
        f"{len(missade)} FAIL; total tid {total / 60:.1f} min "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in tider.items())}).",
        flush=True,
    )
    spara_json(
        "alla" + ext,
        alla,
        extra={"tider_sekunder": tider, "maskin_vid_slut": maskin()},
    )
    return alla


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snabb", action="store_true", help="minimal storlek (provkörning)")
    parser.add_argument(
        "--bara", action="append", choices=DELAR, help="kör bara denna del (kan upprepas)"
    )
    args = parser.parse_args(argv)
    alla = kor_alla(snabb=args.snabb, delar=tuple(args.bara or DELAR))
    return 1 if any(m.godkant is False for m in alla) else 0


if __name__ == "__main__":
    sys.exit(main())
