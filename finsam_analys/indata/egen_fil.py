"""Läs ett förbunds egen uppföljningsfil som den är: blad, titelrader, rubriker, datarader.

Förbundens egna arbetsböcker har titelrader ovanför rubriken, rubriker över två rader med
sammanfogade celler ("ORS" över "in" och "ut"), sammanfogade celler i datat, tomma rader,
summarader och anteckningar under tabellen, instruktionsblad och blad med rullistor.
:func:`las_egen_fil` hittar rubrikraden på varje blad, sätter ihop rubriker över två rader,
fyller sammanfogade celler och lämnar cellvärdena som de stod (text, tal, datum), med
radnumren som i Excel.

Personnummerspärren körs på varje cell i varje blad (även titelrader, rubriker och
kommentarer) innan något annat görs; värdet skrivs aldrig ut. Filen öppnas bara för läsning.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from finsam_analys.indata.kodlistor import ar_summarad
from finsam_analys.indata.mappning import RUBRIKER, ar_tom, rubrikpoang
from finsam_analys.indata.personnummer import ar_personnummer, celler_med_personnummer
from finsam_analys.indata.validering import Problem

__all__ = ["Egenfil", "Radblad", "las_egen_fil"]

_SOK_RUBRIK = 80  # instruktioner ovanför tabellen på samma blad
_MAX_KOLUMNER = 300
MAX_EGEN_FIL = 16 << 20
"""Största egna fil som ``ny`` läser: CSV-filens storlek, eller arbetsbokens storlek uppackad.
Arbetsboken läses i openpyxl:s vanliga läge (för de sammanfogade cellerna), som tar ungefär tio
gånger så mycket minne; 16 MB räcker till omkring 30 000 deltagarrader."""
MAX_EGNA_CELLER = 2_000_000
"""Flest celler (rader × kolumner till den sista ifyllda cellen) på ett blad i den egna filen."""
# Under en deltagarlista är också en rad som räknar deltagarna ("Antal: 45") en summering, men
# "Antal" är ingen summaetikett i tabeller (där är det en rubrik); därför bara här.
_ANTALRAD = re.compile(r"^antal\b", re.IGNORECASE)


@dataclass(frozen=True)
class Radblad:
    """Ett blad ur förbundets fil (en CSV-fil är ett blad utan namn).

    ``data`` har förbundets rubriker som kolumner och cellvärdena som de stod (text, tal,
    datum, None); index är radnumren som i Excel. ``rubrikrader`` är rubrikens rad(er),
    ``hoppade`` rader som inte är deltagare (summarader, anteckningar under tabellen).
    """

    namn: str
    data: pd.DataFrame
    rubrikrader: tuple[int, ...]
    titel: tuple[str, ...] = ()
    hoppade: tuple[int, ...] = ()
    tomma_rader: int = 0
    kolumnbokstav: dict[str, str] = field(default_factory=dict)

    @property
    def plats(self) -> str:
        """Bladets namn för meddelanden: ``bladet "Steget"`` eller ``filen``."""
        return f'bladet "{self.namn}"' if self.namn else "filen"


@dataclass(frozen=True)
class Egenfil:
    """En läst egen fil: bladen med tabeller och bladen som hoppades över (med orsak)."""

    fil: str
    blad: tuple[Radblad, ...]
    hoppade_blad: tuple[tuple[str, str], ...] = ()


def _bokstav(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def _ar_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _ar_summering(forsta: Any) -> bool:
    """En rad vars första ifyllda cell är en summa (kodlistor.ar_summarad) eller ett antal."""
    return _ar_text(forsta) and (ar_summarad(forsta) or bool(_ANTALRAD.match(forsta.strip())))


def _rubriker(
    rutnat: list[list[Any]], h: int, sammanfogade: list[tuple[int, int, int, int]], bredd: int
) -> tuple[list[Any], tuple[int, ...]]:
    """Rubrikerna om rad ``h`` är rubrikraden: (en rubrik per kolumn, rubrikens rader).

    Sammanfogade celler i rubrikraden gäller alla sina kolumner. Är raden under en
    underrubrik ("ORS" över "in" och "ut", sammanfogad eller med tomma celler till höger)
    sätts rubrikerna ihop: "ORS in", "ORS ut".
    """
    rubrik = list(rutnat[h])
    grupper: list[tuple[int, int]] = []
    for a, _, c, d in sammanfogade:
        if a == h and d > c:
            for j in range(c + 1, min(d, bredd - 1) + 1):
                rubrik[j] = rubrik[c]
            grupper.append((c, min(d, bredd - 1)))
    if h + 1 >= len(rutnat):
        return rubrik, (h,)
    under = rutnat[h + 1]
    ifyllda = [j for j, v in enumerate(under) if not ar_tom(v)]
    if not ifyllda or not all(
        _ar_text(under[j]) and len(str(under[j]).strip()) <= 25 for j in ifyllda
    ):
        return rubrik, (h,)
    # osammanfogade grupper: en rubrik följd av tomma rubrikceller med underrubriker under
    j = 0
    while j < bredd:
        if not ar_tom(rutnat[h][j]) and not any(c <= j <= d for c, d in grupper):
            k = j
            while k + 1 < bredd and ar_tom(rutnat[h][k + 1]) and not ar_tom(under[k + 1]):
                k += 1
            if k > j and not ar_tom(under[j]):
                grupper.append((j, k))
                for i in range(j + 1, k + 1):
                    rubrik[i] = rubrik[j]
            j = k + 1
        else:
            j += 1
    breda = [
        (c, d) for c, d in grupper if sum(not ar_tom(under[i]) for i in range(c, d + 1)) >= 2
    ]  # fmt: skip
    if not breda:
        return list(rutnat[h]), (h,)
    for j in ifyllda:
        forald, barn = rubrik[j], str(under[j]).strip()
        rubrik[j] = f"{str(forald).strip()} {barn}" if not ar_tom(forald) else barn
    return rubrik, (h, h + 1)


def _rubrikrad(
    rutnat: list[list[Any]], sammanfogade: list[tuple[int, int, int, int]], bredd: int
) -> tuple[int | None, list[Any], tuple[int, ...]]:
    """Raden (index) som bäst ser ut som rubrikrad bland de första raderna, med rubrikerna.

    Poäng: rubriker som liknar datamodellens (tre poäng var, efter ihopsättning med en
    underrubrikrad) plus korta texter, minus tal och datum på raden; bara rader med minst två
    olika texter. Titelrader har oftast en enda cell.
    """
    basta: tuple[int | None, list[Any], tuple[int, ...]] = (None, [], ())
    basta_poang = 0.0
    for i, rad in enumerate(rutnat[:_SOK_RUBRIK]):
        texter = {str(v).strip() for v in rad if _ar_text(v) and len(str(v).strip()) <= 60}
        if len(texter) < 2:
            continue
        rubrik, rader = _rubriker(rutnat, i, sammanfogade, bredd)
        namn = {str(v).strip() for v in rubrik if _ar_text(v)}
        kanda = sum(any(rubrikpoang(t, mal)[0] >= 0.7 for mal in RUBRIKER) for t in namn)
        siffror = sum(1 for v in rad if not ar_tom(v) and not _ar_text(v))
        poang = 3 * kanda + len(texter) - 2 * siffror
        if poang > basta_poang:
            basta, basta_poang = (i, rubrik, rader), poang
    return basta


def _sammanfogade(ark: Any) -> list[tuple[int, int, int, int]]:
    """Sammanfogade områden som (första rad, sista rad, första kolumn, sista kolumn), 0-baserat."""
    ut = []
    for omrade in getattr(ark, "merged_cells", None) and ark.merged_cells.ranges or ():
        ut.append((omrade.min_row - 1, omrade.max_row - 1, omrade.min_col - 1, omrade.max_col - 1))
    return ut


def _blad_fran_rutnat(
    namn: str, rutnat: list[list[Any]], sammanfogade: list[tuple[int, int, int, int]]
) -> tuple[Radblad | None, str]:
    """Rutnätet (rader av cellvärden) -> Radblad, eller (None, varför bladet hoppas över)."""
    if not rutnat or not any(not ar_tom(v) for rad in rutnat for v in rad):
        return None, "bladet är tomt"
    bredd = min(max(len(r) for r in rutnat), _MAX_KOLUMNER)
    rutnat = [list(r[:bredd]) + [None] * (bredd - len(r)) for r in rutnat]
    h, rubrik, rubrikrader = _rubrikrad(rutnat, sammanfogade, bredd)
    if h is None:
        return None, "ingen rubrikrad (bara text i en kolumn)"
    forsta_data = rubrikrader[-1] + 1
    # fyll sammanfogade celler i datat med värdet i deras första cell
    for a, b, c, d in sammanfogade:
        if a < forsta_data:
            continue
        varde = rutnat[a][c]
        for i in range(a, min(b, len(rutnat) - 1) + 1):
            for j in range(c, min(d, bredd - 1) + 1):
                rutnat[i][j] = varde

    titel = tuple(
        str(v).strip() for rad in rutnat[:h] for v in rad if _ar_text(v)
    )  # fmt: skip
    namn_per_kolumn: list[str | None] = []
    sedda: dict[str, int] = {}
    data_rader = rutnat[forsta_data:]
    for j in range(bredd):
        r = rubrik[j]
        har_data = any(not ar_tom(rad[j]) for rad in data_rader)
        if ar_tom(r):
            namn_per_kolumn.append(f"Kolumn {_bokstav(j)}" if har_data else None)
            continue
        text = re.sub(r"\s+", " ", str(r).strip())
        if text in sedda:
            sedda[text] += 1
            text = f"{text} ({sedda[text]})"
        else:
            sedda[text] = 1
        namn_per_kolumn.append(text)

    # rader: tomma hoppas över; summarader och korta rader efter tabellen är inte deltagare
    radnummer = list(range(forsta_data + 1, len(rutnat) + 1))
    fyllda = [sum(not ar_tom(v) for v in rad) for rad in data_rader]
    sista_riktiga = max((i for i, n in enumerate(fyllda) if n >= 2), default=-1)
    behall, hoppade, tomma = [], [], 0
    for i, (rad, n) in enumerate(zip(data_rader, fyllda, strict=True)):
        if n == 0:
            if i < sista_riktiga:
                tomma += 1
            continue
        forsta = next(v for v in rad if not ar_tom(v))
        # en ensam text på en rad i tabellen är en mellanrubrik ("AVSLUTADE", "Insats: Steget")
        if i > sista_riktiga or _ar_summering(forsta) or (n == 1 and _ar_text(forsta)):
            hoppade.append(radnummer[i])
            continue
        behall.append(i)
    kolumner = [(j, k) for j, k in enumerate(namn_per_kolumn) if k is not None]
    data = pd.DataFrame(
        {k: pd.Series([data_rader[i][j] for i in behall], dtype=object) for j, k in kolumner},
        columns=[k for _, k in kolumner],
    )
    data.index = pd.Index([radnummer[i] for i in behall], name="rad")
    return (
        Radblad(
            namn=namn,
            data=data,
            rubrikrader=tuple(r + 1 for r in rubrikrader),
            titel=titel,
            hoppade=tuple(hoppade),
            tomma_rader=tomma,
            kolumnbokstav={k: _bokstav(j) for j, k in kolumner},
        ),
        "",
    )


def _personnummer(namn: str, rutnat: list[list[Any]], fil: str) -> list[Problem]:
    """Platser (blad, kolumn, rader) med personnummer; aldrig värdena."""
    if not rutnat:
        return []
    bredd = max(len(r) for r in rutnat)
    df = pd.DataFrame([list(r) + [None] * (bredd - len(r)) for r in rutnat], dtype=object).map(
        lambda v: v.isoformat() if isinstance(v, (dt.date, dt.time)) else v
    )
    plats = fil + (f' (bladet "{namn}")' if namn else "")
    problem = []
    for kolumn, positioner in celler_med_personnummer(df).items():
        problem.append(
            Problem(
                "innehåller något som ser ut som ett personnummer eller samordningsnummer; "
                "inget läses från filen. Ersätt med ett löpnummer eller en deltagarkod "
                "(värdet visas inte)",
                fil=plats,
                rader=tuple(p + 1 for p in positioner),
                kolumn=_bokstav(int(kolumn)),
                forvantat="inga personnummer i underlaget",
                kod="personnummer",
            )
        )
    if ar_personnummer(namn):
        problem.append(
            Problem("bladets namn ser ut som ett personnummer", fil=fil, kod="personnummer")
        )
    return problem


def _for_stor(text: str, fil: str) -> Problem:
    return Problem(
        text,
        fil=fil,
        forvantat="en mindre fil: bara bladen med deltagare, utan tomma rader och kolumner "
        "långt nedanför eller till höger om tabellen (ta bort dem i Excel), eller bladet som CSV",
        kod="for_stor",
    )


def _uppackad_storlek(data: bytes) -> int:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as arkiv:
        return sum(max(info.file_size, 0) for info in arkiv.infolist())


def _personnummer_i_filnamn() -> Problem:
    return Problem(
        "filens namn ser ut som ett personnummer; filen läses inte. Byt namn på filen "
        "(namnet visas inte)",
        forvantat="inga personnummer i underlaget, inte heller i filnamn",
        kod="personnummer",
    )


def _las_excel(data: bytes, fil: str) -> tuple[list[tuple[str, Any, bool]], list[Problem]]:
    """Arbetsbokens blad (namn, blad, dolt). Storleken prövas före läsningen: uppackad högst
    :data:`MAX_EGEN_FIL` (zip-bomb, minnet i openpyxl:s vanliga läge), och varje blad högst
    :data:`MAX_EGNA_CELLER` celler till den sista ifyllda (en cell i XFD1048576 gör bladet
    till 17 miljarder celler)."""
    import zipfile

    from openpyxl import load_workbook

    fel_som_excel = [
        Problem(
            "kan inte läsas som Excel-fil (.xlsx); spara om den i Excel som "
            "'Excel-arbetsbok' eller som CSV",
            fil=fil,
            kod="olaslig_fil",
        )
    ]
    try:
        uppackat = _uppackad_storlek(data)
        if uppackat > MAX_EGEN_FIL:
            return [], [_for_stor(
                f"Excel-filen packas upp till {uppackat >> 20} MB; högst "
                f"{MAX_EGEN_FIL >> 20} MB läses", fil)]  # fmt: skip
        # inte read_only: sammanfogade celler finns bara i det vanliga läget
        bok = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, TypeError,
            EOFError, NotImplementedError):  # fmt: skip
        return [], fel_som_excel
    problem = []
    for ark in bok.worksheets:
        celler = ark.max_row * ark.max_column
        if celler > MAX_EGNA_CELLER:
            problem.append(_for_stor(
                f'bladet har {ark.max_row:,} rader × {ark.max_column:,} kolumner till den sista '
                f"ifyllda cellen; högst {MAX_EGNA_CELLER:,} celler läses".replace(",", " "),
                f'{fil} (bladet "{ark.title}")'))  # fmt: skip
    if problem:
        return [], problem
    return [(ark.title, ark, ark.sheet_state != "visible") for ark in bok.worksheets], []


def las_egen_fil(sokvag: str | Path, *, blad: Sequence[str] | None = None) -> Egenfil:
    """Läs förbundets egen uppföljningsfil (.xlsx eller CSV) utan att ändra den.

    Parameters
    ----------
    sokvag : str eller Path
        Filen.
    blad : sekvens av str, valfri
        Bara dessa blad (standard: alla synliga blad med en tabell).

    Returns
    -------
    Egenfil
        Bladen med rubriker och datarader, och blad som hoppades över med orsak.

    Raises
    ------
    InlasningsFel
        Filen finns inte, går inte att läsa, ett efterfrågat blad saknas, eller filen
        innehåller personnummer (platsen anges, aldrig värdet).

    Examples
    --------
    >>> import tempfile
    >>> fil = Path(tempfile.mkdtemp()) / "egen.csv"
    >>> _ = fil.write_text("Uppföljning 2023\\n\\nStart;Kön\\n2023-01-05;K\\n", encoding="utf-8")
    >>> b = las_egen_fil(fil).blad[0]
    >>> list(b.data.columns), b.data.index.tolist(), b.titel
    (['Start', 'Kön'], [4], ('Uppföljning 2023',))
    """
    from finsam_analys.indata.filer import FilFel, las_bytes
    from finsam_analys.indata.inlasning import InlasningsFel, _las_fil

    sokvag = Path(sokvag)
    fil = sokvag.name
    if ar_personnummer(fil):
        raise InlasningsFel([_personnummer_i_filnamn()])
    if not sokvag.exists():
        raise InlasningsFel([Problem("filen finns inte", fil=str(sokvag), kod="saknad_fil")])
    andelse = sokvag.suffix.lower()
    try:  # läser bara; bara en vanlig fil, storleken prövas först
        data = las_bytes(sokvag, max_storlek=MAX_EGEN_FIL)
    except FilFel as fel:
        raise InlasningsFel(
            [Problem(fel.meddelande, fil=fil, forvantat=fel.forvantat, kod=fel.kod)]
        ) from None
    if andelse in (".xls", ".ods", ".numbers"):
        raise InlasningsFel(
            [
                Problem(
                    f"filformatet {andelse} stöds inte",
                    fil=fil,
                    forvantat="en .xlsx-fil eller en CSV-fil (spara om i Excel)",
                    kod="olaslig_fil",
                )
            ]
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # ett OLE-paket: en lösenordsskyddad (krypterad) arbetsbok, eller en gammal .xls
        raise InlasningsFel(
            [
                Problem(
                    "är lösenordsskyddad (krypterad) eller en gammal Excel-fil (.xls) och kan "
                    "inte läsas",
                    fil=fil,
                    forvantat="öppna den i Excel och spara en kopia utan lösenord som "
                    "'Excel-arbetsbok' (.xlsx), och kör ny på kopian (spara den inte bland "
                    "förbundets data)",
                    kod="olaslig_fil",
                )
            ]
        )
    ark_lista: list[tuple[str, list[list[Any]], list, bool]] = []
    if andelse in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        arken, problem = _las_excel(data, fil)
        if problem:
            raise InlasningsFel(problem)
        for namn, ark, dolt in arken:
            rutnat = [list(r) for r in ark.iter_rows(values_only=True)]
            ark_lista.append((namn, rutnat, _sammanfogade(ark), dolt))
    else:
        radata, problem = _las_fil(sokvag, None, fil)
        if radata is None:
            raise InlasningsFel(problem)
        rutnat = [
            [None if pd.isna(v) else v for v in rad]
            for rad in radata.rutnat.itertuples(index=False)
        ]
        ark_lista.append(("", rutnat, [], False))

    # personnummerspärren först, på alla celler i alla blad (också de som inte valts med
    # --blad: en fil med personnummer vägras, var i filen de än står)
    pn: list[Problem] = []
    for namn, rutnat, _, _dolt in ark_lista:
        pn += _personnummer(namn, rutnat, fil)
    if not pn and data[:4] == b"PK\x03\x04":  # resten av arbetsboken: kommentarer, egenskaper …
        from finsam_analys.indata.inlasning import _personnummer_i_paketet

        pn = _personnummer_i_paketet(data, fil)
    if pn:
        raise InlasningsFel(pn)
    if blad:
        kanda = [n for n, *_ in ark_lista]
        saknas = [b for b in blad if b not in kanda]
        if saknas:
            raise InlasningsFel(
                [
                    Problem(
                        f'bladet "{b}" finns inte',
                        fil=fil,
                        forvantat=f"ett av bladen: {', '.join(kanda)}",
                        kod="saknat_blad",
                    )
                    for b in saknas
                ]
            )

    lasta: list[Radblad] = []
    hoppade: list[tuple[str, str]] = []
    for namn, rutnat, sammanfogade, dolt in ark_lista:
        if blad and namn not in blad:
            continue
        if dolt and not blad:
            hoppade.append((namn, "bladet är dolt"))
            continue
        radblad, orsak = _blad_fran_rutnat(namn, rutnat, sammanfogade)
        if radblad is None:
            hoppade.append((namn, orsak))
        else:
            lasta.append(radblad)
    return Egenfil(fil=fil, blad=tuple(lasta), hoppade_blad=tuple(hoppade))
