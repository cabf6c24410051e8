"""Svensk formatering av tal, procent, procentenheter och belopp (babel, ``sv_SE``).

Val som gäller överallt i paketet:

* **Decimaltecken** komma: ``15,2``.
* **Tusentalsavgränsare** hårt mellanslag (U+00A0), som babel och CLDR har för svenska:
  ``13 451``. Det hårda mellanslaget hindrar radbrytning mitt i ett tal, och svensk Excel
  använder samma tecken som tusentalsavgränsare, så klistrade tal blir tal. Även fyrsiffriga
  tal grupperas (``3 095 tkr``), som i förbundens rapporter.
* **Procent** med hårt mellanslag före tecknet: ``13 %``.
* **Minustecken** det typografiska ``−`` (U+2212), som svensk typografi och babel har det,
  i allt som visas (HTML, Word, löptext). Excel och CSV får talen som tal, inte som text, så
  inget formaterat minustecken behöver klistras. Procentenheter får alltid tecken:
  ``+4 procentenheter``, ``−12 procentenheter`` (noll skrivs utan tecken).
* **Avrundning** halva uppåt (``12,5`` → ``13``), som ``avrunda_procent(..., metod="vanlig")``;
  babel själv avrundar annars till jämnt. För delar av en helhet som ska summera till 100 %:
  :func:`formatera_procentandelar` (största resten).
* **Saknat värde** (NaN, None, ``pd.NA``) skrivs ``..`` enligt SCB:s teckenförklaring
  ("uppgift inte tillgänglig eller för osäker för att anges"), vilket också täcker maskade
  små tal. SCB:s ``–`` ("inget finns att redovisa") och ``0`` ("mindre än hälften av enheten")
  uppstår inte automatiskt; ``saknas=`` byter tecken.

Alla andelar in är bråk 0–1; procent finns bara i utdata.
"""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

__all__ = [
    "HART_MELLANSLAG",
    "MINUS",
    "SAKNAS",
    "formatera_andel",
    "formatera_kr",
    "formatera_procent",
    "formatera_procentandelar",
    "formatera_procentenheter",
    "formatera_tal",
    "formatera_tkr",
    "procent_formatter",
    "tal_formatter",
]

HART_MELLANSLAG = "\u00a0"
"""Hårt mellanslag: tusentalsavgränsare och mellanslag före ``%``, ``kr`` och ``tkr``."""

MINUS = "\u2212"
"""Minustecknet i allt som visas (U+2212)."""

SAKNAS = ".."
"""SCB:s tecken för uppgift som inte är tillgänglig eller är för osäker (även maskad)."""

LOKAL = "sv_SE"
_BRUS_DECIMALER = 9


def _ar_saknad(varde: Any) -> bool:
    if varde is None or varde is pd.NA or varde is pd.NaT:
        return True
    try:
        return bool(isinstance(varde, float) and math.isnan(varde)) or bool(pd.isna(varde))
    except (TypeError, ValueError):
        return False


def _decimal(varde: Any, decimaler: int) -> Decimal:
    """Avrunda halva uppåt (bort från noll) till ``decimaler`` decimaler, utan flyttalsbrus."""
    if isinstance(varde, bool):
        raise TypeError("Sanningsvärden formateras inte som tal.")
    if isinstance(varde, Decimal):
        d = varde
    elif isinstance(varde, int) or (hasattr(varde, "dtype") and varde.dtype.kind in "iu"):
        d = Decimal(int(varde))
    else:
        try:
            x = float(varde)
        except (TypeError, ValueError):
            raise TypeError(f"Kan inte formatera {varde!r} som tal.") from None
        if math.isinf(x):
            raise ValueError("Oändliga värden kan inte formateras.")
        d = Decimal(repr(round(x, _BRUS_DECIMALER)))
    q = d.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    return q.copy_abs() if q == 0 else q  # aldrig "-0"


def _kontrollera_decimaler(decimaler: int) -> None:
    if not isinstance(decimaler, int) or isinstance(decimaler, bool) or decimaler < 0:
        raise ValueError(f"decimaler ska vara ett heltal ≥ 0, inte {decimaler!r}.")


@functools.lru_cache(maxsize=4096)
def _babel(d: Decimal, decimaler: int) -> str:
    """``d`` (redan avrundat till ``decimaler``) med svensk gruppering och decimalkomma.

    Minnet: samma tal formateras många gånger i en rapport (tabeller i HTML och Word, Excel,
    meningar), och babel är långsam per anrop. Lika ``Decimal`` med samma antal decimaler ger
    samma text (``_decimal`` ger aldrig ``-0``).
    """
    from babel.numbers import format_decimal

    monster = "#,##0" + ("." + "0" * decimaler if decimaler else "")
    text = format_decimal(d, format=monster, locale=LOKAL)
    return text.replace("-", MINUS).replace("\u202f", HART_MELLANSLAG)


def _serievis(funktion):
    """Låt en formateringsfunktion ta en Series och ge en Series med text (samma index)."""

    def omslag(varde, *args, **kwargs):
        if isinstance(varde, pd.Series):
            return varde.map(lambda v: funktion(v, *args, **kwargs)).astype("str")
        return funktion(varde, *args, **kwargs)

    return functools.wraps(funktion)(omslag)


@_serievis
def formatera_tal(varde: Any, decimaler: int = 0, *, saknas: str = SAKNAS) -> str:
    """Ett tal med svensk tusentalsavgränsning och decimalkomma.

    Parameters
    ----------
    varde : tal eller Series
        Talet (en Series ger en Series med text).
    decimaler : int
        Antal decimaler; avrundning halva uppåt.
    saknas : str
        Text för saknat värde (standard ``".."``).

    Examples
    --------
    >>> formatera_tal(13451)
    '13\\xa0451'
    >>> formatera_tal(15.24, 1), formatera_tal(8.465, 2), formatera_tal(-1234.5)
    ('15,2', '8,47', '−1\\xa0235')
    >>> formatera_tal(float("nan"))
    '..'
    """
    _kontrollera_decimaler(decimaler)
    if _ar_saknad(varde):
        return saknas
    return _babel(_decimal(varde, decimaler), decimaler)


@_serievis
def formatera_procent(andel: Any, decimaler: int = 0, *, saknas: str = SAKNAS) -> str:
    """En andel (bråk 0–1) som procent: ``0.127`` → ``"13 %"`` (hårt mellanslag före %).

    Examples
    --------
    >>> formatera_procent(7 / 55)
    '13\\xa0%'
    >>> formatera_procent(13451 / 88586, 1), formatera_procent(0.125), formatera_procent(None)
    ('15,2\\xa0%', '13\\xa0%', '..')
    """
    _kontrollera_decimaler(decimaler)
    if _ar_saknad(andel):
        return saknas
    procent = Decimal(repr(round(float(andel) * 100, _BRUS_DECIMALER)))
    return f"{_babel(_decimal(procent, decimaler), decimaler)}{HART_MELLANSLAG}%"


@_serievis
def formatera_procentenheter(
    differens: Any, decimaler: int = 0, *, saknas: str = SAKNAS, kort: bool = False
) -> str:
    """Skillnad mellan två andelar (i bråk) som procentenheter, alltid med tecken.

    ``0.04`` → ``"+4 procentenheter"``; ``0.01`` → ``"+1 procentenhet"`` (singular bara för
    exakt 1 utan decimaler); ``-0.12`` → ``"−12 procentenheter"``; noll skrivs ``"0
    procentenheter"``. ``kort=True`` ger förkortningen ``"+4 p.e."``.

    Examples
    --------
    >>> formatera_procentenheter(0.83 - 0.79), formatera_procentenheter(7 / 55 - 0.25)
    ('+4 procentenheter', '−12 procentenheter')
    >>> formatera_procentenheter(0.01), formatera_procentenheter(0.0476, 1, kort=True)
    ('+1 procentenhet', '+4,8 p.e.')
    """
    _kontrollera_decimaler(decimaler)
    if _ar_saknad(differens):
        return saknas
    pe = _decimal(Decimal(repr(round(float(differens) * 100, _BRUS_DECIMALER))), decimaler)
    text = _babel(pe, decimaler)
    if pe > 0:
        text = "+" + text
    if kort:
        enhet = "p.e."
    else:
        enhet = "procentenhet" if text in ("+1", MINUS + "1") else "procentenheter"
    return f"{text} {enhet}"


@_serievis
def formatera_kr(belopp: Any, decimaler: int = 0, *, saknas: str = SAKNAS) -> str:
    """Ett belopp i kronor: ``8054364`` → ``"8 054 364 kr"``.

    Examples
    --------
    >>> formatera_kr(8054364)
    '8\\xa0054\\xa0364\\xa0kr'
    """
    text = formatera_tal(belopp, decimaler, saknas=saknas)
    return text if text == saknas else f"{text}{HART_MELLANSLAG}kr"


@_serievis
def formatera_tkr(
    belopp: Any, decimaler: int = 0, *, fran_kr: bool = False, saknas: str = SAKNAS
) -> str:
    """Ett belopp i tusental kronor: ``7306`` → ``"7 306 tkr"``.

    Parameters
    ----------
    belopp : tal eller Series
        Beloppet i tkr, eller i kronor om ``fran_kr=True`` (delas då med 1 000).

    Examples
    --------
    >>> formatera_tkr(7306), formatera_tkr(976910, fran_kr=True)
    ('7\\xa0306\\xa0tkr', '977\\xa0tkr')
    """
    if not _ar_saknad(belopp) and fran_kr:
        belopp = Decimal(repr(float(belopp))) / 1000
    text = formatera_tal(belopp, decimaler, saknas=saknas)
    return text if text == saknas else f"{text}{HART_MELLANSLAG}tkr"


def formatera_andel(antal: Any, n: Any, decimaler: int = 0, *, saknas: str = SAKNAS) -> str:
    """Andel med underlaget synligt: ``"13 % (7 av 55)"``. n = 0 ger ``".. (0 av 0)"``.

    Examples
    --------
    >>> formatera_andel(26, 32)
    '81\\xa0% (26 av 32)'
    """
    if _ar_saknad(antal) or _ar_saknad(n):
        return saknas
    andel = float(antal) / float(n) if float(n) > 0 else float("nan")
    return (
        f"{formatera_procent(andel, decimaler, saknas=saknas)} "
        f"({formatera_tal(antal)} av {formatera_tal(n)})"
    )


def formatera_procentandelar(
    andelar: Any,
    decimaler: int = 0,
    *,
    metod: str = "storsta_rest",
    saknas: str = SAKNAS,
) -> pd.Series:
    """Delar av en helhet som procenttext som summerar till 100 % (största resten).

    Se :func:`finsam_analys.matt.avrundning.avrunda_procent` för metoderna.

    Examples
    --------
    >>> formatera_procentandelar([1 / 3, 1 / 3, 1 / 3]).tolist()
    ['34\\xa0%', '33\\xa0%', '33\\xa0%']
    """
    from finsam_analys.matt.avrundning import avrunda_procent

    procent = avrunda_procent(andelar, decimaler, metod=metod)
    return procent.map(
        lambda p: saknas if _ar_saknad(p) else f"{formatera_tal(p, decimaler)}{HART_MELLANSLAG}%"
    ).astype("str")


def procent_formatter(decimaler: int = 0):
    """matplotlib-formaterare för en axel med andelar (bråk): 0.25 → ``25 %``.

    Examples
    --------
    >>> procent_formatter()(0.25, 0)
    '25\\xa0%'
    """
    from matplotlib.ticker import FuncFormatter

    _kontrollera_decimaler(decimaler)
    return FuncFormatter(lambda x, _pos=None: formatera_procent(x, decimaler))


def tal_formatter(decimaler: int = 0):
    """matplotlib-formaterare för en axel med tal: 13451 → ``13 451``.

    Examples
    --------
    >>> tal_formatter()(13451, 0)
    '13\\xa0451'
    """
    from matplotlib.ticker import FuncFormatter

    _kontrollera_decimaler(decimaler)
    return FuncFormatter(lambda x, _pos=None: formatera_tal(x, decimaler))
