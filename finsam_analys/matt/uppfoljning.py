"""Uppföljning 6, 12 och 18 månader efter avslut, med bortfall.

Indata är tabellen ``uppfoljning`` (``manader``, ``utfall``, ``antal``; valfritt ``period``,
``insats``) eller deltagarrader med kolumnerna ``uppfoljning_6_man``, ``uppfoljning_12_man`` och
``uppfoljning_18_man`` (:func:`uppfoljning_fran_deltagare` gör om dem till samma räknetabell).

*Försökta* är alla som skulle följas upp; *nådda* är de försökta utom bortfallet (utfall som
``"Ej nådd"``, ``"Bortfall"`` eller ``"Okänt"``). Varje andel redovisas både av de nådda och av
alla försökta, så att ett stort bortfall syns. Kategorin ``"Totalt"`` (publicerad summa)
används aldrig.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.perioder import Rapportperiod

__all__ = [
    "BORTFALL",
    "andelar_bland_ovriga",
    "uppfoljning_fran_deltagare",
    "uppfoljningsresultat",
]

BORTFALL: tuple[str, ...] = ("Ej nådd", "Bortfall", "Okänt")


def _som_tabell(uppfoljning, del_av: str | None = None) -> pd.DataFrame:
    if isinstance(uppfoljning, pd.DataFrame):
        saknas = [k for k in ("utfall", "antal") if k not in uppfoljning.columns]
        if saknas:
            raise ValueError(
                f"Uppföljningstabellen saknar kolumnerna {saknas}; "
                f"finns: {list(uppfoljning.columns)}."
            )
        tabell = uppfoljning
    elif isinstance(uppfoljning, (pd.Series, Mapping)):
        serie = pd.Series(uppfoljning)
        tabell = pd.DataFrame({"utfall": serie.index.astype("str"), "antal": serie.to_numpy()})
    else:
        raise TypeError("Uppföljningen ska vara en DataFrame, Series eller dict utfall -> antal.")
    tabell = tabell[tabell["utfall"] != TOTALT]
    if "del_av" in tabell.columns:
        # "varav"-rader: delar av en annan kategori; räknas bara när just den delas upp
        if del_av is None:
            tabell = tabell[tabell["del_av"].isna()]
        else:
            tabell = tabell[tabell["del_av"] == del_av]
    elif del_av is not None:
        raise ValueError("Tabellen saknar kolumnen 'del_av'; kan inte dela upp en kategori.")
    antal = pd.to_numeric(tabell["antal"])
    if (antal < 0).any():
        raise ValueError("Antal får inte vara negativa i uppföljningen.")
    return tabell.assign(antal=antal)


_TALTYPER = frozenset({np.dtype("int64"), np.dtype("float64")})


def _enkel_serie(uppfoljning: object) -> bool:
    """En Series utfall -> antal (int64/float64): räknas direkt med numpy."""
    return isinstance(uppfoljning, pd.Series) and uppfoljning.dtype in _TALTYPER


def _summa(varden: np.ndarray) -> float | int:
    """Summan som pandas räknar den (saknade värden räknas inte)."""
    return np.nansum(varden) if varden.dtype.kind == "f" else varden.sum()


def _utfall_och_antal(serie: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """Som :func:`_som_tabell` för en Series: utfallen (text) och antalen, utan ``Totalt``."""
    utfall = serie.index.astype("str")
    behall = np.asarray(utfall != TOTALT, dtype=bool)
    antal = serie.to_numpy()[behall]
    with np.errstate(invalid="ignore"):
        if (antal < 0).any():
            raise ValueError("Antal får inte vara negativa i uppföljningen.")
    return utfall[behall], antal


def _resultat_for_serie(serie: pd.Series, bortfall: set[str]) -> pd.DataFrame:
    """:func:`uppfoljningsresultat` för en Series utan grupper, med numpy (samma tabell)."""
    utfall, antal = _utfall_och_antal(serie)
    ar_bortfall = np.asarray(utfall.isin(bortfall), dtype=bool)
    nadda = np.full(len(antal), float(_summa(np.where(ar_bortfall, 0, antal))))
    forsokta = np.full(len(antal), float(_summa(antal)))
    with np.errstate(divide="ignore", invalid="ignore"):
        andel_av_nadda = np.where(~ar_bortfall & (nadda > 0), antal / nadda, np.nan)
        andel_av_forsokta = np.where(forsokta > 0, antal / forsokta, np.nan)
    return pd.DataFrame(
        {
            "utfall": utfall,
            "antal": antal,
            "nadda": nadda,
            "forsokta": forsokta,
            "bortfall": forsokta - nadda,
            "andel_av_nadda": andel_av_nadda,
            "andel_av_forsokta": andel_av_forsokta,
        }
    )


def _nycklar(tabell: pd.DataFrame) -> list[str]:
    return [k for k in ("period", "insats", "manader") if k in tabell.columns]


def uppfoljningsresultat(
    uppfoljning: pd.DataFrame | pd.Series | Mapping[str, float],
    *,
    bortfall: Iterable[str] = BORTFALL,
    forsokta: float | None = None,
    del_av: str | None = None,
) -> pd.DataFrame:
    """Andel per utfall av de nådda och av alla försökta.

    Parameters
    ----------
    uppfoljning : DataFrame, Series eller dict
        Räknetabell med ``utfall`` och ``antal`` (valfritt ``period``, ``insats``, ``manader``,
        som grupperas var för sig), eller antal per utfall.
    bortfall : sekvens av str, standard :data:`BORTFALL`
        Utfall som betyder att personen inte nåddes.
    forsokta : tal, valfritt
        Antal som skulle följas upp, om det är känt utöver tabellen (t.ex. alla som avslutades);
        de som saknas i tabellen räknas då som bortfall. Endast för en grupp.
    del_av : str, valfri
        Dela upp en kategori: använd bara "varav"-raderna vars ``del_av`` är denna kategori
        (t.ex. försörjningen bland ``"Ej aktivt arbetssökande"``). Utan den ignoreras alla
        "varav"-rader, så att inget räknas två gånger.

    Returns
    -------
    DataFrame
        Grupperingskolumnerna, ``utfall``, ``antal``, ``nadda``, ``forsokta``, ``bortfall``
        (antal), ``andel_av_nadda`` (NaN för bortfallsrader) och ``andel_av_forsokta``.

    Examples
    --------
    SOT Västerås 2019, 6 månader efter avslut (23 följdes upp):

    >>> ut = uppfoljningsresultat({"Arbete": 5, "Studier": 1, "Aktivt arbetssökande": 10,
    ...                            "Ej aktivt arbetssökande": 7})
    >>> ut.set_index("utfall")["andel_av_nadda"].round(3).to_dict()
    {'Arbete': 0.217, 'Studier': 0.043, 'Aktivt arbetssökande': 0.435, \
'Ej aktivt arbetssökande': 0.304}
    >>> uppfoljningsresultat({"Arbete": 5, "Ej nådd": 5})["andel_av_forsokta"].tolist()
    [0.5, 0.5]
    """
    if forsokta is None and del_av is None and _enkel_serie(uppfoljning):
        return _resultat_for_serie(uppfoljning, set(bortfall))
    tabell = _som_tabell(uppfoljning, del_av)
    nycklar = _nycklar(tabell)
    bortfall = set(bortfall)
    ar_bortfall = tabell["utfall"].isin(bortfall).to_numpy()
    ut = tabell[[*nycklar, "utfall", "antal"]].reset_index(drop=True)
    nadda_antal = ut["antal"].where(~ar_bortfall, 0)
    if nycklar:
        grupper = ut.assign(_nadda=nadda_antal).groupby(nycklar, sort=False, dropna=False)
        nadda = grupper["_nadda"].transform("sum")
        alla = grupper["antal"].transform("sum")
    else:
        nadda = pd.Series(nadda_antal.sum(), index=ut.index)
        alla = pd.Series(ut["antal"].sum(), index=ut.index)
    if forsokta is not None:
        if nycklar and ut.groupby(nycklar, dropna=False).ngroups > 1:
            raise ValueError(
                "'forsokta' kan bara anges för en grupp (en period och ett månadstal)."
            )
        if len(alla) and forsokta < alla.iloc[0]:
            raise ValueError(
                f"'forsokta' ({forsokta}) är mindre än antalet i tabellen ({alla.iloc[0]})."
            )
        alla = pd.Series(float(forsokta), index=ut.index)
    ut["nadda"] = nadda.astype("float64")
    ut["forsokta"] = alla.astype("float64")
    ut["bortfall"] = ut["forsokta"] - ut["nadda"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ut["andel_av_nadda"] = np.where(
            ~ar_bortfall & (ut["nadda"] > 0), ut["antal"] / ut["nadda"], np.nan
        )
        ut["andel_av_forsokta"] = np.where(ut["forsokta"] > 0, ut["antal"] / ut["forsokta"], np.nan)
    return ut


def andelar_bland_ovriga(
    uppfoljning: pd.DataFrame | pd.Series | Mapping[str, float],
    *,
    exkludera: Iterable[str],
    bortfall: Iterable[str] = BORTFALL,
) -> pd.DataFrame:
    """Andelar bland de nådda som inte har något av de exkluderade utfallen.

    Som rapporternas "av resterande 17 är 10 aktivt arbetssökande": först arbete och studier,
    sedan fördelningen bland de övriga.

    Parameters
    ----------
    uppfoljning : DataFrame, Series eller dict
        Som i :func:`uppfoljningsresultat`.
    exkludera : sekvens av str
        Utfall som tas bort ur nämnaren (t.ex. ``["Arbete", "Studier"]``).
    bortfall : sekvens av str, standard :data:`BORTFALL`
        Utfall som betyder att personen inte nåddes (ingår aldrig).

    Returns
    -------
    DataFrame
        Grupperingskolumnerna, ``utfall``, ``antal``, ``namnare`` och ``andel``.

    Examples
    --------
    >>> ut = andelar_bland_ovriga({"Arbete": 5, "Studier": 1, "Aktivt arbetssökande": 10,
    ...                            "Ej aktivt arbetssökande": 7}, exkludera=["Arbete", "Studier"])
    >>> ut[["utfall", "antal", "namnare"]].to_dict("list")
    {'utfall': ['Aktivt arbetssökande', 'Ej aktivt arbetssökande'], 'antal': [10, 7], \
'namnare': [17, 17]}
    """
    bort = set(exkludera) | set(bortfall)
    if _enkel_serie(uppfoljning):
        utfall, antal = _utfall_och_antal(uppfoljning)
        behall = ~utfall.isin(bort)
        antal = antal[behall]
        namnare = _summa(antal)
        with np.errstate(divide="ignore", invalid="ignore"):
            andel = np.where(namnare > 0, antal / namnare, np.nan)
        return pd.DataFrame(
            {
                "utfall": utfall[behall],
                "antal": antal,
                "namnare": np.full(len(antal), namnare, dtype=antal.dtype),
                "andel": andel,
            }
        )
    tabell = _som_tabell(uppfoljning)
    nycklar = _nycklar(tabell)
    ut = tabell.loc[~tabell["utfall"].isin(bort), [*nycklar, "utfall", "antal"]]
    ut = ut.reset_index(drop=True)
    if nycklar:
        ut["namnare"] = ut.groupby(nycklar, sort=False, dropna=False)["antal"].transform("sum")
    else:
        ut["namnare"] = ut["antal"].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ut["andel"] = np.where(ut["namnare"] > 0, ut["antal"] / ut["namnare"], np.nan)
    return ut


def uppfoljning_fran_deltagare(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    manader: Sequence[int] = (6, 12, 18),
    tidpunkt: str = "uppfoljning",
    bara_fullfoljda: bool = True,
) -> pd.DataFrame:
    """Räknetabell (``manader``, ``utfall``, ``antal``) ur deltagarnas uppföljningskolumner.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader med ``avslutsdatum``, ``avslutstyp`` och ``uppfoljning_<m>_man``.
        Tomt värde betyder att uppföljningen inte gjorts (ännu); bortfall ska vara kodat
        (t.ex. ``"Ej nådd"``).
    period : Rapportperiod eller str
        Rapportperioden.
    manader : sekvens av int, standard (6, 12, 18)
        Uppföljningstidpunkter; kolumnen ``uppfoljning_<m>_man`` måste finnas.
    tidpunkt : {"uppfoljning", "avslut"}
        ``"uppfoljning"`` (standard): uppföljningar vars datum (avslutsdatum + m månader) ligger
        i perioden, som årsrapporterna redovisar dem. ``"avslut"``: de som avslutades under
        perioden.
    bara_fullfoljda : bool, standard True
        Ta bara med deltaganden som inte avbröts.

    Returns
    -------
    DataFrame
        Kolumnerna ``manader``, ``utfall`` och ``antal`` (samma form som tabellen
        ``uppfoljning``), sorterade efter månader och utfall.

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "avslutsdatum": ["2018-08-15", "2018-10-01", "2019-09-01"],
    ...     "avslutstyp": ["Fullföljd"] * 3,
    ...     "uppfoljning_6_man": ["Arbete", "Ej nådd", None],
    ... })
    >>> uppfoljning_fran_deltagare(d, period="2019", manader=[6])
       manader   utfall  antal
    0        6   Arbete      1
    1        6  Ej nådd      1
    """
    if tidpunkt not in {"uppfoljning", "avslut"}:
        raise ValueError(f"Okänd tidpunkt {tidpunkt!r}; välj 'uppfoljning' eller 'avslut'.")
    period = Rapportperiod.tolka(period)
    kolumner = [f"uppfoljning_{m}_man" for m in manader]
    saknas = [k for k in ["avslutsdatum", *kolumner] if k not in deltagare.columns]
    if saknas:
        raise ValueError(f"Deltagartabellen saknar kolumnerna {saknas}.")
    avslut = pd.to_datetime(deltagare["avslutsdatum"])
    urval = avslut.notna().to_numpy().copy()
    if bara_fullfoljda and "avslutstyp" in deltagare.columns:
        urval = urval & (deltagare["avslutstyp"] != "Avbruten").to_numpy(dtype=bool, na_value=True)
    start, slut = pd.Timestamp(period.start), pd.Timestamp(period.slut)
    delar = []
    for m, kolumn in zip(manader, kolumner, strict=True):
        datum = avslut + pd.DateOffset(months=m) if tidpunkt == "uppfoljning" else avslut
        i_perioden = ((datum >= start) & (datum <= slut)).to_numpy(dtype=bool, na_value=False)
        varden = deltagare.loc[urval & i_perioden, kolumn].dropna()
        antal = varden.astype("str").value_counts().sort_index()
        delar.append(
            pd.DataFrame(
                {"manader": m, "utfall": antal.index.astype("str"), "antal": antal.to_numpy()}
            )
        )
    return pd.concat(delar, ignore_index=True)
