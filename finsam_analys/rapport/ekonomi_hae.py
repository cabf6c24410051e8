"""Sektionerna Helårsekvivalenter, Ekonomi och Samhällsnytta.

Var varje tal räknas (biblioteket, aldrig här):

* andel av befolkningen 20–64 år: :func:`finsam_analys.matt.helarsekvivalenter.befolkningsandelar`
  (summa HÅE / summa folkmängd, aldrig medel av andelar); könsfördelningen:
  :func:`~finsam_analys.matt.helarsekvivalenter.konsfordelning`; förändringen mellan åren:
  :func:`~finsam_analys.matt.helarsekvivalenter.forandring_mellan_ar`; deltagarnas HÅE ur
  ersättningsperioder: :func:`~finsam_analys.matt.helarsekvivalenter.helarsekvivalenter`;
* budget mot utfall: :func:`finsam_analys.matt.ekonomi.budgetutfall` och
  :func:`~finsam_analys.matt.ekonomi.andel_forbrukad`; eget kapital:
  :func:`~finsam_analys.matt.ekonomi.eget_kapital`;
* återbetalningstid mot mål: :func:`finsam_analys.matt.samhallsnytta.aterbetalningstid_mot_mal`.

Sektionerna är omaskade (tabellmodellen). Belopp, mål och SCB:s befolkningsstatistik är inga
antal personer i insatserna och har ingen referens (maskas aldrig). Deltagarnas HÅE är en summa
över personer: den är en :class:`~finsam_analys.tabell.Kvot` över antalet personer med
ersättningsformen (``ersattningstagare[P; ersattningsform=…]``) och maskas när de är för få.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import SUMMAPOST, TOTALGRUPP, TOTALT
from finsam_analys.matt.rakning import valj_period
from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import kallhanvisning, malen_for_perioden, uppfyllt_text
from finsam_analys.tabell import (
    Cell,
    Diagram,
    Harledd,
    Kolumn,
    Kvot,
    Mening,
    Sektion,
    Storhet,
    Stycke,
    Tabell,
    Varde,
    ram_med_textkolumner,
)

__all__ = ["sektion_ekonomi", "sektion_helarsekvivalenter", "sektion_samhallsnytta"]

_KONEN = ("Kvinnor", "Män")


def _tabell(namn: str, titel: str, data: pd.DataFrame, kolumner: list[Kolumn], **falt) -> Tabell:
    """En tabell utan referenser (belopp, SCB-statistik, mål): maskas aldrig."""
    textkolumner = {k.namn: object for k in kolumner if k.matt == "text"}
    return Tabell(
        namn=namn,
        titel=titel,
        data=data.reset_index(drop=True).astype(textkolumner),
        kolumner=tuple(kolumner),
        **falt,
    )


# ---------------------------------------------------------------------- helårsekvivalenter


def _hae_aggregat(underlag: Any, period: Rapportperiod, *, kon: bool = False) -> pd.DataFrame:
    """SCB-tabellens rader till och med rapportåret (``kon``: bara kvinnor och män)."""
    t = underlag.tabell("helarsekvivalenter")
    if t is None or not len(t):
        return pd.DataFrame()
    t = t[(pd.to_numeric(t["ar"]) <= period.ar).to_numpy()]
    if "kon" in t.columns:
        t = t[t["kon"].isin(_KONEN if kon else (TOTALT,)).to_numpy()]
    elif kon:
        return pd.DataFrame()
    t = t[t["hae"].notna().to_numpy()]
    if not kon:
        t = t[t["folkmangd_20_64"].notna().to_numpy()]
    nyckel = ["region", "ar", "ersattningsform"] + (["kon"] if kon else [])
    return t.drop_duplicates(subset=nyckel, keep="first").reset_index(drop=True)


def _regioner(underlag: Any, data: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Regionerna som jämförs: förbundets kommuner (som en region), länet och riket.

    Förbundets kommuner räknas ihop (summa HÅE / summa folkmängd), aldrig som medel av andelar.
    """
    kommuner = list(getattr(underlag.konfig, "kommuner", ()))
    lan = getattr(underlag.konfig, "lan", None)
    ut = []
    egna = data[((data["regiontyp"] == "kommun") & data["region"].isin(kommuner)).to_numpy()]
    if len(egna):
        ut.append((kommuner[0] if len(kommuner) == 1 else "Förbundets kommuner", egna))
    for typ in ("lan", "riket"):
        urval = data[(data["regiontyp"] == typ).to_numpy()]
        if typ == "lan" and lan and (urval["region"] == lan).any():
            urval = urval[(urval["region"] == lan).to_numpy()]
        for region in dict.fromkeys(urval["region"]):
            ut.append((str(region), urval[(urval["region"] == region).to_numpy()]))
    return ut


def _bred(data: pd.DataFrame, index: Any, kolumner: str, varden: str) -> pd.DataFrame:
    """``varden`` i bred form (som ``pivot_table``, men snabbare): raderna och kolumnerna i den
    ordning de först förekommer; en kombination som förekommer två gånger ger den första."""
    index = [index] if isinstance(index, str) else list(index)
    unika = data.drop_duplicates(subset=[*index, kolumner], keep="first")
    bred = unika.set_index([*index, kolumner])[varden].unstack(kolumner)
    radordning = list(dict.fromkeys(map(tuple, unika[index].itertuples(index=False))))
    if len(index) == 1:
        radordning = [r[0] for r in radordning]
    bred = bred.reindex(index=radordning, columns=list(dict.fromkeys(unika[kolumner])))
    bred.columns.name = None
    return bred


def _formernas_ordning(regioner: list[tuple[str, pd.DataFrame]]) -> list[str]:
    """Ersättningsformerna i den ordning underlaget (SCB:s tabell) har dem."""
    alla = pd.concat([r["ersattningsform"] for _, r in regioner])
    return [str(f) for f in dict.fromkeys(alla) if f != TOTALT]


def _per_region(regioner: list[tuple[str, pd.DataFrame]], rakna: Any) -> pd.DataFrame:
    """``rakna(rader)`` för varje region, med kolumnen ``region``."""
    delar = [rakna(rader).assign(region=namn) for namn, rader in regioner if len(rader)]
    return pd.concat(delar, ignore_index=True) if delar else pd.DataFrame()


def _andelar_per_ar(andelar: pd.DataFrame, period: Rapportperiod) -> Tabell:
    """Andelen per år (rader) och region (kolumner): tidsserien som figuren ritar."""
    regioner = list(dict.fromkeys(andelar["region"]))
    bred = _bred(andelar, "ar", "region", "andel").sort_index().reindex(columns=regioner)
    data = pd.DataFrame({"År": [str(a) for a in bred.index]})
    for r in regioner:
        data[r] = bred[r].to_numpy()
    return _tabell(
        "hae_andel",
        "Andel av befolkningen 20–64 år",
        data,
        [Kolumn("År")] + [Kolumn(r, "andel", 1) for r in regioner],
        population="Befolkningen 20–64 år",
        period=period.namn,
        kalla="harledd",
        fotnoter=("Helårsekvivalenter (SCB) delade med folkmängden 20–64 år.",),
    )


def _hae_detalj(regioner: list[tuple[str, pd.DataFrame]], andelar: pd.DataFrame, underlag: Any):
    """Som SCB:s tabell: HÅE per ersättningsform, totalt (räknat ur formerna), folkmängd, andel."""
    from finsam_analys.matt.helarsekvivalenter import befolkningsandelar

    per_form = _per_region(regioner, lambda r: befolkningsandelar(r, per=("ar", "ersattningsform")))
    former = _formernas_ordning(regioner)
    bred = _bred(per_form, ["region", "ar"], "ersattningsform", "hae").reindex(columns=former)
    rader = andelar.set_index(["region", "ar"])
    bred = bred.reindex(index=rader.index)
    detalj = pd.DataFrame(
        {
            "Region": rader.index.get_level_values(0),
            "År": [str(a) for a in rader.index.get_level_values(1)],
            **{f: bred[f].to_numpy() for f in former},
            TOTALT: rader["hae"].to_numpy(),
            "Folkmängd 20–64 år": rader["folkmangd_20_64"].to_numpy(),
            "Andel": rader["andel"].to_numpy(),
        }
    )
    kolumner = [Kolumn("Region"), Kolumn("År")] + [Kolumn(f, "hae") for f in former]
    kolumner += [Kolumn(TOTALT, "hae"), Kolumn("Folkmängd 20–64 år", "tal", 0)]
    return _tabell(
        "hae_detalj",
        "Helårsekvivalenter och folkmängd",
        detalj,
        kolumner + [Kolumn("Andel", "andel", 1)],
        population="Befolkningen 20–64 år",
        kalla="harledd",
        kallhanvisning=kallhanvisning(underlag, pd.concat([r for _, r in regioner])),
        fotnoter=("Totalt räknas om ur ersättningsformerna (tryckta summor används inte).",),
    )


def _konsfordelning(underlag: Any, period: Rapportperiod) -> Tabell | None:
    """HÅE per kön och könsfördelningen inom varje ersättningsform, senaste året med kön."""
    from finsam_analys.matt.helarsekvivalenter import konsfordelning

    data = _hae_aggregat(underlag, period, kon=True)
    if not len(data):
        return None
    ar = int(pd.to_numeric(data["ar"]).max())
    regioner = [
        (n, r[(pd.to_numeric(r["ar"]) == ar).to_numpy()]) for n, r in _regioner(underlag, data)
    ]
    regioner = [(n, r) for n, r in regioner if len(r)][:1]  # en region (SCB: riket)
    if not regioner:
        return None
    namn, rader = regioner[0]
    k = konsfordelning(rader, per=[])
    hae = _bred(k, "ersattningsform", "kon", "hae")
    andel = _bred(k, "ersattningsform", "kon", "andel")
    konen = [x for x in _KONEN if x in hae.columns]
    t = pd.DataFrame({"Ersättningsform": hae.index.astype("str")})
    for x in konen:
        t[x] = hae[x].to_numpy()
    t[TOTALT] = hae[konen].sum(axis=1).to_numpy()
    for x in konen:
        t[f"Andel {x.lower()}"] = andel[x].to_numpy()
    return _tabell(
        "hae_kon",
        f"Helårsekvivalenter efter kön, {namn} {ar}",
        t,
        [Kolumn("Ersättningsform")]
        + [Kolumn(x, "hae") for x in [*konen, TOTALT]]
        + [Kolumn(f"Andel {x.lower()}", "andel", 1, delar_av_helhet=True) for x in konen],
        helhet="rad",
        summarader=tuple(i for i, f in enumerate(t["Ersättningsform"]) if f == TOTALT),
        kalla="harledd",
        fotnoter=("Könsfördelningen inom varje ersättningsform; Totalt räknas om ur delarna.",),
    )


def _per_form(regioner: list[tuple[str, pd.DataFrame]], ar: int) -> Tabell | None:
    from finsam_analys.matt.helarsekvivalenter import befolkningsandelar

    def rakna(rader: pd.DataFrame) -> pd.DataFrame:
        rader = rader[(pd.to_numeric(rader["ar"]) == ar).to_numpy()]
        rader = rader[(rader["ersattningsform"] != TOTALT).to_numpy()]
        if not len(rader):
            return pd.DataFrame(columns=["ersattningsform", "andel"])
        return befolkningsandelar(rader, per="ersattningsform")

    f = _per_region(regioner, rakna)
    if not len(f):
        return None
    bred = _bred(f, "ersattningsform", "region", "andel")
    former = [f for f in _formernas_ordning(regioner) if f in bred.index]
    bred = bred.reindex(index=former, columns=[r for r, _ in regioner if r in bred.columns])
    t = bred.reset_index().rename(columns={"ersattningsform": "Ersättningsform"})
    t.columns.name = None
    return _tabell(
        "hae_per_form",
        f"Andel per ersättningsform {ar}",
        t,
        [Kolumn("Ersättningsform")] + [Kolumn(r, "andel", 1) for r in t.columns[1:]],
        population="Befolkningen 20–64 år",
        period=str(ar),
        kalla="harledd",
    )


def _forandring(regioner: list[tuple[str, pd.DataFrame]], ar: int) -> Tabell | None:
    """Förändringen av HÅE per ersättningsform från året innan (procent)."""
    from finsam_analys.matt.helarsekvivalenter import forandring_mellan_ar

    def rakna(rader: pd.DataFrame) -> pd.DataFrame:
        if not {ar - 1, ar} <= set(pd.to_numeric(rader["ar"])):
            return pd.DataFrame(columns=["ersattningsform", "forandring"])
        return forandring_mellan_ar(rader, fran=ar - 1, till=ar, per=[])

    f = _per_region(regioner, rakna)
    if not len(f):
        return None
    bred = _bred(f, "ersattningsform", "region", "forandring")
    bred = bred.reindex(columns=[r for r, _ in regioner if r in bred.columns])
    t = bred.reset_index().rename(columns={"ersattningsform": "Ersättningsform"})
    t.columns.name = None
    return _tabell(
        "hae_forandring",
        f"Förändring av helårsekvivalenterna {ar - 1}–{ar}",
        t,
        [Kolumn("Ersättningsform")] + [Kolumn(r, "forandring") for r in t.columns[1:]],
        kalla="harledd",
        summarader=tuple(i for i, f in enumerate(t["Ersättningsform"]) if f == TOTALT),
        fotnoter=("Relativ förändring av antalet helårsekvivalenter (procent).",),
    )


def _deltagarnas_hae(underlag: Any, period: Rapportperiod) -> Tabell | None:
    """Deltagarnas HÅE per ersättningsform ur ersättningsperioderna.

    Varje värde är en summa över personerna med formen: en :class:`Kvot` över antalet personer
    (som räknas med samma :func:`helarsekvivalenter`, per person). Totalen bygger på alla former
    (maskas när någon av dem maskas, annars kunde den räknas fram som en skillnad).
    """
    from finsam_analys.matt.helarsekvivalenter import helarsekvivalenter

    perioder = underlag.tabell("ersattningsperioder")
    if perioder is None or not len(perioder):
        return None
    h = helarsekvivalenter(perioder, period=period)
    h = h[(h["hae"] > 0).to_numpy()].reset_index(drop=True)
    if not len(h):
        return None
    per_person = helarsekvivalenter(
        perioder, period=period, per=["ersattningsform", "person"], med_totalt=False
    )
    per_person = per_person[(per_person["hae"] > 0).to_numpy()]
    personer = per_person.groupby("ersattningsform")["person"].nunique()
    bas = Storhet.av("ersattningstagare", period)
    former = [str(f) for f in h["ersattningsform"]]
    n = [bas if f == TOTALT else bas.med(ersattningsform=f) for f in former]
    antal = {s: int(personer.get(f, 0)) for s, f in zip(n, former, strict=True) if f != TOTALT}
    antal[bas] = int(per_person["person"].nunique())
    kvoter = [Kvot(s) for s in n]
    alla = Harledd.av(*(k for k, f in zip(kvoter, former, strict=True) if f != TOTALT))
    return Tabell(
        namn="deltagarnas_hae",
        titel=f"Deltagarnas helårsekvivalenter, {period.namn}",
        data=ram_med_textkolumner(
            {"Ersättningsform": former, "Helårsekvivalenter": h["hae"].to_numpy()},
            ["Ersättningsform"],
        ),
        kolumner=(
            Kolumn("Ersättningsform"),
            Kolumn("Helårsekvivalenter", "hae", 1, delar_av_helhet=True),
        ),
        referenser=pd.DataFrame(
            {
                "Ersättningsform": [None] * len(n),
                "Helårsekvivalenter": [
                    alla if f == TOTALT else k for k, f in zip(kvoter, former, strict=True)
                ],
            },
            dtype=object,
        ),
        antal=antal,
        population="Deltagare med ersättning under perioden",
        period=period.namn,
        summarader=tuple(i for i, f in enumerate(former) if f == TOTALT),
        fotnoter=("Ersättning med full omfattning ett helt år = 1.",),
    )


def _scb_block(underlag: Any, period: Rapportperiod) -> tuple[list[Any], dict[str, Any]]:
    """SCB:s helårsekvivalenter: andelar per år och region, detalj, former, kön, förändring."""
    from finsam_analys.matt.helarsekvivalenter import befolkningsandelar

    data = _hae_aggregat(underlag, period)
    if not len(data):
        return [], {}
    regioner = _regioner(underlag, data)
    andelar = _per_region(regioner, lambda r: befolkningsandelar(r, per="ar"))
    if not len(andelar):
        return [], {}
    andelar["ar"] = pd.to_numeric(andelar["ar"]).astype("int64")
    per_ar = _andelar_per_ar(andelar, period)
    senaste = int(andelar["ar"].max())
    nyckeltal: dict[str, Any] = {}
    for r in andelar.itertuples():
        nyckeltal[f"hae_andel:{r.region}:{r.ar}"] = Cell(per_ar.namn, str(r.ar), r.region)
        nyckeltal[f"hae:{r.region}:{r.ar}"] = Varde(float(r.hae), "hae")
    namn = [n for n, _ in regioner]
    text = [
        Mening(
            "Helårsekvivalenter (SCB) är antalet personer 20–64 år som skulle kunna försörjas "
            "ett helt år med full ersättning. Andelen är summan av helårsekvivalenterna delad "
            "med folkmängden 20–64 år."
        ),
        Mening(
            f"{senaste}: " + ", ".join(f"{r} {{a{i}}}" for i, r in enumerate(namn)) + ".",
            {f"a{i}": Cell(per_ar.namn, str(senaste), r) for i, r in enumerate(namn)},
        ),
    ]
    if "preliminar" in data and data["preliminar"].fillna(False).astype(bool).any():
        text.append("Det senaste året är preliminärt.")
    block: list[Any] = [
        Stycke(tuple(text)),
        Diagram(
            "linjer",
            per_ar.namn,
            x="År",
            grupper=tuple(k.namn for k in per_ar.kolumner[1:]),
            titel="Andel av befolkningen 20–64 år som försörjs av ersättningar och bidrag",
            alt="Linjediagram: andel av befolkningen 20–64 år (helårsekvivalenter / "
            "folkmängd) per år för förbundets kommuner, länet och riket.",
        ),
        per_ar,
        _hae_detalj(regioner, andelar, underlag),
    ]
    for t in (
        _per_form(regioner, senaste),
        _konsfordelning(underlag, period),
        _forandring(regioner, senaste),
    ):
        if t is not None:
            block.append(t)
    return block, nyckeltal


def sektion_helarsekvivalenter(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
) -> Sektion:
    """Andel av befolkningen 20–64 år som försörjs av ersättningar: förbundets kommuner, län, riket.

    Med SCB-aggregat (tabellen ``helarsekvivalenter``) visas åren till och med rapportåret.
    Med ersättningsperioder (deltagarnivå) visas deltagarnas HÅE per ersättningsform. Omaskad.
    """
    block, nyckeltal = _scb_block(underlag, period)
    deltagarnas = _deltagarnas_hae(underlag, period)
    if deltagarnas is not None:
        block += [
            Stycke(
                (
                    f"Deltagarnas helårsekvivalenter under {period.namn} ur "
                    "ersättningsperioderna (ersättning med full omfattning ett helt år = 1).",
                )
            ),
            deltagarnas,
        ]
        for form in deltagarnas.data["Ersättningsform"]:
            nyckeltal[f"deltagarnas_hae:{form}"] = Cell(
                deltagarnas.namn, form, "Helårsekvivalenter"
            )
    if not block:
        return Sektion(
            "helarsekvivalenter",
            "Helårsekvivalenter",
            saknas="Underlaget har inga helårsekvivalenter (SCB-tabell eller ersättningsperioder).",
        )
    return Sektion(
        "helarsekvivalenter", "Helårsekvivalenter", innehall=tuple(block), nyckeltal=nyckeltal
    )


# ---------------------------------------------------------------------------------- ekonomi


def _belopp(enhet: Any) -> str:
    return "tkr" if str(enhet) == "tkr" else "kr"


def _budgettabell(bu: pd.DataFrame, ar: int, enhet: str) -> Tabell:
    """Budget mot utfall per post med gruppsummor och TOTAL (räknade av ``budgetutfall``)."""
    data = pd.DataFrame(
        {
            "Grupp": bu["grupp"].astype("str").to_numpy(),
            "Post": bu["post"].astype("str").to_numpy(),
            "Budget": bu["budget"].to_numpy(dtype="float64"),
            "Utfall": bu["utfall"].to_numpy(dtype="float64"),
            "Utfall i procent av budget": bu["utfall_andel"].to_numpy(dtype="float64"),
            "Kvar av budget": bu["differens"].to_numpy(dtype="float64"),
        }
    )
    return _tabell(
        "budget_och_utfall",
        f"Budget och utfall {ar}",
        data,
        [
            Kolumn("Grupp"),
            Kolumn("Post"),
            Kolumn("Budget", "belopp", enhet=enhet),
            Kolumn("Utfall", "belopp", enhet=enhet),
            Kolumn("Utfall i procent av budget", "andel"),
            Kolumn("Kvar av budget", "belopp", enhet=enhet),
        ],
        summarader=tuple(i for i, p in enumerate(data["Post"]) if p == SUMMAPOST),
        kalla="harledd",
        fotnoter=("Summorna räknas om ur posterna; kvar av budget = budget − utfall.",),
    )


def _forbrukat_per_post(bu: pd.DataFrame, ar: int, enhet: str) -> Tabell:
    """Figurens underlag när posterna är många: den största gruppens poster och övriga grupper."""
    poster = bu[(bu["post"] != SUMMAPOST) & (bu["grupp"] != TOTALGRUPP) & (bu["budget"] > 0)]
    storsta = poster.groupby("grupp", sort=False)["budget"].sum().idxmax()
    ovriga = bu[(bu["post"] == SUMMAPOST) & ~bu["grupp"].isin([storsta, TOTALGRUPP])]
    urval = pd.concat([poster[poster["grupp"] == storsta], ovriga.assign(post=ovriga["grupp"])])
    data = pd.DataFrame(
        {
            "Post": urval["post"].astype("str").to_numpy(),
            "Budget": urval["budget"].to_numpy(dtype="float64"),
            "Utfall": urval["utfall"].to_numpy(dtype="float64"),
            "Utfall i procent av budget": urval["utfall_andel"].to_numpy(dtype="float64"),
        }
    )
    return _tabell(
        "forbrukat_per_post",
        f"Utfall i procent av budget: {storsta.lower()} och övriga grupper, {ar}",
        data,
        [
            Kolumn("Post"),
            Kolumn("Budget", "belopp", enhet=enhet),
            Kolumn("Utfall", "belopp", enhet=enhet),
            Kolumn("Utfall i procent av budget", "andel"),
        ],
        kalla="harledd",
    )


def _budgetblock(aret: pd.DataFrame, period: Rapportperiod, ar: int) -> tuple[list, dict]:
    from finsam_analys.matt.ekonomi import andel_forbrukad, budgetutfall

    kostnad = aret[aret["typ"] == "kostnad"] if "typ" in aret.columns else aret
    if not len(kostnad) or not kostnad["utfall"].notna().any():
        return [], {}
    bu = budgetutfall(kostnad, per=None)
    enhet = _belopp(bu["enhet"].iloc[0]) if "enhet" in bu.columns else "kr"
    t = _budgettabell(bu, ar, enhet)
    forbrukad = andel_forbrukad(kostnad)
    forvantat = period.slut.month / 12 if period.slut.year == ar else None
    efter = forvantat is not None and forvantat < 1
    mening = Mening(
        "Budget {ar}: {budget} {enhet}, utfall till och med {datum}: {utfall} {enhet}, dvs. "
        "{andel} av budgeten"
        + (" (efter {m} av årets 12 månader, {arsandel} av året)." if efter else "."),
        {
            "ar": str(ar),
            "enhet": enhet,
            "datum": period.slut.isoformat(),
            "budget": Cell(t.namn, TOTALGRUPP, "Budget"),
            "utfall": Cell(t.namn, TOTALGRUPP, "Utfall"),
            "andel": Varde(forbrukad, "andel"),
            "m": str(period.slut.month),
            "arsandel": Varde(forvantat, "andel"),
        },
    )
    poster = bu[(bu["post"] != SUMMAPOST) & (bu["grupp"] != TOTALGRUPP)]
    figur = _forbrukat_per_post(bu, ar, enhet) if len(poster) > 12 else t
    diagram = Diagram(
        "staplar",
        figur.namn,
        x="Post",
        y="Utfall i procent av budget",
        titel=f"Utfall i procent av budget per post, {ar}",
        referenslinjer={"Andel av året som gått": forvantat} if efter else {},
        alt="Liggande stapeldiagram: utfall i procent av budget per post"
        + (", med andelen av året som gått markerad." if efter else "."),
    )
    nyckeltal: dict[str, Any] = {
        "budget_totalt": Cell(t.namn, TOTALGRUPP, "Budget"),
        "utfall_totalt": Cell(t.namn, TOTALGRUPP, "Utfall"),
        "andel_forbrukad": Varde(forbrukad, "andel"),
        "ekonomi_enhet": enhet,
    }
    for r in bu[bu["post"] != SUMMAPOST].itertuples():
        nyckeltal[f"utfall_andel:{r.post}"] = Varde(
            None if pd.isna(r.utfall_andel) else float(r.utfall_andel), "andel"
        )
    block = [Stycke((mening,)), diagram, *([figur] if figur is not t else []), t]
    return block, nyckeltal


def _utblick(e: pd.DataFrame, ar: int) -> Tabell | None:
    from finsam_analys.matt.ekonomi import budgetutfall

    framtid = e[(e["ar"] > ar) & (e["typ"] == "kostnad")] if "typ" in e.columns else None
    if framtid is None or not len(framtid):
        return None
    bu = budgetutfall(framtid.assign(utfall=np.nan), per="ar")
    enhet = _belopp(bu["enhet"].iloc[0]) if "enhet" in bu.columns else "kr"
    bred = _bred(bu, ["grupp", "post"], "ar", "budget")
    grupper = list(dict.fromkeys(g for g, _ in bred.index if g != TOTALGRUPP)) + [TOTALGRUPP]
    ordning = sorted(
        range(len(bred)),
        key=lambda i: (grupper.index(bred.index[i][0]), bred.index[i][1] == SUMMAPOST, i),
    )
    bred = bred.iloc[ordning]
    ar_ = [f"Budget {c}" for c in bred.columns]
    data = (
        bred.set_axis(ar_, axis=1).reset_index().rename(columns={"grupp": "Grupp", "post": "Post"})
    )
    return _tabell(
        "utblick",
        "Utblick",
        data,
        [Kolumn("Grupp"), Kolumn("Post")] + [Kolumn(a, "belopp", enhet=enhet) for a in ar_],
        summarader=tuple(i for i, p in enumerate(data["Post"]) if p == SUMMAPOST),
        kalla="harledd",
    )


def _eget_kapital(ek: pd.DataFrame) -> tuple[Tabell | None, dict[str, Any]]:
    from finsam_analys.matt.ekonomi import eget_kapital

    try:
        rullning = eget_kapital(ek)
    except ValueError:
        return None, {}
    enhet = _belopp(rullning["enhet"].iloc[0]) if "enhet" in rullning else "kr"
    namn = {
        "ingaende": "Ingående eget kapital",
        "intakter": "Intäkter",
        "disponibla": "Disponibla medel",
        "kostnader": "Kostnader",
        "resultat": "Resultat",
        "utgaende": "Utgående eget kapital",
    }
    data = pd.DataFrame({"År": [str(a) for a in rullning["ar"]]})
    for k, v in namn.items():
        data[v] = rullning[k].to_numpy(dtype="float64")
    t = _tabell(
        "eget_kapital",
        "Eget kapital",
        data,
        [Kolumn("År")] + [Kolumn(v, "belopp", enhet=enhet) for v in namn.values()],
        kalla="harledd",
        fotnoter=(
            "Disponibla medel = ingående + intäkter; utgående = disponibla − kostnader; varje "
            "års utgående kapital blir nästa års ingående (räknat ur beloppen, inte hämtat ur "
            "den tryckta rapporten).",
        ),
    )
    nyckeltal = {
        f"eget_kapital_utgaende:{a}": Cell(t.namn, a, "Utgående eget kapital") for a in data["År"]
    }
    return t, nyckeltal


def sektion_ekonomi(underlag: Any, period: Rapportperiod) -> Sektion:
    """Budget mot utfall per post (med förbrukad andel), utblick och eget kapital (belopp)."""
    rubrik = "Ekonomi"
    e = valj_period(underlag.tabell("ekonomi"), period)
    ek = valj_period(underlag.tabell("eget_kapital"), period)
    if e is None and ek is None:
        return Sektion("ekonomi", rubrik, saknas=f"Underlaget har ingen ekonomi för {period.namn}.")
    block: list[Any] = []
    nyckeltal: dict[str, Any] = {}
    if e is not None:
        ar = period.ar if (e["ar"] == period.ar).any() else int(e["ar"].min())
        aret = e[e["ar"] == ar]
        budget, nyckeltal = _budgetblock(aret, period, ar)
        block += budget
        intakter = aret[aret["typ"] == "intakt"] if "typ" in aret.columns else aret.iloc[0:0]
        if len(intakter):
            nyckeltal["intakter_budget"] = Varde(float(intakter["budget"].sum()), "belopp")
        utblick = _utblick(e, ar)
        block += [utblick] if utblick is not None else []
    if ek is not None:
        t, ek_nyckeltal = _eget_kapital(ek)
        if t is not None:
            block.append(t)
            nyckeltal.update(ek_nyckeltal)
    if not block:
        return Sektion("ekonomi", rubrik, saknas=f"Underlaget har inget utfall för {period.namn}.")
    return Sektion("ekonomi", rubrik, innehall=tuple(block), nyckeltal=nyckeltal)


# ---------------------------------------------------------------------------- samhällsnytta


def _aterbetalning(underlag: Any, period: Rapportperiod) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = valj_period(underlag.tabell("nyckeltal_publicerade"), period)
    resultat = n[n["indikator"] == "aterbetalningstid"] if n is not None else pd.DataFrame()
    mal = malen_for_perioden(underlag, period, "aterbetalningstid")
    return resultat, mal if mal is not None else pd.DataFrame(columns=["insats", "varde"])


def sektion_samhallsnytta(underlag: Any, period: Rapportperiod) -> Sektion:
    """Återbetalningstid (samhällsekonomisk, som publicerad) mot mål, per insats."""
    from finsam_analys.matt.samhallsnytta import aterbetalningstid_mot_mal

    rubrik = "Samhällsnytta"
    resultat, mal = _aterbetalning(underlag, period)
    if not len(resultat) and not len(mal):
        return Sektion(
            "samhallsnytta",
            rubrik,
            saknas="Underlaget har varken återbetalningstid eller mål för den för perioden.",
        )
    insatser = list(
        dict.fromkeys([*resultat["insats"].astype("str"), *mal["insats"].astype("str")])
    )
    rader = []
    for insats in insatser:
        r = resultat[resultat["insats"].astype("str") == insats]["varde"]
        m = mal[mal["insats"].astype("str") == insats]["varde"]
        res = float(r.iloc[0]) if len(r) else np.nan
        malv = float(m.iloc[0]) if len(m) else np.nan
        bedomning, skillnad = None, np.nan
        if not np.isnan(res) and not np.isnan(malv):
            j = aterbetalningstid_mot_mal(res, malv)
            bedomning, skillnad = bool(j["uppfyllt"]), float(j["skillnad"])
        rader.append([insats, res, malv, skillnad, uppfyllt_text(bedomning)])
    kalla = kallhanvisning(underlag, pd.concat([resultat, mal]))
    t = _tabell(
        "aterbetalningstid",
        "Återbetalningstid mot mål",
        pd.DataFrame(
            rader, columns=["Insats", "Återbetalningstid", "Mål, högst", "Skillnad", "Bedömning"]
        ),
        [
            Kolumn("Insats"),
            Kolumn("Återbetalningstid", "manader", 0, enhet="månader"),
            Kolumn("Mål, högst", "manader", 0, enhet="månader"),
            Kolumn("Skillnad", "manader", 0, enhet="månader"),
            Kolumn("Bedömning", "bedomning"),
        ],
        kalla="publicerad",
        kallhanvisning=kalla,
        fotnoter=(f"Källa: {kalla}." if kalla else "Källa: förbundets rapporter.",),
    )
    text = [
        "Återbetalningstiden är den tid det tar innan samhällets vinst av deltagarnas ändrade "
        "försörjning har betalat insatsens kostnad (samhällsekonomisk beräkning, t.ex. av "
        "PayOff). Målet är ett tak: kortare är bättre."
    ]
    if t.data["Återbetalningstid"].isna().all():
        text.append(f"Underlaget anger ingen återbetalningstid för {period.namn}, bara målet.")
    nyckeltal = {
        f"aterbetalningstid:{i}": Varde(None if np.isnan(v) else v, "manader", decimaler=0)
        for i, v in zip(t.data["Insats"], t.data["Återbetalningstid"], strict=True)
    }
    return Sektion("samhallsnytta", rubrik, innehall=(Stycke(tuple(text)), t), nyckeltal=nyckeltal)
