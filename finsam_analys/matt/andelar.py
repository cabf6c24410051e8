"""Andelar med nämnaren kvar bredvid: en kategori per rad, och andelar i korstabeller.

Alla andelar är bråk 0–1. Procent och avrundning finns i :mod:`finsam_analys.matt.avrundning`
och :mod:`finsam_analys.presentation.formatering`. Summarader (``"Totalt"``) räknas aldrig med: de
tillverkas
här bara som utdata (``marginaler=True``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT, ar_summarad

__all__ = ["andelar", "korstabell", "korstabell_andelar"]


def _som_serie(varden: Any, *, namn: str) -> pd.Series:
    if isinstance(varden, pd.DataFrame):
        raise TypeError(f"{namn} ska vara en Series, lista eller dict, inte en DataFrame.")
    if isinstance(varden, pd.Series):
        serie = varden.copy()
    elif np.isscalar(varden):
        serie = pd.Series([varden])
    elif isinstance(varden, Mapping):
        serie = pd.Series(dict(varden), dtype="float64" if not varden else None)
    else:
        serie = pd.Series(list(varden), dtype="float64" if len(varden) == 0 else None)
    if not (pd.api.types.is_numeric_dtype(serie) or pd.api.types.is_bool_dtype(serie)):
        raise TypeError(f"{namn} måste vara tal; fick kolumntypen {serie.dtype}.")
    return serie


def _kontrollera_icke_negativ(serie: pd.Series, *, namn: str) -> None:
    negativa = serie[serie < 0]
    if len(negativa):
        raise ValueError(
            f"{namn} får inte vara negativa; negativa värden för: {list(negativa.index)}."
        )


def _har_summarad(index: pd.Index) -> bool:
    return any(ar_summarad(v) for v in index)


def andelar(antal: Any, namnare: Any = None) -> pd.DataFrame:
    """Andel per kategori, med antal och nämnare kvar på varje rad.

    Parameters
    ----------
    antal : Series, list, dict eller ett tal
        Antal per kategori (index, listposition eller nyckel blir kategorin).
    namnare : tal, Series, list eller dict, valfri
        Nämnaren. Utelämnad: summan av ``antal`` (delar av en helhet). Ett tal: samma nämnare
        för alla kategorier. En Series/dict: en nämnare per kategori (justeras efter index).

    Returns
    -------
    DataFrame
        Kolumnerna ``antal``, ``namnare`` och ``andel`` (bråk 0–1), en rad per kategori, samma
        index som ``antal``. Nämnare 0 ger andelen NaN (inte fel); saknat antal ger NaN.

    Raises
    ------
    ValueError
        Vid negativa antal eller nämnare, antal större än nämnaren, eller om ``antal``
        innehåller en summarad (``"Totalt"``) och nämnaren ska vara summan.

    Examples
    --------
    SOT Västerås 2019, utfall efter avslut (7 arbete, 5 studier, 43 fortsatt rehabilitering):

    >>> a = andelar({"Arbete": 7, "Studier": 5, "Fortsatt rehab": 43})
    >>> a["namnare"].tolist(), a["andel"].round(3).tolist()
    ([55, 55, 55], [0.127, 0.091, 0.782])
    >>> andelar([11, 15], namnare=[14, 18])["andel"].round(2).tolist()
    [0.79, 0.83]
    """
    if namnare is None and isinstance(antal, pd.Series) and antal.dtype in _TALTYPER:
        return _delar_av_helhet(antal)
    antal_s = _som_serie(antal, namn="antal")
    _kontrollera_icke_negativ(antal_s, namn="antal")
    if namnare is None:
        if _har_summarad(antal_s.index):
            raise ValueError(
                "antal innehåller en summarad (t.ex. 'Totalt'); ta bort den, annars räknas "
                "summan dubbelt i nämnaren."
            )
        summa = antal_s.sum(min_count=1)
        namnare_s = pd.Series(summa, index=antal_s.index)
        if pd.api.types.is_integer_dtype(antal_s):
            namnare_s = namnare_s.astype(antal_s.dtype)
    elif np.isscalar(namnare):
        namnare_s = pd.Series(namnare, index=antal_s.index)
    else:
        namnare_s = _som_serie(namnare, namn="namnare")
        if not isinstance(namnare, (pd.Series, Mapping)):
            if len(namnare_s) != len(antal_s):
                raise ValueError(
                    f"namnare har {len(namnare_s)} värden men antal har {len(antal_s)}."
                )
            namnare_s.index = antal_s.index
        else:
            saknas = antal_s.index.difference(namnare_s.index)
            if len(saknas):
                raise ValueError(f"Nämnare saknas för kategorierna {list(saknas)}.")
            namnare_s = namnare_s.reindex(antal_s.index)
    _kontrollera_icke_negativ(namnare_s, namn="namnare")
    for_stora = antal_s.index[(antal_s > namnare_s).to_numpy()]
    if len(for_stora):
        raise ValueError(
            f"Antalet är större än nämnaren för {list(for_stora)}; en andel kan inte överstiga 1."
        )
    a = antal_s.to_numpy(dtype="float64", na_value=np.nan)
    n = namnare_s.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        andel = np.where(n > 0, a / np.where(n > 0, n, 1.0), np.nan)
    resultat = pd.DataFrame(
        {"antal": antal_s.to_numpy(), "namnare": namnare_s.to_numpy(), "andel": andel},
        index=antal_s.index.copy(),
    )
    return resultat


_TALTYPER = frozenset({np.dtype("int64"), np.dtype("float64")})


def _delar_av_helhet(antal: pd.Series) -> pd.DataFrame:
    """:func:`andelar` utan nämnare för en int64/float64-Series, med numpy (samma resultat)."""
    a = antal.to_numpy()
    with np.errstate(invalid="ignore"):
        negativa = a < 0
    if negativa.any():
        raise ValueError(
            f"antal får inte vara negativa; negativa värden för: {list(antal.index[negativa])}."
        )
    if _har_summarad(antal.index):
        raise ValueError(
            "antal innehåller en summarad (t.ex. 'Totalt'); ta bort den, annars räknas "
            "summan dubbelt i nämnaren."
        )
    if a.dtype.kind == "f":
        finns = ~np.isnan(a)
        summa = np.nansum(a) if finns.any() else np.nan  # som sum(min_count=1)
    else:
        summa = a.sum()
    namnare = np.full(len(a), summa, dtype=a.dtype)
    af = a.astype("float64")
    n = namnare.astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        andel = np.where(n > 0, af / np.where(n > 0, n, 1.0), np.nan)
    return pd.DataFrame(
        {"antal": a.copy(), "namnare": namnare, "andel": andel}, index=antal.index.copy()
    )


def korstabell(
    data: pd.DataFrame,
    *,
    rader: str = "utfall",
    kolumner: str = "insats",
    antal: str = "antal",
) -> pd.DataFrame:
    """Summera en lång antalstabell till en korstabell (rader × kolumner).

    Rader med kategorin ``"Totalt"`` i rad- eller kolumnvariabeln tas bort (biblioteket räknar
    aldrig med summarader). Saknade kombinationer blir 0. Ordningen följer första förekomsten.

    Examples
    --------
    >>> lang = pd.DataFrame({"utfall": ["Arbete", "Arbete", "Studier"],
    ...                      "insats": ["MAC", "Trädgård", "MAC"], "antal": [5, 2, 2]})
    >>> korstabell(lang).to_dict("index")
    {'Arbete': {'MAC': 5, 'Trädgård': 2}, 'Studier': {'MAC': 2, 'Trädgård': 0}}
    """
    saknade = [k for k in (rader, kolumner, antal) if k not in data.columns]
    if saknade:
        raise KeyError(f"Kolumnerna {saknade} saknas; tabellen har {list(data.columns)}.")
    utan_summa = data[
        ~data[rader].astype("string").str.strip().str.lower().isin(["totalt"]).fillna(False)
        & ~data[kolumner].astype("string").str.strip().str.lower().isin(["totalt"]).fillna(False)
    ]
    radordning = pd.unique(utan_summa[rader])
    kolumnordning = pd.unique(utan_summa[kolumner])
    tabell = (
        utan_summa.groupby([rader, kolumner], sort=False)[antal]
        .sum()
        .unstack(kolumner, fill_value=0)
        .reindex(index=radordning, columns=kolumnordning, fill_value=0)
    )
    tabell.index.name = rader
    tabell.columns.name = kolumner
    return tabell


def korstabell_andelar(
    tabell: pd.DataFrame,
    *,
    riktning: Literal["kolumn", "rad", "total"] = "kolumn",
    marginaler: bool = False,
    lang: bool = False,
) -> pd.DataFrame:
    """Andelar i en korstabell av antal ("Sammanställning per insats").

    Parameters
    ----------
    tabell : DataFrame
        Antal; t.ex. rader = utfall, kolumner = insats. Får inte innehålla en summarad eller
        summakolumn ``"Totalt"``.
    riktning : {"kolumn", "rad", "total"}
        ``"kolumn"``: varje cell delat med sin kolumnsumma (varje kolumn summerar till 1).
        ``"rad"``: delat med radsumman. ``"total"``: delat med hela tabellens summa.
    marginaler : bool
        Lägg till raden och kolumnen ``"Totalt"``. De behandlas som vilken rad/kolumn som helst i
        den valda riktningen, som ``pandas.crosstab(..., normalize=..., margins=True)``: med
        ``riktning="total"`` blir summakolumnen radsummornas andelar av totalen och summaraden
        kolumnsummornas andelar (så som SOT:s tabell trycker 13/9/78 % och 47/24/29 %).
    lang : bool
        Returnera i stället en lång tabell med en rad per cell och kolumnerna
        ``<radnamn>``, ``<kolumnnamn>``, ``antal``, ``namnare``, ``andel``.

    Returns
    -------
    DataFrame
        Andelar (bråk 0–1) med samma form som ``tabell`` (plus marginaler), eller den långa
        tabellen. Nämnare 0 ger NaN.

    Examples
    --------
    SOT Västerås 2019, avslut per insats (rader: arbete, studier, fortsatt rehabilitering):

    >>> t = pd.DataFrame({"MAC": [5, 2, 19], "Upplevelse": [0, 2, 11], "Trädgård": [2, 1, 13]},
    ...                  index=["Arbete", "Studier", "Rehab"])
    >>> m = korstabell_andelar(t, riktning="total", marginaler=True)
    >>> m.loc["Totalt"].round(2).tolist()
    [0.47, 0.24, 0.29, 1.0]
    >>> m["Totalt"].round(2).tolist()
    [0.13, 0.09, 0.78, 1.0]
    >>> korstabell_andelar(t, riktning="kolumn")["MAC"].round(3).tolist()
    [0.192, 0.077, 0.731]
    """
    if riktning not in ("kolumn", "rad", "total"):
        raise ValueError(f"riktning ska vara 'kolumn', 'rad' eller 'total', inte {riktning!r}.")
    if not isinstance(tabell, pd.DataFrame):
        raise TypeError("tabell ska vara en DataFrame med antal.")
    if _har_summarad(tabell.index) or _har_summarad(tabell.columns):
        raise ValueError(
            "Korstabellen innehåller en summarad eller summakolumn ('Totalt'); ta bort den "
            "(använd marginaler=True för att få summorna tillbaka)."
        )
    icke_numeriska = [k for k in tabell.columns if not pd.api.types.is_numeric_dtype(tabell[k])]
    if icke_numeriska:
        raise TypeError(f"Kolumnerna {icke_numeriska} innehåller inte tal.")
    if (tabell < 0).any().any():
        raise ValueError("Korstabellen innehåller negativa antal.")

    antal = tabell.copy()
    if marginaler:
        antal[TOTALT] = antal.sum(axis=1)
        antal.loc[TOTALT] = antal.sum(axis=0)
        kolumnsummor, radsummor = antal.loc[TOTALT], antal[TOTALT]
    else:
        kolumnsummor, radsummor = antal.sum(axis=0), antal.sum(axis=1)
    if riktning == "kolumn":
        n_matris = np.broadcast_to(kolumnsummor.to_numpy()[None, :], antal.shape)
    elif riktning == "rad":
        n_matris = np.broadcast_to(radsummor.to_numpy()[:, None], antal.shape)
    else:
        n_matris = np.full(
            antal.shape, kolumnsummor.sum() if not marginaler else radsummor.iloc[-1]
        )
    namnare = pd.DataFrame(n_matris.copy(), index=antal.index, columns=antal.columns)
    a = antal.to_numpy(dtype="float64")
    n = namnare.to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        varden = np.where(n > 0, a / np.where(n > 0, n, 1.0), np.nan)
    resultat = pd.DataFrame(varden, index=antal.index.copy(), columns=antal.columns.copy())
    if not lang:
        return resultat
    radnamn = tabell.index.name or "rad"
    kolumnnamn = tabell.columns.name or "kolumn"
    if radnamn == kolumnnamn:
        radnamn, kolumnnamn = f"{radnamn}_rad", f"{kolumnnamn}_kolumn"
    ri, ki = np.meshgrid(np.arange(len(antal.index)), np.arange(len(antal.columns)), indexing="ij")
    return pd.DataFrame(
        {
            radnamn: antal.index.to_numpy()[ri.ravel()],
            kolumnnamn: antal.columns.to_numpy()[ki.ravel()],
            "antal": antal.to_numpy().ravel(),
            "namnare": namnare.to_numpy().ravel(),
            "andel": varden.ravel(),
        }
    )
