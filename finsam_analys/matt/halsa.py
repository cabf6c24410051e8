"""Hälsa och förflyttning: hälsopoäng före/efter, relativ förändring, procentenheter, steg.

Hälsoenkäter redovisas i rapporterna på två sätt, och båda går att räkna om här:

* **summor**: den sammanlagda poängen vid start och vid avslut och den relativa förändringen
  (SOT 2019: 188 → 227 poäng = +21 %), se :func:`relativ_forandring` och
  :func:`halsoenkat_resultat`;
* **andel förbättrade**: hur många som har högre poäng vid avslut än vid start (11 av 14 = 79 %).

ORS (Outcome Rating Scale) har fyra frågor 0–10, summa 0–40; klinisk gräns 25 och **reliabel
förändring 5 poäng** (:data:`ORS_RELIABEL_FORANDRING`). Med ``troskel=5`` räknas bara den som
ökat minst 5 poäng som förbättrad.

Skillnaden mellan två andelar är procentenheter, inte procent: 79 % → 83 % är +4
procentenheter (:func:`procentenheter` ger ``0.04``), medan 188 → 227 poäng är +21 procent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT

__all__ = [
    "ORS_KLINISK_GRANS",
    "ORS_RELIABEL_FORANDRING",
    "halsoenkat_resultat",
    "halsopoangforandring",
    "procentenheter",
    "relativ_forandring",
    "stegforflyttning",
]

ORS_RELIABEL_FORANDRING = 5
"""Minsta ökning i ORS-summa (0–40) som räknas som reliabel förändring."""

ORS_KLINISK_GRANS = 25
"""ORS-summa under vilken skattningen räknas som klinisk nivå."""

_WILCOXON_MINSTA_N = 6


def _parvisa(start: Any, slut: Any) -> tuple[pd.DataFrame, int]:
    """Para ihop start- och slutvärden; returnera (parade rader, antal oparade)."""
    if isinstance(start, pd.Series) and isinstance(slut, pd.Series):
        if not start.index.is_unique or not slut.index.is_unique:
            raise ValueError("start och slut måste ha unika index (en rad per deltagare).")
        par = pd.concat({"start": start, "slut": slut}, axis=1, join="outer")
    else:
        s = np.asarray(start, dtype="float64").ravel()
        e = np.asarray(slut, dtype="float64").ravel()
        if s.shape != e.shape:
            raise ValueError(
                f"start och slut måste vara lika långa ({len(s)} och {len(e)} värden)."
            )
        par = pd.DataFrame({"start": s, "slut": e})
    for kolumn in ("start", "slut"):
        if not pd.api.types.is_numeric_dtype(par[kolumn]):
            raise TypeError(f"{kolumn} måste innehålla tal (poäng).")
    par = par.astype("float64")
    parade = par.dropna()
    return parade, len(par) - len(parade)


def _ar_forbattrad(skillnad: pd.Series, troskel: float) -> pd.Series:
    if troskel > 0:
        return skillnad >= troskel
    return skillnad > 0


def halsopoangforandring(
    start: Any, slut: Any, *, troskel: float = 0, wilcoxon: bool = True
) -> dict[str, Any]:
    """Förändring i hälsopoäng från parade individuella skattningar (start och avslut).

    Rader där start eller slut saknas tas bort och räknas i ``antal_oparade``.

    Parameters
    ----------
    start, slut : Series eller array
        Poäng vid start och vid avslut, en per deltagare. Två Series paras via index; annars
        efter position.
    troskel : float
        Minsta ökning i poäng som räknas som förbättring. ``0`` (standard): varje ökning
        räknas (slut > start). Ett positivt värde: ökningen måste vara minst ``troskel``
        (slut − start ≥ troskel); för ORS är reliabel förändring 5 poäng
        (``troskel=ORS_RELIABEL_FORANDRING``). Samma regel används speglat för
        ``antal_forsamrade``.
    wilcoxon : bool
        Räkna Wilcoxons teckenrangtest (standard). ``False`` hoppar över det (nyckeln blir
        ``None``).

    Returns
    -------
    dict
        ``n`` (parade), ``summa_start``, ``summa_slut``, ``forandring`` (relativ förändring av
        summorna, bråk; NaN om startsumman är 0), ``antal_forbattrade``, ``andel_forbattrade``
        (NaN om n = 0), ``antal_forsamrade``, ``antal_oforandrade`` (varken förbättrad eller
        försämrad), ``medelforandring`` (poäng per deltagare), ``antal_oparade``, ``troskel``
        och ``wilcoxon``: tvåsidigt p-värde från Wilcoxons teckenrangtest på de parade
        skillnaderna (``scipy.stats.wilcoxon``, importeras först här), eller ``None`` när
        n < 6 eller alla skillnader är 0 (testet säger då ingenting). Utan nollskillnader och
        lika stora skillnader (och
        n ≤ 50) används den exakta fördelningen; annars, som R:s ``wilcox.test``,
        normalapproximation med korrektion för lika värden och kontinuitetskorrektion, där
        nollskillnader utelämnas.

    Examples
    --------
    >>> r = halsopoangforandring([20, 25, 30, 18], [24, 25, 38, None])
    >>> r["n"], r["antal_forbattrade"], r["antal_oparade"], round(r["forandring"], 3)
    (3, 2, 1, 0.16)
    >>> halsopoangforandring([20, 25, 30], [24, 25, 38], troskel=5)["antal_forbattrade"]
    1
    """
    if troskel < 0:
        raise ValueError("troskel får inte vara negativ (den anger minsta ökning i poäng).")
    par, oparade = _parvisa(start, slut)
    skillnad = par["slut"] - par["start"]
    n = len(par)
    summa_start = float(par["start"].sum())
    summa_slut = float(par["slut"].sum())
    forbattrade = int(_ar_forbattrad(skillnad, troskel).sum())
    forsamrade = int(_ar_forbattrad(-skillnad, troskel).sum())
    p_varde: float | None = None
    if wilcoxon and n >= _WILCOXON_MINSTA_N and (skillnad != 0).any():
        from scipy.stats import wilcoxon as _wilcoxon

        d = skillnad.to_numpy(dtype="float64")
        icke_noll = np.abs(d[d != 0])
        exakt = len(icke_noll) <= 50 and len(np.unique(icke_noll)) == len(icke_noll) == n
        if exakt:
            p_varde = float(_wilcoxon(d, method="exact").pvalue)
        else:
            p_varde = float(
                _wilcoxon(d, zero_method="wilcox", correction=True, method="approx").pvalue
            )
    return {
        "n": n,
        "summa_start": summa_start,
        "summa_slut": summa_slut,
        "forandring": relativ_forandring(summa_start, summa_slut),
        "antal_forbattrade": forbattrade,
        "andel_forbattrade": forbattrade / n if n else float("nan"),
        "antal_forsamrade": forsamrade,
        "antal_oforandrade": n - forbattrade - forsamrade,
        "medelforandring": float(skillnad.mean()) if n else float("nan"),
        "antal_oparade": oparade,
        "troskel": troskel,
        "wilcoxon": p_varde,
    }


def relativ_forandring(fore: Any, efter: Any) -> Any:
    """Relativ förändring ``(efter − före) / före`` som bråk (0.21 = +21 %).

    Fungerar på tal, arrayer och Series (t.ex. publicerade summor). ``före = 0`` ger NaN.

    Examples
    --------
    SOT 2019, sammanlagd hälsopoäng jan–maj och juni–nov:

    >>> round(relativ_forandring(188, 227), 4), round(relativ_forandring(234, 280), 4)
    (0.2074, 0.1966)
    """
    f = np.asarray(fore, dtype="float64")
    e = np.asarray(efter, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        resultat = np.where(f != 0, (e - f) / np.where(f != 0, f, 1.0), np.nan)
    if isinstance(efter, pd.Series) or isinstance(fore, pd.Series):
        index = (efter if isinstance(efter, pd.Series) else fore).index
        return pd.Series(resultat, index=index)
    if resultat.ndim == 0:
        return float(resultat)
    return resultat


def procentenheter(fore: Any, efter: Any) -> Any:
    """Skillnaden mellan två andelar, i bråk: 0,79 → 0,83 ger 0,04 (= +4 procentenheter).

    Andelarna ska vara bråk 0–1 (inte procent).

    Examples
    --------
    >>> round(procentenheter(11 / 14, 15 / 18), 4)
    0.0476
    >>> round(procentenheter(0.79, 0.83), 10)
    0.04
    """
    f = np.asarray(fore, dtype="float64")
    e = np.asarray(efter, dtype="float64")
    for namn, v in (("fore", f), ("efter", e)):
        if np.any((v < 0) | (v > 1)):
            raise ValueError(
                f"{namn} ska vara en andel 0–1 (79 % skrivs 0.79), inte {v.tolist()!r}."
            )
    resultat = e - f
    if isinstance(efter, pd.Series) or isinstance(fore, pd.Series):
        index = (efter if isinstance(efter, pd.Series) else fore).index
        return pd.Series(resultat, index=index)
    if resultat.ndim == 0:
        return float(resultat)
    return resultat


def halsoenkat_resultat(tabell: pd.DataFrame, *, totalt: bool = True) -> pd.DataFrame:
    """Räkna om en aggregerad hälsoenkät (tabellen ``halsoenkat``): andel förbättrade, förändring.

    Parameters
    ----------
    tabell : DataFrame
        Kolumnerna ``n``, ``summa_start``, ``summa_slut`` och ``antal_forbattrade``, en rad per
        mätperiod (index eller t.ex. kolumnen ``delperiod`` behålls). Kolumner som slutar på
        ``_publicerad`` och summarader (``"Totalt"``) används inte.
    totalt : bool
        Lägg till raden ``"Totalt"`` där n, summor och antal förbättrade summeras innan andel
        och förändring räknas (andelar läggs aldrig ihop).

    Returns
    -------
    DataFrame
        Samma index som ``tabell`` (plus ``"Totalt"``) och kolumnerna ``n``, ``summa_start``,
        ``summa_slut``, ``forandring``, ``antal_forbattrade``, ``andel_forbattrade``.

    Examples
    --------
    SOT 2019: jan–maj 14 enkäter, 188 → 227 poäng, 11 förbättrade; juni–nov 18, 234 → 280, 15.

    >>> t = pd.DataFrame({"n": [14, 18], "summa_start": [188, 234], "summa_slut": [227, 280],
    ...                   "antal_forbattrade": [11, 15]}, index=["jan–maj", "juni–nov"])
    >>> r = halsoenkat_resultat(t)
    >>> r["andel_forbattrade"].round(2).tolist(), r["forandring"].round(2).tolist()
    ([0.79, 0.83, 0.81], [0.21, 0.2, 0.2])
    """
    kolumner = ["n", "summa_start", "summa_slut", "antal_forbattrade"]
    saknas = [k for k in kolumner if k not in tabell.columns]
    if saknas:
        raise KeyError(f"Hälsoenkäten saknar kolumnerna {saknas}.")
    summarad = tabell.index.astype("string").str.strip().str.lower().isin(["totalt"])
    data = tabell.loc[~np.asarray(summarad, dtype=bool), kolumner].copy()
    if (data["antal_forbattrade"] > data["n"]).any():
        raise ValueError("antal_forbattrade är större än n på någon rad.")
    if totalt:
        data.loc[TOTALT] = data.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = data["n"].astype("float64")
        andel = (data["antal_forbattrade"] / n.where(n > 0)).astype("float64")
    return pd.DataFrame(
        {
            "n": data["n"],
            "summa_start": data["summa_start"],
            "summa_slut": data["summa_slut"],
            "forandring": relativ_forandring(data["summa_start"], data["summa_slut"]),
            "antal_forbattrade": data["antal_forbattrade"],
            "andel_forbattrade": andel,
        },
        index=data.index,
    )


def stegforflyttning(start: Any, slut: Any, *, trappa: Sequence[Any] | None = None) -> pd.DataFrame:
    """Andel som gått upp minst ett steg, stått still eller gått ner (t.ex. processtrappan).

    Parameters
    ----------
    start, slut : Series eller array
        Steg vid start och vid avslut per deltagare (tal, eller etiketter med ``trappa``).
        Oparade rader (start eller slut saknas) tas bort.
    trappa : sekvens, valfri
        Stegens etiketter i ordning, lägsta först (som ``trappa`` i ``forbund.yaml``).

    Returns
    -------
    DataFrame
        Index ``upp``, ``samma``, ``ner`` (namn ``forflyttning``) och kolumnerna ``antal``,
        ``namnare`` (n parade) och ``andel``. Antalet oparade finns i
        ``.attrs["antal_oparade"]``.

    Examples
    --------
    >>> r = stegforflyttning(["A", "B", "C", "B"], ["B", "B", "A", None], trappa=["A", "B", "C"])
    >>> r["antal"].tolist(), r["namnare"].tolist(), r.attrs["antal_oparade"]
    ([1, 1, 1], [3, 3, 3], 1)
    """
    from finsam_analys.matt.andelar import andelar

    if trappa is not None:
        trappa = list(trappa)
        position = {steg: i for i, steg in enumerate(trappa)}

        def _som_position(v: Any) -> pd.Series:
            s = v.copy() if isinstance(v, pd.Series) else pd.Series(list(v), dtype="object")
            okanda = sorted({str(x) for x in s.dropna() if x not in position})
            if okanda:
                raise ValueError(f"Stegen {okanda} finns inte i trappan {trappa}.")
            return s.map(lambda x: position.get(x, np.nan)).astype("float64")

        start, slut = _som_position(start), _som_position(slut)
    par, oparade = _parvisa(start, slut)
    skillnad = par["slut"] - par["start"]
    antal = pd.Series(
        {
            "upp": int((skillnad > 0).sum()),
            "samma": int((skillnad == 0).sum()),
            "ner": int((skillnad < 0).sum()),
        }
    )
    antal.index.name = "forflyttning"
    resultat = andelar(antal)
    resultat.attrs["antal_oparade"] = oparade
    return resultat
