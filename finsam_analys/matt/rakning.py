"""Räknetabeller för en rapportperiod: aggregat och deltagarrader i samma form.

Varje sektion i rapporten läser räknetabeller (antal per kategori), aldrig deltagarrader. Ett
förbund med publicerade aggregat (Västerås, Södra Dalarna) har dem redan; för ett förbund med
deltagarrader (``deltagare``) räknas samma tabeller fram här, en gång, med biblioteksfunktionerna
i :mod:`finsam_analys.matt.deltagarfloden`, :mod:`finsam_analys.matt.uppfoljning` och
:mod:`finsam_analys.matt.halsa`. Finns en aggregattabell för perioden används den; annars räknas den
ur deltagarraderna.

Tabellerna (samma kolumner som datamodellens aggregat, se ``data/README.md``):

``avslut``           period, insats, utfall, avslutstyp, antal
``deltagarantal``    period, insats, dimension, kategori, antal (status, kon, aldersgrupp, ...)
``avbrott``          period, insats, dimension, kategori, antal (orsak, remittent)
``halsoenkat``       period, delperiod, insats, n, summa_start, summa_slut, antal_forbattrade
``uppfoljning``      period, insats, manader, utfall, antal
``remisser``         period, insats, remittent, inriktning, antal
``enkat``            period, fraga, steg, antal (och tillfalle, insats)
``stegforflyttning`` period, insats, forflyttning (upp/samma/ner), antal   (bara deltagarrader)
``forsorjning``      period, insats, forsorjning_in, forsorjning_ut, antal (bara deltagarrader)
``tider``            period, insats, indikator, n, medel, median        (bara deltagarrader)
``nyckeltal_publicerade``  som i underlaget (period, insats, indikator, varde, enhet)

Summarader (``"Totalt"``) från aggregaten följer med som de är; sektionerna räknar aldrig med dem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.perioder import Rapportperiod

__all__ = [
    "AGGREGATTABELLER",
    "Rakning",
    "rakna",
    "utan_summarader",
    "valj_period",
]

from finsam_analys.indata.kodlistor import TOTALT, ar_summarad
from finsam_analys.indata.kodlistor import UPPGIFT_SAKNAS as SAKNAS

AGGREGATTABELLER = (
    "avslut",
    "deltagarantal",
    "avbrott",
    "halsoenkat",
    "uppfoljning",
    "remisser",
    "enkat",
    "nyckeltal_publicerade",
)


@dataclass(frozen=True)
class Rakning:
    """Räknetabellerna för ett förbund och en period.

    ``individniva`` säger vilka tabeller som räknats ur deltagarrader (namn -> True).
    """

    period: Rapportperiod
    tabeller: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    individniva: Mapping[str, bool] = field(default_factory=dict)
    _harledda: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tabeller", MappingProxyType(dict(self.tabeller)))
        object.__setattr__(self, "individniva", MappingProxyType(dict(self.individniva)))

    def tabell(self, namn: str) -> pd.DataFrame | None:
        """En kopia av tabellen, eller None om den saknas eller är tom."""
        t = self.tabeller.get(namn)
        return None if t is None or not len(t) else t.copy()

    def har(self, namn: str) -> bool:
        """Sant om tabellen finns och har rader."""
        t = self.tabeller.get(namn)
        return t is not None and len(t) > 0

    def harledd(self, namn: str, berakna: Callable[[Rakning], Any]) -> Any:
        """Ett värde som räknas ur tabellerna en gång per räkning: ``berakna(self)``.

        Sparas under ``namn`` och delas av alla som frågar (t.ex. indikatorerna, som flera
        sektioner läser). Anroparen får inte ändra värdet; lämna ut en kopia.

        Examples
        --------
        >>> r = Rakning(Rapportperiod.tolka("2019"))
        >>> r.harledd("x", lambda rak: [rak.period.kod])
        ['2019']
        >>> r.harledd("x", lambda rak: None) is r.harledd("x", lambda rak: None)
        True
        """
        if namn not in self._harledda:
            self._harledda[namn] = berakna(self)
        return self._harledda[namn]


def _ar_summa(serie: pd.Series) -> np.ndarray:
    summor = [v for v in serie.dropna().unique() if ar_summarad(v)]
    return serie.isin(summor).to_numpy(dtype=bool)


def utan_summarader(tabell: pd.DataFrame, *kolumner: str) -> pd.DataFrame:
    """Ta bort rader där någon av kolumnerna är en summarad (``Totalt``, ``Summa`` …: se
    :func:`finsam_analys.indata.kodlistor.ar_summarad`).

    Examples
    --------
    >>> t = pd.DataFrame({"utfall": ["Arbete", "Totalt"], "antal": [7, 55]})
    >>> utan_summarader(t, "utfall")["antal"].tolist()
    [7]
    """
    mask = np.zeros(len(tabell), dtype=bool)
    for kolumn in kolumner:
        if kolumn in tabell.columns:
            mask |= _ar_summa(tabell[kolumn])
    return tabell[~mask]


def valj_period(tabell: pd.DataFrame | None, period: Rapportperiod | str) -> pd.DataFrame | None:
    """Raderna vars ``period`` är samma period (oavsett skrivsätt); None om inga.

    En tabell utan kolumnen ``period`` gäller alla perioder och returneras hel.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2019", "2019-01..2019-12", "2018"], "antal": [1, 2, 3]})
    >>> valj_period(t, "2019")["antal"].tolist()
    [1, 2]
    >>> valj_period(t, "2020") is None
    True
    """
    if tabell is None or not len(tabell):
        return None
    if "period" not in tabell.columns:
        return tabell.copy()
    valt = Rapportperiod.tolka(period)
    koder = {}
    for kod in tabell["period"].dropna().unique():
        try:
            koder[kod] = Rapportperiod.tolka(kod) == valt
        except (ValueError, TypeError):
            koder[kod] = False
    # uppslag i ordlistan rad för rad (saknade och okända perioder: falskt), som
    # ``map(koder).fillna(False).astype(bool)`` men utan pandas omvägar
    varden = tabell["period"].to_numpy(dtype=object)
    mask = np.fromiter((bool(koder.get(v, False)) for v in varden), dtype=bool, count=len(varden))
    urval = tabell[mask]
    return urval.reset_index(drop=True) if len(urval) else None


# --- deltagarrader -> räknetabeller ------------------------------------------------------------


def _text(serie: pd.Series, saknas: str = SAKNAS) -> pd.Series:
    return serie.astype("str").where(serie.notna(), saknas)


def _insatsmasker(deltagare: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    """En radmask per insats: (insatsens namn, mask), i stället för att dela upp tabellen.

    Samma insatser i samma ordning som ``groupby("insats", sort=True)`` (sorterade; rader
    utan insats hör inte till någon). Utan kolumnen ``insats``: en grupp ``""`` med alla rader.
    """
    if "insats" not in deltagare.columns:
        return [("", np.ones(len(deltagare), dtype=bool))]
    koder, namn = pd.factorize(deltagare["insats"], sort=True)
    return [(str(n), koder == i) for i, n in enumerate(namn)]


def _kolumner(deltagare: pd.DataFrame, *namn: str) -> pd.DataFrame:
    """Bara de av kolumnerna ``namn`` som finns (och ``insats``).

    Att dela upp eller filtrera deltagarraderna kopierar varje kolumn; med en miljon
    deltaganden och ett tjugotal kolumner dominerar det tiden. Välj därför kolumnerna först.
    """
    behov = {"insats", *namn}
    return deltagare[[k for k in deltagare.columns if k in behov]]


def _antal_per(nycklar: list[str], *kolumner: np.ndarray) -> dict[str, list]:
    """Antal rader per kombination av kolumnernas värden, sorterat (som ``groupby(...).size()``).

    Returnerar kolumnvis: ``nycklar`` (en lista per kolumn) och ``"antal"``.
    """
    raknat = Counter(zip(*kolumner, strict=True))
    ordning = sorted(raknat)
    ut: dict[str, list] = {k: [rad[i] for rad in ordning] for i, k in enumerate(nycklar)}
    ut["antal"] = [raknat[rad] for rad in ordning]
    return ut


def _texttabell(kolumner: Mapping[str, list], antal: list[int]) -> pd.DataFrame:
    """En räknetabell: textkolumner (``str``) och ``antal`` (int64)."""
    data: dict[str, Any] = {k: pd.array(v, dtype="str") for k, v in kolumner.items()}
    data["antal"] = np.asarray(antal, dtype=np.int64)
    return pd.DataFrame(data)


def _textvarden(serie: pd.Series, saknas: str = SAKNAS) -> np.ndarray:
    """:func:`_text` som en object-array."""
    return _text(serie, saknas).to_numpy(dtype=object)


def _avslut(deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame:
    avsl = pd.to_datetime(deltagare["avslutsdatum"]) if "avslutsdatum" in deltagare else None
    if avsl is None:
        return pd.DataFrame(columns=["period", "insats", "utfall", "avslutstyp", "antal"])
    mask = period.innehaller(avsl).to_numpy(dtype=bool)
    antal = len(deltagare)
    typ = (
        _textvarden(deltagare["avslutstyp"], "Fullföljd")
        if "avslutstyp" in deltagare
        else np.full(antal, "Fullföljd", dtype=object)
    )
    utfall = (
        _textvarden(deltagare["avslutsorsak"], "Okänt")
        if "avslutsorsak" in deltagare
        else np.full(antal, "Okänt", dtype=object)
    )
    insats = (
        _textvarden(deltagare["insats"])
        if "insats" in deltagare
        else np.full(antal, "", dtype=object)
    )
    ut = _antal_per(["insats", "utfall", "avslutstyp"], insats[mask], utfall[mask], typ[mask])
    raknat = ut.pop("antal")
    return _texttabell({"period": [period.kod] * len(raknat), **ut}, raknat)


def _ifylld(data: pd.DataFrame, kolumn: str) -> bool:
    """Sant om kolumnen finns och har minst ett värde (eller tabellen är tom)."""
    return kolumn in data.columns and (not len(data) or bool(data[kolumn].notna().any()))


def _deltagarantal(deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame:
    from finsam_analys.matt import deltagarfloden as df_

    # En räknetabell för alla dimensioner och insatser på en gång (deltagarfloden.deltagarantal):
    # samma rader och ordning som förr (insatserna sorterade, inom insatsen flödet först och
    # sedan dimensionerna), men deltagarraderna delas aldrig upp per insats.
    if "insats" in deltagare.columns:
        data = deltagare[deltagare["insats"].notna().to_numpy(dtype=bool)]
        data = data.assign(insats=data["insats"].astype("str"))
    else:
        data = deltagare.assign(insats="")
    dimensioner = []
    for dimension, urval in df_.BAKGRUNDSDIMENSIONER:
        kolumn = (
            "tid_offentlig_forsorjning_ar"
            if dimension == "tid_offentlig_forsorjning"
            else dimension
        )
        # en kolumn som saknas eller är helt tom (efter inläsning finns alla kolumner) ger
        # ingen fördelning: en tabell med bara "Uppgift saknas" säger inget
        if dimension != "aldersgrupp" and not _ifylld(data, kolumn):
            continue
        alder = _ifylld(data, "fodelsear") or _ifylld(data, "alder")
        if dimension == "aldersgrupp" and not alder:
            continue
        dimensioner.append((dimension, urval))
    ut = df_.deltagarantal(data, period=period, dimensioner=dimensioner, per="insats")
    ut.insert(0, "period", period.kod)
    return ut[["period", "insats", "dimension", "kategori", "antal"]]


def _avbrott(avslut: pd.DataFrame, deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame:
    avbrutna = (avslut["avslutstyp"] == "Avbruten").to_numpy(dtype=bool, na_value=False)
    kolumner: dict[str, list] = {
        "period": avslut["period"].to_numpy(dtype=object)[avbrutna].tolist(),
        "insats": avslut["insats"].to_numpy(dtype=object)[avbrutna].tolist(),
        "dimension": ["orsak"] * int(avbrutna.sum()),
        "kategori": avslut["utfall"].to_numpy(dtype=object)[avbrutna].tolist(),
    }
    antal = avslut["antal"].to_numpy()[avbrutna].tolist()
    if "remittent" in deltagare.columns and "avslutstyp" in deltagare.columns:
        avsl = pd.to_datetime(deltagare["avslutsdatum"])
        mask = period.innehaller(avsl).to_numpy(dtype=bool) & (
            deltagare["avslutstyp"] == "Avbruten"
        ).to_numpy(dtype=bool, na_value=False)
        remittent = _antal_per(
            ["insats", "kategori"],
            _textvarden(deltagare["insats"])[mask],
            _textvarden(deltagare["remittent"])[mask],
        )
        kolumner["period"] += [period.kod] * len(remittent["antal"])
        kolumner["insats"] += remittent["insats"]
        kolumner["dimension"] += ["remittent"] * len(remittent["antal"])
        kolumner["kategori"] += remittent["kategori"]
        antal += remittent["antal"]
    return _texttabell(kolumner, antal)


def _avslutade(deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame:
    if "avslutsdatum" not in deltagare.columns:
        return deltagare.iloc[0:0]
    avsl = pd.to_datetime(deltagare["avslutsdatum"])
    return deltagare[period.innehaller(avsl).to_numpy(dtype=bool)]


def _halsoenkat(deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame | None:
    """Hälsoenkäten per insats: :func:`~finsam_analys.matt.halsa.halsopoangforandring` på
    varje insats avslutade deltaganden (parade rader)."""
    if not {"halsopoang_start", "halsopoang_slut"} <= set(deltagare.columns):
        return None
    from finsam_analys.matt.halsa import halsopoangforandring

    avslutade = _avslutade(
        _kolumner(deltagare, "avslutsdatum", "halsopoang_start", "halsopoang_slut"), period
    )
    start, slut = avslutade["halsopoang_start"], avslutade["halsopoang_slut"]
    rader = []
    for insats, mask in _insatsmasker(avslutade):
        r = halsopoangforandring(start[mask], slut[mask], wilcoxon=False)
        if r["n"] == 0:
            continue
        rader.append(
            {
                "period": period.kod,
                "delperiod": period.kod,
                "insats": insats,
                **{k: r[k] for k in ("n", "summa_start", "summa_slut", "antal_forbattrade")},
            }
        )
    return pd.DataFrame(rader) if rader else None


def _stegforflyttning(
    deltagare: pd.DataFrame, period: Rapportperiod, trappa: Any
) -> pd.DataFrame | None:
    """Stegförflyttningen per insats: :func:`~finsam_analys.matt.halsa.stegforflyttning` på
    varje insats avslutade deltaganden (steg som tal, eller etiketter på förbundets trappa)."""
    if not {"steg_start", "steg_slut"} <= set(deltagare.columns):
        return None
    from finsam_analys.matt.halsa import stegforflyttning

    avslutade = _avslutade(_kolumner(deltagare, "avslutsdatum", "steg_start", "steg_slut"), period)
    start, slut = avslutade["steg_start"], avslutade["steg_slut"]
    som_tal = pd.api.types.is_numeric_dtype(start) and pd.api.types.is_numeric_dtype(slut)
    steg = list(trappa) if trappa and not som_tal else None
    delar = []
    for insats, mask in _insatsmasker(avslutade):
        if not mask.any():
            continue
        r = stegforflyttning(start[mask], slut[mask], trappa=steg)
        if r["antal"].sum() == 0:  # inga parade rader i insatsen
            continue
        delar.append(
            pd.DataFrame(
                {
                    "period": period.kod,
                    "insats": insats,
                    "forflyttning": r.index.astype("str"),
                    "antal": r["antal"].to_numpy(dtype=np.int64),
                }
            )
        )
    return pd.concat(delar, ignore_index=True) if delar else None


def _uppfoljning(deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame | None:
    """Uppföljningen per insats: :func:`~finsam_analys.matt.uppfoljning.
    uppfoljning_fran_deltagare` på varje insats deltaganden (uppföljningar vars datum ligger i
    perioden, bara fullföljda)."""
    manader = [m for m in (6, 12, 18) if f"uppfoljning_{m}_man" in deltagare.columns]
    if not manader or "avslutsdatum" not in deltagare.columns:
        return None
    from finsam_analys.matt.uppfoljning import uppfoljning_fran_deltagare

    data = _kolumner(
        deltagare, "avslutsdatum", "avslutstyp", *(f"uppfoljning_{m}_man" for m in manader)
    )
    delar = []
    for insats, mask in _insatsmasker(data):
        r = uppfoljning_fran_deltagare(data[mask], period=period, manader=manader)
        delar.append(r.assign(insats=insats))
    ut = pd.concat(delar, ignore_index=True) if delar else pd.DataFrame()
    if not len(ut):
        return None
    ut.insert(0, "period", period.kod)
    return ut[["period", "insats", "manader", "utfall", "antal"]].astype(
        {"manader": np.int64, "antal": np.int64}
    )


def _forsorjning(deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame | None:
    # som bakgrundsfördelningarna: en helt tom kolumn (t.ex. ingen försörjning vid avslut i
    # förbundets fil) ger ingen tabell, inte en tabell med bara "Uppgift saknas"
    if not (_ifylld(deltagare, "forsorjning_in") and _ifylld(deltagare, "forsorjning_ut")):
        return None
    avslutade = _avslutade(
        _kolumner(deltagare, "avslutsdatum", "forsorjning_in", "forsorjning_ut"), period
    )
    if not len(avslutade):
        return None
    ut = _antal_per(
        ["insats", "forsorjning_in", "forsorjning_ut"],
        _textvarden(avslutade["insats"]),
        _textvarden(avslutade["forsorjning_in"]),
        _textvarden(avslutade["forsorjning_ut"]),
    )
    antal = ut.pop("antal")
    return _texttabell({"period": [period.kod] * len(antal), **ut}, antal)


def _tider(deltagare: pd.DataFrame, period: Rapportperiod) -> pd.DataFrame:
    """Genomströmningstid, ålder och tid i försörjning för hela förbundet och per insats.

    Bibliotekets :func:`~finsam_analys.matt.deltagarfloden.genomstromningstid` (alla avslut och
    fullföljda), :func:`~finsam_analys.matt.deltagarfloden.snittalder` och
    :func:`~finsam_analys.matt.deltagarfloden.tid_i_offentlig_forsorjning` på varje insats
    deltaganden.
    """
    from finsam_analys.matt import deltagarfloden as df_

    deltagare = _kolumner(
        deltagare,
        "inskrivningsdatum",
        "avslutsdatum",
        "avslutstyp",
        "fodelsear",
        "alder",
        "tid_offentlig_forsorjning_ar",
    )
    kolumner = set(deltagare.columns)
    matt: list[tuple[str, Any]] = []
    if "avslutsdatum" in kolumner:
        for urval in ("avslutade", "fullfoljda"):
            matt.append((f"genomstromningstid_{urval}",
                         partial(df_.genomstromningstid, period=period, urval=urval)))  # fmt: skip
    if {"fodelsear", "alder"} & kolumner:
        matt.append(("alder_vid_inskrivning", partial(df_.snittalder, period=period)))
    if "tid_offentlig_forsorjning_ar" in kolumner:
        matt.append(("tid_offentlig_forsorjning",
                     partial(df_.tid_i_offentlig_forsorjning, period=period)))  # fmt: skip
    rader = []
    alla = np.ones(len(deltagare), dtype=bool)
    for insats, grupp in [(TOTALT, alla), *_insatsmasker(deltagare)]:
        urvalet = deltagare if grupp is alla else deltagare[grupp]
        for indikator, funktion in matt:
            rader.append({"insats": insats, "indikator": indikator, **funktion(urvalet)})
    ut = pd.DataFrame(rader, columns=["insats", "indikator", "n", "medel", "median"])
    ut.insert(0, "period", period.kod)
    return ut


def rakna(
    underlag: Any, period: Rapportperiod | str, *, tabeller: Collection[str] | None = None
) -> Rakning:
    """Räknetabellerna för perioden ur ett förbunds underlag (aggregat eller deltagarrader).

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag (``tabell(namn)`` och ``konfig``).
    period : Rapportperiod eller str
        Rapportperioden.
    tabeller : samling av str, valfri
        Bara dessa räknetabeller (t.ex. för en jämförelseperiod där bara flödet och
        indikatorerna behövs); standard alla. Tabellerna blir desamma som i en full räkning.

    Returns
    -------
    Rakning
        Tabellerna för perioden. Aggregat som finns för perioden används som de är; övriga
        räknas ur ``deltagare`` om förbundet har deltagarrader.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> d = pd.DataFrame({"deltagare_id": ["a", "b"], "insats": ["T", "T"],
    ...                   "inskrivningsdatum": ["2019-01-10", "2019-02-01"],
    ...                   "avslutsdatum": ["2019-09-30", None],
    ...                   "avslutstyp": ["Fullföljd", None], "avslutsorsak": ["Arbete", None],
    ...                   "kon": ["Kvinna", "Man"]})
    >>> u = SimpleNamespace(tabell=lambda n: d if n == "deltagare" else None,
    ...                     konfig=SimpleNamespace(trappa=()))
    >>> r = rakna(u, "2019")
    >>> r.tabell("avslut")[["utfall", "antal"]].values.tolist()
    [['Arbete', 1]]
    >>> t = r.tabell("deltagarantal")
    >>> t[t["dimension"] == "kon"][["kategori", "antal"]].values.tolist()
    [['Kvinna', 1], ['Man', 1]]
    """
    period = Rapportperiod.tolka(period)
    onskade = None if tabeller is None else frozenset(tabeller)
    ut: dict[str, pd.DataFrame] = {}
    individniva: dict[str, bool] = {}
    for namn in AGGREGATTABELLER:
        if onskade is not None and namn not in onskade:
            continue
        urval = valj_period(underlag.tabell(namn), period)
        if urval is not None:
            ut[namn] = urval
            individniva[namn] = False
    deltagare = underlag.tabell("deltagare")
    if deltagare is not None and len(deltagare):
        trappa = getattr(underlag.konfig, "trappa", ())

        def behovs(namn: str) -> bool:
            # Ett aggregat för perioden går före deltagarraderna: räkna bara det som saknas.
            return namn not in ut and (onskade is None or namn in onskade)

        harledda: dict[str, pd.DataFrame | None] = {}
        avbrott = "avslutstyp" in deltagare.columns and behovs("avbrott")
        avslut = _avslut(deltagare, period) if behovs("avslut") or avbrott else None
        if behovs("avslut"):
            harledda["avslut"] = avslut
        if behovs("deltagarantal"):
            harledda["deltagarantal"] = _deltagarantal(deltagare, period)
        if avbrott:
            harledda["avbrott"] = _avbrott(avslut, deltagare, period)
        for namn, rakna_tabell in (
            ("halsoenkat", lambda: _halsoenkat(deltagare, period)),
            ("stegforflyttning", lambda: _stegforflyttning(deltagare, period, trappa)),
            ("uppfoljning", lambda: _uppfoljning(deltagare, period)),
            ("forsorjning", lambda: _forsorjning(deltagare, period)),
            ("tider", lambda: _tider(deltagare, period)),
        ):
            if behovs(namn):
                harledda[namn] = rakna_tabell()
        for namn, tabell in harledda.items():
            if tabell is not None and len(tabell):
                ut[namn] = tabell.reset_index(drop=True)
                individniva[namn] = True
    return Rakning(period=period, tabeller=ut, individniva=individniva)
