"""Publicerade tabeller som de är tryckta: ``publicerat/tabeller.yaml`` och en fil per tabell.

En förbundskatalog kan ha en katalog ``publicerat/`` med en beskrivningsfil
``tabeller.yaml`` och en CSV- eller Excel-fil per tryckt tabell. Filen är tabellen som den
står i rapporten: en rad per tryckt rad, en kolumn per tryckt kolumn, etiketterna som tryckt
(``7 (13%)``, ``59 % (10 av 17)``, ``−9 000``, ``13 310 tkr`` går att skriva av rakt). Några
kolumner med reserverade namn beskriver radernas struktur (``grupp``, ``roll``, ``del_av``,
``konto``, ``typ``, ``namnare``, ``indikator``, ``riktning``, ``uttommande``, ``kommentar``);
beskrivningsfilen säger vad tabellen är (titel, var den står, period, population) och vad
kolumnerna mäter och hur de hänger ihop. Formatet beskrivs i ``data/README.md``.

:func:`las_publicerade` läser och kontrollerar allt och returnerar en
:class:`PubliceradTabell` per tabell (och en lista med problem: fil, rad som i Excel, kolumn,
vad som förväntades). Granskningen (:mod:`finsam_analys.granskning.publicerade`) räknar om
tabellerna utifrån den deklarerade strukturen; rapporten kan visa dem som de trycktes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from finsam_analys.indata.kodlistor import ar_summarad
from finsam_analys.indata.tryckt_cell import (
    TolkningsFel,
    TrycktCell,
    tolka_cell,
    tolka_maltext,
)
from finsam_analys.indata.validering import Problem

__all__ = [
    "BEDOMNINGAR",
    "KOLUMNROLLER",
    "MATT",
    "POPULATIONER",
    "RADROLLER",
    "STRUKTURKOLUMNER",
    "Kolumnspec",
    "PubliceradTabell",
    "bedomning_uppfylld",
    "las_publicerade",
    "tabell_fran_rutnat",
    "tolka_beskrivning",
]

KATALOG = "publicerat"
BESKRIVNING = "tabeller.yaml"

MATT: dict[str, str] = {
    "antal": "antal personer, ansökningar, deltaganden … (exakta heltal)",
    "belopp": "belopp i kr, tkr eller mkr (enheten i kolumnen, tabellen eller cellen)",
    "andel": "andel i procent (eller bråk med enhet brak)",
    "hae": "helårsekvivalenter (avrundade)",
    "medel": "medelvärde (t.ex. medelålder)",
    "tid": "tid (enhet manader, ar, veckor eller dagar), t.ex. återbetalningstid",
    "poang": "poäng (t.ex. hälsoskattning)",
    "tal": "annat tal",
    "text": "text (visas, räknas inte)",
}
"""Vad en kolumns värden mäter (``matt``)."""

KOLUMNROLLER: dict[str, str] = {
    "varde": "tryckta värden (standard)",
    "summa": "summan av kolumnerna i av (standard: övriga värdekolumner med samma mått)",
    "differens": "av[0] − av[1], t.ex. avvikelse = prognos − budget",
    "kvot": "av[0] / av[1] i procent, t.ex. utfall i procent av budget",
    "forandring": "relativ förändring i procent från av[0] till av[1]",
    "procentenheter": "av[1] − av[0] för andelar, i procentenheter",
    "mal": "målvärde för raden (tal eller text, t.ex. 'minst 25 %', 'Budget i balans')",
    "bedomning": "tryckt bedömning (uppfyllt, ej uppfyllt, delvis …) av av[0] mot målet",
    "n": "antal svarande/nämnare för andelarna i kolumnerna i av (standard: alla andelar)",
    "text": "text som visas men inte räknas (aktivitet, när, kommentar)",
}
"""Hur en kolumn hänger ihop med de andra (``roll``)."""

RADROLLER: dict[str, str] = {
    "del": "en del: räknas in i gruppens summa (standard)",
    "summa": "summan av gruppens delar och undergruppernas summor (Totalt, Summa, SUMMA)",
    "varav": "del av raden i del_av; listan behöver inte vara uttömmande",
    "rubrik": "gruppens rubrikrad (inga värden)",
    "fristaende": "räknas inte in i någon summa (t.ex. en andel eller ett snitt på egen rad)",
}
"""Radens roll i tabellens struktur (kolumnen ``roll``)."""

STRUKTURKOLUMNER: dict[str, str] = {
    "rad": "radens etikett som tryckt (standard: första kolumnen)",
    "grupp": "gruppen raden hör till; nivåer skiljs med ›, > eller / (Insatser › Individinriktade)",
    "roll": "del, summa, varav, rubrik eller fristaende",
    "del_av": "etiketten på raden som raden är en del av (varav-rader och uppdelningar)",
    "konto": "kontonummer som tryckt (4510, 4200+4210)",
    "typ": "intakt, kostnad eller resultat (för teckenkonventionen i budgetar)",
    "namnare": "etiketten på raden vars värde är nämnaren för radens andelar",
    "indikator": "indikatornamnet som radens andel eller värde redovisar (se indikatortabellen)",
    "riktning": "minst eller hogst: åt vilket håll målet gäller",
    "uttommande": "ja/nej: varav-listan under raden täcker hela raden",
    "kommentar": "fri text (visas inte som en kolumn i tabellen)",
}
"""Kolumner med reserverade namn i tabellfilerna: de beskriver raderna, inte tryckta värden."""

POPULATIONER: dict[str, str] = {
    "alla": "alla deltagare under perioden",
    "nya": "nya (inskrivna) deltagare under perioden",
    "aktiva": "pågående deltagare vid periodens slut",
    "avslutade": "avslutade deltaganden (fullföljda och avbrutna)",
    "fullfoljda": "avslutade som fullföljt insatsen",
    "avbrutna": "avbrutna deltaganden",
    "svarande": "svarande i en enkät",
    "uppfoljda": "följda upp efter avslut",
    "ansokningar": "ansökningar/remisser",
    "befolkning": "befolkningen (t.ex. SCB:s 20–64 år)",
    "ekonomi": "belopp (ingen population av personer)",
    "annan": "annan population (beskriv i population_text)",
}
"""Vilka en tabell räknar (``population``)."""

BEDOMNINGAR: dict[str, bool | None] = {
    "uppfyllt": True,
    "uppfylld": True,
    "uppnått": True,
    "uppnatt": True,
    "ja": True,
    "klart": True,
    "ej uppfyllt": False,
    "inte uppfyllt": False,
    "ej uppfylld": False,
    "ej uppnått": False,
    "inte uppnått": False,
    "nej": False,
    "delvis": None,
    "delvis uppfyllt": None,
    "delvis uppnått": None,
    "kan inte bedömas": None,
    "ej bedömt": None,
}
"""Tryckta bedömningar som granskningen känner igen (True = uppfyllt, None = prövas inte)."""

_TABELLNYCKLAR: dict[str, str] = {
    "id": "tabellens id (a–z, 0–9, _): filnamnet utan ändelse",
    "titel": "titeln som tryckt",
    "referens": "var tabellen står: sida, tabellnummer eller avsnitt",
    "kalla": "rapporten (standard: kalla högst upp i filen)",
    "period": "periodkod som tabellen avser (standard: period högst upp)",
    "population": "vilka tabellen räknar: " + ", ".join(POPULATIONER),
    "population_text": "populationen med rapportens ord",
    "fil": "filen i publicerat/ (standard: <id>.csv eller <id>.xlsx)",
    "blad": "bladet i en Excel-fil",
    "matt": "standardmått för värdekolumnerna: " + ", ".join(MATT),
    "enhet": "standardenhet: kr, tkr, mkr, procent, brak, manader, ar …",
    "tecken": "som_tryckt (standard) eller kostnader_positiva",
    "parentes": "vad ett tal i parentes betyder: andel eller foregaende",
    "foregaende_period": "periodkod för värdena i parentes",
    "namnare": "nämnare för andelar: totalt, summarad, summakolumn, en rad eller en kolumn",
    "bas": "id för tabellen som andelarna räknas ur (procenttabell till en antalstabell)",
    "fordelning": "kolumner eller rader: andelarna är fördelningar som summerar till 100",
    "varav_uttommande": "ja/nej: varav-listorna täcker hela raden",
    "avrundade": "ja/nej, eller avrundningsenheten (t.ex. 1000): talen är avrundade",
    "kolumner": "rubrik -> mått eller {matt, enhet, roll, av, period, …}",
    "fotnoter": "fotnoter som tryckt (lista)",
    "kommentar": "om transkriberingen",
}
_KOLUMNNYCKLAR: dict[str, str] = {
    "matt": "mått: " + ", ".join(MATT),
    "enhet": "enhet",
    "roll": "roll: " + ", ".join(KOLUMNROLLER),
    "av": "kolumnerna som rollen räknar med (lista)",
    "period": "periodkod för kolumnens värden (t.ex. föregående år i en egen kolumn)",
    "namnare": "nämnare för kolumnens andelar",
    "riktning": "minst eller hogst (för mål)",
    "avrundade": "ja/nej eller avrundningsenhet",
    "fordelning": "ja: kolumnens andelar summerar till 100",
    "fritext": "ja: text är tillåten i kolumnen",
    "parentes": "andel eller foregaende",
}
_TOPPNYCKLAR = {"kalla": "standardkälla", "period": "standardperiod", "tabeller": "tabellerna"}
_ENHETER = {
    "kr": 1.0,
    "tkr": 1e3,
    "mkr": 1e6,
    "procent": 1.0,
    "brak": 1.0,
    "manader": 1.0,
    "ar": 1.0,
    "veckor": 1.0,
    "dagar": 1.0,
    "antal": 1.0,
    "poang": 1.0,
    "hae": 1.0,
}
_JA = {"ja", "true", "sant", "1", "x", "yes"}
_NEJ = {"nej", "false", "falskt", "0", "no"}
_ID = re.compile(r"^[a-z0-9_]+$")
_GRUPPSTEG = re.compile(r"\s*(?:›|>|/)\s*")


def _norm(text: Any) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", str(text).strip().lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "_", t).strip("_")


def bedomning_uppfylld(text: Any) -> bool | None:
    """Tolka en tryckt bedömning: True (uppfyllt), False (ej uppfyllt) eller None.

    >>> [bedomning_uppfylld(t) for t in ("Uppfyllt", "Ej uppnått", "Delvis")]
    [True, False, None]
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    t = re.sub(r"\s+", " ", str(text).strip().lower().rstrip(".!"))
    return BEDOMNINGAR.get(t)


# ---------------------------------------------------------------------------------- modellen


@dataclass(frozen=True)
class Kolumnspec:
    """En tryckt kolumn: rubriken som tryckt, vad den mäter och hur den hänger ihop.

    ``roll`` och ``av`` (se :data:`KOLUMNROLLER`) gör relationen mellan kolumnerna
    deklarerad: granskningen räknar om t.ex. ``Avvikelse`` (differens av Prognos och Budget)
    utan en handskriven formel per rapport. ``avrundning`` är avrundningsenheten för tal som
    trycks avrundade (0 = exakta), i kolumnens enhet och före decimalerna.
    """

    namn: str
    matt: str = "tal"
    enhet: str | None = None
    roll: str = "varde"
    av: tuple[str, ...] = ()
    period: str | None = None
    namnare: str | None = None
    riktning: str | None = None
    avrundade: bool | None = None
    avrundningsenhet: float | None = None
    fordelning: bool = False
    fritext: bool = False
    parentes: str | None = None

    @property
    def summerbar(self) -> bool:
        """Värdena kan summeras över rader (antal, belopp, HÅE, poäng, tal; inte andelar)."""
        return self.matt in ("antal", "belopp", "hae", "poang", "tal") and self.roll in (
            "varde",
            "summa",
            "differens",
        )


@dataclass(frozen=True)
class PubliceradTabell:
    """En tabell som den är tryckt i en publicerad rapport, med sin deklarerade struktur.

    Allt som behövs för att visa tabellen troget och granska den:

    * **vad den är**: ``id``, ``titel``, ``referens`` (sida/tabellnummer), ``kalla``
      (rapporten), ``period``, ``population`` (kod ur :data:`POPULATIONER`) och
      ``population_text``, ``fotnoter``, ``kommentar``;
    * **kolumnerna** (``kolumner``): en :class:`Kolumnspec` per tryckt kolumn i tryckt ordning,
      med mått, enhet, roll (summa, differens, kvot, förändring, mål, bedömning, n …), vilka
      kolumner rollen räknar med, period (föregående år i en egen kolumn) och avrundning;
    * **raderna** (``rader``): en rad per tryckt rad i tryckt ordning med ``etikett`` (som
      tryckt), ``grupp`` (nivåer skilda med ``" › "``), ``roll`` (del, summa, varav, rubrik,
      fristaende), ``del_av`` och ``namnare`` (radnummer i ``rader``, −1 = ingen), ``konto``,
      ``typ`` (intakt/kostnad/resultat), ``indikator``, ``riktning``, ``uttommande`` och
      ``excelrad`` (raden i källfilen som i Excel);
    * **cellerna** (``celler``): (radnummer, kolumnnamn) -> :class:`TrycktCell` med texten som
      tryckt och dess tal (värde, decimaler, andel i parentes, ``a av b``, ``n``, föregående
      period, enhet, symbolerna ``..`` och ``–``);
    * **tabellens regler**: ``tecken`` (``som_tryckt``: summor är summan av de tryckta talen
      med tecken; ``kostnader_positiva``: kostnader trycks positiva och dras från intäkter),
      ``namnare`` (standardnämnare för andelar), ``bas`` (id för tabellen som andelarna räknas
      ur), ``fordelning`` (``kolumner``/``rader``), ``varav_uttommande``, ``parentes`` och
      ``foregaende_period``.

    Examples
    --------
    >>> t = tabell_fran_rutnat(
    ...     [["", "MAC", "Trädgård", "Totalt"], ["Arbete", "5", "2", "7 (13%)"],
    ...      ["Totalt", "26 (47%)", "16 (29%)", "55"]],
    ...     {"id": "per_insats", "titel": "Sammanställning per insats", "referens": "s. 2",
    ...      "period": "2019", "matt": "antal", "namnare": "totalt",
    ...      "kolumner": {"Totalt": {"roll": "summa"}}}, fil="per_insats.csv")[0]
    >>> t.titel, list(t.tryckt().columns), t.tryckt().iloc[0, 2]
    ('Sammanställning per insats', ['MAC', 'Trädgård', 'Totalt'], '7 (13%)')
    >>> t.varden().loc[1].tolist(), t.rader["roll"].tolist()
    ([26.0, 16.0, 55.0], ['del', 'summa'])
    """

    id: str
    titel: str
    referens: str
    kolumner: tuple[Kolumnspec, ...]
    rader: pd.DataFrame
    celler: Mapping[tuple[int, str], TrycktCell]
    kalla: str = ""
    period: str | None = None
    population: str | None = None
    population_text: str = ""
    enhet: str | None = None
    tecken: str = "som_tryckt"
    namnare: str | None = None
    bas: str | None = None
    fordelning: str | None = None
    varav_uttommande: bool | None = None
    parentes: str | None = None
    foregaende_period: str | None = None
    avrundade: bool | None = None
    avrundningsenhet: float | None = None
    fotnoter: tuple[str, ...] = ()
    kommentar: str = ""
    fil: str = ""
    etikettrubrik: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    # ----------------------------------------------------------------- åtkomst

    def kolumn(self, namn: str) -> Kolumnspec:
        """Kolumnens beskrivning (KeyError med de kända namnen om den saknas)."""
        for k in self.kolumner:
            if k.namn == namn:
                return k
        raise KeyError(f"Kolumnen {namn!r} finns inte; tabellen har {self.kolumnnamn}.")

    @property
    def kolumnnamn(self) -> list[str]:
        return [k.namn for k in self.kolumner]

    def cell(self, rad: int, kolumn: str) -> TrycktCell:
        """Cellen på radnummer ``rad`` (0 = första tryckta raden) i ``kolumn``."""
        return self.celler.get((rad, kolumn), TrycktCell(text=""))

    def tryckt(self) -> pd.DataFrame:
        """Tabellen som tryckt: texterna, radetiketterna som index, rubrikerna som kolumner."""
        data = {
            k.namn: [self.cell(i, k.namn).text for i in range(len(self.rader))]
            for k in self.kolumner
        }
        return pd.DataFrame(
            data, index=pd.Index(self.rader["etikett"].tolist(), name=self.etikettrubrik or None)
        )

    def varden(self) -> pd.DataFrame:
        """Cellernas huvudtal (NaN för tomt, ``..`` och text), radnummer som index."""
        data = {
            k.namn: [self.cell(i, k.namn).varde for i in range(len(self.rader))]
            for k in self.kolumner
        }
        return pd.DataFrame(data, index=pd.RangeIndex(len(self.rader)), dtype="float64")

    def enhetsfaktor(self, rad: int, kolumn: str) -> float:
        """Faktor till kolumnmåttets basenhet (kr för belopp): tkr 1000, mkr 1 000 000."""
        k = self.kolumn(kolumn)
        if k.matt != "belopp":
            return 1.0
        enhet = self.cell(rad, kolumn).enhet or k.enhet or self.enhet or "kr"
        return _ENHETER.get(enhet, 1.0)

    def etikett(self, rad: int) -> str:
        """Radens etikett, med gruppen framför när samma etikett finns i flera grupper."""
        etikett = str(self.rader.at[rad, "etikett"])
        if (self.rader["etikett"] == etikett).sum() > 1 and self.rader.at[rad, "grupp"]:
            return f"{self.rader.at[rad, 'grupp']} › {etikett}"
        return etikett


# ------------------------------------------------------------------------- beskrivningen


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    t = str(v).strip()
    return t or None


def _jn(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    t = _text(v)
    if t is None:
        return None
    if t.lower() in _JA:
        return True
    if t.lower() in _NEJ:
        return False
    raise ValueError(t)


def _giltig_period(text: str) -> bool:
    from finsam_analys.perioder import Rapportperiod

    try:
        Rapportperiod.tolka(text)
    except (ValueError, TypeError):
        return False
    return True


def _forslag(namn: str, kanda: Sequence[str]) -> str:
    import difflib

    traff = difflib.get_close_matches(str(namn), list(kanda), n=1, cutoff=0.6)
    return f' – menade du "{traff[0]}"?' if traff else ""


def _avrundning(v: Any, plats: str, fel: list[str]) -> tuple[bool | None, float | None]:
    if v is None:
        return None, None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if v <= 0:
            fel.append(f'{plats}"avrundade" ska vara ja, nej eller en avrundningsenhet > 0')
            return None, None
        return True, float(v)
    try:
        return _jn(v), None
    except ValueError:
        fel.append(f'{plats}"avrundade" ska vara ja, nej eller en avrundningsenhet, inte "{v}"')
        return None, None


def _kolumnspec(namn: str, v: Any, matt: str, enhet: str | None, fel: list[str]) -> Kolumnspec:
    plats = f'kolumnen "{namn}": '
    if isinstance(v, str):
        v = {"roll": v} if v in KOLUMNROLLER and v not in ("varde",) else {"matt": v}
    if v is None:
        v = {}
    if not isinstance(v, Mapping):
        fel.append(
            f"{plats}förväntade ett mått (t.ex. antal) eller nycklarna {list(_KOLUMNNYCKLAR)}"
        )
        return Kolumnspec(namn=namn, matt=matt, enhet=enhet)
    for k in v:
        if k not in _KOLUMNNYCKLAR:
            fel.append(
                f'{plats}okänd nyckel "{k}"{_forslag(k, list(_KOLUMNNYCKLAR))} '
                f"(kända: {', '.join(_KOLUMNNYCKLAR)})"
            )
    roll = _text(v.get("roll")) or ("summa" if ar_summarad(namn) else "varde")
    if roll not in KOLUMNROLLER:
        fel.append(
            f'{plats}okänd roll "{roll}"{_forslag(roll, list(KOLUMNROLLER))} '
            f"(kända: {', '.join(KOLUMNROLLER)})"
        )
        roll = "varde"
    standardmatt = {"kvot": "andel", "forandring": "andel", "procentenheter": "andel"}
    k_matt = _text(v.get("matt")) or standardmatt.get(roll) or matt
    if roll in ("text", "bedomning"):
        k_matt = "text"
    if roll == "n":
        k_matt = "antal"
    if k_matt not in MATT:
        fel.append(
            f'{plats}okänt mått "{k_matt}"{_forslag(k_matt, list(MATT))} (kända: {", ".join(MATT)})'
        )
        k_matt = "tal"
    k_enhet = _text(v.get("enhet")) or (enhet if k_matt in ("belopp", "tid") else None)
    if k_matt == "andel" and k_enhet is None:
        k_enhet = "procent"
    if k_enhet is not None and k_enhet not in _ENHETER:
        fel.append(
            f'{plats}okänd enhet "{k_enhet}"{_forslag(k_enhet, list(_ENHETER))} '
            f"(kända: {', '.join(_ENHETER)})"
        )
        k_enhet = None
    av = v.get("av")
    if av is None:
        av_t: tuple[str, ...] = ()
    elif isinstance(av, (list, tuple)):
        av_t = tuple(str(x) for x in av)
    else:
        av_t = (str(av),)
    if roll in ("differens", "kvot", "forandring", "procentenheter") and len(av_t) != 2:
        fel.append(
            f'{plats}rollen "{roll}" behöver två kolumner i "av" (t.ex. av: [Prognos, Budget])'
        )
    period = _text(v.get("period"))
    if period is not None and not _giltig_period(period):
        fel.append(f'{plats}"{period}" är ingen giltig periodkod')
        period = None
    riktning = _text(v.get("riktning"))
    if riktning is not None and riktning not in ("minst", "hogst"):
        fel.append(f'{plats}riktning ska vara minst eller hogst, inte "{riktning}"')
        riktning = None
    avr, enh = _avrundning(v.get("avrundade"), plats, fel)
    try:
        fordelning = bool(_jn(v.get("fordelning")))
        fritext = bool(_jn(v.get("fritext")))
    except ValueError as e:
        fel.append(f'{plats}"fordelning" och "fritext" ska vara ja eller nej, inte "{e}"')
        fordelning = fritext = False
    parentes = _text(v.get("parentes"))
    if parentes is not None and parentes not in ("andel", "foregaende"):
        fel.append(f'{plats}parentes ska vara andel eller foregaende, inte "{parentes}"')
        parentes = None
    return Kolumnspec(
        namn=namn,
        matt=k_matt,
        enhet=k_enhet,
        roll=roll,
        av=av_t,
        period=period,
        namnare=_text(v.get("namnare")),
        riktning=riktning,
        avrundade=avr,
        avrundningsenhet=enh,
        fordelning=fordelning,
        fritext=fritext,
        parentes=parentes,
    )


def tolka_beskrivning(data: Any) -> tuple[list[dict[str, Any]], list[tuple[str | None, str]]]:
    """Tolka ``tabeller.yaml``: en ``dict`` per tabell och problem som (tabell-id, text).

    Kontrollerar nycklar (okända med förslag, obligatoriska), id (unika, a–z, 0–9, _),
    periodkoder och värdenas ordförråd. Kolumnbeskrivningarna kontrolleras mot filen i
    :func:`tabell_fran_rutnat`.

    >>> tabeller, problem = tolka_beskrivning({"tabeller": [{"id": "a", "titel": "A"}]})
    >>> problem
    [('a', 'nyckeln "referens" saknas (var tabellen står: sida, tabellnummer eller avsnitt)'), ('a', 'nyckeln "period" saknas (ange den i tabellen eller högst upp i filen)')]
    """  # noqa: E501
    problem: list[tuple[str | None, str]] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("tabeller"), list):
        return [], [(None, 'filen ska ha nyckeln "tabeller" med en lista av tabeller')]
    for k in data:
        if k not in _TOPPNYCKLAR:
            problem.append((None, f'okänd nyckel "{k}"{_forslag(k, list(_TOPPNYCKLAR))}'))
    standardperiod = _text(data.get("period"))
    if standardperiod is not None and not _giltig_period(standardperiod):
        problem.append((None, f'"{standardperiod}" är ingen giltig periodkod'))
        standardperiod = None
    ut: list[dict[str, Any]] = []
    sedda: set[str] = set()
    for i, t in enumerate(data["tabeller"], start=1):
        if not isinstance(t, Mapping):
            problem.append((None, f"tabell {i} ska vara en samling nycklar (id, titel, …)"))
            continue
        tid = _text(t.get("id")) or f"tabell {i}"
        problem += [(tid, text) for text in _tabellens_id_och_nycklar(t, tid, sedda)]
        sedda.add(tid)
        spec = dict(t)
        spec["id"] = tid
        spec.setdefault("kalla", data.get("kalla"))
        spec["period"] = _text(t.get("period")) or standardperiod
        problem += [(tid, text) for text in _tabellens_varden(t, spec)]
        ut.append(spec)
    for spec in ut:
        bas = _text(spec.get("bas"))
        if bas is not None and bas not in sedda:
            problem.append(
                (spec["id"], f'bas "{bas}" är ingen tabell i filen{_forslag(bas, sorted(sedda))}')
            )
    return ut, problem


def _tabellens_id_och_nycklar(t: Mapping[str, Any], tid: str, sedda: set[str]) -> list[str]:
    """Problemen med en tabells id (saknas, tecken, dubblett), okända och saknade nycklar."""
    problem = []
    if _text(t.get("id")) is None:
        problem.append('nyckeln "id" saknas')
    elif not _ID.match(tid):
        problem.append(f'id "{tid}" får bara ha a–z, 0–9 och _')
    elif tid in sedda:
        problem.append(f'id "{tid}" finns två gånger')
    for k in t:
        if k not in _TABELLNYCKLAR:
            problem.append(
                f'okänd nyckel "{k}"{_forslag(k, list(_TABELLNYCKLAR))} '
                f"(kända: {', '.join(_TABELLNYCKLAR)})"
            )
    for k in ("titel", "referens"):
        if _text(t.get(k)) is None:
            problem.append(f'nyckeln "{k}" saknas ({_TABELLNYCKLAR[k]})')
    return problem


# nyckel -> tillåtna värden i en tabells beskrivning
_ORDFORRAD: dict[str, Mapping[str, str]] = {
    "population": POPULATIONER,
    "matt": MATT,
    "tecken": {"som_tryckt": "", "kostnader_positiva": ""},
    "parentes": {"andel": "", "foregaende": ""},
    "fordelning": {"kolumner": "", "rader": ""},
}


def _tabellens_varden(t: Mapping[str, Any], spec: dict[str, Any]) -> list[str]:
    """Problemen med en tabells värden (period, ordförråd, enhet, ja/nej, kolumner, fotnoter);
    ogiltiga värden tas bort ur ``spec``."""
    problem = []
    period = spec["period"]
    if period is None:
        problem.append('nyckeln "period" saknas (ange den i tabellen eller högst upp i filen)')
    elif not _giltig_period(period):
        problem.append(f'"{period}" är ingen giltig periodkod')
    for k, tillatna in _ORDFORRAD.items():
        v = _text(t.get(k))
        if v is not None and v not in tillatna:
            problem.append(
                f'okänt värde för {k}: "{v}"{_forslag(v, list(tillatna))} '
                f"(tillåtna: {', '.join(tillatna)})"
            )
            spec[k] = None
    fp = _text(t.get("foregaende_period"))
    if fp is not None and not _giltig_period(fp):
        problem.append(f'"{fp}" är ingen giltig periodkod (foregaende_period)')
    enhet = _text(t.get("enhet"))
    if enhet is not None and enhet not in _ENHETER:
        problem.append(f'okänd enhet "{enhet}" (kända: {", ".join(_ENHETER)})')
        spec["enhet"] = None
    try:
        spec["varav_uttommande"] = _jn(t.get("varav_uttommande"))
    except ValueError:
        problem.append('"varav_uttommande" ska vara ja eller nej')
        spec["varav_uttommande"] = None
    kolumner = t.get("kolumner")
    if kolumner is not None and not isinstance(kolumner, Mapping):
        problem.append('"kolumner" ska vara rubrik: mått eller rubrik: {matt: …, roll: …}')
        spec["kolumner"] = {}
    fotnoter = t.get("fotnoter")
    if isinstance(fotnoter, str):
        spec["fotnoter"] = [fotnoter]
    elif fotnoter is not None and not isinstance(fotnoter, (list, tuple)):
        problem.append('"fotnoter" ska vara en lista med texter (eller en text)')
        spec["fotnoter"] = []
    return problem


# ------------------------------------------------------------------------------- filen


def _ar_tom(rad: Sequence[Any]) -> bool:
    return all(_text(c) is None for c in rad)


def tabell_fran_rutnat(
    rutnat: Sequence[Sequence[Any]], spec: Mapping[str, Any], *, fil: str, forsta_rad: int = 1
) -> tuple[PubliceradTabell | None, list[Problem]]:
    """Bygg en :class:`PubliceradTabell` ur en fils celler (text) och tabellens beskrivning.

    Parameters
    ----------
    rutnat : lista av rader
        Filens celler som text (None = tom), rubrikraden först (tomma rader hoppas över).
    spec : mapping
        Tabellens beskrivning ur ``tabeller.yaml`` (se :func:`tolka_beskrivning`).
    fil : str
        Filnamnet i meddelandena.
    forsta_rad : int
        Radnumret (som i Excel) för ``rutnat[0]``.

    Returns
    -------
    (PubliceradTabell eller None, problem)
        Alla problem i filen på en gång (fil, rad som i Excel, kolumn, vad som förväntades).
    """
    rader = [(forsta_rad + i, list(r)) for i, r in enumerate(rutnat) if not _ar_tom(r)]
    if not rader:
        return None, [Problem("filen är tom", fil=fil, kod="tom_fil")]
    rubrikrad, rubriker_ra = rader[0]
    bredd = max(len(r) for _, r in rader)
    rubriker = [_text(c) or "" for c in rubriker_ra] + [""] * (bredd - len(rubriker_ra))
    # Strukturkolumner, etikettkolumn och värdekolumner
    struktur, problem = _strukturkolumner(rubriker, rubrikrad, fil)
    etikettkol = next((j for j, r in enumerate(rubriker) if _norm(r) == "rad"), None)
    if etikettkol is None:
        etikettkol = next((j for j in range(bredd) if j not in struktur.values()), None)
    if etikettkol is None:
        return None, [
            Problem(
                "filen har ingen kolumn med radetiketter", fil=fil, rader=(rubrikrad,), kod="kolumn"
            )
        ]
    vardekol = [j for j in range(bredd) if j != etikettkol and j not in struktur.values()]
    # Tomma kolumner utan rubrik och utan värden (Excel-rester) hoppas över.
    vardekol = [
        j
        for j in vardekol
        if rubriker[j] or any(_text(r[j] if j < len(r) else None) for _, r in rader[1:])
    ]
    problem += _rubrikproblem(rubriker, vardekol, rubrikrad, fil)
    tid = str(spec.get("id"))
    tabellenhet = _text(spec.get("enhet"))
    kolumner, fel = _kolumnspecar(spec, [(rubriker[j], j) for j in vardekol])
    problem += [
        Problem(f"tabell {tid}: {f}", fil=f"{KATALOG}/{BESKRIVNING}", kod="beskrivning")
        for f in fel
    ]

    # Raderna
    tabellparentes = _text(spec.get("parentes"))
    radposter: list[dict[str, Any]] = []
    celler: dict[tuple[int, str], TrycktCell] = {}
    for excelrad, r in rader[1:]:
        r = r + [None] * (bredd - len(r))
        post: dict[str, Any] = {"etikett": _text(r[etikettkol]) or "", "excelrad": excelrad}
        for n in STRUKTURKOLUMNER:
            if n in ("rad",):
                continue
            post[n] = _text(r[struktur[n]]) if n in struktur else None
        radnr = len(radposter)
        radposter.append(post)
        for k, j in zip(kolumner, vardekol, strict=True):
            text = _text(r[j])
            if text is None:
                continue
            cell, fel_i_cellen = _tryckt_cell(text, k, tabellparentes)
            if fel_i_cellen is not None:
                problem.append(replace(fel_i_cellen, fil=fil, rader=(excelrad,)))
            if cell is not None:
                celler[(radnr, k.namn)] = cell
    rader_ut, fel_rader = _rader(radposter, fil)
    problem += fel_rader
    if problem:
        return None, problem
    avr, enh = _avrundning(spec.get("avrundade"), "", [])
    tabell = PubliceradTabell(
        id=tid,
        titel=str(spec.get("titel") or ""),
        referens=str(spec.get("referens") or ""),
        kolumner=tuple(kolumner),
        rader=rader_ut,
        celler=MappingProxyType(celler),
        kalla=str(spec.get("kalla") or ""),
        period=_text(spec.get("period")),
        population=_text(spec.get("population")),
        population_text=str(spec.get("population_text") or ""),
        enhet=tabellenhet,
        tecken=_text(spec.get("tecken")) or "som_tryckt",
        namnare=_text(spec.get("namnare")),
        bas=_text(spec.get("bas")),
        fordelning=_text(spec.get("fordelning")),
        varav_uttommande=spec.get("varav_uttommande"),
        parentes=tabellparentes,
        foregaende_period=_text(spec.get("foregaende_period")),
        avrundade=avr,
        avrundningsenhet=enh,
        fotnoter=tuple(str(f) for f in (spec.get("fotnoter") or ())),
        kommentar=str(spec.get("kommentar") or ""),
        fil=fil,
        etikettrubrik=rubriker[etikettkol],
    )
    return tabell, []


def _strukturkolumner(
    rubriker: list[str], rubrikrad: int, fil: str
) -> tuple[dict[str, int], list[Problem]]:
    """Strukturkolumnerna (grupp, roll, del_av …) -> kolumnnummer; en rubrik två gånger är fel."""
    problem: list[Problem] = []
    struktur: dict[str, int] = {}
    for j, r in enumerate(rubriker):
        n = _norm(r)
        if n in STRUKTURKOLUMNER and n != "rad":
            if n in struktur:
                problem.append(
                    Problem(
                        f'kolumnen "{n}" finns två gånger',
                        fil=fil,
                        rader=(rubrikrad,),
                        kolumn=r,
                        kod="kolumn",
                    )
                )
            struktur[n] = j
    return struktur, problem


def _rubrikproblem(
    rubriker: list[str], vardekol: list[int], rubrikrad: int, fil: str
) -> list[Problem]:
    """Värdekolumner utan rubrik och rubriker som finns två gånger."""
    problem: list[Problem] = []
    sedda: set[str] = set()
    for j in vardekol:
        if not rubriker[j]:
            problem.append(
                Problem(
                    "kolumnen har värden men ingen rubrik",
                    fil=fil,
                    rader=(rubrikrad,),
                    kolumn=_bokstav(j),
                    forvantat="rubriken som den är tryckt",
                    kod="kolumn",
                )
            )
        elif rubriker[j] in sedda:
            problem.append(
                Problem(
                    f'rubriken "{rubriker[j]}" finns två gånger',
                    fil=fil,
                    rader=(rubrikrad,),
                    kolumn=rubriker[j],
                    forvantat="unika rubriker (skriv t.ex. 'Budget 2021' och 'Budget 2022')",
                    kod="kolumn",
                )
            )
        sedda.add(rubriker[j])
    return problem


def _kolumnspecar(
    spec: Mapping[str, Any], rubriker: list[tuple[str, int]]
) -> tuple[list[Kolumnspec], list[str]]:
    """Värdekolumnernas beskrivning (``kolumner`` i tabeller.yaml, annars tabellens mått) och
    problemen med beskrivningen (kolumner som inte finns, ``av`` som inte finns).

    ``rubriker`` är värdekolumnernas (rubrik, kolumnnummer); en kolumn utan rubrik heter som
    sin bokstav."""
    tabellmatt = _text(spec.get("matt")) or "tal"
    tabellenhet = _text(spec.get("enhet"))
    besk = spec.get("kolumner") or {}
    if not isinstance(besk, Mapping):
        besk = {}
    fel: list[str] = []
    kolumner: list[Kolumnspec] = []
    anvanda: set[str] = set()
    for rubrik, j in rubriker:
        namn = rubrik or _bokstav(j)
        nyckel = namn if namn in besk else next((k for k in besk if _norm(k) == _norm(namn)), None)
        if nyckel is not None:
            anvanda.add(nyckel)
        kolumner.append(
            _kolumnspec(namn, besk.get(nyckel) if nyckel else None, tabellmatt, tabellenhet, fel)
        )
    normade = {_norm(r): r for r, _ in rubriker if r}
    for k in besk:
        if k not in anvanda:
            fel.append(
                f'kolumnen "{k}" i beskrivningen finns inte i filen'
                f"{_forslag(k, list(normade.values()))}"
            )
    namnmangd = {k.namn for k in kolumner}
    for k in kolumner:
        for a in k.av:
            if a not in namnmangd:
                fel.append(
                    f'kolumnen "{k.namn}": "av" nämner "{a}", som inte finns'
                    f"{_forslag(a, sorted(namnmangd))}"
                )
    return kolumner, fel


def _tryckt_cell(
    text: str, k: Kolumnspec, tabellparentes: str | None
) -> tuple[TrycktCell | None, Problem | None]:
    """En cell som den trycktes i kolumnen ``k``, och ett problem (utan fil och rad) om den
    inte går att tolka."""
    if k.roll == "mal":
        v, d, pr, _ = tolka_maltext(text)
        return TrycktCell(text=text, varde=v, decimaler=d, procent=pr, fritext=math.isnan(v)), None
    if k.matt == "text" or k.roll in ("text", "bedomning"):
        return TrycktCell(text=text, fritext=True), None
    try:
        cell = tolka_cell(text, parentes=k.parentes or tabellparentes)
    except TolkningsFel as e:
        if k.fritext:  # "Underskott 120 tkr", "18 (2023: 24)": text med siffror
            return TrycktCell(text=text, fritext=True), None
        return None, Problem(str(e), kolumn=k.namn, kod="cell")
    if cell.fritext and not k.fritext:
        return cell, Problem(
            f"texten står i en kolumn med måttet {k.matt}",
            kolumn=k.namn,
            varde=text[:60],
            forvantat="ett tal, .. (uppgift saknas), – (inget), eller fritext: ja för kolumnen",
            kod="cell",
        )
    return cell, None


_RADKOLUMNER = ("etikett", "excelrad", *[n for n in STRUKTURKOLUMNER if n != "rad"])


def _rader(poster: list[dict[str, Any]], fil: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Radernas struktur: roller, grupper, typer och referenser (del_av, namnare) kontrolleras.

    ``del_av`` och ``namnare`` blir radnummer (−1 = ingen).
    """
    problem: list[Problem] = []

    def fel(i: int, text: str, kolumn: str, varde: Any = None, forvantat: str | None = None):
        problem.append(
            Problem(
                text,
                fil=fil,
                rader=(int(poster[i]["excelrad"]),),
                kolumn=kolumn,
                varde=None if varde is None else str(varde),
                forvantat=forvantat,
                kod="cell",
            )
        )

    for i, post in enumerate(poster):
        _radens_varden(i, post, fel)
    _radreferenser(poster, fel)
    for i in range(len(poster)):  # del_av får inte bilda en cykel
        sett, j = {i}, poster[i]["del_av"]
        while j >= 0:
            if j in sett:
                fel(i, "del_av bildar en cykel", "del_av")
                poster[i]["del_av"] = -1
                break
            sett.add(j)
            j = poster[j]["del_av"]
    for i, post in enumerate(poster):
        if post["roll"] == "varav" and post["del_av"] < 0 and post.get("_del_av_fel") is None:
            fel(
                i,
                "en varav-rad måste ange vilken rad den är en del av",
                "del_av",
                forvantat="etiketten på raden i del_av",
            )
    data: dict[str, Any] = {}
    for k in _RADKOLUMNER:
        varden = [p[k] for p in poster]
        if k in ("excelrad", "del_av", "namnare"):
            data[k] = pd.array(varden, dtype="int64")
        elif k == "uttommande":
            data[k] = pd.array(varden, dtype="boolean")
        else:
            data[k] = pd.Series(varden, dtype=object)
    return pd.DataFrame(data, columns=list(_RADKOLUMNER)), problem


def _radens_varden(i: int, post: dict[str, Any], fel: Callable[..., None]) -> None:
    """Rad ``i``: roll (standard del, summa för en summaetikett eller ett resultat), grupp,
    typ, riktning och uttömmande normaliseras i ``post``; okända värden blir fel."""
    roll = _norm(post["roll"]) if post["roll"] else None
    if roll is None:
        resultat = post["typ"] is not None and _norm(post["typ"]) == "resultat"
        roll = "summa" if resultat or ar_summarad(post["etikett"]) else "del"
    elif roll not in RADROLLER:
        fel(
            i,
            f"okänd radroll{_forslag(roll, list(RADROLLER))}",
            "roll",
            post["roll"],
            "en av: " + ", ".join(RADROLLER),
        )
        roll = "del"
    post["roll"] = roll
    g = post["grupp"]
    post["grupp"] = " › ".join(x for x in _GRUPPSTEG.split(g) if x) if g else ""
    for kol, tillatna in (
        ("typ", ("intakt", "kostnad", "resultat")),
        ("riktning", ("minst", "hogst")),
    ):
        v = post[kol]
        if v is not None and _norm(v) not in tillatna:
            fel(i, f"okänt värde i {kol}", kol, v, "en av: " + ", ".join(tillatna))
            post[kol] = None
        elif v is not None:
            post[kol] = _norm(v)
    try:
        post["uttommande"] = _jn(post["uttommande"])
    except ValueError:
        fel(i, "ska vara ja eller nej", "uttommande", post["uttommande"])
        post["uttommande"] = None


def _radreferenser(poster: list[dict[str, Any]], fel: Callable[..., None]) -> None:
    """``del_av`` och ``namnare`` (etiketter) blir radnummer (−1 = ingen); en etikett som inte
    finns, eller raden själv, är ett fel."""
    etiketter = [str(p["etikett"]) for p in poster]
    grupper = [p["grupp"] for p in poster]
    for kol in ("del_av", "namnare"):
        for i, post in enumerate(poster):
            v = post[kol]
            if v is None:
                post[kol] = -1
                continue
            ref = _hitta_rad(etiketter, grupper, v, i)
            if ref is None or ref == i:
                text = (
                    f"{kol} pekar inte på någon annan rad"
                    if ref is None
                    else f"{kol} pekar på raden själv"
                )
                fel(
                    i,
                    text,
                    kol,
                    v,
                    f"en radetikett i tabellen{_forslag(v, [e for e in etiketter if e])}",
                )
                post[kol] = -1
            else:
                post[kol] = ref


def _bokstav(j: int) -> str:
    bokstav = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        bokstav = chr(65 + rest) + bokstav
    return bokstav


def _hitta_rad(etiketter: list[str], grupper: list[str], etikett: str, fran: int) -> int | None:
    """Radnumret för en etikett: exakt, annars normaliserad; i samma grupp om den finns flera."""
    traffar = [i for i, e in enumerate(etiketter) if e == etikett]
    if not traffar:
        traffar = [i for i, e in enumerate(etiketter) if _norm(e) == _norm(etikett)]
    if len(traffar) > 1:
        samma = [i for i in traffar if grupper[i] == grupper[fran]]
        traffar = samma or traffar
    return traffar[0] if traffar else None


# ------------------------------------------------------------------------------- katalogen


def las_publicerade(katalog: str | Path) -> tuple[tuple[PubliceradTabell, ...], list[Problem]]:
    """Läs ``publicerat/tabeller.yaml`` och tabellfilerna i en förbundskatalog.

    Returns
    -------
    (tabeller, problem)
        Tabellerna i beskrivningsfilens ordning och alla problem (tomt när katalogen saknas).
        Filerna läses bara; personnummerspärren körs på varje cell.
    """
    from finsam_analys.indata.filer import FilFel, las_yaml, problem_med_sokvag
    from finsam_analys.indata.inlasning import (
        _fil_fel_som_problem,
        _las_fil,
        _personnummerproblem,
    )

    forbund = Path(katalog)
    rot = forbund / KATALOG
    if not rot.is_dir():
        return (), []
    besk = rot / BESKRIVNING
    filnamn = f"{KATALOG}/{BESKRIVNING}"
    if not besk.exists() and not besk.is_symlink():
        return (), [
            Problem(
                "beskrivningsfilen saknas",
                fil=filnamn,
                forvantat="tabeller.yaml med en post per tabell i publicerat/",
                kod="saknad_fil",
            )
        ]
    try:  # samma säkra läsning som forbund.yaml (personnummer, alias, storlek, svenska fel)
        data = las_yaml(besk, rot=forbund)
    except FilFel as fel:
        return (), [_fil_fel_som_problem(fel, filnamn)]
    specar, fel = tolka_beskrivning(data)
    problem = [
        Problem(f"tabell {t}: {f}" if t else f, fil=filnamn, kod="beskrivning") for t, f in fel
    ]
    tabeller: list[PubliceradTabell] = []
    anvanda = {BESKRIVNING}
    for spec in specar:
        tid = spec["id"]
        namn = _text(spec.get("fil"))
        if namn is None:
            kandidater = [rot / f"{tid}{a}" for a in (".csv", ".xlsx", ".txt")]
            sokvag = next((p for p in kandidater if p.is_file()), None)
        else:
            sokvag = rot / namn
            if sokvag.resolve().parent != rot.resolve() or not sokvag.exists():
                sokvag = None
        if sokvag is not None and (orsak := problem_med_sokvag(forbund, sokvag)) is not None:
            problem.append(
                Problem(
                    f"tabell {tid}: filen {orsak}",
                    fil=f"{KATALOG}/{sokvag.name}",
                    forvantat=f"en vanlig fil i {KATALOG}/",
                    kod="sokvag",
                )
            )
            continue
        if sokvag is None:
            problem.append(
                Problem(
                    f"tabell {tid}: filen saknas",
                    fil=f"{KATALOG}/{namn or tid + '.csv'}",
                    forvantat=f"en CSV- eller Excel-fil i {KATALOG}/ (standard {tid}.csv)",
                    kod="saknad_fil",
                )
            )
            continue
        anvanda.add(sokvag.name)
        fil = f"{KATALOG}/{sokvag.name}"
        radata, fel_fil = _las_fil(sokvag, _text(spec.get("blad")), fil, forbund)
        problem += fel_fil
        if radata is None:
            continue
        pnr = _personnummerproblem(radata, {}, fil)
        if pnr:
            problem += pnr
            continue
        rutnat = radata.rader(len(radata.rutnat))
        tabell, fel_t = tabell_fran_rutnat(rutnat, spec, fil=fil)
        problem += fel_t
        if tabell is not None:
            tabeller.append(tabell)
    for p in sorted(rot.iterdir()):
        if p.is_file() and not p.name.startswith((".", "~$")) and p.name not in anvanda:
            if p.suffix.lower() in (".csv", ".xlsx", ".txt"):
                problem.append(
                    Problem(
                        "filen nämns inte i tabeller.yaml",
                        fil=f"{KATALOG}/{p.name}",
                        forvantat=f"en post med id: {p.stem} (eller fil: {p.name}) i tabeller.yaml",
                        kod="okand_fil",
                    )
                )
    return tuple(tabeller), problem
