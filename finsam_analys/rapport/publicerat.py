"""Förbundets tryckta tabeller i rapporten: varje publicerad tabell som en egen tabell.

Ett förbunds katalog kan ha tal ur rapporter som redan är publicerade på två sätt (se
``data/README.md``): tryckta tabeller som de står i ``publicerat/``
(:class:`~finsam_analys.indata.publicerat.PubliceradTabell`) och rader i de kanoniska
tabellerna med kolumnen ``kalltabell`` (vilken tryckt tabell raden kommer från). Här blir varje
sådan tryckt tabell en :class:`~finsam_analys.tabell.Tabell` med källan ``"publicerad"``:
tryckt titel, etiketter och tal, var den står (``kallhanvisning`` och en källrad under
tabellen), population och period. Tabellen placeras i det avsnitt den hör till
(:func:`avsnitt_for_tryckt`), bredvid det som biblioteket räknar om ur delar eller
deltagarrader; inget som är transkriberat används bara tyst av granskningen.

Där granskningen hittade ett fel i det tryckta visar tabellen det tryckta talet och märker det:
kolumnen *Korrekt värde enligt granskningen* på raden (eller en fotnot när felet inte hör till
en rad).

Ett publicerat tal är redan offentligt: tabellerna här har inga referenser till storheter och
maskas aldrig.

Examples
--------
>>> from finsam_analys.indata.publicerat import tabell_fran_rutnat
>>> tryckt, _ = tabell_fran_rutnat(
...     [["Kr", "Budget", "Utfall", "Differens"],
...      ["Personal", "1 775 000", "819 000", "955 000"],
...      ["Lokaler", "165 000", "88 000", "77 000"],
...      ["Summa", "1 940 000", "907 000", "1 032 000"]],
...     {"id": "budget", "titel": "Budgetutfall", "referens": "avsnitt 9", "kalla": "Årsrapport",
...      "period": "2016", "matt": "belopp", "enhet": "kr", "population": "ekonomi",
...      "kolumner": {"Differens": {"roll": "differens", "av": ["Budget", "Utfall"]}}},
...     fil="budget.csv")
>>> t = tabell_ur_tryckt(tryckt)
>>> t.titel, t.kalla, t.kallhanvisning, t.data["Differens"].tolist()
('Budgetutfall', 'publicerad', 'Årsrapport, avsnitt 9', [955000, 77000, 1032000])
>>> avsnitt_for_tryckt(tryckt)
'ekonomi'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import SUMMAPOST, TOTALGRUPP, TOTALT
from finsam_analys.perioder import Rapportperiod
from finsam_analys.tabell import Kolumn, Sektion, Stycke, Tabell

__all__ = [
    "KORREKT_VARDE",
    "TrycktTabell",
    "avsnitt_for_tryckt",
    "med_publicerade",
    "publicerade_tabeller",
    "tabell_ur_tryckt",
    "tryckta_ur_kanoniska",
]

KORREKT_VARDE = "Korrekt värde enligt granskningen"
"""Kolumnen som visar granskningens rättade värde på rader där det tryckta inte stämmer."""

INLEDNING_OM_UNDERLAGET = (
    "Förbundets tryckta tabeller som hör till avsnitt som den här rapporten inte visar, som de "
    "trycktes (källan står under varje tabell); där det tryckta inte stämmer står det korrekta "
    "värdet bredvid."
)

_POPULATIONSNAMN = {
    "alla": "Alla deltagare under perioden",
    "nya": "Nya deltagare under perioden",
    "aktiva": "Pågående deltagare vid periodens slut",
    "avslutade": "Avslutade deltaganden",
    "fullfoljda": "Deltagare som fullföljt insatsen",
    "avbrutna": "Avbrutna deltaganden",
    "svarande": "Svarande",
    "uppfoljda": "Uppföljda efter avslut",
    "ansokningar": "Ansökningar",
    "befolkning": "Befolkningen",
    "ekonomi": "",
    "annan": "",
}
_ENHETSNAMN = {
    "kr": "kr",
    "tkr": "tkr",
    "mkr": "mkr",
    "manader": "månader",
    "ar": "år",
    "veckor": "veckor",
    "dagar": "dagar",
}


@dataclass(frozen=True)
class TrycktTabell:
    """En tryckt tabell som rapporten visar: avsnittet den hör till och tabellen."""

    avsnitt: str
    tabell: Tabell


# ------------------------------------------------------------------------- hjälpfunktioner


def _decimaler(varde: float, hogst: int = 2) -> int:
    """Så många decimaler som talet behöver (högst ``hogst``).

    >>> _decimaler(15.6), _decimaler(22876.0), _decimaler(8.46)
    (1, 0, 2)
    """
    for d in range(hogst + 1):
        if abs(varde - round(varde, d)) < 1e-9:
            return d
    return hogst


def _tal(varde: float, decimaler: int | None = None) -> str:
    from finsam_analys.presentation.formatering import formatera_tal

    return formatera_tal(varde, _decimaler(varde) if decimaler is None else decimaler)


def _periodnamn(kod: Any) -> str:
    try:
        return Rapportperiod.tolka(kod).namn
    except (ValueError, TypeError):
        return str(kod or "")


def _tom(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == ""


def _kallans_namn(underlag: Any, period: Rapportperiod) -> str:
    """Rapporten som talen är hämtade ur: förbundets enda källa, eller den vars namn har
    periodens år (Västerås har en årsrapport 2019 och en delårsrapport 2021)."""
    kallor = list(getattr(getattr(underlag, "konfig", None), "kallor", ()) or ())
    namn = [str(getattr(k, "namn", "")) for k in kallor]
    if len(namn) == 1:
        return namn[0]
    traffar = [n for n in namn if str(period.ar) in n or str(period.start.year) in n]
    return traffar[0] if len(traffar) == 1 else ""


def _kallhanvisning(kalla: str, referens: str) -> str:
    return ", ".join(x for x in (kalla, referens) if x)


def _med_kallrad(fotnoter: Sequence[str], hanvisning: str) -> tuple[str, ...]:
    kallrad = (f"Källa: {hanvisning} (som tryckt).",) if hanvisning else ()
    return (*fotnoter, *kallrad)


# ------------------------------------------------------------------ granskningens märkning


_TYPTEXT = {
    "summa": "summan av delarna",
    "differens": "omräknat",
    "andel": "omräknad andel",
    "förändring": "omräknad förändring",
    "olika värden": "samma uppgift på annat ställe i rapporten",
    "fördelning": "summan av andelarna",
    "bedömning": "omräknad bedömning",
    "varav-delar överstiger totalen": "summan av delarna",
}


def _anmarkning(typ: str, kolumn: str, publicerat: float, omraknat: float) -> str:
    """Granskningens fynd i styrelsens ord: kolumnen, det korrekta värdet och det tryckta.

    >>> _anmarkning("summa", "Totalt", 22515, 22876)
    'Totalt: 22\\xa0876 (tryckt 22\\xa0515; summan av delarna)'
    """
    if math.isnan(omraknat):
        return f"{kolumn}: tryckt {_tal(publicerat)} stämmer inte" if kolumn else ""
    if typ == "olika värden":
        text = f"{_tal(omraknat)} på annat ställe i rapporten (här tryckt {_tal(publicerat)})"
        return f"{kolumn}: {text}" if kolumn else text
    vad = _TYPTEXT.get(typ, "omräknat")
    pr = "\u00a0%" if typ == "andel" else ""
    tryckt = f"tryckt {_tal(publicerat)}{pr}; " if not math.isnan(publicerat) else ""
    text = f"{_tal(omraknat)}{pr} ({tryckt}{vad})"
    return f"{kolumn}: {text}" if kolumn else text


def _markera(
    tabell: Tabell,
    anmarkningar: Mapping[int, list[str]],
    ovriga: Sequence[str],
) -> Tabell:
    """Tabellen med kolumnen :data:`KORREKT_VARDE` och fotnoter för fynd utan rad."""
    fotnoter = list(tabell.fotnoter)
    if anmarkningar:
        data = tabell.data.copy()
        data[KORREKT_VARDE] = pd.Series(
            ["; ".join(anmarkningar.get(i, [])) for i in range(len(data))], dtype=object
        )
        tabell = tabell.med(data=data, kolumner=(*tabell.kolumner, Kolumn(KORREKT_VARDE)))
        fotnoter.append(
            "Korrekt värde enligt granskningen: det tryckta talet stämmer inte med sina delar "
            "eller med samma uppgift på annat ställe; tabellen visar det tryckta."
        )
    fotnoter += [f"Granskningen: {t}." for t in ovriga]
    return tabell.med(fotnoter=tuple(fotnoter))


def _bara_avvikelser(fynd: pd.DataFrame | None) -> pd.DataFrame:
    from finsam_analys.granskning.kontroller import allvarlighet

    if fynd is None or not len(fynd):
        return pd.DataFrame(columns=["tabell", "rad", "kolumn", "typ", "publicerat", "omraknat"])
    return fynd[[allvarlighet(t) == "avvikelse" for t in fynd["typ"]]].reset_index(drop=True)


def _hitta_rad(nycklar: Sequence[Sequence[str]], rad: str) -> int | None:
    """Raden vars nyckel är den längsta början på granskningens radetikett."""
    bast, langd = None, -1
    for i, alla in enumerate(nycklar):
        for nyckel in alla:
            if nyckel and (rad == nyckel or rad.startswith(nyckel + " ")) and len(nyckel) > langd:
                bast, langd = i, len(nyckel)
    return bast


def _kolumnrubrik(kolumn: str, rubriker: Mapping[str, str], kanda: Sequence[str]) -> str:
    from finsam_analys.rapport.underlaget import svensk_etikett

    bas = kolumn.split(" (")[0]
    if bas in rubriker:
        return rubriker[bas]
    if bas in kanda:
        return bas
    return svensk_etikett(bas)


def _markera_fynd(
    tabell: Tabell,
    fynd: pd.DataFrame,
    nycklar: Sequence[Sequence[str]],
    *,
    rubriker: Mapping[str, str] | None = None,
) -> Tabell:
    """Märk tabellens rader med granskningens avvikelser (``fynd`` hör redan till tabellen)."""
    if not len(fynd):
        return tabell
    kanda = [k.namn for k in tabell.kolumner]
    anmarkningar: dict[int, list[str]] = {}
    ovriga: list[str] = []
    for r in fynd.itertuples(index=False):
        kolumn = _kolumnrubrik(str(r.kolumn), rubriker or {}, kanda)
        text = _anmarkning(str(r.typ), kolumn, float(r.publicerat), float(r.omraknat))
        i = _hitta_rad(nycklar, str(r.rad))
        if i is None:
            ovriga.append(f"{r.rad}, {text}")
        elif text not in anmarkningar.setdefault(i, []):
            anmarkningar[i].append(text)
    return _markera(tabell, anmarkningar, ovriga)


# --------------------------------------------------------------- tryckta tabeller (publicerat/)


def _kolumn_ur_spec(tryckt: Any, spec: Any) -> tuple[Kolumn, list[Any]]:
    """En tryckt kolumn som :class:`Kolumn` och dess värden.

    Tal visas som tal (med de decimaler de trycktes med) när varje cell är ett ensamt tal;
    celler med flera tal (``7 (13%)``, ``59 % (10 av 17)``, ``13 (12)``), symboler, text och
    blandade enheter visas som tryckt.
    """
    n = len(tryckt.rader)
    celler = [tryckt.cell(i, spec.namn) for i in range(n)]
    texter = [c.text for c in celler]
    if spec.matt == "text" or spec.roll in ("mal", "text", "bedomning"):
        return Kolumn(spec.namn), texter
    enhet = spec.enhet or tryckt.enhet
    enkla = all(
        c.tom
        or (
            c.har_tal
            and not c.fritext
            and c.symbol is None
            and all(math.isnan(x) for x in (c.andel, c.taljare, c.namnare, c.foregaende))
            and (
                c.enhet is None
                or c.enhet == enhet
                or (c.enhet == "procent" and spec.matt == "andel")
            )
            and (not c.procent or spec.matt == "andel")
        )
        for c in celler
    )
    if not enkla or not any(c.har_tal for c in celler):
        return Kolumn(spec.namn), texter
    d = max((c.decimaler for c in celler if c.har_tal), default=0)
    varden = [np.nan if c.tom else float(c.varde) for c in celler]
    if spec.matt == "andel" and enhet in (None, "procent"):
        return Kolumn(spec.namn, "andel", d), [v / 100 for v in varden]
    if spec.matt == "antal" and d == 0:
        return Kolumn(spec.namn, "antal"), [_heltal(v) for v in varden]
    if spec.matt == "belopp":
        return Kolumn(spec.namn, "belopp", d, enhet=_ENHETSNAMN.get(enhet or "", "")), [
            _heltal(v) if d == 0 else v for v in varden
        ]
    if spec.matt == "hae":
        return Kolumn(spec.namn, "hae", d), [_heltal(v) if d == 0 else v for v in varden]
    enhetsnamn = _ENHETSNAMN.get(enhet or "", "") if spec.matt == "tid" else ""
    return Kolumn(spec.namn, "tal", d, enhet=enhetsnamn), varden


def _heltal(v: float) -> Any:
    return v if math.isnan(v) else int(round(v))


def tabell_ur_tryckt(
    tryckt: Any,
    *,
    kontroller: pd.DataFrame | None = None,
    kalla: str = "",
    namn: str | None = None,
) -> Tabell:
    """En tryckt tabell (:class:`~finsam_analys.indata.publicerat.PubliceradTabell`) som
    :class:`~finsam_analys.tabell.Tabell`, som den står i rapporten.

    Parameters
    ----------
    tryckt : PubliceradTabell
        Tabellen ur ``publicerat/``.
    kontroller : DataFrame, valfri
        Granskningens kontroller (:func:`finsam_analys.granskning.resultat.granska`,
        ``kontroller``); raderna med status ``avvikelse`` för den här tabellen märks.
    kalla : str
        Rapporten, när tabellen inte själv anger den (``kalla`` i ``tabeller.yaml``).
    namn : str, valfri
        Tabellens id i rapporten (standard ``tryckt_<id>``).

    Returns
    -------
    Tabell
        Källan ``"publicerad"``; etiketterna, rubrikerna och talen som tryckt; summarader och
        gruppernas rubrikrader i fetstil; konto och grupp som egna kolumner när de finns.

    Examples
    --------
    >>> from finsam_analys.indata.publicerat import tabell_fran_rutnat
    >>> tryckt, _ = tabell_fran_rutnat(
    ...     [["", "MAC", "Trädgård", "Totalt"], ["Arbete", "5", "2", "7 (13%)"],
    ...      ["Studier", "2", "1", "3 (5%)"], ["Totalt", "7", "3", "10"]],
    ...     {"id": "per_insats", "titel": "Sammanställning per insats", "referens": "s. 2",
    ...      "period": "2019", "matt": "antal", "population": "fullfoljda"}, fil="x.csv")
    >>> t = tabell_ur_tryckt(tryckt)
    >>> t.data["MAC"].tolist(), t.data["Totalt"].tolist(), t.summarader, t.population
    ([5, 2, 7], ['7 (13%)', '3 (5%)', '10'], (2,), 'Deltagare som fullföljt insatsen')
    """
    from finsam_analys.granskning.publicerade import tabellnamn

    rader = tryckt.rader
    n = len(rader)
    data: dict[str, list[Any]] = {}
    kolumner: list[Kolumn] = []
    grupper = [g for g in rader["grupp"].tolist() if g]
    har_rubriker = bool((rader["roll"] == "rubrik").any())
    if "konto" in rader.columns and rader["konto"].notna().any():
        kolumner.append(Kolumn("Konto"))
        data["Konto"] = ["" if _tom(k) else str(k) for k in rader["konto"].tolist()]
    if len(set(grupper)) > 1 and not har_rubriker:
        kolumner.append(Kolumn("Grupp"))
        data["Grupp"] = [str(g or "") for g in rader["grupp"].tolist()]
    etikettrubrik = tryckt.etikettrubrik or " "
    while etikettrubrik in {s.namn for s in tryckt.kolumner} | set(data):
        etikettrubrik += " "
    kolumner.append(Kolumn(etikettrubrik))
    data[etikettrubrik] = [str(e) for e in rader["etikett"].tolist()]
    for spec in tryckt.kolumner:
        kolumn, varden = _kolumn_ur_spec(tryckt, spec)
        kolumner.append(kolumn)
        data[spec.namn] = varden
    textkolumner = {k.namn: object for k in kolumner if k.matt == "text"}
    frame = pd.DataFrame(data, index=pd.RangeIndex(n)).astype(textkolumner)
    hanvisning = _kallhanvisning(tryckt.kalla or kalla, tryckt.referens)
    population = tryckt.population_text or _POPULATIONSNAMN.get(tryckt.population or "", "")
    tabell = Tabell(
        namn=namn or f"tryckt_{tryckt.id}",
        titel=tryckt.titel,
        data=frame,
        kolumner=tuple(kolumner),
        population=population[:1].upper() + population[1:],
        period=_periodnamn(tryckt.period) if tryckt.period else "",
        kalla="publicerad",
        kallhanvisning=hanvisning,
        fotnoter=_med_kallrad(tryckt.fotnoter, hanvisning),
        summarader=tuple(
            i for i, r in enumerate(rader["roll"].tolist()) if r in ("summa", "rubrik")
        ),
    )
    if kontroller is None or not len(kontroller):
        return tabell
    egna = kontroller[
        (kontroller["tabell"] == tabellnamn(tryckt)) & (kontroller["status"] == "avvikelse")
    ]
    if not len(egna):
        return tabell
    fynd = pd.DataFrame(
        {
            "rad": egna["rad"].to_numpy(),
            "kolumn": egna["kolumn"].to_numpy(),
            "typ": egna["kontroll"].to_numpy(),
            "publicerat": egna["publicerat"].to_numpy(dtype="float64"),
            "omraknat": egna["omraknat"].to_numpy(dtype="float64"),
        }
    )
    nycklar = [[tryckt.etikett(i)] for i in range(n)]
    return _markera_fynd(tabell, fynd, nycklar)


_NYCKELORD: tuple[tuple[str, str], ...] = (
    ("återbetalning", "samhallsnytta"),
    ("samhällsnytta", "samhallsnytta"),
    ("samhällsekonomisk", "samhallsnytta"),
    ("helårsekvivalent", "helarsekvivalenter"),
    ("helårspersoner", "helarsekvivalenter"),
    ("budget", "ekonomi"),
    ("ekonomi", "ekonomi"),
    ("kostnad", "ekonomi"),
    ("intäkt", "ekonomi"),
    ("eget kapital", "ekonomi"),
    ("nns", "enkat"),
    ("enkät", "enkat"),
    ("hälsa", "halsa"),
    ("stegförflyttning", "halsa"),
    ("uppföljning", "uppfoljning"),
    ("avbrott", "avbrott"),
    ("avbrutit", "avbrott"),
    ("avslut", "avslut"),
    ("utfall", "avslut"),
)
_POPULATIONSAVSNITT = {
    "ekonomi": "ekonomi",
    "befolkning": "helarsekvivalenter",
    "svarande": "enkat",
    "uppfoljda": "uppfoljning",
    "avslutade": "avslut",
    "fullfoljda": "avslut",
    "avbrutna": "avbrott",
    "ansokningar": "bakgrund",
}
_BAKGRUNDSORD = ("kön", "ålder", "kommun", "försörjning", "remitt", "handläggare", "bakgrund")


def avsnitt_for_tryckt(tryckt: Any) -> str:
    """Rapportavsnittet som en tryckt tabell hör till (en nyckel i ``rapport.SEKTIONER``).

    Titelns ord först (återbetalningstid och samhällsnytta, helårsekvivalenter, budget och
    ekonomi, NNS och enkäter, hälsa, uppföljning, avbrott, avslut), sedan mål och bedömningar
    (nära *Mål och resultat*), sedan populationen och måtten; deltagartabeller efter kön,
    ålder, kommun, försörjning eller remittent hör till *Bakgrund*, övriga till *Deltagare*.

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> k = [N(roll="mal", matt="text"), N(roll="varde", matt="andel")]
    >>> avsnitt_for_tryckt(N(titel="Måluppfyllelse 2024", population=None, kolumner=k))
    'sammanfattning'
    >>> avsnitt_for_tryckt(N(titel="Nya deltagare efter kön", population="nya", kolumner=[]))
    'bakgrund'
    >>> avsnitt_for_tryckt(N(titel="Återbetalningstid per aktör", population="fullfoljda",
    ...                      kolumner=k))
    'samhallsnytta'
    """
    titel = str(getattr(tryckt, "titel", "")).lower()
    for ord_, avsnitt in _NYCKELORD:
        if ord_ in titel:
            return avsnitt
    kolumner = list(getattr(tryckt, "kolumner", ()) or ())
    if any(k.roll in ("mal", "bedomning") for k in kolumner) or re.search(r"\bmål", titel):
        return "sammanfattning"
    if "indikator" in titel:
        return "sammanfattning"
    population = getattr(tryckt, "population", None) or ""
    if any(k.matt == "belopp" for k in kolumner):
        return "ekonomi"
    if any(k.matt == "hae" for k in kolumner):
        return "helarsekvivalenter"
    if population in _POPULATIONSAVSNITT:
        return _POPULATIONSAVSNITT[population]
    if any(o in titel for o in _BAKGRUNDSORD):
        return "bakgrund"
    return "deltagare"


# ------------------------------------------------------- kanoniska tabeller med kalltabell


_SIDA = re.compile(
    r"^(?P<ref>(?:s\.|sid\.?|sidan)\s*\d+(?:\s*(?:ff\.?|f\.))?)\s+(?P<titel>.+)$", re.I
)


def _titel_och_referens(kalltabell: str) -> tuple[str, str]:
    """``"s. 14 Länets kommuner 2020"`` -> (``"Länets kommuner 2020"``, ``"s. 14"``).

    >>> _titel_och_referens("s. 14 Länets kommuner 2020"), _titel_och_referens("Resultat")
    (('Länets kommuner 2020', 's. 14'), ('Resultat', ''))
    """
    m = _SIDA.match(kalltabell.strip())
    if m:
        return m.group("titel").strip(), m.group("ref").strip()
    return kalltabell.strip(), ""


def _text_tabell(
    namn: str, titel: str, data: pd.DataFrame, kolumner: Sequence[Kolumn], **falt: Any
) -> Tabell:
    textkolumner = {k.namn: object for k in kolumner if k.matt == "text"}
    return Tabell(
        namn=namn,
        titel=titel,
        data=data.reset_index(drop=True).astype(textkolumner),
        kolumner=tuple(kolumner),
        kalla="publicerad",
        **falt,
    )


def _procentdecimaler(varden: Iterable[Any]) -> int:
    return max((_decimaler(float(v), 1) for v in varden if not _tom(v)), default=0)


def _idnamn(text: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "_", t).strip("_")[:60]


# -- helårsekvivalenter


def _hae_tabeller(
    rader: pd.DataFrame, kalltabell: str, hanvisning: str, fynd: pd.DataFrame
) -> list[Tabell]:
    titel, _ = _titel_och_referens(kalltabell)
    egna = fynd[
        fynd["tabell"].astype(str).str.contains(f"({kalltabell})", regex=False)
        | fynd["kolumn"].astype(str).str.contains(f"({kalltabell})", regex=False)
    ]
    former = [f for f in dict.fromkeys(rader["ersattningsform"].astype(str)) if f != TOTALT]
    kon = (
        rader["kon"].astype(str)
        if "kon" in rader.columns
        else pd.Series(TOTALT, index=rader.index)
    )
    if (kon != TOTALT).any():
        return _hae_kon(rader, kon, former, titel, kalltabell, hanvisning, egna)
    nycklar = list(
        dict.fromkeys(zip(rader["region"].astype(str), rader["ar"].astype(int), strict=True))
    )
    flera_ar = len({a for _, a in nycklar}) > 1
    kommuner = {str(r) for r in rader.loc[rader["regiontyp"] == "kommun", "region"]}
    lan = {str(r) for r in rader.loc[rader["regiontyp"] == "lan", "region"]}
    rubrik = "Kommun" if len(kommuner) > 2 else "Region"
    data: dict[str, list[Any]] = {rubrik: [r for r, _ in nycklar]}
    kolumner = [Kolumn(rubrik)]
    if flera_ar:
        data["År"] = [str(a) for _, a in nycklar]
        kolumner.append(Kolumn("År"))
    index = rader.set_index(["region", "ar", "ersattningsform"])
    index = index[~index.index.duplicated(keep="first")]

    def varde(region: str, ar: int, form: str, kolumn: str) -> Any:
        try:
            v = index.loc[(region, ar, form), kolumn]
        except KeyError:
            return np.nan
        return np.nan if _tom(v) else float(v)

    for f in [*former, TOTALT]:
        data[f] = [_heltal(varde(r, a, f, "hae")) for r, a in nycklar]
        kolumner.append(Kolumn(f, "hae"))
    data["Folkmängd 20–64 år"] = [
        _heltal(varde(r, a, TOTALT, "folkmangd_20_64")) for r, a in nycklar
    ]
    kolumner.append(Kolumn("Folkmängd 20–64 år", "tal", 0))
    if "andel_publicerad" in rader.columns and rader["andel_publicerad"].notna().any():
        andel = [varde(r, a, TOTALT, "andel_publicerad") for r, a in nycklar]
        data["Andel"] = [v / 100 for v in andel]
        kolumner.append(Kolumn("Andel", "andel", _procentdecimaler(andel)))
    tabell = _text_tabell(
        f"tryckt_hae_{_idnamn(kalltabell)}",
        titel,
        pd.DataFrame(data),
        kolumner,
        population="Befolkningen 20–64 år",
        kallhanvisning=hanvisning,
        fotnoter=_med_kallrad(
            ("Helårsekvivalenter och folkmängd ur SCB, som tryckt.",), hanvisning
        ),
        summarader=tuple(i for i, (r, _) in enumerate(nycklar) if r in lan)
        if rubrik == "Kommun"
        else (),
    )
    radnycklar = [[f"{r} {a}"] for r, a in nycklar]
    return [
        _markera_fynd(
            tabell, egna, radnycklar, rubriker={"andel_publicerad": "Andel", "hae": TOTALT}
        )
    ]


def _hae_kon(
    rader: pd.DataFrame,
    kon: pd.Series,
    former: list[str],
    titel: str,
    kalltabell: str,
    hanvisning: str,
    fynd: pd.DataFrame,
) -> list[Tabell]:
    ut: list[Tabell] = []
    rader = rader.assign(_kon=kon.to_numpy())
    konen = [k for k in ("Kvinnor", "Män", TOTALT) if (rader["_kon"] == k).any()]
    for (region, ar), grupp in rader.groupby(["region", "ar"], sort=False):
        index = grupp.set_index(["ersattningsform", "_kon"])
        index = index[~index.index.duplicated(keep="first")]
        radnamn = [*former, TOTALT]

        def varde(form: str, k: str, kolumn: str, index: pd.DataFrame = index) -> float:
            try:
                v = index.loc[(form, k), kolumn]
            except KeyError:
                return np.nan
            return np.nan if _tom(v) else float(v)

        data: dict[str, list[Any]] = {"Ersättningsform": radnamn}
        kolumner = [Kolumn("Ersättningsform")]
        for k in konen:
            data[k] = [_heltal(varde(f, k, "hae")) for f in radnamn]
            kolumner.append(Kolumn(k, "hae"))
        summarad = (len(radnamn) - 1,)
        fotnot = (f"Helårsekvivalenter i riket efter kön ({region} {ar}), ur SCB, som tryckt.",)
        tabell = _text_tabell(
            f"tryckt_hae_kon_{_idnamn(kalltabell)}",
            titel,
            pd.DataFrame(data),
            kolumner,
            population="Befolkningen 20–64 år",
            period=str(ar),
            kallhanvisning=hanvisning,
            fotnoter=_med_kallrad(fotnot, hanvisning),
            summarader=summarad,
        )
        radnycklar = [[f"{region} {ar} {f}"] for f in radnamn]
        radnycklar[-1].append(f"{region} {ar}")
        egna = fynd[fynd["typ"].astype(str) != "avrundning"]
        ut.append(_markera_fynd(tabell, egna, radnycklar, rubriker={"hae": TOTALT}))
        if "konsandel_publicerad" in grupp.columns and grupp["konsandel_publicerad"].notna().any():
            andelar: dict[str, list[Any]] = {"Ersättningsform": radnamn}
            akol = [Kolumn("Ersättningsform")]
            for k in konen:
                v = [varde(f, k, "konsandel_publicerad") for f in radnamn]
                andelar[k] = [x / 100 for x in v]
                akol.append(Kolumn(k, "andel", max(_procentdecimaler(v), 1)))
            ut.append(
                _text_tabell(
                    f"tryckt_hae_konsfordelning_{_idnamn(kalltabell)}",
                    f"Könsfördelning inom respektive ersättningsform {ar}",
                    pd.DataFrame(andelar),
                    akol,
                    population="Befolkningen 20–64 år",
                    period=str(ar),
                    kallhanvisning=hanvisning,
                    fotnoter=_med_kallrad(
                        (
                            f"Andel kvinnor och män inom varje ersättningsform ({region} {ar}), "
                            "procent, som tryckt.",
                        ),
                        hanvisning,
                    ),
                    summarader=summarad,
                )
            )
    return ut


def _hae_for_perioden(
    underlag: Any, period: Rapportperiod, fynd: pd.DataFrame, kalla: str
) -> list[TrycktTabell]:
    """De tryckta HÅE-tabellerna (kalltabell) som hör till rapportperioden.

    SCB:s tal redovisas i efterhand: en tabell med år t.o.m. ``A`` hör till den första av
    förbundets rapportperioder som ligger efter ``A`` (annars den sista).
    """
    h = underlag.tabell("helarsekvivalenter") if hasattr(underlag, "tabell") else None
    if h is None or not len(h) or "kalltabell" not in h.columns:
        return []
    perioder = sorted(
        (Rapportperiod.tolka(p) for p in getattr(underlag.konfig, "perioder", ()) or ()),
        key=lambda p: p.slut,
    )
    ut: list[TrycktTabell] = []
    for kalltabell, rader in h[h["kalltabell"].notna()].groupby("kalltabell", sort=False):
        senaste = int(pd.to_numeric(rader["ar"]).max())
        efter = [p for p in perioder if p.slut.year > senaste]
        hor_till = efter[0] if efter else (perioder[-1] if perioder else period)
        if hor_till != period:
            continue
        _, ref = _titel_och_referens(str(kalltabell))
        hanvisning = _kallhanvisning(kalla, ref)
        for t in _hae_tabeller(rader.reset_index(drop=True), str(kalltabell), hanvisning, fynd):
            ut.append(TrycktTabell("helarsekvivalenter", t))
    return ut


# -- ekonomi


_EKONOMIKOLUMNER = (
    ("budget", "Budget", "belopp"),
    ("utfall", "Utfall", "belopp"),
    ("utfall_procent_publicerad", "Utfall i procent av budget", "andel"),
    ("differens_publicerad", "Differens", "belopp"),
    ("prognos", "Prognos", "belopp"),
    ("prognosavvikelse_publicerad", "Prognos (avvikelse mot budget)", "belopp"),
)


def _ekonomi_tabell(
    rader: pd.DataFrame, kalltabell: str, hanvisning: str, fynd: pd.DataFrame
) -> Tabell:
    titel, _ = _titel_och_referens(kalltabell)
    ar = list(dict.fromkeys(int(a) for a in rader["ar"]))
    enhet = str(rader["enhet"].dropna().iloc[0]) if rader["enhet"].notna().any() else ""
    poster = list(
        dict.fromkeys(zip(rader["grupp"].astype(str), rader["post"].astype(str), strict=True))
    )
    flera_grupper = len({g for g, _ in poster}) > 1
    index = rader.set_index(["grupp", "post", "ar"])
    index = index[~index.index.duplicated(keep="first")]
    data: dict[str, list[Any]] = {}
    kolumner: list[Kolumn] = []
    if flera_grupper:
        data["Grupp"] = [g for g, _ in poster]
        kolumner.append(Kolumn("Grupp"))
    data["Post"] = [p for _, p in poster]
    kolumner.append(Kolumn("Post"))
    rubriker: dict[str, str] = {}
    for a in ar:
        for kod, rubrik, matt in _EKONOMIKOLUMNER:
            if kod not in rader.columns or not rader.loc[rader["ar"] == a, kod].notna().any():
                continue
            namn = rubrik if len(ar) == 1 else f"{rubrik} {a}"
            rubriker.setdefault(kod, namn)
            varden = []
            for g, p in poster:
                try:
                    v = index.loc[(g, p, a), kod]
                except KeyError:
                    v = np.nan
                varden.append(np.nan if _tom(v) else float(v))
            if matt == "andel":
                data[namn] = [v / 100 for v in varden]
                kolumner.append(Kolumn(namn, "andel", _procentdecimaler(varden)))
            else:
                data[namn] = [_heltal(v) for v in varden]
                kolumner.append(Kolumn(namn, "belopp", enhet=enhet))
    summarader = tuple(i for i, (g, p) in enumerate(poster) if p == SUMMAPOST or g == TOTALGRUPP)
    tabell = _text_tabell(
        f"tryckt_ekonomi_{_idnamn(kalltabell)}",
        titel,
        pd.DataFrame(data),
        kolumner,
        kallhanvisning=hanvisning,
        fotnoter=_med_kallrad((), hanvisning),
        summarader=summarader,
    )
    nycklar = [[p, f"{p} {g}"] if p == SUMMAPOST else [p] for g, p in poster]
    return _markera_fynd(tabell, fynd, nycklar, rubriker=rubriker)


# -- avslut per insats (korstabell)


def _avslut_korstabell(rader: pd.DataFrame, kalltabell: str, hanvisning: str) -> Tabell:
    titel, _ = _titel_och_referens(kalltabell)
    utfall = list(dict.fromkeys(rader["utfall"].astype(str)))
    utfall = [u for u in utfall if u != TOTALT] + ([TOTALT] if TOTALT in utfall else [])
    insatser = list(dict.fromkeys(rader["insats"].astype(str)))
    insatser = [i for i in insatser if i != TOTALT] + ([TOTALT] if TOTALT in insatser else [])
    index = rader.set_index(["utfall", "insats"])
    index = index[~index.index.duplicated(keep="first")]
    har_andel = "andel_publicerad" in rader.columns and rader["andel_publicerad"].notna().any()
    data: dict[str, list[Any]] = {"Utfall": utfall}
    kolumner = [Kolumn("Utfall")]
    for ins in insatser:
        celler: list[Any] = []
        text = False
        for u in utfall:
            try:
                r = index.loc[(u, ins)]
            except KeyError:
                celler.append(np.nan)
                continue
            antal = _heltal(float(r["antal"]))
            andel = r["andel_publicerad"] if har_andel else None
            if not _tom(andel):
                text = True
                celler.append(f"{_tal(antal, 0)} ({_tal(float(andel))} %)")
            else:
                celler.append(antal)
        if text:
            celler = [
                ""
                if (isinstance(c, float) and math.isnan(c))
                else c
                if isinstance(c, str)
                else _tal(c, 0)
                for c in celler
            ]
            kolumner.append(Kolumn(ins))
        else:
            kolumner.append(Kolumn(ins, "antal"))
        data[ins] = celler
    return _text_tabell(
        f"tryckt_avslut_{_idnamn(kalltabell)}",
        titel,
        pd.DataFrame(data),
        kolumner,
        population="Fullföljda avslut",
        kallhanvisning=hanvisning,
        fotnoter=_med_kallrad(
            ("Antal, och andel i procent inom parentes, som tryckt.",) if har_andel else (),
            hanvisning,
        ),
        summarader=(len(utfall) - 1,) if utfall and utfall[-1] == TOTALT else (),
    )


# -- lång form: en rad per tryckt uppgift


_DIMENSIONSNAMN = {
    "kon": "Kön",
    "remittent": "Remitterande aktör",
    "forsorjning_in": "Försörjning vid inskrivning",
    "forsorjning_ut": "Försörjning vid avslut",
    "forsorjningsgivare_in": "Försörjningsgrund vid inskrivning",
    "forsorjningsgivare_ut": "Försörjningsgrund vid avslut",
    "forsorjningsgrupp_in": "Försörjningsgrupp vid inskrivning",
    "forsorjningsgrupp_ut": "Försörjningsgrupp vid avslut",
    "folkbokforingskommun": "Folkbokföringskommun",
    "aldersgrupp": "Åldersgrupp",
    "insats": "Insats",
    "inriktning": "Inriktning",
    "status": "Status",
    "orsak": "Orsak",
    "tid_offentlig_forsorjning": "Tid i offentlig försörjning",
}
_ENHETER_NYCKELTAL = {
    "antal": "",
    "procent": "%",
    "andel": "%",
    "manader": "månader",
    "ar": "år",
    "kr": "kr",
    "tkr": "tkr",
    "mkr": "mkr",
}
_SVENSKA_ORD = {
    "alder": "ålder",
    "medelalder": "medelålder",
    "snittalder": "snittålder",
    "lagsta": "lägsta",
    "hogsta": "högsta",
    "halsa": "hälsa",
    "halsoenkater": "hälsoenkäter",
    "halsoskal": "hälsoskäl",
    "forbattrad": "förbättrad",
    "forstarkt": "förstärkt",
    "ovrigt": "övrigt",
    "anstallning": "anställning",
    "arsplatser": "årsplatser",
    "narmat": "närmat",
    "forbundet": "förbundet",
    "ratt": "rätt",
    "genomstromningstid": "genomströmningstid",
    "aktivitetsstod": "aktivitetsstöd",
    "atergang": "återgång",
    "aterbetalningstid": "återbetalningstid",
    "utvecklingsmedel": "utvecklingsmedel",
    "borttagna": "borträknade",
    "forsorjning": "försörjning",
    "fore": "före",
    "pa": "på",
    "niva": "nivå",
    "man": "mån",
    "oppna": "öppna",
    "lon": "lön",
    "stod": "stöd",
    "projektstod": "projektstöd",
    "forsorjningsstod": "försörjningsstöd",
    "lonebidrag": "lönebidrag",
    "mal": "mål",
    "malgrupp": "målgrupp",
    "maluppfyllelse": "måluppfyllelse",
    "okning": "ökning",
    "overgang": "övergång",
    "overskott": "överskott",
    "atgard": "åtgärd",
    "atgarder": "åtgärder",
    "forbrukat": "förbrukat",
    "forbrukning": "förbrukning",
    "langtidsarbetslosa": "långtidsarbetslösa",
    "arbetslosa": "arbetslösa",
    "foraldrapenning": "föräldrapenning",
    "forsakringskassan": "Försäkringskassan",
    "arbetsformedlingen": "Arbetsförmedlingen",
}


def indikatoretikett(kod: str) -> str:
    """Ett nyckeltals namn i styrelsens ord: indikatortabellens namn, annars koden med
    mellanslag och svenska bokstäver.

    >>> indikatoretikett("andel_arbete"), indikatoretikett("antal_till_forstarkt_samarbete")
    ('Arbete efter avslut', 'Antal till förstärkt samarbete')
    """
    from finsam_analys.matt.indikatorer import INDIKATORNAMN

    if kod in INDIKATORNAMN:
        return INDIKATORNAMN[kod]
    ord_ = [_SVENSKA_ORD.get(o, o) for o in str(kod).split("_") if o]
    text = " ".join(ord_)
    return text[:1].upper() + text[1:]


def _lang_rad(tabellnamn: str, r: Any) -> dict[str, Any]:
    """En rad i lång form: uppgift, värde, enhet, tryckt andel och kommentar."""
    insats = str(getattr(r, "insats", "") or "")
    insats = "" if insats in ("nan", "<NA>", "None") else insats
    andel = getattr(r, "andel_publicerad", None)
    kommentar = getattr(r, "kommentar", None)
    kommentar = "" if _tom(kommentar) else str(kommentar)
    if tabellnamn == "nyckeltal_publicerade":
        enhet = str(r.enhet)
        etikett = getattr(r, "etikett", None)
        uppgift = indikatoretikett(str(r.indikator)) if _tom(etikett) else str(etikett).strip()
        return {
            "Uppgift": uppgift,
            "Insats": insats,
            "Värde": float(r.varde),
            "Enhet": _ENHETER_NYCKELTAL.get(enhet, enhet),
            "Andel": np.nan,
            "Kommentar": kommentar,
        }
    if tabellnamn == "avslut":
        typ = str(r.avslutstyp) if not _tom(getattr(r, "avslutstyp", None)) else ""
        utfall = str(r.utfall)
        uppgift = "Avslut totalt" if utfall == TOTALT else f"Avslut: {utfall}"
        if typ:
            uppgift += f" ({'fullföljda' if typ == 'Fullföljd' else 'avbrutna'})"
    elif tabellnamn == "deltagarantal":
        dim = _DIMENSIONSNAMN.get(str(r.dimension), indikatoretikett(str(r.dimension)))
        kat = str(r.kategori)
        varav = "varav " if not _tom(getattr(r, "del_av", None)) else ""
        uppgift = f"{dim}: {varav}{'totalt' if kat == TOTALT else kat}"
    else:
        uppgift = " ".join(
            str(getattr(r, k))
            for k in ("remittent", "inriktning", "utfall", "kategori")
            if hasattr(r, k) and not _tom(getattr(r, k))
        )
        if not _tom(getattr(r, "del_av", None)):
            uppgift = f"varav {uppgift}"
    return {
        "Uppgift": uppgift,
        "Insats": insats,
        "Värde": float(r.antal),
        "Enhet": "",
        "Andel": np.nan if _tom(andel) else float(andel) / 100,
        "Kommentar": kommentar,
    }


def _lang_tabell(
    delar: list[tuple[str, pd.DataFrame]], kalltabell: str, hanvisning: str, fynd: pd.DataFrame
) -> Tabell:
    titel, _ = _titel_och_referens(kalltabell)
    insatser = set()
    for _, rader in delar:
        if "insats" in rader.columns:
            insatser |= {str(x) for x in rader["insats"].dropna()}
    flera = len(insatser) > 1
    poster = [_lang_rad(namn, r) for namn, rader in delar for r in rader.itertuples(index=False)]
    data = pd.DataFrame(poster)
    kolumner = [Kolumn("Uppgift")]
    if flera:
        kolumner.append(Kolumn("Insats"))
    else:
        data = data.drop(columns="Insats")
    kolumner.append(Kolumn("Värde", "tryckt", 2))
    if (data["Enhet"] != "").any():
        kolumner.append(Kolumn("Enhet"))
    else:
        data = data.drop(columns="Enhet")
    if data["Andel"].notna().any():
        kolumner.append(Kolumn("Andel", "andel", _procentdecimaler(data["Andel"].dropna() * 100)))
    else:
        data = data.drop(columns="Andel")
    if (data["Kommentar"] != "").any():
        kolumner.append(Kolumn("Kommentar"))
    else:
        data = data.drop(columns="Kommentar")
    data = data[[k.namn for k in kolumner]]
    tabell = _text_tabell(
        f"tryckt_{_idnamn(kalltabell)}",
        titel,
        data,
        kolumner,
        kallhanvisning=hanvisning,
        fotnoter=_med_kallrad((), hanvisning),
    )
    nycklar = [[str(u)] for u in data["Uppgift"]]
    rubriker = {"antal": "Värde", "varde": "Värde", "text": ""}
    return _markera_fynd(tabell, fynd, nycklar, rubriker=rubriker)


_NYCKELTALSAVSNITT: tuple[tuple[str, str], ...] = (
    ("aterbetalning", "samhallsnytta"),
    ("samhallsnytta", "samhallsnytta"),
    ("halsa", "halsa"),
    ("halsoenkat", "halsa"),
    ("stegforflyttning", "halsa"),
    ("alder", "bakgrund"),  # före "medel": medelålder är inte ekonomi
    ("budget", "ekonomi"),
    ("medel", "ekonomi"),
    ("utfall_procent", "ekonomi"),
    ("projektstod", "ekonomi"),
    ("avbrut", "avbrott"),
    ("avbrott", "avbrott"),
    ("andel_", "avslut"),  # andelar av avsluten (arbete, studier ...)
    ("bidragsberoende", "bakgrund"),
    ("genomstromningstid", "bakgrund"),
    ("utomnordisk", "bakgrund"),
)


def _avsnitt_for_nyckeltal(indikatorer: Iterable[str]) -> str:
    roster: dict[str, int] = {}
    for kod in indikatorer:
        avsnitt = next((a for o, a in _NYCKELTALSAVSNITT if o in str(kod)), "deltagare")
        roster[avsnitt] = roster.get(avsnitt, 0) + 1
    return max(roster, key=lambda a: roster[a]) if roster else "deltagare"


_LANG_FORM = (
    "deltagarantal",
    "avslut",
    "nyckeltal_publicerade",
    "remisser",
    "avbrott",
    "uppfoljning",
)


def tryckta_ur_kanoniska(
    underlag: Any, period: Rapportperiod | str, *, fynd: pd.DataFrame | None = None
) -> list[TrycktTabell]:
    """De kanoniska tabellernas rader som är transkriberade ur en tryckt tabell
    (kolumnen ``kalltabell``), grupperade per tryckt tabell och uppställda som tryckt.

    * **Helårsekvivalenter**: region (och år) × ersättningsform med Totalt, folkmängd och
      andel; tabeller efter kön som ersättningsform × kön, och könsfördelningen (andelar) som
      egen tabell.
    * **Ekonomi**: post × budget, utfall, tryckt utfall i procent, differens, prognos och
      prognosens avvikelse (en kolumn per år när tabellen har flera år).
    * **Avslut per utfall och insats**: utfall × insats, med tryckta andelar inom parentes.
    * Övriga (deltagarantal, avslut för en insats, nyckeltal ur löptext och tabeller): en rad
      per tryckt uppgift; rader med samma ``kalltabell`` i flera tabeller blir en tabell.

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag.
    period : Rapportperiod eller str
        Rapportperioden (rader för andra perioder visas i deras rapporter).
    fynd : DataFrame, valfri
        Granskningens fynd (:func:`finsam_analys.granskning.resultat.granska`); avvikelser märks.

    Returns
    -------
    list[TrycktTabell]
        Avsnitt och tabell, i underlagets ordning.
    """
    from finsam_analys.matt.rakning import valj_period

    period = Rapportperiod.tolka(period)
    fynd = _bara_avvikelser(fynd)
    kalla = _kallans_namn(underlag, period)
    ut: list[TrycktTabell] = list(_hae_for_perioden(underlag, period, fynd, kalla))
    tabeller = getattr(underlag, "tabeller", {}) or {}
    lang: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    ordning: list[tuple[str, str]] = []
    for namn in ("deltagarantal", "avslut", "ekonomi", "nyckeltal_publicerade", *_LANG_FORM[3:]):
        t = valj_period(tabeller.get(namn), period)
        if t is None or "kalltabell" not in t.columns:
            continue
        for kalltabell, rader in t[t["kalltabell"].notna()].groupby("kalltabell", sort=False):
            kalltabell = str(kalltabell)
            rader = rader.reset_index(drop=True)
            _, ref = _titel_och_referens(kalltabell)
            hanvisning = _kallhanvisning(kalla, ref)
            if namn == "ekonomi":
                ar = ", ".join(dict.fromkeys(str(int(a)) for a in rader["ar"]))
                egna = fynd[fynd["tabell"].astype(str).str.startswith("ekonomi")]
                egna = egna[
                    [any(f", {a} (" in str(x) for a in ar.split(", ")) for x in egna["tabell"]]
                ]
                ut.append(
                    TrycktTabell("ekonomi", _ekonomi_tabell(rader, kalltabell, hanvisning, egna))
                )
                continue
            insatser = {str(x) for x in rader.get("insats", pd.Series(dtype=object)).dropna()} - {
                TOTALT
            }
            if namn == "avslut" and len(insatser) > 1:
                ut.append(TrycktTabell("avslut", _avslut_korstabell(rader, kalltabell, hanvisning)))
                continue
            if kalltabell not in lang:
                if namn == "nyckeltal_publicerade":
                    avsnitt = _avsnitt_for_nyckeltal(rader["indikator"].astype(str))
                elif namn == "deltagarantal":
                    dims = set(rader["dimension"].astype(str))
                    avsnitt = "deltagare" if dims <= {"status", "insats"} else "bakgrund"
                elif namn == "avslut":
                    avsnitt = "avslut"
                else:
                    avsnitt = {"avbrott": "avbrott", "uppfoljning": "uppfoljning"}.get(
                        namn, "bakgrund"
                    )
                ordning.append((kalltabell, avsnitt))
            lang.setdefault(kalltabell, []).append((namn, rader))
    for kalltabell, avsnitt in ordning:
        _, ref = _titel_och_referens(kalltabell)
        hanvisning = _kallhanvisning(kalla, ref)
        tab = fynd["tabell"].astype(str)
        egna = fynd[
            tab.str.contains(f"({kalltabell})", regex=False) | tab.str.endswith(f", {kalltabell}")
        ]
        ut.append(
            TrycktTabell(avsnitt, _lang_tabell(lang[kalltabell], kalltabell, hanvisning, egna))
        )
    return ut


# -------------------------------------------------------------------------------- helheten


def _rapportperiod_for(kod: Any, perioder: Sequence[Rapportperiod]) -> Rapportperiod | None:
    """Rapportperioden som en tryckt tabells period hör till: samma period, annars den som
    överlappar mest, annars den närmast efter."""
    try:
        p = Rapportperiod.tolka(kod)
    except (ValueError, TypeError):
        return None
    if p in perioder:
        return p

    def overlapp(r: Rapportperiod) -> int:
        start, slut = max(p.start, r.start), min(p.slut, r.slut)
        return max((slut - start).days + 1, 0)

    bast = max(perioder, key=overlapp, default=None)
    if bast is not None and overlapp(bast) > 0:
        return bast
    efter = [r for r in perioder if r.start > p.slut]
    return min(efter, key=lambda r: r.start) if efter else (perioder[-1] if perioder else None)


def publicerade_tabeller(
    underlag: Any, period: Rapportperiod | str, *, granskning: Any = None
) -> list[TrycktTabell]:
    """Alla tryckta tabeller i förbundets katalog som hör till rapportperioden.

    Tabellerna i ``publicerat/`` (:func:`tabell_ur_tryckt`, avsnitt enligt
    :func:`avsnitt_for_tryckt`) och de kanoniska tabellernas rader med ``kalltabell``
    (:func:`tryckta_ur_kanoniska`). ``granskning`` är resultatet av
    :func:`finsam_analys.granskning.resultat.granska` (räknas här om det inte ges).
    """
    period = Rapportperiod.tolka(period)
    publicerade = tuple(getattr(underlag, "publicerade", ()) or ())
    tabeller = getattr(underlag, "tabeller", {}) or {}
    har_kalltabell = any("kalltabell" in t.columns for t in tabeller.values())
    if not publicerade and not har_kalltabell:
        return []
    if granskning is None:
        from finsam_analys.granskning.resultat import granska

        granskning = granska(underlag)
    perioder = [Rapportperiod.tolka(p) for p in getattr(underlag.konfig, "perioder", ()) or ()]
    perioder = perioder or [period]
    kalla = _kallans_namn(underlag, period)
    ut: list[TrycktTabell] = []
    for t in publicerade:
        if t.period is None or _rapportperiod_for(t.period, perioder) != period:
            continue
        tabell = tabell_ur_tryckt(t, kontroller=granskning.kontroller, kalla=kalla)
        ut.append(TrycktTabell(avsnitt_for_tryckt(t), tabell))
    ut += tryckta_ur_kanoniska(underlag, period, fynd=granskning.fynd)
    return ut


_RUBRIKER = {
    "sammanfattning": "Sammanfattning",
    "deltagare": "Deltagare och flöden",
    "bakgrund": "Bakgrund",
    "avslut": "Avslut och resultat",
    "avbrott": "Avbrott",
    "halsa": "Hälsa och stegförflyttning",
    "uppfoljning": "Uppföljning efter avslut",
    "enkat": "Deltagarenkät (NNS)",
    "helarsekvivalenter": "Helårsekvivalenter",
    "ekonomi": "Ekonomi",
    "samhallsnytta": "Samhällsnytta",
}


def med_publicerade(
    sektioner: Mapping[str, Sektion],
    underlag: Any,
    period: Rapportperiod | str,
    *,
    granskning: Any = None,
    visade: Iterable[str] | None = None,
) -> dict[str, Sektion]:
    """Rapportens sektioner med förbundets tryckta tabeller sist i det avsnitt de hör till.

    Ett avsnitt utan egna data (``saknas``) visas när det har tryckta tabeller. Visar rapporten
    bara vissa avsnitt (``visade``, ur förbundets ``rapport.yaml``) står en tabell vars avsnitt
    inte visas också sist i *Om underlaget* (eller, om inte heller det visas, i det första
    visade avsnittet), så att ingen tryckt tabell faller bort; avsnittens innehåll beror då inte
    på vilka avsnitt som visas. Varje tabell får ett unikt namn i rapporten. Anropas av
    :func:`finsam_analys.rapport.bygg_rapport` före kontrollpunkterna (de tryckta tabellerna
    har inga referenser och maskas inte).

    Examples
    --------
    >>> s = {"ekonomi": Sektion("ekonomi", "Ekonomi", saknas="Ingen ekonomi.")}
    >>> from types import SimpleNamespace as N
    >>> u = N(publicerade=(), tabeller={}, konfig=N(perioder=["2019"], kallor=[]))
    >>> med_publicerade(s, u, "2019")["ekonomi"].saknas
    'Ingen ekonomi.'
    """
    tryckta = publicerade_tabeller(underlag, period, granskning=granskning)
    if not tryckta:
        return dict(sektioner)
    ut = dict(sektioner)
    anvanda = {t.namn for s in ut.values() for t in s.tabellobjekt()}
    synliga = [n for n in ut if visade is None or n in set(visade)]
    reserv = "om_underlaget" if "om_underlaget" in synliga else None
    reserv = reserv or (synliga[0] if synliga else next(iter(ut)))

    def unik(tabell: Tabell) -> Tabell:
        namn, i = tabell.namn, 2
        while namn in anvanda:
            namn, i = f"{tabell.namn}_{i}", i + 1
        anvanda.add(namn)
        return tabell.med(namn=namn)

    per_avsnitt: dict[str, list[Tabell]] = {}
    for tt in tryckta:
        avsnitt = tt.avsnitt if tt.avsnitt in ut else reserv
        per_avsnitt.setdefault(avsnitt, []).append(unik(tt.tabell))
        if avsnitt not in synliga:  # avsnittet visas inte: tabellen står också i reserven
            per_avsnitt.setdefault(reserv, []).append(unik(tt.tabell))
    for avsnitt, tabeller in per_avsnitt.items():
        s = ut[avsnitt]
        # i avsnitten säger varje tabells källrad att den är tryckt (och Om underlagets
        # förbehåll förklarar det en gång); bara reserven i Om underlaget får en inledning
        om = avsnitt == "om_underlaget"
        block = (Stycke((INLEDNING_OM_UNDERLAGET,)), *tabeller) if om else tuple(tabeller)
        if s.saknas is not None:
            ut[avsnitt] = s.med(
                saknas=None,
                innehall=(Stycke((f"Rapporten räknar inget eget här: {s.saknas}",)), *block),
            )
        else:
            ut[avsnitt] = s.med(innehall=(*s.innehall, *block))
    return ut
