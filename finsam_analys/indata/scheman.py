"""Datamodellen: kanoniska tabeller och konfigschemat.

Varje förbund är en katalog med ``forbund.yaml`` och tabellfiler (``<tabell>.csv`` eller
``.xlsx``). Här definieras vilka tabeller som finns, deras kolumner (namn, typ, obligatorisk,
tillåtna kategorier, intervall), vilka rapportavsnitt de matar och vilka nycklar som ska vara
unika. Kodlistorna som kategorierna följer finns i :mod:`finsam_analys.indata.kodlistor`.
Definitionerna används av ``inlasning`` (typning och mappning), ``validering`` (pandera-scheman)
och dokumentationen i ``data/README.md``.

Regler som gäller alla tabeller:

- Kolumner som slutar på ``_publicerad`` (t.ex. ``andel_publicerad``) är tillåtna i alla
  tabeller och tolkas som tal: de är värden som rapporten trycker och som granskningen jämför
  med omräkningen. Biblioteket räknar aldrig med dem.
- Kolumnerna ``kommentar`` (text) och ``kalltabell`` (text: vilken tryckt tabell raden kommer
  från, t.ex. "s. 14 Länets kommuner 2020") är tillåtna i alla tabeller. ``kalltabell`` ingår
  i den unika nyckeln när den finns, så att samma uppgift ur två tryckta tabeller (som kan
  skilja sig åt) får finnas två gånger.
- I aggregattabeller betyder kategorin ``Totalt`` en summarad; ``del_av`` (valfri) anger att
  raden är en "varav"-rad till en annan kategori i samma grupp.

>>> sorted(TABELLER)[:3]
['avbrott', 'avslut', 'deltagarantal']
>>> TABELLER["deltagare"].kolumn("kon").kategorier
('Kvinna', 'Man')
>>> schema = pandera_schema("avslut")
>>> sorted(schema.columns)
['antal', 'avslutstyp', 'del_av', 'insats', 'period', 'utfall']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from finsam_analys.indata.kodlistor import (
    AVSLUTSTYP,
    BELOPPSENHET,
    DIMENSIONER,
    EKONOMITYP,
    ERSATTNINGSFORM_SCB,
    FORSORJNING,
    KODLISTOR,
    KON,
    KON_SCB,
    REGIONTYP,
    REMITTENT,
    RIKTNING,
    TOTALT,
    UPPFOLJNINGSUTFALL,
    UTFALL,
)

Typ = Literal["text", "heltal", "tal", "datum", "bool", "period"]

# pandas-dtyper som tabellerna har efter inläsning
DTYPER: dict[str, str] = {
    "text": "str",
    "period": "str",
    "heltal": "Int64",
    "tal": "float64",
    "datum": "datetime64[us]",
    "bool": "boolean",
}

SUFFIX_PUBLICERAD = "_publicerad"
KOMMENTAR = "kommentar"
KALLTABELL = "kalltabell"
ALLMANNA_KOLUMNER = (KOMMENTAR, KALLTABELL)

# Periodkoder som ``Rapportperiod.tolka`` förstår: "2019", "2021-01..2021-08",
# "2015-07..2016-06", "2019-H1", "2019-T2", "2019-01-01..2019-05-31".
PERIODMONSTER = re.compile(
    r"^\d{4}(-(\d{2}(-\d{2})?|H[12]|T[123]|Q[1-4]))?"
    r"(\.\.\d{4}(-\d{2}(-\d{2})?)?)?$"
)



@dataclass(frozen=True)
class Kolumn:
    """En kolumn i en kanonisk tabell.

    ``obligatorisk`` betyder att kolumnen måste finnas i filen; ``nullbar=False`` att varje
    rad måste ha ett värde. ``kategorier`` är en sluten kodlista (None = fri text).
    """

    namn: str
    typ: Typ
    beskrivning: str
    obligatorisk: bool = False
    nullbar: bool = True
    kategorier: tuple[str, ...] | None = None
    minst: float | None = None
    hogst: float | None = None

    @property
    def dtype(self) -> str:
        return DTYPER[self.typ]


@dataclass(frozen=True)
class Tabelldef:
    """En kanonisk tabell: kolumner, unik nyckel, vilka rapportavsnitt den matar."""

    namn: str
    beskrivning: str
    kolumner: tuple[Kolumn, ...]
    avsnitt: tuple[str, ...]
    nyckel: tuple[str, ...] = ()
    aggregat: bool = True
    obligatorisk: bool = False
    # kolumner som tillsammans med ``del_av`` bildar en grupp för "varav"/Totalt-kontrollen
    grupp: tuple[str, ...] = field(default=())
    kategorikolumn: str | None = None
    antalkolumn: str | None = None

    def kolumn(self, namn: str) -> Kolumn:
        for k in self.kolumner:
            if k.namn == namn:
                return k
        raise KeyError(namn)

    @functools.cached_property
    def kolumnnamn(self) -> tuple[str, ...]:
        return tuple(k.namn for k in self.kolumner)

    @property
    def obligatoriska(self) -> tuple[str, ...]:
        return tuple(k.namn for k in self.kolumner if k.obligatorisk)

    def tillaten(self, kolumn: str) -> bool:
        """Sant om kolumnnamnet är tillåtet i tabellen (egna, ``_publicerad``, ``kommentar``)."""
        return (
            kolumn in self.kolumnnamn
            or kolumn in ALLMANNA_KOLUMNER
            or (kolumn.endswith(SUFFIX_PUBLICERAD) and len(kolumn) > len(SUFFIX_PUBLICERAD))
        )

    def kolumndef(self, kolumn: str) -> Kolumn | None:
        """Definitionen för en tillåten kolumn, även ``_publicerad`` och ``kommentar``."""
        if kolumn in self.kolumnnamn:
            return self.kolumn(kolumn)
        if kolumn == KOMMENTAR:
            return Kolumn(KOMMENTAR, "text", "fri kommentar")
        if kolumn == KALLTABELL:
            return Kolumn(KALLTABELL, "text", "vilken tryckt tabell raden kommer från")
        if kolumn.endswith(SUFFIX_PUBLICERAD):
            return Kolumn(kolumn, "tal", "värde som rapporten trycker (granskas, räknas ej med)")
        return None


def _k(namn: str, typ: Typ, beskrivning: str, **kw: Any) -> Kolumn:
    return Kolumn(namn, typ, beskrivning, **kw)


def _obl(namn: str, typ: Typ, beskrivning: str, **kw: Any) -> Kolumn:
    return Kolumn(namn, typ, beskrivning, obligatorisk=True, nullbar=False, **kw)


_PERIOD = _obl("period", "period", "periodkod, t.ex. 2019 eller 2021-01..2021-08")
_ANTAL = _obl("antal", "heltal", "antal (personer, deltaganden, ansökningar)", minst=0)
_DEL_AV = _k("del_av", "text", "raden är en varav-rad till denna kategori i samma grupp")
_INSATS_VALFRI = _k("insats", "text", "insats (tomt = alla)")

_TABELLDEFAR: tuple[Tabelldef, ...] = (
    Tabelldef(
        "deltagare",
        "En rad per deltagande (SUS räknade varje deltagande i en insats för sig).",
        (
            _obl("deltagare_id", "text", "pseudonymt id (aldrig personnummer)"),
            _obl("insats", "text", "insatsens namn (ska finnas bland konfigens insatser)"),
            _k("inriktning", "text", "inriktning/grupp inom insatsen"),
            _k("kon", "text", "kön", kategorier=KON),
            _k("fodelsear", "heltal", "födelseår", minst=1900, hogst=2030),
            _k(
                "alder", "heltal", "ålder vid inskrivning (om födelseår saknas)", minst=0, hogst=120
            ),
            _k("folkbokforingskommun", "text", "folkbokföringskommun"),
            _k("remittent", "text", "remitterande aktör", kategorier=REMITTENT),
            _k("forsorjning_in", "text", "försörjning vid inskrivning", kategorier=FORSORJNING),
            _k("forsorjning_ut", "text", "försörjning vid avslut", kategorier=FORSORJNING),
            _k(
                "tid_offentlig_forsorjning_ar",
                "tal",
                "tid i offentlig försörjning före inskrivning, år",
                minst=0,
                hogst=60,
            ),
            _obl("inskrivningsdatum", "datum", "datum för inskrivning"),
            _k("avslutsdatum", "datum", "datum för avslut (tomt = pågående)"),
            _k("avslutstyp", "text", "fullföljd eller avbruten", kategorier=AVSLUTSTYP),
            _k("avslutsorsak", "text", "utfall/orsak vid avslut", kategorier=UTFALL),
            _k("halsopoang_start", "tal", "ORS-poäng vid start (0–40)", minst=0, hogst=40),
            _k("halsopoang_slut", "tal", "ORS-poäng vid avslut (0–40)", minst=0, hogst=40),
            _k("steg_start", "heltal", "steg på trappan vid start (1 = första)", minst=1),
            _k("steg_slut", "heltal", "steg på trappan vid avslut", minst=1),
            _k(
                "uppfoljning_6_man",
                "text",
                "läget 6 mån efter avslut",
                kategorier=UPPFOLJNINGSUTFALL,
            ),
            _k(
                "uppfoljning_12_man",
                "text",
                "läget 12 mån efter avslut",
                kategorier=UPPFOLJNINGSUTFALL,
            ),
            _k(
                "uppfoljning_18_man",
                "text",
                "läget 18 mån efter avslut",
                kategorier=UPPFOLJNINGSUTFALL,
            ),
        ),
        avsnitt=(
            "deltagare",
            "resultat efter avslut",
            "avslut per insats",
            "hälsa",
            "remisser",
            "avbrott",
            "uppföljning",
            "stegförflyttning",
            "genomströmningstid",
        ),
        nyckel=("deltagare_id", "insats", "inskrivningsdatum"),
        aggregat=False,
    ),
    Tabelldef(
        "ersattningsperioder",
        "Ersättningsperioder per person (för helårsekvivalenter på individnivå).",
        (
            _obl("person", "text", "pseudonymt id (samma som deltagare_id)"),
            _obl(
                "ersattningsform", "text", "SCB:s ersättningsform", kategorier=ERSATTNINGSFORM_SCB
            ),
            _k("kon", "text", "kön", kategorier=KON),
            _obl("fran", "datum", "periodens första dag"),
            _obl("till", "datum", "periodens sista dag"),
            _obl("omfattning", "tal", "andel av hel ersättning (0–1)", minst=0, hogst=1),
        ),
        avsnitt=("helårsekvivalenter",),
        aggregat=False,
    ),
    Tabelldef(
        "avslut",
        "Avslutade deltaganden per utfall och insats.",
        (
            _PERIOD,
            _obl("insats", "text", "insats eller Totalt"),
            _obl("utfall", "text", "utfall vid avslut", kategorier=UTFALL + (TOTALT,)),
            _ANTAL,
            _k("avslutstyp", "text", "fullföljd eller avbruten", kategorier=AVSLUTSTYP),
            _DEL_AV,
        ),
        avsnitt=("resultat efter avslut", "avslut per insats", "måluppfyllelse"),
        nyckel=("period", "insats", "utfall", "avslutstyp"),
        grupp=("period", "insats", "avslutstyp"),
        kategorikolumn="utfall",
        antalkolumn="antal",
    ),
    Tabelldef(
        "halsoenkat",
        "Hälsoenkät: summa poäng vid start och slut, antal förbättrade.",
        (
            _PERIOD,
            _obl("delperiod", "period", "mätperiod inom perioden (eller samma som period)"),
            _INSATS_VALFRI,
            _obl("n", "heltal", "antal enkäter (par start/slut)", minst=0),
            _k("summa_start", "tal", "summa poäng vid start", minst=0),
            _k("summa_slut", "tal", "summa poäng vid slut", minst=0),
            _k("antal_forbattrade", "heltal", "antal med förbättrad hälsa", minst=0),
        ),
        avsnitt=("hälsa",),
        nyckel=("period", "delperiod", "insats"),
    ),
    Tabelldef(
        "remisser",
        "Ansökningar/remisser per remittent och inriktning.",
        (
            _PERIOD,
            _obl("remittent", "text", "remitterande aktör", kategorier=REMITTENT + (TOTALT,)),
            _obl("inriktning", "text", "inriktning eller Totalt"),
            _ANTAL,
            _INSATS_VALFRI,
        ),
        avsnitt=("remisser",),
        nyckel=("period", "insats", "remittent", "inriktning"),
        grupp=("period", "insats", "remittent"),
        kategorikolumn="inriktning",
        antalkolumn="antal",
    ),
    Tabelldef(
        "avbrott",
        "Avbrott per orsak eller per remittent.",
        (
            _PERIOD,
            _obl("dimension", "text", "vad kategorin avser", kategorier=tuple(DIMENSIONER)),
            _obl("kategori", "text", "kategori inom dimensionen, eller Totalt"),
            _ANTAL,
            _INSATS_VALFRI,
            _DEL_AV,
        ),
        avsnitt=("avbrott",),
        nyckel=("period", "insats", "dimension", "kategori"),
        grupp=("period", "insats", "dimension"),
        kategorikolumn="kategori",
        antalkolumn="antal",
    ),
    Tabelldef(
        "uppfoljning",
        "Uppföljning efter avslut (6/12/18/24 månader).",
        (
            _PERIOD,
            _obl("manader", "heltal", "månader efter avslut", minst=1, hogst=60),
            _obl(
                "utfall",
                "text",
                "läget vid uppföljningen",
                kategorier=UPPFOLJNINGSUTFALL + (TOTALT,),
            ),
            _ANTAL,
            _INSATS_VALFRI,
            _DEL_AV,
        ),
        avsnitt=("uppföljning",),
        nyckel=("period", "insats", "manader", "utfall"),
        grupp=("period", "insats", "manader"),
        kategorikolumn="utfall",
        antalkolumn="antal",
    ),
    Tabelldef(
        "deltagarantal",
        "Deltagare per dimension (kön, remittent, försörjning, kommun, status ...).",
        (
            _PERIOD,
            _obl("dimension", "text", "vad kategorin avser", kategorier=tuple(DIMENSIONER)),
            _obl("kategori", "text", "kategori inom dimensionen, eller Totalt"),
            _ANTAL,
            _INSATS_VALFRI,
            _DEL_AV,
        ),
        avsnitt=("deltagare", "remisser", "försörjning"),
        nyckel=("period", "insats", "dimension", "kategori"),
        grupp=("period", "insats", "dimension"),
        kategorikolumn="kategori",
        antalkolumn="antal",
    ),
    Tabelldef(
        "nyckeltal_publicerade",
        "Nyckeltal som rapporten trycker (genomströmningstid, snittålder, återbetalningstid ...).",
        (
            _PERIOD,
            _obl(
                "indikator", "text", "nyckeltalets namn (svenska ASCII, t.ex. genomstromningstid)"
            ),
            _obl("varde", "tal", "tryckt värde"),
            _obl("enhet", "text", "enhet, t.ex. manader, ar, procent, antal"),
            _INSATS_VALFRI,
            _k("etikett", "text", "nyckeltalets namn i rapporten (tomt = härlett ur indikatorn)"),
        ),
        avsnitt=("nyckeltal", "samhällsnytta", "granskning"),
        nyckel=("period", "insats", "indikator"),
    ),
    Tabelldef(
        "enkat",
        "Deltagarenkät (NNS-indikatorerna): antal svar per fråga och steg.",
        (
            _PERIOD,
            _obl("fraga", "text", "frågan"),
            _obl("steg", "text", "svarssteg (t.ex. 1–6 eller Instämmer helt), eller Totalt"),
            _ANTAL,
            _k("tillfalle", "text", "mättillfälle, t.ex. vecka 8 eller avslut"),
            _INSATS_VALFRI,
        ),
        avsnitt=("deltagarenkät",),
        nyckel=("period", "insats", "tillfalle", "fraga", "steg"),
        grupp=("period", "insats", "tillfalle", "fraga"),
        kategorikolumn="steg",
        antalkolumn="antal",
    ),
    Tabelldef(
        "ekonomi",
        "Budget, utfall och prognos per post.",
        (
            _PERIOD,
            _obl("ar", "heltal", "budgetår", minst=1990, hogst=2100),
            _obl("grupp", "text", "grupp (Insatser, Styrelsen, Administration ...) eller TOTAL"),
            _obl("post", "text", "post inom gruppen, eller Summa"),
            _k("budget", "tal", "budget"),
            _k("utfall", "tal", "utfall"),
            _k("prognos", "tal", "prognos/utblick"),
            _obl("enhet", "text", "kr eller tkr", kategorier=BELOPPSENHET),
            _k(
                "typ", "text", "intäkt, kostnad, resultat eller eget kapital", kategorier=EKONOMITYP
            ),
            _INSATS_VALFRI,
        ),
        avsnitt=("ekonomi",),
        nyckel=("period", "ar", "grupp", "post"),
    ),
    Tabelldef(
        "eget_kapital",
        "Eget kapital: ingående, intäkter, kostnader, utgående per år.",
        (
            _PERIOD,
            _obl("ar", "heltal", "år", minst=1990, hogst=2100),
            _obl("post", "text", "t.ex. Ingående eget kapital, Intäkter, Kostnader, Utgående"),
            _obl("belopp", "tal", "belopp"),
            _obl("enhet", "text", "kr eller tkr", kategorier=BELOPPSENHET),
            _k("typ", "text", "budget, utfall eller prognos"),
        ),
        avsnitt=("ekonomi",),
        nyckel=("period", "ar", "post", "typ"),
    ),
    Tabelldef(
        "helarsekvivalenter",
        "Helårsekvivalenter från SCB per region, år, ersättningsform och kön.",
        (
            _obl("region", "text", "kommun, län eller Riket"),
            _obl("regiontyp", "text", "kommun, lan eller riket", kategorier=REGIONTYP),
            _obl("ar", "heltal", "år", minst=1990, hogst=2100),
            _k("manad", "heltal", "månad (tomt = helår)", minst=1, hogst=12),
            _obl(
                "ersattningsform",
                "text",
                "SCB:s ersättningsform eller Totalt",
                kategorier=ERSATTNINGSFORM_SCB + (TOTALT,),
            ),
            _obl("kon", "text", "Totalt, Kvinnor eller Män", kategorier=KON_SCB),
            _k("hae", "tal", "helårsekvivalenter (tomt = uppgift saknas)", minst=0),
            _k("folkmangd_20_64", "heltal", "folkmängd 20–64 år", minst=0),
            _k("kalla", "text", "källa, t.ex. SCB"),
            _k("uttagsdatum", "datum", "datum då uppgifterna hämtades"),
            _k("preliminar", "bool", "preliminär uppgift (senaste året)"),
        ),
        avsnitt=("helårsekvivalenter",),
        nyckel=("region", "ar", "manad", "ersattningsform", "kon", "kalla"),
    ),
    Tabelldef(
        "mal",
        "Mål per insats och indikator, med riktning.",
        (
            _obl("insats", "text", "insats (eller förbundets namn för förbundsmål)"),
            _obl("indikator", "text", "indikator, t.ex. andel_arbete"),
            _obl("riktning", "text", "minst eller hogst", kategorier=RIKTNING),
            _obl("varde", "tal", "målvärde (andelar som bråk 0–1)"),
            _obl("enhet", "text", "andel, manader, antal ..."),
            _k("period", "period", "periodkod som målet gäller (tomt = alla)"),
        ),
        avsnitt=("måluppfyllelse",),
        nyckel=("insats", "indikator", "period"),
    ),
)

TABELLER: dict[str, Tabelldef] = {t.namn: t for t in _TABELLDEFAR}


def kanda_kategorier(tabell: str, kolumn: str) -> tuple[str, ...] | None:
    """Kodlistan för en kolumn (None om kolumnen är fri text).

    >>> kanda_kategorier("deltagare", "avslutstyp")
    ('Fullföljd', 'Avbruten')
    """
    kol = TABELLER[tabell].kolumndef(kolumn)
    return None if kol is None else kol.kategorier


# ---------------------------------------------------------------------------
# Konfigschemat (forbund.yaml)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Konfignyckel:
    """En nyckel i forbund.yaml."""

    namn: str
    typ: str  # "text", "lista_text", "bool", "sekretess", "mappning", "kallor", "filer", ...
    obligatorisk: bool
    beskrivning: str


KONFIGSCHEMA: dict[str, Konfignyckel] = {
    k.namn: k
    for k in (
        Konfignyckel("id", "text", True, "förbundets id, samma som katalognamnet"),
        Konfignyckel("namn", "text", True, "förbundets namn"),
        Konfignyckel("lan", "text", False, "län"),
        Konfignyckel("kommuner", "lista_text", True, "medlemskommuner"),
        Konfignyckel("insatser", "lista_text", True, "insatser som rapporteras"),
        Konfignyckel("perioder", "lista_period", True, "rapportperioder att köra"),
        Konfignyckel("jamforelseperioder", "period_till_period", False, "period -> jämförelse"),
        Konfignyckel(
            "sekretess", "sekretess", False, "troskel, namnare_troskel, intern, maskera"
        ),
        Konfignyckel("trappa", "lista_text", False, "stegen på förbundets trappa, i ordning"),
        Konfignyckel("publicerad", "bool", False, "data transkriberade från publicerade rapporter"),
        Konfignyckel("syntetisk", "bool", False, "data genererade syntetiskt"),
        Konfignyckel("kallor", "kallor", False, "källor: namn, beskrivning, uttagsdatum"),
        Konfignyckel("filer", "filer", False, "tabell -> {fil, blad}"),
        Konfignyckel("kolumner", "mappning", False, "tabell -> {förbundets rubrik: vår}"),
        Konfignyckel("kategorier", "mappning", False, "kolumn -> {förbundets etikett: vår}"),
        Konfignyckel("beskrivning", "text", False, "fri beskrivning"),
    )
}
SEKRETESSNYCKLAR: dict[str, type] = {
    "troskel": int,
    "namnare_troskel": int,
    "intern": bool,
    "maskera": bool,
}
KALLNYCKLAR: tuple[str, ...] = ("namn", "beskrivning", "uttagsdatum", "url", "sidor")
FILNYCKLAR: tuple[str, ...] = ("fil", "blad")


# ---------------------------------------------------------------------------
# pandera
# ---------------------------------------------------------------------------


def pandera_schema(
    tabell: str, *, kolumner: Mapping[str, Any] | None = None, unik: bool = True
) -> Any:
    """pandera-schema för en kanonisk tabell.

    Kolumnerna typas redan vid inläsningen; periodkoder kontrolleras i ``validering``
    (med ``Rapportperiod.tolka``); schemat kontrollerar dtyp, saknade värden,
    kodlistor, intervall och (om ``unik``) unik nyckel. ``kolumner`` (valfri)
    begränsar schemat till de kolumner som faktiskt finns (valfria kolumner får saknas).

    >>> import pandas as pd
    >>> s = pandera_schema("mal")
    >>> s.columns["riktning"].checks[0].statistics["allowed_values"]
    ['minst', 'hogst']
    """
    import pandera.pandas as pa

    tdef = TABELLER[tabell]
    finns = list(kolumner) if kolumner is not None else list(tdef.kolumnnamn)
    cols: dict[str, Any] = {}
    for namn in finns:
        kol = tdef.kolumndef(namn)
        if kol is None:
            continue
        checks = []
        if kol.kategorier is not None:
            checks.append(pa.Check.isin(list(kol.kategorier), ignore_na=True))
        if kol.minst is not None:
            checks.append(pa.Check.ge(kol.minst, ignore_na=True))
        if kol.hogst is not None:
            checks.append(pa.Check.le(kol.hogst, ignore_na=True))
        cols[namn] = pa.Column(
            kol.dtype,
            checks=checks,
            nullable=kol.nullbar,
            required=kol.obligatorisk,
        )
    nyckel = [k for k in (*tdef.nyckel, KALLTABELL) if k in finns] if unik else []
    return pa.DataFrameSchema(
        cols,
        strict=False,
        coerce=False,
        unique=nyckel or None,
        report_duplicates="all",
        name=tabell,
    )


# ---------------------------------------------------------------------------
# Dokumentation (data/README.md, avsnittet "## Format")
# ---------------------------------------------------------------------------

_TYPNAMN = {
    "text": "text",
    "period": "periodkod",
    "heltal": "heltal",
    "tal": "tal",
    "datum": "datum",
    "bool": "ja/nej",
}


def tabellbeskrivning() -> str:
    """Markdown med en tabell per kanonisk tabell (genereras ur ``TABELLER``).

    >>> print(tabellbeskrivning().splitlines()[0])
    #### `deltagare`
    """
    delar: list[str] = []
    for t in TABELLER.values():
        delar.append(f"#### `{t.namn}`")
        delar.append("")
        delar.append(
            f"{t.beskrivning} Matar avsnitten: {', '.join(t.avsnitt)}."
            + (f" Unik nyckel: {', '.join(t.nyckel)}." if t.nyckel else "")
        )
        delar.append("")
        delar.append("| kolumn | typ | krävs | tillåtna värden | beskrivning |")
        delar.append("|---|---|---|---|---|")
        for k in t.kolumner:
            krav = "ja" if k.obligatorisk else ""
            tillatet = ""
            if k.kategorier is not None:
                tillatet = _kodlistetext(k.kategorier)
            elif k.minst is not None or k.hogst is not None:
                tillatet = f"{_fmt(k.minst)}–{_fmt(k.hogst)}"
            delar.append(
                f"| `{k.namn}` | {_TYPNAMN[k.typ]} | {krav} | {tillatet} | {k.beskrivning} |"
            )
        delar.append("")
    return "\n".join(delar).rstrip() + "\n"


def _kodlistetext(kategorier: tuple[str, ...]) -> str:
    if len(kategorier) <= 6:
        return ", ".join(kategorier)
    for namn, lista in KODLISTOR.items():
        if kategorier == lista:
            return f"kodlistan {namn}"
        if kategorier == lista + (TOTALT,):
            return f"kodlistan {namn} + Totalt"
    if set(kategorier) == set(DIMENSIONER):
        return "se Dimensioner"
    return ", ".join(kategorier)


def _fmt(tal: float | None) -> str:
    if tal is None:
        return ""
    return str(int(tal)) if float(tal).is_integer() else str(tal).replace(".", ",")
