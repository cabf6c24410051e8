"""Rapportens tabeller som Excel-arbetsbok (``tabeller.xlsx``), redo att klistra in.

:func:`arbetsbok` skriver en :class:`~finsam_analys.tabell.Tabell` per blad med openpyxl:

* överst tabellens **titel**, förbund och period, **källa** och **enhet**; sedan rubrikraden
  (fetstil, låst så att den syns när man rullar) och tabellen;
* varje cell har tabellens avrundade ``visning`` som **tal** (inte text), med ett talformat
  per mått (:func:`talformat`): andelar ``0 %`` eller ``0,0 %`` efter precisionen, antal och
  belopp med tusentalsavgränsare, poäng, HÅE och månader med sina decimaler, procentenheter
  som ``+3 p.e.``. Eftersom värdet är det avrundade summerar delar av en helhet till 100 % också
  i Excel, och inga flyttalsrester (0,7000000000000011) följer med;
* maskade celler är ``..`` och saknade ``–``, med en **teckenförklaring** under tabellen
  (``..`` med förbundets sekretessgräns);
* **bladnamnen** är titlarna, kapade vid ett ordslut inom Excels 31 tecken, unika och utan
  avslutande mellanslag (:func:`bladnamn`).

Filformatet har alltid engelska talformatkoder (``#,##0``, ``0.0``); Excel visar dem med
användarens inställningar (svensk Excel: ``13 %``, ``1 234``, ``3,5``).

Examples
--------
>>> import pandas as pd
>>> from finsam_analys.tabell import Storhet
>>> from finsam_analys.presentation.avrundning import avrunda_tabell
>>> t = avrunda_tabell(Tabell.fordelning(pd.Series({"Arbete": 7, "Studier": 5}), namn="u",
...     titel="Avslut per utfall, 2019", bas=Storhet.av("a"), dimension="u",
...     kategorirubrik="Utfall"))
>>> bok = arbetsbok({"Avslut per utfall, 2019": t}, forbund="Förbundet", period="2019")
>>> blad = bok["Avslut per utfall, 2019"]
>>> blad["A1"].value, blad.freeze_panes
('Avslut per utfall, 2019', 'A7')
>>> [c.value for c in blad[6]], [c.value for c in blad[7]], blad["C7"].number_format
(['Utfall', 'Antal', 'Andel'], ['Arbete', 7, 0.58], '0\\\\ %')
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from typing import Any

from finsam_analys.tabell import MASKAD, Kolumn, Tabell, ar_maskad

__all__ = ["arbetsbok", "bladnamn", "excelvarde", "som_bytes", "talformat"]

_OGILTIGT_I_BLAD = re.compile(r"[\[\]:*?/\\]")
_OGILTIGT_I_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Tecken som inte får stå i en XML-cell (samma som i Word-dokumentet)."""
_MINUS = '"\u2212"'
_SAKNAS = "–"
_RUBRIKFARG = "F1F3F5"
_FORSTA_RAD = 6
"""Rubrikradens nummer (titel, förbund och period, källa, enhet och en tom rad ovanför)."""


def _cell(blad: Any, rad: int, kolumn: int, varde: Any) -> Any:
    """Skriv en cell. Styrtecken som XML inte tål (de kan komma ur förbundets filer, t.ex. en
    etikett med vertikal tabb) tas bort ur text, som i Word-dokumentet; openpyxl vägrar annars
    hela arbetsboken."""
    if isinstance(varde, str):
        varde = _OGILTIGT_I_XML.sub("", varde)
    return blad.cell(rad, kolumn, varde)


def _heltalsformat(decimaler: int) -> str:
    return "#,##0" + ("." + "0" * decimaler if decimaler > 0 else "")


def talformat(kolumn: Kolumn, decimaler: int | None = None) -> str:
    """Excels talformat (koden i filen) för en kolumn med måttet och precisionen.

    Examples
    --------
    >>> talformat(Kolumn("Andel", "andel")), talformat(Kolumn("Andel", "andel", decimaler=1))
    ('0\\\\ %', '0.0\\\\ %')
    >>> talformat(Kolumn("Antal", "antal")), talformat(Kolumn("Utfall", "belopp", enhet="tkr"))
    ('#,##0;"−"#,##0', '#,##0;"−"#,##0')
    >>> talformat(Kolumn("Mot mål", "procentenheter"))
    '+0" p.e.";"−"0" p.e.";0" p.e."'
    >>> talformat(Kolumn("Poäng", "poang")), talformat(Kolumn("Text"))
    ('#,##0.0;"−"#,##0.0', '@')
    """
    d = kolumn.precision if decimaler is None else int(decimaler)
    if kolumn.matt in ("text", "bedomning"):
        return "@"
    if kolumn.matt == "andel":
        return ("0." + "0" * d if d else "0") + "\\ %"
    if kolumn.matt == "forandring":
        kod = ("0." + "0" * d if d else "0") + "\\ %"
        return f"+{kod};{_MINUS}{kod};{kod}"
    if kolumn.matt == "procentenheter":
        kod = "0." + "0" * d if d else "0"
        return f'+{kod}" p.e.";{_MINUS}{kod}" p.e.";{kod}" p.e."'
    if kolumn.matt == "ar" and d == 0:
        return "0"
    kod = _heltalsformat(d)
    return f"{kod};{_MINUS}{kod}"


def _decimaler_som_tryckt(varde: float, hogst: int) -> int:
    return next((i for i in range(hogst) if abs(varde - round(varde, i)) < 1e-9), hogst)


def excelvarde(varde: Any, kolumn: Kolumn) -> tuple[Any, str]:
    """Ett värde ur ``visning`` som Excel-cell: (värde, talformat).

    Talen avrundas till kolumnens precision (andelar som bråk med två decimaler till), så att
    cellen har exakt det tal som rapporten visar; procentenheter skrivs i procentenheter.

    Examples
    --------
    >>> excelvarde(0.35700000000000004, Kolumn("Andel män", "andel", decimaler=1))
    (0.357, '0.0\\\\ %')
    >>> excelvarde(-0.12, Kolumn("Mot mål", "procentenheter"))[0]
    -12
    >>> excelvarde("..", Kolumn("Antal", "antal")), excelvarde(None, Kolumn("Antal", "antal"))
    (('..', '@'), ('–', '@'))
    >>> excelvarde(16.3, Kolumn("Publicerat", "tryckt"))
    (16.3, '#,##0.0;"−"#,##0.0')
    """
    if ar_maskad(varde):
        return MASKAD, "@"
    if varde is None or (isinstance(varde, float) and math.isnan(varde)):
        return _SAKNAS, "@"
    if kolumn.matt == "bedomning" or kolumn.matt == "text" or isinstance(varde, str):
        if isinstance(varde, bool) and kolumn.matt == "bedomning":
            from finsam_analys.tabell import EJ_UPPFYLLT, UPPFYLLT

            return (UPPFYLLT if varde else EJ_UPPFYLLT), "@"
        return str(varde), "@"
    try:
        tal = float(varde)
    except (TypeError, ValueError):
        return str(varde), "@"
    if math.isnan(tal):
        return _SAKNAS, "@"
    d = kolumn.precision
    if kolumn.matt == "tryckt":
        d = _decimaler_som_tryckt(tal, d)
    if kolumn.matt in ("andel", "forandring"):
        tal = round(tal, d + 2)
    elif kolumn.matt == "procentenheter":
        tal = round(tal * 100, d)
    else:
        tal = round(tal, d)
    if d == 0 and kolumn.matt not in ("andel", "forandring"):
        tal = int(tal)
    elif tal == 0:
        tal = 0.0  # inte −0,0
    return tal, talformat(kolumn, d)


_SMAORD = frozenset(
    "och i av per för med mot om på till efter utom som samt eller vid från än den det de".split()
)
"""Ord som ett kapat bladnamn inte slutar på ("Ansökningar per remittent och")."""


def _kapa(text: str, langd: int) -> str:
    """Texten kapad vid ett ordslut inom ``langd`` tecken, utan småord, halva parenteser eller
    skiljetecken sist."""
    if len(text) <= langd:
        return text
    kapad = text[:langd]
    if text[langd] != " " and " " in kapad:  # mitt i ett ord: kapa vid ordslutet före
        kapad = kapad.rsplit(" ", 1)[0]
    if kapad.count("(") > kapad.count(")"):  # en parentes som inte avslutas
        kapad = kapad[: kapad.rindex("(")]
    ord_ = kapad.rstrip(" ,;–-.'").split(" ")
    while len(ord_) > 1 and ord_[-1].lower() in _SMAORD:
        ord_.pop()
    return " ".join(ord_).rstrip(" ,;–-.'") or text[:langd].strip()


def bladnamn(titel: str, upptagna: set[str]) -> str:
    """Ett giltigt, unikt bladnamn ur titeln: högst 31 tecken, kapat vid ett ordslut.

    ``upptagna`` (gemener) uppdateras. Excel tillåter inte ``[]:*?/\\``, inte ``'`` först
    eller sist och inte två blad med samma namn (utan hänsyn till versaler).

    Examples
    --------
    >>> u = set()
    >>> bladnamn("Avslut per insats och utfall, andel av alla avslut 2019", u)
    'Avslut per insats och utfall'
    >>> bladnamn("Avslut per insats och utfall, andel av nya 2019", u)
    'Avslut per insats (2)'
    >>> bladnamn("6 månader: övriga (utom arbete och studier), 2019", u)
    '6 månader övriga'
    >>> bladnamn("Budget/utfall [tkr]", u), bladnamn("Ansökningar per remittent och inriktning", u)
    ('Budget-utfall (tkr)', 'Ansökningar per remittent')
    """
    bas = str(titel).replace(":", "").replace("[", "(").replace("]", ")")
    bas = _OGILTIGT_I_BLAD.sub("-", bas)
    bas = " ".join(bas.split()).strip("'").strip() or "Tabell"
    kandidat, nummer = _kapa(bas, 31), 2
    while kandidat.lower() in upptagna:
        suffix = f" ({nummer})"
        kandidat = _kapa(bas, 31 - len(suffix)) + suffix
        nummer += 1
    upptagna.add(kandidat.lower())
    return kandidat


def _enhetstext(tabell: Tabell) -> str:
    """Raden "Enhet: …" i bladets huvud: vad talen är (procent, antal, tkr …)."""
    delar: list[str] = []

    def lagg(text: str) -> None:
        if text not in delar:
            delar.append(text)

    for k in tabell.kolumner:
        if k.matt == "andel":
            lagg("andelar i procent")
        elif k.matt == "procentenheter":
            lagg("skillnader i procentenheter (p.e.)")
        elif k.matt == "forandring":
            lagg("förändring i procent")
        elif k.matt == "antal":
            lagg("antal")
        elif k.matt == "belopp":
            lagg(f"belopp i {k.enhet}" if k.enhet else "belopp i kronor")
        elif k.matt == "hae":
            lagg("helårsekvivalenter")
        elif k.matt == "manader":
            lagg("månader")
        elif k.matt == "poang":
            lagg("poäng")
        elif k.enhet:
            lagg(k.enhet)
    return ("Enhet: " + ", ".join(delar) + ".") if delar else ""


def _kalltext(tabell: Tabell) -> str:
    if tabell.kalla == "publicerad":
        text = "Källa: förbundets publicerade rapport"
        return text + (f", {tabell.kallhanvisning}." if tabell.kallhanvisning else ".")
    if tabell.kalla == "harledd":
        text = "Källa: räknad ur publicerade uppgifter"
        return text + (f" ({tabell.kallhanvisning})." if tabell.kallhanvisning else ".")
    return "Källa: räknad ur förbundets underlag."


def _maskningstext(sekretess: Any) -> str:
    troskel = getattr(sekretess, "troskel", None)
    namnare = getattr(sekretess, "namnare_troskel", None)
    if troskel is None:
        return ("..  Uppgiften visas inte av sekretesskäl (för få personer, eller så att ett "
                "dolt tal inte kan räknas fram).")  # fmt: skip
    text = f"..  Uppgiften visas inte av sekretesskäl: färre än {troskel} personer"
    if namnare:
        text += f", eller en andel med färre än {namnare} i nämnaren"
    return text + ", eller ett tal som annars skulle röja ett dolt tal."


def _skriv_tabell(blad: Any, tabell: Tabell, *, forbund: str, period: str,
                  sekretess: Any, stilar: dict | None = None) -> None:  # fmt: skip
    """Ett blad för tabellen. ``stilar`` är cellformat som redan registrerats i arbetsboken
    (delas mellan bladen, se nedan)."""
    from copy import copy

    from openpyxl.styles import Alignment, Font, PatternFill

    from finsam_analys.presentation.tabellvisning import kolumnrubrik

    # Cellens format (talformat, högerställd, fetstil, fyllning) slås upp i arbetsbokens
    # formatlistor varje gång det sätts; samma kombination får i stället en kopia av den första
    # cellens formatindex (som openpyxl själv kopierar format), med samma fil som följd.
    stilar = {} if stilar is None else stilar
    fet = Font(bold=True)
    titelcell = _cell(blad, 1, 1, tabell.titel)
    if "titel" in stilar:
        titelcell._style = copy(stilar["titel"])
    else:
        titelcell.font = Font(bold=True, size=13)
        stilar["titel"] = copy(titelcell._style)
    huvud = ", ".join(t for t in (forbund, tabell.period or period) if t)
    if tabell.population:
        huvud += f". {tabell.population}"
    _cell(blad, 2, 1, huvud)
    _cell(blad, 3, 1, _kalltext(tabell))
    _cell(blad, 4, 1, _enhetstext(tabell) or None)
    fyllning = PatternFill("solid", fgColor=_RUBRIKFARG)
    for j, kolumn in enumerate(tabell.kolumner, start=1):
        cell = _cell(blad, _FORSTA_RAD, j, kolumnrubrik(kolumn))
        slag = ("rubrik", kolumn.ar_tal)
        if slag in stilar:
            cell._style = copy(stilar[slag])
            continue
        cell.font, cell.fill = fet, fyllning
        cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                   horizontal="right" if kolumn.ar_tal else "left")  # fmt: skip
        stilar[slag] = copy(cell._style)
    visning = tabell.visning if tabell.visning is not None else tabell.data
    maskad = saknas = False
    summarader = set(tabell.summarader)
    # Raderna som vanliga tupler (name=None): samma värden, utan en ny namedtuple-klass per blad.
    for i, rad in enumerate(visning.itertuples(index=False, name=None)):
        r = _FORSTA_RAD + 1 + i
        for j, (kolumn, varde) in enumerate(zip(tabell.kolumner, rad, strict=True), start=1):
            skrivet, format_ = excelvarde(varde, kolumn)
            cell = _cell(blad, r, j, skrivet)
            maskad = maskad or skrivet == MASKAD
            saknas = saknas or skrivet == _SAKNAS
            slag = (format_, kolumn.ar_tal, i in summarader)
            if slag in stilar:
                cell._style = copy(stilar[slag])
                continue
            cell.number_format = format_
            if kolumn.ar_tal:
                cell.alignment = Alignment(horizontal="right")
            if i in summarader:
                cell.font = fet
            stilar[slag] = copy(cell._style)
    r = _FORSTA_RAD + len(visning) + 2
    for text in (*tabell.fotnoter, *( [_maskningstext(sekretess)] if maskad else []),
                 *(["–  Uppgift saknas."] if saknas else [])):  # fmt: skip
        _cell(blad, r, 1, text)
        r += 1
    blad.freeze_panes = blad.cell(_FORSTA_RAD + 1, 1).coordinate
    _kolumnbredder(blad, tabell)


def _kolumnbredder(blad: Any, tabell: Tabell) -> None:
    from openpyxl.utils import get_column_letter

    for j, kolumn in enumerate(tabell.kolumner, start=1):
        celler = [blad.cell(r, j).value for r in range(_FORSTA_RAD, blad.max_row + 1)]
        langst = max((len(str(v)) for v in celler[1:] if v is not None), default=6)
        rubrik = len(str(celler[0] or ""))
        bredd = max(langst + 2, min(rubrik, 18) + 2, 8)
        if kolumn.matt == "text":
            bredd = min(max(bredd, 12), 60)
        blad.column_dimensions[get_column_letter(j)].width = min(bredd, 60)


def _skriv_dataframe(blad: Any, namn: str, tabell: Any, *, forbund: str, period: str) -> None:
    """En tabell av det äldre slaget (DataFrame) med samma huvud, utan talformat per mått."""
    import pandas as pd
    from openpyxl.styles import Font, PatternFill

    data = tabell.data if hasattr(tabell, "data") and not isinstance(tabell, pd.DataFrame) \
        else tabell  # fmt: skip
    if isinstance(data, pd.Series):
        data = data.to_frame()
    data = data.copy()
    if isinstance(data.columns, pd.MultiIndex):
        data.columns = [" – ".join(str(d) for d in k if str(d) != "") for k in data.columns]
    if not isinstance(data.index, pd.RangeIndex):
        data = data.reset_index()
    _cell(blad, 1, 1, namn).font = Font(bold=True, size=13)
    blad.cell(2, 1, ", ".join(t for t in (forbund, period) if t) or None)
    fyllning = PatternFill("solid", fgColor=_RUBRIKFARG)
    for j, kolumn in enumerate(data.columns, start=1):
        cell = _cell(blad, _FORSTA_RAD, j, str(kolumn))
        cell.font, cell.fill = Font(bold=True), fyllning
    for i, rad in enumerate(data.itertuples(index=False)):
        for j, varde in enumerate(rad, start=1):
            if hasattr(varde, "item"):
                varde = varde.item()
            if isinstance(varde, float) and math.isnan(varde):
                varde = None
            _cell(blad, _FORSTA_RAD + 1 + i, j, varde)
    blad.freeze_panes = blad.cell(_FORSTA_RAD + 1, 1).coordinate


def arbetsbok(
    tabeller: Mapping[str, Any],
    *,
    forbund: str = "",
    period: str = "",
    sekretess: Any = None,
):
    """Rapportens tabeller som en openpyxl-arbetsbok, ett blad per tabell i ordning.

    Parameters
    ----------
    tabeller : Mapping[str, Tabell | DataFrame]
        Namn (bladets titel) -> tabell efter kontrollpunkterna
        (:func:`finsam_analys.rapport.rapportens_tabellobjekt`); DataFrames skrivs som de är.
    forbund, period : str
        Förbundets och periodens namn i bladets huvud.
    sekretess : Sekretess, valfri
        Reglerna (``troskel``, ``namnare_troskel``) för teckenförklaringen till ``..``.

    Returns
    -------
    openpyxl.Workbook
    """
    from openpyxl import Workbook

    bok = Workbook()
    bok.remove(bok.active)
    upptagna: set[str] = set()
    stilar: dict = {}
    for namn, tabell in tabeller.items():
        blad = bok.create_sheet(bladnamn(namn, upptagna))
        if isinstance(tabell, Tabell):
            _skriv_tabell(blad, tabell, forbund=forbund, period=period, sekretess=sekretess,
                          stilar=stilar)  # fmt: skip
            if namn != tabell.titel:  # t.ex. "Avsnitt – titel" när titeln finns två gånger
                _cell(blad, 1, 1, namn)
        else:
            _skriv_dataframe(blad, namn, tabell, forbund=forbund, period=period)
    return bok


_PROVAD_OPENPYXL = "3.1."
"""openpyxl-versionerna (början av versionsnumret) vars bladskrivare :func:`som_bytes` prövats
med; i andra sparar openpyxl själv (``Workbook.save``)."""


def _minnesskrivare():
    """openpyxl:s ``ExcelWriter`` som skriver varje blad i minnet i stället för i en temporär fil.

    openpyxl skriver ett blads XML till en temporär fil, läser in den i zip-arkivet och tar bort
    den, en gång per blad; här skrivs samma XML (samma ``WorksheetWriter``) till en
    ``BytesIO``. Zip-posten får samma namn, komprimering och filrättigheter som från den
    temporära filen."""
    import time
    import zipfile

    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class Minnesskrivare(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            skrivare = WorksheetWriter(ws, out=io.BytesIO())
            skrivare.write()
            ws._rels = skrivare._rels
            post = zipfile.ZipInfo(ws.path[1:], time.localtime()[:6])
            post.external_attr = 0o100600 << 16  # som den temporära filen (-rw-------)
            post.compress_type = self._archive.compression
            post._compresslevel = self._archive.compresslevel
            self._archive.writestr(post, skrivare.out.getvalue())
            self.manifest.append(ws)

    return Minnesskrivare


def som_bytes(bok: Any) -> bytes:
    """Arbetsboken som ``.xlsx``-filens innehåll, som ``bok.save`` skriver den.

    Samma delar (byte för byte) som openpyxl:s ``Workbook.save``, men bladen skrivs i minnet i
    stället för i temporära filer (:func:`_minnesskrivare`), i de openpyxl-versioner som
    prövats; annars med ``bok.save``.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> bok = Workbook()
    >>> bok.active["A1"] = "Text"
    >>> som_bytes(bok)[:2]
    b'PK'
    """
    import datetime as dt
    import zipfile

    import openpyxl

    buffert = io.BytesIO()
    if (bok.read_only or bok.write_only
            or not openpyxl.__version__.startswith(_PROVAD_OPENPYXL)):  # fmt: skip
        bok.save(buffert)
        return buffert.getvalue()
    arkiv = zipfile.ZipFile(buffert, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    bok.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    _minnesskrivare()(bok, arkiv).save()  # som openpyxl.writer.excel.save_workbook
    return buffert.getvalue()
