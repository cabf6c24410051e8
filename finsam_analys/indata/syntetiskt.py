"""Syntetiska förbund: seedad generator av deltagardata på individnivå.

:func:`generera_forbund` skapar ett påhittat förbunds tabeller i datamodellens kanoniska form
(``deltagare``, ``ersattningsperioder``, ``ekonomi``, ``mal``, ``enkat``) med rimliga
fördelningar: flera insatser, flera år, kön ungefär 55/45, ålder 18–64, remittent
AF/FK/Kommun/Region, försörjning som beror på remittenten, inskrivningstid med median runt åtta
månader, ungefär 20 % avbrott, utfall vid avslut, ORS-poäng (0–40) som i snitt förbättras, steg
på en trappa, uppföljning efter 6, 12 och 18 månader med bortfall, ersättningsperioder för
helårsekvivalenter och en deltagarenkät vid vecka 8 och vid avslut.

Allt dras vektoriserat med ``numpy.random.default_rng(seed)``: samma seed ger samma data, och en
miljon deltaganden tar några sekunder. Id:n är pseudonyma (``D0000001`` …) och liknar aldrig
personnummer; kommunerna har påhittade namn.

:func:`skriv_forbund` skriver tabellerna som en förbundskatalog (``forbund.yaml`` och CSV med
semikolon och decimalkomma) som ``las_forbund`` kan läsa; :func:`skriv_syntetiskt_forbund` gör
båda stegen (används av prestandatesterna och för ``data/exempelforbund``).

>>> t = generera_forbund(seed=1, antal_deltaganden=200, ar=[2023, 2024, 2025])
>>> sorted(t)
['deltagare', 'ekonomi', 'enkat', 'ersattningsperioder', 'mal']
>>> len(t["deltagare"]), t["deltagare"]["deltagare_id"].str.fullmatch(r"D\\d{7}").all()
(200, np.True_)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import ERSATTNINGSFORM_SCB, SUMMAPOST, TOTALGRUPP
from finsam_analys.indata.scheman import DTYPER, TABELLER

__all__ = ["generera_forbund", "skriv_forbund", "skriv_syntetiskt_forbund"]

STANDARDINSATSER: tuple[str, ...] = ("Samordningsteam", "Arbetsträning i grupp", "Unga vuxna")
STANDARDKOMMUNER: tuple[str, ...] = ("Exempelstad", "Norrby", "Söderby", "Åsby")
STANDARDTRAPPA: tuple[str, ...] = (
    "Kunna lämna hemmet",
    "Passa tider, basala funktioner",
    "Vara igång några timmar i veckan",
    "Arbetsträning eller arbetsprövning",
    "Arbete eller studier med stöd",
    "Arbete eller studier utan stöd",
)

_REMITTENTER = ("AF", "FK", "Kommun", "Region")
_P_REMITTENT = (0.30, 0.25, 0.35, 0.10)

# Försörjning vid inskrivning, betingad på remittent (rader summerar till 1).
_FORSORJNING = (
    "Sjukpenning",
    "Aktivitetsersättning",
    "Sjukersättning",
    "Arbetslöshetsersättning",
    "Aktivitetsstöd",
    "Etableringsersättning",
    "Ekonomiskt bistånd",
    "Ingen offentlig försörjning",
    "Lön",
)
_P_FORSORJNING_IN = np.array(
    [
        # sjp   akt.e  sjuke  a-kassa akt.s  etabl  ek.b   ingen  lön
        [0.02, 0.02, 0.00, 0.22, 0.43, 0.14, 0.13, 0.04, 0.00],  # AF
        [0.45, 0.24, 0.14, 0.00, 0.07, 0.00, 0.05, 0.02, 0.03],  # FK
        [0.05, 0.04, 0.01, 0.02, 0.10, 0.02, 0.66, 0.10, 0.00],  # Kommun
        [0.42, 0.12, 0.04, 0.02, 0.05, 0.00, 0.22, 0.08, 0.05],  # Region
    ]
)

# SCB:s ersättningsform (index i ERSATTNINGSFORM_SCB) för varje försörjning i _FORSORJNING
# följd av Studiemedel; -1 = ingen ersättning som räknas i HÅE.
_SCB_INDEX = np.array([0, 1, 1, 2, 3, 5, 4, -1, -1, -1])

_UTFALL_FULLFOLJD = (
    "Arbete",
    "Studier",
    "Fortsatt arbetslivsinriktad rehabilitering",
    "Aktivt arbetssökande",
    "Sjuk- och aktivitetsersättning",
    "Annat",
)
_P_UTFALL_FULLFOLJD = (0.22, 0.10, 0.43, 0.12, 0.05, 0.08)
_ORSAK_AVBRUTEN = ("Ohälsa", "Flytt", "Föräldraledighet", "Ej förlängt beslut", "Annat", "Okänt")
_P_ORSAK_AVBRUTEN = (0.36, 0.08, 0.10, 0.10, 0.26, 0.10)

# Läget vid uppföljning: en rad för dem som gick till arbete, en för övriga.
_UPPFOLJNING = (
    "Arbete",
    "Studier",
    "Aktivt arbetssökande",
    "Fortsatt arbetslivsinriktad rehabilitering",
    "Sjukpenning",
    "Ekonomiskt bistånd",
    "Ingen offentlig försörjning",
)
_P_UPPFOLJNING = np.array(
    [
        [0.76, 0.04, 0.10, 0.00, 0.04, 0.03, 0.03],  # arbete vid avslut
        [0.16, 0.08, 0.30, 0.20, 0.10, 0.12, 0.04],  # övriga
    ]
)
_BORTFALL_UPPFOLJNING = {6: 0.25, 12: 0.35, 18: 0.45}

_MEDIAN_DAGAR_FULLFOLJD = 243.0  # cirka 8 månader
_MEDIAN_DAGAR_AVBRUTEN = 100.0
_ANDEL_AVBRUTNA = 0.20
_ANDEL_KVINNOR = 0.55
_ANDEL_UPPREPADE = 0.08  # deltaganden av personer som redan deltagit i en annan insats

_DAG = np.timedelta64(1, "D")


def _valj(rng: np.random.Generator, n: int, p: Sequence[float]) -> np.ndarray:
    """Dra n index enligt sannolikheterna p (snabbare än rng.choice för stora n)."""
    kum = np.cumsum(np.asarray(p, dtype=float))
    kum /= kum[-1]
    return np.searchsorted(kum, rng.random(n), side="right").clip(0, len(kum) - 1)


def _valj_betingat(rng: np.random.Generator, rad: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Dra ett index per element, ur raden ``p[rad]`` i en sannolikhetsmatris."""
    kum = np.cumsum(p, axis=1)
    kum /= kum[:, -1:]
    u = rng.random(len(rad))
    ut = np.empty(len(rad), dtype=np.int64)
    for r in range(p.shape[0]):
        mask = rad == r
        ut[mask] = np.searchsorted(kum[r], u[mask], side="right")
    return ut.clip(0, p.shape[1] - 1)


def _text(
    etiketter: Sequence[str], index: np.ndarray, saknas: np.ndarray | None = None
) -> pd.Series:
    """Etiketter som pandas-strängar (dtype ``str``); ``saknas`` (bool) ger saknat värde."""
    import pyarrow as pa
    import pyarrow.compute as pc

    index = pa.array(np.asarray(index, dtype=np.int64), mask=saknas)
    return pd.Series(pd.array(pc.take(pa.array(list(etiketter)), index), dtype="str"))


def _id_text(nummer: np.ndarray) -> pd.Series:
    """Pseudonyma id ``D0000001`` … (sju siffror, aldrig ett personnummer)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    siffror = pc.utf8_lpad(
        pc.cast(pa.array(np.asarray(nummer, dtype=np.int64)), pa.string()), 7, "0"
    )
    return pd.Series(pd.array(pc.binary_join_element_wise("D", siffror, ""), dtype="str"))


def _datum(dagar: np.ndarray) -> pd.Series:
    """Dagar som datetime64[D] (NaT tillåtet) till pandas datum med dtype datetime64[us]."""
    return pd.Series(dagar.astype("datetime64[us]"))


def _som_datum(varde: Any) -> np.datetime64:
    return np.datetime64(pd.Timestamp(varde).date(), "D")


def generera_forbund(
    *,
    seed: int,
    antal_deltaganden: int,
    ar: Sequence[int] = (2023, 2024, 2025),
    insatser: Sequence[str] = STANDARDINSATSER,
    kommuner: Sequence[str] = STANDARDKOMMUNER,
    trappa: Sequence[str] = STANDARDTRAPPA,
    uttagsdatum: dt.date | str | None = None,
) -> dict[str, pd.DataFrame]:
    """Generera ett syntetiskt förbunds tabeller.

    Parameters
    ----------
    seed : int
        Frö till ``numpy.random.default_rng``; samma seed och argument ger samma tabeller.
    antal_deltaganden : int
        Antal rader i ``deltagare`` (en rad per deltagande; ungefär 8 % är en andra insats för en
        person som redan deltagit).
    ar : sekvens av int
        Åren då deltagare skrivs in (sammanhängande, t.ex. ``[2023, 2024, 2025]``).
    insatser, kommuner : sekvenser av str
        Insatsernas namn (den första störst) och folkbokföringskommunerna (den första störst).
    trappa : sekvens av str
        Trappans steg; ``steg_start``/``steg_slut`` är 1 … ``len(trappa)``.
    uttagsdatum : datum eller str, valfri
        Dagen då uttaget görs (standard: sista december sista året). Inskrivningar sker fram till
        dess; avslut, uppföljningar och ersättningar efter uttagsdatum är okända (saknas).

    Returns
    -------
    dict[str, pandas.DataFrame]
        ``deltagare``, ``ersattningsperioder``, ``ekonomi``, ``mal`` och ``enkat`` (deltagarenkät
        med fyra NNS-liknande frågor, steg 1–6, vid vecka 8 och vid avslut) med datamodellens
        kolumner och dtyper.

    Examples
    --------
    >>> t = generera_forbund(seed=7, antal_deltaganden=500, ar=[2024], insatser=["A", "B"])
    >>> sorted(t["deltagare"]["insats"].unique())
    ['A', 'B']
    >>> d = t["deltagare"]
    >>> avslutade = d[d["avslutsdatum"].notna()]
    >>> bool((avslutade["avslutsdatum"] >= avslutade["inskrivningsdatum"]).all())
    True
    """
    if antal_deltaganden < 1:
        raise ValueError("antal_deltaganden måste vara minst 1")
    aren = sorted(int(a) for a in ar)
    if not aren or aren != list(range(aren[0], aren[-1] + 1)):
        raise ValueError(f"ar måste vara sammanhängande år, t.ex. [2023, 2024, 2025], fick {ar!r}")
    if not insatser or not kommuner or not trappa:
        raise ValueError("insatser, kommuner och trappa får inte vara tomma")
    rng = np.random.default_rng(seed)
    n = int(antal_deltaganden)
    start = np.datetime64(f"{aren[0]}-01-01", "D")
    uttag = (
        np.datetime64(f"{aren[-1]}-12-31", "D") if uttagsdatum is None else _som_datum(uttagsdatum)
    )
    if uttag < start:
        raise ValueError("uttagsdatum ligger före det första årets början")
    nat = np.datetime64("NaT", "D")

    # --- personer ---------------------------------------------------------------------------
    # personattribut dras för n tänkbara personer; de första ``antal_personer`` används
    # ålder vid första deltagandet: 18–64, tyngdpunkt runt 35
    p_alder = 18 + np.floor(rng.beta(1.6, 2.2, n) * 47).astype(np.int64)
    p_kvinna = rng.random(n) < _ANDEL_KVINNOR
    p_kommun = _valj(rng, n, 1.0 / np.arange(1, len(kommuner) + 1))
    # fler deltaganden bara för personer vars ålder håller sig inom 18–64 under alla år
    antal_personer = max(1, int(round(n * (1 - _ANDEL_UPPREPADE))))
    marginal = len(aren) - 1
    alder = p_alder[:antal_personer]
    kan_upprepa = np.flatnonzero((alder >= 18 + marginal) & (alder <= 64 - marginal))
    if len(kan_upprepa) == 0:
        antal_personer = n
    upprepade = kan_upprepa[rng.integers(0, max(1, len(kan_upprepa)), n - antal_personer)]
    person = np.concatenate([np.arange(antal_personer), upprepade])

    # --- deltaganden ------------------------------------------------------------------------
    spann = int((uttag - start) / _DAG) + 1
    insatsvikt = 1.0 / np.sqrt(np.arange(1, len(insatser) + 1))
    insats = _valj(rng, n, insatsvikt)
    # unika deltaganden (person, insats, inskrivningsdag): dubbletter flyttas en dag
    dag = rng.integers(0, spann, n)
    for _ in range(100):
        nyckel = (person * len(insatser) + insats) * spann + dag
        _, forsta = np.unique(nyckel, return_index=True)
        dubbel = np.ones(n, dtype=bool)
        dubbel[forsta] = False
        if not dubbel.any():
            break
        dag = np.where(dubbel, (dag + 1) % spann, dag)
    inskrivning = start + dag * _DAG
    ins_ar = inskrivning.astype("datetime64[Y]").astype(np.int64) + 1970
    fodelsear = (ins_ar[:antal_personer] - p_alder[:antal_personer])[person]

    inriktning = (rng.random(n) < 0.35).astype(np.int64)  # 0 individuellt, 1 grupp
    remittent = _valj(rng, n, _P_REMITTENT)
    forsorjning_in = _valj_betingat(rng, remittent, _P_FORSORJNING_IN)
    tid_forsorjning = np.round(rng.gamma(1.6, 2.5, n), 1)
    tid_forsorjning = np.minimum(tid_forsorjning, (ins_ar - fodelsear - 16).clip(0))

    avbruten = rng.random(n) < _ANDEL_AVBRUTNA
    median = np.where(avbruten, _MEDIAN_DAGAR_AVBRUTEN, _MEDIAN_DAGAR_FULLFOLJD)
    langd = np.maximum(7, np.round(median * np.exp(rng.normal(0.0, 0.5, n)))).astype(np.int64)
    avslut = inskrivning + langd * _DAG
    avslutad = avslut <= uttag
    avslut = np.where(avslutad, avslut, nat)
    fullfoljd = avslutad & ~avbruten
    avbruten_klar = avslutad & avbruten

    avslutstyp = np.where(avbruten, 1, 0)
    orsak_f = _valj(rng, n, _P_UTFALL_FULLFOLJD)
    orsak_a = _valj(rng, n, _P_ORSAK_AVBRUTEN)
    orsaker = _UTFALL_FULLFOLJD + _ORSAK_AVBRUTEN
    orsak = np.where(avbruten, orsak_a + len(_UTFALL_FULLFOLJD), orsak_f)
    gick_till_arbete = fullfoljd & (orsak == 0)

    # försörjning vid avslut
    forsorjningar = (*_FORSORJNING, "Studiemedel")
    ut = forsorjning_in.copy()
    byter = rng.random(n) < 0.3
    ut = np.where(byter, _valj(rng, n, (0.15, 0.05, 0.05, 0.1, 0.25, 0.02, 0.2, 0.18, 0.0)), ut)
    ut = np.where(gick_till_arbete, np.where(rng.random(n) < 0.85, 8, 7), ut)
    ut = np.where(fullfoljd & (orsak == 1), 9, ut)

    # hälsa (ORS 0–40) och trappa
    ors_start = np.round(np.clip(rng.normal(19.0, 7.0, n), 0, 40), 1)
    ors_slut = np.round(np.clip(ors_start + rng.normal(4.5, 6.0, n), 0, 40), 1)
    har_start = rng.random(n) >= 0.10
    har_slut = har_start & (
        fullfoljd & (rng.random(n) >= 0.15) | avbruten_klar & (rng.random(n) < 0.3)
    )
    antal_steg = len(trappa)
    steg_start = 1 + _valj(rng, n, np.linspace(1.0, 0.2, antal_steg)[: max(1, antal_steg - 1)])
    steg_start = np.minimum(steg_start, antal_steg)
    forflyttning = np.where(
        avbruten,
        _valj(rng, n, (0.15, 0.6, 0.25)) - 1,
        _valj(rng, n, (0.05, 0.25, 0.4, 0.2, 0.1)) - 1,
    )
    steg_slut = np.clip(steg_start + forflyttning, 1, antal_steg)

    # uppföljning efter avslut (fullföljda), med bortfall och bara om tidpunkten passerats
    uppfoljning: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for manader, bortfall in _BORTFALL_UPPFOLJNING.items():
        tidpunkt = avslut + int(round(manader * 30.44)) * _DAG
        kand = fullfoljd & (tidpunkt <= uttag) & (rng.random(n) >= bortfall)
        lage = _valj_betingat(rng, np.where(gick_till_arbete, 0, 1), _P_UPPFOLJNING)
        uppfoljning[f"uppfoljning_{manader}_man"] = (lage, ~kand)

    ordning = np.lexsort((insats, person, dag))

    def _o(x: np.ndarray) -> np.ndarray:
        return x[ordning]

    p_kon = p_kvinna[person].astype(np.int64)
    deltagare = pd.DataFrame(
        {
            "deltagare_id": _id_text(_o(person) + 1),
            "insats": _text(insatser, _o(insats)),
            "inriktning": _text(("Individuellt stöd", "Gruppverksamhet"), _o(inriktning)),
            "kon": _text(("Man", "Kvinna"), _o(p_kon)),
            "fodelsear": pd.array(_o(fodelsear), dtype="Int64"),
            "folkbokforingskommun": _text(kommuner, _o(p_kommun[person])),
            "remittent": _text(_REMITTENTER, _o(remittent)),
            "forsorjning_in": _text(_FORSORJNING, _o(forsorjning_in)),
            "forsorjning_ut": _text(forsorjningar, _o(ut), _o(~avslutad)),
            "tid_offentlig_forsorjning_ar": _o(tid_forsorjning).astype("float64"),
            "inskrivningsdatum": _datum(_o(inskrivning)),
            "avslutsdatum": _datum(_o(avslut)),
            "avslutstyp": _text(("Fullföljd", "Avbruten"), _o(avslutstyp), _o(~avslutad)),
            "avslutsorsak": _text(orsaker, _o(orsak), _o(~avslutad)),
            "halsopoang_start": _o(np.where(har_start, ors_start, np.nan)),
            "halsopoang_slut": _o(np.where(har_slut, ors_slut, np.nan)),
            "steg_start": pd.array(_o(steg_start), dtype="Int64"),
            "steg_slut": pd.array(_o(steg_slut), dtype="Int64"),
            **{k: _text(_UPPFOLJNING, _o(v[0]), _o(v[1])) for k, v in uppfoljning.items()},
        }
    )
    deltagare["steg_slut"] = deltagare["steg_slut"].where(_o(avslutad))

    ersattning = _ersattningsperioder(
        rng,
        person=_o(person),
        kon=_o(p_kon),
        forsorjning_in=_o(forsorjning_in),
        forsorjning_ut=np.where(_o(avslutad), _o(ut), -1),
        tid_ar=_o(tid_forsorjning),
        inskrivning=_o(inskrivning),
        avslut=_o(avslut),
        uttag=uttag,
    )
    ekonomi = _ekonomi(rng, deltagare, aren=aren, insatser=insatser, uttag=uttag)
    mal = _mal(insatser)
    enkat = _enkat(rng, deltagare, perioder=list(ekonomi["period"].unique()))
    return {
        "deltagare": _typa("deltagare", deltagare),
        "ersattningsperioder": _typa("ersattningsperioder", ersattning),
        "ekonomi": _typa("ekonomi", ekonomi),
        "mal": _typa("mal", mal),
        "enkat": _typa("enkat", enkat),
    }


def _ersattningsperioder(
    rng: np.random.Generator,
    *,
    person: np.ndarray,
    kon: np.ndarray,
    forsorjning_in: np.ndarray,
    forsorjning_ut: np.ndarray,
    tid_ar: np.ndarray,
    inskrivning: np.ndarray,
    avslut: np.ndarray,
    uttag: np.datetime64,
) -> pd.DataFrame:
    """Ersättningsperioder före/under deltagandet och efter avslut (SCB:s ersättningsformer).

    Försörjningen anges som index i ``_FORSORJNING`` + ``Studiemedel`` (-1 = okänd).
    """
    n = len(person)
    omfattningar = np.array([1.0, 0.75, 0.5, 0.25])
    form_in = _SCB_INDEX[forsorjning_in]
    form_ut = np.where(forsorjning_ut >= 0, _SCB_INDEX[forsorjning_ut], -1)
    pagaende = np.isnat(avslut)
    slut = np.where(pagaende, uttag, avslut)

    # period 1: försörjningen vid inskrivning, från (högst två år) före inskrivningen till avslut
    har_in = form_in >= 0
    fore = np.minimum(np.round(np.nan_to_num(tid_ar) * 365.25), 730).astype(np.int64)
    fran1 = inskrivning - fore * _DAG
    fortsatter = ~pagaende & (form_ut == form_in) & har_in
    efter = np.round(rng.exponential(180.0, n)).astype(np.int64)
    till1 = np.where(fortsatter, np.minimum(slut + efter * _DAG, uttag), slut)
    omf1 = omfattningar[_valj(rng, n, (0.6, 0.15, 0.2, 0.05))]

    # period 2: en annan ersättning efter avslut
    fran2 = slut + _DAG
    till2 = np.minimum(fran2 + np.maximum(30, efter) * _DAG, uttag)
    har_ut = ~pagaende & (form_ut >= 0) & (form_ut != form_in) & (fran2 <= uttag)
    omf2 = omfattningar[_valj(rng, n, (0.5, 0.2, 0.25, 0.05))]

    def _valda(mask: np.ndarray, *kolumner: np.ndarray) -> list[np.ndarray]:
        return [k[mask] for k in kolumner]

    p1 = _valda(har_in, person, form_in, kon, fran1, till1, omf1)
    p2 = _valda(har_ut, person, form_ut, kon, fran2, till2, omf2)
    pers, form, kon_, fran, till, omf = (
        np.concatenate([a, b]) for a, b in zip(p1, p2, strict=True)
    )
    ordning = np.lexsort((fran, pers))
    return pd.DataFrame(
        {
            "person": _id_text(pers[ordning] + 1),
            "ersattningsform": _text(ERSATTNINGSFORM_SCB, form[ordning]),
            "kon": _text(("Man", "Kvinna"), kon_[ordning]),
            "fran": _datum(fran[ordning]),
            "till": _datum(till[ordning]),
            "omfattning": omf[ordning],
        }
    )


def _ekonomi(
    rng: np.random.Generator,
    deltagare: pd.DataFrame,
    *,
    aren: list[int],
    insatser: Sequence[str],
    uttag: np.datetime64,
) -> pd.DataFrame:
    """Budget och utfall (tkr) per insats och år, med summarader som stämmer."""
    sista_ar = int(str(uttag)[:4])
    sista_manad = int(str(uttag)[5:7])
    antal = (
        deltagare.assign(ar=deltagare["inskrivningsdatum"].dt.year)
        .groupby(["ar", "insats"], observed=True)
        .size()
    )
    rader: list[dict[str, Any]] = []
    for ar_ in aren:
        delar = 1.0
        period = str(ar_)
        if ar_ == sista_ar and sista_manad < 12:
            delar = sista_manad / 12
            period = f"{ar_}-01..{ar_}-{sista_manad:02d}"
        elif ar_ > sista_ar:
            continue
        insatsrader = []
        for namn in insatser:
            deltagare_ar = int(antal.get((ar_, namn), 0))
            if delar < 1:
                deltagare_ar = int(round(deltagare_ar / delar))
            budget = round(max(100.0, deltagare_ar * 28.0) * rng.uniform(0.95, 1.1))
            utfall = round(budget * delar * rng.normal(0.93, 0.05))
            insatsrader.append(("Insatser", namn, budget, utfall, "kostnad", namn))
        summa_b = sum(r[2] for r in insatsrader)
        summa_u = sum(r[3] for r in insatsrader)
        kansli_b = round(0.08 * summa_b)
        kansli_u = round(kansli_b * delar * rng.normal(0.97, 0.03))
        intakter = round((summa_b + kansli_b) * rng.uniform(0.92, 1.02))
        arets = [
            ("Intäkter", "Intäkter parterna", intakter, round(intakter * delar), "intakt", None),
            *insatsrader,
            ("Insatser", SUMMAPOST, summa_b, summa_u, "kostnad", None),
            ("Administration", "Förbundskansli", kansli_b, kansli_u, "kostnad", None),
            ("Administration", SUMMAPOST, kansli_b, kansli_u, "kostnad", None),
            (TOTALGRUPP, SUMMAPOST, summa_b + kansli_b, summa_u + kansli_u, "kostnad", None),
        ]
        rader += [
            {
                "period": period,
                "ar": ar_,
                "grupp": g,
                "post": p,
                "budget": float(b),
                "utfall": float(u),
                "enhet": "tkr",
                "typ": t,
                "insats": i,
            }
            for g, p, b, u, t, i in arets
        ]
    ekonomi = pd.DataFrame(rader)
    kolumner = ["period", "ar", "grupp", "post", "budget", "utfall", "enhet", "typ", "insats"]
    return ekonomi[kolumner]


_ENKATFRAGOR = (
    "Jag har fått stöd som varit till nytta för mig",
    "Jag har fått vara med och bestämma vilket stöd jag ska få",
    "Stödet har fått ta den tid jag behöver",
    "Jag är mer redo att arbeta eller studera",
)
# svarsfördelning på steg 1–6 vid vecka 8 och vid avslut; sista frågan börjar lägre
_P_ENKAT = {
    "Vecka 8": np.array([0.04, 0.06, 0.12, 0.23, 0.30, 0.25]),
    "Avslut": np.array([0.02, 0.04, 0.09, 0.20, 0.32, 0.33]),
}
_P_ENKAT_REDO = {
    "Vecka 8": np.array([0.10, 0.14, 0.20, 0.24, 0.20, 0.12]),
    "Avslut": np.array([0.05, 0.08, 0.14, 0.23, 0.28, 0.22]),
}


def _enkat(
    rng: np.random.Generator, deltagare: pd.DataFrame, *, perioder: list[str]
) -> pd.DataFrame:
    """Deltagarenkät (NNS-liknande frågor, steg 1–6) vid vecka 8 och vid avslut, per period."""
    from finsam_analys.perioder import Rapportperiod

    rader = []
    ins = deltagare["inskrivningsdatum"].to_numpy().astype("datetime64[D]")
    avsl = deltagare["avslutsdatum"].to_numpy().astype("datetime64[D]")
    vecka8 = ins + np.timedelta64(56, "D")
    kvar_vecka8 = np.isnat(avsl) | (avsl >= vecka8)
    fullfoljd = (deltagare["avslutstyp"] == "Fullföljd").to_numpy()
    insatskod, insatsnamn = pd.factorize(deltagare["insats"])
    for kod in perioder:
        p = Rapportperiod.tolka(kod)
        start, slut = np.datetime64(p.start, "D"), np.datetime64(p.slut, "D")
        i_vecka8 = kvar_vecka8 & (vecka8 >= start) & (vecka8 <= slut)
        i_avslut = fullfoljd & (avsl >= start) & (avsl <= slut)
        for kod_insats, namn in enumerate(insatsnamn):
            denna = insatskod == kod_insats
            for tillfalle, mask in (("Vecka 8", i_vecka8), ("Avslut", i_avslut)):
                svarande = rng.binomial(int((mask & denna).sum()), 0.45)
                for fraga in _ENKATFRAGOR:
                    sannolikhet = (_P_ENKAT_REDO if "redo" in fraga else _P_ENKAT)[tillfalle]
                    fordelning = rng.multinomial(svarande, sannolikhet)
                    rader += [
                        (kod, namn, tillfalle, fraga, str(steg), int(a))
                        for steg, a in enumerate(fordelning, start=1)
                    ]
    return pd.DataFrame(rader, columns=["period", "insats", "tillfalle", "fraga", "steg", "antal"])


def _mal(insatser: Sequence[str]) -> pd.DataFrame:
    """Påhittade mål per insats (andelar som bråk)."""
    rader = []
    for namn in insatser:
        rader += [
            (namn, "andel_arbete_eller_studier", "minst", 0.30, "andel"),
            (namn, "andel_forbattrad_halsa", "minst", 0.70, "andel"),
            (namn, "andel_stegforflyttning", "minst", 0.60, "andel"),
            (namn, "andel_avbrott", "hogst", 0.25, "andel"),
        ]
    return pd.DataFrame(rader, columns=["insats", "indikator", "riktning", "varde", "enhet"])


def _typa(tabell: str, df: pd.DataFrame) -> pd.DataFrame:
    """Ge kolumnerna datamodellens dtyper (som efter inläsning)."""
    tdef = TABELLER[tabell]
    ut = df.copy()
    for kol in ut.columns:
        k = tdef.kolumndef(kol)
        if k is None:
            continue
        if ut[kol].dtype != DTYPER[k.typ]:
            ut[kol] = ut[kol].astype(DTYPER[k.typ])
    return ut


# ---------------------------------------------------------------------------------------------
# Skriva en förbundskatalog
# ---------------------------------------------------------------------------------------------


def _csv(df: pd.DataFrame, fil: Path) -> None:
    """Skriv som svensk CSV (semikolon, decimalkomma, UTF-8, ISO-datum, tomt = saknas).

    Skrivs med pyarrow: pandas ``to_csv(decimal=",")`` formaterar varje tal i Python och är
    för långsamt för prestandatesternas miljon deltaganden.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    kolumner = {}
    for namn in df.columns:
        serie = df[namn]
        if pd.api.types.is_datetime64_any_dtype(serie):
            arr = pc.cast(pa.array(serie.dt.date, type=pa.date32(), from_pandas=True), pa.string())
        elif pd.api.types.is_float_dtype(serie):
            text = pc.cast(pa.array(serie.to_numpy(), from_pandas=True), pa.string())
            arr = pc.replace_substring(text, ".", ",")
        elif pd.api.types.is_integer_dtype(serie):
            arr = pc.cast(pa.array(serie, type=pa.int64(), from_pandas=True), pa.string())
        else:
            arr = pa.array(serie.astype("str"), type=pa.string(), from_pandas=True)
        kolumner[str(namn)] = arr
    tabell = pa.table(kolumner)
    rubrik = ";".join(tabell.column_names) + "\n"
    with open(fil, "wb") as fh:
        fh.write(rubrik.encode("utf-8"))
        for citat in ("none", "needed"):
            # utan citattecken som Excel skriver; går inte om en text innehåller ; eller "
            try:
                alternativ = pacsv.WriteOptions(
                    include_header=False, delimiter=";", quoting_style=citat
                )
                pacsv.write_csv(tabell, fh, write_options=alternativ)
                break
            except pa.ArrowInvalid:
                fh.seek(len(rubrik.encode("utf-8")))
                fh.truncate()


def skriv_forbund(
    tabeller: Mapping[str, pd.DataFrame],
    katalog: str | Path,
    *,
    namn: str,
    kommuner: Sequence[str],
    insatser: Sequence[str],
    perioder: Sequence[str],
    trappa: Sequence[str] | None = None,
    jamforelseperioder: Mapping[str, str] | None = None,
    beskrivning: str | None = None,
    kallor: Sequence[Mapping[str, str]] | None = None,
    syntetisk: bool = True,
) -> Path:
    """Skriv tabeller som en förbundskatalog: ``forbund.yaml`` och en CSV per tabell.

    CSV-filerna har semikolon, decimalkomma, UTF-8 och ISO-datum. Förbundets ``id`` blir
    katalogens namn. Katalogen skapas vid behov; befintliga filer med samma namn skrivs över.

    Returns
    -------
    pathlib.Path
        Katalogen.

    Examples
    --------
    >>> import tempfile
    >>> t = generera_forbund(seed=3, antal_deltaganden=50, ar=[2024], insatser=["A"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     k = skriv_forbund(t, Path(tmp) / "prov", namn="Prov", kommuner=["Norrby"],
    ...                       insatser=["A"], perioder=["2024"])
    ...     print(*sorted(p.name for p in k.iterdir()))
    deltagare.csv ekonomi.csv enkat.csv ersattningsperioder.csv forbund.yaml mal.csv
    """
    import yaml

    katalog = Path(katalog)
    okanda = sorted(set(tabeller) - set(TABELLER))
    if okanda:
        raise ValueError(f"okända tabeller: {', '.join(okanda)}; kända: {', '.join(TABELLER)}")
    katalog.mkdir(parents=True, exist_ok=True)
    konfig: dict[str, Any] = {
        "id": katalog.name,
        "namn": namn,
        "kommuner": list(kommuner),
        "insatser": list(insatser),
        "perioder": [str(p) for p in perioder],
    }
    if jamforelseperioder:
        konfig["jamforelseperioder"] = {str(k): str(v) for k, v in jamforelseperioder.items()}
    konfig["sekretess"] = {"troskel": 5, "namnare_troskel": 10, "intern": False}
    if trappa:
        konfig["trappa"] = list(trappa)
    konfig["publicerad"] = False
    konfig["syntetisk"] = bool(syntetisk)
    if beskrivning:
        konfig["beskrivning"] = beskrivning
    if kallor:
        konfig["kallor"] = [dict(k) for k in kallor]
    with open(katalog / "forbund.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(konfig, fh, allow_unicode=True, sort_keys=False, width=100)
    for tabell, df in tabeller.items():
        _csv(df, katalog / f"{tabell}.csv")
    return katalog


def _jamforelseperioder(perioder: Sequence[str], *, forsta_ar: int) -> dict[str, str]:
    """Samma period ett år tidigare, för perioder vars föregående år finns i datat."""
    ut = {}
    for p in map(str, perioder):
        ar_ = int(p[:4])
        if ar_ - 1 >= forsta_ar:
            ut[p] = p.replace(str(ar_), str(ar_ - 1))
    return ut


def skriv_syntetiskt_forbund(
    katalog: str | Path,
    *,
    seed: int,
    antal_deltaganden: int,
    ar: Sequence[int] = (2023, 2024, 2025),
    perioder: Sequence[str] | None = None,
    namn: str | None = None,
    insatser: Sequence[str] = STANDARDINSATSER,
    kommuner: Sequence[str] = STANDARDKOMMUNER,
    trappa: Sequence[str] = STANDARDTRAPPA,
    uttagsdatum: dt.date | str | None = None,
) -> Path:
    """Generera ett syntetiskt förbund och skriv det som en förbundskatalog.

    ``perioder`` är som standard varje år i ``ar`` (utom ett ofullständigt sista år, som blir
    ``ÅÅÅÅ-01..ÅÅÅÅ-MM`` fram till uttagsdatum). Prestandatesterna skapar t.ex. tolv förbund
    med ``skriv_syntetiskt_forbund(kat / f"forbund_{i:02d}", seed=i, antal_deltaganden=83_334)``.

    Examples
    --------
    >>> import tempfile, yaml
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     k = skriv_syntetiskt_forbund(Path(tmp) / "syn", seed=1, antal_deltaganden=30, ar=[2024],
    ...                                  uttagsdatum="2024-08-31")
    ...     konfig = yaml.safe_load((k / "forbund.yaml").read_text(encoding="utf-8"))
    >>> konfig["perioder"], konfig["syntetisk"]
    (['2024-01..2024-08'], True)
    """
    tabeller = generera_forbund(
        seed=seed,
        antal_deltaganden=antal_deltaganden,
        ar=ar,
        insatser=insatser,
        kommuner=kommuner,
        trappa=trappa,
        uttagsdatum=uttagsdatum,
    )
    if perioder is None:
        perioder = sorted(tabeller["ekonomi"]["period"].unique())
    katalog = Path(katalog)
    aren = sorted(int(a) for a in ar)
    uttag = _som_datum(uttagsdatum) if uttagsdatum is not None else f"{aren[-1]}-12-31"
    return skriv_forbund(
        tabeller,
        katalog,
        namn=namn or f"Syntetiskt förbund {katalog.name}",
        kommuner=kommuner,
        insatser=insatser,
        perioder=perioder,
        trappa=trappa,
        jamforelseperioder=_jamforelseperioder(perioder, forsta_ar=aren[0]),
        beskrivning=(
            f"Syntetiska data (påhittade personer) genererade med "
            f"finsam_analys.indata.syntetiskt.generera_forbund(seed={seed}, "
            f"antal_deltaganden={antal_deltaganden}, ar={aren})."
        ),
        # uttagsdatumet: ingen rapport för en period efter uttaget (se korning.batch)
        kallor=[{"namn": "Påhittat verksamhetssystem", "uttagsdatum": str(uttag)[:10]}],
        syntetisk=True,
    )
