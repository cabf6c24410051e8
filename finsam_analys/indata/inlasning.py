"""Inläsning av ett förbunds katalog: CSV/Excel, mappning, typning, validering, personnummerspärr.

``las_forbund(katalog)`` läser ``forbund.yaml`` och alla tabellfiler, mappar förbundets egna
rubriker och etiketter till datamodellen (``scheman``), typar kolumnerna, kör alla kontroller
(``validering``) och vägrar personnummer. Alla problem i alla filer samlas och kastas som ett
``InlasningsFel`` med en svensk lista (``.rapport()``).

Rå indata ändras aldrig: varje fil läses en gång som bytes och tolkas i minnet.

CSV: semikolon (med decimalkomma), komma eller tabb; UTF-8, UTF-8 med BOM, UTF-16 eller
cp1252 (Windows-1252) detekteras. Excel (.xlsx): namngivet blad (``filer`` i konfigurationen)
eller första bladet. Rubrikraden hittas även under titelrader; radnummer i meddelandena är
radnumren som användaren ser i Excel.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import operator
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata import filer as _filer
from finsam_analys.indata.filer import FilFel
from finsam_analys.indata.kodlistor import DIMENSIONER, SYNONYMER
from finsam_analys.indata.personnummer import (
    ar_personnummer,
    celler_med_personnummer,
    dolj_personnummer,
)
from finsam_analys.indata.rapportspec import RAPPORTSPECFIL, las_rapportspec
from finsam_analys.indata.scheman import TABELLER, Kolumn, Tabelldef
from finsam_analys.indata.underlag import Forbundskonfig, Underlag, forslag
from finsam_analys.indata.vakt import visbar, visbart_namn
from finsam_analys.indata.validering import (
    MAX_VARDEN_PER_KOLUMN,
    Problem,
    begransa,
    lista_kategorier,
    sla_ihop,
    validera_tabell,
)

__all__ = [
    "InlasningsFel",
    "Problem",
    "las_forbund",
    "las_konfig",
    "las_tabell",
]

KONFIGFILER = ("forbund.yaml", "forbund.yml")
FILANDELSER = (".csv", ".xlsx", ".txt")
PASTAENDEN = "granskning_pastaenden.csv"
"""Granskningens textpåståenden (läses av :mod:`.pastaenden`, med samma spärrar)."""
_SOK_RUBRIK_RADER = 30


class InlasningsFel(Exception):
    """Indata kunde inte läsas eller valideras. ``problem`` är en lista med ``Problem``.

    >>> fel = InlasningsFel([Problem("filen är tom", fil="avslut.csv")], katalog="data/x")
    >>> print(fel.rapport())
    Indata i data/x har 1 problem:
      - avslut.csv: filen är tom
    """

    def __init__(self, problem: Sequence[Problem], *, katalog: Any = None) -> None:
        self.problem = begransa(sla_ihop(list(problem)))
        self.katalog = None if katalog is None else str(katalog)
        super().__init__(self.rapport())

    def rapport(self) -> str:
        """Alla problem som en svensk lista (aldrig något som ser ut som ett personnummer)."""
        var = f" i {visbart_namn(self.katalog)}" if self.katalog else ""
        n = len(self.problem)
        rader = [f"Indata{var} har {n} problem:"]
        rader += [f"  - {p.text()}" for p in self.problem]
        return dolj_personnummer("\n".join(rader))


# ---------------------------------------------------------------------------
# Inställningar som styr läsningen (från konfigurationen, även om den är delvis trasig)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Installningar:
    filer: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    kolumner: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    kategorier: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    insatser: tuple[str, ...] | None = None
    trappa: tuple[str, ...] | None = None

    @classmethod
    def fran_konfig(cls, konfig: Forbundskonfig | None) -> _Installningar:
        if konfig is None:
            return cls()
        return cls(
            filer=konfig.filer,
            kolumner=konfig.kolumner,
            kategorier=konfig.kategorier,
            insatser=konfig.insatser,
            trappa=konfig.trappa or None,
        )


# ---------------------------------------------------------------------------
# Filer -> rader av text
# ---------------------------------------------------------------------------


@dataclass
class _Radata:
    """Alla celler i en fil som text (NaN = tom cell). Rad i (0-baserad) är rad i + 1 i Excel."""

    rutnat: pd.DataFrame
    ra: pd.DataFrame | None = None  # Excel: ursprungliga cellvärden (för personnummerspärren)

    def rader(self, antal: int) -> list[list[str | None]]:
        """De första raderna som listor (None = tom cell)."""
        del_ = self.rutnat.iloc[:antal]
        return [[None if pd.isna(v) else v for v in rad] for rad in del_.itertuples(index=False)]


_avkoda = _filer.avkoda


def _las_csv_text(text: str) -> pd.DataFrame:
    rader = text.splitlines()
    _kontrollera_matt(
        max(map(len, rader), default=0), len(rader), rader_text=True
    )
    avgransare = _gissa_avgransare(text)
    # övre gräns för antal fält (avgränsare inom citattecken ger bara tomma extrakolumner)
    bredd = max(map(operator.methodcaller("count", avgransare), rader), default=0) + 1
    _kontrollera_matt(0, len(rader), bredd=bredd)
    rutnat = pd.read_csv(io.StringIO(text), sep=avgransare, names=range(bredd), **_CSV_VAL)
    rutnat = _stada_rutnat(rutnat)
    rutnat.attrs["avgransare"] = avgransare
    return rutnat


def _kontrollera_matt(
    radlangd: int, antal_rader: int, *, bredd: int = 0, rader_text: bool = False
) -> None:
    """Kastar FilFel om en rad är för lång, eller raderna × kolumnerna för många."""
    if radlangd > _filer.MAX_RADLANGD:
        enhet = "tecken" if rader_text else "byte"
        raise FilFel(
            f"en rad är {radlangd:,} {enhet} lång; högst {_filer.MAX_RADLANGD:,} läses".replace(
                ",", " "
            ),
            forvantat="en tabell med en rad per post (filen saknar troligen radbrytningar)",
            kod="for_stor",
        )
    if bredd > _filer.MAX_KOLUMNER:
        raise FilFel(
            f"en rad har {bredd:,} kolumner; högst {_filer.MAX_KOLUMNER:,} läses (som i "
            "Excel)".replace(",", " "),
            forvantat="en tabell med rimligt antal kolumner",
            kod="for_stor",
        )
    if bredd * antal_rader > _filer.MAX_CELLER:
        raise FilFel(
            f"filen har {antal_rader:,} rader × {bredd:,} kolumner; högst "
            f"{_filer.MAX_CELLER:,} celler läses".replace(",", " "),
            forvantat="en mindre fil, eller utan tomma extrakolumner",
            kod="for_stor",
        )


_CSV_VAL: dict[str, Any] = {
    "header": None,
    "dtype": object,  # text först i stada: en omvandling per kolumn, inte per block
    "na_filter": False,
    "skip_blank_lines": False,
    "engine": "c",
}
_BLOCK = 1 << 22  # 4 MiB åt gången när bytes räknas


def _kodning(data: bytes) -> tuple[str, int]:
    r"""Teckenkodning och antal inledande BOM-byte; samma val som ``_avkoda``.

    >>> _kodning(b"\xef\xbb\xbfa;b"), _kodning("å;b".encode("cp1252")), _kodning(b"a;b")
    (('utf-8', 3), ('cp1252', 0), ('utf-8', 0))
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            _kontrollera_utf8(data, 3)  # som _avkoda: ogiltig UTF-8 efter BOM är ett fel
        except UnicodeDecodeError:
            _avkoda(data)  # kastar FilFel med svensk text
        return "utf-8", 3
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", 0
    if data.isascii():
        return "utf-8", 0
    try:
        _kontrollera_utf8(data, 0)
    except UnicodeDecodeError:
        if _filer.utf16_utan_bom(data):
            return "utf-16", 0
        return "cp1252", 0
    return "utf-8", 0


def _kontrollera_utf8(data: bytes, start: int) -> None:
    """Kastar UnicodeDecodeError om ``data[start:]`` inte är UTF-8 (utan att hela texten skapas)."""
    avkodare = codecs.getincrementaldecoder("utf-8")()
    vy = memoryview(data)
    for i in range(start, len(data), _BLOCK):
        avkodare.decode(vy[i : i + _BLOCK])
    avkodare.decode(b"", final=True)


def _prov(data: bytes, kodning: str, start: int, rader: int = 60) -> str:
    r"""De första ``rader`` raderna som text (som ``"\n".join(text.splitlines()[:rader])``)."""
    storlek = 1 << 16
    while True:
        avkodare = codecs.getincrementaldecoder(kodning)(errors="replace")
        slut = start + storlek >= len(data)
        text = avkodare.decode(memoryview(data)[start : start + storlek], final=slut)
        delar = text.splitlines()
        # högst några MB: en fil utan radbrytningar ska inte provläsas i sin helhet
        if slut or len(delar) > rader or storlek >= 4 * _filer.MAX_RADLANGD:
            return "\n".join(delar[:rader])
        storlek *= 4


def _max_antal_falt(data: bytes, avgransare: str, start: int, kodning: str) -> int:
    r"""Övre gräns för antal fält per rad: som ``max(rad.count(avgransare)) + 1`` över
    ``text.splitlines()``, men räknat direkt på bytes i block (ingen lista med rader).

    >>> _max_antal_falt(b"a;b\r\n;;;\x0c;\n;", ";", 0, "utf-8")
    4
    >>> _max_antal_falt(";;\u2028;".encode(), ";", 0, "utf-8")
    3
    """
    return _matt(data, avgransare, start, kodning)[0]


def _matt(data: bytes, avgransare: str, start: int, kodning: str) -> tuple[int, int, int]:
    r"""(största antal fält på en rad, längsta rad i byte, antal rader), räknat på bytes.

    >>> _matt(b"a;b\n;;;;\nx", ";", 0, "utf-8")
    (5, 4, 3)
    """
    tecken = np.frombuffer(data, dtype=np.uint8)[start:]
    kod = ord(avgransare)
    basta, pagaende = 0, 0
    langst, radstart, antal_rader = 0, 0, 0
    for i in range(0, len(tecken), _BLOCK):
        fore = min(i, 2)  # två byte före blocket för flerbytes radbrytningar i UTF-8
        utokat = tecken[i - fore : i + _BLOCK]
        # samma som np.isin(utokat, _RADBRYTNINGAR) (10–13 och 28–30; uint8 slår runt under
        # noll), men två jämförelser i stället för en per värde
        brott = ((utokat - np.uint8(10)) < 4) | ((utokat - np.uint8(28)) < 3)
        if kodning == "utf-8" and len(utokat) > 2:
            # U+0085 (C2 85), U+2028 och U+2029 (E2 80 A8/A9): sista byten räknas som brytning
            brott[1:] |= (utokat[1:] == 0x85) & (utokat[:-1] == 0xC2)
            brott[2:] |= (
                ((utokat[2:] == 0xA8) | (utokat[2:] == 0xA9))
                & (utokat[1:-1] == 0x80)
                & (utokat[:-2] == 0xE2)
            )
        block = utokat[fore:]
        # avgränsarnas platser; antalet till och med en radbrytning är en sökning bland dem
        # (som en löpande summa över blocket, utan en heltalsvektor lika lång som blocket)
        avgransningar = np.flatnonzero(block == kod)
        brytningar = np.flatnonzero(brott[fore:])
        if len(brytningar):
            vid = np.searchsorted(avgransningar, brytningar, side="right")
            basta = max(basta, pagaende + int(vid[0]), int(np.diff(vid).max(initial=0)))
            pagaende = int(len(avgransningar) - vid[-1])
            positioner = brytningar + i
            langst = max(
                langst,
                int(positioner[0]) - radstart,
                int(np.diff(positioner).max(initial=1)) - 1,
            )
            radstart = int(positioner[-1]) + 1
            antal_rader += len(brytningar)
        else:
            pagaende += len(avgransningar)
    langst = max(langst, len(tecken) - radstart)
    antal_rader += 1 if len(tecken) > radstart else 0
    return max(basta, pagaende) + 1, langst, antal_rader


# radbrytningar enligt str.splitlines som är en byte i både UTF-8 och cp1252
_RADBRYTNINGAR = np.array([10, 11, 12, 13, 28, 29, 30], dtype=np.uint8)


def _las_csv_bytes(data: bytes) -> pd.DataFrame:
    """Som ``_las_csv_text(_avkoda(data))`` men utan att hela filen görs om till text.

    Pandas C-läsare avkodar själv; hårda blanksteg byts mot vanliga redan i bytes (de kan
    aldrig vara avgränsare eller citattecken, så cellerna blir desamma).
    """
    kodning, start = _kodning(data)
    if kodning == "utf-16":
        return _las_csv_text(_avkoda(data))
    avgransare = _gissa_avgransare(_prov(data, kodning, start))
    bredd, langst, antal_rader = _matt(data, avgransare, start, kodning)
    _kontrollera_matt(langst, antal_rader, bredd=bredd)
    hart = b"\xc2\xa0" if kodning == "utf-8" else b"\xa0"
    if hart in data:
        data = data.replace(hart, b" ")
    kalla = io.BytesIO(data)
    kalla.seek(start)
    rutnat = pd.read_csv(
        kalla,
        sep=avgransare,
        names=range(bredd),
        encoding=kodning,
        encoding_errors="replace" if kodning == "cp1252" else "strict",
        **_CSV_VAL,
    )
    rutnat = _stada_rutnat(rutnat, hart=False)
    rutnat.attrs["avgransare"] = avgransare
    # utan citattecken kan ingen cell innehålla en radbrytning (se _misstankta_celler)
    rutnat.attrs["citattecken"] = b'"' in data
    return rutnat


_SVEP_MAX_CELLER = 200_000
"""Största rutnät (rader × kolumner) som städas och förkontrolleras i ett svep över alla
kolumner (:func:`_stada_rutnat`, :func:`_misstankta_celler`). Ett svep gör en kopia av hela
rutnätet; för ett förbunds vanliga tabeller sparar det tid, för en miljon deltaganden kostade
det ~450 MiB mer toppminne (``make bench``, inläsningen), så större rutnät går kolumn för kolumn."""


def _stada_rutnat(rutnat: pd.DataFrame, *, hart: bool = True) -> pd.DataFrame:
    """Trimma blanksteg (även hårda, om ``hart``) och gör tomma celler till NaN.

    Alla kolumner som en lång textkolumn (en omvandling, ett trimmande och en jämförelse för
    hela rutnätet i stället för per kolumn), sedan delad i kolumnerna igen; samma celler och
    samma typ (``str``) som kolumn för kolumn.
    """
    n = len(rutnat)
    if not n or not len(rutnat.columns) or n * len(rutnat.columns) > _SVEP_MAX_CELLER:
        # tomt, eller så stort att en kopia av hela rutnätet kostar mer minne än anropen per
        # kolumn kostar tid: kolumn för kolumn
        ut = {}
        for j in rutnat.columns:
            kol = rutnat[j].astype("str")
            if hart:
                kol = kol.str.replace("\u00a0", " ", regex=False)
            kol = kol.str.strip()
            ut[j] = kol.where(kol != "")
        return pd.DataFrame(ut, index=rutnat.index, columns=rutnat.columns)
    alla = pd.Series(
        np.concatenate([rutnat[j].to_numpy(dtype=object) for j in rutnat.columns])
    ).astype("str")
    if hart:
        alla = alla.str.replace("\u00a0", " ", regex=False)
    alla = alla.str.strip()
    celler = alla.where(alla != "").array
    ut = {
        j: pd.Series(celler[k * n : (k + 1) * n], index=rutnat.index, name=j)
        for k, j in enumerate(rutnat.columns)
    }
    return pd.DataFrame(ut, index=rutnat.index, columns=rutnat.columns)


def _tom_till_none(cell: str) -> str | None:
    c = cell.strip().replace("\u00a0", " ")
    return c if c else None


def _gissa_avgransare(text: str) -> str:
    prov = "\n".join(text.splitlines()[:60])
    basta, basta_poang = ",", (-1, -1)
    for avgransare in (";", ",", "\t"):
        # långa celler (upp till en hel rad) får inte stoppa provläsningen
        tidigare = csv.field_size_limit(max(csv.field_size_limit(), _filer.MAX_RADLANGD * 2))
        try:
            poster = [p for p in csv.reader(io.StringIO(prov), delimiter=avgransare) if any(p)]
        except csv.Error:
            continue
        finally:
            csv.field_size_limit(tidigare)
        antal = [len(p) for p in poster]
        if not antal:
            continue
        varden, frekvens = np.unique(antal, return_counts=True)
        # vanligaste antal fält (större antal vinner vid lika)
        ordning = np.lexsort((varden, frekvens))
        typvarde, hur_ofta = int(varden[ordning[-1]]), int(frekvens[ordning[-1]])
        if typvarde < 2:
            continue
        poang = (hur_ofta, typvarde)
        if poang > basta_poang:
            basta, basta_poang = avgransare, poang
    return basta


def _cell_som_text(varde: Any) -> str | None:
    if varde is None:
        return None
    if isinstance(varde, bool):
        return "true" if varde else "false"
    if isinstance(varde, int):
        return str(varde)
    if isinstance(varde, float):
        if not np.isfinite(varde):
            return None
        if varde == int(varde) and abs(varde) < 1e15:
            return str(int(varde))
        return repr(varde)
    if isinstance(varde, dt.datetime):
        if varde.time() == dt.time(0, 0):
            return varde.date().isoformat()
        return varde.isoformat(sep=" ")
    if isinstance(varde, dt.date):
        return varde.isoformat()
    if isinstance(varde, dt.time):
        return varde.isoformat()
    return _tom_till_none(str(varde))


def _xlsx_rader(ark: Any, fil: str) -> list[list[Any]]:
    """Ett blads celler som rader (utan att lita på filens angivna storlek), med cellgräns."""
    if hasattr(ark, "reset_dimensions"):
        ark.reset_dimensions()  # lita inte på filens angivna storlek
    ra: list[list[Any]] = []
    bredd = 0
    for rad in ark.iter_rows(min_row=1, values_only=True):
        bredd = max(bredd, len(rad))
        if bredd > _filer.MAX_KOLUMNER or bredd * (len(ra) + 1) > _filer.MAX_CELLER:
            _kontrollera_matt(0, len(ra) + 1, bredd=bredd)
        ra.append(list(rad))
    return ra


def _kontrollera_zip(data: bytes) -> None:
    """Kastar FilFel om .xlsx-filen packas upp till orimligt mycket (zip-bomb)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as arkiv:
        okomprimerat = sum(info.file_size for info in arkiv.infolist())
    if okomprimerat > _filer.MAX_XLSX_OKOMPRIMERAT:
        raise FilFel(
            f"Excel-filen packas upp till {okomprimerat >> 20} MB; högst "
            f"{_filer.MAX_XLSX_OKOMPRIMERAT >> 20} MB läses",
            forvantat="en mindre arbetsbok (eller spara tabellen som CSV)",
            kod="for_stor",
        )


def _las_xlsx(data: bytes, blad: str | None, fil: str) -> tuple[_Radata | None, list[Problem]]:
    """Läs bladet ``blad`` (standard: det första); alla blad genomsöks efter personnummer."""
    import zipfile

    from openpyxl import load_workbook

    try:
        _kontrollera_zip(data)
        bok = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except FilFel:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError):
        return None, [
            Problem(
                "kan inte läsas som Excel-fil (.xlsx); spara om den i Excel som "
                "'Excel-arbetsbok' eller som CSV",
                fil=fil,
                kod="olaslig_fil",
            )
        ]
    problem: list[Problem] = []
    try:
        if blad is not None and blad not in bok.sheetnames:
            return None, [
                Problem(
                    f'bladet "{blad}" finns inte',
                    fil=fil,
                    forvantat=f"ett av bladen: {', '.join(bok.sheetnames)}",
                    kod="saknat_blad",
                )
            ]
        valt = blad if blad is not None else bok.sheetnames[0]
        ra: list[list[Any]] = []
        for namn in bok.sheetnames:
            if ar_personnummer(namn):
                problem.append(_personnummer_i_namn(fil, "ett blad i arbetsboken"))
                continue
            rader = _xlsx_rader(bok[namn], fil)
            if namn == valt:
                ra = rader
                continue
            # övriga blad läses inte som tabell, men personnummerspärren gäller hela filen
            ovrigt = pd.DataFrame(rader, dtype=object)
            ovrigt.columns = range(len(ovrigt.columns))
            problem += _personnummerproblem(_Radata(ovrigt, ovrigt), {}, f"{fil} (bladet {namn})")
    finally:
        bok.close()
    bredd = max((len(r) for r in ra), default=0)
    ra = [r + [None] * (bredd - len(r)) for r in ra]
    rader = [[_cell_som_text(v) for v in r] for r in ra]
    rutnat = pd.DataFrame(rader, columns=range(bredd), dtype="str")
    radata = _Radata(rutnat=rutnat, ra=pd.DataFrame(ra, columns=range(bredd), dtype=object))
    if problem:
        return None, problem + _personnummerproblem(radata, {}, fil)
    # resten av filen (kommentarer, egenskaper, sidhuvud, namn …); står numret i det valda
    # bladets celler säger tabellens egen kontroll var, med kolumnens namn
    paketet = _personnummer_i_paketet(data, fil)
    if paketet and not _personnummerproblem(radata, {}, fil):
        return None, paketet
    return radata, []


def _personnummer_i_paketet(data: bytes, fil: str) -> list[Problem]:
    """Personnummer i en arbetsbok utanför cellerna (:func:`filer.personnummer_i_paketet`)."""
    plats = _filer.personnummer_i_paketet(data)
    if plats is None:
        return []
    return [
        Problem(
            f"innehåller något som ser ut som ett personnummer i {plats}; läsningen stoppas "
            "(värdet visas inte)",
            fil=fil,
            forvantat="inga personnummer i underlaget, inte heller i kommentarer och egenskaper",
            kod="personnummer",
        )
    ]


def _personnummer_i_namn(fil: str | None, vad: str) -> Problem:
    return Problem(
        f"namnet på {vad} ser ut som ett personnummer; läsningen stoppas. Byt namn "
        "(namnet visas inte)",
        fil=fil,
        forvantat="inga personnummer i underlaget, inte heller i namn",
        kod="personnummer",
    )


_STODDA_ANDELSER = (".csv", ".txt", ".xlsx")


def _las_fil(
    sokvag: Path, blad: str | None, fil: str, rot: Path | None = None
) -> tuple[_Radata | None, list[Problem]]:
    andelse = sokvag.suffix.lower()
    if andelse not in _STODDA_ANDELSER:
        tips = (
            "spara om i Excel som .xlsx eller CSV"
            if andelse in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")
            else "en .csv- eller .xlsx-fil"
        )
        return None, [
            Problem(
                f"filformatet {visbar(andelse or '(utan filändelse)')} stöds inte",
                fil=fil,
                forvantat=f"en .xlsx-fil eller en CSV-fil ({tips})",
                kod="olaslig_fil",
            )
        ]
    try:
        data = _filer.las_bytes(sokvag, rot=rot)  # läser bara; öppnas aldrig för skrivning
        if andelse == ".xlsx" or data[:4] == b"PK\x03\x04":
            return _las_xlsx(data, blad, fil)
        if (
            b"\x00" in data[:2000]
            and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
            and not _filer.utf16_utan_bom(data)
        ):
            return None, [
                Problem(
                    "filen ser inte ut som text (CSV) och inte som .xlsx",
                    fil=fil,
                    forvantat="en CSV-fil eller en .xlsx-fil",
                    kod="olaslig_fil",
                )
            ]
        rutnat = _las_csv_bytes(data)
    except FilFel as fel:
        return None, [
            Problem(fel.meddelande, fil=fil, forvantat=fel.forvantat, kod=fel.kod)
        ]
    except (csv.Error, UnicodeDecodeError, pd.errors.ParserError) as fel:
        tips = (
            "; troligen ett citattecken som inte avslutas"
            if "EOF" in str(fel) or "quote" in str(fel)
            else ""
        )
        return None, [
            Problem(
                f"CSV-filen kan inte tolkas{tips}",
                fil=fil,
                forvantat="semikolon- eller kommaseparerad text, samma antal fält på varje rad",
                kod="olaslig_fil",
            )
        ]
    problem = _misstankta_celler(rutnat, fil)
    if problem:
        return None, problem
    return _Radata(rutnat=rutnat), []


def _misstankta_celler(rutnat: pd.DataFrame, fil: str) -> list[Problem]:
    """Celler som inte kan vara rätt: fler tecken än Excel tillåter, eller hela rader inuti en
    cell (ett citattecken som inte avslutas slår annars tyst ihop resten av filen till en cell).

    Rad som i Excel, kolumnbokstav.
    """
    problem = []
    avgransare = rutnat.attrs.get("avgransare")
    radbrytning = bool(avgransare and rutnat.attrs.get("citattecken", True))
    celler = len(rutnat) * len(rutnat.columns)
    if 0 < celler <= _SVEP_MAX_CELLER:
        # förkontroll för hela rutnätet på en gång: oftast finns varken radbrytningar eller för
        # långa celler, och då behövs ingen kolumn för kolumn (som nedan ger samma svar)
        alla = pd.concat([rutnat[j] for j in rutnat.columns], ignore_index=True)
        har_radbrytning = radbrytning and bool(
            alla.str.contains("\n", regex=False, na=False).any()
        )
        har_for_lang = bool((alla.str.len() > _filer.MAX_CELL).any())
        if not har_radbrytning and not har_for_lang:
            return problem
    # en inbäddad rad med nästan lika många avgränsare som tabellen har kolumner är en post
    minsta = max(2, int(rutnat.notna().any().sum()) - 2)
    for j in rutnat.columns:
        kolumn = rutnat[j]
        if radbrytning:
            flerradig = kolumn.str.contains("\n", regex=False, na=False).to_numpy(dtype=bool)
            for i in np.flatnonzero(flerradig):
                inre = str(kolumn.iloc[i]).split("\n")[1:]
                if any(rad.count(avgransare) >= minsta for rad in inre):
                    problem.append(
                        Problem(
                            "ett citattecken (\") som inte avslutas gör att flera rader läses "
                            f"som en enda cell ({len(inre) + 1} rader)",
                            fil=fil,
                            rader=(int(i) + 1,),
                            kolumn=_kolumnbokstav(int(j)),
                            forvantat="citattecken i par kring en cell, eller inga citattecken",
                            kod="olaslig_fil",
                        )
                    )
                    break
        langd = kolumn.str.len()
        for_lang = np.flatnonzero((langd > _filer.MAX_CELL).to_numpy(dtype=bool, na_value=False))
        if len(for_lang):
            problem.append(
                Problem(
                    f"cellen har {int(langd.iloc[for_lang[0]]):,} tecken; högst "
                    f"{_filer.MAX_CELL:,} läses (som i Excel)".replace(",", " "),
                    fil=fil,
                    rader=tuple(int(i) + 1 for i in for_lang),
                    kolumn=_kolumnbokstav(int(j)),
                    forvantat="kortare text i cellen (eller ett citattecken som inte avslutas)",
                    kod="for_stor",
                )
            )
    return problem


# ---------------------------------------------------------------------------
# Rubriker och kolumnmappning
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _normalisera_text(namn: str) -> str:
    t = unicodedata.normalize("NFKD", namn.strip().lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[^0-9a-z]+", "_", t)
    return t.strip("_")


def _normalisera(namn: str) -> str:
    """Rubrik i jämförbar form: gemener, utan diakritiska tecken, _ mellan ord.

    >>> _normalisera(" Kön ")
    'kon'
    >>> _normalisera("Folkmängd 20-64")
    'folkmangd_20_64'
    """
    # samma celltexter förekommer många gånger när rubrikraden söks: minnet sparar tid
    return _normalisera_text(str(namn))


def _kolumnkarta(tdef: Tabelldef, mappning: Mapping[str, str]) -> dict[str, str]:
    """Normaliserad rubrik -> kanoniskt namn (förbundets mappning först)."""
    karta: dict[str, str] = {_normalisera(k): k for k in tdef.kolumnnamn}
    for deras, var in mappning.items():
        karta[_normalisera(deras)] = var
    return karta


def _kanonisk(rubrik: str, tdef: Tabelldef, karta: Mapping[str, str], exakt: Mapping) -> str | None:
    if rubrik in exakt:
        return exakt[rubrik]
    norm = _normalisera(rubrik)
    if norm in karta:
        return karta[norm]
    if tdef.tillaten(norm):
        return norm
    return None


def _hitta_rubrikrad(rader: list[list[str | None]], tdef: Tabelldef, karta, exakt) -> int | None:
    basta, basta_poang = None, 0
    for i, rad in enumerate(rader[:_SOK_RUBRIK_RADER]):
        celler = [c for c in rad if c is not None]
        if not celler:
            continue
        poang = sum(_kanonisk(c, tdef, karta, exakt) is not None for c in celler)
        if poang > basta_poang:
            basta, basta_poang = i, poang
    if basta is not None:
        return basta
    # inga kända rubriker: första raden med minst två ifyllda celler
    for i, rad in enumerate(rader[:_SOK_RUBRIK_RADER]):
        if sum(c is not None for c in rad) >= 2:
            return i
    for i, rad in enumerate(rader):
        if any(c is not None for c in rad):
            return i
    return None


def _kolumnbokstav(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# ---------------------------------------------------------------------------
# Typning
# ---------------------------------------------------------------------------

_SAKNAS = {"..", "–", "-", "—", "−", "na", "NA", "N/A", "saknas", "uppgift saknas"}


def _tolka_tal(serie: pd.Series) -> pd.Series:
    """Text -> float (svenska och engelska former); NaN där det inte går.

    >>> _tolka_tal(pd.Series(["1 234,5", "−2", "13 %", "0.25", "1.234.567", None])).tolist()
    [1234.5, -2.0, 13.0, 0.25, 1234567.0, nan]
    """
    # snabbväg: hela kolumnen är vanliga tal med punkt eller decimalkomma
    text = serie.astype("str")
    for kandidat in (text, text.str.replace(",", ".", regex=False)):
        if kandidat.str.contains(r"[^0-9.eE+\-]", regex=True, na=False).any():
            continue
        try:
            return kandidat.astype("float64")
        except (ValueError, TypeError):
            pass
    # annars: det som går direkt, städa bara resten
    direkt = pd.to_numeric(text, errors="coerce").astype("float64")
    rest = serie.notna() & direkt.isna()
    if not rest.any():
        return direkt
    return direkt.where(~rest, _tolka_tal_stadat(serie[rest]).reindex(serie.index))


def _tolka_tal_stadat(serie: pd.Series) -> pd.Series:
    t = serie.astype("str")
    t = t.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    t = t.str.replace("\u2212", "-", regex=False).str.replace("%", "", regex=False)
    t = t.str.replace(r"^(kr|tkr)|(kr|tkr|st)$", "", regex=True)
    bada = (t.str.contains(",", regex=False) & t.str.contains(".", regex=False)).to_numpy(bool)
    if bada.any():
        # både komma och punkt: det sista tecknet är decimaltecken, det andra tusental
        b = t[bada]
        komma_sist = b.str.rfind(",") > b.str.rfind(".")
        b = b.where(~komma_sist, b.str.replace(".", "", regex=False))
        b = b.where(komma_sist, b.str.replace(",", "", regex=False))
        t = t.where(~bada, b.reindex(t.index))
    # flera punkter = tusentalsavgränsare
    t = t.where(~t.str.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}"), t.str.replace(".", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    t = t.where(serie.notna())
    return pd.to_numeric(t, errors="coerce").astype("float64")


_DATUMFORMER = (
    # (regex, ordning av grupper)
    (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", "ymd"),
    (r"(\d{4})(\d{2})(\d{2})", "ymd"),
    (r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", "ymd"),
    (r"(\d{1,2})/(\d{1,2})[ /-](\d{4})", "dmy"),
    (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy"),
    (r"(\d{2})(\d{2})(\d{2})", "yymd"),
)


def _tolka_datum(serie: pd.Series) -> pd.Series:
    """Text -> datum (datetime64[us]); NaT där det inte går.

    >>> _tolka_datum(pd.Series(["2019-01-31", "20190131", "190131", "31/1 2019",
    ...     "2019-01-31 00:00:00", "2019-02-30", None])).dt.strftime("%Y-%m-%d").tolist()
    ['2019-01-31', '2019-01-31', '2019-01-31', '2019-01-31', '2019-01-31', nan, nan]
    """
    t = serie.astype("str").str.strip()
    # snabbväg: ISO-datum (det vanligaste); övriga former bara för resten
    iso = pd.to_datetime(t, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
    rest = t.notna() & iso.isna()
    if not rest.any():
        return iso
    return iso.where(~rest, _tolka_datum_former(t[rest]).reindex(t.index))


def _tolka_datum_former(t: pd.Series) -> pd.Series:
    serie = t
    ar = pd.Series(np.nan, index=serie.index)
    manad = pd.Series(np.nan, index=serie.index)
    dag = pd.Series(np.nan, index=serie.index)
    klar = pd.Series(False, index=serie.index)
    for monster, ordning in _DATUMFORMER:
        delar = t.str.extract(f"^{monster}$")
        traff = delar[0].notna().to_numpy(bool) & ~klar.to_numpy(bool)
        if not traff.any():
            continue
        a, b, c = (pd.to_numeric(delar[i], errors="coerce") for i in range(3))
        if ordning == "ymd":
            y, m, d = a, b, c
        elif ordning == "dmy":
            y, m, d = c, b, a
        else:  # yymd: 6 siffror ÅÅMMDD, sekel efter dagens år
            nu = dt.date.today().year % 100
            y = a.where(a > nu, a + 2000).where(a <= nu, a + 1900)
            m, d = b, c
        ar[traff], manad[traff], dag[traff] = y[traff], m[traff], d[traff]
        klar = klar | pd.Series(traff, index=serie.index)
    datum = pd.to_datetime(pd.DataFrame({"year": ar, "month": manad, "day": dag}), errors="coerce")
    return datum.astype("datetime64[us]")


_SANT = {"true", "sant", "ja", "j", "x", "1", "yes", "y"}
_FALSKT = {"false", "falskt", "nej", "n", "0", "no"}


def _typa(serie: pd.Series, kol: Kolumn, rubrik: str, fil: str) -> tuple[pd.Series, list[Problem]]:
    """Text -> kolumnens typ; problem för varje värde som inte går att tolka."""
    problem: list[Problem] = []
    ifylld = serie.notna()

    def fel(mask: pd.Series, forvantat: str) -> None:
        valda = mask.to_numpy(bool)
        if not valda.any():  # inget fel (det vanliga): ingen serie att välja ut
            return
        felaktiga = serie[valda]
        vad = forvantat.split(" (")[0]
        grupper = felaktiga.groupby(felaktiga, sort=False).groups
        overskott: list[int] = []
        for i, (varde, index) in enumerate(grupper.items()):
            if i >= MAX_VARDEN_PER_KOLUMN:
                overskott.extend(int(r) for r in index)
                continue
            problem.append(
                Problem(
                    f"värdet kan inte tolkas som {vad}",
                    fil=fil,
                    rader=tuple(int(r) for r in index),
                    kolumn=rubrik,
                    kanonisk=kol.namn,
                    varde=str(varde),
                    forvantat=forvantat,
                    kod="typ",
                )
            )
        if overskott:
            problem.append(
                Problem(
                    f"ytterligare {len(grupper) - MAX_VARDEN_PER_KOLUMN} olika värden kan inte "
                    f"tolkas som {vad} (visas inte var för sig)",
                    fil=fil,
                    rader=tuple(sorted(overskott)),
                    kolumn=rubrik,
                    kanonisk=kol.namn,
                    forvantat=forvantat,
                    kod="manga",
                )
            )

    if kol.typ in ("text", "period"):
        return serie.astype("str"), problem
    if kol.typ in ("heltal", "tal"):
        saknas = serie.isin(_SAKNAS)
        tal = _tolka_tal(serie.where(~saknas))
        ogiltig = ifylld & ~saknas & tal.isna()
        fel(ogiltig, "ett tal (t.ex. 12 eller 3,5)")
        # oändligt eller orimligt stort ("1e999", "inf"): inget antal eller belopp
        orimligt = tal.notna() & ~(tal.abs() < 1e15)
        fel(orimligt, "ett tal av rimlig storlek (högst 15 siffror)")
        tal = tal.where(~orimligt)
        if kol.typ == "heltal":
            icke_heltal = tal.notna() & (tal != np.round(tal))
            fel(icke_heltal, "ett heltal (t.ex. 12)")
            tal = tal.where(~icke_heltal)
            return tal.round().astype("Int64"), problem
        return tal, problem
    if kol.typ == "datum":
        datum = _tolka_datum(serie)
        ogiltig = ifylld & datum.isna()
        fel(ogiltig, "ett datum (t.ex. 2019-01-31, 20190131 eller 31/1 2019)")
        return datum, problem
    if kol.typ == "bool":
        gemen = serie.astype("str").str.lower()
        sant, falskt = gemen.isin(_SANT), gemen.isin(_FALSKT)
        fel(ifylld & ~sant & ~falskt, "sant eller falskt (ja/nej, true/false)")
        ut = pd.Series(pd.NA, index=serie.index, dtype="boolean")
        ut[sant.to_numpy(bool)] = True
        ut[falskt.to_numpy(bool)] = False
        return ut, problem
    raise AssertionError(kol.typ)  # pragma: no cover


def _mappa_kategorier(
    serie: pd.Series,
    kolumn: str,
    tabell: str,
    ins: _Installningar,
    kanda: frozenset[str] | None,
) -> pd.Series:
    """Förbundets etiketter -> våra; sedan vanliga synonymer mot kolumnens kodlista."""
    mappning: dict[str, str] = {}
    for nyckel in (kolumn, f"{tabell}.{kolumn}"):
        mappning.update(ins.kategorier.get(nyckel, {}))
    if kanda:
        synonymer = {k: v for k, v in SYNONYMER.items() if v in kanda and k not in kanda}
        mappning = {**synonymer, **mappning}
    berorda = {k: v for k, v in mappning.items() if k != v}
    if not berorda or not serie.isin(list(berorda)).any():
        return serie
    # null i forbund.yaml: etiketten betyder att uppgiften saknas
    saknas = [k for k, v in berorda.items() if v is None]
    if saknas:
        serie = serie.where(~serie.isin(saknas).to_numpy(bool))
        berorda = {k: v for k, v in berorda.items() if v is not None}
    return serie.replace(berorda).astype("str") if berorda else serie.astype("str")


# ---------------------------------------------------------------------------
# En tabell
# ---------------------------------------------------------------------------


def _personnummerproblem(radata: _Radata, rubriker: Mapping[int, str], fil: str) -> list[Problem]:
    """Sök i alla celler (även titel- och rubrikrader); returnera platser, aldrig värden."""
    celler = radata.ra if radata.ra is not None else radata.rutnat
    problem = []
    for kol, positioner in celler_med_personnummer(celler).items():
        j = int(kol)
        bokstav = _kolumnbokstav(j)
        rubrik = rubriker.get(j) or bokstav
        problem.append(
            Problem(
                "innehåller något som ser ut som ett personnummer eller samordningsnummer; "
                "läsningen stoppas. Ersätt med ett pseudonymt id (värdet visas inte)",
                fil=fil,
                rader=tuple(p + 1 for p in positioner),
                kolumn=rubrik,
                kanonisk=bokstav,
                forvantat="inga personnummer i underlaget",
                kod="personnummer",
            )
        )
    return problem


def _tabell_fran_radata(
    radata: _Radata, tabell: str, fil: str, ins: _Installningar
) -> tuple[pd.DataFrame | None, dict[str, str], list[Problem]]:
    """Rå rader -> typad tabell med Excel-radnummer som index, visningsnamn och problem."""
    tdef = TABELLER[tabell]
    mappning = ins.kolumner.get(tabell, {})
    karta = _kolumnkarta(tdef, mappning)
    exakt = {str(k).strip(): v for k, v in mappning.items()}
    alla = radata.rutnat

    if alla.empty or not alla.notna().any().any():
        pn = _personnummerproblem(radata, {}, fil)
        return None, {}, pn or [Problem("filen är tom", fil=fil, kod="tom_fil")]
    forsta = radata.rader(_SOK_RUBRIK_RADER)
    rubrikrad = _hitta_rubrikrad(forsta, tdef, karta, exakt)
    if rubrikrad is None:  # bara tomma rader i början: ta första icke-tomma raden
        rubrikrad = int(np.flatnonzero(alla.notna().any(axis=1).to_numpy())[0])
    rubriker = {
        j: v for j, v in zip(alla.columns, alla.iloc[rubrikrad], strict=True) if not pd.isna(v)
    }

    # personnummerspärren först: hittas något läses filen inte vidare
    pn = _personnummerproblem(radata, rubriker, fil)
    if pn:
        return None, {}, pn
    okanda = [_kanonisk(r, tdef, karta, exakt) is None for r in rubriker.values()]
    if len(rubriker) > 1 and all(okanda):
        # ingen rubrik känd: troligen saknas rubrikraden (eller är tom); ett problem, inte ett
        # per kolumn
        exempel = ", ".join(f'"{visbar(r)[:40]}"' for r in list(rubriker.values())[:4])
        tomma = " (raderna ovanför är tomma)" if rubrikrad > 0 else ""
        return None, {}, [
            Problem(
                f"hittar ingen rubrikrad: rad {rubrikrad + 1}{tomma} har inga kända kolumnnamn "
                f"({exempel}{' …' if len(rubriker) > 4 else ''})",
                fil=fil,
                rader=(rubrikrad + 1,),
                forvantat=f"en rubrikrad med kolumner bland: {', '.join(tdef.kolumnnamn)} "
                f"(egna namn mappas under kolumner: {tabell}: i forbund.yaml)",
                kod="saknad_rubrikrad",
            )
        ]

    problem: list[Problem] = []
    rutnat = alla.iloc[rubrikrad + 1 :]
    rutnat = rutnat.set_axis(np.arange(rubrikrad + 2, rubrikrad + 2 + len(rutnat)), axis=0)
    bredd = len(alla.columns)
    tomma_rader = rutnat.isna().all(axis=1)
    rutnat = rutnat[~tomma_rader.to_numpy(bool)]
    if rutnat.empty:
        problem.append(
            Problem(
                f"filen har rubriker men inga datarader (rubrikraden är rad {rubrikrad + 1})",
                fil=fil,
                kod="tom_fil",
            )
        )

    kolumner, visningsnamn, fel = _kolumner_efter_rubrik(
        rutnat, rubriker, rubrikrad, bredd, tdef, karta, exakt, mappning, tabell, fil
    )
    problem += fel

    typade: dict[str, pd.Series] = {}
    for kanon, serie in kolumner.items():
        kdef = tdef.kolumndef(kanon)
        assert kdef is not None
        if kdef.typ == "text":
            kanda = frozenset(kdef.kategorier) if kdef.kategorier else None
            if kanon == "kategori" and "dimension" in tdef.kolumnnamn:
                kanda = frozenset(k for lista in DIMENSIONER.values() if lista for k in lista)
            serie = _mappa_kategorier(serie, kanon, tabell, ins, kanda)
        typad, fel = _typa(serie, kdef, visningsnamn[kanon], fil)
        problem.extend(fel)
        typade[kanon] = typad

    # kanonisk ordning: definierade kolumner (saknade valfria som tomma), sedan extra
    # (kolumnerna samlas först och tabellen byggs en gång, inte en tilldelning per kolumn)
    ut: dict[str, pd.Series] = {}
    for kdef in tdef.kolumner:
        if kdef.namn in typade:
            ut[kdef.namn] = typade[kdef.namn]
        elif not kdef.obligatorisk:
            ut[kdef.namn] = pd.Series(index=rutnat.index, dtype=kdef.dtype)
    for kanon, serie in typade.items():
        if kanon not in ut:
            ut[kanon] = serie
    return pd.DataFrame(ut, index=rutnat.index), visningsnamn, problem


def _kolumner_efter_rubrik(
    rutnat: pd.DataFrame,
    rubriker: Mapping[int, Any],
    rubrikrad: int,
    bredd: int,
    tdef: Tabelldef,
    karta: Mapping[str, str],
    exakt: Mapping[str, str],
    mappning: Mapping[str, str],
    tabell: str,
    fil: str,
) -> tuple[dict[str, pd.Series], dict[str, str], list[Problem]]:
    """Filens kolumner under sina kanoniska namn, rubrikerna som de stod och problemen (kolumn
    utan rubrik, okänd kolumn, kolumn två gånger, obligatorisk kolumn som saknas)."""
    problem: list[Problem] = []
    kolumner: dict[str, pd.Series] = {}
    visningsnamn: dict[str, str] = {}
    for j in range(bredd):
        rubrik = rubriker.get(j)
        serie = rutnat[j]
        if rubrik is None:
            if serie.notna().any():
                problem.append(
                    Problem(
                        f"kolumn {_kolumnbokstav(j)} har värden men ingen rubrik",
                        fil=fil,
                        rader=(rubrikrad + 1,),
                        forvantat="en rubrik i rubrikraden",
                        kod="okand_kolumn",
                    )
                )
            continue
        kanon = _kanonisk(rubrik, tdef, karta, exakt)
        if kanon is None:
            kanda = [*tdef.kolumnnamn, "kommentar", "kalltabell", "<namn>_publicerad"]
            problem.append(
                Problem(
                    f'okänd kolumn "{rubrik}"{forslag(_normalisera(rubrik), tdef.kolumnnamn)} '
                    f"(mappa den under kolumner: {tabell}: i forbund.yaml eller ta bort den)",
                    fil=fil,
                    rader=(rubrikrad + 1,),
                    forvantat=f"kolumner bland: {', '.join(kanda)}",
                    kod="okand_kolumn",
                )
            )
            continue
        if kanon in kolumner:
            problem.append(
                Problem(
                    f'kolumnen "{kanon}" förekommer två gånger ("{visningsnamn[kanon]}" och '
                    f'"{rubrik}")',
                    fil=fil,
                    rader=(rubrikrad + 1,),
                    forvantat="varje kolumn en gång",
                    kod="dubbel_kolumn",
                )
            )
            continue
        kolumner[kanon] = serie
        visningsnamn[kanon] = rubrik

    for namn in tdef.obligatoriska:
        if namn not in kolumner:
            egna = [k for k, v in mappning.items() if v == namn]
            tips = f" (enligt forbund.yaml heter den {egna[0]!r} hos er)" if egna else ""
            problem.append(
                Problem(
                    f'obligatorisk kolumn "{namn}" saknas{tips}',
                    fil=fil,
                    rader=(rubrikrad + 1,),
                    forvantat=f"kolumnerna {', '.join(tdef.obligatoriska)}",
                    kod="saknad_kolumn",
                )
            )
    return kolumner, visningsnamn, problem


def _las_och_validera(
    sokvag: Path,
    tabell: str,
    fil: str,
    blad: str | None,
    ins: _Installningar,
    rot: Path | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    radata, problem = _las_fil(sokvag, blad, fil, rot)
    if radata is None:
        return None, problem
    df, visningsnamn, problem = _tabell_fran_radata(radata, tabell, fil, ins)
    if df is None:
        return None, problem
    typfel = {(p.kanonisk, r) for p in problem if p.kod in ("typ", "manga") for r in p.rader}
    # även med saknade kolumner: kontrollera det som finns;
    # värden som inte kunde typas är redan rapporterade: räkna dem inte som saknade
    kontroll = validera_tabell(
        df,
        tabell,
        fil=fil,
        visningsnamn=visningsnamn,
        insatser=ins.insatser,
        trappa=ins.trappa,
    )
    problem += [
        p
        for p in kontroll
        if not (p.kod == "saknat_varde" and all((p.kanonisk, r) in typfel for r in p.rader))
    ]
    return df.reset_index(drop=True), problem


def las_tabell(
    sokvag: str | Path,
    tabell: str,
    *,
    konfig: Forbundskonfig | None = None,
    blad: str | None = None,
) -> pd.DataFrame:
    r"""Läs och validera en enskild tabellfil (CSV eller .xlsx).

    Parametrar
    ----------
    sokvag
        Filen.
    tabell
        Kanoniskt tabellnamn (se ``scheman.TABELLER``).
    konfig
        Förbundets konfiguration (kolumn- och kategorimappning, insatser); valfri.
    blad
        Excelblad (standard: första bladet).

    Returnerar
    ----------
    pandas.DataFrame
        Städad tabell med kanoniska kolumner och typer.

    Kastar
    ------
    InlasningsFel
        Med alla problem i filen.

    Exempel
    -------
    >>> import tempfile
    >>> fil = Path(tempfile.mkdtemp()) / "avslut.csv"
    >>> _ = fil.write_bytes("Avslut 2019\nperiod;insats;utfall;antal\n2019;MAC;Arbete;7\n"
    ...                     .encode("cp1252"))
    >>> las_tabell(fil, "avslut")[["period", "insats", "utfall", "antal"]]
      period insats  utfall  antal
    0   2019    MAC  Arbete      7
    """
    sokvag = Path(sokvag)
    if tabell not in TABELLER:
        raise InlasningsFel(
            [Problem(f'okänd tabell "{tabell}"', forvantat=lista_kategorier(sorted(TABELLER)))]
        )
    if not sokvag.is_file():
        raise InlasningsFel([Problem("filen finns inte", fil=str(sokvag), kod="saknad_fil")])
    ins = _Installningar.fran_konfig(konfig)
    df, problem = _las_och_validera(sokvag, tabell, sokvag.name, blad, ins)
    if problem or df is None:
        raise InlasningsFel(problem)
    return df


# ---------------------------------------------------------------------------
# En förbundskatalog
# ---------------------------------------------------------------------------


def _fil_fel_som_problem(fel: FilFel, fil: str) -> Problem:
    text = fel.meddelande
    if fel.kolumn is not None:
        text += f" (tecken {fel.kolumn} på raden)"
    return Problem(
        text,
        fil=fil,
        rader=(fel.rad,) if fel.rad is not None else (),
        forvantat=fel.forvantat,
        kod=fel.kod,
    )


def _las_konfig(katalog: Path) -> tuple[Forbundskonfig | None, _Installningar, list[Problem]]:
    sokvag = next((katalog / n for n in KONFIGFILER if (katalog / n).exists()), None)
    if sokvag is None:
        return (
            None,
            _Installningar(),
            [
                Problem(
                    "obligatorisk fil forbund.yaml saknas",
                    fil="forbund.yaml",
                    forvantat="en konfigurationsfil med id, namn, kommuner, insatser, perioder",
                    kod="saknad_fil",
                )
            ],
        )
    fil = sokvag.name
    try:
        data = _filer.las_yaml(sokvag, rot=katalog)
    except FilFel as fel:
        return None, _Installningar(), [_fil_fel_som_problem(fel, fil)]
    konfig, fel = Forbundskonfig.fran_dict(data)
    problem = [Problem(visbar(f), fil=fil, kod="konfig") for f in fel]
    if konfig is not None and konfig.id != katalog.name:
        problem.append(
            Problem(
                f'id "{visbar(konfig.id)}" stämmer inte med katalogens namn '
                f'"{visbar(katalog.name)}"',
                fil=fil,
                forvantat=f"id: {visbar(katalog.name)}",
                kod="konfig",
            )
        )
    if konfig is not None:
        return konfig, _Installningar.fran_konfig(konfig), problem
    # trasig konfiguration: läs ändå tabellerna med de delar som gick att tolka
    delar: dict[str, Any] = {}
    if isinstance(data, Mapping):
        for nyckel in ("filer", "kolumner", "kategorier"):
            if nyckel in data:
                k, f = Forbundskonfig.fran_dict(
                    {
                        "id": "x",
                        "namn": "x",
                        "kommuner": ["x"],
                        "insatser": ["x"],
                        "perioder": ["2019"],
                        nyckel: data[nyckel],
                    }
                )
                if k is not None:
                    delar[nyckel] = getattr(k, nyckel)
    return None, _Installningar(**delar), problem


_ID = re.compile(r"[^\W_](?:[\w\-. ]*[\w-])?")
"""Ett förbunds id (katalogens namn): bokstäver (också å, ä, ö), siffror, - och _, och inuti
namnet också mellanslag och punkt (``Södra Dalarna``, en katalog som fungerade före
kontrollen fortsätter att fungera); inga radbrytningar, styrtecken eller ``< >``."""


def _katalogproblem(katalog: Path) -> list[Problem]:
    """Förbundskatalogens namn och namnen i den: inga personnummer (namnen visas inte)."""
    problem = []
    if ar_personnummer(katalog.name):
        problem.append(_personnummer_i_namn(None, "förbundets katalog"))
    elif not _ID.fullmatch(katalog.name):
        # namnet blir förbundets id och katalog i outputs/, och står i terminalen, index.html
        # och nyckeltal.csv: en radbrytning, en ANSI-kod eller < > i det gör skada där
        problem.append(
            Problem(
                f'katalogens namn "{visbart_namn(katalog.name)}" blir förbundets id och får bara '
                "innehålla bokstäver, siffror, mellanslag, punkt, - och _",
                forvantat="t.ex. data/sala eller data/norra_halsingland",
                kod="konfig",
            )
        )
    try:
        namn = [p.name for p in katalog.iterdir()]
    except OSError as fel:
        return [*problem, Problem(f"katalogen {_filer.systemfel_text(fel)}", kod="olaslig_fil")]
    if any(ar_personnummer(n) for n in namn):
        problem.append(_personnummer_i_namn(None, "en fil i förbundets katalog"))
    return problem


def las_konfig(katalog: str | Path) -> Forbundskonfig:
    """Läs och kontrollera bara ``forbund.yaml`` (och katalogens namn), inga tabeller.

    Samma kontroller som :func:`las_forbund` gör för konfigurationen: personnummer, YAML utan
    alias, alla nycklar. Används av körningen för att pröva en rapport innan den startas.

    Raises
    ------
    InlasningsFel
        Med konfigurationens problem.
    """
    katalog = Path(katalog)
    if not katalog.is_dir():
        raise InlasningsFel(
            [Problem("katalogen finns inte", fil=visbar(katalog), kod="saknad_fil")],
            katalog=katalog,
        )
    problem = _katalogproblem(katalog)
    konfig, _, fel = _las_konfig(katalog)
    problem += fel
    if problem or konfig is None:
        raise InlasningsFel(problem, katalog=katalog)
    return konfig


def _sokvagsproblem(katalog: Path, tabell: str, namn: str) -> Problem | None:
    """Problem med en fil som ``filer:`` anger, eller None om den får läsas."""
    del_ = Path(namn)
    if del_.is_absolute() or ".." in del_.parts or not namn.strip():
        return Problem(
            f'filen för tabellen {tabell} ("{visbar(namn)}") ligger utanför förbundets katalog',
            fil="forbund.yaml",
            forvantat="ett filnamn i förbundets katalog, t.ex. deltagare.xlsx",
            kod="sokvag",
        )
    fel = _filer.problem_med_sokvag(katalog, katalog / del_)
    if fel is None:
        return None
    if fel == "finns inte":
        return Problem(
            f'filen för tabellen {tabell} saknas (forbund.yaml anger "{visbar(namn)}")',
            fil=visbar(namn),
            kod="saknad_fil",
        )
    return Problem(
        f"filen för tabellen {tabell} {fel}",
        fil=visbar(namn),
        forvantat="en vanlig fil i förbundets katalog",
        kod="sokvag",
    )


def _hitta_filer(
    katalog: Path, ins: _Installningar
) -> tuple[dict[str, tuple[Path, str | None]], list[Problem]]:
    filer: dict[str, tuple[Path, str | None]] = {}
    problem: list[Problem] = []
    for tabell, spec in ins.filer.items():
        fel = _sokvagsproblem(katalog, tabell, spec["fil"])
        if fel is not None:
            problem.append(fel)
            continue
        filer[tabell] = (katalog / spec["fil"], spec.get("blad"))
    upptagna = {p.resolve() for p, _ in filer.values()}
    alla = sorted(
        p
        for p in katalog.iterdir()
        if not p.name.startswith((".", "~$")) and not ar_personnummer(p.name)
    )
    for tabell in TABELLER:
        if tabell in filer or tabell in ins.filer:
            continue
        namnlika = [p for p in alla if p.stem == tabell]
        kandidater = [p for p in namnlika if p.suffix.lower() in FILANDELSER]
        if len(kandidater) > 1:
            problem.append(
                Problem(
                    f"tabellen {tabell} finns i flera filer: "
                    f"{', '.join(visbar(p.name) for p in kandidater)}",
                    fil=visbar(kandidater[0].name),
                    forvantat="en fil per tabell (ta bort eller byt namn på de andra)",
                    kod="dubbel_fil",
                )
            )
            continue
        # en fil i ett format som inte stöds (deltagare.xls) rapporteras av _las_fil
        valda = kandidater or namnlika[:1]
        if not valda:
            continue
        sokvag = valda[0]
        fel = _filer.problem_med_sokvag(katalog, sokvag)
        if fel is not None:
            problem.append(
                Problem(
                    f"{fel}; den heter som tabellen {tabell} men kan inte läsas",
                    fil=visbar(sokvag.name),
                    forvantat="en vanlig fil i förbundets katalog",
                    kod="sokvag",
                )
            )
            continue
        filer[tabell] = (sokvag, None)
    kanda_namn = list(TABELLER)
    for p in alla:
        if p.name in KONFIGFILER or p.stem in TABELLER or p.name == PASTAENDEN:
            continue
        if p.is_file() and p.resolve() in upptagna:
            continue
        if p.suffix.lower() in (*FILANDELSER, ".xls"):
            tips = forslag(p.stem, kanda_namn)
            if tips:
                problem.append(
                    Problem(
                        f"filen hör inte till någon tabell{tips}",
                        fil=visbar(p.name),
                        forvantat=f"filnamn bland: {', '.join(kanda_namn)}",
                        kod="okand_fil",
                    )
                )
    return filer, problem


def las_forbund(katalog: str | Path) -> Underlag:
    r"""Läs, mappa och validera ett förbunds katalog.

    Parametrar
    ----------
    katalog
        Katalogen med ``forbund.yaml`` och tabellfilerna (``<tabell>.csv`` eller ``.xlsx``).

    Returnerar
    ----------
    Underlag
        Konfigurationen och de städade tabellerna.

    Kastar
    ------
    InlasningsFel
        Med alla problem i alla filer (``.problem``, ``.rapport()``). Personnummer stoppar
        läsningen; värdet finns aldrig i meddelandet. Även ``granskning_pastaenden.csv``
        läses och kontrolleras (den används av granskningen).

    Exempel
    -------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "test"
    >>> d.mkdir()
    >>> _ = (d / "forbund.yaml").write_text(
    ...     "id: test\nnamn: Test\nkommuner: [A]\ninsatser: [Team]\nperioder: ['2019']\n")
    >>> _ = (d / "avslut.csv").write_text(
    ...     "period;insats;utfall;antal\n2019;Team;Arbete;3\n2019;Team;Studeir;2\n")
    >>> try:
    ...     las_forbund(d)
    ... except InlasningsFel as fel:
    ...     print(fel.problem[0].text()[:70])
    avslut.csv, rad 3, kolumn "utfall": okänd kategori – menade du "Studie
    """
    katalog = Path(katalog)
    if not katalog.is_dir():
        raise InlasningsFel(
            [Problem("katalogen finns inte", fil=visbar(katalog), kod="saknad_fil")],
            katalog=katalog,
        )
    problem: list[Problem] = _katalogproblem(katalog)
    try:
        konfig, ins, fel = _las_konfig(katalog)
    except Exception as undantag:  # formuleras, aldrig traceback
        konfig, ins, fel = None, _Installningar(), [_ovantat(undantag, "forbund.yaml")]
    problem += fel
    filer, fel = _hitta_filer(katalog, ins)
    problem += fel
    tryckta = (katalog / "publicerat").is_dir()  # bara tryckta tabeller räcker också
    if not filer and not tryckta and not any(p.kod in ("saknad_fil", "sokvag") for p in fel):
        problem.append(
            Problem(
                "inga tabellfiler hittades",
                fil=visbar(katalog),
                forvantat="minst en fil som heter som en tabell, t.ex. deltagare.csv, "
                "avslut.csv eller ekonomi.xlsx",
                kod="saknad_fil",
            )
        )
    tabeller: dict[str, pd.DataFrame] = {}
    kallfiler: dict[str, str] = {}
    for tabell, (sokvag, blad) in filer.items():
        fil = visbar(sokvag.name) + (f" (bladet {visbar(blad)})" if blad else "")
        try:
            df, fel = _las_och_validera(sokvag, tabell, fil, blad, ins, katalog)
        except Exception as undantag:  # formuleras, aldrig traceback
            df, fel = None, [_ovantat(undantag, fil)]
        problem += fel
        if df is not None:
            tabeller[tabell] = df
            kallfiler[tabell] = sokvag.name
    # Tryckta tabeller (publicerat/) och påståendefilen: läses och kontrolleras här också.
    from finsam_analys.indata.pastaenden import las_pastaendefil
    from finsam_analys.indata.publicerat import las_publicerade

    publicerade, fel = las_publicerade(katalog)
    problem += fel
    pastaenden, fel = las_pastaendefil(katalog)
    problem += fel
    # Förbundets Word-mall (sidhuvud, sidfot och egenskaper följer med in i rapport.docx).
    from finsam_analys.indata.mall import mallproblem

    problem += mallproblem(katalog)
    # Rapportspecifikationen (rapport.yaml och löptexten): målen prövas mot måltabellen.
    spec = None
    if konfig is not None:
        try:
            spec, fel = las_rapportspec(katalog, konfig=konfig, mal=tabeller.get("mal"))
        except Exception as undantag:  # formuleras, aldrig traceback
            spec, fel = None, [_ovantat(undantag, RAPPORTSPECFIL)]
        problem += fel
    if problem or konfig is None:
        raise InlasningsFel(problem, katalog=katalog)
    return Underlag(
        katalog=katalog,
        konfig=konfig,
        tabeller=tabeller,
        filer=kallfiler,
        publicerade=publicerade,
        pastaenden=pastaenden,
        rapportspec=spec,
    )


def _ovantat(undantag: BaseException, fil: str) -> Problem:
    if isinstance(undantag, MemoryError):
        return Problem(
            "filen är för stor för att läsas i minnet",
            fil=fil,
            forvantat="en mindre fil",
            kod="for_stor",
        )
    if isinstance(undantag, OSError):
        return Problem(
            f"filen {_filer.systemfel_text(undantag)}",
            fil=fil,
            kod="olaslig_fil",
        )
    return Problem(
        "oväntat fel vid läsning (filen har ett format som inte känns igen)",
        fil=fil,
        forvantat="en fil som går att öppna; kontrollera formatet eller spara om den som CSV "
        "(UTF-8, semikolon) eller .xlsx",
        kod="ovantat",
    )
