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
``andel_avbrott``                     avbrutna / alla avslut (bara när avslut har båda typerna)
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

from finsam_analys.rapportdelar.rakning import TOTALT, Rakning, utan_summarader

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


def _grupper(tabell: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(Totalt, hela tabellen) och en grupp per insats när det finns flera insatser."""
    if "insats" not in tabell.columns:
        return [(TOTALT, tabell)]
    insats = tabell["insats"].astype("str").where(tabell["insats"].notna(), "")
    namn = sorted(set(insats) - {""})
    grupper = [(TOTALT, tabell)]
    if len(namn) > 1:
        grupper += [(n, tabell[insats == n]) for n in namn]
    elif len(namn) == 1:
        grupper = [(TOTALT, tabell), (namn[0], tabell)]
    return grupper


def _utfall(avslut: pd.DataFrame) -> list[dict]:
    rader = []
    data = utan_summarader(avslut, "insats", "utfall")
    typ = (
        data["avslutstyp"].astype("str").where(data["avslutstyp"].notna(), "Fullföljd")
        if "avslutstyp" in data.columns
        else pd.Series("Fullföljd", index=data.index)
    )
    for insats, grupp in _grupper(data):
        g_typ = typ.loc[grupp.index]
        fullfoljda = grupp[(g_typ != "Avbruten").to_numpy()]
        n = float(fullfoljda["antal"].sum())
        if n > 0:
            for indikator, utfall in UTFALLSINDIKATORER.items():
                if not fullfoljda["utfall"].isin(utfall).any():
                    continue
                delar = fullfoljda.loc[fullfoljda["utfall"].isin(utfall)]
                antal = float(delar["antal"].sum())
                per_utfall = delar.groupby("utfall")["antal"].sum()
                positiva = per_utfall[per_utfall > 0]
                minsta = float(positiva.min()) if len(utfall) > 1 and len(positiva) else None
                rader.append(_rad(indikator, insats, antal, n, antal / n, "andel", minsta))
        avbrutna = float(grupp.loc[(g_typ == "Avbruten").to_numpy(), "antal"].sum())
        alla = float(grupp["antal"].sum())
        if (g_typ == "Avbruten").any() and alla > 0:
            rader.append(_rad("andel_avbrott", insats, avbrutna, alla, avbrutna / alla, "andel"))
    return rader


def _halsa(halsoenkat: pd.DataFrame) -> list[dict]:
    rader = []
    data = halsoenkat
    if "delperiod" in data.columns:
        data = utan_summarader(data, "delperiod")
    for insats, grupp in _grupper(data):
        n = float(grupp["n"].sum())
        if n <= 0:
            continue
        if "antal_forbattrade" in grupp.columns and grupp["antal_forbattrade"].notna().any():
            antal = float(grupp["antal_forbattrade"].sum())
            rader.append(_rad("andel_forbattrad_halsa", insats, antal, n, antal / n, "andel"))
        if {"summa_start", "summa_slut"} <= set(grupp.columns):
            start, slut = float(grupp["summa_start"].sum()), float(grupp["summa_slut"].sum())
            if start > 0:
                rader.append(
                    _rad("halsa_forandring", insats, None, n, (slut - start) / start, "forandring")
                )
    return rader


def _steg(steg: pd.DataFrame) -> list[dict]:
    rader = []
    for insats, grupp in _grupper(steg):
        n = float(grupp["antal"].sum())
        if n > 0:
            upp = float(grupp.loc[grupp["forflyttning"] == "upp", "antal"].sum())
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

    >>> from finsam_analys.rapportdelar.rakning import Rakning
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
