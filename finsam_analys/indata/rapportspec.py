"""Förbundets rapportspecifikation: ``rapport.yaml`` och löptexten i Markdown.

Utan ``rapport.yaml`` blir rapporten standardrapporten (alla avsnitt som har något att visa, i
standardordningen). Med den bestämmer förbundet per period (eller för alla perioder):

* **slag och titel**: årsrapport, delårsrapport, verksamhetsberättelse (eller
  uppföljningsrapport), för förbundet eller en insats ("Samordningsteam Västerås – Årsrapport
  2019"), och godkännanderaden ("Godkänd av förbundsstyrelsen 2024-02-15");
* **innehållet i ordning**: standardavsnitt, målområden (rubrik, mål ur förbundets måltabell,
  resultattabell och diagram, förbundets kommentar) och egen löptext i Markdown-filer
  (``text/2019/viktiga_handelser.md``).

Tal i löptexten skrivs som **hänvisningar** till rapportens nyckeltal, ``{{antal_avslut}}``
eller med formathint ``{{andel_avslut_Arbete | procent}}``; de fylls i efter rapportens
kontrollpunkter (:mod:`finsam_analys.rapport.sammanstallning`), så att de räknas, avrundas,
formateras och maskas som alla andra tal.

Här läses och kontrolleras filerna (alla problem på en gång, med fil och rad); vilka nyckeltal
som finns vet först rapporten, som prövar hänvisningarna med :func:`okanda_hanvisningar`.

Examples
--------
>>> hanvisningar("Av {{antal_avslut}} gick {{andel_avslut_Arbete | procent}} till arbete.")
[Hanvisning(nyckel='antal_avslut', format=None, rad=1, text='{{antal_avslut}}'), \
Hanvisning(nyckel='andel_avslut_Arbete', format='procent', rad=1, \
text='{{andel_avslut_Arbete | procent}}')]
>>> SLAG["delarsrapport"]
'Delårsrapport'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from finsam_analys.indata.validering import Problem

__all__ = [
    "AVSNITT",
    "FORMAT",
    "RAPPORTSPECFIL",
    "SLAG",
    "Del",
    "Hanvisning",
    "Mal",
    "Periodspec",
    "Rapportspec",
    "Text",
    "hanvisningar",
    "las_rapportspec",
    "okanda_hanvisningar",
    "periodkatalog",
    "tolka_rapportspec",
]

RAPPORTSPECFIL = "rapport.yaml"
"""Rapportspecifikationens filnamn, bredvid ``forbund.yaml``."""

MAX_SPECFIL = 256 * 1024
"""Största ``rapport.yaml`` (byte)."""

MAX_TEXTFIL = 512 * 1024
"""Största Markdown-fil med löptext (byte)."""

SLAG: Mapping[str, str] = MappingProxyType(
    {
        "arsrapport": "Årsrapport",
        "delarsrapport": "Delårsrapport",
        "verksamhetsberattelse": "Verksamhetsberättelse",
        "uppfoljningsrapport": "Uppföljningsrapport",
    }
)
"""Rapportens slag (nyckel utan å/ä/ö) -> hur det skrivs i titeln."""

AVSNITT: Mapping[str, str] = MappingProxyType(
    {
        "sammanfattning": "alla mål och resultat för perioden, med bedömning",
        "deltagare": "deltagare och flöden (deltagit, nya, avslutade, avbrutna)",
        "bakgrund": "deltagarnas bakgrund (kön, ålder, remittent, försörjning, ansökningar)",
        "avslut": "avslut och resultat (utfall efter avslut, per insats)",
        "avbrott": "avbrott per orsak och remittent",
        "halsa": "hälsa och stegförflyttning",
        "uppfoljning": "uppföljning efter avslut (6, 12, 18 månader)",
        "enkat": "deltagarenkäten (NNS-indikatorerna)",
        "helarsekvivalenter": "helårsekvivalenter (SCB)",
        "ekonomi": "budget och utfall, eget kapital",
        "samhallsnytta": "samhällsnytta (återbetalningstid)",
        "granskning": "granskning av publicerade tabeller",
        "om_underlaget": "källor, definitioner, sekretess och vad som saknas",
    }
)
"""Standardavsnitten som specifikationen kan välja, i standardordningen (samma namn som
:data:`finsam_analys.rapport.SEKTIONER`)."""

FORMAT: Mapping[str, str] = MappingProxyType(
    {
        "antal": "heltal med mellanrum som tusentalsavgränsare (1 234)",
        "tal": "tal utan decimaler",
        "tal1": "tal med en decimal (8,5)",
        "tal2": "tal med två decimaler (8,46)",
        "procent": "andel i hela procent (13 %)",
        "procent1": "andel i procent med en decimal (15,6 %)",
        "procentenheter": "skillnad mellan andelar (−12 procentenheter)",
    }
)
"""Formathint i en hänvisning (``{{nyckel | procent}}``) och vad de ger."""

_NYCKLAR_PERIOD = ("slag", "titel", "avser", "godkand", "innehall")
_NYCKLAR_DEL = ("rubrik", "text", "mal", "avsnitt", "kommentar")
_NYCKLAR_GODKAND = ("av", "datum", "paragraf")
_NYCKLAR_MAL = ("indikator", "insats", "text")
ALLA = "alla"

_HANVISNING = re.compile(r"\{\{(.*?)\}\}")
_RUBRIKRAD = re.compile(r"^#\s+(.+?)\s*#*\s*$")


# ---------------------------------------------------------------------------- modellen


@dataclass(frozen=True)
class Hanvisning:
    """En hänvisning i löptexten: nyckeltalets nyckel, valfritt formathint, rad i filen."""

    nyckel: str
    format: str | None
    rad: int
    text: str


@dataclass(frozen=True)
class Text:
    """En Markdown-fil med löptext.

    ``fil`` är sökvägen i förbundets katalog (``text/2019/viktiga_handelser.md``), ``rubrik``
    rubriken (ur ``rapport.yaml`` eller filens första rad ``# Rubrik``; tom = ingen),
    ``markdown`` texten utan rubrikraden och ``forsta_rad`` radnumret i filen där den börjar.
    """

    fil: str
    rubrik: str
    markdown: str
    forsta_rad: int = 1
    hanvisningar: tuple[Hanvisning, ...] = ()


@dataclass(frozen=True)
class Mal:
    """Ett mål i ett målområde: en rad i förbundets måltabell eller ett mål i ord.

    ``indikator`` (och valfritt ``insats``) pekar på måltabellens rad för perioden; ``text``
    är ett mål som inte är ett tal ("Budget i balans").
    """

    indikator: str = ""
    insats: str = ""
    text: str = ""


@dataclass(frozen=True)
class Del:
    """En del av rapporten i specifikationens ordning.

    Ett **målområde** har ``mal``; en del med bara ``avsnitt`` är ett eller flera
    standardavsnitt; en del med bara ``text`` är förbundets egen löptext. Ordningen inom delen
    är: rubrik, text, mål (med resultattabell och diagram), avsnitten, kommentar.
    """

    rubrik: str = ""
    text: Text | None = None
    mal: tuple[Mal, ...] = ()
    avsnitt: tuple[str, ...] = ()
    kommentar: Text | None = None

    @property
    def ar_malomrade(self) -> bool:
        return bool(self.mal)


@dataclass(frozen=True)
class Periodspec:
    """Rapporten för en period: slag, titel, vad den avser, godkännande och innehåll.

    ``delar`` tom betyder standardavsnitten i standardordningen.
    """

    period: str
    slag: str
    titel: str
    avser: str = ""
    godkannande: str = ""
    delar: tuple[Del, ...] = ()

    def texter(self) -> tuple[Text, ...]:
        """Alla Markdown-texter i ordning."""
        return tuple(t for d in self.delar for t in (d.text, d.kommentar) if t is not None)

    def hanvisningar(self) -> tuple[tuple[Text, Hanvisning], ...]:
        """Alla hänvisningar i löptexten, med texten de står i."""
        return tuple((t, h) for t in self.texter() for h in t.hanvisningar)


@dataclass(frozen=True)
class Rapportspec:
    """En läst och kontrollerad ``rapport.yaml``: en :class:`Periodspec` per period."""

    fil: str
    perioder: Mapping[str, Periodspec]

    def for_period(self, period: Any) -> Periodspec | None:
        """Specifikationen för perioden (kod eller Rapportperiod), eller None."""
        from finsam_analys.perioder import Rapportperiod

        p = Rapportperiod.tolka(period)
        for kod, spec in self.perioder.items():
            if Rapportperiod.tolka(kod) == p:
                return spec
        return None


# ------------------------------------------------------------------------ hänvisningar


def hanvisningar(markdown: str, *, forsta_rad: int = 1) -> list[Hanvisning]:
    """Hänvisningarna ``{{nyckel}}`` och ``{{nyckel | format}}`` i en text, med radnummer.

    Kontrollerar inte syntaxen (se :func:`_hanvisningsproblem`).

    Examples
    --------
    >>> [(h.nyckel, h.format, h.rad) for h in hanvisningar("a\\n{{ x | tal1 }} och {{y}}")]
    [('x', 'tal1', 2), ('y', None, 2)]
    """
    ut = []
    for i, rad in enumerate(markdown.split("\n")):
        for traff in _HANVISNING.finditer(rad):
            nyckel, _, format_ = traff.group(1).partition("|")
            ut.append(
                Hanvisning(
                    nyckel.strip(),
                    format_.strip() or None,
                    forsta_rad + i,
                    traff.group(0),
                )
            )
    return ut


def _hanvisningsproblem(markdown: str, fil: str, forsta_rad: int) -> list[Problem]:
    """Syntaxfel i hänvisningarna: tom nyckel, okänt format, ``{{`` utan ``}}``."""
    problem = []
    for i, rad in enumerate(markdown.split("\n")):
        nr = forsta_rad + i
        rest = _HANVISNING.sub("", rad)
        if "{{" in rest or "}}" in rest:
            problem.append(
                Problem(
                    "en hänvisning börjar med {{ men slutar inte med }} på samma rad",
                    fil=fil,
                    rader=(nr,),
                    forvantat="{{nyckel}} eller {{nyckel | format}}",
                    kod="rapportspec",
                )
            )
        for h in hanvisningar(rad, forsta_rad=nr):
            if not h.nyckel:
                problem.append(
                    Problem(
                        f"hänvisningen {h.text} saknar nyckel",
                        fil=fil,
                        rader=(nr,),
                        forvantat="ett nyckeltals nyckel, t.ex. {{antal_avslut}}",
                        kod="rapportspec",
                    )
                )
            if h.format is not None and h.format not in FORMAT:
                problem.append(
                    Problem(
                        f'okänt format "{h.format}" i {h.text}{_forslag(h.format, FORMAT)}',
                        fil=fil,
                        rader=(nr,),
                        forvantat=f"ett av: {', '.join(FORMAT)}",
                        kod="rapportspec",
                    )
                )
    return problem


def okanda_hanvisningar(spec: Periodspec, kanda: Collection[str]) -> list[Problem]:
    """Ett problem per hänvisning till ett nyckeltal som rapporten inte har.

    Examples
    --------
    >>> t = Text("text/2019/a.md", "", "{{antal_avslutt}}", 3, tuple(hanvisningar(
    ...     "{{antal_avslutt}}", forsta_rad=3)))
    >>> spec = Periodspec("2019", "arsrapport", "T", delar=(Del(text=t),))
    >>> print(okanda_hanvisningar(spec, ["antal_avslut", "antal_avbrott"])[0].text())
    text/2019/a.md, rad 3: okänd hänvisning {{antal_avslutt}} – menade du "antal_avslut"?; \
förväntade nyckeln till ett av rapportens nyckeltal (se nyckeltal.json)
    """
    kanda = set(kanda)
    problem = []
    for text, h in spec.hanvisningar():
        if h.nyckel and h.nyckel not in kanda:
            problem.append(
                Problem(
                    f"okänd hänvisning {h.text}{_forslag(h.nyckel, kanda)}",
                    fil=text.fil,
                    rader=(h.rad,),
                    forvantat="nyckeln till ett av rapportens nyckeltal (se nyckeltal.json)",
                    kod="rapportspec",
                )
            )
    return problem


# ------------------------------------------------------------------------ YAML med rader


class _Karta(dict):
    """En YAML-samling med radnumret för varje nyckel (``rader``) och sitt eget (``rad``)."""

    rad: int = 0
    rader: dict[Any, int]


class _Lista(list):
    """En YAML-lista med radnumret för varje element."""

    rad: int = 0
    rader: list[int]


class _YamlFel(Exception):
    def __init__(self, text: str, rad: int | None) -> None:
        super().__init__(text)
        self.text, self.rad = text, rad


def _laddare():
    import yaml

    class Laddare(yaml.SafeLoader):
        """SafeLoader utan ankare och alias, med radnummer och utan dubbla nycklar."""

        def compose_node(self, parent, index):
            handelse = self.peek_event()
            if isinstance(handelse, yaml.AliasEvent) or getattr(handelse, "anchor", None):
                raise _YamlFel(
                    "ankare och alias (& och *) är inte tillåtna", handelse.start_mark.line + 1
                )
            return super().compose_node(parent, index)

    def karta(laddare, nod):
        laddare.flatten_mapping(nod)
        ut = _Karta()
        ut.rad, ut.rader = nod.start_mark.line + 1, {}
        for knod, vnod in nod.value:
            nyckel = laddare.construct_object(knod, deep=True)
            if not isinstance(nyckel, (str, int, float, bool, dt.date)) and nyckel is not None:
                raise _YamlFel("en nyckel ska vara en text", knod.start_mark.line + 1)
            if nyckel in ut:
                raise _YamlFel(f'nyckeln "{nyckel}" står två gånger', knod.start_mark.line + 1)
            ut[nyckel] = laddare.construct_object(vnod, deep=True)
            ut.rader[nyckel] = knod.start_mark.line + 1
        return ut

    def lista(laddare, nod):
        ut = _Lista(laddare.construct_object(n, deep=True) for n in nod.value)
        ut.rad, ut.rader = nod.start_mark.line + 1, [n.start_mark.line + 1 for n in nod.value]
        return ut

    def text(laddare, nod):
        return laddare.construct_scalar(nod)  # datum som text: tolkas och prövas av läsaren

    Laddare.add_constructor("tag:yaml.org,2002:timestamp", text)
    Laddare.add_constructor("tag:yaml.org,2002:map", karta)
    Laddare.add_constructor("tag:yaml.org,2002:seq", lista)
    return Laddare


def _las_yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_laddare())
    except _YamlFel:
        raise
    except yaml.YAMLError as fel:
        from finsam_analys.indata.filer import _yaml_orsak

        markering = getattr(fel, "problem_mark", None) or getattr(fel, "context_mark", None)
        rad = markering.line + 1 if markering else None
        # PyYAML:s engelska text (som kan citera filen) visas aldrig, bara orsaken på svenska
        raise _YamlFel(f"felaktig YAML: {_yaml_orsak(fel)}", rad) from None
    except RecursionError as fel:
        raise _YamlFel("felaktig YAML: för djupt inbäddade listor eller samlingar", None) from fel


# ----------------------------------------------------------------------------- läsning


def _forslag(namn: Any, kanda: Iterable[Any]) -> str:
    narmast = difflib.get_close_matches(str(namn), [str(k) for k in kanda], n=1, cutoff=0.7)
    return f' – menade du "{narmast[0]}"?' if narmast else ""


def _nyckelform(text: str) -> str:
    """Gemener utan diakritiska tecken och med _ för mellanslag ("Årsrapport" -> "arsrapport")."""
    utan = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s-]+", "_", utan.strip().lower())


def periodkatalog(period: Any) -> str:
    """Periodens namn som katalog (``..`` blir ``_``), som i ``{period}`` i sökvägar.

    Examples
    --------
    >>> periodkatalog("2019"), periodkatalog("2021-01..2021-08")
    ('2019', '2021-01_2021-08')
    """
    from finsam_analys.perioder import Rapportperiod

    return Rapportperiod.tolka(period).kod.replace("..", "_")


def _avkoda(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _sakert_relativ(katalog: Path, namn: str) -> tuple[Path | None, str | None]:
    """Sökvägen i förbundets katalog, eller (None, vad som är fel)."""
    if not namn or "\\" in namn or namn.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", namn):
        return None, "sökvägen ska vara relativ till förbundets katalog (t.ex. text/2019/a.md)"
    delar = Path(namn).parts
    if any(d in ("..", ".") or d.startswith(".") for d in delar):
        return None, "sökvägen får inte gå utanför förbundets katalog eller till dolda filer"
    sokvag = katalog / namn
    try:
        rot = katalog.resolve(strict=True)
        verklig = sokvag.resolve(strict=False)
    except (OSError, RuntimeError):
        return None, "sökvägen går inte att öppna"
    if rot != verklig and rot not in verklig.parents:
        return None, "sökvägen pekar utanför förbundets katalog"
    return sokvag, None


def _las_fil(
    katalog: Path, sokvag: Path, max_storlek: int, namn: str
) -> tuple[bytes | None, str]:
    """Filen som bytes med indatans spärrar (:func:`finsam_analys.indata.filer.las_bytes`: i
    förbundets katalog även genom länkar, en vanlig fil, storleken före läsningen), eller
    (None, vad som är fel på svenska)."""
    from finsam_analys.indata.filer import FilFel, las_bytes

    try:
        return las_bytes(sokvag, rot=katalog, max_storlek=max_storlek), ""
    except FilFel as fel:
        if fel.kod == "for_stor":
            return None, f"filen är för stor (högst {max_storlek // 1024} KB läses)"
        return None, fel.meddelande


def synlig_text(markdown: str) -> str:
    """Markdown-texten som läsaren ser den: utan formatering, entiteter avkodade.

    Personnummerspärren prövar både texten och det som syns, så att ett nummer inte kan
    delas av formatering (``191212**12-1212**``), skrivas med en entitet (``&#45;``) eller
    ett escapetecken (``\\-``) och ändå stå som ett helt nummer i rapporten.

    >>> synlig_text("191212**12-1212** och 19121212&#45;1212")
    '19121212-1212 och 19121212-1212'
    """
    import html

    import mistune

    utan_html = mistune.create_markdown(escape=False, plugins=["strikethrough", "table"])
    # taggar bort (en tom tagg mellan siffrorna syns inte heller), entiteterna avkodade
    return html.unescape(re.sub(r"<[^>]*>", "", str(utan_html(markdown)))).strip()


@dataclass
class _Lasare:
    """Läser och kontrollerar en ``rapport.yaml`` mot förbundets konfiguration och mål."""

    katalog: Path
    fil: str
    perioder: tuple[str, ...]
    insatser: tuple[str, ...]
    forbundsnamn: str
    mal: Any = None  # DataFrame med måltabellen, eller None
    problem: list[Problem] = dataclasses.field(default_factory=list)
    _texter: dict[str, Text | None] = dataclasses.field(default_factory=dict)

    def fel(self, meddelande: str, rad: int | None = None, **kw: Any) -> None:
        rader = (rad,) if rad else ()
        self.problem.append(Problem(meddelande, fil=self.fil, rader=rader, kod="rapportspec", **kw))

    # ------------------------------------------------------------------------- helhet

    def tolka(self, data: Any) -> Rapportspec | None:
        from finsam_analys.perioder import Rapportperiod

        if data is None:
            self.fel("filen är tom", forvantat='perioder som nycklar, t.ex. "2019": {slag: …}')
            return None
        if not isinstance(data, _Karta):
            self.fel(
                "filen ska vara en samling med en nyckel per period",
                forvantat='"2019": {slag: årsrapport, …} eller alla: {…}',
            )
            return None
        kanda = {Rapportperiod.tolka(p): p for p in self.perioder}
        poster: dict[str, tuple[Any, int]] = {}
        for nyckel, varde in data.items():
            rad = data.rader[nyckel]
            if str(nyckel) == ALLA:
                continue
            try:
                p = Rapportperiod.tolka(str(nyckel))
            except (ValueError, TypeError):
                self.fel(
                    f'"{nyckel}" är varken en periodkod eller "alla"',
                    rad,
                    forvantat='en period ur forbund.yaml inom citattecken, t.ex. "2019", '
                    'eller "alla"',
                )
                continue
            if p not in kanda:
                self.fel(
                    f'perioden "{nyckel}" finns inte bland förbundets perioder',
                    rad,
                    forvantat=f"en av: {', '.join(self.perioder)} (perioder i forbund.yaml)",
                )
                continue
            poster[kanda[p]] = (varde, rad)
        alla = data.get(ALLA)
        if alla is not None and not isinstance(alla, _Karta):
            self.fel('"alla" ska vara en samling nycklar', data.rader[ALLA])
            alla = None
        ut: dict[str, Periodspec] = {}
        for kod in self.perioder:
            if kod not in poster and alla is None:
                continue
            varde, rad = poster.get(kod, (None, 0))
            if kod in poster and not isinstance(varde, _Karta):
                self.fel(f'perioden "{kod}" ska vara en samling nycklar', rad,
                         forvantat=", ".join(_NYCKLAR_PERIOD))  # fmt: skip
                continue
            sammanslagen = _Karta({**(alla or {}), **(varde or {})})
            sammanslagen.rader = {**getattr(alla, "rader", {}), **getattr(varde, "rader", {})}
            sammanslagen.rad = rad
            spec = self.period(kod, sammanslagen)
            if spec is not None:
                ut[kod] = spec
        if self.problem:
            return None
        return Rapportspec(self.fil, MappingProxyType(ut))

    # ------------------------------------------------------------------------- period

    def period(self, kod: str, data: _Karta) -> Periodspec | None:
        from finsam_analys.perioder import Rapportperiod

        period = Rapportperiod.tolka(kod)
        antal = len(self.problem)
        for nyckel in data:
            if nyckel not in _NYCKLAR_PERIOD:
                self.fel(
                    f'okänd nyckel "{nyckel}"{_forslag(nyckel, _NYCKLAR_PERIOD)}',
                    data.rader.get(nyckel),
                    forvantat=f"en av: {', '.join(_NYCKLAR_PERIOD)}",
                )
        slag = "arsrapport" if period.antal_dagar >= 365 else "delarsrapport"
        if "slag" in data:
            slag = _nyckelform(str(data["slag"]))
            if slag not in SLAG:
                forslag = _forslag(slag, SLAG)
                for nyckel_, namn_ in SLAG.items():
                    forslag = forslag.replace(f'"{nyckel_}"', f'"{namn_.lower()}"')
                self.fel(
                    f'okänt slag "{data["slag"]}"{forslag}',
                    data.rader["slag"],
                    forvantat=f"ett av: {', '.join(s.lower() for s in SLAG.values())}",
                )
        avser = ""
        if data.get("avser") not in (None, ""):
            avser = self.text_varde(data, "avser") or ""
            if avser and avser not in self.insatser and avser != self.forbundsnamn:
                self.fel(
                    f'rapporten avser "{avser}", som varken är förbundet eller en av dess '
                    f"insatser{_forslag(avser, self.insatser)}",
                    data.rader["avser"],
                    forvantat=f"en insats ur forbund.yaml ({', '.join(self.insatser)}) "
                    "eller ingenting (hela förbundet)",
                )
        titel = f"{avser or self.forbundsnamn} – {SLAG.get(slag, '')} {period.namn}"
        if "titel" in data:
            titel = (self.text_varde(data, "titel") or titel).replace("{period}", period.namn)
        godkannande = self.godkannande(data)
        delar: list[Del] = []
        if "innehall" in data:
            innehall = data["innehall"]
            if not isinstance(innehall, _Lista) or not innehall:
                self.fel(
                    '"innehall" ska vara en lista med rapportens delar i ordning',
                    data.rader["innehall"],
                    forvantat="- avsnitt: avslut, - text: text/2019/a.md, - rubrik: …",
                )
            else:
                for element, rad in zip(innehall, innehall.rader, strict=True):
                    d = self.del_(element, rad, period)
                    if d is not None:
                        delar.append(d)
        if len(self.problem) > antal:
            return None
        return Periodspec(kod, slag, titel, avser, godkannande, tuple(delar))

    def text_varde(self, data: _Karta, nyckel: str) -> str | None:
        varde = data[nyckel]
        if isinstance(varde, (str, int)) and not isinstance(varde, bool):
            return str(varde).strip()
        self.fel(f'"{nyckel}" ska vara en text', data.rader.get(nyckel))
        return None

    def godkannande(self, data: _Karta) -> str:
        if data.get("godkand") is None:
            return ""
        g, rad = data["godkand"], data.rader["godkand"]
        if not isinstance(g, _Karta):
            self.fel(
                '"godkand" ska vara en samling nycklar',
                rad,
                forvantat="godkand: {av: förbundsstyrelsen, datum: 2024-02-15}",
            )
            return ""
        for nyckel in g:
            if nyckel not in _NYCKLAR_GODKAND:
                self.fel(f'okänd nyckel "godkand.{nyckel}"', g.rader[nyckel],
                         forvantat=f"en av: {', '.join(_NYCKLAR_GODKAND)}")  # fmt: skip
        datum = g.get("datum")
        if isinstance(datum, str):
            try:
                datum = dt.date.fromisoformat(datum.strip())
            except ValueError:
                datum = None
        if not isinstance(datum, dt.date) or isinstance(datum, dt.datetime):
            self.fel(
                '"godkand.datum" ska vara ett datum',
                g.rader.get("datum", rad),
                forvantat="ÅÅÅÅ-MM-DD, t.ex. 2024-02-15",
            )
            return ""
        av = str(g.get("av") or "förbundsstyrelsen").strip()
        text = f"Godkänd av {av} {datum.isoformat()}"
        if g.get("paragraf") not in (None, ""):
            text += f", {str(g['paragraf']).strip()}"
        return text

    # --------------------------------------------------------------------------- delar

    def del_(self, element: Any, rad: int, period: Any) -> Del | None:
        if isinstance(element, str):
            element = _Karta({"avsnitt": element})
            element.rader = {"avsnitt": rad}
        if not isinstance(element, _Karta):
            self.fel(
                "varje del av innehållet ska vara ett avsnitt eller en samling nycklar",
                rad,
                forvantat=f"ett av avsnitten ({', '.join(AVSNITT)}) eller nycklarna "
                f"{', '.join(_NYCKLAR_DEL)}",
            )
            return None
        for nyckel in element:
            if nyckel not in _NYCKLAR_DEL:
                self.fel(
                    f'okänd nyckel "{nyckel}" i innehållet{_forslag(nyckel, _NYCKLAR_DEL)}',
                    element.rader[nyckel],
                    forvantat=f"en av: {', '.join(_NYCKLAR_DEL)}",
                )
        if not any(element.get(k) for k in ("text", "mal", "avsnitt", "kommentar")):
            self.fel(
                "delen har inget innehåll",
                rad,
                forvantat="minst en av nycklarna text, mal, avsnitt, kommentar",
            )
            return None
        rubrik = self.text_varde(element, "rubrik") if element.get("rubrik") else ""
        avsnitt = element.get("avsnitt") or ()
        if isinstance(avsnitt, str):
            avsnitt = (avsnitt,)
        rader = getattr(avsnitt, "rader", None) or [element.rader.get("avsnitt")] * len(avsnitt)
        namn = []
        for a, r in zip(avsnitt, rader, strict=True):
            if not isinstance(a, str) or a.strip() not in AVSNITT:
                self.fel(
                    f'okänt avsnitt "{a}"{_forslag(a, AVSNITT)}',
                    r,
                    forvantat=f"ett av: {', '.join(AVSNITT)}",
                )
            else:
                namn.append(a.strip())
        mal = self.malen(element, period) if element.get("mal") else ()
        text = self.markdown(element, "text", period) if element.get("text") else None
        kommentar = (
            self.markdown(element, "kommentar", period) if element.get("kommentar") else None
        )
        return Del(rubrik or "", text, tuple(mal), tuple(namn), kommentar)

    def malen(self, element: _Karta, period: Any) -> list[Mal]:
        lista = element["mal"]
        if not isinstance(lista, _Lista):
            lista = _Lista([lista])
            lista.rader = [element.rader["mal"]]
        kanda = self.kanda_mal(period)
        ut = []
        for m, rad in zip(lista, lista.rader, strict=True):
            if isinstance(m, _Karta) and set(m) <= set(_NYCKLAR_MAL):
                if m.get("text"):
                    ut.append(Mal(text=str(m["text"]).strip()))
                    continue
                indikator, insats = str(m.get("indikator") or ""), str(m.get("insats") or "")
            elif isinstance(m, str):
                indikator, _, insats = m.strip().partition(":")
            else:
                self.fel(
                    "ett mål ska vara en indikator ur måltabellen eller {text: …}",
                    rad,
                    forvantat="andel_arbete, andel_arbete:MAC eller {text: Budget i balans}",
                )
                continue
            indikator, insats = indikator.strip(), insats.strip()
            if kanda is None:
                self.fel(
                    f'målet "{indikator}" finns inte: förbundet har ingen måltabell '
                    f"(mal.csv) med mål för {period.namn}",
                    rad,
                    forvantat="en rad i mal.csv för perioden, eller {text: …}",
                )
                continue
            traffar = [(i, s) for i, s in kanda if i == indikator and (not insats or s == insats)]
            if not traffar:
                alla = sorted({i for i, _ in kanda})
                self.fel(
                    f'målet "{m}" finns inte i måltabellen för {period.namn}'
                    f"{_forslag(indikator, alla)}",
                    rad,
                    forvantat=f"en av: {', '.join(alla)}",
                )
                continue
            ut += [Mal(i, s) for i, s in traffar]
        return ut

    def kanda_mal(self, period: Any) -> list[tuple[str, str]] | None:
        from finsam_analys.perioder import Rapportperiod

        if self.mal is None or not len(self.mal):
            return None
        ut = []
        for rad in self.mal.to_dict("records"):
            kod = rad.get("period")
            if kod is not None and str(kod).strip() not in ("", "nan", "<NA>"):
                try:
                    if Rapportperiod.tolka(str(kod)) != period:
                        continue
                except (ValueError, TypeError):
                    continue
            ut.append((str(rad["indikator"]), str(rad.get("insats") or "")))
        return ut or None

    def markdown(self, element: _Karta, nyckel: str, period: Any) -> Text | None:
        rad = element.rader[nyckel]
        namn = element[nyckel]
        if not isinstance(namn, str) or not namn.strip():
            self.fel(f'"{nyckel}" ska vara en Markdown-fil i förbundets katalog', rad,
                     forvantat="t.ex. text/2019/viktiga_handelser.md")  # fmt: skip
            return None
        namn = namn.strip().replace("{period}", periodkatalog(period))
        rubrik = element.get("rubrik") if nyckel == "text" else None
        if namn in self._texter:
            t = self._texter[namn]
            return None if t is None else self._med_rubrik(t, rubrik)
        self._texter[namn] = None
        if not namn.lower().endswith(".md"):
            self.fel(f'"{namn}" är ingen Markdown-fil', rad, forvantat="en fil som slutar på .md")
            return None
        sokvag, orsak = _sakert_relativ(self.katalog, namn)
        if sokvag is None:
            self.fel(f'"{namn}": {orsak}', rad)
            return None
        if not sokvag.exists() and not sokvag.is_symlink():
            mapp = f"{self.katalog.name}/{Path(namn).parent}/"
            self.fel(f'filen "{namn}" finns inte', rad, forvantat=f"en Markdown-fil i {mapp}")
            return None
        data, problem = _las_fil(self.katalog, sokvag, MAX_TEXTFIL, namn)
        if data is None:
            self.fel(f'"{namn}": {problem}', rad)
            return None
        text = _avkoda(data)
        if text is None:
            self.problem.append(Problem("filen är inte UTF-8", fil=namn, kod="rapportspec",
                                        forvantat="spara filen som UTF-8"))  # fmt: skip
            return None
        from finsam_analys.indata.personnummer import ar_personnummer

        if ar_personnummer(text) or ar_personnummer(synlig_text(text)):
            self.problem.append(
                Problem(
                    "innehåller något som ser ut som ett personnummer; läsningen stoppas "
                    "(värdet visas inte)",
                    fil=namn,
                    kod="personnummer",
                )
            )
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        forsta, markdown, filrubrik = 1, text, ""
        rader = text.split("\n")
        start = next((i for i, r in enumerate(rader) if r.strip()), None)
        if start is not None and (traff := _RUBRIKRAD.match(rader[start].strip())):
            filrubrik = traff.group(1).strip()
            forsta = start + 2
            markdown = "\n".join(rader[start + 1 :])
        problem = _hanvisningsproblem(markdown, namn, forsta)
        self.problem += problem
        if problem:
            return None
        t = Text(namn, filrubrik, markdown.strip("\n") + "\n", forsta + _inledande(markdown),
                 tuple(hanvisningar(markdown, forsta_rad=forsta)))  # fmt: skip
        self._texter[namn] = t
        return self._med_rubrik(t, rubrik)

    @staticmethod
    def _med_rubrik(t: Text, rubrik: Any) -> Text:
        if rubrik not in (None, "") and isinstance(rubrik, (str, int)):
            return dataclasses.replace(t, rubrik="")  # delens rubrik står redan i delen
        return t


def _inledande(text: str) -> int:
    """Antalet tomma rader i början (som ``strip`` tar bort)."""
    return len(text) - len(text.lstrip("\n"))


def tolka_rapportspec(
    text: str,
    *,
    katalog: str | Path,
    perioder: Iterable[str],
    insatser: Iterable[str] = (),
    forbundsnamn: str = "",
    mal: Any = None,
    fil: str = RAPPORTSPECFIL,
) -> tuple[Rapportspec | None, list[Problem]]:
    """Tolka texten i en ``rapport.yaml``; returnerar (specifikation eller None, problem).

    Markdown-filerna läses ur ``katalog``. Alla problem samlas: okända nycklar, perioder som
    förbundet inte har, okända slag, avsnitt och mål, saknade filer, fel i hänvisningarna.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> spec, problem = tolka_rapportspec(
    ...     '"2019":\\n  slag: årsrapport\\n  avser: SOT\\n  innehall: [avslut, ekonmi]\\n',
    ...     katalog=d, perioder=["2019"], insatser=["SOT"], forbundsnamn="Förbundet")
    >>> [p.text() for p in problem]
    ['rapport.yaml, rad 4: okänt avsnitt "ekonmi" – menade du "ekonomi"?; förväntade ett av: \
sammanfattning, deltagare, bakgrund, avslut, avbrott, halsa, uppfoljning, enkat, \
helarsekvivalenter, ekonomi, samhallsnytta, granskning, om_underlaget']
    >>> spec, _ = tolka_rapportspec('"2019": {avser: SOT, innehall: [avslut]}',
    ...     katalog=d, perioder=["2019"], insatser=["SOT"], forbundsnamn="Förbundet")
    >>> spec.for_period("2019").titel
    'SOT – Årsrapport 2019'
    """
    lasare = _Lasare(
        Path(katalog), fil, tuple(perioder), tuple(insatser), str(forbundsnamn), mal
    )
    try:
        data = _las_yaml(text)
    except _YamlFel as fel:
        lasare.fel(fel.text, fel.rad, forvantat="giltig YAML (nyckel: värde, listor som [a, b])")
        return None, lasare.problem
    spec = lasare.tolka(data)
    return spec, lasare.problem


def las_rapportspec(
    katalog: str | Path, *, konfig: Any, mal: Any = None
) -> tuple[Rapportspec | None, list[Problem]]:
    """Läs förbundets ``rapport.yaml`` (finns den inte: (None, [])).

    Parameters
    ----------
    katalog : str eller Path
        Förbundets katalog.
    konfig : Forbundskonfig
        Förbundets konfiguration (perioder, insatser, namn).
    mal : DataFrame, valfri
        Förbundets måltabell; målen i målområdena prövas mot den.

    Returns
    -------
    (Rapportspec eller None, list[Problem])
    """
    katalog = Path(katalog)
    sokvag = katalog / RAPPORTSPECFIL
    if not sokvag.exists() and not sokvag.is_symlink():
        return None, []
    data, problem = _las_fil(katalog, sokvag, MAX_SPECFIL, RAPPORTSPECFIL)
    if data is None:
        return None, [Problem(problem, fil=RAPPORTSPECFIL, kod="rapportspec")]
    text = _avkoda(data)
    if text is None:
        return None, [Problem("filen är inte UTF-8", fil=RAPPORTSPECFIL, kod="rapportspec",
                              forvantat="spara filen som UTF-8")]  # fmt: skip
    from finsam_analys.indata.personnummer import ar_personnummer

    if ar_personnummer(text):
        return None, [
            Problem(
                "innehåller något som ser ut som ett personnummer; läsningen stoppas "
                "(värdet visas inte)",
                fil=RAPPORTSPECFIL,
                kod="personnummer",
            )
        ]
    return tolka_rapportspec(
        text,
        katalog=katalog,
        perioder=konfig.perioder,
        insatser=konfig.insatser,
        forbundsnamn=konfig.namn,
        mal=mal,
    )
