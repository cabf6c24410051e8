"""Indikatorer ur räknetabellerna: andelar med antal och nämnare, per insats och totalt.

En indikator är ett tal som kan jämföras med ett mål (tabellen ``mal``) och med
jämförelseperioden. Varje rad har ``indikator``, ``insats`` (``"Totalt"`` för hela förbundet),
``antal``, ``n`` och ``varde`` (andelen som bråk, eller t.ex. månader) och ``enhet``.

====================================  ===========================================================
indikator                             räknas som
====================================  ===========================================================
``andel_arbete``                      avslut med utfall Arbete / fullföljda avslut
``andel_studier``                     Studier / fullföljda avslut
``andel_fortsatt_rehabilitering``     Fortsatt arbetslivsinriktad rehabilitering / fullföljda
``andel_arbete_eller_studier``        (Arbete + Studier) / fullföljda
``andel_arbete_eller_rehabilitering`` (Arbete + Fortsatt rehabilitering) / fullföljda
``andel_avbrott``                     avbrutna / alla avslut (när tabellen redovisar avbrott)
``andel_forbattrad_halsa``            antal förbättrade / antal enkäter (hälsoenkäten)
``halsa_forandring``                  (summa slut − summa start) / summa start
``andel_stegforflyttning``            upp minst ett steg / alla med start- och slutsteg
``aterbetalningstid``                 publicerat nyckeltal (månader)
====================================  ===========================================================

"Fullföljda" är avslut med avslutstyp ``Fullföljd`` (eller utan typ); summarader används aldrig.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.matt.rakning import Rakning, utan_summarader

__all__ = ["INDIKATORNAMN", "UTFALLSINDIKATORER", "indikatorer"]

REHAB = "Fortsatt arbetslivsinriktad rehabilitering"
UTFALLSINDIKATORER: dict[str, tuple[str, ...]] = {
    "andel_arbete": ("Arbete",),
    "andel_studier": ("Studier",),
    "andel_fortsatt_rehabilitering": (REHAB,),
    "andel_arbete_eller_studier": ("Arbete", "Studier"),
    "andel_arbete_eller_rehabilitering": ("Arbete", REHAB),
}

INDIKATORNAMN: dict[str, str] = {
    "andel_arbete": "Arbete efter avslut",
    "andel_studier": "Studier efter avslut",
    "andel_fortsatt_rehabilitering": "Fortsatt arbetslivsinriktad rehabilitering",
    "andel_arbete_eller_studier": "Arbete eller studier efter avslut",
    "andel_arbete_eller_rehabilitering": "Arbete eller fortsatt rehabilitering",
    "andel_avbrott": "Avbrott",
    "andel_forbattrad_halsa": "Förbättrad upplevd hälsa",
    "halsa_forandring": "Förändring i hälsopoäng",
    "andel_stegforflyttning": "Stegförflyttning (minst ett steg upp)",
    "aterbetalningstid": "Återbetalningstid",
    "andel_kvar_pa_niva_6_man": "Kvar på samma nivå eller högre efter 6 månader",
    "andel_kvar_pa_niva_18_man": "Kvar på samma nivå eller högre efter 18 månader",
    "andel_ratt_plats": "På rätt plats med tydlig aktivitetsplanering",
}


def _rad(
    indikator: str, insats: str, antal: Any, n: Any, varde: Any, enhet: str, minsta_del: Any = None
) -> dict:
    return {
        "indikator": indikator,
        "insats": insats,
        "antal": float(antal) if antal is not None else np.nan,
        "n": float(n) if n is not None else np.nan,
        "varde": float(varde) if varde is not None else np.nan,
        "enhet": enhet,
        "minsta_del": float(minsta_del) if minsta_del is not None else np.nan,
    }


def _grupper(tabell: pd.DataFrame) -> list[tuple[str, np.ndarray | None]]:
    """(Totalt, alla rader) och en radmask per insats när det finns flera insatser.

    ``None`` betyder alla rader; en insats är hela tabellen när den är ensam.
    """
    if "insats" not in tabell.columns:
        return [(TOTALT, None)]
    insats = (
        tabell["insats"].astype("str").where(tabell["insats"].notna(), "").to_numpy(dtype=object)
    )
    namn = sorted(set(insats) - {""})
    grupper: list[tuple[str, np.ndarray | None]] = [(TOTALT, None)]
    if len(namn) > 1:
        grupper += [(n, insats == n) for n in namn]
    elif len(namn) == 1:
        grupper.append((namn[0], None))
    return grupper


def _tal(serie: pd.Series) -> np.ndarray:
    """Kolumnen som float-array där saknade värden är 0 (så summerar pandas dem)."""
    return serie.to_numpy(dtype="float64", na_value=0.0)


def _alla(urval: np.ndarray | None, langd: int) -> np.ndarray:
    return np.ones(langd, dtype=bool) if urval is None else urval


def _utfall(avslut: pd.DataFrame) -> list[dict]:
    rader = []
    data = utan_summarader(avslut, "insats", "utfall")
    if "avslutstyp" in data.columns:
        typ = (
            data["avslutstyp"]
            .astype("str")
            .where(data["avslutstyp"].notna(), "Fullföljd")
            .to_numpy(dtype=object)
        )
    else:
        typ = np.full(len(data), "Fullföljd", dtype=object)
    avbruten = typ == "Avbruten"
    utfall = data["utfall"].to_numpy(dtype=object)
    antal = _tal(data["antal"])
    per_utfall = {u: utfall == u for delar in UTFALLSINDIKATORER.values() for u in delar}
    for insats, urval in _grupper(data):
        grupp = _alla(urval, len(data))
        fullfoljda = grupp & ~avbruten
        n = float(antal[fullfoljda].sum())
        if n > 0:
            for indikator, delar in UTFALLSINDIKATORER.items():
                traffar = [fullfoljda & per_utfall[u] for u in delar]
                if not any(t.any() for t in traffar):
                    continue
                antal_delar = float(antal[np.logical_or.reduce(traffar)].sum())
                summor = [float(antal[t].sum()) for t in traffar if t.any()]
                positiva = [x for x in summor if x > 0]
                minsta = min(positiva) if len(delar) > 1 and positiva else None
                rader.append(
                    _rad(indikator, insats, antal_delar, n, antal_delar / n, "andel", minsta)
                )
        # Andelen avbrott räknas för varje grupp när tabellen redovisar avbrott (en grupp utan
        # avbrutna har 0 %), aldrig när avsluten bara har en typ.
        avbrutna = float(antal[grupp & avbruten].sum())
        alla = float(antal[grupp].sum())
        if avbruten.any() and alla > 0:
            rader.append(_rad("andel_avbrott", insats, avbrutna, alla, avbrutna / alla, "andel"))
    return rader


def _halsa(halsoenkat: pd.DataFrame) -> list[dict]:
    rader = []
    data = halsoenkat
    if "delperiod" in data.columns:
        data = utan_summarader(data, "delperiod")
    n_alla = _tal(data["n"])
    forbattrade = "antal_forbattrade" in data.columns
    if forbattrade:
        antal_alla = _tal(data["antal_forbattrade"])
        finns = data["antal_forbattrade"].notna().to_numpy()
    summor = {"summa_start", "summa_slut"} <= set(data.columns)
    if summor:
        start_alla, slut_alla = _tal(data["summa_start"]), _tal(data["summa_slut"])
    for insats, urval in _grupper(data):
        grupp = _alla(urval, len(data))
        n = float(n_alla[grupp].sum())
        if n <= 0:
            continue
        if forbattrade and finns[grupp].any():
            antal = float(antal_alla[grupp].sum())
            rader.append(_rad("andel_forbattrad_halsa", insats, antal, n, antal / n, "andel"))
        if summor:
            start, slut = float(start_alla[grupp].sum()), float(slut_alla[grupp].sum())
            if start > 0:
                rader.append(
                    _rad("halsa_forandring", insats, None, n, (slut - start) / start, "forandring")
                )
    return rader


def _steg(steg: pd.DataFrame) -> list[dict]:
    rader = []
    antal = _tal(steg["antal"])
    upp_alla = (steg["forflyttning"] == "upp").to_numpy(dtype=bool, na_value=False)
    for insats, urval in _grupper(steg):
        grupp = _alla(urval, len(steg))
        n = float(antal[grupp].sum())
        if n > 0:
            upp = float(antal[grupp & upp_alla].sum())
            rader.append(_rad("andel_stegforflyttning", insats, upp, n, upp / n, "andel"))
    return rader


def _publicerade(nyckeltal: pd.DataFrame) -> list[dict]:
    rader = []
    urval = nyckeltal[nyckeltal["indikator"] == "aterbetalningstid"]
    for _, r in urval.iterrows():
        insats = r.get("insats")
        insats = TOTALT if insats is None or pd.isna(insats) or insats == "" else str(insats)
        rader.append(_rad("aterbetalningstid", insats, None, None, r["varde"], str(r["enhet"])))
    return rader


def indikatorer(rakning: Rakning) -> pd.DataFrame:
    """Alla indikatorer som går att räkna ur periodens räknetabeller.

    Returns
    -------
    DataFrame
        Kolumnerna ``indikator``, ``insats``, ``antal``, ``n``, ``varde``, ``enhet`` och
        ``minsta_del`` (för sammansatta andelar som arbete eller studier: det minsta antalet
        större än 0 bland delarna, så att sekretessen kan skydda delarna; annars NaN).

    Examples
    --------
    SOT Västerås 2019: 7 arbete, 5 studier och 43 fortsatt rehabilitering av 55 avslut.

    >>> from finsam_analys.matt.rakning import Rakning
    >>> from finsam_analys.perioder import Rapportperiod
    >>> avslut = pd.DataFrame({"period": "2019", "insats": ["MAC", "MAC", "Trädgård"],
    ...                        "utfall": ["Arbete", "Studier", REHAB], "antal": [7, 5, 43]})
    >>> r = Rakning(Rapportperiod.tolka("2019"), {"avslut": avslut})
    >>> i = indikatorer(r)
    >>> t = i[i["insats"] == "Totalt"].set_index("indikator")
    >>> a = t.loc["andel_arbete"]
    >>> [float(a["antal"]), float(a["n"])], round(float(a["varde"]), 3)
    ([7.0, 55.0], 0.127)
    """
    return rakning.harledd("indikatorer", _indikatorer).copy()


def _indikatorer(rakning: Rakning) -> pd.DataFrame:
    rader: list[dict] = []
    if rakning.har("avslut"):
        rader += _utfall(rakning.tabell("avslut"))
    if rakning.har("halsoenkat"):
        rader += _halsa(rakning.tabell("halsoenkat"))
    if rakning.har("stegforflyttning"):
        rader += _steg(rakning.tabell("stegforflyttning"))
    if rakning.har("nyckeltal_publicerade"):
        rader += _publicerade(rakning.tabell("nyckeltal_publicerade"))
    kolumner = ["indikator", "insats", "antal", "n", "varde", "enhet", "minsta_del"]
    return pd.DataFrame(rader, columns=kolumner)
