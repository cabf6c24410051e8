"""Rapportperioder: helår, halvår, tertial, kvartal, månadsintervall och datumintervall.

En :class:`Rapportperiod` är ett slutet datumintervall (``start`` och ``slut`` ingår båda) med en
kanonisk textkod. Koden är det som står i periodkolumnerna i förbundens tabeller och i
``forbund.yaml``; :meth:`Rapportperiod.tolka` förstår dessa former:

========================  ==========================  ============================
kod                       typ                         namn
========================  ==========================  ============================
``2019``                  helår                       2019
``2019H1``, ``2019H2``    halvår                      första halvåret 2019
``2023T1`` … ``2023T3``   tertial (jan–apr, maj–aug,  andra tertialet 2023
                          sep–dec)
``2019K1`` … ``2019K4``   kvartal                     första kvartalet 2019
``2021-01..2021-08``      månader                     januari–augusti 2021
``2015-07..2016-06``      månader                     juli 2015–juni 2016
``2019-05``               en månad                    maj 2019
``2019-01-01..2019-11-30``  datum                     1 januari–30 november 2019
========================  ==========================  ============================

Tolkningen är förlåtande i skrivsättet (versaler/gemener, mellanslag, tankstreck ``–`` i stället
för ``..``, ``2019-01-01 – 2019-12-31`` som i rapporternas text, heltalet ``2019`` från papermill)
men koden som sparas är alltid den kanoniska formen ovan, så att ``tolka(p.kod) == p``.

Två perioder är lika när de täcker samma dagar, oavsett skrivsätt:
``tolka("2019H1") == tolka("2019-01..2019-06")``. Ordningen (``<``) följer startdatum och sedan
slutdatum.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Rapportperiod"]

MANADSNAMN = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

_ORDNINGSTAL = ("första", "andra", "tredje", "fjärde")

# typ -> (antal delar per år, månader per del, suffixbokstav, namn i bestämd form)
_DELAR: dict[str, tuple[int, int, str, str]] = {
    "halvar": (2, 6, "H", "halvåret"),
    "tertial": (3, 4, "T", "tertialet"),
    "kvartal": (4, 3, "K", "kvartalet"),
}

_TILLATNA = (
    "'2019' (helår), '2019H1'/'2019H2' (halvår), '2023T1'–'2023T3' (tertial), "
    "'2019K1'–'2019K4' (kvartal), '2019-05' (en månad), '2021-01..2021-08' eller "
    "'2015-07..2016-06' (månader) och '2019-01-01..2019-11-30' (datum)"
)

_AR = r"(\d{4})"
_RE_HELAR = re.compile(rf"^{_AR}$")
_RE_DEL = re.compile(rf"^{_AR}([HTK])(\d)$")
_RE_MANAD = re.compile(rf"^{_AR}-(\d{{1,2}})$")
_RE_MANADER = re.compile(rf"^{_AR}-(\d{{1,2}})\.\.{_AR}-(\d{{1,2}})$")
_RE_DATUM = re.compile(rf"^{_AR}-(\d{{1,2}})-(\d{{1,2}})\.\.{_AR}-(\d{{1,2}})-(\d{{1,2}})$")
# intervalltecken som godtas i stället för ".." (tankstreck, långt streck, " - ", " till ")
_RE_INTERVALL = re.compile(r"\s*(?:\.\.|–|—|\s-\s|\s+till\s+)\s*")


def _sista_dagen(ar: int, manad: int) -> dt.date:
    return dt.date(ar, manad, calendar.monthrange(ar, manad)[1])


def _lagg_till_manader(ar: int, manad: int, antal: int) -> tuple[int, int]:
    index = ar * 12 + (manad - 1) + antal
    return index // 12, index % 12 + 1


def _flytta_datum(datum: dt.date, ar: int) -> dt.date:
    """Flytta ett datum hela år; 29 februari blir 28 februari, månadsslut förblir månadsslut."""
    nytt_ar = datum.year + ar
    sista = calendar.monthrange(nytt_ar, datum.month)[1]
    if datum.day == calendar.monthrange(datum.year, datum.month)[1]:
        return dt.date(nytt_ar, datum.month, sista)
    return dt.date(nytt_ar, datum.month, min(datum.day, sista))


def _som_datum(varde: Any) -> dt.date:
    """Gör om date, datetime, pandas.Timestamp eller ISO-text till ``datetime.date``."""
    if isinstance(varde, dt.datetime):
        return varde.date()
    if isinstance(varde, dt.date):
        return varde
    if isinstance(varde, str):
        try:
            return dt.date.fromisoformat(varde.strip())
        except ValueError:
            raise ValueError(f"Kan inte tolka {varde!r} som datum (ange ÅÅÅÅ-MM-DD).") from None
    to_pydatetime = getattr(varde, "to_pydatetime", None)  # pandas.Timestamp
    if to_pydatetime is not None:
        return to_pydatetime().date()
    raise TypeError(f"Väntade ett datum, fick {type(varde).__name__}: {varde!r}.")


def _ar_giltigt(ar: int, text: str) -> None:
    if not 1900 <= ar <= 2999:
        raise ValueError(f"Orimligt år i rapportperioden {text!r}: {ar}.")


@dataclass(frozen=True, order=True)
class Rapportperiod:
    """En rapportperiod: ett slutet datumintervall med kanonisk kod.

    Skapa den helst med :meth:`tolka` (från text) eller :meth:`fran_datum`.

    Attributes
    ----------
    kod : str
        Kanonisk text, t.ex. ``"2019"``, ``"2019H1"``, ``"2021-01..2021-08"``.
    start, slut : datetime.date
        Första och sista dagen; båda ingår.
    typ : str
        ``"helar"``, ``"halvar"``, ``"tertial"``, ``"kvartal"``, ``"manader"`` eller ``"datum"``.

    Examples
    --------
    >>> p = Rapportperiod.tolka("2021-01..2021-08")
    >>> p.namn, p.antal_dagar
    ('januari–augusti 2021', 243)
    >>> p.foregaende().kod
    '2020-01..2020-08'
    >>> Rapportperiod.tolka("2019H1") == Rapportperiod.tolka("2019-01..2019-06")
    True
    """

    kod: str = field(compare=False)
    start: dt.date
    slut: dt.date
    typ: str = field(default="datum", compare=False)

    def __post_init__(self) -> None:
        for namn in ("start", "slut"):
            if not isinstance(getattr(self, namn), dt.date) or isinstance(
                getattr(self, namn), dt.datetime
            ):
                raise TypeError(f"Rapportperiod.{namn} måste vara datetime.date.")
        if self.slut < self.start:
            raise ValueError(
                f"Rapportperioden {self.kod!r} slutar ({self.slut}) före den börjar ({self.start})."
            )

    # ------------------------------------------------------------------ skapa
    @classmethod
    def tolka(cls, text: str | int | Rapportperiod) -> Rapportperiod:
        """Tolka en periodkod (se modulens tabell) till en :class:`Rapportperiod`.

        Parameters
        ----------
        text : str, int eller Rapportperiod
            T.ex. ``"2019"``, ``2019``, ``"2019H2"``, ``"2023T1"``, ``"2021-01..2021-08"``,
            ``"2015-07..2016-06"``, ``"2019-01-01..2019-11-30"`` eller
            ``"2019-01-01–2019-12-31"``. En Rapportperiod returneras oförändrad.

        Raises
        ------
        ValueError
            Om texten inte är en känd periodform eller beskriver ett omöjligt intervall.

        Examples
        --------
        >>> Rapportperiod.tolka("2015-07..2016-06").namn
        'juli 2015–juni 2016'
        >>> Rapportperiod.tolka(" 2019h2 ").kod
        '2019H2'
        """
        if isinstance(text, Rapportperiod):
            return text
        if isinstance(text, bool) or not isinstance(text, (str, int)):
            raise TypeError(
                f"En rapportperiod anges som text, t.ex. '2019' eller '2021-01..2021-08'; "
                f"fick {type(text).__name__}."
            )
        original = text
        s = str(text).strip().upper()
        s = _RE_INTERVALL.sub("..", s)
        s = re.sub(r"\s+", "", s)
        try:
            return cls._tolka_normaliserad(s, original)
        except ValueError as fel:
            if str(fel).startswith("Okänd rapportperiod"):
                raise
            raise ValueError(f"Ogiltig rapportperiod {original!r}: {fel}") from None

    @classmethod
    def _tolka_normaliserad(cls, s: str, original: str | int) -> Rapportperiod:
        if m := _RE_HELAR.match(s):
            ar = int(m[1])
            _ar_giltigt(ar, s)
            return cls(f"{ar}", dt.date(ar, 1, 1), dt.date(ar, 12, 31), "helar")
        if m := _RE_DEL.match(s):
            ar, bokstav, nr = int(m[1]), m[2], int(m[3])
            _ar_giltigt(ar, s)
            typ = next(t for t, (_, _, b, _) in _DELAR.items() if b == bokstav)
            antal, langd, _, benamning = _DELAR[typ]
            if not 1 <= nr <= antal:
                raise ValueError(f"det finns bara {antal} {benamning[:-2]} per år, inte nr {nr}.")
            forsta = (nr - 1) * langd + 1
            return cls(
                f"{ar}{bokstav}{nr}",
                dt.date(ar, forsta, 1),
                _sista_dagen(ar, forsta + langd - 1),
                typ,
            )
        if m := _RE_MANAD.match(s):
            return cls._manader(int(m[1]), int(m[2]), int(m[1]), int(m[2]))
        if m := _RE_MANADER.match(s):
            return cls._manader(int(m[1]), int(m[2]), int(m[3]), int(m[4]))
        if m := _RE_DATUM.match(s):
            for ar in (int(m[1]), int(m[4])):
                _ar_giltigt(ar, s)
            start = dt.date(int(m[1]), int(m[2]), int(m[3]))
            slut = dt.date(int(m[4]), int(m[5]), int(m[6]))
            return cls.fran_datum(start, slut)
        raise ValueError(f"Okänd rapportperiod: {original!r}. Tillåtna former: {_TILLATNA}.")

    @classmethod
    def _manader(cls, ar1: int, man1: int, ar2: int, man2: int) -> Rapportperiod:
        for ar, man in ((ar1, man1), (ar2, man2)):
            _ar_giltigt(ar, f"{ar}-{man}")
            if not 1 <= man <= 12:
                raise ValueError(f"månad {man} finns inte (1–12).")
        kod = (
            f"{ar1}-{man1:02d}"
            if (ar1, man1) == (ar2, man2)
            else (f"{ar1}-{man1:02d}..{ar2}-{man2:02d}")
        )
        return cls(kod, dt.date(ar1, man1, 1), _sista_dagen(ar2, man2), "manader")

    @classmethod
    def fran_datum(cls, start: Any, slut: Any) -> Rapportperiod:
        """Skapa en datumperiod (kod ``ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD``) från två datum, båda inklusive.

        Examples
        --------
        >>> Rapportperiod.fran_datum("2019-01-01", "2019-11-30").kod
        '2019-01-01..2019-11-30'
        """
        start, slut = _som_datum(start), _som_datum(slut)
        return cls(f"{start.isoformat()}..{slut.isoformat()}", start, slut, "datum")

    # ------------------------------------------------------------ egenskaper
    def __str__(self) -> str:
        return self.kod

    @property
    def antal_dagar(self) -> int:
        """Antal dagar i perioden, båda ändar inräknade."""
        return (self.slut - self.start).days + 1

    @property
    def ar(self) -> int:
        """Det år perioden slutar i (rapportåret)."""
        return self.slut.year

    @property
    def ar_helt(self) -> bool:
        """Sant om perioden är exakt ett kalenderår."""
        return self.start == dt.date(self.start.year, 1, 1) and self.slut == dt.date(
            self.start.year, 12, 31
        )

    @property
    def namn(self) -> str:
        """Periodens namn på svenska, som i löptext.

        Examples
        --------
        >>> [Rapportperiod.tolka(k).namn for k in ("2019", "2019H1", "2023T2", "2019-05")]
        ['2019', 'första halvåret 2019', 'andra tertialet 2023', 'maj 2019']
        >>> Rapportperiod.tolka("2019-01-01..2019-11-30").namn
        '1 januari–30 november 2019'
        """
        if self.typ == "helar":
            return str(self.start.year)
        if self.typ in _DELAR:
            _, langd, _, benamning = _DELAR[self.typ]
            nr = (self.start.month - 1) // langd
            return f"{_ORDNINGSTAL[nr]} {benamning} {self.start.year}"
        a, b = self.start, self.slut
        if self.typ == "manader":
            if (a.year, a.month) == (b.year, b.month):
                return f"{MANADSNAMN[a.month - 1]} {a.year}"
            if a.year == b.year:
                return f"{MANADSNAMN[a.month - 1]}–{MANADSNAMN[b.month - 1]} {a.year}"
            return f"{MANADSNAMN[a.month - 1]} {a.year}–{MANADSNAMN[b.month - 1]} {b.year}"
        if a == b:
            return f"{a.day} {MANADSNAMN[a.month - 1]} {a.year}"
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {MANADSNAMN[a.month - 1]} {a.year}"
        if a.year == b.year:
            return f"{a.day} {MANADSNAMN[a.month - 1]}–{b.day} {MANADSNAMN[b.month - 1]} {a.year}"
        return (
            f"{a.day} {MANADSNAMN[a.month - 1]} {a.year}–{b.day} {MANADSNAMN[b.month - 1]} {b.year}"
        )

    # ---------------------------------------------------------------- metoder
    def forskjut(self, *, ar: int) -> Rapportperiod:
        """Samma slags period ``ar`` år senare (negativt: tidigare).

        Examples
        --------
        >>> Rapportperiod.tolka("2015-07..2016-06").forskjut(ar=1).kod
        '2016-07..2017-06'
        """
        if self.typ == "helar":
            return Rapportperiod.tolka(str(self.start.year + ar))
        if self.typ in _DELAR:
            return Rapportperiod.tolka(f"{self.start.year + ar}{self.kod[4:]}")
        if self.typ == "manader":
            return Rapportperiod._manader(
                self.start.year + ar, self.start.month, self.slut.year + ar, self.slut.month
            )
        return Rapportperiod.fran_datum(_flytta_datum(self.start, ar), _flytta_datum(self.slut, ar))

    def foregaende(self) -> Rapportperiod:
        """Närmast jämförbara föregående period.

        Helår: föregående år. Delår (halvår, tertial, kvartal, månads- och datumintervall):
        samma del av året ett år tidigare, så att säsongen är densamma (delårsrapporten
        januari–augusti 2021 jämförs med januari–augusti 2020). En period som är längre än ett år
        flyttas bakåt så många hela år som behövs för att den föregående inte ska överlappa.

        Examples
        --------
        >>> [Rapportperiod.tolka(k).foregaende().kod for k in ("2019", "2019H2", "2023T1")]
        ['2018', '2018H2', '2022T1']
        """
        ar = 1
        while self.forskjut(ar=-ar).overlappar(self):
            ar += 1
        return self.forskjut(ar=-ar)

    def innehaller(self, datum: Any) -> Any:
        """Sant om datumet ligger i perioden (båda ändar ingår).

        ``datum`` kan vara ett datum (date, datetime, Timestamp, ISO-text) eller en
        ``pandas.Series`` med datum; då returneras en boolesk Series (saknat datum ger False).

        Examples
        --------
        >>> p = Rapportperiod.tolka("2019")
        >>> p.innehaller("2019-12-31"), p.innehaller("2020-01-01")
        (True, False)
        """
        if _ar_serie(datum):
            import pandas as pd

            d = pd.to_datetime(datum)
            return (d >= pd.Timestamp(self.start)) & (d <= pd.Timestamp(self.slut))
        d = _som_datum(datum)
        return self.start <= d <= self.slut

    def overlappar(self, annan: Any, slut: Any = None) -> Any:
        """Sant om perioden har minst en dag gemensam med en annan period eller ett intervall.

        Parameters
        ----------
        annan : Rapportperiod, str, datum eller pandas.Series
            En annan period (eller dess kod). Annars ett startdatum, och då anger ``slut``
            intervallets sista dag; ``slut=None`` (eller saknat värde i en Series) betyder
            ett intervall som fortfarande pågår, t.ex. en deltagare som inte avslutats.
            Saknat startdatum ger False.
        slut : datum eller pandas.Series, valfri
            Intervallets sista dag (ingår).

        Examples
        --------
        >>> p = Rapportperiod.tolka("2019")
        >>> p.overlappar("2018H2"), p.overlappar("2019-12..2020-01")
        (False, True)
        >>> p.overlappar("2018-03-01", None), p.overlappar("2018-03-01", "2018-12-31")
        (True, False)
        """
        if isinstance(annan, (Rapportperiod, str)) and slut is None:
            if isinstance(annan, str):
                try:
                    annan = Rapportperiod.tolka(annan)
                except ValueError:
                    annan = Rapportperiod.fran_datum(annan, dt.date.max)
            return annan.start <= self.slut and self.start <= annan.slut
        if _ar_serie(annan) or _ar_serie(slut):
            import pandas as pd

            s = pd.to_datetime(annan)
            e = pd.to_datetime(slut) if slut is not None else None
            borjat = s <= pd.Timestamp(self.slut)
            if e is None:
                return borjat & s.notna()
            if not _ar_serie(e):
                e = pd.Series(e, index=s.index if _ar_serie(s) else None)
            inte_slutat_fore = e.isna() | (e >= pd.Timestamp(self.start))
            return borjat & inte_slutat_fore
        start_d = _som_datum(annan)
        slut_d = dt.date.max if slut is None else _som_datum(slut)
        return start_d <= self.slut and self.start <= slut_d


def _ar_serie(varde: Any) -> bool:
    return type(varde).__name__ in {"Series", "DatetimeIndex", "Index"} and hasattr(varde, "dtype")
