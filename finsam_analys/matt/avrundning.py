"""Avrundning av andelar till procent: största resten (delar av en helhet) eller vanlig.

Det här är den enda modulen (utöver formateringen) där procent förekommer: in kommer andelar som
bråk 0–1, ut kommer procenttal.

Två metoder:

``"storsta_rest"`` (största resten, Hare–Niemeyer)
    Varje del får sitt exakta värde nedrundat till närmaste enhet (1 procent, eller 0,1 med
    ``decimaler=1``); de enheter som fattas för att nå den avrundade summan (100 för en hel
    helhet) delas ut, en var, till delarna med störst rest. Delarna summerar då exakt till 100,
    och ingen del flyttas en hel enhet eller mer från sitt exakta värde. Lika rester avgörs till
    förmån för den större delen och därefter den som står först. Metoden är **bara meningsfull
    när andelarna är delar av en helhet** (t.ex. utfall efter avslut: arbete, studier, fortsatt
    rehabilitering). Andelar som inte hör ihop (olika nämnare, flera svar per person) ska avrundas
    med ``"vanlig"``; summerar andelarna till mer än 1 vägrar funktionen.

``"vanlig"``
    Varje del för sig, avrundning uppåt vid exakt halva (half-up, 12,5 → 13), inte bankers
    avrundning (som Pythons ``round``). Delarna kan då summera till 99 eller 101.

Flyttalsbrus (``0.145 * 100 == 14.499999999999998``) tas bort innan avrundningen genom att det
skalade värdet först rundas till nio decimaler.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["avrunda_delar", "avrunda_procent", "avrunda_halvt_upp"]

_BRUS_DECIMALER = 9
_TOLERANS = 1e-9


def avrunda_halvt_upp(varde: Any, decimaler: int = 0) -> Any:
    """Avrunda med halva bort från noll (12,5 → 13, −12,5 → −13), till skillnad från ``round``.

    Fungerar på tal, arrayer och Series; NaN förblir NaN.

    Examples
    --------
    >>> avrunda_halvt_upp(12.5), round(12.5), avrunda_halvt_upp(0.145 * 100)
    (13.0, 12, 15.0)
    >>> avrunda_halvt_upp(2.25, 1)
    2.3
    """
    skala = 10.0**decimaler
    x = np.round(np.asarray(varde, dtype="float64") * skala, _BRUS_DECIMALER)
    resultat = np.sign(x) * np.floor(np.abs(x) + 0.5) / skala
    resultat = resultat + 0.0  # -0.0 -> 0.0
    if isinstance(varde, pd.Series):
        return pd.Series(resultat, index=varde.index, name=varde.name)
    if np.ndim(resultat) == 0:
        return float(resultat)
    return resultat


def _som_andelar(andel: Any) -> pd.Series:
    if isinstance(andel, pd.DataFrame):
        if "andel" not in andel.columns:
            raise ValueError("En DataFrame måste ha kolumnen 'andel' (som från andelar()).")
        serie = andel["andel"]
    elif isinstance(andel, pd.Series):
        serie = andel
    elif isinstance(andel, Mapping):
        serie = pd.Series(dict(andel), dtype="float64")
    else:
        serie = pd.Series(list(np.atleast_1d(andel)), dtype="float64")
    serie = serie.astype("float64")
    utanfor = serie[(serie < -_TOLERANS) | (serie > 1 + _TOLERANS)]
    if len(utanfor):
        raise ValueError(
            "Andelar ska vara bråk mellan 0 och 1 (inte procent); värden utanför för "
            f"{list(utanfor.index)}: {utanfor.tolist()}."
        )
    return serie


def avrunda_procent(
    andel: Any,
    decimaler: int = 0,
    metod: Literal["storsta_rest", "vanlig"] = "storsta_rest",
) -> pd.Series:
    """Gör andelar (bråk 0–1) till avrundade procenttal.

    Parameters
    ----------
    andel : Series, list, dict, array eller DataFrame med kolumnen ``andel``
        Andelarna. NaN (t.ex. nämnare 0 eller maskerat värde) förblir NaN och deltar inte.
    decimaler : int
        Antal decimaler i procenttalen (0 ger hela procent, 1 ger t.ex. 15,2).
    metod : {"storsta_rest", "vanlig"}
        ``"storsta_rest"``: delar av en helhet summerar exakt till 100 (eller till den avrundade
        summan av delarna om de inte täcker hela helheten). Bara meningsfull när andelarna är
        delar av en helhet. ``"vanlig"``: varje del avrundas för sig, halva uppåt.

    Returns
    -------
    Series
        Procenttal (float), samma index som indata, namnet ``"procent"``.

    Raises
    ------
    ValueError
        Okänd metod, negativa decimaler, andelar utanför 0–1, eller (``storsta_rest``)
        andelar som summerar till mer än 1.

    Examples
    --------
    SOT Västerås 2019: 7, 5 och 43 av 55 avslut.

    >>> avrunda_procent([7 / 55, 5 / 55, 43 / 55]).tolist()
    [13.0, 9.0, 78.0]

    Tre lika stora delar: största resten summerar till 100, vanlig avrundning till 99.

    >>> avrunda_procent([1 / 3] * 3).tolist(), avrunda_procent([1 / 3] * 3, metod="vanlig").tolist()
    ([34.0, 33.0, 33.0], [33.0, 33.0, 33.0])
    """
    if metod not in ("storsta_rest", "vanlig"):
        raise ValueError(f"metod ska vara 'storsta_rest' eller 'vanlig', inte {metod!r}.")
    if not isinstance(decimaler, (int, np.integer)) or decimaler < 0:
        raise ValueError(f"decimaler ska vara ett heltal ≥ 0, inte {decimaler!r}.")
    serie = _som_andelar(andel)
    if metod == "vanlig":
        procent = avrunda_halvt_upp(serie.to_numpy() * 100, decimaler)
        return pd.Series(procent, index=serie.index.copy(), name="procent", dtype="float64")

    varden = serie.to_numpy(dtype="float64")
    finns = ~np.isnan(varden)
    summa = varden[finns].sum()
    if summa > 1 + 1e-6:
        raise ValueError(
            f"Andelarna summerar till {summa:.4f} > 1 och är alltså inte delar av en helhet; "
            "största resten är då meningslöst. Använd metod='vanlig'."
        )
    skala = 10.0**decimaler
    # exakta värden i enheter (hela procent, tiondels procent ...), utan flyttalsbrus
    exakt = np.round(varden[finns] * 100 * skala, _BRUS_DECIMALER)
    golv = np.floor(exakt)
    rest = exakt - golv
    mal_enheter = int(np.floor(np.round(exakt.sum(), _BRUS_DECIMALER) + 0.5))
    att_dela_ut = mal_enheter - int(golv.sum())
    # störst rest först; lika rest: större del först; sedan ursprunglig ordning (stabil sortering)
    ordning = np.lexsort((np.arange(len(rest)), -exakt, -rest))
    tillagg = np.zeros(len(rest))
    tillagg[ordning[:att_dela_ut]] = 1.0
    resultat = np.full(len(varden), np.nan)
    resultat[finns] = (golv + tillagg) / skala
    return pd.Series(resultat, index=serie.index.copy(), name="procent", dtype="float64")


def avrunda_delar(delar: Any, decimaler: int = 0, *, summa: float | None = None) -> np.ndarray:
    """Avrunda delar av en helhet med största resten så att de summerar till helheten.

    Som :func:`avrunda_procent` men för vilka icke-negativa tal som helst (antal med decimaler,
    HÅE, belopp): delarna summerar till ``summa`` avrundad till ``decimaler`` (standard: deras
    egen exakta summa, avrundad). NaN förblir NaN och deltar inte.

    Examples
    --------
    >>> avrunda_delar([1.4, 1.4, 1.2]).tolist()
    [2.0, 1.0, 1.0]
    >>> avrunda_delar([33.35, 33.35, 33.3], 1).tolist()
    [33.4, 33.3, 33.3]
    >>> avrunda_delar([0.5, np.nan, 0.5]).tolist()
    [1.0, nan, 0.0]
    """
    varden = np.asarray(delar, dtype="float64")
    finns = ~np.isnan(varden)
    skala = 10.0**decimaler
    exakt = np.round(varden[finns] * skala, _BRUS_DECIMALER)
    golv = np.floor(exakt)
    rest = exakt - golv
    total = exakt.sum() if summa is None else float(summa) * skala
    mal_enheter = int(np.floor(np.round(total, _BRUS_DECIMALER) + 0.5))
    att_dela_ut = max(0, min(len(rest), mal_enheter - int(golv.sum())))
    ordning = np.lexsort((np.arange(len(rest)), -exakt, -rest))
    tillagg = np.zeros(len(rest))
    tillagg[ordning[:att_dela_ut]] = 1.0
    resultat = np.full(len(varden), np.nan)
    resultat[finns] = (golv + tillagg) / skala
    return resultat
