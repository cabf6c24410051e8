"""Utforskning: ett mått i valfria snitt (insats, kön, ålder, kommun, remittent, försörjning),
för valfria urval och perioder, som tabeller och figur efter rapportens kontrollpunkter.

:func:`utforska` svarar på frågor som "avslut per utfall för kvinnor under 30 i Exempelstad,
2023 mot 2024" ur förbundets deltagarrader. Svaret är en :class:`~finsam_analys.tabell.Sektion`
med en mening om vad som räknats, en figur och två tabeller (antal med summarad, och andelar
inom varje kolumn) – byggda av :class:`~finsam_analys.tabell.Tabell` och maskade i samma
kontrollpunkter som rapporten (:func:`finsam_analys.rapport.kontrollpunkter`): sekretessen är
på som standard och stängs av med ``maskera=False`` (för internt arbete; det står då i svaret).

Måtten (``matt``) och vilka deltaganden de räknar:

======================  ===========================================  =========================
mått                    population under perioden                    rader
======================  ===========================================  =========================
``flode``               alla deltaganden                             flödets led (aktiva vid
                                                                     start, nya, deltagit …)
``utfall``              fullföljda avslut                            utfall (avslutsorsak)
``avbrott``             avbrutna deltaganden                         orsak
``avslutstyp``          avslutade                                    fullföljd/avbruten
``halsa``               avslutade med ORS vid start och avslut       förbättrad/oförändrad/
                                                                     försämrad
``steg``                avslutade med steg vid start och avslut      upp/samma/ner
``uppfoljning_6_man``   fullföljda vars uppföljning (6, 12, 18 mån)  läget vid uppföljningen
(``_12_man``,           infaller under perioden
``_18_man``)
``forsorjning_efter``   avslutade                                    försörjningsgrupp vid
                                                                     avslut
en dimension            deltagit                                     dimensionens kategorier
======================  ===========================================  =========================

Dimensionerna (för ``per``, ``urval`` och som mått): ``insats``, ``inriktning``, ``kon``,
``aldersgrupp``, ``kommun``, ``remittent``, ``forsorjning_fore`` (försörjningsgrupp vid
inskrivning), ``forsorjning_efter``, ``forsorjning_in``, ``tid_offentlig_forsorjning`` och
``avslutstyp``. Enheten är deltaganden (som i SUS och i rapporten).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import FORSORJNINGSGRUPPER, TOTALT
from finsam_analys.indata.kodlistor import UPPGIFT_SAKNAS as SAKNAS
from finsam_analys.matt.deltagarfloden import (
    ALDERSKLASSER,
    FLODESLED,
    TID_I_FORSORJNING_KLASSER,
    deltagarflode,
    fordelning,
)
from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.deltagare import FLODESNAMN, KATEGORINAMN
from finsam_analys.rapport.gemensamt import sekretessregler
from finsam_analys.tabell import (
    Diagram,
    Kolumn,
    Kvot,
    Mening,
    Relation,
    Sektion,
    Storhet,
    Stycke,
    Tabell,
    ram_med_textkolumner,
)

__all__ = ["DIMENSIONER", "MATT", "utforska"]


DIMENSIONER: dict[str, str] = {
    "insats": "Insats",
    "inriktning": "Inriktning",
    "kon": "Kön",
    "aldersgrupp": "Åldersgrupp",
    "kommun": "Kommun",
    "remittent": "Remittent",
    "forsorjning_fore": "Försörjning vid inskrivning",
    "forsorjning_efter": "Försörjning vid avslut",
    "forsorjning_in": "Försörjning vid inskrivning (ersättning)",
    "tid_offentlig_forsorjning": "Tid i offentlig försörjning",
    "avslutstyp": "Avslutstyp",
}
"""Dimensionerna man kan dela upp och välja på, med rubriken som visas."""

# mått -> (titel, led i flödet, variabel, populationens namn)
MATT: dict[str, tuple[str, str, str, str]] = {
    "flode": ("Deltagarflöde", "", "", "Deltaganden"),
    "utfall": ("Avslut per utfall", "fullfoljda", "utfall", "Fullföljda avslut"),
    "avbrott": ("Avbrott per orsak", "avbrutna", "utfall", "Avbrutna deltaganden"),
    "avslutstyp": ("Fullföljda och avbrutna", "avslutade", "avslutstyp", "Avslutade"),
    "halsa": (
        "Förändring i upplevd hälsa (ORS)",
        "avslutade",
        "halsa",
        "Avslutade med ORS vid start och avslut",
    ),
    "steg": (
        "Stegförflyttning",
        "avslutade",
        "steg",
        "Avslutade med steg vid start och avslut",
    ),
    **{
        f"uppfoljning_{m}_man": (
            f"Läget {m} månader efter avslut",
            "avslutade",
            f"uppfoljning_{m}_man",
            f"Fullföljda med uppföljning efter {m} månader under perioden",
        )
        for m in (6, 12, 18)
    },
    "forsorjning_efter": (
        "Försörjning vid avslut",
        "avslutade",
        "forsorjning_efter",
        "Avslutade",
    ),
    **{
        d: (f"Deltagare per {rubrik.lower()}", "deltagit", d, "Deltagare under perioden")
        for d, rubrik in DIMENSIONER.items()
        if d not in ("forsorjning_efter", "avslutstyp")
    },
}
"""Måtten: titel, led i flödet, variabel och population."""

_ORDNING = {
    "halsa": ("Förbättrad", "Oförändrad", "Försämrad"),
    "steg": ("Upp", "Samma", "Ner"),
    "aldersgrupp": tuple(e for _, e in ALDERSKLASSER),
    "tid_offentlig_forsorjning": tuple(e for _, e in TID_I_FORSORJNING_KLASSER),
    "forsorjning_fore": tuple(FORSORJNINGSGRUPPER),
    "forsorjning_efter": tuple(FORSORJNINGSGRUPPER),
}
_GRUPP = {f: g for g, former in FORSORJNINGSGRUPPER.items() for f in former}


def _riktning(start: pd.Series, slut: pd.Series, namn: tuple[str, str, str]) -> pd.Series:
    s = pd.to_numeric(start).to_numpy(dtype="float64", na_value=np.nan)
    e = pd.to_numeric(slut).to_numpy(dtype="float64", na_value=np.nan)
    ut = np.where(e > s, namn[0], np.where(e == s, namn[1], namn[2])).astype(object)
    ut[np.isnan(s) | np.isnan(e)] = None
    return pd.Series(ut, index=start.index, dtype="str")


def _klassa(tal: pd.Series, klasser: Sequence[tuple[float, str]]) -> pd.Series:
    granser = [g for g, _ in klasser] + [np.inf]
    return pd.cut(tal, bins=granser, labels=[e for _, e in klasser], right=False).astype("str")


def _harledda_kolumner(deltagare: pd.DataFrame) -> pd.DataFrame:
    """Deltagarraderna med dimensionerna som kolumner (samma klasser som rapporten)."""
    d = deltagare
    ny: dict[str, pd.Series] = {}
    kolumner = set(d.columns)
    if "folkbokforingskommun" in kolumner:
        ny["kommun"] = d["folkbokforingskommun"]
    ar = pd.to_datetime(d["inskrivningsdatum"]).dt.year.astype("float64")
    alder = pd.Series(np.nan, index=d.index)
    if "alder" in kolumner:
        alder = pd.to_numeric(d["alder"]).astype("float64")
    if "fodelsear" in kolumner:
        fodd = ar - pd.to_numeric(d["fodelsear"]).astype("float64")
        alder = fodd.where(fodd.notna(), alder)
    ny["aldersgrupp"] = _klassa(alder, ALDERSKLASSER).where(alder.notna())
    if "tid_offentlig_forsorjning_ar" in kolumner:
        tid = pd.to_numeric(d["tid_offentlig_forsorjning_ar"]).astype("float64")
        ny["tid_offentlig_forsorjning"] = _klassa(tid, TID_I_FORSORJNING_KLASSER).where(tid.notna())
    for fran, till in (
        ("forsorjning_in", "forsorjning_fore"),
        ("forsorjning_ut", "forsorjning_efter"),
    ):
        if fran in kolumner:
            ny[till] = d[fran].map(_GRUPP).astype("str")
    if "avslutsorsak" in kolumner:
        ny["utfall"] = d["avslutsorsak"]
    if {"halsopoang_start", "halsopoang_slut"} <= kolumner:
        ny["halsa"] = _riktning(
            d["halsopoang_start"], d["halsopoang_slut"], ("Förbättrad", "Oförändrad", "Försämrad")
        )
    if {"steg_start", "steg_slut"} <= kolumner:
        ny["steg"] = _riktning(d["steg_start"], d["steg_slut"], ("Upp", "Samma", "Ner"))
    return d.assign(**ny)


def _valj(d: pd.DataFrame, urval: Mapping[str, Any]) -> pd.DataFrame:
    mask = np.ones(len(d), dtype=bool)
    for dim, varden in urval.items():
        lista = [varden] if isinstance(varden, str) else list(varden)
        mask &= d[dim].isin(lista).to_numpy(dtype=bool, na_value=False)
    return d[mask]


def _uppfoljningsrader(d: pd.DataFrame, variabel: str) -> pd.DataFrame:
    """Fullföljda med ett värde vid uppföljningen; avslutsdatum = uppföljningens datum, så att
    "avslutade under perioden" blir "uppföljda under perioden" (som rapportens uppföljning)."""
    manader = int(variabel.split("_")[1])
    fullfoljd = d["avslutstyp"].ne("Avbruten").to_numpy(dtype=bool, na_value=True)
    urval = d[fullfoljd & d["avslutsdatum"].notna().to_numpy() & d[variabel].notna().to_numpy()]
    datum = pd.to_datetime(urval["avslutsdatum"]) + pd.DateOffset(months=manader)
    return urval.assign(inskrivningsdatum=datum, avslutsdatum=datum, avslutstyp=None)


def _etikett(varde: Any) -> str:
    return KATEGORINAMN.get(str(varde), str(varde))


def _kolumnnamn(grupp: tuple, period: Rapportperiod, flera_perioder: bool) -> str:
    delar = [_etikett(v) for v in grupp]
    if flera_perioder or not delar:
        delar.append(period.namn)
    return ", ".join(delar)


def _antal(
    d: pd.DataFrame, matt: str, per: list[str], perioder: list[Rapportperiod]
) -> pd.DataFrame:
    """Antal per kategori (rader) och grupp × period (kolumner)."""
    _, led, variabel, _ = MATT[matt]
    flera = len(perioder) > 1
    delar: list[tuple[tuple, int, pd.Series]] = []
    for nr, period in enumerate(perioder):
        if matt == "flode":
            t = deltagarflode(d, period=period, per=per or None)
            t = t[t["dimension"] == "status"]
        else:
            t = fordelning(d, period=period, dimension=variabel, urval=led, per=per or None)
        if t.empty:
            continue
        for grupp, g in t.groupby(per, sort=True) if per else [((), t)]:
            grupp = grupp if isinstance(grupp, tuple) else (grupp,)
            serie = g.set_index("kategori")["antal"].astype("int64")
            serie.name = _kolumnnamn(grupp, period, flera)
            delar.append((tuple(map(str, grupp)), nr, serie))
    if not delar:
        return pd.DataFrame()
    # varje grupp i varje period (noll där inga deltaganden finns), och samma grupp i alla
    # perioder bredvid varandra: Steget 2023, Steget 2024, Lotsen 2023 …
    funna = {(g, nr) for g, nr, _ in delar}
    for g in sorted({g for g, _, _ in delar}):
        for nr, period in enumerate(perioder):
            if (g, nr) not in funna:
                delar.append((g, nr, pd.Series(dtype="int64", name=_kolumnnamn(g, period, flera))))
    delar.sort(key=lambda x: (x[0], x[1]))
    tabell = pd.concat([serie for *_, serie in delar], axis=1).fillna(0).astype("int64")
    if matt == "flode":
        ordning = [s for s in FLODESLED if s in tabell.index]
        return tabell.reindex(ordning).rename(index=FLODESNAMN)
    fast = _ORDNING.get(variabel)
    if fast:
        ordning = [k for k in fast if k in tabell.index]
    else:
        ordning = list(tabell.sum(axis=1).sort_values(ascending=False, kind="stable").index)
    ordning = [k for k in ordning if k != SAKNAS] + [k for k in tabell.index if k not in ordning]
    return tabell.reindex(ordning)


def _flodestabell(antal: pd.DataFrame, bas: Storhet, titel: str, period: str) -> Tabell:
    """Flödet: leden är inte delar av en helhet, men identiteterna gäller i varje kolumn."""
    led = {FLODESNAMN[s]: s for s in FLODESLED}
    data: dict[str, list[Any]] = {"Led": list(antal.index)}
    refs: dict[str, list[Any]] = {"Led": [None] * len(antal)}
    varden: dict[Storhet, float] = {}
    relationer: list[Relation] = []
    for kolumn in antal.columns:
        storheter = {r: bas.med(led=led[r], grupp=kolumn) for r in antal.index}
        data[kolumn] = [int(v) for v in antal[kolumn]]
        refs[kolumn] = [storheter[r] for r in antal.index]
        varden.update({storheter[r]: int(antal.at[r, kolumn]) for r in antal.index})
        s = {led[r]: st for r, st in storheter.items()}
        for total, delar in (
            ("deltagit", ("aktiva_vid_start", "nya")),
            ("deltagit", ("avslutade", "aktiva_vid_slut")),
            ("avslutade", ("fullfoljda", "avbrutna")),
        ):
            if total in s and all(x in s for x in delar):
                relationer.append(Relation.summa(s[total], [s[x] for x in delar]))
    kolumner = (Kolumn("Led"), *(Kolumn(k, "antal") for k in antal.columns))
    return Tabell(
        namn="utforskning_antal",
        titel=titel,
        data=ram_med_textkolumner(data, ["Led"]),
        kolumner=kolumner,
        referenser=pd.DataFrame(refs, dtype=object),
        antal=varden,
        relationer=tuple(relationer),
        population="Deltaganden",
        period=period,
    )


def _andelstabell(antal: Tabell, rubrik: str, titel: str) -> Tabell:
    """Andel av kolumnens summa för varje cell (utom summaraden): Kvot(kolumnsumma, cell)."""
    summarad = antal.summarader[0]
    rader = [i for i in range(len(antal.data)) if i != summarad]
    kolumner = [k for k in antal.kolumner if k.matt == "antal"]
    data: dict[str, list[Any]] = {rubrik: [antal.data[rubrik].iloc[i] for i in rader]}
    refs: dict[str, list[Any]] = {rubrik: [None] * len(rader)}
    for k in kolumner:
        namnare = antal.referens(summarad, k.namn)
        n = antal.antal[namnare]
        data[k.namn] = [antal.antal[antal.referens(i, k.namn)] / n if n else np.nan for i in rader]
        refs[k.namn] = [Kvot(namnare, antal.referens(i, k.namn)) for i in rader]
    return Tabell(
        namn="utforskning_andel",
        titel=titel,
        data=ram_med_textkolumner(data, [rubrik]),
        kolumner=(
            Kolumn(rubrik),
            *(Kolumn(k.namn, "andel", delar_av_helhet=True) for k in kolumner),
        ),
        referenser=pd.DataFrame(refs, dtype=object),
        antal=dict(antal.antal),
        relationer=antal.relationer,
        population=antal.population,
        period=antal.period,
    )


def _urvalstext(urval: Mapping[str, Any]) -> str:
    delar = []
    for dim, varden in urval.items():
        lista = [varden] if isinstance(varden, str) else list(varden)
        delar.append(f"{DIMENSIONER.get(dim, dim).lower()} {' eller '.join(map(_etikett, lista))}")
    return "; ".join(delar)


def utforska(
    underlag: Any,
    *,
    matt: str,
    per: Sequence[str] = (),
    urval: Mapping[str, Any] | None = None,
    perioder: Sequence[str | Rapportperiod] | None = None,
    maskera: bool = True,
) -> Sektion:
    """Ett mått uppdelat på dimensioner och perioder, maskat som i rapporten.

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag med deltagarrader (tabellen ``deltagare``).
    matt : str
        Måttet, se :data:`MATT` (t.ex. ``"utfall"``, ``"flode"``, ``"halsa"``, ``"kon"``).
    per : sekvens av str
        Dimensioner att dela upp på (kolumner), se :data:`DIMENSIONER`.
    urval : mapping, valfri
        Bara deltaganden med dessa värden, t.ex. ``{"kon": "Kvinna", "aldersgrupp":
        ["Under 25 år", "25–29 år"]}``.
    perioder : sekvens av periodkoder, valfri
        Perioderna att jämföra (kolumner); standard förbundets perioder.
    maskera : bool
        Sekretessmaskning som i rapporten (standard). ``False`` visar alla tal – bara för
        internt arbete; svaret säger det.

    Returns
    -------
    Sektion
        En mening om vad som räknats, en figur, tabellen med antal (summarad per kolumn) och
        tabellen med andelar inom varje kolumn, efter sekretess och avrundning. Saknas data
        säger sektionen vad som fattas.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from finsam_analys.indata.underlag import Sekretess
    >>> d = pd.DataFrame({
    ...     "deltagare_id": [f"D{i}" for i in range(12)], "insats": ["T"] * 12,
    ...     "inskrivningsdatum": pd.to_datetime(["2024-02-01"] * 12),
    ...     "avslutsdatum": pd.to_datetime(["2024-09-01"] * 10 + [None] * 2),
    ...     "avslutstyp": ["Fullföljd"] * 10 + [None] * 2,
    ...     "avslutsorsak": ["Arbete"] * 6 + ["Studier"] * 4 + [None] * 2,
    ...     "kon": ["Kvinna", "Man"] * 6})
    >>> u = SimpleNamespace(tabell=lambda n: d if n == "deltagare" else None,
    ...     konfig=SimpleNamespace(sekretess=Sekretess(), perioder=("2024",)))
    >>> s = utforska(u, matt="utfall", maskera=False)
    >>> s.tabell("utforskning_antal").visning.values.tolist()
    [['Arbete', 6], ['Studier', 4], ['Totalt', 10]]
    >>> # Studier (4) är under tröskeln; Arbete maskas också, annars vore Studier 10 − 6
    >>> utforska(u, matt="utfall").tabell("utforskning_antal").visning.values.tolist()
    [['Arbete', '..'], ['Studier', '..'], ['Totalt', 10]]
    """
    from finsam_analys.rapport import kontrollpunkter

    per = list(per)
    urval = dict(urval or {})
    _kontrollera_val(matt, per, urval)
    titel, led, variabel, population = MATT[matt]
    if perioder is None:
        perioder = list(getattr(underlag.konfig, "perioder", ()))
    perioder_ = [Rapportperiod.tolka(p) for p in perioder]
    periodtext = " och ".join(p.namn for p in perioder_)
    rubrik = titel + (f" per {', '.join(DIMENSIONER[d].lower() for d in per)}" if per else "")
    deltagare = underlag.tabell("deltagare")
    if deltagare is None or not len(deltagare):
        return Sektion("utforskning", rubrik, saknas="Utforskningen kräver deltagarrader.")
    d = _harledda_kolumner(deltagare)
    saknade = [k for k in [variabel, *per, *urval] if k and k not in d.columns]
    if saknade or (variabel and d[variabel].isna().all()):
        vad = ", ".join(saknade) or variabel
        return Sektion("utforskning", rubrik, saknas=f"Underlaget har inga uppgifter om {vad}.")
    d = _valj(d, urval)
    if matt.startswith("uppfoljning_"):
        d = _uppfoljningsrader(d, variabel)
    elif variabel in ("halsa", "steg"):
        d = d[d[variabel].notna().to_numpy()]
    antal = _antal(d, matt, per, perioder_) if len(d) else pd.DataFrame()
    if antal.empty:
        return Sektion(
            "utforskning", rubrik, saknas=f"Inga deltaganden i urvalet under {periodtext}."
        )
    bas = Storhet.av(f"utforskning:{matt}", **{k: str(v) for k, v in urval.items()})
    tabeller, diagram = _tabeller_och_diagram(
        antal, matt, bas, f"{rubrik}, {periodtext}", periodtext, population
    )
    regler = sekretessregler(underlag)
    if not maskera:
        regler = replace(regler, intern=True)
    stycke = _inledning(population, periodtext, urval, regler, maskera=maskera)
    sektion = Sektion("utforskning", rubrik, innehall=(stycke, diagram, *tabeller))
    return kontrollpunkter({"utforskning": sektion}, regler)["utforskning"]


def _kontrollera_val(matt: str, per: list[str], urval: Mapping[str, Any]) -> None:
    """Måttet och dimensionerna ska vara kända (ValueError med de möjliga valen)."""
    if matt not in MATT:
        raise ValueError(f"Okänt mått {matt!r}; välj bland: {', '.join(MATT)}.")
    for dim in [*per, *urval]:
        if dim not in DIMENSIONER:
            raise ValueError(f"Okänd dimension {dim!r}; välj bland: {', '.join(DIMENSIONER)}.")


def _radrubrik(matt: str, variabel: str) -> str:
    """Rubriken över tabellens radetiketter."""
    if matt == "avbrott":
        return "Orsak"
    if variabel in ("utfall", "halsa", "steg") or variabel.startswith("uppfoljning_"):
        return {"utfall": "Utfall", "halsa": "ORS", "steg": "Steg"}.get(variabel, "Situation")
    return "Led" if matt == "flode" else DIMENSIONER.get(variabel, "Kategori")


def _tabeller_och_diagram(
    antal: pd.DataFrame, matt: str, bas: Storhet, titel: str, periodtext: str, population: str
) -> tuple[list[Tabell], Diagram]:
    """Flödet (en tabell), eller antal och andel i varje kolumn; figuren ur den sista."""
    if matt == "flode":
        diagram = Diagram(
            "grupperade_staplar", "utforskning_antal", x="Led",
            grupper=tuple(antal.columns), titel=titel, enhet="antal",
        )  # fmt: skip
        return [_flodestabell(antal, bas, titel, periodtext)], diagram
    radrubrik = _radrubrik(matt, MATT[matt][2])
    kors = Tabell.korstabell(
        antal, namn="utforskning_antal", titel=f"{titel}: antal", bas=bas,
        rad_dimension="kategori", kolumn_dimension="grupp", radrubrik=radrubrik,
        etiketter=KATEGORINAMN, population=population, period=periodtext,
    )  # fmt: skip
    # ingen summakolumn: kolumnerna kan vara olika perioder (samma person i flera)
    kors = kors.med(
        data=kors.data.drop(columns=TOTALT),
        referenser=kors.referenser.drop(columns=TOTALT),
        kolumner=tuple(k for k in kors.kolumner if k.namn != TOTALT),
    )
    andel = _andelstabell(kors, radrubrik, f"{titel}: andel i varje kolumn")
    kolumner = [k.namn for k in andel.kolumner if k.matt == "andel"]
    diagram = Diagram(
        "grupperade_staplar" if len(kolumner) > 1 else "staplar", "utforskning_andel",
        x=radrubrik, y=None if len(kolumner) > 1 else kolumner[0],
        grupper=tuple(kolumner) if len(kolumner) > 1 else (),
        titel=titel, enhet="andel",
    )  # fmt: skip
    return [kors, andel], diagram


def _inledning(
    population: str, periodtext: str, urval: Mapping[str, Any], regler: Any, *, maskera: bool
) -> Stycke:
    """Vad som räknats (population, perioder, urval) och hur talen är maskade."""
    text = f"{population} ({periodtext})"
    if urval:
        text += f", bara {_urvalstext(urval)}"
    meningar: list[Any] = [
        Mening(
            "{text}. Enheten är deltaganden; en person kan finnas i flera insatser.",
            {"text": text},
        )
    ]
    if not maskera:
        meningar.append("Omaskad: alla tal visas. Bara för internt arbete, inte för spridning.")
    else:
        meningar.append(
            f"Antal under {regler.troskel} och andelar med en nämnare under "
            f"{regler.namnare_troskel} visas som .., liksom tal som annars kunde räknas fram."
        )
    return Stycke(tuple(meningar))
