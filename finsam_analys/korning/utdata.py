"""Rapportutdata på disk: kataloger, atomär skrivning, nyckeltal, tabeller, index.

Varje rapport skrivs till ``<utdata>/<förbund>/<periodkatalog>/``::

    outputs/
      index.html                 länkar alla rapporter (självständig, svensk)
      nyckeltal.csv              alla nyckeltal i lång form: forbund, period, nyckel, varde
      vasteras/2019/
        rapport.ipynb            den körda notebooken
        rapport.html             rapporten för styrelsen (utan kod, självständig)
        nyckeltal.json           rapportens nyckeltal (se spara_nyckeltal)
        rapport.docx             rapporten som Word-dokument (att redigera och underteckna)
        rapport.pdf              HTML-rapporten utskriven med Chromium (om Chromium finns)
        tabeller.xlsx            varje tabell som ett eget blad, för att klistra in i Word
      vasteras/2021-01_2021-08/  periodkoden "2021-01..2021-08" (se periodkatalog)
      inrapportering/            bara på begäran (--uppfoljning-finsam), inte länkad i index:
        vasteras/2019/uppfoljning_finsam.csv   omaskade antal till Uppföljning Finsam

Alla filer skrivs atomärt: först till en temporär fil i samma katalog, sedan ``os.replace``. En
läsare ser alltså antingen den gamla eller den nya filen, aldrig en halvskriven.

CSV-filerna öppnas direkt i svensk Excel: semikolon som fältavgränsare, komma som
decimaltecken och UTF-8 med BOM (:func:`svensk_csv`).

Notebooken anropar :func:`spara_nyckeltal`, :func:`spara_tabeller`, :func:`spara_word` och
:func:`spara_uppfoljning_finsam`; körningsmodulen (:mod:`finsam_analys.korning.batch`) skriver
``rapport.ipynb``, ``rapport.html``, ``rapport.pdf``, ``index.html`` och ``nyckeltal.csv``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import numbers
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "FILNAMN",
    "las_nyckeltal",
    "marker_nyckeltal",
    "oskadliggor_text",
    "periodkatalog",
    "rapportkatalog",
    "samla_nyckeltal",
    "skriv_atomart",
    "skriv_index",
    "skriv_nyckeltal_csv",
    "spara_nyckeltal",
    "spara_tabeller",
    "spara_uppfoljning_finsam",
    "las_mall",
    "spara_word",
    "svensk_csv",
]

# Filnamnen i en rapportkatalog.
FILNAMN = {
    "notebook": "rapport.ipynb",
    "html": "rapport.html",
    "nyckeltal": "nyckeltal.json",
    "tabeller": "tabeller.xlsx",
    "uppfoljning_finsam": "uppfoljning_finsam.csv",
    "word": "rapport.docx",
    "pdf": "rapport.pdf",
}


def periodkatalog(period: Any) -> str:
    """Katalognamnet för en rapportperiod: den kanoniska koden med ``..`` utbytt mot ``_``.

    ``..`` är inget bra katalognamn (det betyder "katalogen ovanför" i sökvägar), så
    ``"2021-01..2021-08"`` blir ``"2021-01_2021-08"``. Andra koder (``"2019"``, ``"2019H1"``)
    är redan giltiga katalognamn och används som de är.

    Examples
    --------
    >>> periodkatalog("2021-01..2021-08")
    '2021-01_2021-08'
    >>> periodkatalog("2015-07 – 2016-06")
    '2015-07_2016-06'
    >>> periodkatalog(2019)
    '2019'
    """
    from finsam_analys.perioder import Rapportperiod

    return Rapportperiod.tolka(period).kod.replace("..", "_")


def rapportkatalog(utdata_katalog: str | os.PathLike[str], forbund: str, period: Any) -> Path:
    """Katalogen ``<utdata>/<förbund>/<periodkatalog>`` för en rapport (skapas inte).

    Examples
    --------
    >>> rapportkatalog("outputs", "vasteras", "2021-01..2021-08").as_posix()
    'outputs/vasteras/2021-01_2021-08'
    """
    if not forbund or "/" in forbund or "\\" in forbund or forbund in {".", ".."}:
        raise ValueError(f"Ogiltigt förbundsnamn för en katalog: {forbund!r}.")
    return Path(utdata_katalog) / forbund / periodkatalog(period)


def skriv_atomart(
    sokvag: str | os.PathLike[str], innehall: bytes | str, *, granskad: bool = False
) -> Path:
    """Skriv en fil atomärt: temporär fil i samma katalog, sedan ``os.replace``.

    Katalogen skapas vid behov. Text skrivs som UTF-8 med ``\\n`` som radslut och går först
    genom personnummervakten (:mod:`finsam_analys.indata.vakt`; HTML även inuti inbäddade
    SVG-bilder). ``granskad=True`` betyder att anroparen redan har granskat texten (t.ex. JSON,
    där varje text granskas för sig så att tal aldrig ändras). Bytes (xlsx) granskas av
    anroparen.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = skriv_atomart(pathlib.Path(tmp) / "a" / "b.txt", "hej")
    ...     p.read_text(encoding="utf-8"), sorted(x.name for x in p.parent.iterdir())
    ('hej', ['b.txt'])
    """
    from finsam_analys.indata import vakt

    sokvag = Path(sokvag)
    sokvag.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(innehall, str) and not granskad:
        html_fil = sokvag.suffix.lower() in (".html", ".htm", ".ipynb")
        innehall = vakt.dolj_i_html(innehall) if html_fil else vakt.dolj_personnummer(innehall)
    data = innehall.encode("utf-8") if isinstance(innehall, str) else innehall
    fd, tmp = tempfile.mkstemp(dir=sokvag.parent, prefix=f".{sokvag.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fil:
            fil.write(data)
            fil.flush()
            os.fsync(fil.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, sokvag)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sokvag


def _json_varde(nyckel: str, varde: Any) -> Any:
    """Gör ett nyckeltal JSON-vänligt: numpy-tal blir Python-tal, NaN blir ``None``."""
    if varde is None or isinstance(varde, (bool, str)):
        return varde
    if hasattr(varde, "item") and not isinstance(varde, (list, tuple, dict)):
        varde = varde.item()  # numpy-skalär
    if isinstance(varde, bool):
        return varde
    if isinstance(varde, numbers.Integral):
        return int(varde)
    if isinstance(varde, numbers.Real):
        varde = float(varde)
        return None if math.isnan(varde) else varde
    if isinstance(varde, (dt.date, dt.datetime)):
        return varde.isoformat()
    if varde is not None and type(varde).__name__ in {"NAType", "NaTType"}:
        return None
    raise TypeError(
        f"Nyckeltalet {nyckel!r} har typen {type(varde).__name__}; "
        "bara tal, text, sant/falskt, datum och None kan sparas."
    )


def spara_nyckeltal(
    nyckeltal: Mapping[str, Any],
    *,
    utdata_katalog: str | os.PathLike[str],
    forbund: str,
    period: Any,
    forbundsnamn: str | None = None,
    titel: str | None = None,
    rapportslag: str | None = None,
    skapad: str | None = None,
    underlag: str | None = None,
) -> Path:
    """Spara en rapports nyckeltal som ``nyckeltal.json`` i rapportkatalogen.

    Filen innehåller förbund, förbundsnamn, periodkod och periodnamn samt ``nyckeltal``: en
    platt ordlista nyckel -> värde (tal, text, sant/falskt eller ``null``), sorterad på nyckel.
    Andelar sparas som bråk 0–1, aldrig procent. Inga tidsstämplar: samma tal ger samma fil.

    Parameters
    ----------
    nyckeltal : Mapping[str, Any]
        Nyckel -> värde. Numpy-tal görs om, NaN blir ``null``.
    utdata_katalog, forbund, period
        Bestämmer katalogen (:func:`rapportkatalog`).
    forbundsnamn : str, optional
        Förbundets namn för sidhuvud och index; standard är ``forbund``.
    titel, rapportslag : str, optional
        Rapportens titel och slag (``arsrapport``, ``delarsrapport`` …) ur förbundets
        ``rapport.yaml``, för sidans titel och index; utelämnas om de inte anges.
    skapad : str, optional
        Rapportens skapandedatum (ÅÅÅÅ-MM-DD, samma som i sidhuvudet), för index.
    underlag : {"publicerat", "syntetiskt"}, optional
        Vad talen bygger på när det inte är förbundets egna uppgifter: redan publicerade tal
        (``publicerad: true``) eller ett påhittat förbund (``syntetisk: true``); visas i index.

    Returns
    -------
    pathlib.Path
        Den skrivna filen.

    Examples
    --------
    >>> import tempfile, json
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = spara_nyckeltal({"andel_arbete": np.float64(7 / 55), "antal_avslut": np.int64(55)},
    ...                         utdata_katalog=tmp, forbund="vasteras", period="2019")
    ...     innehall = json.loads(p.read_text(encoding="utf-8"))
    >>> innehall["periodnamn"], innehall["nyckeltal"]["antal_avslut"]
    ('2019', 55)
    """
    from finsam_analys.perioder import Rapportperiod

    rp = Rapportperiod.tolka(period)
    tal = {}
    for nyckel in sorted(nyckeltal):
        if not isinstance(nyckel, str) or not nyckel:
            raise TypeError(f"Nyckeltalens nycklar måste vara text, fick {nyckel!r}.")
        tal[nyckel] = _json_varde(nyckel, nyckeltal[nyckel])
    from finsam_analys.indata.vakt import dolj_i_struktur

    innehall = {
        "forbund": forbund,
        "forbundsnamn": forbundsnamn or forbund,
        "period": rp.kod,
        "periodnamn": rp.namn,
        **({"titel": titel} if titel else {}),
        **({"rapportslag": rapportslag} if rapportslag else {}),
        **({"skapad": skapad} if skapad else {}),
        **({"underlag": underlag} if underlag else {}),
        "nyckeltal": tal,
    }
    innehall = dolj_i_struktur(innehall)  # texterna; talen förblir tal
    text = json.dumps(innehall, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    katalog = rapportkatalog(utdata_katalog, forbund, rp)
    return skriv_atomart(katalog / FILNAMN["nyckeltal"], text, granskad=True)


def marker_nyckeltal(katalog: str | os.PathLike[str], markering: str) -> Path:
    """Lägg till en markering (``"markering": "..."``) i en rapports ``nyckeltal.json``.

    Används när en rapport körs för en period som avviker från förbundets (se
    :func:`finsam_analys.korning.batch.kor_rapport`); samma text står i rapportens sidhuvud.
    """
    from finsam_analys.indata.vakt import dolj_i_struktur

    sokvag = Path(katalog) / FILNAMN["nyckeltal"]
    innehall = las_nyckeltal(sokvag)
    innehall["markering"] = markering
    text = json.dumps(dolj_i_struktur(innehall), ensure_ascii=False, indent=2) + "\n"
    return skriv_atomart(sokvag, text, granskad=True)


def las_nyckeltal(sokvag: str | os.PathLike[str]) -> dict[str, Any]:
    """Läs en ``nyckeltal.json`` (eller rapportkatalogen som innehåller den)."""
    sokvag = Path(sokvag)
    if sokvag.is_dir():
        sokvag = sokvag / FILNAMN["nyckeltal"]
    return json.loads(sokvag.read_text(encoding="utf-8"))


def _platt_tabell(tabell: Any):
    """DataFrame (eller pandas Styler) med enkla kolumnnamn, redo för Excel."""
    import pandas as pd

    if hasattr(tabell, "data") and not isinstance(tabell, pd.DataFrame):  # Styler
        tabell = tabell.data
    if isinstance(tabell, pd.Series):
        tabell = tabell.to_frame()
    if not isinstance(tabell, pd.DataFrame):
        raise TypeError(f"Väntade en DataFrame, fick {type(tabell).__name__}.")
    tabell = tabell.copy()
    if isinstance(tabell.columns, pd.MultiIndex):
        tabell.columns = [" – ".join(str(d) for d in kol if str(d) != "") for kol in tabell.columns]
    return tabell


_FORMELTECKEN = ("=", "+", "-", "@", "\t", "\r")


def _ser_ut_som_tal(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace("\u2212", "-").replace(" ", ""))
    except ValueError:
        return False
    return True


def oskadliggor_text(varde: Any) -> Any:
    """Text som ett kalkylprogram skulle tolka som formel får ett inledande ``'``.

    Gäller text som börjar med ``=``, ``+``, ``-``, ``@``, tabb eller vagnretur (OWASP:s
    rekommendation mot "CSV injection"), utom text som bara är ett tal (``-12``). Andra värden
    lämnas orörda.

    Examples
    --------
    >>> print(oskadliggor_text('=HYPERLINK("http://x","y")'))
    '=HYPERLINK("http://x","y")
    >>> oskadliggor_text("-12"), oskadliggor_text("@SUM(A1)"), oskadliggor_text(7)
    ('-12', "'@SUM(A1)", 7)
    """
    if isinstance(varde, str) and varde.startswith(_FORMELTECKEN) and not _ser_ut_som_tal(varde):
        return "'" + varde
    return varde


def _oskadliggor_celler(blad: Any) -> None:
    """Inga formler och inga personnummer i ett Excel-blad: varje cell blir text eller tal.

    openpyxl skriver text som börjar med ``=`` som en formel; här blir den vanlig text (och
    Excel visar den som text, även om användaren redigerar cellen). Rapporten skriver själv
    aldrig formler.
    """
    from finsam_analys.indata.vakt import dolj_personnummer

    for rad in blad.iter_rows():
        for cell in rad:
            if cell.data_type == "f" or (
                isinstance(cell.value, str) and cell.value.startswith(_FORMELTECKEN)
            ):
                cell.value = dolj_personnummer(str(cell.value))
                cell.data_type = "s"
                cell.quotePrefix = True
            elif isinstance(cell.value, str):
                dold = dolj_personnummer(cell.value)
                if dold != cell.value:  # samma text igen vore samma cell (openpyxl prövar om)
                    cell.value = dold


def _oskadliggor_tabell(tabell: Any) -> Any:
    """Textceller, index och kolumnnamn med :func:`oskadliggor_text` (för CSV)."""
    import pandas as pd

    tabell = tabell.copy()
    for kolumn in tabell.columns:
        if not (pd.api.types.is_numeric_dtype(tabell[kolumn]) or
                pd.api.types.is_bool_dtype(tabell[kolumn])):  # fmt: skip
            tabell[kolumn] = tabell[kolumn].map(oskadliggor_text).astype(object)
    tabell.columns = [oskadliggor_text(k) for k in tabell.columns]
    if not isinstance(tabell.index, pd.RangeIndex):
        tabell.index = tabell.index.map(oskadliggor_text)
    return tabell


def spara_tabeller(
    tabeller: Mapping[str, Any],
    *,
    utdata_katalog: str | os.PathLike[str],
    forbund: str,
    period: Any,
    forbundsnamn: str | None = None,
    sekretess: Any = None,
) -> Path:
    """Spara rapportens tabeller i ``tabeller.xlsx``, en tabell per blad, redo att klistra in.

    Arbetsboken skrivs av :func:`finsam_analys.presentation.excel.arbetsbok`: titel, förbund
    och period, källa och enhet över tabellen, låst fetstilt rubrikrad, ett talformat per mått
    (procent, antal, tkr …) med rapportens avrundade värden, teckenförklaring för ``..`` och
    bladnamn kapade vid ett ordslut. Ingen cell blir en formel (:func:`oskadliggor_text`), och
    ingen text ett personnummer. Tabellerna muteras inte.

    Parameters
    ----------
    tabeller : Mapping[str, Tabell | pandas.DataFrame]
        Rubrik -> tabell i den ordning de ska visas: tabellmodellens
        :class:`~finsam_analys.tabell.Tabell` efter kontrollpunkterna
        (:func:`finsam_analys.rapport.rapportens_tabellobjekt`), eller en DataFrame (Series,
        pandas Styler), som skrivs som den är.
    utdata_katalog, forbund, period
        Bestämmer katalogen (:func:`rapportkatalog`).
    forbundsnamn : str, optional
        Förbundets namn i bladens huvud; standard ``forbund``.
    sekretess : Sekretess, optional
        Förbundets sekretessregler, för teckenförklaringen till ``..``.

    Returns
    -------
    pathlib.Path
        Den skrivna filen.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     t = pd.DataFrame({"insats": ["MAC"], "antal": [7]})
    ...     p = spara_tabeller({"Avslut per insats": t},
    ...                        utdata_katalog=tmp, forbund="vasteras", period="2019")
    ...     pd.read_excel(p, sheet_name=None, header=5)["Avslut per insats"]["antal"].tolist()
    [7]
    """
    from finsam_analys.perioder import Rapportperiod
    from finsam_analys.presentation.excel import arbetsbok, som_bytes

    if not tabeller:
        raise ValueError("Inga tabeller att spara.")
    bok = arbetsbok(
        tabeller,
        forbund=forbundsnamn or forbund,
        period=Rapportperiod.tolka(period).namn,
        sekretess=sekretess,
    )
    for blad in bok.worksheets:
        _oskadliggor_celler(blad)
    katalog = rapportkatalog(utdata_katalog, forbund, period)
    return skriv_atomart(katalog / FILNAMN["tabeller"], som_bytes(bok))


def spara_word(
    rapport: Any,
    *,
    utdata_katalog: str | os.PathLike[str],
    forbund: str,
    period: Any,
    forbundsnamn: str | None = None,
    skapad: str | None = None,
    mall: str | os.PathLike[str] | None = None,
) -> Path:
    """Spara rapporten som Word-dokument, ``rapport.docx``, i rapportkatalogen.

    Dokumentet skrivs av :func:`finsam_analys.presentation.word.word_dokument` (samma rubriker,
    tabeller och diagram som HTML-rapporten, svenska som dokumentspråk); ``mall`` är förbundets
    ``mall.docx`` (format, sidhuvud och sidfot, marginaler), som används om filen finns.

    Examples
    --------
    >>> import tempfile, docx
    >>> from finsam_analys.tabell import Rapport, Rapportdel
    >>> r = Rapport("T – Årsrapport 2019", "2019", delar=(Rapportdel("a", "Resultat", 2),))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = spara_word(r, utdata_katalog=tmp, forbund="vasteras", period="2019")
    ...     [x.text for x in docx.Document(p).paragraphs][:2], p.name
    (['T – Årsrapport 2019', 'Resultat'], 'rapport.docx')
    """
    from finsam_analys.perioder import Rapportperiod
    from finsam_analys.presentation.word import word_dokument

    innehall = word_dokument(
        rapport,
        forbund=forbundsnamn or forbund,
        period=Rapportperiod.tolka(period).namn,
        skapad=skapad or "",
        mall=las_mall(mall) if mall is not None else None,
    )
    katalog = rapportkatalog(utdata_katalog, forbund, period)
    return skriv_atomart(katalog / FILNAMN["word"], innehall)


def las_mall(sokvag: str | os.PathLike[str]) -> bytes | None:
    """Förbundets ``mall.docx`` som bytes, prövad av indatans spärr
    (:func:`finsam_analys.indata.mall.las_mall`: sökväg, storlek, inget aktivt innehåll, inga
    personnummer); ``None`` om den saknas."""
    from finsam_analys.indata.mall import las_mall as _las_mall

    return _las_mall(sokvag)


_BOM = "\ufeff"


def svensk_csv(tabell: Any, *, index: bool = False) -> str:
    """En tabell som CSV för svensk Excel: semikolon, decimalkomma och UTF-8 med BOM.

    Text som Excel skulle tolka som formel oskadliggörs (:func:`oskadliggor_text`); tal skrivs
    utan tusentalsavgränsare, med komma som decimaltecken.

    Examples
    --------
    >>> import pandas as pd
    >>> print(svensk_csv(pd.DataFrame({"post": ["=1+1", "Lön"], "utfall": [1234.5, 7]})), end="")
    \ufeffpost;utfall
    '=1+1;1234,5
    Lön;7
    """
    def tal(varde: Any) -> Any:
        if isinstance(varde, bool) or not isinstance(varde, numbers.Real):
            return "" if varde is None or type(varde).__name__ == "NAType" else varde
        if math.isnan(float(varde)):
            return ""
        if isinstance(varde, numbers.Integral) or float(varde).is_integer():
            return str(int(varde))
        return repr(float(varde)).replace(".", ",")

    platt = _oskadliggor_tabell(_platt_tabell(tabell))
    for kolumn in platt.columns:
        platt[kolumn] = platt[kolumn].astype(object).map(
            lambda v: v.item() if hasattr(v, "item") and not isinstance(v, str) else v
        ).map(tal)  # fmt: skip
    return _BOM + platt.to_csv(sep=";", index=index, lineterminator="\n")


def spara_uppfoljning_finsam(
    tabell: Any,
    *,
    inrapportering_katalog: str | os.PathLike[str],
    forbund: str,
    period: Any,
) -> Path:
    """Spara räkningarna för Uppföljning Finsam som ``uppfoljning_finsam.csv``.

    Uppföljning Finsam efterfrågar antal deltagare per insats och kön samt budget och utfall.
    Talen är **omaskade** (de rapporteras in, de publiceras inte), så filen skrivs bara på
    begäran (``--uppfoljning-finsam``) och aldrig bland styrelsens utdata: till
    ``<inrapportering_katalog>/<förbund>/<periodkatalog>/`` (standard
    ``outputs/inrapportering/``), som ``index.html`` inte länkar till. Tabellen sparas som den
    är (utan index om indexet bara är radnummer), som CSV för svensk Excel (:func:`svensk_csv`:
    semikolon, decimalkomma, UTF-8 med BOM).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> t = pd.DataFrame({"insats": ["SOT", "SOT"], "kon": ["Kvinna", "Man"], "antal": [30, 25]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = spara_uppfoljning_finsam(t, inrapportering_katalog=tmp, forbund="vasteras",
    ...                                  period="2019")
    ...     print(p.relative_to(tmp).as_posix())
    ...     print(p.read_text(encoding="utf-8-sig"), end="")
    vasteras/2019/uppfoljning_finsam.csv
    insats;kon;antal
    SOT;Kvinna;30
    SOT;Man;25
    """
    import pandas as pd

    platt = _platt_tabell(tabell)
    text = svensk_csv(platt, index=not isinstance(platt.index, pd.RangeIndex))
    katalog = rapportkatalog(inrapportering_katalog, forbund, period)
    return skriv_atomart(katalog / FILNAMN["uppfoljning_finsam"], text)


def _rapportkataloger(utdata_katalog: Path) -> list[Path]:
    """Fullständiga rapporter: kataloger med både ``nyckeltal.json`` och ``rapport.html``.

    En rapport flyttas på plats som en helhet (:mod:`finsam_analys.korning.batch`); en katalog
    med bara en del av filerna (en avbruten körning med en äldre version) räknas inte, och inte
    heller dolda kataloger (``.finsam-tmp`` med rapporter under arbete).
    """
    return sorted(
        p.parent
        for p in Path(utdata_katalog).glob(f"*/*/{FILNAMN['nyckeltal']}")
        if not any(d.startswith(".") for d in p.relative_to(utdata_katalog).parts[:2])
        and (p.parent / FILNAMN["html"]).is_file()
    )


def _sorteringsnyckel(post: Mapping[str, Any]) -> tuple:
    from finsam_analys.perioder import Rapportperiod

    try:
        rp = Rapportperiod.tolka(post["period"])
        return (post["forbund"], rp.start, rp.slut, post["period"])
    except (ValueError, TypeError):
        return (post["forbund"], dt.date.min, dt.date.min, str(post["period"]))


def samla_nyckeltal(utdata_katalog: str | os.PathLike[str]):
    """Alla rapporters nyckeltal i lång form: ``forbund, period, nyckel, varde``.

    Läser varje ``<utdata>/<förbund>/<period>/nyckeltal.json``; sorterat på förbund, periodens
    start och nyckel. Kolumnen ``varde`` har typen ``object`` (tal, text eller ``None``).
    """
    import pandas as pd

    rader = []
    poster = [las_nyckeltal(k) for k in _rapportkataloger(Path(utdata_katalog))]
    for post in sorted(poster, key=_sorteringsnyckel):
        for nyckel, varde in post["nyckeltal"].items():
            rader.append((post["forbund"], post["period"], nyckel, varde))
    frame = pd.DataFrame(rader, columns=["forbund", "period", "nyckel", "varde"])
    frame["varde"] = frame["varde"].astype(object)
    return frame


def skriv_nyckeltal_csv(utdata_katalog: str | os.PathLike[str]) -> Path:
    """Skriv ``<utdata>/nyckeltal.csv`` med alla rapporters nyckeltal (:func:`samla_nyckeltal`)."""
    text = svensk_csv(samla_nyckeltal(utdata_katalog))
    return skriv_atomart(Path(utdata_katalog) / "nyckeltal.csv", text)


_INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; }
ul { padding-left: 1.2rem; }
a { color: #0b4f8a; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ccc;
  vertical-align: top; }
th { background: #f1f3f5; border-bottom: 2px solid #888; }
.filer a { margin-right: .6rem; white-space: nowrap; }
.markering { display: inline-block; font-size: .9rem; padding: .1rem .5rem; border-radius: .2rem;
  border: 1px solid #8a5a00; color: #5c3c00; background: #fff6e0; }
.dold { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.fel { color: #a00000; }
.fel pre { white-space: pre-wrap; font-size: .85rem; color: #1a1a1a; background: #f6f6f6;
  padding: .5rem; }
@media print { a { color: inherit; text-decoration: none; } body { margin: 0; } }
"""

_UNDERLAG_TEXT = {
    "syntetiskt": "Påhittat förbund (syntetiska uppgifter, inga verkliga personer)",
    "publicerat": "Tal ur förbundets publicerade rapporter",
}
"""Markeringen i index för rapporter som inte bygger på förbundets egna uppgifter."""

_FILER_I_INDEX = (
    ("html", "Webbsida"),
    ("word", "Word"),
    ("pdf", "PDF"),
    ("tabeller", "Excel"),
    ("nyckeltal", "Nyckeltal (JSON)"),
)


def _slagnamn(slag: str | None) -> str:
    from finsam_analys.indata.rapportspec import SLAG

    if not slag:
        return "Uppföljningsrapport"
    return SLAG.get(slag, slag.replace("_", " ").capitalize())


def _url(fil: Path, utdata: Path) -> str:
    """Filens relativa adress från index.html, procentkodad (mellanslag i ett förbunds id).

    >>> _url(Path("/ut/Södra Dalarna/2024/rapport.html"), Path("/ut"))
    'S%C3%B6dra%20Dalarna/2024/rapport.html'
    """
    from urllib.parse import quote

    return quote(fil.relative_to(utdata).as_posix(), safe="/")


def _indexrad(post: Mapping[str, Any], katalog: Path, utdata: Path) -> list[str]:
    """En rapport som tabellrad: titel (länk), slag, period, skapad, underlag och filerna."""
    e = html.escape
    href = _url(katalog / FILNAMN["html"], utdata)
    titel = post.get("titel") or f"{post['forbundsnamn']} – {post.get('periodnamn', '')}"
    period = post.get("periodnamn") or post["period"]
    filer = []
    for nyckel, text in _FILER_I_INDEX:
        fil = katalog / FILNAMN[nyckel]
        if fil.is_file():
            lank = _url(fil, utdata)
            filer.append(f'<a href="{e(lank)}">{e(text)}</a>')
    markering = _UNDERLAG_TEXT.get(post.get("underlag") or "", "")
    if post.get("markering"):
        markering = "; ".join(t for t in (markering, str(post["markering"])) if t)
    titelcell = f'<a href="{e(href)}">{e(titel)}</a>'
    if markering:
        titelcell += f'<br><span class="markering">{e(markering)}</span>'
    return [
        "<tr>",
        f"<td>{titelcell}</td>",
        f"<td>{e(_slagnamn(post.get('rapportslag')))}</td>",
        f"<td>{e(period)}</td>",
        f"<td>{e(str(post.get('skapad') or '–'))}</td>",
        f'<td class="filer">{" ".join(filer)}</td>',
        "</tr>",
    ]


def skriv_index(
    utdata_katalog: str | os.PathLike[str],
    *,
    misslyckade: Iterable[tuple[str, str, str]] = (),
    extra_lankar: Iterable[tuple[str, str]] = (),
) -> Path:
    """Skriv ``<utdata>/index.html`` som länkar alla rapporter under utdatakatalogen.

    Rapporterna hittas på disken (varje fullständig rapportkatalog), grupperade per förbund och
    ordnade efter period. Varje rapport är en rad: titeln (länk till webbsidan), rapportens
    slag, perioden, skapandedatumet, en markering när talen är påhittade (syntetiskt förbund)
    eller redan publicerade, och länkar till filerna som finns (webbsida, Word, PDF, Excel,
    nyckeltal). Sidan är självständig (inline-CSS, inga skript, Content-Security-Policy) och
    innehåller bara relativa länkar.

    Parameters
    ----------
    misslyckade : iterable of (forbund, period, fel)
        Rapporter som misslyckades i senaste körningen; listas med felet.
    extra_lankar : iterable of (relativ sökväg, text)
        Fler länkar överst, t.ex. jämförelserapporten.
    """
    from finsam_analys.presentation.html_export import CSP

    utdata = Path(utdata_katalog)
    poster = []
    for katalog in _rapportkataloger(utdata):
        post = las_nyckeltal(katalog)
        post["_katalog"] = katalog
        poster.append(post)
    poster.sort(key=_sorteringsnyckel)

    e = html.escape
    delar = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        "<title>Rapporter – samordningsförbund</title>",
        f'<style type="text/css">{_INDEX_CSS}</style>',
        "</head>",
        "<body>",
        "<main>",
        "<h1>Rapporter – samordningsförbund</h1>",
    ]
    lankar = list(extra_lankar)
    if (utdata / "nyckeltal.csv").exists():
        lankar.append(("nyckeltal.csv", "Alla nyckeltal (CSV för Excel)"))
    if lankar:
        delar.append("<ul>")
        delar += [f'<li><a href="{e(h)}">{e(t)}</a></li>' for h, t in lankar]
        delar.append("</ul>")
    if not poster:
        delar.append("<p>Inga rapporter ännu.</p>")
    forbund_ordning: dict[str, list[dict[str, Any]]] = {}
    for post in poster:
        forbund_ordning.setdefault(post["forbund"], []).append(post)
    for _forbund, lista in forbund_ordning.items():
        namn = lista[0]["forbundsnamn"]
        delar.append(f"<h2>{e(namn)}</h2>")
        delar.append("<table>")
        delar.append(f'<caption class="dold">Rapporter för {e(namn)}</caption>')
        delar.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{t}</th>'
                      for t in ("Rapport", "Slag", "Period", "Skapad", "Filer"))
            + "</tr></thead>"
        )  # fmt: skip
        delar.append("<tbody>")
        for post in lista:
            delar += _indexrad(post, post["_katalog"], utdata)
        delar.append("</tbody>")
        delar.append("</table>")
    misslyckade = sorted(misslyckade)
    if misslyckade:
        delar.append('<h2 class="fel">Rapporter som inte kunde skapas</h2>')
        delar.append('<ul class="fel">')
        for forbund, period, fel in misslyckade:
            delar.append(f"<li>{e(forbund)} {e(period)}<pre>{e(fel)}</pre></li>")
        delar.append("</ul>")
    delar += ["</main>", "</body>", "</html>", ""]
    return skriv_atomart(utdata / "index.html", "\n".join(delar))
