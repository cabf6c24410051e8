"""Sektionerna Deltagare och flöden, och Bakgrund (tabellmodellen: omaskat innehåll).

Var varje tal räknas:

* flödet (deltagit, nya, avslut, fullföljda, avbrutna, aktiva):
  :func:`finsam_analys.matt.deltagarfloden.deltagarflode_fran_antal` på räknetabellen
  ``deltagarantal`` (dimension ``status``; deltagarrader räknas dit av
  :func:`~finsam_analys.matt.deltagarfloden.deltagarantal`), annars
  :func:`~finsam_analys.matt.deltagarfloden.deltagarflode_fran_nyckeltal` på publicerade antal
  (``antal_deltagare``, ``antal_avslutade`` = fullföljda …). Saknade led härleds ur flödets
  identiteter, som också är samband för sekretessen;
* fördelningar (kön, ålder, kommun, remittent, försörjning, tid i försörjning):
  :func:`finsam_analys.matt.deltagarfloden.fordelning_fran_antal`;
* ansökningar per remittent och inriktning, försörjning före -> efter:
  :func:`finsam_analys.matt.andelar.korstabell`;
* tider och ålder: räknetabellen ``tider`` (:func:`~finsam_analys.matt.deltagarfloden.
  genomstromningstid`, :func:`~finsam_analys.matt.deltagarfloden.snittalder` per insats).

Storheterna följer ``docs/arkitektur.md``: ``deltagit``, ``nya``, ``aktiva_vid_start``,
``aktiva_vid_slut`` och ``avslut`` (``avslutstyp=Fullföljd``/``Avbruten``), med ``insats=…``
per insats; fördelningarnas delar har dimensionen som villkor (``deltagit[2019; kon=Kvinna]``),
ansökningarna är ``remisser``. Sektionerna maskar inget: det gör rapportens kontrollpunkt.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.matt.andelar import korstabell
from finsam_analys.matt.deltagarfloden import (
    BAKGRUNDSDIMENSIONER,
    FLODESLED,
    NYCKELTALENS_FLODESLED,
    deltagarflode_fran_antal,
    deltagarflode_fran_nyckeltal,
    fordelning_fran_antal,
)
from finsam_analys.matt.rakning import Rakning, rakna, utan_summarader
from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import (
    Sektion,
    flodesstorhet,
    forenlig,
    jamforelseperiod,
)
from finsam_analys.tabell import (
    Cell,
    Diagram,
    Harledd,
    Kolumn,
    Kvot,
    Mening,
    Relation,
    Storhet,
    Stycke,
    Tabell,
    Varde,
)

__all__ = [
    "DIMENSIONSNAMN",
    "FLODESNAMN",
    "KATEGORINAMN",
    "flode",
    "flodets_relationer",
    "rakningens_antal",
    "sektion_bakgrund",
    "sektion_deltagare_och_floden",
    "uppfoljning_finsam",
]

FLODESNAMN = {
    "aktiva_vid_start": "Aktiva vid periodens början",
    "nya": "Nya under perioden",
    "deltagit": "Deltagit under perioden",
    "avslutade": "Avslut under perioden (fullföljda och avbrutna)",
    "fullfoljda": "varav fullföljda",
    "avbrutna": "varav avbrutna",
    "aktiva_vid_slut": "Aktiva vid periodens slut",
}
_KOLUMNNAMN = {
    **FLODESNAMN,
    "avslutade": "Avslut (fullföljda och avbrutna)",
    "fullfoljda": "Fullföljda",
    "avbrutna": "Avbrutna",
}
"""Ledens namn som kolumnrubriker i flödet per insats (där "varav" inte passar)."""
_IDENTITETER = (
    ("deltagit", ("aktiva_vid_start", "nya")),
    ("deltagit", ("avslutade", "aktiva_vid_slut")),
    ("avslutade", ("fullfoljda", "avbrutna")),
)
DIMENSIONSNAMN = {
    "kon": "Kön",
    "aldersgrupp": "Ålder vid inskrivning",
    "folkbokforingskommun": "Folkbokföringskommun",
    "remittent": "Remittent",
    "forsorjning_in": "Försörjning vid inskrivning",
    "forsorjningsgivare_in": "Försörjning vid inskrivning (vem som betalar)",
    "forsorjningsgrupp_in": "Försörjning vid inskrivning (grupp)",
    "tid_offentlig_forsorjning": "Tid i offentlig försörjning före inskrivning",
    "forsorjning_ut": "Försörjning vid avslut",
    "forsorjningsgivare_ut": "Försörjning vid avslut (vem som betalar)",
    "insats": "Insats",
    "inriktning": "Inriktning",
}
_FIGURDIMENSIONER = frozenset({"aldersgrupp"})
"""Bakgrundsfördelningar som också visas som figur (övriga bara som tabell); försörjning före
och efter har en egen figur."""
_POPULATION = {
    **dict(BAKGRUNDSDIMENSIONER),
    "forsorjningsgivare_ut": "avslutade",
    "forsorjningsgrupp_ut": "avslutade",
}
"""Vilket led i flödet en fördelning avser (standard: deltagit)."""
KATEGORINAMN = {
    "Kvinna": "Kvinnor",
    "Man": "Män",
    "AF": "Arbetsförmedlingen",
    "FK": "Försäkringskassan",
    "Kommun": "Kommunen (socialtjänsten)",
    "Region": "Regionen (hälso- och sjukvården)",
    "Annan": "Annan",
}
_TIDER = {
    "genomstromningstid_avslutade": ("Genomströmningstid, alla avslut", "månader"),
    "genomstromningstid_fullfoljda": ("Genomströmningstid, fullföljda", "månader"),
    "alder_vid_inskrivning": ("Ålder vid inskrivning", "år"),
    "tid_offentlig_forsorjning": ("Tid i offentlig försörjning före inskrivning", "år"),
}
_PUBLICERADE_TIDER = {
    "genomstromningstid": ("Genomströmningstid (publicerad)", "månader"),
    "tid_i_bidragsberoende": ("Tid i bidragsberoende före inskrivning (publicerad)", "år"),
    "snittalder_avslutade": ("Medelålder, avslutade (publicerad)", "år"),
    "medelalder_inskrivna": ("Medelålder, inskrivna (publicerad)", "år"),
}


# ------------------------------------------------------------------------------- flödet


def _flodet_per_insats(rakning: Rakning) -> tuple[pd.DataFrame, bool]:
    """Flödet per insats ur biblioteket (led × insats) och om det är publicerade nyckeltal."""
    if rakning.har("deltagarantal"):
        d = rakning.tabell("deltagarantal")
        status = d[(d["dimension"] == "status").to_numpy(dtype=bool, na_value=False)]
        if len(status):
            status = utan_summarader(status, "insats").assign(insats=_insatser(status))
            return deltagarflode_fran_antal(status, per="insats"), False
    if rakning.har("nyckeltal_publicerade"):
        n = rakning.tabell("nyckeltal_publicerade")
        n = n.assign(insats=_insatser(n))
        lang = deltagarflode_fran_nyckeltal(n, per="insats")
        # Publicerade antal avser ibland olika tidsspann (avslut t.o.m. november, deltagit hela
        # året): bara avslut = fullföljda + avbrutna härleds, inga aktiva vid periodens slut.
        givna = set(zip(n["insats"], n["indikator"].map(NYCKELTALENS_FLODESLED), strict=True))
        behall = [(i, k) in givna or k == "avslutade" for i, k in zip(lang["insats"],
                                                                       lang["kategori"],
                                                                       strict=True)]  # fmt: skip
        return lang.assign(antal=lang["antal"].where(behall)), True
    return pd.DataFrame(columns=["insats", "dimension", "kategori", "antal"]), False


def _insatser(tabell: pd.DataFrame) -> pd.Series:
    if "insats" not in tabell.columns:
        return pd.Series("", index=tabell.index, dtype=object)
    return tabell["insats"].astype(object).where(tabell["insats"].notna(), "").astype(str)


def flode(rakning: Rakning) -> pd.DataFrame:
    """Deltagarflödet per insats (kolumner) och led (rader, ordning enligt :data:`FLODESNAMN`).

    Kolumnen ``Totalt`` är hela förbundet: insatsernas summa, eller den enda insatsen. Led som
    underlaget inte anger och som inte kan härledas saknas (NaN). Publicerade antal för flera
    insatser avser ofta olika tidsperioder och summeras inte (ingen ``Totalt``).

    Examples
    --------
    SOT Västerås 2019: 127 deltog, 55 avslutade (fullföljde) och 25 avbröt.

    >>> n = pd.DataFrame({"period": "2019", "insats": "SOT",
    ...                   "indikator": ["antal_deltagare", "antal_avslutade", "antal_avbrutna"],
    ...                   "varde": [127, 55, 25], "enhet": "antal"})
    >>> f = flode(Rakning(Rapportperiod.tolka("2019"), {"nyckeltal_publicerade": n}))
    >>> f.loc[["deltagit", "avslutade", "fullfoljda", "avbrutna"], "Totalt"].tolist()
    [127.0, 80.0, 55.0, 25.0]
    """
    return _flode(rakning)[0]


def _flode(rakning: Rakning) -> tuple[pd.DataFrame, bool, bool]:
    """Flödet (som :func:`flode`), om ``Totalt`` är insatsernas summa och om det är publicerat.

    Räknas en gång per räkning (flera sektioner och nycklarnas kontroll läser det).
    """
    tabell, summerad, publicerade = rakning.harledd("rapport_flode", _berakna_flode)
    return tabell.copy(), summerad, publicerade


def _berakna_flode(rakning: Rakning) -> tuple[pd.DataFrame, bool, bool]:
    lang, publicerade = _flodet_per_insats(rakning)
    if not len(lang):
        return pd.DataFrame(index=pd.Index(list(FLODESNAMN), name="led")), False, False
    tabell = (
        lang.assign(antal=pd.to_numeric(lang["antal"]).astype("float64"))
        .set_index(["kategori", "insats"])["antal"]
        .unstack("insats")
        .reindex(list(FLODESLED))
        .dropna(how="all")
    )
    tabell.columns = [str(k) for k in tabell.columns]
    kolumner = [k for k in tabell.columns if k != ""]
    summerad = False
    if "" in tabell.columns:
        tabell = tabell.rename(columns={"": TOTALT})
    elif len(kolumner) == 1:
        tabell = tabell.rename(columns={kolumner[0]: TOTALT})
    elif not publicerade:
        tabell[TOTALT] = tabell[kolumner].sum(axis=1, min_count=len(kolumner))
        summerad = True
        if tabell[TOTALT].isna().all():
            tabell, summerad = tabell.drop(columns=TOTALT), False
    tabell.index.name = "led"
    return tabell, summerad, publicerade


def _avslutssummor(rakning: Rakning) -> dict[Storhet, float]:
    """Avslutstabellens fullföljda och avbrutna, totalt och per insats (storhet -> antal)."""
    if not rakning.har("avslut"):
        return {}
    data = utan_summarader(rakning.tabell("avslut"), "insats", "utfall")
    typ = data["avslutstyp"] if "avslutstyp" in data.columns else pd.Series("", index=data.index)
    avbruten = (typ.astype(object) == "Avbruten").to_numpy(dtype=bool)
    antal = pd.to_numeric(data["antal"]).astype("float64").fillna(0).to_numpy()
    insats = _insatser(data).to_numpy(dtype=object)
    p = rakning.period
    ut: dict[Storhet, float] = {}
    for namn, urval in [("", np.ones(len(data), dtype=bool))] + [
        (i, insats == i) for i in dict.fromkeys(insats) if i
    ]:
        villkor = {"insats": namn} if namn else {}
        ut[flodesstorhet("fullfoljda", p, **villkor)] = float(antal[urval & ~avbruten].sum())
        if avbruten.any():
            ut[flodesstorhet("avbrutna", p, **villkor)] = float(antal[urval & avbruten].sum())
            ut[flodesstorhet("avslutade", p, **villkor)] = float(antal[urval].sum())
    return ut


def _flodets_antal(rakning: Rakning, kanda: Mapping[Storhet, float]) -> dict[Storhet, Any]:
    """Flödets värden per storhet (led, insats), med egen nyckel där avslutstabellen avviker."""
    f = flode(rakning)
    ut: dict[Storhet, Any] = {}
    for insats in f.columns:
        villkor = {} if insats == TOTALT else {"insats": insats}
        for led in f.index:
            v = f.loc[led, insats]
            if not pd.isna(v):
                s = flodesstorhet(led, rakning.period, **villkor)
                ut[forenlig(s, v, kanda, kalla="flode")] = int(v)
    return ut


def rakningens_antal(rakning: Rakning) -> dict[Storhet, float]:
    """Periodens kända antal: avslutstabellens summor och flödet (storhet -> antal).

    Sektionerna jämför sina helheter med dessa (:func:`~finsam_analys.rapport.gemensamt.
    forenlig`), så att samma storhet aldrig får två värden i en rapport.
    """

    def berakna(rak: Rakning) -> dict[Storhet, float]:
        avslut = _avslutssummor(rak)
        return {**_flodets_antal(rak, avslut), **avslut}

    return dict(rakning.harledd("rapport_kanda_antal", berakna))


def flodets_relationer(storheter: Mapping[str, Storhet]) -> list[Relation]:
    """Flödets identiteter mellan ledens storheter (bara de vars alla led finns).

    Examples
    --------
    >>> s = {led: flodesstorhet(led, "2019") for led in ("deltagit", "avslutade",
    ...                                                    "fullfoljda", "avbrutna")}
    >>> [str(r.termer[0][1]) for r in flodets_relationer(s)]
    ['avslut[2019]']
    """
    return [
        Relation.summa(storheter[summa], [storheter[d] for d in delar])
        for summa, delar in _IDENTITETER
        if summa in storheter and all(d in storheter for d in delar)
    ]


def _ledens_storheter(
    f: pd.DataFrame, kolumn: str, period: Any, kanda: Mapping[Storhet, float]
) -> dict[str, Storhet]:
    """Storheten för varje känt led i flödets kolumn (insats eller Totalt)."""
    villkor = {} if kolumn == TOTALT else {"insats": kolumn}
    ut = {}
    for led in f.index:
        v = f.loc[led, kolumn]
        if not pd.isna(v):
            ut[led] = forenlig(flodesstorhet(led, period, **villkor), v, kanda, kalla="flode")
    return ut


def _flodestabell(
    f: pd.DataFrame, jf: pd.DataFrame, period: Rapportperiod, jp: Rapportperiod, kanda, jkanda
) -> Tabell:
    """Hela förbundets flöde: en rad per led, perioden och jämförelseperioden med förändring."""
    leden = list(f.index)
    s = _ledens_storheter(f, TOTALT, period, kanda)
    jamfor = TOTALT in jf.columns and jf[TOTALT].notna().any()
    js = _ledens_storheter(jf, TOTALT, jp, jkanda) if jamfor else {}
    data: dict[str, list[Any]] = {"Deltagare": [FLODESNAMN[led] for led in leden]}
    refs: dict[str, list[Any]] = {"Deltagare": [None] * len(leden)}
    data[period.namn] = [_heltal(f.loc[led, TOTALT]) for led in leden]
    refs[period.namn] = [s.get(led) for led in leden]
    kolumner = [Kolumn("Deltagare"), Kolumn(period.namn, "antal")]
    antal = {s[led]: f.loc[led, TOTALT] for led in s}
    relationer = flodets_relationer(s)
    if jamfor:
        jv = [jf[TOTALT].get(led, np.nan) for led in leden]
        data[jp.namn] = [_heltal(v) for v in jv]
        refs[jp.namn] = [js.get(led) for led in leden]
        data["Förändring"] = [_heltal(a - b) for a, b in zip(f[TOTALT], jv, strict=True)]
        refs["Förändring"] = [
            Harledd.av(s[led], js[led]) if led in s and led in js else None for led in leden
        ]
        kolumner += [Kolumn(jp.namn, "antal"), Kolumn("Förändring", "antal")]
        antal.update({js[led]: jf.loc[led, TOTALT] for led in js})
        relationer += flodets_relationer(js)
    return Tabell(
        namn="deltagarflode",
        titel=f"Deltagarflöde, {period.namn}",
        data=pd.DataFrame(data, dtype=object),
        kolumner=tuple(kolumner),
        referenser=pd.DataFrame(refs, dtype=object),
        antal={k: int(v) for k, v in antal.items()},
        relationer=tuple(relationer),
        population="Deltaganden",
        period=period.namn,
        kalla="beraknad",
    )


def _heltal(v: Any) -> Any:
    return None if v is None or pd.isna(v) else int(v)


def _insatstabell(f: pd.DataFrame, period: Rapportperiod, kanda, *, summerad: bool) -> Tabell:
    """Flödet per insats: en rad per insats och Totalt (summan av insatserna när ``summerad``)."""
    insatser = [k for k in f.columns if k != TOTALT]
    rader = insatser + ([TOTALT] if TOTALT in f.columns else [])
    leden = list(f.index)
    storheter = {k: _ledens_storheter(f, k, period, kanda) for k in rader}
    data: dict[str, list[Any]] = {"Insats": rader}
    refs: dict[str, list[Any]] = {"Insats": [None] * len(rader)}
    for led in leden:
        data[_KOLUMNNAMN[led]] = [_heltal(f.loc[led, k]) for k in rader]
        refs[_KOLUMNNAMN[led]] = [storheter[k].get(led) for k in rader]
    relationer = [r for k in rader for r in flodets_relationer(storheter[k])]
    if summerad:
        relationer += [
            Relation.summa(storheter[TOTALT][led], [storheter[k][led] for k in insatser])
            for led in storheter[TOTALT]
            if all(led in storheter[k] for k in insatser)
        ]
    return Tabell(
        namn="deltagarflode_per_insats",
        titel=f"Deltagarflöde per insats, {period.namn}",
        data=pd.DataFrame(data, dtype=object),
        kolumner=(Kolumn("Insats"), *(Kolumn(_KOLUMNNAMN[led], "antal") for led in leden)),
        referenser=pd.DataFrame(refs, dtype=object),
        antal={s: int(f.loc[led, k]) for k in rader for led, s in storheter[k].items()},
        relationer=tuple(relationer),
        population="Deltaganden",
        period=period.namn,
        summarader=(len(rader) - 1,) if TOTALT in rader else (),
    )


def _flodestext(f: pd.DataFrame, tabell: Tabell, period: Rapportperiod) -> list[Mening]:
    """Meningarna om flödet, med flödesorden som i källan (avslutade = fullföljda)."""
    kolumn = period.namn

    def cell(led: str) -> Cell:
        return Cell(tabell.namn, FLODESNAMN[led], kolumn)

    meningar = []
    if "deltagit" in f.index:
        meningar.append(
            Mening(
                "Under {period} deltog {n} deltaganden i insatserna.",
                {"n": cell("deltagit"), "period": period.namn},
                om_maskad="Antalet deltaganden under {period} visas inte av sekretesskäl.",
            )
        )
    if {"fullfoljda", "avbrutna"} <= set(f.index):
        meningar.append(
            Mening(
                "{fullfoljda} avslutade insatsen (fullföljde) och {avbrutna} avbröt den.",
                {"fullfoljda": cell("fullfoljda"), "avbrutna": cell("avbrutna")},
                om_maskad="Fördelningen på fullföljda och avbrutna avslut står i tabellen "
                "(antal som inte visas av sekretesskäl står som ..).",
            )
        )
    elif "fullfoljda" in f.index:
        meningar.append(
            Mening(
                "{n} avslutade insatsen (fullföljde).",
                {"n": cell("fullfoljda")},
                om_maskad="Hur många som fullföljde står i tabellen.",
            )
        )
    elif "avslutade" in f.index:
        meningar.append(
            Mening(
                "{n} deltaganden avslutades (fullföljda och avbrutna).",
                {"n": cell("avslutade")},
                om_maskad="Antalet avslut står i tabellen.",
            )
        )
    return meningar


def sektion_deltagare_och_floden(
    underlag: Any,
    period: Rapportperiod,
    *,
    jamforelse: Rapportperiod | None = None,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
    jamforelse_rakning: Rakning | None = None,
) -> Sektion:
    """Deltagarflödet under perioden (och jämförelseperioden), totalt och per insats.

    Omaskat; flödets identiteter (deltagit = aktiva vid början + nya = avslut + aktiva vid
    slut, avslut = fullföljda + avbrutna) är samband som sekretessens kontrollpunkt känner.
    """
    jp = jamforelseperiod(underlag, period, jamforelse)
    rak = rakning or rakna(underlag, period)
    jrak = jamforelse_rakning or rakna(underlag, jp)
    rubrik = "Deltagare och flöden"
    f, summerad, publicerade = _flode(rak)
    if f.empty:
        return Sektion(
            "deltagare",
            rubrik,
            saknas=f"Underlaget har inga deltagarantal för {period.namn} (deltagarrader, "
            "deltagarantal med status eller publicerade antal deltagare).",
        )
    kanda = rakningens_antal(rak)
    if TOTALT not in f.columns:
        return _flode_utan_summa(f, period, kanda, _kalltext(rak, publicerade))
    tabell = _flodestabell(f, flode(jrak), period, jp, kanda, rakningens_antal(jrak))
    anm = _kalltext(rak, publicerade)
    block: list[Any] = [Stycke((*_flodestext(f, tabell, period), anm)), tabell]
    nyckeltal: dict[str, Any] = {
        f"antal_{led}": Cell(tabell.namn, FLODESNAMN[led], period.namn) for led in f.index
    }
    if len([k for k in f.columns if k != TOTALT]) > 1:
        per_insats = _insatstabell(f, period, kanda, summerad=summerad)
        if "deltagit" in f.index:
            block.append(
                Diagram("staplar", per_insats.namn, x="Insats", y=_KOLUMNNAMN["deltagit"],
                        titel=f"Deltagit per insats, {period.namn}", enhet="antal",
                        alt="Liggande stapeldiagram: antal deltaganden per insats under "
                        "perioden.")
            )  # fmt: skip
        block.append(per_insats)
    return Sektion("deltagare", rubrik, innehall=tuple(block), nyckeltal=nyckeltal)


def _kalltext(rak: Rakning, publicerade: bool) -> str:
    """Vad antalen är och vilka led som är härledda ur flödets identiteter."""
    if rak.individniva.get("deltagarantal"):
        return ("Antalen är deltaganden (en person som deltagit i två insatser räknas två "
                "gånger, som i SUS).")  # fmt: skip
    if publicerade:
        return ("Antalen är underlagets publicerade antal; avslut under perioden är fullföljda "
                "och avbrutna tillsammans.")  # fmt: skip
    return ("Led som underlaget inte anger är räknade ur flödets identiteter: deltagit = aktiva "
            "vid periodens början + nya = avslut + aktiva vid periodens slut, och avslut = "
            "fullföljda + avbrutna.")  # fmt: skip


def _flode_utan_summa(f: pd.DataFrame, period: Rapportperiod, kanda, anm: str) -> Sektion:
    """Publicerade antal för flera insatser: en rad per insats, ingen summa."""
    tabell = _insatstabell(f, period, kanda, summerad=False)
    nyckeltal = {
        f"antal_{led}:{insats}": Cell(tabell.namn, insats, _KOLUMNNAMN[led])
        for insats in f.columns
        for led in f.index
        if not pd.isna(f.loc[led, insats])
    }
    text = Stycke(
        ("Underlaget redovisar antalen per insats, ibland för olika tidsperioder (se källan), "
         "så de summeras inte.", anm)
    )  # fmt: skip
    return Sektion(
        "deltagare", "Deltagare och flöden", innehall=(text, tabell), nyckeltal=nyckeltal
    )


# ----------------------------------------------------------------------------- bakgrund


def _fordelningar(rak: Rakning, kanda: Mapping[Storhet, float]) -> list[tuple[str, Tabell]]:
    """En fördelning (Tabell) per dimension i ``deltagarantal`` (utom status), i visningsordning."""
    if not rak.har("deltagarantal"):
        return []
    d = utan_summarader(rak.tabell("deltagarantal"), "insats")
    per_dimension = dict(iter(d.groupby("dimension", sort=False)))
    period = rak.period
    ut = []
    for dimension, namn in DIMENSIONSNAMN.items():
        if dimension not in per_dimension:
            continue
        a = fordelning_fran_antal(per_dimension[dimension], dimension=dimension)
        if not len(a) or a["antal"].sum() == 0:
            continue
        antal = pd.Series(a["antal"].to_numpy(), index=a["kategori"].tolist())
        led = _POPULATION.get(dimension, "deltagit")
        bas = forenlig(flodesstorhet(led, period), antal.sum(), kanda, kalla=dimension)
        tabell = Tabell.fordelning(
            antal,
            namn=f"bakgrund_{dimension}",
            titel=f"{namn}, {period.namn}",
            bas=bas,
            dimension=dimension,
            kategorirubrik=namn,
            etiketter=KATEGORINAMN,
            population="Avslutade" if led == "avslutade" else "Deltagare",
            period=period.namn,
        )
        ut.append((dimension, tabell))
    return ut


def _remisser(rak: Rakning) -> list[Tabell]:
    """Ansökningar per remittent och inriktning (korstabell) och per remittent (fördelning)."""
    if not rak.har("remisser"):
        return []
    r = utan_summarader(rak.tabell("remisser"), "remittent", "inriktning", "insats")
    kors = korstabell(r, rader="remittent", kolumner="inriktning")
    bas = Storhet.av("remisser", rak.period)
    p = rak.period.namn
    gemensamt = {"bas": bas, "etiketter": KATEGORINAMN, "population": "Ansökningar", "period": p}
    return [
        Tabell.korstabell(kors, namn="ansokningar_per_remittent_och_inriktning",
                          titel=f"Ansökningar per remittent och inriktning, {p}",
                          rad_dimension="remittent", kolumn_dimension="inriktning",
                          radrubrik="Remittent", **gemensamt),
        Tabell.fordelning(kors.sum(axis=1), namn="ansokningar_per_remittent",
                          titel=f"Ansökningar per remittent, {p}", dimension="remittent",
                          kategorirubrik="Remittent", **gemensamt),
    ]  # fmt: skip


def _forsorjningsgrupp(former: pd.Series) -> pd.Series:
    from finsam_analys.indata.kodlistor import FORSORJNINGSGRUPPER

    grupp = {form: g for g, lista in FORSORJNINGSGRUPPER.items() for form in lista}
    return former.map(lambda x: grupp.get(x, x))


def _forsorjning(rak: Rakning, kanda: Mapping[Storhet, float]) -> list[Any]:
    """Försörjningsgrupp före -> efter (korstabell) och före och efter sida vid sida, med figur."""
    if not rak.har("forsorjning"):
        return []
    from finsam_analys.indata.kodlistor import FORSORJNINGSGRUPPER

    f = rak.tabell("forsorjning")
    f = f.assign(
        forsorjning_in=_forsorjningsgrupp(f["forsorjning_in"]),
        forsorjning_ut=_forsorjningsgrupp(f["forsorjning_ut"]),
    )
    kors = korstabell(f, rader="forsorjning_in", kolumner="forsorjning_ut")
    ordning = [g for g in FORSORJNINGSGRUPPER if g in set(kors.index) | set(kors.columns)]
    ordning += sorted((set(kors.index) | set(kors.columns)) - set(ordning))
    kors = kors.reindex(index=[g for g in ordning if g in kors.index],
                        columns=[g for g in ordning if g in kors.columns])  # fmt: skip
    p = rak.period
    bas = forenlig(flodesstorhet("avslutade", p), kors.to_numpy().sum(), kanda, kalla="forsorjning")
    overgang = Tabell.korstabell(
        kors, namn="forsorjning_fore_och_efter",
        titel=f"Försörjning före och efter (avslutade), {p.namn}", bas=bas,
        rad_dimension="forsorjningsgrupp_in", kolumn_dimension="forsorjningsgrupp_ut",
        radrubrik="Före (vid inskrivning)", population="Avslutade", period=p.namn,
    )  # fmt: skip
    sida = _fore_och_efter(
        kors.sum(axis=1).reindex(ordning, fill_value=0),
        kors.sum(axis=0).reindex(ordning, fill_value=0),
        bas=bas,
        period=p,
    )
    figur = Diagram(
        "grupperade_staplar", sida.namn, x="Försörjning",
        grupper=("Andel vid inskrivning", "Andel vid avslut"),
        titel=f"Försörjning före och efter, avslutade {p.namn}",
        alt="Grupperat stapeldiagram: andel av de avslutade per försörjningsgrupp vid "
        "inskrivning och vid avslut.",
    )  # fmt: skip
    return [overgang, figur, sida]


def _fore_och_efter(fore: pd.Series, efter: pd.Series, *, bas: Storhet, period) -> Tabell:
    """Två fördelningar av samma avslutade sida vid sida (vid inskrivning och vid avslut)."""
    data, refs, antal_, relationer = [], [], {}, ()
    for antal, dimension, namn in (
        (fore, "forsorjningsgrupp_in", "vid inskrivning"),
        (efter, "forsorjningsgrupp_ut", "vid avslut"),
    ):
        t = Tabell.fordelning(antal, namn="x", titel="x", bas=bas, dimension=dimension,
                              kategorirubrik="Försörjning")  # fmt: skip
        nya = {"Antal": f"Antal {namn}", "Andel": f"Andel {namn}"}
        data.append(t.data.rename(columns=nya).iloc[:, 0 if not data else 1 :])
        refs.append(t.referenser.rename(columns=nya).iloc[:, 0 if not refs else 1 :])
        antal_.update(t.antal)
        relationer += t.relationer
    data_, refs_ = pd.concat(data, axis=1), pd.concat(refs, axis=1)
    kolumner = (Kolumn("Försörjning"),) + tuple(
        Kolumn(n, "antal" if n.startswith("Antal") else "andel", delar_av_helhet=True)
        for n in data_.columns[1:]
    )
    return Tabell(
        namn="forsorjningsgrupp_vid_inskrivning_och_avslut",
        titel=f"Försörjningsgrupp vid inskrivning och vid avslut, {period.namn}",
        data=data_,
        kolumner=kolumner,
        referenser=refs_,
        antal=antal_,
        relationer=relationer,
        population="Avslutade",
        period=period.namn,
        summarader=(len(data_) - 1,),
    )


def _tider(rak: Rakning, kanda: Mapping[Storhet, float]) -> Tabell | None:
    """Tider och ålder: medel och median med n (deltagarrader) och publicerade värden."""
    rader: list[tuple[str, Any, Any, str, Any, Storhet | None]] = []
    antal: dict[Storhet, float] = {}
    p = rak.period
    if rak.har("tider"):
        t = rak.tabell("tider")
        for r in t[t["insats"] == TOTALT].to_dict("records"):
            if r["indikator"] in _TIDER and r["n"] > 0:
                namn, enhet = _TIDER[r["indikator"]]
                n = _tidens_namnare(r["indikator"], r["n"], p, kanda)
                antal[n] = int(r["n"])
                rader.append((namn, r["medel"], r["median"], enhet, int(r["n"]), n))
    if rak.har("nyckeltal_publicerade"):
        pub = rak.tabell("nyckeltal_publicerade")
        for r in pub[pub["indikator"].isin(list(_PUBLICERADE_TIDER))].to_dict("records"):
            namn, enhet = _PUBLICERADE_TIDER[r["indikator"]]
            rader.append((namn, float(r["varde"]), np.nan, enhet, None, None))
    if not rader:
        return None
    kvot = [Kvot(n) if n is not None else None for *_, n in rader]
    return Tabell(
        namn="tider_och_alder",
        titel=f"Tider och ålder, {p.namn}",
        data=pd.DataFrame(
            [r[:5] for r in rader], columns=["Mått", "Medel", "Median", "Enhet", "n"]
        ).astype({"Mått": object, "Enhet": object, "n": object}),
        kolumner=(
            Kolumn("Mått"),
            Kolumn("Medel", "tal", 2),
            Kolumn("Median", "tal", 2),
            Kolumn("Enhet"),
            Kolumn("n", "antal"),
        ),  # fmt: skip
        referenser=pd.DataFrame(
            {
                "Mått": [None] * len(rader),
                "Medel": kvot,
                "Median": kvot,
                "Enhet": [None] * len(rader),
                "n": [n for *_, n in rader],
            },
            dtype=object,
        ),  # fmt: skip
        antal=antal,
    )


def _tidens_namnare(indikator: str, n: float, period: Any, kanda: Mapping[Storhet, float]):
    """Storheten för de n personer ett medelvärde bygger på (flödets led om det är samma antal)."""
    led = {
        "genomstromningstid_avslutade": "avslutade",
        "genomstromningstid_fullfoljda": "fullfoljda",
    }.get(indikator, "deltagit")
    s = flodesstorhet(led, period)
    if s in kanda and math.isclose(float(kanda[s]), float(n)):
        return s
    return s.med(uppgift=indikator)


def _bakgrundsnyckeltal(
    fordelningar: Sequence[tuple[str, Tabell]], remisser: Sequence[Tabell], tider: Tabell | None
) -> dict[str, Any]:
    nyckeltal: dict[str, Any] = {}
    for dimension, t in fordelningar:
        for kod, etikett in _koder(t).items():
            nyckeltal[f"andel_{dimension}:{kod}"] = Cell(t.namn, etikett, "Andel")
        nyckeltal[f"antal_{dimension}"] = Cell(t.namn, TOTALT, "Antal")
    if remisser:
        nyckeltal["antal_ansokningar"] = Cell(remisser[1].namn, TOTALT, "Antal")
    if tider is not None:
        for namn, ind in [(v[0], k) for k, v in _TIDER.items()]:
            if namn in set(tider.data["Mått"]):
                nyckeltal[f"medel_{ind}"] = Cell(tider.namn, namn, "Medel")
        for namn, ind in [(v[0], k) for k, v in _PUBLICERADE_TIDER.items()]:
            rad = tider.data[tider.data["Mått"] == namn]
            if len(rad):
                nyckeltal[f"publicerad_{ind}"] = Varde(float(rad["Medel"].iloc[0]), "tal", None, 2)
    return nyckeltal


def _koder(t: Tabell) -> dict[str, str]:
    """Kategorikod -> visad etikett för en fördelnings rader (ur referenserna)."""
    dimension = t.namn.removeprefix("bakgrund_")
    ut = {}
    for i, ref in enumerate(t.referenser["Antal"].iloc[:-1]):
        ut[dict(ref.villkor)[dimension]] = t.data.iloc[i, 0]
    return ut


def _konstext(fordelningar: Sequence[tuple[str, Tabell]]) -> list[Mening]:
    kon = dict(fordelningar).get("kon")
    if kon is None or not {"Kvinna", "Man"} <= set(_koder(kon)):
        return []
    return [
        Mening(
            "{kvinnor} av deltagarna är kvinnor och {man} män.",
            {"kvinnor": Cell(kon.namn, KATEGORINAMN["Kvinna"], "Andel"),
             "man": Cell(kon.namn, KATEGORINAMN["Man"], "Andel")},
            om_maskad="Könsfördelningen står i tabellen.",
        )
    ]  # fmt: skip


def sektion_bakgrund(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Deltagarnas bakgrund: kön, ålder, kommun, remittent, försörjning och tid i försörjning.

    Varje fördelning är en tabell; figurer finns bara för åldern och för försörjningen före och
    efter (de övriga figurerna upprepade bara tabellen). Omaskat: fördelningarnas summor är
    samma storhet som flödets led (deltagit, avslut), så sekretessen ser dem tillsammans.
    """
    rak = rakning or rakna(underlag, period)
    kanda = rakningens_antal(rak)
    fordelningar = _fordelningar(rak, kanda)
    remisser = _remisser(rak)
    tider = _tider(rak, kanda)
    block: list[Any] = []
    for dimension, t in fordelningar:
        if dimension in _FIGURDIMENSIONER:  # bara åldern som figur (produktbeslut)
            block.append(
                Diagram("staplar", t.namn, x=t.kolumner[0].namn, y="Andel", titel=t.titel,
                        alt=f"Liggande stapeldiagram: andel av deltagarna efter "
                        f"{t.kolumner[0].namn.lower()}.")
            )  # fmt: skip
        block.append(t)
    block += [*remisser, *_forsorjning(rak, kanda)]
    if tider is not None:
        block.append(tider)
    if not block:
        return Sektion(
            "bakgrund",
            "Bakgrund",
            saknas=f"Underlaget saknar uppgifter om deltagarnas bakgrund för {period.namn} "
            "(kön, ålder, remittent, försörjning).",
        )
    text = Stycke((*_konstext(fordelningar), 'Andelarna räknas på alla deltaganden i '
                   'gruppen; ”Uppgift saknas” visas som en egen rad.'))  # fmt: skip
    return Sektion(
        "bakgrund",
        "Bakgrund",
        innehall=(text, *block),
        nyckeltal=_bakgrundsnyckeltal(fordelningar, remisser, tider),
    )


# ----------------------------------------------------------------- Uppföljning Finsam


def uppfoljning_finsam(
    underlag: Any, period: Rapportperiod, *, rakning: Rakning | None = None
) -> pd.DataFrame:
    """Räkningarna som Uppföljning Finsam efterfrågar: deltagare per insats och kön, budget/utfall.

    Tabellen är för inrapportering till Uppföljning Finsam, inte för publicering: den är
    **omaskad** med avsikt och hör inte till rapportens utdata för styrelsen (den skrivs för
    sig, se :mod:`finsam_analys.korning`).

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag.
    period : Rapportperiod
        Rapportperioden.
    rakning : Rakning, valfri
        Periodens räknetabeller om de redan finns (samma som :func:`bygg_rapport` fick), så
        att de inte räknas en gång till; standard: ``rakna(underlag, period)``.

    Returns
    -------
    DataFrame
        Kolumnerna ``uppgift``, ``insats``, ``kon``, ``varde`` och ``enhet``.
    """
    rak = rakning if rakning is not None else rakna(underlag, period)
    rader = []
    if rak.har("deltagarantal"):
        d = rak.tabell("deltagarantal")
        kon = utan_summarader(d[d["dimension"] == "kon"], "kategori")
        if "insats" not in kon.columns:
            kon = kon.assign(insats="")
        for (insats, k), antal in (
            kon.groupby(["insats", "kategori"], sort=True)["antal"].sum().items()
        ):
            rader.append(
                {
                    "uppgift": "deltagare",
                    "insats": insats,
                    "kon": k,
                    "varde": float(antal),
                    "enhet": "antal",
                }
            )
    ekonomi = underlag.tabell("ekonomi")
    if ekonomi is not None:
        from finsam_analys.matt.rakning import valj_period

        e = valj_period(ekonomi, period)
        if e is not None:
            e = e[(e["ar"] == period.ar) & (e.get("typ", "kostnad") == "kostnad")]
            e = utan_summarader(e, "post", "grupp")
            for _, r in e.iterrows():
                for uppgift in ("budget", "utfall"):
                    if uppgift in e.columns and not pd.isna(r[uppgift]):
                        rader.append(
                            {
                                "uppgift": uppgift,
                                "insats": r["post"],
                                "kon": "",
                                "varde": float(r[uppgift]),
                                "enhet": str(r["enhet"]),
                            }
                        )
    return pd.DataFrame(rader, columns=["uppgift", "insats", "kon", "varde", "enhet"])
