"""Sektionerna Hälsa och stegförflyttning, Uppföljning efter avslut, och Deltagarenkät (NNS).

Var varje tal räknas (biblioteket, aldrig här):

* hälsoenkäten (summor, relativ förändring, andel förbättrade):
  :func:`finsam_analys.matt.halsa.halsoenkat_resultat` på räknetabellen ``halsoenkat`` (som för
  deltagarrader räknas av :func:`~finsam_analys.matt.halsa.halsopoangforandring`);
* stegförflyttning: räknetabellen ``stegforflyttning`` (:func:`finsam_analys.matt.halsa.
  stegforflyttning` per insats);
* uppföljning: :func:`finsam_analys.matt.uppfoljning.uppfoljningsresultat` (andel av nådda och av
  försökta) och :func:`~finsam_analys.matt.uppfoljning.andelar_bland_ovriga`;
* NNS-enkäten: :func:`finsam_analys.matt.enkater.andel_hoga_steg` och
  :func:`~finsam_analys.matt.enkater.forandring_mellan_tillfallen`.

Sektionerna är omaskade (tabellmodellen); :func:`finsam_analys.rapport.bygg_rapport` maskar och
avrundar. Storheterna (se ``docs/arkitektur.md``, "Storheternas namn"):

* ``svarande[P; enkat=halsoenkat, insats=…, delperiod=…]`` (antal enkäter) och samma med
  ``halsa=forbattrad`` (antal förbättrade); poängsummor och förändring är medelvärden över de
  svarande (:class:`~finsam_analys.tabell.Kvot` utan täljare);
* ``stegmatning[P; insats=…, forflyttning=upp|samma|ner]``: avslutade med steg vid både start
  och avslut;
* ``uppfoljning[P; manader=6, lage=…]``; ``nadd=ja|nej`` (nådda, bortfall) och
  ``urval=ovriga`` (nådda utom arbete och studier);
* ``svarande[P; enkat=nns, fraga=…, tillfalle=…]`` och samma med ``steg=hoga``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.matt.rakning import Rakning, rakna, utan_summarader
from finsam_analys.matt.uppfoljning import BORTFALL
from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import delar_som_fordelning, malen_for_perioden
from finsam_analys.tabell import (
    Cell,
    Diagram,
    Harledd,
    Kolumn,
    Kvot,
    Mening,
    Relation,
    Sektion,
    Storhet,
    Stycke,
    Tabell,
    Varde,
    ram_med_textkolumner,
)

__all__ = [
    "sektion_deltagarenkat",
    "sektion_halsa_och_stegforflyttning",
    "sektion_uppfoljning",
]

_HALSOKOLUMNER = ["n", "summa_start", "summa_slut", "antal_forbattrade"]
_FORFLYTTNING = {"upp": "Minst ett steg upp", "samma": "Samma steg", "ner": "Lägre steg"}
_UTOM = ("Arbete", "Studier")


def _delperiodnamn(kod: Any) -> str:
    try:
        return Rapportperiod.tolka(kod).namn
    except (ValueError, TypeError):
        return str(kod)


def _kalla(rak: Rakning, namn: str) -> str:
    """Räknad ur deltagarrader, eller härledd ur publicerade antal."""
    return "beraknad" if rak.individniva.get(namn, False) else "harledd"


# ------------------------------------------------------------------------- hälsoenkäten


def _halsoenkatens_grupper(h: pd.DataFrame, period: Rapportperiod) -> tuple[str, list, list, dict]:
    """Raderna i hälsoenkätens tabell: (rubrik, etiketter, villkor per rad, totalradens villkor).

    Flera insatser: en rad per insats. Annars en rad per mätperiod (delperiod) i insatsen.
    """
    insatser = list(dict.fromkeys(h["insats"].astype("str"))) if "insats" in h.columns else []
    if len(insatser) > 1:
        return "Insats", insatser, [{"insats": i} for i in insatser], {}
    delperioder = (
        list(dict.fromkeys(h["delperiod"].astype("str"))) if "delperiod" in h.columns else []
    ) or [period.kod]
    insats = {"insats": insatser[0]} if insatser else {}
    villkor = [{**insats, **({"delperiod": d} if d != period.kod else {})} for d in delperioder]
    return "Mätperiod", [_delperiodnamn(d) for d in delperioder], villkor, insats


def _halsoenkat(underlag: Any, period: Rapportperiod, rak: Rakning) -> Tabell:
    from finsam_analys.matt.halsa import halsoenkat_resultat

    h = utan_summarader(rak.tabell("halsoenkat"), "delperiod", "insats")
    rubrik, etiketter, villkor, total_villkor = _halsoenkatens_grupper(h, period)
    kolumn = "insats" if rubrik == "Insats" else "delperiod"
    nyckel = h[kolumn].astype("str") if kolumn in h.columns else pd.Series(period.kod, h.index)
    grupper = h.groupby(nyckel.to_numpy(), sort=False)[_HALSOKOLUMNER].sum()
    r = halsoenkat_resultat(grupper, totalt=len(grupper) > 1)
    bas = Storhet.av("svarande", period, enkat="halsoenkat")
    n_ref = [bas.med(**v) for v in villkor]
    if len(grupper) > 1:
        etiketter = [*etiketter, TOTALT if rubrik == "Insats" else f"Hela {period.namn}"]
        n_ref.append(bas.med(**total_villkor))
    f_ref = [s.med(halsa="forbattrad") for s in n_ref]
    data = ram_med_textkolumner(
        {
            rubrik: etiketter,
            "Antal enkäter": r["n"].to_numpy(),
            "Summa poäng vid start": r["summa_start"].to_numpy(dtype="float64"),
            "Summa poäng vid avslut": r["summa_slut"].to_numpy(dtype="float64"),
            "Förändring": r["forandring"].to_numpy(dtype="float64"),
            "Antal förbättrade": r["antal_forbattrade"].to_numpy(),
            "Andel förbättrade": r["andel_forbattrade"].to_numpy(dtype="float64"),
        },
        [rubrik],
    )
    kvoter = [Kvot(n) for n in n_ref]
    refs = {
        rubrik: [None] * len(n_ref),
        "Antal enkäter": n_ref,
        "Summa poäng vid start": kvoter,
        "Summa poäng vid avslut": kvoter,
        "Förändring": kvoter,
        "Antal förbättrade": f_ref,
        "Andel förbättrade": [Kvot(n, f) for n, f in zip(n_ref, f_ref, strict=True)],
    }
    kolumner = [
        Kolumn(rubrik),
        Kolumn("Antal enkäter", "antal"),
        Kolumn("Summa poäng vid start", "poang", 0),
        Kolumn("Summa poäng vid avslut", "poang", 0),
        Kolumn("Förändring", "forandring"),
        Kolumn("Antal förbättrade", "antal"),
        Kolumn("Andel förbättrade", "andel"),
    ]
    mal = _halsomal(underlag, period, etiketter, villkor)
    if mal is not None:
        data["Mål"], refs["Mål"] = mal, [None] * len(n_ref)
        kolumner.append(Kolumn("Mål", "andel"))
    varden = [*data["Antal enkäter"], *data["Antal förbättrade"]]
    antal = {s: int(v) for s, v in zip(n_ref + f_ref, varden, strict=True)}
    relationer = []
    if len(grupper) > 1:
        relationer = [Relation.summa(n_ref[-1], n_ref[:-1]), Relation.summa(f_ref[-1], f_ref[:-1])]
    if total_villkor:  # en insats: förbundets storhet är insatsens (samma tal, länkade)
        for hel, insatsens in ((bas, n_ref[-1]), (bas.med(halsa="forbattrad"), f_ref[-1])):
            antal[hel] = antal[insatsens]
            relationer.append(Relation.summa(hel, [insatsens]))
    return Tabell(
        namn="halsoenkat",
        titel=f"Hälsoenkät, {period.namn}",
        data=data,
        kolumner=tuple(kolumner),
        referenser=pd.DataFrame(refs, dtype=object),
        antal=antal,
        relationer=tuple(relationer),
        population="Avslutade deltagare som besvarat hälsoenkäten vid start och avslut",
        period=period.namn,
        kalla=_kalla(rak, "halsoenkat"),
        summarader=(len(n_ref) - 1,) if len(grupper) > 1 else (),
    )


def _halsomal(underlag: Any, period: Rapportperiod, etiketter: list, villkor: list) -> Any:
    """Målet för andelen förbättrade per rad (insatsens mål; totalraden om målen är lika)."""
    mal = malen_for_perioden(underlag, period, "andel_forbattrad_halsa")
    if mal is None:
        return None
    per_insats = dict(zip(mal["insats"].astype("str"), mal["varde"].astype("float64"), strict=True))
    gemensamt = next(iter(per_insats.values())) if len(set(per_insats.values())) == 1 else np.nan
    ut = [per_insats.get(v.get("insats", ""), gemensamt) for v in villkor]
    ut += [gemensamt] * (len(etiketter) - len(ut))
    return ut


def _halsoenkatens_meningar(t: Tabell) -> Stycke:
    rubrik = t.kolumner[0].namn
    meningar = []
    for etikett in t.data[rubrik]:
        meningar.append(
            Mening(
                "{namn}: den sammanlagda poängen gick från {start} till {slut} ({forandring}), "
                "och {andel} av deltagarna skattade sin hälsa högre vid avslut.",
                {
                    "namn": str(etikett),
                    "start": Cell(t.namn, etikett, "Summa poäng vid start"),
                    "slut": Cell(t.namn, etikett, "Summa poäng vid avslut"),
                    "forandring": Cell(t.namn, etikett, "Förändring"),
                    "andel": Cell(t.namn, etikett, "Andel förbättrade"),
                },
                om_maskad="{namn}: för få svarande för att visa resultatet.",
            )
        )
    return Stycke(tuple(meningar), punktlista=True)


# ---------------------------------------------------------------------- stegförflyttning


def _stegforflyttning(period: Rapportperiod, rak: Rakning) -> tuple[Tabell, Tabell | None]:
    """Fördelningen upp/samma/ner och, med flera insatser, andelen upp per insats.

    Korstabellen insats × förflyttning (visas inte) ger storheterna och sambanden, så att de
    två tabellerna och förbundets totaler hänger ihop.
    """
    s = rak.tabell("stegforflyttning")
    s = s.assign(insats=s["insats"].astype("str") if "insats" in s.columns else "")
    kors = (
        s.groupby(["insats", "forflyttning"], sort=False)["antal"]
        .sum()
        .unstack("forflyttning", fill_value=0)
        .reindex(columns=list(_FORFLYTTNING), fill_value=0)
    )
    bas = Storhet.av("stegmatning", period)
    med_insats = "insats" in rak.tabell("stegforflyttning").columns
    k = Tabell.korstabell(
        kors,
        namn="_",
        titel="_",
        bas=bas,
        rad_dimension="insats",
        kolumn_dimension="forflyttning",
        radrubrik="Insats",
        summor=False,
    )
    fordelning = Tabell.fordelning(
        kors.sum(axis=0),
        namn="stegforflyttning",
        titel=f"Stegförflyttning, {period.namn}",
        bas=bas,
        dimension="forflyttning",
        kategorirubrik="Förflyttning",
        etiketter=_FORFLYTTNING,
        population="Avslutade med steg vid start och avslut",
        period=period.namn,
        fotnoter=("Steg på förbundets trappa vid inskrivning jämfört med vid avslut.",),
    )
    fordelning = fordelning.med(kalla=_kalla(rak, "stegforflyttning"))
    if med_insats:
        fordelning = fordelning.med(
            antal={**k.antal, **fordelning.antal},
            relationer=fordelning.relationer + k.relationer,
        )
    if len(kors) < 2:
        return fordelning, None
    n = [bas.med(insats=i) for i in kors.index]
    upp = [bas.med(insats=i, forflyttning="upp") for i in kors.index]
    per_insats = Tabell(
        namn="stegforflyttning_per_insats",
        titel=f"Stegförflyttning per insats, {period.namn}",
        data=ram_med_textkolumner(
            {
                "Insats": list(kors.index),
                "Antal avslutade med steg": kors.sum(axis=1).to_numpy(),
                "Antal minst ett steg upp": kors["upp"].to_numpy(),
                "Andel minst ett steg upp": (kors["upp"] / kors.sum(axis=1)).to_numpy(),
            },
            ["Insats"],
        ),
        kolumner=(
            Kolumn("Insats"),
            Kolumn("Antal avslutade med steg", "antal"),
            Kolumn("Antal minst ett steg upp", "antal"),
            Kolumn("Andel minst ett steg upp", "andel"),
        ),
        referenser=pd.DataFrame(
            {
                "Insats": [None] * len(n),
                "Antal avslutade med steg": n,
                "Antal minst ett steg upp": upp,
                "Andel minst ett steg upp": [Kvot(a, b) for a, b in zip(n, upp, strict=True)],
            },
            dtype=object,
        ),
        antal=dict(k.antal),
        relationer=k.relationer,
        population="Avslutade med steg vid start och avslut",
        period=period.namn,
        kalla=_kalla(rak, "stegforflyttning"),
    )
    return fordelning, per_insats


def _halsoblock(underlag: Any, period: Rapportperiod, rak: Rakning) -> tuple[list, dict]:
    """Hälsoenkätens text, figur och tabell, och dess nyckeltal."""
    t = _halsoenkat(underlag, period, rak)
    forsta = t.kolumner[0].namn
    med_mal = "Mål" in t.data.columns
    block = [
        Stycke(
            (
                "Hälsoenkäten jämför deltagarnas egen skattning av hälsan vid start och vid "
                "avslut. Förändringen är den relativa förändringen av den sammanlagda poängen "
                "(procent, inte procentenheter).",
            )
        ),
        _halsoenkatens_meningar(t),
        Diagram(
            "staplar",
            t.namn,
            x=forsta,
            y="Andel förbättrade",
            mal="Mål" if med_mal else None,
            titel=f"Andel med förbättrad upplevd hälsa, {period.namn}",
            alt="Liggande stapeldiagram: andel av deltagarna som skattade sin hälsa "
            "högre vid avslut än vid start" + (", med målet markerat." if med_mal else "."),
        ),
        t,
    ]
    nyckeltal: dict[str, Any] = {}
    for i, etikett in enumerate(t.data[forsta]):
        suffix = "" if i in t.summarader or len(t.data) == 1 else f":{etikett}"
        nyckeltal[f"halsa_forandring{suffix}"] = Cell(t.namn, etikett, "Förändring")
        nyckeltal[f"andel_forbattrad_halsa{suffix}"] = Cell(t.namn, etikett, "Andel förbättrade")
    return block, nyckeltal


def _stegblock(underlag: Any, period: Rapportperiod, rak: Rakning) -> tuple[list, dict]:
    """Stegförflyttningens text, figur och tabeller, och dess nyckeltal."""
    fordelning, per_insats = _stegforflyttning(period, rak)
    trappa = getattr(underlag.konfig, "trappa", ())
    mening = Mening(
        "Stegförflyttning: {n} avslutade med steg vid både start och avslut{trappa}.",
        {
            "n": Cell(fordelning.namn, TOTALT, "Antal"),
            "trappa": f" på trappan ({' → '.join(trappa)})" if trappa else "",
        },
        om_maskad="Stegförflyttning: antalet avslutade med steg vid start och avslut visas "
        "inte (för få).",
    )
    block: list[Any] = [
        Stycke((mening,)),
        Diagram(
            "staplar",
            fordelning.namn,
            x="Förflyttning",
            y="Andel",
            titel=f"Stegförflyttning, avslutade {period.namn}",
            alt="Liggande stapeldiagram: andel av de avslutade som gått upp, stått still "
            "eller gått ner på trappan.",
        ),
        fordelning,
        *([per_insats] if per_insats is not None else []),
    ]
    return block, {"andel_stegforflyttning": Cell(fordelning.namn, _FORFLYTTNING["upp"], "Andel")}


def sektion_halsa_och_stegforflyttning(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Hälsoenkäten (poäng före och efter, andel förbättrade) och stegförflyttning (omaskad)."""
    rak = rakning or rakna(underlag, period)
    block: list[Any] = []
    nyckeltal: dict[str, Any] = {}
    for tabell, bygg in (("halsoenkat", _halsoblock), ("stegforflyttning", _stegblock)):
        if rak.har(tabell):
            b, n = bygg(underlag, period, rak)
            block += b
            nyckeltal.update(n)
    if not block:
        return Sektion(
            "halsa",
            "Hälsa och stegförflyttning",
            saknas=f"Underlaget har ingen hälsoenkät eller stegmätning för {period.namn}.",
        )
    return Sektion(
        "halsa", "Hälsa och stegförflyttning", innehall=tuple(block), nyckeltal=nyckeltal
    )


# ---------------------------------------------------------------------------- uppföljning


def _uppfoljningstabell(g: pd.Series, manader: Any, period: Rapportperiod, rak: Rakning):
    """En uppföljningstid: läget (antal, andel av nådda och av försökta) och storheterna för
    nådda och bortfall, med sambanden försökta = nådda + bortfall."""
    from finsam_analys.matt.uppfoljning import uppfoljningsresultat

    r = uppfoljningsresultat(g)
    bas = Storhet.av("uppfoljning", period, manader=manader)
    t = Tabell.fordelning(
        g,
        namn=f"uppfoljning_{manader}",
        titel=f"{manader} månader efter avslut, {period.namn}",
        bas=bas,
        dimension="lage",
        kategorirubrik="Situation",
        andel=False,
        population="Fullföljda avslut som skulle följas upp",
        period=period.namn,
    )
    nadda, bortfall = bas.med(nadd="ja"), bas.med(nadd="nej")
    delar = [bas.med(lage=u) for u in r["utfall"]]
    ar_nadd = ~r["utfall"].isin(BORTFALL).to_numpy()
    av_nadda = [*r["andel_av_nadda"].to_numpy(dtype="float64"), np.nan]
    av_forsokta = [*r["andel_av_forsokta"].to_numpy(dtype="float64"), 1.0]
    refs = t.referenser.assign(
        **{
            "Andel av nådda": [
                Kvot(nadda, d) if n else None for d, n in zip(delar, ar_nadd, strict=True)
            ]
            + [None],
            "Andel av försökta": [Kvot(bas, d) for d in delar] + [Kvot(bas, bas)],
        }
    ).astype(object)
    antal_nadda = int(r["antal"][ar_nadd].sum())
    t = t.med(
        data=t.data.assign(**{"Andel av nådda": av_nadda, "Andel av försökta": av_forsokta}),
        kolumner=(
            *t.kolumner,
            Kolumn("Andel av nådda", "andel", delar_av_helhet=True),
            Kolumn("Andel av försökta", "andel", delar_av_helhet=True),
        ),
        referenser=refs,
        antal={**t.antal, nadda: antal_nadda, bortfall: int(r["antal"].sum()) - antal_nadda},
        relationer=t.relationer
        + (
            Relation.summa(nadda, [d for d, n in zip(delar, ar_nadd, strict=True) if n]),
            Relation.summa(bortfall, [d for d, n in zip(delar, ar_nadd, strict=True) if not n]),
            Relation.summa(bas, [nadda, bortfall]),
        ),
        kalla=_kalla(rak, "uppfoljning"),
    )
    return t, nadda, bortfall


def _ovriga(g: pd.Series, t: Tabell, manader: Any, period: Rapportperiod) -> Tabell | None:
    """Andelar bland de nådda utom arbete och studier (samma storheter som i ``t``)."""
    from finsam_analys.matt.uppfoljning import andelar_bland_ovriga

    ovriga = andelar_bland_ovriga(g, exkludera=list(_UTOM))
    if not set(_UTOM) & set(g.index) or len(ovriga) < 2:
        return None
    bas = Storhet.av("uppfoljning", period, manader=manader)
    delar = [
        (str(u), bas.med(lage=u), a) for u, a in zip(ovriga["utfall"], ovriga["antal"], strict=True)
    ]
    return delar_som_fordelning(
        delar,
        total=bas.med(urval="ovriga"),
        namn=f"uppfoljning_{manader}_ovriga",
        titel=f"{manader} månader: övriga (utom arbete och studier), {period.namn}",
        etikettkolumn="Situation",
        population="Nådda utom arbete och studier",
        period=period.namn,
    )


def _andel_av_nadda(tabeller: list[Tabell], period: Rapportperiod) -> Tabell:
    """Andel av nådda per läge och uppföljningstid i en tabell (figurens underlag)."""
    lagen: list[str] = []
    for t in tabeller:
        lagen += [
            x
            for x, k in zip(t.data["Situation"], t.referenser["Andel av nådda"], strict=True)
            if k is not None and x not in lagen
        ]
    data: dict[str, list] = {"Situation": lagen}
    refs: dict[str, list] = {"Situation": [None] * len(lagen)}
    kolumner = [Kolumn("Situation")]
    for t in tabeller:
        namn = t.titel.split(" efter avslut")[0]
        rad = {x: i for i, x in enumerate(t.data["Situation"])}
        data[namn] = [t.data["Andel av nådda"].iloc[rad[x]] if x in rad else np.nan for x in lagen]
        refs[namn] = [
            t.referenser["Andel av nådda"].iloc[rad[x]] if x in rad else None for x in lagen
        ]
        kolumner.append(Kolumn(namn, "andel", delar_av_helhet=True))
    return Tabell(
        namn="uppfoljning_andel_av_nadda",
        titel=f"Läget efter avslut, andel av nådda, {period.namn}",
        data=ram_med_textkolumner(data, ["Situation"]),
        kolumner=tuple(kolumner),
        referenser=pd.DataFrame(refs, dtype=object),
        antal={s: v for t in tabeller for s, v in t.antal.items()},
        population="Nådda vid uppföljningen",
        period=period.namn,
    )


def _uppfoljningsmening(t: Tabell, nadda: Storhet, bortfall: Storhet) -> Mening:
    tid = t.titel.split(",")[0]
    varden: dict[str, Any] = {
        "tid": tid,
        "forsokta": Cell(t.namn, TOTALT, "Antal"),
        "nadda": Varde(t.antal[nadda], "antal", nadda),
    }
    mall = "{tid}: {forsokta} skulle följas upp, {nadda} nåddes."
    if t.antal[bortfall]:
        varden["bortfall"] = Varde(t.antal[bortfall], "antal", bortfall)
        mall = "{tid}: {forsokta} skulle följas upp, {nadda} nåddes (bortfall {bortfall})."
    return Mening(mall, varden)


def sektion_uppfoljning(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Läget 6, 12 och 18 månader efter avslut: andel av nådda och av alla försökta (omaskad).

    En tabell per uppföljningstid (och andelarna bland övriga utom arbete och studier), och en
    figur för alla tider (grupperade staplar: läget × tiden, andel av nådda) ur en
    sammanställning som visas först.
    """
    rak = rakning or rakna(underlag, period)
    rubrik = "Uppföljning efter avslut"
    if not rak.har("uppfoljning"):
        return Sektion(
            "uppfoljning",
            rubrik,
            saknas=f"Underlaget har ingen uppföljning efter avslut för {period.namn}.",
        )
    u = rak.tabell("uppfoljning")
    if "del_av" in u.columns:
        u = u[(u["del_av"].isna() | (u["del_av"].astype("str") == "")).to_numpy()]
    u = utan_summarader(u, "utfall")
    tider, ovriga, meningar, nyckeltal = [], [], [], {}
    for manader, grupp in u.groupby("manader", sort=True):
        g = grupp.groupby("utfall", sort=False)["antal"].sum()
        g = g.sort_values(ascending=False, kind="stable")
        t, nadda, bortfall = _uppfoljningstabell(g, manader, period, rak)
        tider.append(t)
        ovriga.append(_ovriga(g, t, manader, period))
        meningar.append(_uppfoljningsmening(t, nadda, bortfall))
        for lage in t.data["Situation"].iloc[:-1]:
            nyckeltal[f"uppfoljning_{manader}_man:{lage}"] = Cell(t.namn, lage, "Andel av nådda")
        nyckeltal[f"uppfoljning_{manader}_man_forsokta"] = Cell(t.namn, TOTALT, "Antal")
    block: list[Any] = [
        Stycke(
            (
                "Andel av nådda räknas på dem som gick att följa upp; andel av försökta på alla "
                "som skulle följas upp (bortfallet syns då).",
            )
        ),
        Stycke(tuple(meningar), punktlista=True),
        *_uppfoljningsfigur(tider, period),
    ]
    for t, o in zip(tider, ovriga, strict=True):
        block += [t] + ([o] if o is not None else [])
    return Sektion("uppfoljning", rubrik, innehall=tuple(block), nyckeltal=nyckeltal)


def _uppfoljningsfigur(tider: list[Tabell], period: Rapportperiod) -> list[Any]:
    """En figur för alla uppföljningstider (andel av nådda per läge och tid).

    Med flera tider ritas den ur en sammanställning (som visas före tidernas tabeller); med en
    tid ur tidens tabell.
    """
    manader = [t.namn.removeprefix("uppfoljning_") for t in tider]
    tid = _uppraknat(manader)
    titel = f"Läget {tid} månader efter avslut (andel av nådda)"
    alt = (
        f"Grupperat stapeldiagram: läget {tid} månader efter avslut, andel av dem som nåddes, "
        "per läge."
    )
    if len(tider) == 1:
        diagram = Diagram("staplar", tider[0].namn, x="Situation", y="Andel av nådda", titel=titel,
                          alt=alt.replace("Grupperat", "Liggande"),
                          not_="Maskade värden (..) ritas inte.")  # fmt: skip
        return [diagram]
    sammanstallning = _andel_av_nadda(tider, period)
    grupper = tuple(k.namn for k in sammanstallning.kolumner[1:])
    diagram = Diagram("grupperade_staplar", sammanstallning.namn, x="Situation", grupper=grupper,
                      titel=titel, alt=alt, not_="Maskade värden (..) ritas inte.")  # fmt: skip
    return [diagram, sammanstallning]


def _uppraknat(delar: list[str]) -> str:
    """``["6", "12", "18"]`` -> ``"6, 12 och 18"``."""
    return delar[0] if len(delar) == 1 else ", ".join(delar[:-1]) + " och " + delar[-1]


# ------------------------------------------------------------------------ deltagarenkäten


def _hoga_steg(grupp: pd.DataFrame, oversta_steg: int) -> list[str]:
    """De ``oversta_steg`` översta stegen (numeriskt om stegen är tal, annars som de står)."""
    steg = list(dict.fromkeys(grupp["steg"].astype("str")))
    numeriska = pd.to_numeric(pd.Series(steg), errors="coerce")
    if numeriska.notna().all():
        steg = [s for _, s in sorted(zip(numeriska, steg, strict=True))]
    return steg[-oversta_steg:]


def _enkatresultat(e: pd.DataFrame, oversta_steg: int) -> pd.DataFrame:
    """:func:`~finsam_analys.matt.enkater.andel_hoga_steg` per fråga (med frågans skala)."""
    from finsam_analys.matt.enkater import andel_hoga_steg

    e = e.drop(columns=[k for k in ("period", "insats") if k in e.columns])
    delar = [
        andel_hoga_steg(grupp, hoga_steg=_hoga_steg(grupp, oversta_steg))
        for _, grupp in e.groupby("fraga", sort=False)
    ]
    return pd.concat(delar, ignore_index=True)


def _enkattabell(r: pd.DataFrame, period: Rapportperiod, oversta_steg: int) -> Tabell:
    """En rad per fråga; antal svar och andel i de översta stegen per tillfälle, och
    förändringen mellan första och sista tillfället (procentenheter)."""
    from finsam_analys.matt.enkater import forandring_mellan_tillfallen

    tillfallen = list(dict.fromkeys(r["tillfalle"].astype("str"))) if "tillfalle" in r else [""]
    fragor = list(dict.fromkeys(r["fraga"].astype("str")))
    bas = Storhet.av("svarande", period, enkat="nns")
    data: dict[str, list] = {"Fråga": fragor}
    refs: dict[str, list] = {"Fråga": [None] * len(fragor)}
    kolumner, antal, kvoter = [Kolumn("Fråga")], {}, {}
    for tillfalle in tillfallen:
        del_ = r[r["tillfalle"].astype("str") == tillfalle] if tillfalle else r
        rad = {str(f): x for f, x in zip(del_["fraga"], del_.itertuples(), strict=True)}
        villkor = {"tillfalle": tillfalle} if tillfalle else {}
        n = [bas.med(fraga=f, **villkor) for f in fragor]
        hoga = [s.med(steg="hoga") for s in n]
        kvoter[tillfalle] = [Kvot(a, b) for a, b in zip(n, hoga, strict=True)]
        efter = f", {tillfalle}" if tillfalle else ""
        andel = f"Andel i de {oversta_steg} översta stegen{efter}"
        data[f"Antal svar{efter}"] = [rad[f].n if f in rad else np.nan for f in fragor]
        data[andel] = [rad[f].andel if f in rad else np.nan for f in fragor]
        refs[f"Antal svar{efter}"], refs[andel] = n, kvoter[tillfalle]
        kolumner += [Kolumn(f"Antal svar{efter}", "antal"), Kolumn(andel, "andel")]
        antal.update({s: int(rad[f].n) for s, f in zip(n, fragor, strict=True) if f in rad})
        antal.update(
            {s: int(rad[f].antal_hoga) for s, f in zip(hoga, fragor, strict=True) if f in rad}
        )
    if len(tillfallen) > 1:
        skillnad = forandring_mellan_tillfallen(r, fran=tillfallen[0], till=tillfallen[-1])
        skillnad = skillnad.set_index(skillnad["fraga"].astype("str"))["skillnad"]
        data["Förändring"] = [float(skillnad.get(f, np.nan)) for f in fragor]
        refs["Förändring"] = [
            Harledd.av(a, b)
            for a, b in zip(kvoter[tillfallen[0]], kvoter[tillfallen[-1]], strict=True)
        ]
        kolumner.append(Kolumn("Förändring", "procentenheter"))
    return Tabell(
        namn="deltagarenkat",
        titel=f"Deltagarenkät (NNS), {period.namn}",
        data=ram_med_textkolumner(data, ["Fråga"]),
        kolumner=tuple(kolumner),
        referenser=pd.DataFrame(refs, dtype=object),
        antal=antal,
        population="Svarande på deltagarenkäten",
        period=period.namn,
        fotnoter=(f"Förändring: {tillfallen[-1]} jämfört med {tillfallen[0]}, i procentenheter.",)
        if len(tillfallen) > 1
        else (),
    )


def sektion_deltagarenkat(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
    oversta_steg: int = 2,
) -> Sektion:
    """NNS-enkäten: andel som svarar i de översta stegen per fråga och tillfälle, med n (omaskad).

    Stegen ordnas som de står i tabellen ``enkat`` (lägsta först, eller numeriskt om de är
    tal); ``oversta_steg`` anger hur många av de översta stegen som räknas.
    """
    rak = rakning or rakna(underlag, period)
    rubrik = "Deltagarenkät (NNS)"
    if not rak.har("enkat"):
        return Sektion(
            "enkat",
            rubrik,
            saknas=f"Underlaget har inga svar på deltagarenkäten (NNS-indikatorerna) för "
            f"{period.namn}.",
        )
    r = _enkatresultat(utan_summarader(rak.tabell("enkat"), "steg"), oversta_steg)
    t = _enkattabell(r, period, oversta_steg).med(kalla=_kalla(rak, "enkat"))
    andelar = tuple(k.namn for k in t.kolumner if k.matt == "andel")
    diagram = Diagram(
        "grupperade_staplar" if len(andelar) > 1 else "staplar",
        t.namn,
        x="Fråga",
        y=None if len(andelar) > 1 else andelar[0],
        grupper=andelar if len(andelar) > 1 else (),
        titel=f"Deltagarenkät (NNS), {period.namn}",
        alt="Liggande stapeldiagram: andel som svarar i de översta stegen per fråga"
        + (" och tillfälle." if len(andelar) > 1 else "."),
    )
    text = Stycke(
        (
            "NNS-indikatorerna redovisas som andelen som svarar i de översta stegen, med antalet "
            "svar (n).",
        )
    )
    nyckeltal = {f"enkat:{f}": Cell(t.namn, f, andelar[-1]) for f in t.data["Fråga"]}
    return Sektion("enkat", rubrik, innehall=(text, diagram, t), nyckeltal=nyckeltal)
