"""Kommandoraden ``finsam-analys``.

Underkommandon: ``ny``, ``validera``, ``granska``, ``rapport``, ``batch``. Varje underkommando
är en tunn funktion här som anropar biblioteket; fel i indata visas som en svensk lista
utan traceback och med slutkod 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence

SLUTKOD_OK = 0
SLUTKOD_FEL_I_INDATA = 2
SLUTKOD_RAPPORT_MISSLYCKADES = 1
SLUTKOD_AVVIKELSER = 1  # granska: minst en avvikelse i det tryckta
SLUTKOD_INTERNT_FEL = 3  # ett fel i programmet (inte i indata); FINSAM_FELSPAR=1 visar det


def _ny(args: argparse.Namespace) -> int:
    """Förbundets egen fil -> forbund.yaml och deltagare.csv; skriv vad som mappades och inte."""
    from finsam_analys.indata.inlasning import InlasningsFel
    from finsam_analys.indata.ny import skapa_forbund
    from finsam_analys.indata.personnummer import dolj_personnummer

    try:
        forslag = skapa_forbund(
            args.katalog, args.fran, blad=args.blad, namn=args.namn, insats=args.insats
        )
    except InlasningsFel as fel:
        print(fel.rapport(), file=sys.stderr)
        return SLUTKOD_FEL_I_INDATA
    except Exception as fel:  # oväntat: formulera på svenska, aldrig traceback
        text = dolj_personnummer(f"{type(fel).__name__}: {fel}")[:300]
        print(
            f"Oväntat fel när {args.fran} lästes: {text}\n"
            "Kontrollera filen (spara om den som .xlsx eller CSV) och försök igen.",
            file=sys.stderr,
        )
        return SLUTKOD_FEL_I_INDATA
    print(dolj_personnummer(forslag.sammanfattning(args.katalog)))
    return SLUTKOD_OK


def _validera(args: argparse.Namespace) -> int:
    """Läs och kontrollera en förbundskatalog; alla problem som svensk lista, slutkod 2."""
    from finsam_analys.indata.inlasning import InlasningsFel, las_forbund
    from finsam_analys.indata.personnummer import dolj_personnummer

    try:
        underlag = las_forbund(args.katalog)
    except InlasningsFel as fel:
        print(fel.rapport(), file=sys.stderr)
        return SLUTKOD_FEL_I_INDATA
    except Exception as fel:  # oväntat: formulera på svenska, aldrig traceback
        text = dolj_personnummer(f"{type(fel).__name__}: {fel}")[:300]
        print(
            f"Oväntat fel vid läsning av {args.katalog}: {text}\n"
            "Kontrollera filerna (format, kodning) och försök igen.",
            file=sys.stderr,
        )
        return SLUTKOD_FEL_I_INDATA
    from finsam_analys.rapport.sammanstallning import okanda_hanvisningar_i_underlaget

    problem = okanda_hanvisningar_i_underlaget(underlag)
    if problem:
        print(InlasningsFel(problem, katalog=args.katalog).rapport(), file=sys.stderr)
        return SLUTKOD_FEL_I_INDATA
    print(underlag.sammanfattning())
    print("Inga problem hittades.")
    return SLUTKOD_OK


def _granska(args: argparse.Namespace) -> int:
    """Räkna om förbundets publicerade tabeller, nyckeltal och påståenden.

    Skriver vad som prövats per tabell och varje fynd (eller, med ``--json``, allt som JSON).
    Slutkod 0: inget avviker; 1: minst en avvikelse i det tryckta (avrundningar och "att
    kontrollera" räknas inte); 2: indata går inte att läsa (samma kontroller som ``validera``).
    """
    import json
    from pathlib import Path

    from finsam_analys.granskning.kontroller import formatera_fynd
    from finsam_analys.granskning.resultat import (
        formatera_sammanfattning,
        granska,
        granskning_som_dict,
    )
    from finsam_analys.indata.inlasning import InlasningsFel, las_forbund
    from finsam_analys.indata.vakt import visbar

    katalog = Path(args.katalog)
    if not katalog.is_dir():
        print(f"Förbundskatalogen {katalog} finns inte.", file=sys.stderr)
        return SLUTKOD_FEL_I_INDATA
    try:
        underlag = las_forbund(katalog)
    except InlasningsFel as fel:
        print(fel.rapport(), file=sys.stderr)
        return SLUTKOD_FEL_I_INDATA
    try:
        resultat = granska(underlag)
    except (ValueError, KeyError) as fel:  # svenska meddelanden från granskningen
        print(
            f"Granskningen kunde inte köras: fel i tabellerna i {katalog}: {visbar(fel)}",
            file=sys.stderr,
        )
        return SLUTKOD_FEL_I_INDATA
    konfig = getattr(underlag, "konfig", None)
    namn = getattr(konfig, "namn", None) or katalog.name
    if getattr(args, "json", False):
        data = granskning_som_dict(resultat, forbund=getattr(konfig, "id", katalog.name), namn=namn)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return resultat.slutkod
    print(f"Granskning av publicerade tabeller: {namn}")
    print()
    print("Vad som prövats, per tabell:")
    print(formatera_sammanfattning(resultat.sammanfattning))
    print()
    print(formatera_fynd(resultat.fynd))
    if resultat.slutkod:
        print(f"Slutkod 1: {resultat.antal_avvikelser} avvikelser i det tryckta.")
    return resultat.slutkod


def _datum(text: str) -> str:
    from finsam_analys.korning.batch import skapad_datum

    try:
        return skapad_datum(text)
    except ValueError as fel:
        raise argparse.ArgumentTypeError(str(fel)) from None


@contextlib.contextmanager
def _loggning():
    """En loggrad per rapport till stderr (loggern ``finsam_analys.korning.batch``) under
       körningen."""
    import logging

    logg = logging.getLogger("finsam_analys.korning.batch")
    hanterare = logging.StreamHandler(sys.stderr)
    hanterare.setFormatter(logging.Formatter("%(message)s"))
    tidigare = logg.level, logg.propagate
    logg.addHandler(hanterare)
    logg.setLevel(logging.INFO)
    logg.propagate = False
    try:
        yield
    finally:
        logg.removeHandler(hanterare)
        logg.setLevel(tidigare[0])
        logg.propagate = tidigare[1]


def _inrapportering(args: argparse.Namespace) -> str | None:
    """Katalogen för uppfoljning_finsam.csv: bara med --uppfoljning-finsam (standard
    ``<utdata>/inrapportering``)."""
    from pathlib import Path

    katalog = getattr(args, "uppfoljning_finsam", None)
    if katalog is None:
        return None
    return katalog or str(Path(args.utdata) / "inrapportering")


def _rapport(args: argparse.Namespace) -> int:
    from finsam_analys.korning.batch import kor_rapport, sammanfattning

    resultat = kor_rapport(
        forbund=args.forbund,
        period=args.period,
        data_katalog=args.data,
        utdata_katalog=args.utdata,
        sekretess_troskel=args.sekretess_troskel,
        jamforelseperiod=args.jamforelseperiod,
        skapad=args.skapad,
        inrapportering_katalog=_inrapportering(args),
        tillat_avvikande_period=args.tillat_avvikande_period,
    )
    print(resultat.rad(), file=sys.stderr)
    if not resultat.lyckades:
        print(sammanfattning([resultat]), file=sys.stderr)
        return SLUTKOD_RAPPORT_MISSLYCKADES
    print(resultat.html)
    return SLUTKOD_OK


def _batch(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from finsam_analys.korning.batch import kor_batch, sammanfattning

    start = time.perf_counter()
    with _loggning():
        resultat = kor_batch(
            data_katalog=args.data,
            utdata_katalog=args.utdata,
            forbund=args.forbund,
            perioder=args.period,
            processer=args.processer,
            skapad=args.skapad,
            inrapportering_katalog=_inrapportering(args),
        )
    print(sammanfattning(resultat, sekunder=time.perf_counter() - start))
    index = (Path(args.utdata) / "index.html").resolve()
    print(f"Index: {index}")
    if not resultat or any(not r.lyckades for r in resultat):
        return SLUTKOD_RAPPORT_MISSLYCKADES
    return SLUTKOD_OK


# argparse:s egna meddelanden (engelska) -> svenska. Ordningen spelar roll: det allmänna
# "argument X: ..." sist.
_OVERSATTNINGAR: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(monster, re.DOTALL), ersattning)
    for monster, ersattning in (
        (r"^the following arguments are required: (.*)$", r"följande argument saknas: \1"),
        (r"^unrecognized arguments: (.*)$", r"okända argument: \1"),
        (r"^ambiguous option: (.*) could match (.*)$", r"tvetydig flagga: \1 kan betyda \2"),
        (
            r"^argument (.+?): invalid choice: (.*?) \(choose from (.*)\)$",
            r"argumentet \1: ogiltigt val \2 (välj bland \3)",
        ),
        (r"^argument (.+?): invalid int value: (.*)$", r"argumentet \1: \2 är inte ett heltal"),
        (r"^argument (.+?): invalid float value: (.*)$", r"argumentet \1: \2 är inte ett tal"),
        (r"^argument (.+?): invalid (.+?) value: (.*)$", r"argumentet \1: ogiltigt värde \3"),
        (r"^argument (.+?): expected one argument$", r"argumentet \1: värde saknas"),
        (r"^argument (.+?): (.*)$", r"argumentet \1: \2"),
    )
)


def _pa_svenska(meddelande: str) -> str:
    """argparse:s felmeddelande på svenska (okända meddelanden lämnas som de är).

    Examples
    --------
    >>> _pa_svenska("the following arguments are required: --forbund, --period")
    'följande argument saknas: --forbund, --period'
    >>> _pa_svenska("argument --processer: invalid int value: 'två'")
    "argumentet --processer: 'två' är inte ett heltal"
    """
    for monster, ersattning in _OVERSATTNINGAR:
        if monster.match(meddelande):
            return monster.sub(ersattning, meddelande)
    return meddelande


class _SvenskHjalptext(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "användning: ")


class _SvenskParser(argparse.ArgumentParser):
    """``ArgumentParser`` med svenska rubriker, hjälptext och felmeddelanden (slutkod 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _SvenskHjalptext)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS,
            help="visa den här hjälpen och avsluta",
        )  # fmt: skip

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(SLUTKOD_FEL_I_INDATA, f"{self.prog}: fel: {_pa_svenska(message)}\n")


def _flagga_uppfoljning_finsam(p: argparse.ArgumentParser) -> None:
    """``--uppfoljning-finsam [KATALOG]`` (samma för rapport och batch)."""
    p.add_argument(
        "--uppfoljning-finsam",
        nargs="?",
        const="",
        default=None,
        metavar="KATALOG",
        help="skriv också uppfoljning_finsam.csv (omaskade antal för inrapportering till "
        "Uppföljning Finsam) under KATALOG, standard <utdata>/inrapportering",
    )


def bygg_parser() -> argparse.ArgumentParser:
    parser = _SvenskParser(
        prog="finsam-analys",
        description="Analys och rapporter för samordningsförbund (FINSAM).",
    )
    under = parser.add_subparsers(
        dest="kommando", required=True, metavar="KOMMANDO", title="kommandon"
    )

    p = under.add_parser(
        "ny", help="skapa en förbundskatalog ur förbundets egen uppföljningsfil (Excel/CSV)"
    )
    p.add_argument("katalog", help="den nya förbundskatalogen, t.ex. data/sala")
    p.add_argument("--fran", required=True, help="förbundets egen fil (.xlsx eller .csv)")
    p.add_argument("--blad", action="append", help="bara detta blad (kan upprepas)")
    p.add_argument("--namn", default=None, help="förbundets namn (standard: ur filens titel)")
    p.add_argument("--insats", default=None, help="insatsens namn för blad utan insatskolumn")
    p.set_defaults(funktion=_ny)

    p = under.add_parser("validera", help="kontrollera en förbundskatalog och lista alla fel")
    p.add_argument("katalog", help="förbundets katalog under data/")
    p.set_defaults(funktion=_validera)

    p = under.add_parser(
        "granska",
        help="räkna om publicerade tabeller och lista avvikelser (slutkod 0 inga avvikelser, "
        "1 avvikelser, 2 fel i indata)",
    )
    p.add_argument("katalog", help="förbundets katalog under data/")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.set_defaults(funktion=_granska)

    p = under.add_parser("rapport", help="skapa en rapport för ett förbund och en period")
    p.add_argument("--forbund", required=True, help="förbundets katalog under --data")
    p.add_argument("--period", required=True, help="t.ex. 2024 eller 2025-01..2025-08")
    p.add_argument("--data", default="data", help="katalogen med förbundskataloger")
    p.add_argument("--utdata", default="outputs", help="roten för utdata")
    p.add_argument("--sekretess-troskel", type=int, default=None, help="minsta visade antal")
    p.add_argument("--jamforelseperiod", default=None, help="standard: perioden året innan")
    p.add_argument("--skapad", default=None, type=_datum, help="datum i sidhuvudet (ÅÅÅÅ-MM-DD)")
    p.add_argument(
        "--tillat-avvikande-period",
        action="store_true",
        help="kör även en period utanför förbundets perioder eller efter uttagsdatumet "
        "(rapporten märks)",
    )
    _flagga_uppfoljning_finsam(p)
    p.set_defaults(funktion=_rapport)

    p = under.add_parser("batch", help="skapa rapporter för alla förbund och perioder")
    p.add_argument("--data", default="data", help="katalogen med förbundskataloger")
    p.add_argument("--utdata", default="outputs", help="roten för utdata")
    p.add_argument("--forbund", action="append", help="bara dessa förbund (kan upprepas)")
    p.add_argument("--period", action="append", help="bara dessa perioder (kan upprepas)")
    p.add_argument(
        "--processer",
        type=int,
        default=None,
        help="antal processer (standard: en per CPU, plus en med förvärmda kärnor)",
    )
    p.add_argument("--skapad", default=None, type=_datum, help="datum i sidhuvudet (ÅÅÅÅ-MM-DD)")
    _flagga_uppfoljning_finsam(p)
    p.set_defaults(funktion=_batch)
    return parser


SLUTKOD_AVBRUTET = 130
"""Ctrl-C (128 + SIGINT), som i skalet; SIGTERM ger 143."""


@contextlib.contextmanager
def _vaktade_strommar():
    """stdout och stderr genom vakten: inga personnummer och inga styrtecken i terminalen."""
    from finsam_analys.indata.vakt import VaktadStrom

    tidigare = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VaktadStrom(sys.stdout), VaktadStrom(sys.stderr)
    try:
        yield
    finally:
        for strom in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                strom.tom()
        sys.stdout, sys.stderr = tidigare


class _Avbrott(KeyboardInterrupt):
    """SIGTERM, som Ctrl-C: samma städning (``finally``), slutkod 143."""


def _vid_sigterm(signum: int, frame: object) -> None:
    raise _Avbrott


@contextlib.contextmanager
def _avbrott_som_ctrl_c():
    """SIGTERM avbryter som Ctrl-C (så att kärnor och tillfälliga kataloger städas)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    tidigare = signal.signal(signal.SIGTERM, _vid_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, tidigare)


def main(argv: Sequence[str] | None = None) -> int:
    with _vaktade_strommar():
        args = bygg_parser().parse_args(argv)
        try:
            with _avbrott_som_ctrl_c():
                return args.funktion(args)
        except KeyboardInterrupt as avbrott:
            import signal

            signal.signal(signal.SIGINT, signal.SIG_IGN)  # ett andra Ctrl-C stör inte slutet
            try:
                print("Avbrutet.", file=sys.stderr)
            finally:
                signal.signal(signal.SIGINT, signal.default_int_handler)
            return 143 if isinstance(avbrott, _Avbrott) else SLUTKOD_AVBRUTET
        except BrokenPipeError:
            _tyst_stdout()
            return SLUTKOD_ROR_STANGT
        except Exception:
            # sista skyddsnätet: ett fel i programmet (inte i indata, som har egna svenska
            # meddelanden) ger aldrig ett felspår med engelsk text i terminalen
            if os.environ.get("FINSAM_FELSPAR") == "1":
                raise
            print(
                "Oväntat internt fel i finsam-analys (inte ett fel i era filer). Kör igen med "
                "FINSAM_FELSPAR=1 för att se detaljerna, och rapportera gärna felet.",
                file=sys.stderr,
            )
            return SLUTKOD_INTERNT_FEL


SLUTKOD_ROR_STANGT = 141
"""Läsaren av utskriften slutade läsa (``finsam-analys granska … | head``): 128 + SIGPIPE, som
ett vanligt kommando i skalet, utan felspår."""


def _tyst_stdout() -> None:
    """Det som ännu skulle skrivas till ett stängt rör kastas (annars ett nytt fel vid slutet)."""
    with contextlib.suppress(OSError, ValueError):
        noll = os.open(os.devnull, os.O_WRONLY)
        os.dup2(noll, sys.__stdout__.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
