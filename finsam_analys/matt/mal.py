"""Måluppfyllelse: andel jämförd med ett mål med riktning, med osäkerheten synlig.

Ett mål har en riktning: ``"minst"`` (t.ex. minst 25 % till arbete) eller ``"hogst"`` (t.ex.
högst 20 % avbrott). Skillnaden mot målet anges i procentenheter, men som bråk inne i
biblioteket (13 % mot 25 % ger ``-0.12``; formatera med
:func:`finsam_analys.presentation.formatering.formatera_procentenheter`).

Små tal ska synas: 13 % av 55 avslut är inte samma belägg som 13 % av 5 500. Därför får varje
rad sitt ``n``, ett Wilsonintervall och ett ensidigt exakt binomialtest mot målet.
Testet frågar som standard om andelen med rimlig säkerhet **inte** når målet
(``alternativ="ej_uppfyllt"``): ett litet p-värde betyder att avvikelsen åt fel håll inte
rimligen kan förklaras av slumpen. Med ``alternativ="uppfyllt"`` frågar det i stället om
andelen säkert når målet.

Bedömningen ``uppfyllt`` görs på den exakta andelen, inte på den avrundade procentsiffran
(89,7 % når inte målet 90 %, även om den trycks som 90 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["binomialtest_mot_mal", "jamfor_med_mal", "wilson_intervall"]

RIKTNINGAR = ("minst", "hogst")
ALTERNATIV = ("ej_uppfyllt", "uppfyllt")
_TOLERANS = 1e-12


def _kontrollera_riktning(riktning: Any) -> str:
    if riktning not in RIKTNINGAR:
        raise ValueError(f"riktning ska vara 'minst' eller 'hogst', inte {riktning!r}.")
    return riktning


def wilson_intervall(antal: Any, n: Any, *, konfidens: float = 0.95) -> tuple[Any, Any]:
    """Wilsons konfidensintervall för en andel ``antal / n``.

    Wilsonintervallet håller sig inom 0–1 och fungerar även för små ``n`` och för andelar nära
    0 eller 1, till skillnad från normalapproximationen (Wald).

    Parameters
    ----------
    antal, n : int, array eller Series
        Antal "träffar" och nämnare. ``n = 0`` ger NaN.
    konfidens : float
        Konfidensgrad, 0 < konfidens < 1 (standard 0,95).

    Returns
    -------
    (nedre, ovre)
        Två tal (eller arrayer med samma form som indata), bråk 0–1.

    Examples
    --------
    SOT 2019: 7 av 55 avslut till arbete (13 %), jämfört med samma andel av 5 500.

    >>> [round(g, 3) for g in wilson_intervall(7, 55)]
    [0.063, 0.24]
    >>> [round(g, 3) for g in wilson_intervall(700, 5500)]
    [0.119, 0.136]
    """
    if not 0 < konfidens < 1:
        raise ValueError(f"konfidens ska ligga mellan 0 och 1, inte {konfidens!r}.")
    x = np.asarray(antal, dtype="float64")
    nn = np.asarray(n, dtype="float64")
    if np.any(x < 0) or np.any(nn < 0):
        raise ValueError("antal och n får inte vara negativa.")
    if np.any(x > nn):
        raise ValueError("antal får inte vara större än n.")
    z = NormalDist().inv_cdf(1 - (1 - konfidens) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_pos = np.where(nn > 0, nn, np.nan)
        p = x / n_pos
        namnare = 1 + z**2 / n_pos
        mitt = (p + z**2 / (2 * n_pos)) / namnare
        halv = z * np.sqrt(p * (1 - p) / n_pos + z**2 / (4 * n_pos**2)) / namnare
    nedre = np.clip(mitt - halv, 0.0, 1.0)
    ovre = np.clip(mitt + halv, 0.0, 1.0)
    # exakta gränser vid 0 och n (undvik flyttalsbrus)
    nedre = np.where(x == 0, np.where(nn > 0, 0.0, np.nan), nedre)
    ovre = np.where((x == nn) & (nn > 0), 1.0, ovre)
    if nedre.ndim == 0:
        return float(nedre), float(ovre)
    if isinstance(antal, pd.Series):
        return pd.Series(nedre, index=antal.index), pd.Series(ovre, index=antal.index)
    return nedre, ovre


def _scipy_alternativ(riktning: str, alternativ: str) -> str:
    if alternativ not in ALTERNATIV:
        raise ValueError(
            f"alternativ ska vara 'ej_uppfyllt' eller 'uppfyllt', inte {alternativ!r}."
        )
    mindre = (riktning == "minst") == (alternativ == "ej_uppfyllt")
    return "less" if mindre else "greater"


def binomialtest_mot_mal(
    antal: int,
    n: int,
    *,
    mal: float,
    riktning: Literal["minst", "hogst"],
    alternativ: Literal["ej_uppfyllt", "uppfyllt"] = "ej_uppfyllt",
) -> float:
    """Ensidigt exakt binomialtest av andelen ``antal / n`` mot målet ``mal``.

    Parameters
    ----------
    antal, n : int
        Antal träffar och nämnare.
    mal : float
        Målet som bråk 0–1 (25 % skrivs 0.25).
    riktning : {"minst", "hogst"}
        Målets riktning.
    alternativ : {"ej_uppfyllt", "uppfyllt"}
        ``"ej_uppfyllt"`` (standard): mothypotesen är att den sanna andelen ligger på fel sida
        av målet (under ett minstamål, över ett högstamål). Ett litet p-värde betyder att
        målet med rimlig säkerhet inte nås. ``"uppfyllt"``: mothypotesen är att den sanna
        andelen ligger på rätt sida.

    Returns
    -------
    float
        p-värdet (NaN om ``n`` är 0).

    Examples
    --------
    SOT 2019: 7 av 55 till arbete mot målet minst 25 %.

    >>> round(binomialtest_mot_mal(7, 55, mal=0.25, riktning="minst"), 3)
    0.02
    """
    _kontrollera_riktning(riktning)
    if not 0 <= mal <= 1:
        raise ValueError(f"mal ska vara en andel 0–1 (25 % skrivs 0.25), inte {mal!r}.")
    if n == 0:
        return float("nan")
    return _binomial_svans(
        int(antal), int(n), float(mal), nedre=_scipy_alternativ(riktning, alternativ) == "less"
    )


def _binomial_svans(k: int, n: int, p: float, *, nedre: bool) -> float:
    """Exakt svanssannolikhet P(X ≤ k) (``nedre``) eller P(X ≥ k) för X ~ Bin(n, p).

    Samma värde som ``scipy.stats.binomtest(k, n, p, alternative="less"/"greater").pvalue``,
    men via binomialfördelningens funktioner i ``scipy.special`` (``bdtr``, ``bdtrc``), som
    importeras på en bråkdel av tiden för ``scipy.stats`` i varje rapportkärna.
    """
    from scipy.special import bdtr, bdtrc

    if nedre:
        return float(min(1.0, bdtr(k, n, p)))
    if k <= 0:
        return 1.0
    return float(min(1.0, bdtrc(k - 1, n, p)))


def _mal_per_kategori(mal: Any, riktning: Any, index: pd.Index) -> pd.DataFrame:
    """Gör om målangivelsen till en frame med kolumnerna ``mal`` och ``riktning``."""
    if isinstance(mal, pd.DataFrame):
        tabell = mal.copy()
        if "indikator" in tabell.columns and isinstance(tabell.index, pd.RangeIndex):
            tabell = tabell.set_index("indikator")
        if "varde" not in tabell.columns:
            raise ValueError("En måltabell måste ha kolumnen 'varde' (som tabellen 'mal').")
        varde = tabell["varde"].astype("float64")
        if "enhet" in tabell.columns:
            enhet = tabell["enhet"].astype("string").str.strip().str.lower()
            procent = enhet.isin(["procent", "%"]).fillna(False).to_numpy()
            ok = enhet.isin(["andel", "procent", "%"]).fillna(False).to_numpy()
            if not ok.all():
                raise ValueError(
                    "Bara mål för andelar kan jämföras här (enhet 'andel'); fick enheterna "
                    f"{sorted(set(enhet[~ok].dropna()))} för {list(tabell.index[~ok])}."
                )
            varde = varde.where(~procent, varde / 100)
        rikt = tabell["riktning"] if "riktning" in tabell.columns else riktning
        mal_s = varde
    elif isinstance(mal, (pd.Series, Mapping)):
        mal_s = pd.Series(dict(mal) if isinstance(mal, Mapping) else mal, dtype="float64")
        rikt = riktning
    else:
        mal_s = pd.Series(float(mal), index=index)
        rikt = riktning
    if isinstance(rikt, (pd.Series, Mapping)):
        rikt_s = pd.Series(dict(rikt) if isinstance(rikt, Mapping) else rikt).reindex(mal_s.index)
    else:
        rikt_s = pd.Series(rikt, index=mal_s.index)
    for r in rikt_s:
        _kontrollera_riktning(r)
    utanfor = mal_s[(mal_s < 0) | (mal_s > 1)]
    if len(utanfor):
        raise ValueError(
            f"Målen ska vara andelar 0–1 (25 % skrivs 0.25); fel för {list(utanfor.index)}."
        )
    saknas = mal_s.index.difference(index)
    if len(saknas):
        raise ValueError(
            f"Mål finns för {list(saknas)} men de kategorierna saknas bland andelarna "
            f"({list(index)})."
        )
    ordning = [k for k in index if k in mal_s.index]
    return pd.DataFrame(
        {"mal": mal_s.reindex(ordning), "riktning": rikt_s.reindex(ordning).astype("str")}
    )


def jamfor_med_mal(
    andelar: pd.DataFrame,
    mal: Any,
    *,
    riktning: Any = "minst",
    konfidens: float = 0.95,
    alternativ: Literal["ej_uppfyllt", "uppfyllt"] = "ej_uppfyllt",
) -> pd.DataFrame:
    """Jämför andelar med mål: differens, uppfyllt, n, Wilsonintervall och binomialtest.

    Parameters
    ----------
    andelar : DataFrame
        Som från :func:`finsam_analys.matt.andelar.andelar`: kolumnerna ``antal`` och ``namnare``
        (eller ``n``), gärna ``andel``; en rad per kategori. Saknas antal och nämnare (bara en
        publicerad andel) blir intervall och p-värde NaN.
    mal : tal, dict, Series eller DataFrame
        Ett mål för alla rader, ett mål per kategori (nyckel/index = kategorin), eller en
        måltabell med kolumnen ``varde`` (och gärna ``riktning`` och ``enhet``; index eller
        kolumnen ``indikator`` = kategorin), som tabellen ``mal``. Mål är bråk 0–1; enheten
        ``"procent"`` i en måltabell räknas om.
    riktning : "minst", "hogst", dict eller Series
        Målets riktning (används om måltabellen saknar kolumnen ``riktning``).
    konfidens : float
        Konfidensgrad för Wilsonintervallet.
    alternativ : {"ej_uppfyllt", "uppfyllt"}
        Mothypotes för binomialtestet, se :func:`binomialtest_mot_mal`.

    Returns
    -------
    DataFrame
        En rad per kategori som har ett mål (i andelarnas ordning; kategorier utan mål tas inte
        med) och kolumnerna ``antal``, ``n``, ``andel``, ``mal``, ``riktning``, ``differens``
        (andel − mål, i bråk; −0.12 = −12 procentenheter), ``uppfyllt`` (bool), ``nedre``,
        ``ovre``, ``intervallbredd``, ``osaker`` (intervallet omfattar målet: resultatet kan
        inte skiljas från målet) och ``p_varde``.

    Examples
    --------
    SOT 2019, målområde 1: 7 arbete, 5 studier och 43 fortsatt rehabilitering av 55, mot målen
    minst 25 %, 20 % och 55 %.

    >>> from finsam_analys.matt.andelar import andelar
    >>> a = andelar({"arbete": 7, "studier": 5, "rehab": 43})
    >>> r = jamfor_med_mal(a, {"arbete": 0.25, "studier": 0.20, "rehab": 0.55})
    >>> r["uppfyllt"].tolist(), r["differens"].round(2).tolist()
    ([False, False, True], [-0.12, -0.11, 0.23])
    """
    if not isinstance(andelar, pd.DataFrame):
        raise TypeError("andelar ska vara en DataFrame med kolumnerna antal och namnare.")
    namnkolumn = "namnare" if "namnare" in andelar.columns else "n"
    har_antal = "antal" in andelar.columns and namnkolumn in andelar.columns
    if not har_antal and "andel" not in andelar.columns:
        raise ValueError("andelar måste ha kolumnerna 'antal' och 'namnare', eller 'andel'.")
    mal_df = _mal_per_kategori(mal, riktning, andelar.index)
    rader = andelar.loc[mal_df.index]
    if har_antal:
        antal = rader["antal"].astype("float64")
        n = rader[namnkolumn].astype("float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            andel = (antal / n.where(n > 0)).astype("float64")
    else:
        antal = pd.Series(np.nan, index=rader.index)
        n = pd.Series(np.nan, index=rader.index)
        andel = rader["andel"].astype("float64")

    differens = andel - mal_df["mal"]
    minst = (mal_df["riktning"] == "minst").to_numpy()
    uppfyllt = np.where(
        minst, differens.to_numpy() >= -_TOLERANS, differens.to_numpy() <= _TOLERANS
    )
    uppfyllt = pd.array(uppfyllt, dtype="boolean")
    uppfyllt[andel.isna().to_numpy()] = pd.NA

    if har_antal:
        nedre, ovre = wilson_intervall(
            antal.fillna(0).to_numpy(), n.fillna(0).to_numpy(), konfidens=konfidens
        )
        nedre = np.where(antal.isna(), np.nan, nedre)
        ovre = np.where(antal.isna(), np.nan, ovre)
        p_varden = [
            binomialtest_mot_mal(int(a), int(nn), mal=m, riktning=r, alternativ=alternativ)
            if not (np.isnan(a) or np.isnan(nn))
            else np.nan
            for a, nn, m, r in zip(antal, n, mal_df["mal"], mal_df["riktning"], strict=True)
        ]
    else:
        nedre = ovre = np.full(len(rader), np.nan)
        p_varden = [np.nan] * len(rader)
    malv = mal_df["mal"].to_numpy()
    osaker = pd.array((nedre <= malv) & (malv <= ovre), dtype="boolean")
    osaker[np.isnan(nedre)] = pd.NA

    return pd.DataFrame(
        {
            "antal": rader["antal"].to_numpy() if har_antal else antal.to_numpy(),
            "n": rader[namnkolumn].to_numpy() if har_antal else n.to_numpy(),
            "andel": andel.to_numpy(),
            "mal": malv,
            "riktning": mal_df["riktning"].to_numpy(),
            "differens": differens.to_numpy(),
            "uppfyllt": uppfyllt,
            "nedre": nedre,
            "ovre": ovre,
            "intervallbredd": ovre - nedre,
            "osaker": osaker,
            "p_varde": np.asarray(p_varden, dtype="float64"),
        },
        index=rader.index.copy(),
    )
