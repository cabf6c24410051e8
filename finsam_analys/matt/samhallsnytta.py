"""Samhällsnytta: månatlig vinst av ändrad försörjning och återbetalningstid.

Vinsten räknas ur hur många personer som har varje försörjningsform *före* och *efter* insatsen
och en kostnadstabell som användaren anger: kostnad per person och månad för varje
försörjningsform, och vilken aktör som betalar. Biblioteket har inga inbyggda belopp; saknas en
försörjningsform i kostnadstabellen blir det fel, inte noll. En form som inte kostar något
(t.ex. lön) anges med kostnaden 0, och skatteintäkter kan anges som negativa kostnader.

``manatlig_vinst = Σ (antal före - antal efter) × kostnad per månad``

``aterbetalningstid = insatskostnad / manatlig_vinst`` (månader; oändlig om vinsten är ≤ 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT

__all__ = [
    "aterbetalningstid",
    "aterbetalningstid_mot_mal",
    "fore_efter_fran_overgangar",
    "manatlig_vinst",
    "samhallsnytta_per_aktor",
]


def aterbetalningstid(insatskostnad: float, manatlig_vinst: float) -> float:
    """Återbetalningstid i månader: insatskostnad / månatlig vinst.

    Parameters
    ----------
    insatskostnad : float
        Insatsens kostnad (samma valuta/enhet som vinsten).
    manatlig_vinst : float
        Samhällets minskade kostnader per månad.

    Returns
    -------
    float
        Månader; ``math.inf`` om vinsten är noll eller negativ (insatsen betalar sig aldrig).

    Examples
    --------
    >>> aterbetalningstid(940_000, 10_000)
    94.0
    >>> aterbetalningstid(100, 0)
    inf
    """
    kostnad = float(insatskostnad)
    vinst = float(manatlig_vinst)
    if kostnad < 0 or math.isnan(kostnad):
        raise ValueError("Insatskostnaden måste vara ett tal större än eller lika med noll.")
    if math.isnan(vinst):
        raise ValueError("Den månatliga vinsten saknas (NaN).")
    if vinst <= 0:
        return math.inf
    return kostnad / vinst


def _antal(varden, namn: str) -> pd.Series:
    if isinstance(varden, pd.DataFrame):
        raise TypeError(f"'{namn}' ska vara en Series eller dict försörjningsform -> antal.")
    serie = pd.Series(varden, dtype="float64")
    serie = serie[serie.index != TOTALT]
    if (serie < 0).any():
        raise ValueError(f"Antalet personer i '{namn}' får inte vara negativt.")
    return serie.groupby(level=0).sum()


def _kostnadstabell(kostnader: pd.DataFrame) -> pd.DataFrame:
    saknas = [k for k in ("forsorjningsform", "kostnad_per_manad") if k not in kostnader.columns]
    if saknas:
        raise ValueError(
            f"Kostnadstabellen saknar kolumnerna {saknas}; den ska ha forsorjningsform, "
            "kostnad_per_manad och gärna aktor (vem som betalar)."
        )
    tabell = kostnader.copy()
    if "aktor" not in tabell.columns:
        tabell["aktor"] = "Samhället"
    tabell["kostnad_per_manad"] = pd.to_numeric(tabell["kostnad_per_manad"]).astype("float64")
    if tabell["kostnad_per_manad"].isna().any():
        raise ValueError("Kostnadstabellen har rader utan kostnad_per_manad.")
    return tabell


def _vinst_per_rad(fore, efter, kostnader: pd.DataFrame) -> pd.DataFrame:
    fore_s, efter_s = _antal(fore, "fore"), _antal(efter, "efter")
    tabell = _kostnadstabell(kostnader)
    former = fore_s.index.union(efter_s.index)
    utan_kostnad = [f for f in former if f not in set(tabell["forsorjningsform"])]
    if utan_kostnad:
        raise ValueError(
            f"Kostnad saknas för försörjningsformerna {sorted(map(str, utan_kostnad))}; "
            "ange dem i kostnadstabellen (0 om de inte kostar något)."
        )
    tabell["antal_fore"] = tabell["forsorjningsform"].map(fore_s).fillna(0.0)
    tabell["antal_efter"] = tabell["forsorjningsform"].map(efter_s).fillna(0.0)
    tabell["vinst_per_manad"] = (tabell["antal_fore"] - tabell["antal_efter"]) * tabell[
        "kostnad_per_manad"
    ]
    return tabell


def manatlig_vinst(
    fore: pd.Series | Mapping[str, float],
    efter: pd.Series | Mapping[str, float],
    kostnader: pd.DataFrame,
    *,
    per_aktor: bool = False,
) -> float | pd.Series:
    """Samhällets minskade kostnader per månad när försörjningen ändras från före till efter.

    Parameters
    ----------
    fore, efter : Series eller dict
        Antal personer per försörjningsform före och efter (t.ex. vid inskrivning och vid
        avslut eller uppföljning). ``"Totalt"`` ignoreras.
    kostnader : DataFrame
        Kolumnerna ``forsorjningsform``, ``kostnad_per_manad`` (per person) och valfritt
        ``aktor``. En form som betalas av flera aktörer har en rad per aktör.
    per_aktor : bool, standard False
        Returnera vinsten per aktör i stället för totalen.

    Returns
    -------
    float eller Series
        Total vinst per månad, eller en Series indexerad på aktör.

    Examples
    --------
    >>> kostnader = pd.DataFrame({
    ...     "forsorjningsform": ["Ekonomiskt bistånd", "Sjukpenning", "Lön"],
    ...     "kostnad_per_manad": [9_000, 14_000, 0],
    ...     "aktor": ["Kommun", "FK", "Ingen"],
    ... })
    >>> fore = {"Ekonomiskt bistånd": 10, "Sjukpenning": 5}
    >>> efter = {"Ekonomiskt bistånd": 6, "Sjukpenning": 4, "Lön": 5}
    >>> manatlig_vinst(fore, efter, kostnader)
    50000.0
    >>> manatlig_vinst(fore, efter, kostnader, per_aktor=True).to_dict()
    {'FK': 14000.0, 'Ingen': 0.0, 'Kommun': 36000.0}
    """
    tabell = _vinst_per_rad(fore, efter, kostnader)
    if per_aktor:
        return tabell.groupby("aktor", sort=True)["vinst_per_manad"].sum()
    return float(tabell["vinst_per_manad"].sum())


def samhallsnytta_per_aktor(
    fore: pd.Series | Mapping[str, float],
    efter: pd.Series | Mapping[str, float],
    kostnader: pd.DataFrame,
    *,
    insatskostnad: float,
) -> pd.DataFrame:
    """Vinst per aktör och månad, aktörens andel av vinsten och återbetalningstiden.

    Parameters
    ----------
    fore, efter, kostnader
        Som i :func:`manatlig_vinst`.
    insatskostnad : float
        Insatsens totala kostnad.

    Returns
    -------
    DataFrame
        En rad per aktör och en rad ``"Totalt"``: ``aktor``, ``vinst_per_manad``,
        ``andel_av_vinst`` och ``aterbetalningstid_manader`` (bara på totalraden; den totala
        vinsten betalar tillbaka hela insatsen).

    Examples
    --------
    >>> kostnader = pd.DataFrame({"forsorjningsform": ["Ekonomiskt bistånd", "Lön"],
    ...                           "kostnad_per_manad": [9_000, 0], "aktor": ["Kommun", "Ingen"]})
    >>> fore, efter = {"Ekonomiskt bistånd": 10}, {"Ekonomiskt bistånd": 5, "Lön": 5}
    >>> ut = samhallsnytta_per_aktor(fore, efter, kostnader, insatskostnad=900_000)
    >>> ut.loc[ut["aktor"] == "Totalt", "aterbetalningstid_manader"].item()
    20.0
    """
    per_aktor = manatlig_vinst(fore, efter, kostnader, per_aktor=True)
    total = float(per_aktor.sum())
    ut = pd.DataFrame({"aktor": per_aktor.index.astype("str"), "vinst_per_manad": per_aktor})
    ut = pd.concat(
        [ut, pd.DataFrame({"aktor": [TOTALT], "vinst_per_manad": [total]})], ignore_index=True
    )
    ut["andel_av_vinst"] = ut["vinst_per_manad"] / total if total != 0 else np.nan
    ut["aterbetalningstid_manader"] = np.nan
    ut.loc[ut["aktor"] == TOTALT, "aterbetalningstid_manader"] = aterbetalningstid(
        insatskostnad, total
    )
    return ut


def fore_efter_fran_overgangar(overgangar: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Antal per försörjningsform före och efter ur en övergångstabell.

    Parameters
    ----------
    overgangar : DataFrame
        Korstabell med försörjning före som index och efter som kolumner (som från
        :func:`finsam_analys.matt.deltagarfloden.forsorjningsovergangar`). ``"Totalt"`` ignoreras.

    Returns
    -------
    tuple of Series
        ``(fore, efter)``.

    Examples
    --------
    >>> t = pd.DataFrame({"Lön": [3, 1], "Sjukpenning": [0, 2]},
    ...                  index=["Ekonomiskt bistånd", "Sjukpenning"])
    >>> fore, efter = fore_efter_fran_overgangar(t)
    >>> fore.to_dict(), efter.to_dict()
    ({'Ekonomiskt bistånd': 3, 'Sjukpenning': 3}, {'Lön': 4, 'Sjukpenning': 2})
    """
    tabell = overgangar.drop(index=TOTALT, columns=TOTALT, errors="ignore")
    return tabell.sum(axis=1), tabell.sum(axis=0)


def aterbetalningstid_mot_mal(resultat_manader: float, mal_manader: float) -> pd.Series:
    """Jämför återbetalningstiden med målet (målet är ett tak: högst så många månader).

    Parameters
    ----------
    resultat_manader : float
        Uppnådd återbetalningstid i månader.
    mal_manader : float
        Målet i månader (t.ex. 34, eller "max 40").

    Returns
    -------
    Series
        ``resultat``, ``mal``, ``skillnad`` (resultat - mål, månader; positiv = sämre än
        målet) och ``uppfyllt`` (bool).

    Examples
    --------
    SOT Västerås 2019: mål 34 månader, resultat 94 månader.

    >>> aterbetalningstid_mot_mal(94, 34).to_dict()
    {'resultat': 94.0, 'mal': 34.0, 'skillnad': 60.0, 'uppfyllt': False}
    """
    resultat, mal = float(resultat_manader), float(mal_manader)
    return pd.Series(
        {"resultat": resultat, "mal": mal, "skillnad": resultat - mal, "uppfyllt": resultat <= mal},
        dtype="object",
    )
