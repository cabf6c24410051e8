"""Jämförelse över förbund och perioder ur de insamlade nyckeltalen (``outputs/nyckeltal.csv``).

Indata är den långa tabellen från :func:`finsam_analys.korning.utdata.samla_nyckeltal` (``forbund``,
``period``, ``nyckel``, ``varde``). Maskade värden (``".."``) följer med som de är i tabellerna
och ritas inte. Bara de indikatorer i :data:`INDIKATORER` jämförs: de betyder samma sak i alla
rapporter (samma definition, samma nämnare).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import MASKAD, Figur, Sektion

__all__ = ["INDIKATORER", "jamforelsetabell", "sektion_sida_vid_sida", "sektion_trender"]

INDIKATORER: dict[str, tuple[str, str]] = {
    "antal_deltagit": ("Deltagit under perioden", "antal"),
    "antal_avslut": ("Fullföljda avslut", "antal"),
    "antal_avbrott": ("Avbrott", "antal"),
    "andel_avslut_Arbete": ("Arbete efter avslut", "andel"),
    "andel_avslut_Studier": ("Studier efter avslut", "andel"),
    "andel_avslut_Fortsatt arbetslivsinriktad rehabilitering": (
        "Fortsatt arbetslivsinriktad rehabilitering",
        "andel",
    ),
    "andel_avbrott": ("Avbrott av alla avslut", "andel"),
    "andel_kon:Kvinna": ("Andel kvinnor bland deltagarna", "andel"),
    "andel_forbattrad_halsa": ("Förbättrad upplevd hälsa", "andel"),
    "halsa_forandring": ("Förändring i hälsopoäng", "forandring"),
    "andel_stegforflyttning": ("Stegförflyttning (minst ett steg upp)", "andel"),
    "andel_forbrukad": ("Förbrukad andel av budgeten", "andel"),
    "mal_antal_uppfyllda": ("Uppfyllda mål", "antal"),
    "granskning_antal_fel": ("Avvikelser i publicerade tabeller", "antal"),
}
"""Nyckel i ``nyckeltal.json`` -> (namn, enhet)."""


def _ordning(period: Any) -> tuple:
    try:
        p = Rapportperiod.tolka(period)
        return (p.start, p.slut)
    except (ValueError, TypeError):
        return (pd.Timestamp.max.date(), pd.Timestamp.max.date())


def _periodnamn(period: Any) -> str:
    try:
        return Rapportperiod.tolka(period).namn
    except (ValueError, TypeError):
        return str(period)


def _varde(v: Any) -> Any:
    if isinstance(v, str):
        if v.strip() == MASKAD:
            return MASKAD
        try:
            return float(v)
        except ValueError:
            return v
    return v


def jamforelsetabell(nyckeltal: pd.DataFrame | None) -> pd.DataFrame:
    """Indikatorerna (rader) per förbund och period (kolumner ``förbund, period``).

    Examples
    --------
    >>> n = pd.DataFrame({"forbund": ["a", "a", "b"], "period": ["2019", "2020", "2019"],
    ...                   "nyckel": "andel_avslut_Arbete", "varde": ["0.2", "0.3", ".."]})
    >>> t = jamforelsetabell(n)
    >>> t.columns.tolist()
    ['Indikator', 'a 2019', 'a 2020', 'b 2019']
    >>> [str(v) for v in t.iloc[0]]
    ['Arbete efter avslut', '0.2', '0.3', '..']
    """
    if nyckeltal is None or not len(nyckeltal):
        return pd.DataFrame(columns=["Indikator"])
    data = nyckeltal[nyckeltal["nyckel"].isin(list(INDIKATORER))].copy()
    data["varde"] = data["varde"].map(_varde)
    nycklar = sorted(
        {(f, p) for f, p in zip(data["forbund"], data["period"], strict=True)},
        key=lambda fp: (fp[0], _ordning(fp[1])),
    )
    rader = []
    for nyckel, (namn, _) in INDIKATORER.items():
        urval = data[data["nyckel"] == nyckel]
        if not len(urval):
            continue
        rad: dict[str, Any] = {"Indikator": namn}
        for f, p in nycklar:
            v = urval[(urval["forbund"] == f) & (urval["period"] == p)]["varde"]
            rad[f"{f} {p}"] = v.iloc[0] if len(v) else None
        rader.append(rad)
    return pd.DataFrame(rader, columns=["Indikator", *[f"{f} {p}" for f, p in nycklar]])


def sektion_sida_vid_sida(nyckeltal: pd.DataFrame | None) -> Sektion:
    """Samma indikatorer sida vid sida för alla förbund och perioder, en tabell per enhet."""
    rubrik = "Samma indikatorer sida vid sida"
    tabell = jamforelsetabell(nyckeltal)
    if not len(tabell):
        return Sektion(
            "sida_vid_sida", rubrik, saknas="Inga nyckeltal insamlade än: kör make rapport först."
        )
    enheter = {namn: enhet for namn, enhet in INDIKATORER.values()}
    tabeller, format_ = {}, {}
    for enhet, titel in (
        ("andel", "Andelar"),
        ("forandring", "Förändringar"),
        ("antal", "Antal"),
    ):
        del_ = tabell[tabell["Indikator"].map(enheter) == enhet].reset_index(drop=True)
        if len(del_):
            tabeller[titel] = del_
            typ = {"andel": "procent", "forandring": "forandring", "antal": "antal"}[enhet]
            format_[titel] = {k: typ for k in del_.columns if k != "Indikator"}
    return Sektion(
        "sida_vid_sida",
        rubrik,
        text="Varje kolumn är en rapport (förbund och period). Andelar är räknade på samma sätt "
        "i alla rapporter; .. betyder att värdet är maskat (för få personer) och – att "
        "rapporten saknar uppgiften.",
        tabeller=tabeller,
        format=format_,
    )


def sektion_trender(nyckeltal: pd.DataFrame | None) -> Sektion:
    """Trender över perioder: en linje per förbund för varje andel med minst två perioder."""
    rubrik = "Trender över perioder"
    if nyckeltal is None or not len(nyckeltal):
        return Sektion("trender", rubrik, saknas="Inga nyckeltal insamlade än.")
    data = nyckeltal[nyckeltal["nyckel"].isin(list(INDIKATORER))].copy()
    data["y"] = pd.to_numeric(data["varde"].map(_varde), errors="coerce")
    figurer = []
    for nyckel, (namn, enhet) in INDIKATORER.items():
        if enhet != "andel":
            continue
        urval = data[(data["nyckel"] == nyckel) & data["y"].notna()]
        if not len(urval) or urval.groupby("forbund")["period"].nunique().max() < 2:
            continue
        # perioderna i tidsordning på x-axeln (kategorierna tas i den ordning de står)
        urval = urval.assign(_o=urval["period"].map(_ordning)).sort_values(["_o", "forbund"])
        figurer.append(
            Figur(
                "linjer",
                pd.DataFrame(
                    {
                        "x": urval["period"].map(_periodnamn).to_numpy(),
                        "y": urval["y"].to_numpy(),
                        "grupp": urval["forbund"].to_numpy(),
                    }
                ),
                titel=namn,
                enhet="andel",
                alt=f"Linjediagram: {namn.lower()} per period, en linje per förbund.",
            )
        )
    if not figurer:
        return Sektion(
            "trender",
            rubrik,
            saknas="Inget förbund har samma andel för minst två perioder än.",
        )
    return Sektion(
        "trender",
        rubrik,
        text="En linje per förbund; perioderna i tidsordning. Perioder av olika längd (helår, "
        "delår) är inte alltid jämförbara.",
        figurer=figurer,
    )
