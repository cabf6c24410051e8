"""Helårsekvivalenter (HÅE): försörjning med sociala ersättningar och bidrag omräknad till helår.

SCB mäter varje ersättningsform i helårspersoner: antalet personer som skulle kunna försörjas ett
helt år med full ersättning. Två personer som varit heltidsarbetslösa ett halvår var blir
tillsammans en helårsekvivalent.

Två slags indata:

* **Ersättningsperioder** (en rad per person och period): kolumnerna ``person``,
  ``ersattningsform``, ``fran``, ``till`` (datum, båda ingår), ``omfattning`` (0–1) och valfritt
  ``kon``. :func:`helarsekvivalenter` räknar HÅE för valfri rapportperiod.
* **SCB-liknande aggregat** (tabellen ``helarsekvivalenter``): ``region``, ``ar``,
  ``ersattningsform``, ``kon``, ``hae``, ``folkmangd_20_64``. Rader med ersättningsform
  ``"Totalt"`` är publicerade summor och används aldrig i beräkningarna; summor räknas alltid om
  från delarna (:func:`befolkningsandelar`, :func:`konsfordelning`, :func:`forandring_mellan_ar`).

Andelar av befolkningen för flera regioner räknas alltid som summan av HÅE delad med summan av
folkmängden, aldrig som medelvärdet av regionernas andelar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NoReturn

import numpy as np
import pandas as pd
import pyarrow as pa

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.perioder import Rapportperiod

__all__ = [
    "andel_av_befolkning",
    "befolkningsandelar",
    "forandring_mellan_ar",
    "helarsekvivalenter",
    "konsfordelning",
]

_KONEN = ("Kvinnor", "Män", "Kvinna", "Man")
_EPOK = np.datetime64("1970-01-01", "D")
_NAT = np.iinfo(np.int64).min  # NaT som heltal (alla enheter)
_PAGAENDE = np.iinfo(np.int64).max  # dagnummer för saknat 'till' (pågående period)
_BLOCK = 1 << 16  # rader per block: blockets temporära arrayer (512 KiB var) ligger i cachen
_MAX_GRUPPER_BLOCKVIS = 1 << 12  # fler grupper: HÅE per rad och en bincount på slutet
_ENHETER_PER_DAG = {
    "D": 1,
    "h": 24,
    "m": 24 * 60,
    "s": 86_400,
    "ms": 86_400_000,
    "us": 86_400_000_000,
    "ns": 86_400_000_000_000,
}


def _dagnummer(datum: dt.date) -> int:
    return int((np.datetime64(datum, "D") - _EPOK).astype(np.int64))


def _som_tidsvarden(kolumn: pd.Series, namn: str) -> tuple[np.ndarray, int]:
    """Datumkolumn -> (heltal, delare) där ``heltal // delare`` är dagar sedan 1970-01-01.

    Saknat datum är ``_NAT``. En kolumn som redan är ``datetime64`` (utan tidszon) läses som
    heltal utan kopia; allt annat tolkas med ``pd.to_datetime``.
    """
    if isinstance(kolumn.dtype, np.dtype) and kolumn.dtype.kind == "M":
        enhet, antal = np.datetime_data(kolumn.dtype)
        per_dag = _ENHETER_PER_DAG.get(enhet, 0)
        if per_dag and per_dag % antal == 0:
            return kolumn.to_numpy().view(np.int64), per_dag // antal
    try:
        datum = pd.to_datetime(kolumn)
    except (ValueError, TypeError) as fel:
        raise ValueError(f"Kolumnen {namn!r} innehåller värden som inte är datum: {fel}") from None
    return datum.to_numpy(dtype="datetime64[D]").view(np.int64), 1


def _dagar_per_ar(ar: int) -> int:
    return 366 if (ar % 4 == 0 and (ar % 100 != 0 or ar % 400 == 0)) else 365


def _saknade_kolumner(tabell: pd.DataFrame, kolumner: Iterable[str], vad: str) -> None:
    saknas = [k for k in kolumner if k not in tabell.columns]
    if saknas:
        raise ValueError(f"{vad} saknar kolumnerna {saknas}; finns: {list(tabell.columns)}.")


def helarsekvivalenter(
    perioder: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    per: str | Sequence[str] = "ersattningsform",
    med_totalt: bool = True,
    omraknat_till_helar: bool = False,
) -> pd.DataFrame:
    """Helårsekvivalenter per ersättningsform (och totalt) för en rapportperiod.

    Varje dag i perioden som en ersättningsperiod täcker ger ``omfattning / d`` HÅE, där ``d`` är
    antalet dagar (365 eller 366) i det kalenderår dagen tillhör. För ett kalenderår blir det
    täckta dagar × omfattning / dagar i året; för kortare perioder blir det de helårspersoner som
    förbrukats *under perioden* (ett halvår med en heltidsarbetslös ger 0,5), vilket gör måttet
    additivt över disjunkta perioder. Beräkningen är vektoriserad och linjär i antalet rader: den
    går igenom raderna i block om 65 536 (så att mellanresultaten ligger i cachen) med en slinga
    per kalenderår i perioden, aldrig per rad, och summerar per grupp med ``np.bincount``.

    Parameters
    ----------
    perioder : DataFrame
        Kolumnerna ``person``, ``ersattningsform``, ``fran``, ``till`` (datum, båda ingår; saknat
        ``till`` betyder pågående), ``omfattning`` (0–1), valfritt ``kon``.
    period : Rapportperiod eller str
        Perioden att räkna för, t.ex. ``"2020"`` eller ``"2021-01..2021-08"``.
    per : str eller sekvens av str, standard ``"ersattningsform"``
        Kolumner att gruppera på, t.ex. ``["ersattningsform", "kon"]``.
    med_totalt : bool, standard True
        Lägg till summarader med ersättningsform ``"Totalt"`` (räknade här, ur delarna).
    omraknat_till_helar : bool, standard False
        Dela med periodens längd i år, så att en delårsperiod blir jämförbar med helår
        (genomsnittligt antal helårspersoner under perioden). Då är måttet inte längre additivt.

    Returns
    -------
    DataFrame
        Kolumnerna i ``per`` och ``hae``; en rad per grupp.

    Examples
    --------
    >>> perioder = pd.DataFrame({
    ...     "person": [1, 2, 3],
    ...     "ersattningsform": ["Arbetslöshet", "Arbetslöshet", "Sjukpenning"],
    ...     "fran": ["2021-01-01", "2021-07-02", "2021-01-01"],
    ...     "till": ["2021-07-01", "2021-12-31", "2021-12-31"],
    ...     "omfattning": [1.0, 1.0, 0.5],
    ... })
    >>> helarsekvivalenter(perioder, period="2021")
      ersattningsform  hae
    0    Arbetslöshet  1.0
    1     Sjukpenning  0.5
    2          Totalt  1.5
    """
    period = Rapportperiod.tolka(period)
    per = [per] if isinstance(per, str) else list(per)
    _saknade_kolumner(
        perioder, ["fran", "till", "omfattning", *per], "Tabellen med ersättningsperioder"
    )

    fran, fran_delare = _som_tidsvarden(perioder["fran"], "fran")
    till, till_delare = _som_tidsvarden(perioder["till"], "till")
    omfattning = perioder["omfattning"]
    if isinstance(omfattning.dtype, np.dtype) and omfattning.dtype == np.float64:
        omfattning = omfattning.to_numpy()
    else:
        omfattning = pd.to_numeric(omfattning, errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )

    # Varje kalenderår i perioden: (första dagen, sista dagen, dagar i året).
    ar_i_perioden = [
        (
            _dagnummer(max(period.start, dt.date(ar, 1, 1))),
            _dagnummer(min(period.slut, dt.date(ar, 12, 31))),
            _dagar_per_ar(ar),
        )
        for ar in range(period.start.year, period.slut.year + 1)
    ]
    langd_i_ar = _periodens_langd_i_ar(period) if omraknat_till_helar else None

    # Gruppkoder per kolumn (0..k-1, saknat värde en egen kod) och kombinerat antal grupper.
    koder = [_kolumnkoder(perioder[kolumn]) for kolumn in per]
    antal_kombinationer = int(np.prod([k for _, k in koder], dtype=object))
    blockvis = antal_kombinationer <= _MAX_GRUPPER_BLOCKVIS

    # HÅE räknas block för block så att alla temporära arrayer ligger i cachen. Med få grupper
    # summeras varje block direkt per grupp (np.bincount); annars sparas HÅE per rad.
    n = len(perioder)
    storlek = min(_BLOCK, max(n, 1))
    heltal = [np.empty(storlek, dtype=np.int64) for _ in range(4)]
    flyttal = [np.empty(storlek, dtype=np.float64) for _ in range(2)]
    if blockvis:
        summor = np.zeros(antal_kombinationer, dtype=np.float64)
        forsta = np.full(antal_kombinationer, -1, dtype=np.int64)
        alla_sedda = antal_kombinationer == 0
    else:
        hae_per_rad = np.empty(n, dtype=np.float64)
    for start in range(0, n, _BLOCK):
        slut = min(start + _BLOCK, n)
        m = slut - start
        fran_block, till_block, om = fran[start:slut], till[start:slut], omfattning[start:slut]
        if (fran_block == _NAT).any():
            _stoppa_felaktiga(fran, fran_delare, till, till_delare, omfattning)
        borjar = _dagar(fran_block, fran_delare, heltal[0][:m])
        slutar = _dagar(till_block, till_delare, heltal[1][:m])
        np.copyto(slutar, _PAGAENDE, where=till_block == _NAT)
        if not ((om >= 0) & (om <= 1)).all() or (slutar < borjar).any():
            _stoppa_felaktiga(fran, fran_delare, till, till_delare, omfattning)

        hae = flyttal[0][:m] if blockvis else hae_per_rad[start:slut]
        hae.fill(0.0)
        dagar, tmp, andel = heltal[2][:m], heltal[3][:m], flyttal[1][:m]
        for lag, hog, dagar_i_aret in ar_i_perioden:
            np.minimum(slutar, hog, out=dagar)
            dagar -= np.maximum(borjar, lag, out=tmp)
            dagar += 1
            np.maximum(dagar, 0, out=dagar)
            np.multiply(dagar, om, out=andel)
            andel /= dagar_i_aret
            hae += andel
        if langd_i_ar is not None:
            hae /= langd_i_ar

        if blockvis:
            kod = _blockkoder(koder, start, slut, heltal[2][:m])
            summor += np.bincount(kod, weights=hae, minlength=antal_kombinationer)
            if not alla_sedda:
                nya = (np.bincount(kod, minlength=antal_kombinationer) > 0) & (forsta < 0)
                if nya.any():
                    lokal = np.full(antal_kombinationer, m, dtype=np.int64)
                    np.minimum.at(lokal, kod, np.arange(m))
                    forsta[nya] = start + lokal[nya]
                    alla_sedda = bool((forsta >= 0).all())

    if not blockvis:
        kod, antal_kombinationer = _kombinerade_koder(koder, n)
        summor = np.bincount(kod, weights=hae_per_rad, minlength=antal_kombinationer)
        forsta = np.full(antal_kombinationer, n, dtype=np.int64)
        np.minimum.at(forsta, kod, np.arange(n))
        forsta[forsta == n] = -1

    # En rad per förekommande grupp (den första raden i gruppen, så att grupperingskolumnerna
    # behåller sina dtyper) med gruppens summa; groupby på den lilla tabellen ger samma ordning
    # (sort=True, saknade värden sist) och samma utdata som en groupby på alla rader.
    grupper = np.flatnonzero(forsta >= 0)
    ut = perioder[per].iloc[forsta[grupper]].assign(hae=summor[grupper])
    ut = ut.groupby(per, sort=True, dropna=False)["hae"].sum().reset_index()
    if med_totalt and "ersattningsform" in per:
        ovriga = [k for k in per if k != "ersattningsform"]
        if ovriga:
            summa = ut.groupby(ovriga, sort=True, dropna=False)["hae"].sum().reset_index()
        else:
            summa = pd.DataFrame({"hae": [ut["hae"].sum()]})
        summa["ersattningsform"] = TOTALT
        ut = pd.concat([ut, summa[per + ["hae"]]], ignore_index=True)
    return ut


def _periodens_langd_i_ar(period: Rapportperiod) -> float:
    langd = 0.0
    for ar in range(period.start.year, period.slut.year + 1):
        lag = max(period.start, dt.date(ar, 1, 1))
        hog = min(period.slut, dt.date(ar, 12, 31))
        langd += ((hog - lag).days + 1) / _dagar_per_ar(ar)
    return langd


def _dagar(varden: np.ndarray, delare: int, ut: np.ndarray) -> np.ndarray:
    """Dagnummer för ett block tidsvärden (golvdivision, som omvandling till ``datetime64[D]``)."""
    if delare == 1:
        np.copyto(ut, varden)
        return ut
    return np.floor_divide(varden, delare, out=ut)


def _stoppa_felaktiga(
    fran: np.ndarray,
    fran_delare: int,
    till: np.ndarray,
    till_delare: int,
    omfattning: np.ndarray,
) -> NoReturn:
    """Kasta felet för felaktiga ersättningsperioder (saknat fran, omfattning, till före fran)."""
    fran_saknas = fran == _NAT
    if fran_saknas.any():
        raise ValueError(f"{int(fran_saknas.sum())} ersättningsperioder saknar 'fran'-datum.")
    if np.isnan(omfattning).any() or (omfattning < 0).any() or (omfattning > 1).any():
        raise ValueError("Kolumnen 'omfattning' måste vara ett tal mellan 0 och 1 på varje rad.")
    borjar = fran // fran_delare
    slutar = np.where(till == _NAT, _PAGAENDE, till // till_delare)
    antal = int((slutar < borjar).sum())
    raise ValueError(f"{antal} ersättningsperioder slutar ('till') före de börjar ('fran').")


def _kolumnkoder(kolumn: pd.Series) -> tuple[np.ndarray, int]:
    """Heltalskoder 0..k-1 för en grupperingskolumn och k; saknat värde får en egen kod.

    Koderna anger bara vilka rader som hör ihop (samma likhet som ``groupby(dropna=False)``);
    ordningen mellan grupperna bestäms först i slutet. En kategorisk kolumn använder sina
    kategorikoder direkt (saknat värde får koden ``len(categories)``), en pyarrow-kolumn (t.ex.
    dtype ``str``) pyarrows ``dictionary_encode`` (som ``pd.factorize`` gör, men utan kopior).
    """
    if isinstance(kolumn.dtype, pd.CategoricalDtype):
        antal = len(kolumn.cat.categories)
        koder = kolumn.cat.codes.to_numpy().astype(np.intp)
        saknas = koder < 0
        if not saknas.any():
            return koder, antal
        koder[saknas] = antal
        return koder, antal + 1
    pil = _som_pyarrow(kolumn)
    if pil is not None:
        # Samma kodning som pd.factorize gör för pyarrow-kolumner, utan dess kopior till intp.
        kodade = pil.dictionary_encode(null_encoding="encode").combine_chunks()
        return kodade.indices.to_numpy(zero_copy_only=False), len(kodade.dictionary)
    koder, unika = pd.factorize(kolumn, use_na_sentinel=False)
    return koder.astype(np.intp, copy=False), len(unika)


def _som_pyarrow(kolumn: pd.Series) -> pa.ChunkedArray | None:
    """Kolumnens pyarrow-data utan kopia, om den är pyarrow-baserad (t.ex. dtype ``str``)."""
    if not isinstance(kolumn.array, pd.arrays.ArrowExtensionArray):
        return None
    pil = kolumn.array.__arrow_array__()
    if not isinstance(pil, pa.ChunkedArray) or pa.types.is_null(pil.type):
        return None
    if pa.types.is_dictionary(pil.type):
        return None
    return pil


def _blockkoder(koder: list[tuple[np.ndarray, int]], start: int, slut: int, ut: np.ndarray):
    """Kombinerad gruppkod för raderna start..slut (blandad bas: k1 * k2 * ... grupper)."""
    if not koder:
        ut.fill(0)
        return ut
    if len(koder) == 1:
        return koder[0][0][start:slut]
    np.copyto(ut, koder[0][0][start:slut])
    for kolumnkoder, antal in koder[1:]:
        ut *= antal
        ut += kolumnkoder[start:slut]
    return ut


def _kombinerade_koder(koder: list[tuple[np.ndarray, int]], n: int) -> tuple[np.ndarray, int]:
    """Kombinerad gruppkod för alla rader; komprimeras när kombinationerna blir för många."""
    grans = max(4 * n, 1 << 16)
    kod = np.zeros(n, dtype=np.intp)
    antal = 1
    for kolumnkoder, k in koder:
        if antal * k > grans:
            kod, unika = pd.factorize(kod)
            antal = len(unika)
        kod = kod * k + kolumnkoder
        antal *= k
    if antal > grans:
        kod, unika = pd.factorize(kod)
        antal = len(unika)
    return kod, antal


def andel_av_befolkning(hae, folkmangd) -> float:
    """Andel av befolkningen 20–64 år som försörjs av ersättningar: summa HÅE / summa folkmängd.

    För flera regioner summeras HÅE och folkmängd var för sig innan divisionen; andelarna
    medelvärdesbildas aldrig.

    Parameters
    ----------
    hae : tal eller sekvens av tal
        Helårsekvivalenter (en per region, eller ett tal).
    folkmangd : tal eller sekvens av tal
        Folkmängd 20–64 år (i samma ordning som ``hae``).

    Returns
    -------
    float
        Bråk 0–1.

    Examples
    --------
    >>> round(andel_av_befolkning(13_451, 88_586), 3)
    0.152
    >>> round(andel_av_befolkning([354, 745], [2_204, 5_229]), 4)  # inte (16,1 + 14,2) / 2
    0.1479
    """
    hae_summa = float(np.sum(np.asarray(hae, dtype=np.float64)))
    folk = np.asarray(folkmangd, dtype=np.float64)
    if np.ndim(hae) != np.ndim(folkmangd) or np.size(hae) != np.size(folkmangd):
        raise ValueError("'hae' och 'folkmangd' måste ha lika många värden.")
    folk_summa = float(np.sum(folk))
    if folk_summa <= 0:
        raise ValueError("Folkmängden måste vara större än noll.")
    return hae_summa / folk_summa


def _utan_summarader(tabell: pd.DataFrame) -> pd.DataFrame:
    """Ta bort publicerade summarader och identiska dubbletter; stoppa motstridiga dubbletter.

    Samma region och år kan vara transkriberad ur flera tabeller i en rapport (t.ex. Västerås
    2020 både i "Helårsekvivalenter" och i "Länets kommuner 2020"). Identiska rader räknas en
    gång; olika värden för samma region, år, form och kön är ett fel som användaren måste lösa
    genom att välja källtabell.
    """
    data = tabell[tabell["ersattningsform"] != TOTALT]
    nyckel = [k for k in ("region", "ar", "manad", "ersattningsform", "kon") if k in data.columns]
    varden = [k for k in ("hae", "folkmangd_20_64") if k in data.columns]
    if not nyckel:
        return data
    data = data.drop_duplicates(subset=nyckel + varden)
    dubbletter = data[data.duplicated(subset=nyckel, keep=False)]
    if len(dubbletter):
        exempel = dubbletter[nyckel].drop_duplicates().head(3).to_dict("records")
        kallor = ""
        if "kalltabell" in dubbletter.columns:
            kallor = f" Källtabeller: {sorted(map(str, dubbletter['kalltabell'].unique()))}."
        raise ValueError(
            "HÅE-tabellen har samma region, år, ersättningsform och kön med olika värden, "
            f"t.ex. {exempel}.{kallor} Välj en källa (filtrera på 'kalltabell') först."
        )
    return data


def befolkningsandelar(
    tabell: pd.DataFrame,
    *,
    per: str | Sequence[str] = ("region", "ar"),
) -> pd.DataFrame:
    """Summa HÅE, folkmängd 20–64 och andel per grupp ur ett SCB-liknande aggregat.

    HÅE summeras över ersättningsformerna (rader med ersättningsform ``"Totalt"`` ignoreras) och
    över regionerna i gruppen; folkmängden tas en gång per region och år och summeras över
    regionerna. Med ``per=("ar",)`` på länets kommuner blir det länets andel räknad rätt:
    summan av HÅE delad med summan av folkmängden. Endast rader med ``kon == "Totalt"`` används
    om kolumnen ``kon`` finns (folkmängden gäller båda könen).

    Parameters
    ----------
    tabell : DataFrame
        Kolumnerna ``region``, ``ar``, ``ersattningsform``, ``hae``, ``folkmangd_20_64``
        (valfritt ``kon``). Filtrera fram de regioner som ska ingå innan anropet.
    per : str eller sekvens av str, standard ``("region", "ar")``
        Grupperingskolumner; kan innehålla ``ersattningsform`` för andel per form.

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``hae``, ``folkmangd_20_64`` och ``andel`` (bråk).

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "region": ["Norberg", "Norberg", "Sala", "Sala"],
    ...     "ar": [2020] * 4,
    ...     "ersattningsform": ["Sjukpenning", "Totalt", "Sjukpenning", "Totalt"],
    ...     "hae": [80, 80, 314, 314],
    ...     "folkmangd_20_64": [2_890, 2_890, 12_068, 12_068],
    ... })
    >>> befolkningsandelar(t, per="ar").round(4)
         ar    hae  folkmangd_20_64   andel
    0  2020  394.0          14958.0  0.0263
    """
    per = [per] if isinstance(per, str) else list(per)
    _saknade_kolumner(
        tabell,
        ["region", "ar", "ersattningsform", "hae", "folkmangd_20_64", *per],
        "HÅE-tabellen",
    )
    if "kon" in tabell.columns:
        tabell = tabell[tabell["kon"] == TOTALT]
    data = _utan_summarader(tabell)
    if data.empty:
        raise ValueError("HÅE-tabellen har inga rader att räkna på (utom summarader).")
    folk_per_region = data.groupby(["region", "ar"])["folkmangd_20_64"].nunique(dropna=False)
    if (folk_per_region > 1).any():
        fel = folk_per_region[folk_per_region > 1].index.tolist()
        raise ValueError(f"Olika folkmängd för samma region och år: {fel}.")
    hae = data.groupby(per, sort=True)["hae"].sum().astype(np.float64)
    folk = (
        data.drop_duplicates(subset=list(dict.fromkeys([*per, "region", "ar"])))
        .groupby(per, sort=True)["folkmangd_20_64"]
        .sum()
        .astype(np.float64)
    )
    ut = pd.DataFrame({"hae": hae, "folkmangd_20_64": folk})
    ut["andel"] = ut["hae"] / ut["folkmangd_20_64"]
    return ut.reset_index()


def _grupper(tabell: pd.DataFrame, per: str | Sequence[str] | None, forval: Sequence[str]):
    if per is None:
        return [k for k in forval if k in tabell.columns]
    return [per] if isinstance(per, str) else list(per)


def konsfordelning(
    tabell: pd.DataFrame,
    *,
    per: str | Sequence[str] | None = None,
    med_totalt: bool = True,
) -> pd.DataFrame:
    """Andel kvinnor och män inom varje ersättningsform.

    Nämnaren är kvinnor + män (publicerade ``kon == "Totalt"``-rader och
    ``ersattningsform == "Totalt"``-rader används inte). Summaraden ``"Totalt"`` räknas om ur
    formerna.

    Parameters
    ----------
    tabell : DataFrame
        Kolumnerna ``ersattningsform``, ``kon`` (``Kvinnor``/``Män``), ``hae``.
    per : str eller sekvens av str, valfri
        Extra grupperingskolumner; standard de av ``region`` och ``ar`` som finns.
    med_totalt : bool, standard True
        Lägg till raden ``"Totalt"`` (alla former sammanlagda).

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``ersattningsform``, ``kon``, ``hae``, ``namnare``, ``andel``.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "ersattningsform": ["Sjukpenning"] * 3,
    ...     "kon": ["Kvinnor", "Män", "Totalt"],
    ...     "hae": [95_746, 54_410, 150_156],
    ... })
    >>> konsfordelning(t, med_totalt=False).round(3)
      ersattningsform      kon      hae   namnare  andel
    0     Sjukpenning  Kvinnor  95746.0  150156.0  0.638
    1     Sjukpenning      Män  54410.0  150156.0  0.362
    """
    per = _grupper(tabell, per, ("region", "ar"))
    _saknade_kolumner(tabell, ["ersattningsform", "kon", "hae", *per], "HÅE-tabellen")
    data = _utan_summarader(tabell[tabell["kon"].isin(_KONEN)])
    nycklar = [*per, "ersattningsform", "kon"]
    ut = data.groupby(nycklar, sort=False)["hae"].sum().astype(np.float64).reset_index()
    if med_totalt:
        summa = ut.groupby([*per, "kon"], sort=False)["hae"].sum().reset_index()
        summa["ersattningsform"] = TOTALT
        ut = pd.concat([ut, summa[nycklar + ["hae"]]], ignore_index=True)
    ut["namnare"] = ut.groupby([*per, "ersattningsform"], sort=False)["hae"].transform("sum")
    ut["andel"] = ut["hae"] / ut["namnare"]
    return ut


def forandring_mellan_ar(
    tabell: pd.DataFrame,
    *,
    fran: int,
    till: int,
    per: str | Sequence[str] | None = None,
    med_totalt: bool = True,
) -> pd.DataFrame:
    """Relativ förändring av HÅE per ersättningsform mellan två år.

    ``forandring = (hae_till - hae_fran) / hae_fran`` (bråk; 0,55 = +55 %). Publicerade
    summarader (``"Totalt"``) ignoreras; summan räknas om ur formerna.

    Parameters
    ----------
    tabell : DataFrame
        Kolumnerna ``ar``, ``ersattningsform``, ``hae`` (och grupperingskolumnerna).
    fran, till : int
        Jämförelseår och år.
    per : str eller sekvens av str, valfri
        Grupperingskolumner; standard de av ``region`` och ``kon`` som finns.
    med_totalt : bool, standard True
        Lägg till raden ``"Totalt"``.

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``ersattningsform``, ``hae_fran``, ``hae_till``, ``forandring``.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "region": ["Riket"] * 2, "ar": [2019, 2020],
    ...     "ersattningsform": ["Arbetslöshet"] * 2, "hae": [80_101, 124_182],
    ... })
    >>> forandring_mellan_ar(t, fran=2019, till=2020, med_totalt=False).round(3)
      region ersattningsform  hae_fran  hae_till  forandring
    0  Riket    Arbetslöshet   80101.0  124182.0        0.55
    """
    per = _grupper(tabell, per, ("region", "kon"))
    _saknade_kolumner(tabell, ["ar", "ersattningsform", "hae", *per], "HÅE-tabellen")
    data = _utan_summarader(tabell)
    ar = pd.to_numeric(data["ar"])
    nycklar = [*per, "ersattningsform"]
    delar = {}
    for namn, aret in (("hae_fran", fran), ("hae_till", till)):
        urval = data[ar == aret]
        if urval.empty:
            raise ValueError(f"HÅE-tabellen har inga rader för år {aret}.")
        delar[namn] = urval.groupby(nycklar, sort=False)["hae"].sum().astype(np.float64)
    ut = pd.concat(delar, axis=1).reset_index()
    if med_totalt:
        if per:
            summa = ut.groupby(per, sort=False)[["hae_fran", "hae_till"]].sum(min_count=1)
            summa = summa.reset_index()
        else:
            summa = ut[["hae_fran", "hae_till"]].sum(min_count=1).to_frame().T
        summa["ersattningsform"] = TOTALT
        ut = pd.concat([ut, summa[ut.columns]], ignore_index=True)
    ut["forandring"] = (ut["hae_till"] - ut["hae_fran"]) / ut["hae_fran"]
    return ut
