"""Kommandoraden ``finsam-analys``.

Underkommandon: ``validera``, ``granska``, ``rapport``, ``batch``. Varje underkommando
är en tunn funktion här som anropar biblioteket; fel i indata visas som en svensk lista
utan traceback och med slutkod 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

SLUTKOD_OK = 0
SLUTKOD_FEL_I_INDATA = 2
SLUTKOD_RAPPORT_MISSLYCKADES = 1


def _validera(args: argparse.Namespace) -> int:
    from finsam_analys.inlasning import InlasningsFel, las_forbund

    try:
        underlag = las_forbund(args.katalog)
    except InlasningsFel as fel:
        print(fel.rapport(), file=sys.stderr)
        return SLUTKOD_FEL_I_INDATA
    print(underlag.sammanfattning())
    return SLUTKOD_OK


def _granska(args: argparse.Namespace) -> int:  # kopplas in i granskningsfrågan
    raise NotImplementedError


def _rapport(args: argparse.Namespace) -> int:  # kopplas in i rapportfrågan
    raise NotImplementedError


def _batch(args: argparse.Namespace) -> int:  # kopplas in i rapportfrågan
    raise NotImplementedError


def bygg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="finsam-analys",
        description="Analys och rapporter för samordningsförbund (FINSAM).",
    )
    under = parser.add_subparsers(dest="kommando", required=True, metavar="KOMMANDO")

    p = under.add_parser("validera", help="kontrollera en förbundskatalog och lista alla fel")
    p.add_argument("katalog", help="förbundets katalog under data/")
    p.set_defaults(funktion=_validera)

    p = under.add_parser("granska", help="räkna om publicerade tabeller och lista avvikelser")
    p.add_argument("katalog", help="förbundets katalog under data/")
    p.set_defaults(funktion=_granska)

    p = under.add_parser("rapport", help="skapa en rapport för ett förbund och en period")
    p.add_argument("--forbund", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--data", default="data")
    p.add_argument("--utdata", default="outputs")
    p.set_defaults(funktion=_rapport)

    p = under.add_parser("batch", help="skapa rapporter för alla förbund och perioder")
    p.add_argument("--data", default="data")
    p.add_argument("--utdata", default="outputs")
    p.add_argument("--forbund", action="append", help="bara dessa förbund (kan upprepas)")
    p.add_argument("--period", action="append", help="bara dessa perioder (kan upprepas)")
    p.add_argument("--processer", type=int, default=None, help="antal processer (standard: CPU)")
    p.set_defaults(funktion=_batch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = bygg_parser().parse_args(argv)
    try:
        return args.funktion(args)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
