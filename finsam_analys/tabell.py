"""Rapportens tabellmodell: varje tal som visas, och vad det betyder.

Allt som en rapport visar byggs av objekten här, längst ner i dataflödet, så att granskning,
sekretess och presentation kan använda dem utan att importera uppåt:

* :class:`Tabell` – en tabell med sina värden och vad de betyder: måttet i varje kolumn
  (:class:`Kolumn`: antal, andel, belopp, poäng, HÅE, månader …), om raderna är delar av en
  helhet, populationen, perioden, källan, precision, enhet och fotnoter. Varje cell som bygger
  på antal personer har en *referens* (se nedan).
* :class:`Stycke` av :class:`Mening` – löptext vars tal är :class:`Varde` (med referens) eller
  :class:`Cell` (ett värde ur en tabell), så att maskning och avrundning når även texten.
* :class:`Diagram` – en figur som ritas ur en tabells kolumner *efter* kontrollpunkterna.
* :class:`Sektion` – ett rapportavsnitt: rubrik och innehåll i ordning, nyckeltal, eller en
  rad om vad som saknas.

**Referenser.** Ett antal personer eller deltaganden är en :class:`Storhet` (population,
period och villkor, t.ex. ``avslut[2019; avslutstyp=Fullföljd, utfall=Arbete]``). Samma storhet
har samma nyckel i alla tabeller, meningar och nyckeltal, och i alla rapporter för ett förbund;
därför kan sekretesskontrollen dölja den överallt på en gång. En andel eller ett medelvärde är
en :class:`Kvot` (täljare och nämnare), ett värde som räknats ur antal (konfidensintervall,
skillnad, bedömning) är :class:`Harledd`. Värden utan referens (belopp, SCB:s HÅE, mål, text)
maskas aldrig. :class:`Relation` är ett linjärt samband mellan storheter som läsaren känner
(en helhet är summan av sina delar, flödets identiteter).

**Kontrollpunkterna** fyller i tabellens ``mask`` (sekretess, :mod:`finsam_analys.sekretess`)
och därefter ``visning`` (avrundade tal eller ``".."``, :mod:`finsam_analys.presentation.
avrundning`). Presentationen visar bara ``visning``.

Examples
--------
>>> bas = Storhet.av("avslut", "2019", avslutstyp="Fullföljd")
>>> t = Tabell.fordelning(
...     pd.Series({"Arbete": 7, "Studier": 5, "Fortsatt rehabilitering": 43}),
...     namn="utfall", titel="Avslut per utfall", bas=bas, dimension="utfall",
...     kategorirubrik="Utfall")
>>> t.data["Antal"].tolist(), round(float(t.data["Andel"].iloc[0]), 4)
([7, 5, 43, 55], 0.1273)
>>> str(t.referens(0, "Antal"))
'avslut[2019; avslutstyp=Fullföljd, utfall=Arbete]'
>>> t.relationer[0].termer[0]
(1, Storhet(population='avslut', period='2019', villkor=(('avslutstyp', 'Fullföljd'),), forbund=''))
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "EJ_UPPFYLLT",
    "FORMATTYPER",
    "KAN_EJ_BEDOMAS",
    "MASKAD",
    "MATT",
    "SUMMAORD",
    "TOTALT",
    "UPPFYLLT",
    "Cell",
    "Diagram",
    "Figur",
    "Harledd",
    "Kolumn",
    "Kvot",
    "Mening",
    "Rapport",
    "Rapportdel",
    "Referens",
    "Relation",
    "Sektion",
    "Storhet",
    "Stycke",
    "Tabell",
    "Varde",
    "ar_maskad",
    "ar_summarad",
    "beroenden",
    "cellvarde",
    "ram_med_textkolumner",
]

MASKAD = ".."
"""SCB:s symbol för uppgift som inte redovisas (här: maskad av sekretesskäl)."""

# Summaradernas ordförråd. Den dokumenterade platsen är finsam_analys.indata.kodlistor (som
# exporterar namnen vidare); de definieras här eftersom tabellmodellen ligger längst ner och inte
# får importera indata.
TOTALT = "Totalt"
"""Etiketten på en summarad eller summakolumn som biblioteket själv skriver, och kategorin som
betyder summa i de kanoniska tabellerna (förbundens ``Total`` och ``Summa`` översätts hit)."""

SUMMAORD: tuple[str, ...] = (
    "totalt",
    "total",
    "totala",
    "totalsumma",
    "summa",
    "sum",
    "s:a",
    "samtliga",
)
"""Ord som gör en etikett till en summarad: etiketten är ordet, eller börjar med ordet följt av
något annat än en bokstav eller siffra (versaler och gemener spelar ingen roll, blanksteg runt
etiketten räknas inte). Se :func:`ar_summarad`. ``Alla`` är inget summaord: ``Alla insatser`` är
i förbundens ekonomitabeller en post bland andra, med en egen summarad under."""

_SUMMAETIKETT = re.compile(
    r"(?:" + "|".join(re.escape(o) for o in sorted(SUMMAORD, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)


def ar_summarad(etikett: object) -> bool:
    """Om etiketten betyder en summa (en summarad eller summakolumn), enligt :data:`SUMMAORD`.

    Den enda definitionen av vad som är en summarad: inläsningen, granskningen, måtten,
    sekretessen och presentationen frågar alla här. Bara text kan vara en summa.

    >>> [ar_summarad(e) for e in ("Totalt", " SUMMA ", "TOTAL summa tkr", "Samtliga", "S:a")]
    [True, True, True, True, True]
    >>> [ar_summarad(e) for e in ("Totalkostnad", "Summerat", "Alla insatser", "Arbete", None, 7)]
    [False, False, False, False, False, False]
    """
    return isinstance(etikett, str) and _SUMMAETIKETT.match(etikett.strip()) is not None


UPPFYLLT = "Uppfyllt"
EJ_UPPFYLLT = "Ej uppfyllt"
KAN_EJ_BEDOMAS = "Kan inte bedömas"

MATT: Mapping[str, int | None] = {
    "text": None,
    "antal": 0,
    "andel": 0,
    "andel_av": 0,
    "procentenheter": 0,
    "forandring": 0,
    "belopp": 0,
    "poang": 1,
    "hae": 0,
    "manader": 1,
    "ar": 1,
    "tal": 1,
    "tryckt": 2,
    "bedomning": None,
}
"""Kolumnernas mått och deras standardprecision (decimaler; för andelar i procent).

``andel_av`` är en andel som visas med sin täljare och nämnare, "13 % (7 av 55)": cellens
referens är en :class:`Kvot` vars storheter finns i tabellens ``antal``.

``tryckt`` är ett tal som det trycktes (t.ex. i granskningen): det visas med de decimaler det
har, högst ``decimaler`` (standard två), och avrundas inte till ett fast antal decimaler."""

FORMATTYPER = (
    "text",
    "antal",
    "tal1",
    "tal2",
    "procent",
    "procent1",
    "procentenheter",
    "forandring",
    "belopp",
    "manader",
    "ar",
    "uppfyllt",
    "lang_text",
)
"""Formattyper för tabeller i sektioner av det äldre slaget (``Sektion.tabeller``)."""


def ar_maskad(varde: Any) -> bool:
    """Sant om värdet är maskat (``".."``).

    Examples
    --------
    >>> ar_maskad(".."), ar_maskad(0)
    (True, False)
    """
    return isinstance(varde, str) and varde == MASKAD


def _saknas(varde: Any) -> bool:
    return varde is None or varde is pd.NA or (isinstance(varde, float) and math.isnan(varde))


# --------------------------------------------------------------------------- referenser


@dataclass(frozen=True, order=True)
class Storhet:
    """Ett antal personer eller deltaganden: population, period och villkor.

    Två celler med samma storhet är samma tal, var de än står (tabell, mening, nyckeltal,
    jämförelseperiodens kolumn i nästa års rapport). Villkoren är sorterade par
    (dimension, kategori).

    Examples
    --------
    >>> s = Storhet.av("avslut", "2019", utfall="Arbete", insats="MAC")
    >>> str(s), str(s.utan("insats"))
    ('avslut[2019; insats=MAC, utfall=Arbete]', 'avslut[2019; utfall=Arbete]')
    >>> s.med(kon="Kvinna") == Storhet.av("avslut", "2019", utfall="Arbete", insats="MAC",
    ...                                   kon="Kvinna")
    True
    """

    population: str
    period: str = ""
    villkor: tuple[tuple[str, str], ...] = ()
    forbund: str = ""

    @classmethod
    def av(cls, population: str, period: Any = "", *, forbund: str = "", **villkor: Any) -> Storhet:
        """En storhet med villkoren som nyckelord (``insats="MAC"``)."""
        return cls(
            str(population),
            _periodkod(period),
            tuple(sorted((str(k), str(v)) for k, v in villkor.items())),
            str(forbund),
        )

    def med(self, **villkor: Any) -> Storhet:
        """Samma storhet med fler (eller ändrade) villkor."""
        ny = dict(self.villkor)
        ny.update({str(k): str(v) for k, v in villkor.items()})
        return replace(self, villkor=tuple(sorted(ny.items())))

    def utan(self, *dimensioner: str) -> Storhet:
        """Samma storhet utan villkoren på ``dimensioner``."""
        return replace(self, villkor=tuple((k, v) for k, v in self.villkor if k not in dimensioner))

    def for_forbund(self, forbund: str) -> Storhet:
        """Samma storhet märkt med förbundet (för jämförelser mellan förbund)."""
        return replace(self, forbund=str(forbund))

    def __str__(self) -> str:
        delar = [self.period] if self.period else []
        if self.villkor:
            delar.append(", ".join(f"{k}={v}" for k, v in self.villkor))
        forbund = f"{self.forbund}:" if self.forbund else ""
        return f"{forbund}{self.population}[{'; '.join(delar)}]"


def _periodkod(period: Any) -> str:
    return str(getattr(period, "kod", period) or "")


@dataclass(frozen=True)
class Kvot:
    """En andel (``taljare / namnare``) eller ett medelvärde över ``namnare`` personer.

    Visas bara när täljaren och nämnaren visas, och när nämnaren inte är för liten (se
    :mod:`finsam_analys.sekretess`). Ett medelvärde (poäng, ålder) har ingen täljare.
    """

    namnare: Storhet
    taljare: Storhet | None = None

    @property
    def storheter(self) -> frozenset[Storhet]:
        return frozenset(s for s in (self.taljare, self.namnare) if s is not None)


@dataclass(frozen=True)
class Harledd:
    """Ett värde som räknats ur antal och kvoter (KI, skillnad, förändring, bedömning).

    Maskas när någon av storheterna eller kvoterna det bygger på maskas.
    """

    storheter: frozenset[Storhet] = frozenset()
    kvoter: frozenset[Kvot] = frozenset()

    @classmethod
    def av(cls, *delar: Storhet | Kvot | Harledd | None) -> Harledd:
        """En härledd referens som bygger på ``delar`` (``None`` hoppas över)."""
        storheter: set[Storhet] = set()
        kvoter: set[Kvot] = set()
        for d in delar:
            if isinstance(d, Storhet):
                storheter.add(d)
            elif isinstance(d, Kvot):
                kvoter.add(d)
            elif isinstance(d, Harledd):
                storheter |= d.storheter
                kvoter |= d.kvoter
        return cls(frozenset(storheter), frozenset(kvoter))


Referens = Storhet | Kvot | Harledd | None
"""Vad en cell bygger på; ``None`` för värden som aldrig maskas (text, belopp, mål)."""


def beroenden(ref: Referens) -> frozenset[Storhet]:
    """Alla storheter en referens bygger på.

    Examples
    --------
    >>> a, n = Storhet.av("avslut", utfall="Arbete"), Storhet.av("avslut")
    >>> sorted(map(str, beroenden(Harledd.av(Kvot(n, a)))))
    ['avslut[]', 'avslut[utfall=Arbete]']
    """
    if ref is None:
        return frozenset()
    if isinstance(ref, Storhet):
        return frozenset({ref})
    if isinstance(ref, Kvot):
        return ref.storheter
    ut: set[Storhet] = set(ref.storheter)
    for k in ref.kvoter:
        ut |= k.storheter
    return frozenset(ut)


@dataclass(frozen=True)
class Relation:
    """Ett linjärt samband mellan storheter som läsaren känner: ``sum(k * x) == 0``.

    Examples
    --------
    >>> total, a, b = (Storhet.av("avslut", avslutstyp=t) for t in ("", "Fullföljd", "Avbruten"))
    >>> r = Relation.summa(total, [a, b])
    >>> [k for k, _ in r.termer]
    [1, -1, -1]
    >>> r.galler({total: 80, a: 55, b: 25}), r.galler({total: 80, a: 55, b: 24})
    (True, False)
    """

    termer: tuple[tuple[int, Storhet], ...]

    @classmethod
    def summa(cls, total: Storhet, delar: Iterable[Storhet]) -> Relation:
        """``total`` är summan av ``delar``."""
        return cls(((1, total), *((-1, d) for d in delar)))

    @property
    def storheter(self) -> tuple[Storhet, ...]:
        return tuple(s for _, s in self.termer)

    def galler(self, varden: Mapping[Storhet, float], *, tolerans: float = 1e-6) -> bool:
        """Sant om sambandet stämmer för ``varden`` (saknas en storhet: sant)."""
        if any(s not in varden for s in self.storheter):
            return True
        return abs(sum(k * float(varden[s]) for k, s in self.termer)) <= tolerans


# ------------------------------------------------------------------------------ tabellen


@dataclass(frozen=True)
class Kolumn:
    """En kolumn i en :class:`Tabell`: rubrik, mått, precision och enhet.

    ``matt`` är ett av :data:`MATT`. ``decimaler`` är visningsprecisionen (för andelar i
    procent: 0 ger "13 %"); ``None`` ger måttets standard. ``delar_av_helhet`` betyder att
    kolumnens värden (utom summaraderna) är delar av en helhet och avrundas med största resten
    så att de summerar till helheten (100 % eller summaraden).
    """

    namn: str
    matt: str = "text"
    decimaler: int | None = None
    enhet: str = ""
    delar_av_helhet: bool = False

    def __post_init__(self) -> None:
        if self.matt not in MATT:
            raise ValueError(f"Okänt mått {self.matt!r} för kolumnen {self.namn!r}.")

    @property
    def precision(self) -> int:
        """Decimaler som visas (för andelar: i procent)."""
        if self.decimaler is not None:
            return int(self.decimaler)
        return int(MATT[self.matt] or 0)

    @property
    def ar_tal(self) -> bool:
        return self.matt not in ("text", "bedomning")


Kalla = Literal["beraknad", "publicerad", "harledd"]


def _lika_rader(kolumn: pd.Series, etikett: Any) -> np.ndarray:
    """Radnumren där ``kolumn == etikett`` (som pandas: en saknad cell är aldrig lika).

    Jämförs i numpy (ett anrop per uppslag i stället för en pandas-jämförelse); en saknad
    etikett, eller ett svar som inte är en rad per cell, jämförs som förut i pandas.

    >>> k = pd.Series(["A", None, "B", "A"], dtype=object)
    >>> _lika_rader(k, "A").tolist(), _lika_rader(k, None).tolist()
    ([0, 3], [])
    """
    varden = kolumn.to_numpy(dtype=object)
    if not pd.api.types.is_scalar(etikett) or pd.isna(etikett):
        return np.flatnonzero((kolumn.astype(object) == etikett).to_numpy())
    lika = varden == etikett
    if not isinstance(lika, np.ndarray) or lika.shape != varden.shape:
        return np.flatnonzero((kolumn.astype(object) == etikett).to_numpy())
    return np.flatnonzero(lika.astype(bool) & ~pd.isna(varden))


@dataclass(frozen=True)
class Tabell:
    """En tabell som rapporten visar, med värden, mått, referenser och samband.

    Parameters
    ----------
    namn : str
        Tabellens id i rapporten (unikt inom rapporten; bladnamn i Excel, nyckel i json).
    titel : str
        Rubriken som visas.
    data : DataFrame
        Exakta värden, en kolumn per :class:`Kolumn` i samma ordning (andelar som bråk 0–1).
        Radindexet är 0..n-1; radetiketter är vanliga textkolumner.
    kolumner : tuple[Kolumn, ...]
        Kolumnernas beskrivning.
    referenser : DataFrame, valfri
        Samma form som ``data``: en :data:`Referens` per cell (``None`` = maskas aldrig).
    antal : Mapping[Storhet, float]
        Värdet på varje storhet som tabellen refererar till (även nämnare och täljare som inte
        själva står i en cell), så att sekretesskontrollen känner dem.
    relationer : tuple[Relation, ...]
        Samband mellan storheterna som läsaren känner (även när summan inte visas).
    population : str
        Vilka tabellen avser ("Fullföljda avslut", "Nya deltagare", "Svarande" …).
    period : str
        Periodens namn som visas ("2019", "januari–augusti 2021").
    kalla : {"beraknad", "publicerad", "harledd"}
        Räknad ur deltagarrader/delar, transkriberad som tryckt, eller härledd ur publicerade.
    kallhanvisning : str
        Var en publicerad tabell står ("Årsrapport 2019, s. 4").
    fotnoter : tuple[str, ...]
        Fotnoter som visas under tabellen.
    summarader : tuple[int, ...]
        Radnumren för summarader (fetstil; utanför helheten vid avrundning).
    helhet : {"kolumn", "rad"}
        Hur ``delar_av_helhet`` läses: varje markerad kolumns rader är en helhet ("kolumn"),
        eller varje rads markerade kolumner ("rad").
    sortering : str, valfri
        Kolumn att sortera fallande efter *efter* maskningen; maskade rader hamnar sist i
        ursprunglig ordning (så att ordningen aldrig röjer ett dolt värde).
    mask, visning : DataFrame, valfria
        Fylls i av kontrollpunkterna: ``mask`` (True = maskad) och ``visning`` (avrundade tal
        eller ``".."``).
    """

    namn: str
    titel: str
    data: pd.DataFrame
    kolumner: tuple[Kolumn, ...]
    referenser: pd.DataFrame | None = None
    antal: Mapping[Storhet, float] = field(default_factory=dict)
    relationer: tuple[Relation, ...] = ()
    population: str = ""
    period: str = ""
    kalla: Kalla = "beraknad"
    kallhanvisning: str = ""
    fotnoter: tuple[str, ...] = ()
    summarader: tuple[int, ...] = ()
    helhet: Literal["kolumn", "rad"] = "kolumn"
    sortering: str | None = None
    mask: pd.DataFrame | None = None
    visning: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        namn = [k.namn for k in self.kolumner]
        if list(self.data.columns) != namn:
            raise ValueError(
                f"Tabellen {self.namn!r}: kolumnerna {list(self.data.columns)} stämmer inte med "
                f"beskrivningen {namn}."
            )
        if len(set(namn)) != len(namn):
            raise ValueError(f"Tabellen {self.namn!r} har två kolumner med samma namn.")
        if self.referenser is not None and self.referenser.shape != self.data.shape:
            raise ValueError(f"Tabellen {self.namn!r}: referenserna har fel form.")

    # -------------------------------------------------------------------- uppslag

    def kolumn(self, namn: str) -> Kolumn:
        """Kolumnbeskrivningen med namnet ``namn``."""
        for k in self.kolumner:
            if k.namn == namn:
                return k
        raise KeyError(f"Tabellen {self.namn!r} har ingen kolumn {namn!r}.")

    def referens(self, rad: int, kolumn: str) -> Referens:
        """Referensen i cellen (rad nummer ``rad``, kolumnen ``kolumn``)."""
        if self.referenser is None:
            return None
        celler = self.referenser[kolumn]
        if isinstance(celler, pd.Series) and celler.dtype == object:
            return celler.iloc[rad]  # samma objekt som radens, utan att bygga raden
        return self.referenser.iloc[rad][kolumn]

    def rad(self, etikett: Any, *, kolumn: str | None = None) -> int:
        """Radnumret för raden vars första textkolumn (eller ``kolumn``) är ``etikett``."""
        kolumn = kolumn or next(k.namn for k in self.kolumner if k.matt == "text")
        traffar = _lika_rader(self.data[kolumn], etikett)
        if not len(traffar):
            raise KeyError(f"Tabellen {self.namn!r} har ingen rad {etikett!r}.")
        return int(traffar[0])

    def alla_referenser(self) -> Iterator[tuple[int, str, Referens]]:
        """Varje cell med referens: (rad, kolumn, referens)."""
        if self.referenser is None:
            return
        for kolumn in self.referenser.columns:
            for i, ref in enumerate(self.referenser[kolumn].tolist()):
                if ref is not None:
                    yield i, kolumn, ref

    @property
    def har_maskning(self) -> bool:
        return self.mask is not None and bool(self.mask.to_numpy().any())

    def med(self, **andringar: Any) -> Tabell:
        """En kopia med ändrade fält."""
        return replace(self, **andringar)

    # ------------------------------------------------------------- byggstenar

    @classmethod
    def fordelning(
        cls,
        antal: pd.Series,
        *,
        namn: str,
        titel: str,
        bas: Storhet,
        dimension: str,
        kategorirubrik: str,
        etiketter: Mapping[Any, str] | None = None,
        andel: bool = True,
        totalrad: bool = True,
        sortera: bool = False,
        population: str = "",
        period: str = "",
        fotnoter: Sequence[str] = (),
        decimaler: int | None = None,
    ) -> Tabell:
        """En fördelning: antal per kategori (delar av en helhet), andel och summarad.

        ``antal`` är antalet per kategori (index = kategorikoderna, alla kategorier i
        helheten, även nollor). Varje rad refererar till ``bas.med(dimension=kategori)``;
        sambandet ``bas = summan av delarna`` gäller även om summaraden inte visas.
        ``etiketter`` översätter koder till visade namn. ``sortera`` sorterar fallande efter
        antal efter maskningen.
        """
        etiketter = dict(etiketter or {})
        koder = list(antal.index)
        varden = [_heltal(v) for v in antal.tolist()]
        delar = [bas.med(**{dimension: k}) for k in koder]
        summa = _heltal(sum(varden))
        texter = [etiketter.get(k, str(k)) for k in koder]
        refs_antal: list[Referens] = list(delar)
        if totalrad:
            texter.append(TOTALT)
            varden.append(summa)
            refs_antal.append(bas)
        kolumner = [Kolumn(kategorirubrik), Kolumn("Antal", "antal", delar_av_helhet=True)]
        data = {kategorirubrik: texter, "Antal": varden}
        refs: dict[str, list[Referens]] = {
            kategorirubrik: [None] * len(texter),
            "Antal": refs_antal,
        }
        if andel:
            kolumner.append(Kolumn("Andel", "andel", decimaler=decimaler, delar_av_helhet=True))
            data["Andel"] = [v / summa if summa else np.nan for v in varden]
            refs["Andel"] = [Kvot(bas, s) if s != bas else Kvot(bas, bas) for s in refs_antal]
        return cls(
            namn=namn,
            titel=titel,
            data=ram_med_textkolumner(data, [kategorirubrik]),
            kolumner=tuple(kolumner),
            referenser=pd.DataFrame(refs, dtype=object),
            antal={bas: summa, **dict(zip(delar, varden[: len(delar)], strict=True))},
            relationer=(Relation.summa(bas, delar),),
            population=population,
            period=period,
            fotnoter=tuple(fotnoter),
            summarader=(len(texter) - 1,) if totalrad else (),
            sortering="Antal" if sortera else None,
        )

    @classmethod
    def korstabell(
        cls,
        antal: pd.DataFrame,
        *,
        namn: str,
        titel: str,
        bas: Storhet,
        rad_dimension: str,
        kolumn_dimension: str,
        radrubrik: str,
        etiketter: Mapping[Any, str] | None = None,
        summor: bool = True,
        population: str = "",
        period: str = "",
        fotnoter: Sequence[str] = (),
    ) -> Tabell:
        """En korstabell med antal: rader × kolumner, med radsummor och kolumnsummor.

        Cellen (r, k) refererar till ``bas.med(rad_dimension=r, kolumn_dimension=k)``; raderna
        och kolumnerna summerar till sina summor (sambanden gäller även utan summorna).
        """
        etiketter = dict(etiketter or {})
        radkoder, kolkoder = list(antal.index), list(antal.columns)
        v = antal.to_numpy(dtype="float64")
        cell = {
            (r, k): bas.med(**{rad_dimension: r, kolumn_dimension: k})
            for r in radkoder
            for k in kolkoder
        }
        radsum = {r: bas.med(**{rad_dimension: r}) for r in radkoder}
        kolsum = {k: bas.med(**{kolumn_dimension: k}) for k in kolkoder}
        kolnamn = [etiketter.get(k, str(k)) for k in kolkoder]
        data: dict[str, list[Any]] = {radrubrik: [etiketter.get(r, str(r)) for r in radkoder]}
        refs: dict[str, list[Referens]] = {radrubrik: [None] * len(radkoder)}
        for j, k in enumerate(kolkoder):
            data[kolnamn[j]] = [_heltal(x) for x in v[:, j]]
            refs[kolnamn[j]] = [cell[(r, k)] for r in radkoder]
        antal_map: dict[Storhet, float] = {cell[(r, k)]: _heltal(v[i, j])
                                            for i, r in enumerate(radkoder)
                                            for j, k in enumerate(kolkoder)}  # fmt: skip
        antal_map.update({radsum[r]: _heltal(v[i].sum()) for i, r in enumerate(radkoder)})
        antal_map.update({kolsum[k]: _heltal(v[:, j].sum()) for j, k in enumerate(kolkoder)})
        antal_map[bas] = _heltal(v.sum())
        relationer = [Relation.summa(radsum[r], [cell[(r, k)] for k in kolkoder]) for r in radkoder]
        relationer += [
            Relation.summa(kolsum[k], [cell[(r, k)] for r in radkoder]) for k in kolkoder
        ]
        relationer += [Relation.summa(bas, [radsum[r] for r in radkoder])]
        summarader: tuple[int, ...] = ()
        if summor:
            data[TOTALT] = [_heltal(x) for x in v.sum(axis=1)]
            refs[TOTALT] = [radsum[r] for r in radkoder]
            data[radrubrik].append(TOTALT)
            refs[radrubrik].append(None)
            for j, k in enumerate(kolkoder):
                data[kolnamn[j]].append(_heltal(v[:, j].sum()))
                refs[kolnamn[j]].append(kolsum[k])
            data[TOTALT].append(_heltal(v.sum()))
            refs[TOTALT].append(bas)
            summarader = (len(radkoder),)
        kolumner = [Kolumn(radrubrik)] + [Kolumn(n, "antal", delar_av_helhet=True) for n in kolnamn]
        if summor:
            kolumner.append(Kolumn(TOTALT, "antal", delar_av_helhet=True))
        return cls(
            namn=namn,
            titel=titel,
            data=ram_med_textkolumner(data, [radrubrik]),
            kolumner=tuple(kolumner),
            referenser=pd.DataFrame(refs, dtype=object),
            antal=antal_map,
            relationer=tuple(relationer),
            population=population,
            period=period,
            fotnoter=tuple(fotnoter),
            summarader=summarader,
        )


def ram_med_textkolumner(data: Mapping[str, Any], kolumner: Iterable[str]) -> pd.DataFrame:
    """``pd.DataFrame(data).astype({k: object for k in kolumner})``: etikettkolumner som objekt.

    När ``data`` är listor (eller endimensionella arrayer) och etiketterna text (det vanliga)
    byggs kolumnerna direkt som
    objekt, utan att pandas först gör dem till ``str`` och sedan om (``astype`` med en
    ordlista kostade mer än resten av en liten tabell); samma värden och typer. Annars som
    uttrycket ovan.

    Examples
    --------
    >>> ram_med_textkolumner({"Kön": ["Kvinnor", "Totalt"], "Antal": [3, 5]}, ["Kön"]).dtypes
    Kön      object
    Antal     int64
    dtype: object
    """
    kolumner = list(kolumner)
    listor = list(data.values())
    if (
        kolumner
        and all(type(v) is list or (type(v) is np.ndarray and v.ndim == 1) for v in listor)
        and len({len(v) for v in listor}) == 1
        and len(listor[0]) > 0
        and all(k in data and all(type(e) is str for e in data[k]) for k in kolumner)
    ):
        return pd.DataFrame({**data, **{k: pd.Series(data[k], dtype=object) for k in kolumner}})
    return pd.DataFrame(data).astype(dict.fromkeys(kolumner, object))


def _heltal(varde: Any) -> Any:
    """Heltal som int (antal), övriga tal oförändrade."""
    if isinstance(varde, (int, np.integer)):
        return int(varde)
    if isinstance(varde, (float, np.floating)) and float(varde).is_integer():
        return int(varde)
    return varde


# -------------------------------------------------------------------------- löptext


@dataclass(frozen=True)
class Varde:
    """Ett tal i löptext eller bland nyckeltalen, med mått, precision och referens.

    Examples
    --------
    >>> Varde(55, "antal", Storhet.av("avslut", "2019")).matt
    'antal'
    """

    varde: Any
    matt: str = "antal"
    ref: Referens = None
    decimaler: int | None = None

    def __post_init__(self) -> None:
        if self.matt not in MATT:
            raise ValueError(f"Okänt mått {self.matt!r}.")

    @property
    def precision(self) -> int:
        return int(self.decimaler if self.decimaler is not None else (MATT[self.matt] or 0))


@dataclass(frozen=True)
class Cell:
    """Ett värde ur en tabell i samma rapport: tabellens namn, radens etikett och kolumnen.

    Texten visar då exakt det som tabellen visar (samma maskning och avrundning).
    """

    tabell: str
    rad: Any
    kolumn: str


@dataclass(frozen=True)
class Mening:
    """En mening med tal: ``mall`` med fält ``{namn}`` som fylls ur ``varden``.

    Fälten är :class:`Varde`, :class:`Cell` eller vanlig text. Är något tal maskat används
    ``om_maskad`` (en annan mall med samma fält) om den finns, annars visas ``..`` för talet.

    Examples
    --------
    >>> m = Mening("{n} deltaganden avslutades under {period}.",
    ...            {"n": Varde(55, "antal"), "period": "2019"})
    >>> sorted(m.varden)
    ['n', 'period']
    """

    mall: str
    varden: Mapping[str, Varde | Cell | str] = field(default_factory=dict)
    om_maskad: str | None = None


@dataclass(frozen=True)
class Stycke:
    """Ett stycke löptext: meningar (eller färdig text) i följd, eller som punktlista."""

    meningar: tuple[Mening | str, ...]
    punktlista: bool = False


# ----------------------------------------------------------------------------- figurer


@dataclass(frozen=True)
class Figur:
    """En figur som data: ritas av :func:`finsam_analys.presentation.figurer.rita`.

    ``typ`` är ``"staplar"`` (liggande staplar, en per kategori), ``"grupperade_staplar"``
    (kategori × grupp), ``"linjer"`` (x = år/period, en linje per grupp) eller
    ``"fore_efter"`` (två värden per kategori). ``data`` är en lång tabell med kolumnerna
    ``x``, ``y`` och valfritt ``grupp``; maskade värden är NaN och ritas inte. ``enhet`` är
    ``"andel"`` (bråk, visas i procent), ``"antal"`` eller ``"belopp"``. ``mal`` är
    referenslinjer: etikett -> värde (samma enhet). ``alt`` är alt-texten i HTML. ``tabell``
    är namnet på sektionens tabell som figuren hör till (figuren visas då just före den).
    """

    typ: str
    data: pd.DataFrame
    titel: str
    enhet: str = "andel"
    xetikett: str = ""
    yetikett: str = ""
    mal: Mapping[str, float] = field(default_factory=dict)
    alt: str = ""
    not_: str = ""
    decimaler: int = 0
    tabell: str = ""


@dataclass(frozen=True)
class Diagram:
    """En figur som ritas ur en tabell i samma sektion, efter maskning och avrundning.

    ``x`` är tabellens etikettkolumn, ``y`` värdekolumnen; ``nedre``/``ovre`` valfria
    intervallkolumner; ``grupper`` flera värdekolumner som grupper (grupperade staplar, före/
    efter). Summarader ritas inte; maskade värden ritas inte. ``typ`` och övriga fält som i
    :class:`Figur`; ``alt`` skrivs av presentationen om den är tom. ``mal`` är en kolumn med ett
    mål per rad; ``referenslinjer`` är linjer med fasta värden (etikett -> värde, samma enhet,
    t.ex. andelen av året som gått), som aldrig bygger på antal personer.
    """

    typ: str
    tabell: str
    x: str
    y: str | None = None
    titel: str = ""
    nedre: str | None = None
    ovre: str | None = None
    grupper: tuple[str, ...] = ()
    mal: str | None = None
    enhet: str = "andel"
    alt: str = ""
    not_: str = ""
    referenslinjer: Mapping[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------- sektionen


Block = Stycke | Tabell | Diagram


@dataclass(frozen=True)
class Sektion:
    """Ett rapportavsnitt som data.

    ``innehall`` är avsnittets block i visningsordning (:class:`Stycke`, :class:`Tabell`,
    :class:`Diagram`); ``nyckeltal`` går till ``nyckeltal.json`` (:class:`Varde` eller
    :class:`Cell`); ``saknas`` är en rad om vad som fattas när avsnittet inte kan visas.
    ``antal`` och ``relationer`` är storheter och samband som meningar och nyckeltal bygger på
    utan att stå i någon tabell.

    Fälten ``text``, ``tabeller``, ``format`` och ``figurer`` hör till sektioner av det äldre
    slaget, som maskar sina egna tabeller; de försvinner när alla sektioner byggs av tabeller.
    """

    namn: str
    rubrik: str
    text: str = ""
    tabeller: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    format: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    figurer: Sequence[Figur] = ()
    nyckeltal: Mapping[str, Any] = field(default_factory=dict)
    saknas: str | None = None
    fotnot: str = ""
    innehall: tuple[Block, ...] = ()
    antal: Mapping[Storhet, float] = field(default_factory=dict)
    relationer: tuple[Relation, ...] = ()

    @property
    def visas(self) -> bool:
        """Sant om sektionen har något att visa (annars visas bara ``saknas``)."""
        return self.saknas is None

    @property
    def ar_tabellmodell(self) -> bool:
        """Sant om sektionen byggs av :class:`Tabell`-objekt (inte av det äldre slaget)."""
        return bool(self.innehall) or (
            self.saknas is None and not self.tabeller and not self.text and not self.figurer
        )

    def tabellobjekt(self) -> tuple[Tabell, ...]:
        """Sektionens tabeller i ordning."""
        return tuple(b for b in self.innehall if isinstance(b, Tabell))

    def tabell(self, namn: str) -> Tabell:
        """Sektionens tabell med namnet (id:t) eller titeln ``namn``."""
        for t in self.tabellobjekt():
            if namn in (t.namn, t.titel):
                return t
        raise KeyError(f"Avsnittet {self.rubrik!r} har ingen tabell {namn!r}.")

    def med(self, **andringar: Any) -> Sektion:
        """En kopia med ändrade fält."""
        return replace(self, **andringar)


def _losa_cell(tabeller: Mapping[str, Tabell], cell: Cell) -> tuple[Tabell, int]:
    tabell = tabeller[cell.tabell]
    return tabell, tabell.rad(cell.rad)


def cellvarde(tabeller: Mapping[str, Tabell], cell: Cell) -> tuple[Any, Referens, Kolumn]:
    """Det exakta värdet, referensen och kolumnen för en :class:`Cell`.

    Examples
    --------
    >>> t = Tabell.fordelning(pd.Series({"Arbete": 7, "Studier": 5}), namn="u", titel="U",
    ...                       bas=Storhet.av("avslut"), dimension="utfall", kategorirubrik="Utfall")
    >>> cellvarde({"u": t}, Cell("u", "Totalt", "Antal"))[0]
    12
    """
    tabell, i = _losa_cell(tabeller, cell)
    varde = tabell.data.iloc[i][cell.kolumn]
    if isinstance(varde, np.generic):
        varde = varde.item()
    return varde, tabell.referens(i, cell.kolumn), tabell.kolumn(cell.kolumn)


# ---------------------------------------------------------------------------- rapporten


@dataclass(frozen=True)
class Rapportdel:
    """En del av den sammanställda rapporten, i visningsordning.

    ``rubrik`` visas på nivå ``niva`` (2 för rapportens delar, 3 inom ett målområde eller en
    grupp; tom = ingen rubrik). ``text`` är förbundets löptext i Markdown med hänvisningarna
    ifyllda (visas som säker HTML: ingen rå HTML, inga bilder eller länkar); ``sektion`` är
    tabeller, figurer och text efter kontrollpunkterna. Text visas före sektionen.
    """

    namn: str
    rubrik: str = ""
    niva: int = 2
    text: str = ""
    sektion: Sektion | None = None


@dataclass(frozen=True)
class Rapport:
    """Hela rapporten efter kontrollpunkterna: titel, godkännande och delarna i ordning.

    ``sektioner`` är alla standardavsnitt (även de som inte visas), för ``nyckeltal.json`` och
    ``tabeller.xlsx``; ``delar`` är det som visas, i förbundets ordning. ``saknade`` är
    rubrik -> vad som saknas för avsnitt som skulle ha visats men inte har data (de listas en
    gång under *Om underlaget*).
    """

    titel: str
    period: str
    slag: str = "uppfoljningsrapport"
    avser: str = ""
    godkannande: str = ""
    delar: tuple[Rapportdel, ...] = ()
    sektioner: Mapping[str, Sektion] = field(default_factory=dict)
    saknade: Mapping[str, str] = field(default_factory=dict)

    def delen(self, namn: str) -> Rapportdel:
        """Delen med namnet ``namn``."""
        for d in self.delar:
            if d.namn == namn:
                return d
        raise KeyError(f"Rapporten har ingen del {namn!r}.")
