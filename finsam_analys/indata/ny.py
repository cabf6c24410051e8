"""``finsam-analys ny``: från förbundets egen uppföljningsfil till en förbundskatalog.

:func:`foresla_forbund` tar en läst egen fil (:func:`~finsam_analys.indata.egen_fil.las_egen_fil`)
och föreslår allt som behövs för en förbundskatalog:

- vilken kolumn i ``deltagare`` varje rubrik på varje blad motsvarar (rubriken och värdena som
  belägg, :func:`~finsam_analys.indata.mappning.foresla_kolumner`);
- vad förbundets kategorier betyder i våra kodlistor, med antal rader per värde, och vilka
  värden som inte gick att översätta;
- ``forbund.yaml`` med namn, kommuner, insatser och perioder ur datat, där varje gissning har en
  kommentar med sitt belägg;
- ``deltagare.csv``: bara de kolumner som behövs, med förbundets egna rubriker och etiketter
  (mappningen i ``forbund.yaml`` gäller när filen läses), datum som ÅÅÅÅ-MM-DD och tal som tal.
  Fritext, namn och andra personuppgifter kopieras aldrig.

:func:`skapa_forbund` läser filen, föreslår och skriver katalogen (atomärt, utan att röra
källfilen). Finns katalogen redan från en tidigare körning behålls användarens val i
``forbund.yaml`` (kolumner, kategorier, namn, kommuner, insatser, perioder ...).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from finsam_analys.indata.egen_fil import Egenfil, Radblad, las_egen_fil
from finsam_analys.indata.mappning import (
    _INTERVALL,
    _KODLISTA_FOR,
    JA,
    KODLISTOR,
    NEJ,
    PAGAENDE_ORD,
    Kolumnforslag,
    ar_tom,
    avslutstyp_ur_orsak,
    foresla_kolumner,
    forklaring_i_rubrik,
    ja_betyder,
    manaden_forst,
    normalisera,
    pagar,
    rubrikpoang,
    sortera_efter_schema,
    tolka_datum,
    tolka_kategori,
    tolka_manad,
    tolka_tal,
)
from finsam_analys.indata.validering import Problem, sla_ihop

__all__ = ["Forslag", "foresla_forbund", "skapa_forbund"]

DELTAGARFIL = "deltagare.csv"
KONFIGFIL = "forbund.yaml"
RADKOLUMN = "Rad i egen fil"
_SKAPADE_FILER = frozenset({KONFIGFIL, DELTAGARFIL})
_INTE_INSATS = re.compile(
    r"^\D*(19|20)\d{2}\D*$|^(blad|sheet|ark)\s*\d*$|^(aktiva|avslutade|pagaende|arkiv|alla|"
    r"deltagare|data|uppfoljning|lista|register|deltagarlista|inskrivna|utskrivna)$",
    re.IGNORECASE,
)
_FORBUNDSNAMN = re.compile(r"(samordningsförbund\w*\s+[^\d–—\-,;:()]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Vardeforslag:
    """Förslaget för ett av förbundets värden i en kolumn (``kod`` None = ingen kod)."""

    varde: str
    antal: int
    kod: str | None
    grund: str
    saknas: bool = False  # värdet betyder "uppgift saknas" (blir null i forbund.yaml)
    ert_val: bool = False

    @property
    def mappat(self) -> bool:
        return self.kod is not None or self.saknas


@dataclass(frozen=True)
class Forslag:
    """Allt ``ny`` föreslår för en förbundskatalog (se modulens beskrivning)."""

    id: str
    fil: str
    konfig: Mapping[str, Any]
    grunder: Mapping[str, str]
    deltagare: pd.DataFrame
    kolumner: Mapping[str, str]
    kolumnforslag: tuple[tuple[str, tuple[Kolumnforslag, ...]], ...]
    kategorier: Mapping[str, tuple[Vardeforslag, ...]]
    kategorier_tidigare: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    hoppade_blad: tuple[tuple[str, str], ...] = ()
    anmarkningar: tuple[str, ...] = ()
    vardeproblem: tuple[Problem, ...] = ()
    rader_per_blad: tuple[tuple[str, int], ...] = ()  # deltagarrader per blad i filen

    # -- sammanfattningar -----------------------------------------------------------------

    @property
    def omappade_varden(self) -> list[tuple[str, Vardeforslag]]:
        """(kolumn, förslag) för varje värde som inte fick någon kod."""
        return [(k, v) for k, lista in self.kategorier.items() for v in lista if not v.mappat]

    @property
    def ej_kopierade(self) -> list[tuple[str, Kolumnforslag]]:
        """(blad, förslag) för varje kolumn som inte mappades."""
        return [(b, f) for b, lista in self.kolumnforslag for f in lista if f.mal is None]

    def yaml_text(self) -> str:
        """``forbund.yaml`` med förslaget, en kommentar med belägg för varje gissning."""
        return _yaml_text(self)

    def sammanfattning(self, katalog: str | Path | None = None) -> str:
        """Svensk text om vad som lästes, mappades, inte mappades och vad som ska kontrolleras."""
        return _sammanfattning(self, katalog)


# ---------------------------------------------------------------------------
# Förslaget (rena funktioner)
# ---------------------------------------------------------------------------


def _text(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return re.sub(r"\s+", " ", str(v).strip())


def _neutralisera(text: str) -> str:
    """Text som Excel skulle tolka som formel får en apostrof först (CSV-filen öppnas i Excel)."""
    if text[:1] in ("=", "+", "@", "\t", "\r") or (
        text[:1] == "-" and len(text) > 1 and not re.match(r"-[\d\s.,]", text)
    ):
        return "'" + text
    return text


def _talstext(x: float) -> str:
    return f"{x:.10g}".replace(".", ",")


def _stor(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plats(fil: str, blad: Radblad) -> str:
    return f'{fil} (bladet "{blad.namn}")' if blad.namn else fil


def _pa(blad: Radblad) -> str:
    """``på bladet "Steget"`` eller ``i filen`` (en CSV-fil)."""
    return f"på {blad.plats}" if blad.namn else "i filen"


def _ar_datablad(forslag: Sequence[Kolumnforslag]) -> bool:
    return any(f.mal == "inskrivningsdatum" for f in forslag)


def _insatsnamn(blad: Radblad, fil: str, insats: str | None) -> tuple[str, str]:
    """(insatsens namn, grund) för ett blad utan insatskolumn."""
    if insats:
        return insats, "angivet med --insats"
    if blad.namn and not _INTE_INSATS.match(normalisera(blad.namn)):
        return blad.namn, "bladets namn"
    utan_ar = re.sub(r"\s*\b(19|20)\d{2}\b\s*", " ", blad.namn).strip(" -–_")
    if utan_ar and not _INTE_INSATS.match(normalisera(utan_ar)):
        return utan_ar, "bladets namn (utan årtal)"
    for rad in blad.titel:
        namn = _insats_ur_titel(rad)
        if namn:
            return namn, f'ur titelraden "{rad}" (kontrollera)'
    stam = Path(fil).stem.replace("_", " ").strip() or "Insatsen"
    return stam[:1].upper() + stam[1:], "filens namn (ange insatsen med --insats)"


_TITELORD = re.compile(
    r"\b(samordningsförbund\w*(\s+[A-ZÅÄÖ][\wåäö-]*)*|deltagaruppföljning\w*|uppföljning\w*|"
    r"deltagarförteckning\w*|deltagarlista\w*|deltagare|förteckning|register|statistik|"
    r"sammanställning|rapport|insatsen|insats|projektet|för|och|av|över|år|helår|delår|"
    r"(19|20)\d{2}(\s*[–—-]\s*(19|20)?\d{2})?)\b",
    re.IGNORECASE,
)


def _insats_ur_titel(rad: str) -> str | None:
    """Insatsens namn ur en titelrad ("Deltagaruppföljning Jobbspåret 2023" -> "Jobbspåret"):
    det som blir kvar utan förbundets namn, årtal och ord som uppföljning och deltagare, om
    det är ett till tre ord; annars None.

    >>> _insats_ur_titel("Deltagaruppföljning Jobbspåret 2023")
    'Jobbspåret'
    >>> _insats_ur_titel("Vägvisaren – uppföljning 2023–2024")
    'Vägvisaren'
    >>> _insats_ur_titel("Samordningsförbundet Östra Kustbygden"), _insats_ur_titel("2023")
    (None, None)
    >>> _insats_ur_titel("Uppdaterad 2024-05-01"), _insats_ur_titel("Ansvarig: Anna Berg")
    (None, None)
    """
    # bara en rad som är listans titel (inte "Uppdaterad av …" eller "Ansvarig: …")
    if not re.search(r"uppföljning|deltagar|förteckning|register|(19|20)\d{2}", rad, re.I):
        return None
    kvar = _TITELORD.sub(" ", rad)
    kvar = re.sub(r"[\s–—\-:,;()/]+", " ", kvar).strip()
    if not kvar or not 1 <= len(kvar.split()) <= 3 or re.search(r"\d", kvar):
        return None
    return kvar[:1].upper() + kvar[1:]


def _forbundsnamn(bladen: Sequence[Radblad], id_: str) -> tuple[str, str]:
    for b in bladen:
        for t in b.titel:
            m = _FORBUNDSNAMN.search(t)
            if m:
                namn = m.group(1).strip()
                return namn, f'ur titelraden på {b.plats}: "{t}"'
    return f"Samordningsförbundet {id_.replace('_', ' ').title()}", "gissat ur katalogens namn"


def _perioder(start: pd.Series, slut: pd.Series) -> tuple[list[str], str]:
    """Helår från första startåret till det sista året med datum; ett delår om sista året är
    ofullständigt (senaste datum före december). Datum utanför 1950–2099 (skrivfel, som
    validera visar med rad och kolumn) räknas inte."""
    from finsam_analys.indata.validering import FORSTA_DATUM, SISTA_DATUM

    start, slut = (s.where((s >= FORSTA_DATUM) & (s <= SISTA_DATUM)) for s in (start, slut))
    datum = pd.concat([start, slut]).dropna()
    if datum.empty:
        return [], "inga datum"
    forsta, sista = start.dropna().min(), datum.max()
    perioder = [str(ar) for ar in range(forsta.year, sista.year)]
    if sista.month == 12:
        perioder.append(str(sista.year))
    else:
        manad = sista.month if sista.day >= 25 else sista.month - 1
        if manad == 1:
            perioder.append(f"{sista.year}-01")
        elif manad > 1:
            perioder.append(f"{sista.year}-01..{sista.year}-{manad:02d}")
    grund = (
        f"år med deltagare: första start {forsta.date().isoformat()}, senaste datum "
        f"{sista.date().isoformat()}"
    )
    if not perioder:  # filen täcker mindre än en hel månad
        perioder.append(f"{sista.year}-{sista.month:02d}")
        grund += "; månaden är inte hel, kontrollera perioden"
    return perioder, grund


@dataclass
class _Kolumn:
    """En kolumn i deltagare.csv under uppbyggnad."""

    mal: str
    rubrik: str
    varden: list[str | None] = field(default_factory=list)
    slag: list[tuple[str, str]] = field(default_factory=list)  # (slag, källrubrik) per rad


def foresla_forbund(
    egen: Egenfil,
    *,
    id: str,
    namn: str | None = None,
    insats: str | None = None,
    tidigare: Mapping[str, Any] | None = None,
) -> Forslag:
    """Förslaget för en förbundskatalog ur förbundets egen fil (inga filer läses eller skrivs).

    Parameters
    ----------
    egen : Egenfil
        Den lästa filen (``las_egen_fil``).
    id : str
        Förbundets id (katalogens namn).
    namn : str, valfri
        Förbundets namn; standard ur titelraderna eller id.
    insats : str, valfri
        Insatsens namn för blad utan insatskolumn (standard: bladets namn).
    tidigare : mapping, valfri
        En tidigare ``forbund.yaml`` (inläst): användarens val där går före gissningarna.

    Returns
    -------
    Forslag

    Raises
    ------
    InlasningsFel
        Om inget blad har en kolumn med startdatum.

    Examples
    --------
    >>> from finsam_analys.indata.egen_fil import Egenfil, Radblad
    >>> data = pd.DataFrame({"Start": ["2023-01-05", "5/3 2023"], "Kön": ["K", "M"],
    ...                      "Avslutsorsak": ["Arbete", None]}, index=[3, 4])
    >>> f = foresla_forbund(Egenfil("egen.xlsx", (Radblad("Team", data, (2,)),)), id="test")
    >>> f.deltagare[["Start", "Kön", "Insats (bladets namn)"]].values.tolist()
    [['2023-01-05', 'K', 'Team'], ['2023-03-05', 'M', 'Team']]
    >>> dict(f.kolumner)["Kön"], [(v.varde, v.kod) for v in f.kategorier["kon"]]
    ('kon', [('K', 'Kvinna'), ('M', 'Man')])
    """
    tidigare = dict(tidigare or {})
    beslut = dict((tidigare.get("kolumner") or {}).get("deltagare") or {})
    kategorier_tidigare: dict[str, dict[str, Any]] = {
        str(k): dict(v)
        for k, v in (tidigare.get("kategorier") or {}).items()
        if isinstance(v, dict)
    }
    anmarkningar: list[str] = []
    vardeproblem: list[Problem] = []
    avslutsblad: list[tuple[Radblad, list[Kolumnforslag]]] = []
    datablad, alla_forslag, hoppade = _datablad(egen, beslut, anmarkningar, avslutsblad)
    har_slutdatum = any(
        f.mal == "avslutsdatum" for _, fl in [*datablad, *avslutsblad] for f in fl
    )  # fmt: skip
    bygge = _Kolumnbygge()
    grunder_insats: set[str] = set()
    for b, forslag in datablad:
        start = bygge.nytt_blad(len(b.data), b.namn)
        plats = _plats(egen.fil, b)
        mappade = {f.mal: f.rubrik for f in forslag if f.mal}
        _mappade_kolumner(
            bygge, b, mappade, start, plats, har_slutdatum, vardeproblem, anmarkningar
        )
        if "insats" not in mappade:
            namn_insats, grund = _insatsnamn(b, egen.fil, insats)
            grunder_insats.add(grund)
            rubrik = "Insats (bladets namn)" if grund.startswith("bladets namn") else "Insats"
            k = bygge.kolumn("insats", rubrik)
            for i in range(len(b.data)):
                k.varden[start + i] = namn_insats
        anmarkningar += _id_och_radkolumn(bygge, b, mappade, start)
    if avslutsblad:
        anmarkningar += _koppla_avslut(bygge, avslutsblad, egen.fil, vardeproblem)
    anmarkningar += bygge.utan_startdatum()
    anmarkningar += bygge.sla_ihop_blad()
    anmarkningar += bygge.en_stavning("insats") + bygge.en_stavning("folkbokforingskommun")
    kolumner = bygge.oskadliggjorda()

    ordning = sortera_efter_schema([m for m in kolumner if m != "kommentar"]) + ["kommentar"]
    deltagare = pd.DataFrame(
        {kolumner[m].rubrik: pd.Series(kolumner[m].varden, dtype="str") for m in ordning}
    )
    kolumnmappning = {kolumner[m].rubrik: m for m in ordning}

    # kategorier
    kategorier: dict[str, tuple[Vardeforslag, ...]] = {}
    for m in ordning:
        if m not in _KODLISTA_FOR:
            continue
        kategorier[m] = tuple(_kategoriforslag(m, kolumner[m], kategorier_tidigare))

    konfig, grunder = _konfig(
        egen, datablad, deltagare, kolumner, id_=id, namn=namn, tidigare=tidigare,
        insatsgrund=" och ".join(sorted(grunder_insats)) or None,
    )  # fmt: skip
    for g in sorted(grunder_insats):
        if g.startswith("ur titelraden"):
            anmarkningar.append(
                f"Insatsens namn är taget {g.removesuffix(' (kontrollera)')}; ändra under "
                "insatser i forbund.yaml och kör ny igen, eller ange --insats, om det är fel"
            )
    if any(g.startswith("filens namn") for g in grunder_insats):
        anmarkningar.append(
            f"Insatsens namn är gissat ur filens namn ({konfig['insatser'][0]}); ändra under "
            "insatser i forbund.yaml och kör ny igen, eller ange --insats"
        )
    return Forslag(
        id=id,
        fil=egen.fil,
        konfig=konfig,
        grunder=grunder,
        deltagare=deltagare,
        kolumner=kolumnmappning,
        kolumnforslag=tuple(alla_forslag),
        kategorier=kategorier,
        kategorier_tidigare=kategorier_tidigare,
        hoppade_blad=tuple(hoppade),
        anmarkningar=tuple(anmarkningar),
        vardeproblem=tuple(sla_ihop(vardeproblem)),
        rader_per_blad=tuple((b.namn, len(b.data)) for b, _ in datablad),
    )


def _idnyckel(varde: Any) -> str:
    """Ett id som det jämförs mellan blad: utan inledande nollor ("007" och 7 är samma
    löpnummer) och utan skillnad på stora och små bokstäver ("k34" och "K34").

    >>> _idnyckel("007"), _idnyckel("7"), _idnyckel(" k34 "), _idnyckel("0")
    ('7', '7', 'k34', '0')
    """
    text = str(varde).strip().casefold()
    return (text.lstrip("0") or "0") if text.isdigit() else text


class _Kolumnbygge:
    """deltagare.csv:s kolumner under uppbyggnad, blad för blad (en rad per deltagarrad)."""

    def __init__(self) -> None:
        self.kolumner: dict[str, _Kolumn] = {}
        self.antal_rader = 0
        self.blad: list[str] = []  # bladets namn per rad

    def nytt_blad(self, n: int, namn: str = "") -> int:
        """Lägg till ``n`` tomma rader i alla kolumner; bladets första rad."""
        start = self.antal_rader
        self.antal_rader += n
        self.blad.extend([namn] * n)
        for k in self.kolumner.values():
            k.varden.extend([None] * n)
            k.slag.extend([("", "")] * n)
        return start

    def sla_ihop_blad(self) -> list[str]:
        """Ett deltagande som står på flera blad (samma id, insats och startdatum, t.ex. ett
        blad per år där de som fortsätter står kvar) blir en rad; anmärkningarna.

        Det senare bladets ifyllda värden gäller (där står avslutet), utom åldern, som tas från
        det första (åldern vid inskrivningen). Värden som skiljer sig nämns. Samma deltagande
        två gånger på *samma* blad slås inte ihop (det är ett fel i filen som validera visar).
        """
        if "deltagare_id" not in self.kolumner or "inskrivningsdatum" not in self.kolumner:
            return []
        if not any(s[0] == "direkt" for s in self.kolumner["deltagare_id"].slag):
            return self._lika_utan_id()
        idk, start = self.kolumner["deltagare_id"], self.kolumner["inskrivningsdatum"]
        insats = self.kolumner.get("insats")
        forsta: dict[tuple, int] = {}
        grupper: dict[int, list[int]] = {}
        for i in range(self.antal_rader):
            if idk.slag[i][0] != "direkt" or start.varden[i] is None:
                continue  # id skapat av ny: varje rad är ett eget deltagande
            nyckel = (_idnyckel(idk.varden[i]), insats.varden[i] if insats else None,
                      start.varden[i])  # fmt: skip
            j = forsta.setdefault(nyckel, i)
            if j != i and self.blad[i] not in {self.blad[r] for r in grupper.get(j, [j])}:
                grupper.setdefault(j, [j]).append(i)
        if not grupper:
            return []
        exempel = next(iter(grupper.values()))
        var = " och ".join(f'bladet "{self.blad[r]}"' for r in exempel)
        ex_id = idk.varden[exempel[0]]
        bort: set[int] = set()
        olika: dict[str, list[str]] = {}
        for rader in grupper.values():
            sista = rader[-1]
            for k in self.kolumner.values():
                if k.mal in ("kommentar", "deltagare_id"):
                    continue
                varden = [(r, k.varden[r]) for r in rader if k.varden[r] is not None]
                if not varden:
                    continue
                if len({v for _, v in varden}) > 1:
                    olika.setdefault(k.rubrik, []).append(str(idk.varden[sista]))
                r = varden[0][0] if k.mal == "alder" else varden[-1][0]
                k.varden[sista], k.slag[sista] = k.varden[r], k.slag[r]
            if "kommentar" in self.kolumner:
                rad = self.kolumner["kommentar"].varden
                rad[sista] = "; ".join(str(rad[r]) for r in rader)
            bort.update(rader[:-1])
        self._behall([i for i in range(self.antal_rader) if i not in bort])
        ut = [
            f"{len(grupper)} deltaganden står på flera blad (samma id, insats och startdatum, "
            f"t.ex. {ex_id} på {var}): de räknas en gång var, med det senare bladets värden "
            f"(där står avslutet); {len(bort)} rader färre än i filen"
        ]
        for rubrik, idn in olika.items():
            alder = "alder" in self.kolumner and rubrik == self.kolumner["alder"].rubrik
            ut.append(
                f'"{rubrik}" skiljer sig mellan bladen för {len(idn)} av dem (t.ex. id '
                f"{', '.join(idn[:3])}): "
                + ("åldern från det första bladet används (vid inskrivningen)" if alder
                   else "det senare bladets värde används; kontrollera i er fil")
            )  # fmt: skip
        return ut

    def _behall(self, behall: Sequence[int]) -> None:
        for k in self.kolumner.values():
            k.varden = [k.varden[i] for i in behall]
            k.slag = [k.slag[i] for i in behall]
        self.blad = [self.blad[i] for i in behall]
        self.antal_rader = len(behall)

    def utan_startdatum(self) -> list[str]:
        """Rader utan startdatum (anmälda som inte börjat, en väntelista) är inga deltaganden:
        de tas bort och nämns per blad med raderna som i Excel. En rad vars id finns med ett
        startdatum på ett annat blad förs först till det deltagandet."""
        start = self.kolumner["inskrivningsdatum"]
        tomma = [i for i in range(self.antal_rader) if start.varden[i] is None]
        if not tomma:
            return []
        ut = self._koppla_utan_start(tomma)
        rad = self.kolumner["kommentar"].varden if "kommentar" in self.kolumner else None
        per_blad: dict[str, list[str]] = {}
        for i in tomma:
            if not self._kopplad[i]:
                text = str(rad[i]) if rad else str(i)
                per_blad.setdefault(self.blad[i], []).append(text.split()[-1])
        self._behall([i for i in range(self.antal_rader) if start.varden[i] is not None])
        return ut + [
            f"{len(rader)} rader {'på bladet ' + chr(34) + blad + chr(34) if blad else 'i filen'} "
            f"har inget startdatum (rad {', '.join(rader[:10])}{' …' if len(rader) > 10 else ''})"
            ": de räknas inte som deltaganden (anmälda som inte börjat?); skriv startdatumet i "
            "er fil och kör ny igen om de har börjat"
            for blad, rader in per_blad.items()
        ]

    def _koppla_utan_start(self, tomma: Sequence[int]) -> list[str]:
        """Rader utan startdatum vars id finns på ett annat blad med ett startdatum (ett blad
        per år där de som fortsätter bara står med id och avslut): värdena förs till det
        deltagandet (det som startat senast före slutdatumet) och raden tas bort."""
        idk = self.kolumner["deltagare_id"]
        start = self.kolumner["inskrivningsdatum"]
        slut = self.kolumner.get("avslutsdatum")
        self._kopplad = [False] * self.antal_rader
        per_id: dict[str, list[int]] = {}
        for i in range(self.antal_rader):
            if idk.slag[i][0] == "direkt" and start.varden[i] is not None:
                per_id.setdefault(_idnyckel(idk.varden[i]), []).append(i)
        kopplade: Counter[str] = Counter()
        for i in tomma:
            if idk.slag[i][0] != "direkt":
                continue
            s = slut.varden[i] if slut else None
            kandidater = [
                j for j in per_id.get(_idnyckel(idk.varden[i]), [])
                if self.blad[j] != self.blad[i] and (s is None or start.varden[j] <= s)
            ]  # fmt: skip
            if not kandidater:
                continue
            j = max(kandidater, key=lambda j: start.varden[j])
            for k in self.kolumner.values():
                if k.mal in ("deltagare_id", "kommentar") or k.varden[i] is None:
                    continue
                if k.mal == "alder" and k.varden[j] is not None:
                    continue
                k.varden[j], k.slag[j] = k.varden[i], k.slag[i]
            if "kommentar" in self.kolumner:
                rad = self.kolumner["kommentar"].varden
                rad[j] = f"{rad[j]}; {rad[i]}"
            self._kopplad[i] = True
            kopplade[self.blad[i]] += 1
        return [
            f'{n} rader utan startdatum på bladet "{blad}" har ett id som finns med startdatum '
            "på ett annat blad och fördes till det deltagandet (samma deltagande, t.ex. ett "
            "blad per år)"
            for blad, n in kopplade.items()
        ]

    def en_stavning(self, mal: str) -> list[str]:
        """Samma namn med olika skiftläge eller blanksteg ("Steget", "steget ", "STEGET") blir
        den vanligaste stavningen; anmärkningarna."""
        if mal not in self.kolumner:
            return []
        k = self.kolumner[mal]
        antal = Counter(v for v in k.varden if v is not None)
        grupper: dict[str, list[str]] = {}
        for v, _ in antal.most_common():
            grupper.setdefault(" ".join(v.split()).casefold(), []).append(v)
        byt = {v: stavningar[0] for stavningar in grupper.values() for v in stavningar[1:]}
        if not byt:
            return []
        k.varden = [byt.get(v, v) if v is not None else None for v in k.varden]
        return [
            f'"{v}" i "{k.rubrik}" ({antal[v]} rader) skrevs som "{ny}", den vanligaste '
            "stavningen"
            for v, ny in byt.items()
        ]

    def _lika_utan_id(self) -> list[str]:
        """Utan id kan ny inte veta om en rad på ett senare blad är samma deltagande som en
        rad på ett tidigare (ett blad per år där de som fortsätter står kvar): rader med samma
        startdatum och samma bakgrund (allt utom avslutet) på olika blad nämns, men räknas
        som olika deltaganden."""
        if len(set(self.blad)) < 2:
            return []
        avslut = {"avslutsdatum", "avslutsorsak", "avslutstyp", "forsorjning_ut",
                  "halsopoang_slut", "steg_slut", "kommentar", "deltagare_id",
                  "uppfoljning_6_man", "uppfoljning_12_man", "uppfoljning_18_man"}  # fmt: skip
        bakgrund = [k for k in self.kolumner.values() if k.mal not in avslut]
        forsta: dict[tuple, str] = {}
        lika = 0
        exempel = ""
        for i in range(self.antal_rader):
            nyckel = tuple(k.varden[i] for k in bakgrund)
            blad = forsta.setdefault(nyckel, self.blad[i])
            if blad != self.blad[i]:
                lika += 1
                exempel = exempel or f'bladet "{blad}" och bladet "{self.blad[i]}"'
        if not lika:
            return []
        return [
            f"{lika} rader har samma startdatum och bakgrund som en rad på ett tidigare blad "
            f"(t.ex. {exempel}). Filen har inget id, så de räknas som olika deltaganden; står "
            "samma deltagande på flera blad (ett blad per år), lägg till ett löpnummer i er fil "
            "och kör ny igen"
        ]

    def oskadliggjorda(self) -> dict[str, _Kolumn]:
        """Kolumnerna med varje rubrik och värde som Excel skulle tolka som formel
        oskadliggjort (:func:`_neutralisera`): cellernas värden, men också rubrikerna och det
        som ny skriver själv ur bladens namn (insatsen, id, raden i egen fil). Allt som sedan
        skrivs, i deltagare.csv och i forbund.yaml, utgår från samma text."""
        for k in self.kolumner.values():
            k.rubrik = _neutralisera(k.rubrik)
            k.varden = [None if v is None else _neutralisera(v) for v in k.varden]
        return self.kolumner

    def kolumn(self, mal: str, rubrik: str) -> _Kolumn:
        """Kolumnen för ``mal`` (skapas tom med ``rubrik``, som görs unik, första gången)."""
        if mal not in self.kolumner:
            upptagna = {k.rubrik for k in self.kolumner.values()}
            if rubrik in upptagna:
                rubrik = f"{rubrik} ({mal})"
            n = self.antal_rader
            self.kolumner[mal] = _Kolumn(mal, rubrik, [None] * n, [("", "")] * n)
        return self.kolumner[mal]


def _forklaringsblad(b: Radblad) -> list[tuple[str, dict[str, str]]]:
    """Kodförklaringar på ett blad utan deltagare: två kolumner bredvid varandra med korta
    koder och deras betydelse, i den ena eller andra ordningen ("Kod | Avslutsorsak",
    "Kön | Kod"): (rubriken på betydelsen, koderna -> betydelserna)."""
    ut = []
    kolumner = list(b.data.columns)
    par_av_kolumner = [
        *zip(kolumner, kolumner[1:], strict=False),
        *((t, k) for k, t in zip(kolumner, kolumner[1:], strict=False)),
    ]
    for kod, text in par_av_kolumner:
        par: dict[str, str] = {}
        for k, t in zip(b.data[kod], b.data[text], strict=True):
            if ar_tom(k) and ar_tom(t):
                continue
            ks = _text(k) if not ar_tom(k) else ""
            if (
                not ks or len(ks) > 3 or ks in par or not isinstance(t, str)
                or tolka_tal(t) is not None
            ):  # fmt: skip
                par = {}
                break
            par[ks] = _text(t)
        if len(par) >= 2:
            ut.append((str(text), par))
    return ut


def _utan_anvisningsrader(
    b: Radblad, forslag: Sequence[Kolumnforslag]
) -> tuple[Radblad, list[str]]:
    """Bladet utan rader direkt under rubriken som är anvisningar för ifyllnad ("åååå-mm-dd",
    "K/M", "välj i listan"): startdatumet är text utan siffror, och ingen cell på raden är ett
    datum (högst tre rader, före den första raden med ett startdatum); och utan rader sist i
    tabellen utan något datum och med ett tal eller inget i startdatumet (summor och antal
    under kolumnerna, högst fem)."""
    import dataclasses

    startkolumn = next(f.rubrik for f in forslag if f.mal == "inskrivningsdatum")
    bort = []
    for rad, varden in b.data.head(3).iterrows():
        start = varden[startkolumn]
        # en anvisning har inga siffror ("åååå-mm-dd", "datum"); ett felskrivet datum har det
        if ar_tom(start) or re.search(r"\d", _text(start)):
            break
        if any(tolka_datum(v) is not None for v in varden if not ar_tom(v)):
            break
        bort.append(rad)
    # rader sist i tabellen utan något datum ("=ANTAL(...)" under kolumnerna) är summor
    sist = []
    for rad, varden in b.data.iloc[::-1].head(5).iterrows():
        if rad in bort or any(tolka_datum(v) is not None for v in varden if not ar_tom(v)):
            break
        tal = None if ar_tom(varden[startkolumn]) else tolka_tal(varden[startkolumn])
        if not ar_tom(varden[startkolumn]) and (tal is None or 1900 <= tal <= 2100):
            break  # text eller ett årtal i startdatumet: ett fel som ska synas, ingen summa
        sist.append(rad)
    notiser = []
    if sist:
        notiser.append(
            f"{_stor(b.plats)}: rad {', '.join(map(str, sorted(sist)))} sist i tabellen har "
            "inget datum (summor eller antal under kolumnerna, eller en rad utan startdatum) "
            "och hoppades över"
        )
        b = dataclasses.replace(b, data=b.data.drop(index=sist))
    if not bort:
        return b, notiser
    exempel = ", ".join(
        dict.fromkeys(f'"{_text(v)}"' for v in b.data.loc[bort[0]] if not ar_tom(v))
    )  # fmt: skip
    rader = ", ".join(map(str, bort))
    notis = (
        f"{_stor(b.plats)}: rad {rader} direkt under rubriken ser ut som en anvisning för "
        f"ifyllnad, inte en deltagare ({exempel[:120]}), och hoppades över"
    )
    return dataclasses.replace(b, data=b.data.drop(index=bort)), [notis, *notiser]


_KRYSS = frozenset({"x", "ja", "j", "1", "v", "yes", "sant", "true"})
# kodlistor som förbund skriver som en kryss-kolumn per kategori: (kodlista, kolumnnamn, mål)
_KRYSSLISTOR = (
    ("UTFALL", "Avslutsorsak", ("avslutsorsak",)),
    ("FORSORJNING", "Försörjning", ("forsorjning_in", "forsorjning_ut")),
    ("KON", "Kön", ("kon",)),
    ("REMITTENT", "Remittent", ("remittent",)),
)


def _ar_krysskolumn(serie: pd.Series) -> bool:
    """Sant när kolumnens ifyllda värden bara är kryss ("x", "X", "Ja", "1"; "Nej" får stå)."""
    varden = [normalisera(_text(v)) for v in serie if not ar_tom(v)]
    return bool(varden) and all(v in _KRYSS or v in NEJ for v in varden) and any(
        v in _KRYSS for v in varden
    )


def _ordprefix(rubriker: Sequence[str]) -> str:
    """Rubrikernas gemensamma början i hela ord ("Vid avslut " i "Vid avslut Arbete")."""
    prefix = os.path.commonprefix(list(rubriker))
    return prefix[: prefix.rfind(" ") + 1] if " " in prefix else ""


def _kryssgrupp(grupp: Sequence[str]) -> tuple[str, str, list[str]] | None:
    """(kodlista, kolumnens namn, etiketterna) om varje rubrik i gruppen, utan den gemensamma
    början, är en kategori i samma kodlista; annars None. En grupprubrik som säger vad
    kolumnen är avgör mellan kodlistor ("Sysselsättning efter avslut": utfall)."""
    prefix = _ordprefix(grupp)
    etiketter = [g[len(prefix) :].strip() or g for g in grupp]
    passande = [
        (kodlista, namn, mal)
        for kodlista, namn, mal in _KRYSSLISTOR
        if all(tolka_kategori(e, kodlista)[0] is not None for e in etiketter)
    ]
    if not passande:
        return None
    if prefix.strip():
        for kodlista, _namn, mal in passande:
            if any(rubrikpoang(prefix, m)[0] >= 0.7 for m in mal):
                return kodlista, prefix.strip(), etiketter
    kodlista, namn, mal = passande[0]
    kolumn = f"{prefix}{namn.lower()}" if prefix.strip() else namn
    return kodlista, kolumn, etiketter


def _kryssgrupper(b: Radblad) -> list[tuple[list[str], str, list[str]]]:
    """Grupperna av kryss-kolumner bredvid varandra: (rubrikerna, nya namnet, etiketterna).

    En grupp växer kolumn för kolumn så länge alla rubriker hör till samma kodlista och den
    gemensamma början inte krymper; en tom kolumn (en kategori som ingen har) får vara med
    mitt i en grupp."""
    kolumner = [str(k) for k in b.data.columns]
    kryss = [_ar_krysskolumn(b.data[k]) for k in kolumner]
    tom = [not any(not ar_tom(v) for v in b.data[k]) for k in kolumner]
    ut, j = [], 0
    while j < len(kolumner):
        if not kryss[j]:
            j += 1
            continue
        basta, k = None, j + 2
        while k <= len(kolumner) and (kryss[k - 1] or tom[k - 1]):
            grupp = kolumner[j:k]
            tolkad = _kryssgrupp(grupp)
            if tolkad is None or (basta and len(_ordprefix(grupp)) < len(_ordprefix(basta[0]))):
                break
            if kryss[k - 1]:
                basta = (grupp, tolkad[1], tolkad[2])
            k += 1
        if basta is None:
            j += 1
            continue
        ut.append(basta)
        j += len(basta[0])
    return ut


def _kryss_till_kolumner(b: Radblad) -> tuple[Radblad, list[str]]:
    """Kolumner bredvid varandra med ett kryss per kategori ("Arbete", "Studier", "Annat" med
    x; "Kvinna", "Man") blir en kolumn med den kryssade kategorins namn per rad; två kryss på
    samma rad blir "A + B" (som ny inte gissar). En grupprubrik ("Sysselsättning efter avslut"
    över kryssen) blir kolumnens namn, annars namnet för kodlistan (Avslutsorsak, Försörjning,
    Kön, Remittent)."""
    import dataclasses

    data, notiser = b.data, []
    for grupp, namn, etiketter in _kryssgrupper(b):
        if namn in data.columns:
            namn = f"{namn} (ur kryssen)"
        varden = []
        for _, rad in b.data[grupp].iterrows():
            valda = [
                e for g, e in zip(grupp, etiketter, strict=True)
                if not ar_tom(rad[g]) and normalisera(_text(rad[g])) in _KRYSS
            ]  # fmt: skip
            varden.append(" + ".join(valda) if valda else None)
        plats = list(data.columns).index(grupp[0])
        data = data.drop(columns=grupp)
        data.insert(plats, namn, pd.Series(varden, index=b.data.index, dtype=object))
        notiser.append(
            "Kolumnerna " + ", ".join(f'"{g}"' for g in grupp) + f" {_pa(b)} är kryss för "
            f'samma uppgift och lästes som en kolumn, "{namn}", med den kryssade kolumnens '
            "namn som värde"
        )
    if not notiser:
        return b, []
    return dataclasses.replace(b, data=data), notiser


def _forklaring_passar(rubrik: str, namn: str) -> bool:
    """Sant när en förklarings rubrik ("Avslutsorsak") gäller kolumnen ``rubrik``
    ("Avslutsorsak (kod)", "Orsak till avslut")."""
    a = normalisera(re.sub(r"\([^)]*\)", " ", rubrik))
    b = normalisera(namn)
    if a and b and (a in b or b in a):
        return True
    return any(
        rubrikpoang(rubrik, mal)[0] >= 0.7 and rubrikpoang(namn, mal)[0] >= 0.7
        for mal in _KODLISTA_FOR
    )


def _oversatt_koder(
    b: Radblad, forklaringar: Sequence[tuple[str, str, Mapping[str, str]]]
) -> tuple[Radblad, list[str]]:
    """Bladet med koder översatta till sina betydelser, där filen förklarar dem: i rubriken
    ("Kön (1=man, 2=kvinna)") eller på ett eget blad (Kod | Avslutsorsak); anmärkningarna."""
    import dataclasses

    data = b.data
    notiser: list[str] = []
    for rubrik in b.data.columns:
        varden = {_text(v) for v in b.data[rubrik] if not ar_tom(v)}
        if not varden:
            continue
        kallor = [("rubriken", forklaring_i_rubrik(str(rubrik)))] + [
            (f'bladet "{blad}"', par)
            for blad, namn, par in forklaringar
            if _forklaring_passar(str(rubrik), namn)
        ]
        for kalla, par in kallor:
            if not par or not varden <= set(par):
                continue
            if data is b.data:
                data = b.data.copy()
            data[rubrik] = [v if ar_tom(v) else par[_text(v)] for v in b.data[rubrik]]
            lista = ", ".join(f"{k} = {t}" for k, t in list(par.items())[:6])
            notiser.append(
                f'Koderna i "{rubrik}" {_pa(b)} är översatta med förklaringen i {kalla} '
                f"({lista}{', …' if len(par) > 6 else ''}); kontrollera att den gäller"
            )
            break
    if data is b.data:
        return b, []
    return dataclasses.replace(b, data=data), notiser


_AVSLUTSBLAD = re.compile(r"avslut|utskriv|utskrivn|avslutade|slutade", re.IGNORECASE)


def _datum_pa_avslutsblad(
    b: Radblad, forslag: list[Kolumnforslag]
) -> list[Kolumnforslag]:
    """På ett blad som heter som avslut ("Avslutade", "Utskrivna") är en kolumn som bara
    heter "Datum" slutdatumet, inte startdatumet, när bladet inte har något annat slutdatum."""
    if not _AVSLUTSBLAD.search(b.namn) or any(f.mal == "avslutsdatum" for f in forslag):
        return forslag
    return [
        Kolumnforslag(
            f.rubrik, "avslutsdatum", 0.5,
            f'rubriken "{f.rubrik}" på bladet "{b.namn}" (ett blad med avslut)', "mappad",
            f.ifyllda,
        )  # fmt: skip
        if f.mal == "inskrivningsdatum" and f.poang < 0.7 and f.grund != "ert val i forbund.yaml"
        else f
        for f in forslag
    ]


def _ar_avslutsblad(forslag: Sequence[Kolumnforslag], b: Radblad) -> bool:
    """Ett blad med avslut men utan startdatum (id, slutdatum, orsak): "Avslutade"."""
    mal = {f.mal for f in forslag}
    return (
        not b.data.empty and "inskrivningsdatum" not in mal
        and {"deltagare_id", "avslutsdatum"} <= mal
    )  # fmt: skip


def _koppla_avslut(
    bygge: _Kolumnbygge,
    avslutsblad: Sequence[tuple[Radblad, Sequence[Kolumnforslag]]],
    fil: str,
    vardeproblem: list[Problem],
) -> list[str]:
    """Avslut på egna blad (id, slutdatum, orsak … men inget startdatum) kopplas till
    deltagandet med samma id (och insats, om bladet har en): det som startat senast före
    slutdatumet. Avslut vars id inte finns bland deltagarna nämns och kopieras inte."""
    anm: list[str] = []
    idk, startk = bygge.kolumner["deltagare_id"], bygge.kolumner["inskrivningsdatum"]
    per_id: dict[str, list[int]] = {}
    for i, v in enumerate(idk.varden):
        if idk.slag[i][0] == "direkt":
            per_id.setdefault(_idnyckel(v), []).append(i)
    for b, forslag in avslutsblad:
        mappade = {f.mal: f.rubrik for f in forslag if f.mal}
        tmp = _Kolumnbygge()
        tmp.nytt_blad(len(b.data), b.namn)
        _mappade_kolumner(tmp, b, mappade, 0, _plats(fil, b), True, vardeproblem, anm)
        saknas, kopplade = [], 0
        for r, rad in enumerate(b.data.index):
            idv = tmp.kolumner["deltagare_id"].varden[r]
            slut = tmp.kolumner["avslutsdatum"].varden[r]
            kandidater = [
                i for i in per_id.get(_idnyckel(idv), [])
                if slut is None or startk.varden[i] is None or startk.varden[i] <= slut
            ]  # fmt: skip
            if "insats" in tmp.kolumner:
                kandidater = [
                    i for i in kandidater
                    if bygge.kolumner["insats"].varden[i] == tmp.kolumner["insats"].varden[r]
                ]  # fmt: skip
            if not kandidater:
                if idv is not None:
                    saknas.append(str(idv))
                continue
            i = max(kandidater, key=lambda i: startk.varden[i] or "")
            kopplade += 1
            for k in tmp.kolumner.values():
                if k.mal in ("deltagare_id", "insats", "kommentar") or k.varden[r] is None:
                    continue
                mal = bygge.kolumn(k.mal, k.rubrik)
                mal.varden[i], mal.slag[i] = k.varden[r], k.slag[r]
            if "kommentar" in bygge.kolumner:
                bygge.kolumner["kommentar"].varden[i] += f"; {b.namn} rad {rad}"
        anm.append(
            f'Bladet "{b.namn}" har avslut utan startdatum: {kopplade} av {len(b.data)} rader '
            "kopplades till deltagandet med samma id (det som startat senast före slutdatumet)"
        )
        if saknas:
            anm.append(
                f'{len(saknas)} avslut på bladet "{b.namn}" har ett id som inte finns bland '
                f"deltagarna (t.ex. {', '.join(saknas[:3])}) och kopierades inte"
            )
    return anm


def _datablad(
    egen: Egenfil,
    beslut: Mapping[str, Any],
    anmarkningar: list[str],
    avslutsblad: list[tuple[Radblad, list[Kolumnforslag]]] | None = None,
) -> tuple[
    list[tuple[Radblad, list[Kolumnforslag]]],
    list[tuple[str, tuple[Kolumnforslag, ...]]],
    list[tuple[str, str]],
]:
    """Bladen med deltagare (en kolumn med startdatum) och deras kolumnförslag, och bladen som
    hoppades över. Kastar ``InlasningsFel`` om inget blad har deltagare."""
    from finsam_analys.indata.inlasning import InlasningsFel

    hoppade = list(egen.hoppade_blad)
    datablad: list[tuple[Radblad, list[Kolumnforslag]]] = []
    alla_forslag: list[tuple[str, tuple[Kolumnforslag, ...]]] = []
    forslag_per_blad = [
        (b, _datum_pa_avslutsblad(b, foresla_kolumner(b.data, beslut=beslut)))
        for b in egen.blad
    ]
    # kodförklaringar på blad utan deltagare ("Koder": Kod | Avslutsorsak)
    forklaringar = [
        (b.namn, namn, par)
        for b, forslag in forslag_per_blad
        if not _ar_datablad(forslag) or b.data.empty
        for namn, par in _forklaringsblad(b)
    ]
    for b, forslag in forslag_per_blad:
        if _ar_avslutsblad(forslag, b) and avslutsblad is not None:
            oversatt, notiser = _oversatt_koder(b, forklaringar)
            oversatt, notiser_kryss = _kryss_till_kolumner(oversatt)
            if notiser or notiser_kryss:
                b, forslag = oversatt, foresla_kolumner(oversatt.data, beslut=beslut)
                anmarkningar += notiser + notiser_kryss
            avslutsblad.append((b, forslag))
            alla_forslag.append((b.namn, tuple(forslag)))
            continue
        if not _ar_datablad(forslag) or b.data.empty:
            if any(blad == b.namn for blad, _, _ in forklaringar):
                orsak = "kodförklaringar (används för kolumner med koder), inga deltagare"
            else:
                orsak = "ingen kolumn med startdatum (inga deltagare)"
            hoppade.append((b.namn, orsak))
            continue
        utan, notiser = _utan_anvisningsrader(b, forslag)
        oversatt, notiser_koder = _oversatt_koder(utan, forklaringar)
        oversatt, notiser_kryss = _kryss_till_kolumner(oversatt)
        notiser += notiser_koder + notiser_kryss
        if notiser:
            b, forslag = oversatt, foresla_kolumner(oversatt.data, beslut=beslut)
            anmarkningar += notiser
        datablad.append((b, forslag))
        alla_forslag.append((b.namn, tuple(forslag)))
    if not datablad:
        raise InlasningsFel(
            [
                Problem(
                    "hittade ingen tabell med deltagare",
                    fil=egen.fil,
                    forvantat="ett blad med en rubrikrad och en kolumn med startdatum "
                    '(t.ex. "Start", "Startdatum" eller "Inskrivningsdatum"); ange bladet '
                    "med --blad om det finns flera",
                    kod="tom_fil",
                )
            ]
        )
    return datablad, alla_forslag, hoppade


def _mappade_kolumner(
    bygge: _Kolumnbygge,
    b: Radblad,
    mappade: Mapping[str, str],
    start: int,
    plats: str,
    har_slutdatum: bool,
    vardeproblem: list[Problem],
    anmarkningar: list[str],
) -> None:
    """Bladets mappade kolumner in i deltagare.csv (avslutstyp ur orsaken när den saknas)."""
    n = len(b.data)
    if "avslutsdatum" in mappade:
        slut_finns = [not ar_tom(v) and not pagar(v) for v in b.data[mappade["avslutsdatum"]]]
    else:
        slut_finns = [False] * n
    # månaden först (3/25/2024) i en datumkolumn gäller bladets alla datum
    manad_forst = manaden_forst(
        [v for m in ("inskrivningsdatum", "avslutsdatum") if m in mappade
         for v in b.data[mappade[m]]]
    )  # fmt: skip
    for mal, rubrik in mappade.items():
        if mal in ("avslutsorsak", "avslutstyp") and not har_slutdatum:
            anmarkningar.append(
                f'"{rubrik}" {_pa(b)} kopieras inte: filen har inget slutdatum, så '
                "avslut kan inte räknas"
            )
            continue
        k = bygge.kolumn(mal, rubrik)
        janej = mal == "avslutstyp" and sum(
            normalisera(v) in JA | NEJ for v in b.data[rubrik] if not ar_tom(v)
        ) > 0.5 * max(1, sum(not ar_tom(v) for v in b.data[rubrik]))
        slag = ("janej", rubrik) if janej else ("direkt", rubrik)
        _fyll(
            k, start, b, rubrik, mal, slag, slut_finns, plats, vardeproblem, anmarkningar,
            manad_forst=manad_forst,
        )  # fmt: skip
    # avslutstyp ur avslutsorsaken när bladet saknar en egen kolumn för det
    if "avslutstyp" not in mappade and "avslutsorsak" in mappade and har_slutdatum:
        rubrik = mappade["avslutsorsak"]
        k = bygge.kolumn("avslutstyp", f"Avslutstyp (ur {rubrik})")
        _fyll(
            k, start, b, rubrik, "avslutstyp", ("ur_orsak", rubrik), slut_finns, plats,
            vardeproblem, anmarkningar,
        )  # fmt: skip


def _id_och_radkolumn(
    bygge: _Kolumnbygge, b: Radblad, mappade: Mapping[str, str], start: int
) -> list[str]:
    """Id (skapat efter bladet och raden där det saknas) och radkolumnen; anmärkningarna."""
    anmarkningar = []
    if "deltagare_id" not in mappade:
        anmarkningar.append(
            f"{_stor(b.plats)} har ingen kolumn med deltagarens id: varje rad räknas "
            "som ett eget deltagande (id = bladet och raden)"
        )
    k = bygge.kolumn("deltagare_id", "Id (skapat av ny)")
    saknade = 0
    for i, rad in enumerate(b.data.index):
        if k.varden[start + i] is None:
            k.varden[start + i] = f"{b.namn or 'rad'}-{rad}"
            saknade += "deltagare_id" in mappade
    if saknade:
        anmarkningar.append(
            f'{saknade} rader {_pa(b)} saknar id i "{mappade["deltagare_id"]}" och fick '
            "id efter bladet och raden"
        )
    k = bygge.kolumn("kommentar", RADKOLUMN)
    for i, rad in enumerate(b.data.index):
        k.varden[start + i] = f"{b.namn} rad {rad}" if b.namn else f"rad {rad}"
    if b.hoppade:
        anmarkningar.append(
            f"{_stor(b.plats)}: rad {', '.join(map(str, b.hoppade))} under eller i "
            "tabellen är inte deltagare (summarad, mellanrubrik eller anteckning) och hoppades över"
        )
    return anmarkningar


def _fyll(
    k: _Kolumn,
    start: int,
    b: Radblad,
    rubrik: str,
    mal: str,
    slag: tuple[str, str],
    slut_finns: list[bool],
    plats: str,
    vardeproblem: list[Problem],
    anmarkningar: list[str],
    *,
    manad_forst: bool = False,
) -> None:
    """Värdena i ett blads kolumn ``rubrik`` in i deltagare.csv-kolumnen ``k`` (``manad_forst``:
    bladets datum har månaden först, 3/25/2024)."""
    tomda: Counter[str] = Counter()
    felvarden: Counter[str] = Counter()
    manader = tvasiffriga = 0
    manad_forst = manad_forst and mal in ("inskrivningsdatum", "avslutsdatum")
    if manad_forst:
        anmarkningar.append(
            f'Datumen i "{rubrik}" {_pa(b)} har månaden först (t.ex. 3/25/2024, som program '
            "på engelska skriver dem) och lästes så; kontrollera några rader"
        )
    for i, (rad, v) in enumerate(zip(b.data.index, b.data[rubrik], strict=True)):
        if ar_tom(v):
            continue
        text = _text(v)
        if _EXCELFEL.fullmatch(text):
            felvarden[text] += 1  # en formel som inte gick att räkna: lika med tom
            continue
        if mal == "avslutsdatum" and pagar(v):
            tomda[text] += 1
            continue
        if mal in ("inskrivningsdatum", "avslutsdatum"):
            datum = tolka_datum(v, manad_forst=manad_forst)
            manad = tolka_manad(v) if datum is None else None
            if manad is not None:
                datum = _manadens_dag(*manad, sista=mal == "avslutsdatum")
                manader += 1
            if datum is None:
                vardeproblem.append(
                    Problem(
                        "värdet kan inte tolkas som datum (rätta det i er fil och kör ny igen)",
                        fil=plats, rader=(int(rad),), kolumn=rubrik, varde=text,
                        forvantat="ett datum, t.ex. 2023-03-05, 5/3 2023 eller 5.3.2023",
                        kod="typ",
                    )
                )  # fmt: skip
                ut = text
            else:
                ut = datum.isoformat()
        elif mal == "fodelsear" and tolka_datum(v) is not None and tolka_tal(v) is None:
            ut = str(tolka_datum(v).year)  # födelsedatum: bara året
        elif mal == "fodelsear" and (tal := tolka_tal(v)) is not None and 0 <= tal < 100:
            ut = str(int(tal) + (2000 if tal < 15 else 1900))  # "85": 1985
            tvasiffriga += 1
        elif mal in _INTERVALL:
            tal = tolka_tal(v)
            if tal is None:
                vardeproblem.append(
                    Problem(
                        "värdet kan inte tolkas som tal (rätta det i er fil och kör ny igen)",
                        fil=plats, rader=(int(rad),), kolumn=rubrik, varde=text,
                        forvantat="ett tal, t.ex. 12 eller 21,5", kod="typ",
                    )
                )  # fmt: skip
                ut = text
            else:
                ut = _talstext(tal)
        else:
            ut = text
            if mal in ("avslutsorsak", "avslutstyp") and not slut_finns[i]:
                norm = normalisera(text)
                if norm in PAGAENDE_ORD or (slag[0] == "janej" and norm in NEJ):
                    tomda[text] += 1
                    continue
        k.varden[start + i] = ut
        k.slag[start + i] = slag
    if manader:
        dag = "sista dagen" if mal == "avslutsdatum" else "den 1:a"
        anmarkningar.append(
            f'{manader} värden i "{rubrik}" {_pa(b)} har bara år och månad (t.ex. 2024-03): '
            f"räknas som {dag} i månaden, så antal per månad, kvartal och år stämmer men "
            "tiden i insatsen är ungefärlig"
        )
    if felvarden:
        lista = ", ".join(f"{t} ({a} rader)" for t, a in felvarden.most_common())
        anmarkningar.append(
            f'"{rubrik}" {_pa(b)} har Excels felvärden från formler som inte gick att räkna '
            f"({lista}); de lästes som tomma"
        )
    if tvasiffriga:
        anmarkningar.append(
            f'{tvasiffriga} födelseår i "{rubrik}" {_pa(b)} har två siffror: 15–99 lästes som '
            "1915–1999 och 00–14 som 2000–2014"
        )
    for text, antal in tomda.items():
        anmarkningar.append(
            f'"{text}" i "{rubrik}" {_pa(b)} ({antal} rader'
            + (")" if mal == "avslutsdatum" else " utan slutdatum)")
            + " betyder att deltagandet pågår och lämnades tomt"
        )


# Excels felvärden (svenska och engelska), t.ex. en åldersformel utan födelseår
_EXCELFEL = re.compile(
    r"#(N/A|SAKNAS!|VALUE!|VÄRDEFEL!|REF!|REFERENS!|DIV/0!|NAME\?|NAMN\?|NUM!|NULL!|"
    r"SPILL!|CALC!|BERÄKNING!)",
    re.IGNORECASE,
)


def _manadens_dag(ar: int, manad: int, *, sista: bool) -> dt.date | None:
    """Första (start) eller sista (slut) dagen i månaden; None för ett orimligt år."""
    if not 1900 <= ar <= 2100:
        return None
    if not sista:
        return dt.date(ar, manad, 1)
    nasta = dt.date(ar + manad // 12, manad % 12 + 1, 1)
    return nasta - dt.timedelta(days=1)


def _kategoriforslag(
    mal: str, k: _Kolumn, tidigare: Mapping[str, Mapping[str, Any]]
) -> list[Vardeforslag]:
    kodlista = _KODLISTA_FOR[mal]
    koder = KODLISTOR[kodlista]
    val: dict[str, Any] = {}
    orsak_val: dict[str, Any] = {}
    for nyckel in (mal, f"deltagare.{mal}"):
        val.update(tidigare.get(nyckel, {}))
    for nyckel in ("avslutsorsak", "deltagare.avslutsorsak"):
        orsak_val.update(tidigare.get(nyckel, {}))
    raknat: Counter[tuple[str, tuple[str, str]]] = Counter(
        (v, s) for v, s in zip(k.varden, k.slag, strict=True) if v is not None
    )
    per_varde: dict[str, Vardeforslag] = {}
    for (varde, (slag, kalla)), antal in sorted(raknat.items(), key=lambda x: (-x[1], x[0][0])):
        if varde in per_varde:
            f = per_varde[varde]
            per_varde[varde] = Vardeforslag(
                f.varde, f.antal + antal, f.kod, f.grund, f.saknas, f.ert_val
            )
            continue
        if varde in val:
            kod = val[varde]
            per_varde[varde] = Vardeforslag(
                varde, antal, None if kod is None else str(kod), "ert val i forbund.yaml",
                saknas=kod is None, ert_val=True,
            )  # fmt: skip
            continue
        if slag == "janej" and normalisera(varde) in JA | NEJ:
            ja = ja_betyder(kalla)
            nej = "Fullföljd" if ja == "Avbruten" else "Avbruten"
            kod = ja if normalisera(varde) in JA else nej
            grund = f'"{varde}" i "{kalla}" (ja/nej): {kod}'
        elif slag == "ur_orsak":
            # ert val för avslutsorsaken (om ni gjort ett) avgör, annars etiketten själv
            vald = orsak_val.get(varde)
            kod, grund = avslutstyp_ur_orsak(varde)
            if vald is not None and kod != "Avbruten":  # etiketten säger inget om avbrott
                kod, grund = avslutstyp_ur_orsak(vald)
            grund = f'ur "{kalla}": {grund}'
        else:
            kod, grund = tolka_kategori(varde, kodlista)
        saknas = kod is None and grund == "saknas"
        if saknas:
            grund = "betyder att uppgift saknas"
        per_varde[varde] = Vardeforslag(varde, antal, kod, grund, saknas=saknas)
    ut = sorted(per_varde.values(), key=lambda f: (-f.antal, f.varde))
    assert all(f.kod is None or f.kod in koder or f.ert_val for f in ut)
    return ut


def _konfig(
    egen: Egenfil,
    datablad: Sequence[tuple[Radblad, Sequence[Kolumnforslag]]],
    deltagare: pd.DataFrame,
    kolumner: Mapping[str, _Kolumn],
    *,
    id_: str,
    namn: str | None,
    tidigare: Mapping[str, Any],
    insatsgrund: str | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    konfig: dict[str, Any] = {"id": id_}
    grunder: dict[str, str] = {}

    def fran_tidigare(nyckel: str) -> bool:
        if tidigare.get(nyckel) not in (None, "", []):
            konfig[nyckel] = tidigare[nyckel]
            grunder[nyckel] = "ert val i forbund.yaml"
            return True
        return False

    if namn:
        konfig["namn"], grunder["namn"] = namn, "angivet med --namn"
    elif not fran_tidigare("namn"):
        konfig["namn"], grunder["namn"] = _forbundsnamn([b for b, _ in datablad], id_)
    if not fran_tidigare("kommuner"):
        if "folkbokforingskommun" in kolumner:
            varden = Counter(v for v in kolumner["folkbokforingskommun"].varden if v is not None)
            kommuner = [
                v for v, _ in varden.most_common()
                if normalisera(v) not in {"okand", "okant", "annan", "annan_kommun", "vet_ej", ""}
            ]  # fmt: skip
            rubrik = kolumner["folkbokforingskommun"].rubrik
            konfig["kommuner"] = kommuner or [konfig["namn"]]
            grunder["kommuner"] = f'värdena i "{rubrik}", vanligast först'
        else:
            konfig["kommuner"] = [konfig["namn"]]
            grunder["kommuner"] = "filen har ingen kommunkolumn: skriv förbundets kommuner här"
    if not fran_tidigare("insatser"):
        insatser = list(dict.fromkeys(v for v in kolumner["insats"].varden if v is not None))
        konfig["insatser"] = insatser
        grunder["insatser"] = (
            f'värdena i "{kolumner["insats"].rubrik}"' if insatsgrund is None else insatsgrund
        )
    if not fran_tidigare("perioder"):
        start = pd.to_datetime(
            deltagare[kolumner["inskrivningsdatum"].rubrik], format="%Y-%m-%d", errors="coerce"
        )
        slut = (
            pd.to_datetime(
                deltagare[kolumner["avslutsdatum"].rubrik], format="%Y-%m-%d", errors="coerce"
            )
            if "avslutsdatum" in kolumner
            else pd.Series(dtype="datetime64[ns]")
        )
        konfig["perioder"], grunder["perioder"] = _perioder(start, slut)
    for nyckel in ("lan", "jamforelseperioder"):
        fran_tidigare(nyckel)
    if not fran_tidigare("sekretess"):
        konfig["sekretess"] = {"troskel": 5, "namnare_troskel": 10, "intern": False}
        grunder["sekretess"] = "standard: antal under 5 och andelar med nämnare under 10 visas inte"
    if not fran_tidigare("trappa"):
        steg = [
            tolka_tal(v)
            for m in ("steg_start", "steg_slut") if m in kolumner
            for v in kolumner[m].varden if v is not None
        ]  # fmt: skip
        steg = [s for s in steg if s is not None]
        if steg:
            konfig["trappa"] = [f"Steg {i}" for i in range(1, int(max(steg)) + 1)]
            grunder["trappa"] = "högsta steget i filen; skriv era namn på stegen"
    konfig["publicerad"] = bool(tidigare.get("publicerad", False))
    konfig["syntetisk"] = bool(tidigare.get("syntetisk", False))
    if not fran_tidigare("beskrivning"):
        konfig["beskrivning"] = (
            f"Förbundets egen uppföljning ({egen.fil}), omformad till {DELTAGARFIL} med "
            "finsam-analys ny."
        )
    if not fran_tidigare("kallor"):
        blad = ", ".join(b.namn for b, _ in datablad if b.namn)
        konfig["kallor"] = [
            {
                "namn": f"Egen uppföljning: {egen.fil}",
                "beskrivning": f"Bladen {blad}" if blad else "En tabell",
            }
        ]
    return konfig, grunder


# ---------------------------------------------------------------------------
# forbund.yaml som text (med kommentarer) och sammanfattningen
# ---------------------------------------------------------------------------


# Tecken som inte får stå som de är i en YAML-rad: radbrytningar (också NEL, U+2028 och U+2029,
# som YAML räknar som radbrytning: en rubrik med en sådan skulle avsluta kommentaren och skriva
# en egen nyckel i forbund.yaml), styrtecken och tecken som PyYAML inte läser.
_INTE_I_YAMLRAD = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def _y(varde: Any) -> str:
    """Ett YAML-värde på en rad (JSON är giltig YAML; tecken som YAML läser som radbrytning
    eller vägrar skrivs som \\uXXXX, som båda förstår).

    >>> _y("a\u2028b: c")
    '"a\\\\u2028b: c"'
    """
    return _INTE_I_YAMLRAD.sub(
        lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(varde, ensure_ascii=False)
    )


def _kommentar(text: Any) -> str:
    """Text i en YAML-kommentar: på en rad, utan tecken som kunde avsluta kommentaren.

    >>> _kommentar("Titel\u2028sekretess: {intern: true}")
    'Titel sekretess: {intern: true}'
    """
    return re.sub(r"\s+", " ", _INTE_I_YAMLRAD.sub(" ", str(text))).strip()


def _yaml_text(f: Forslag) -> str:
    """forbund.yaml: konfigurationen, kolumnerna och kategorierna, med en kommentar per gissning."""
    rader = [
        f"# Skapad av finsam-analys ny ur {_kommentar(f.fil)}.",
        "# Varje gissning har en kommentar med sitt belägg.",
        "# Kontrollera namn, kommuner, insatser och perioder, och gissningar märkta osäker.",
        '# Efter ändringar under "kolumner": kör finsam-analys ny igen (dina val behålls).',
        '# Efter ändringar under "kategorier": kör finsam-analys validera.',
    ]
    if f.anmarkningar:
        import textwrap

        rader.append("#")
        rader.append("# Att kontrollera (samma som ny skrev ut):")
        for a in f.anmarkningar:
            delar = textwrap.wrap(_kommentar(a), width=94, break_on_hyphens=False)
            rader += [f"# - {delar[0]}", *(f"#   {d}" for d in delar[1:])]
    rader += _yaml_konfig(f)
    rader += _yaml_kolumner(f)
    rader += _yaml_kategorier(f)
    return "\n".join(rader) + "\n"


def _yaml_konfig(f: Forslag) -> list[str]:
    """Konfigurationens nycklar (id, namn, perioder, sekretess, källor …) med beläggen."""
    import yaml

    k = f.konfig
    rader = [f"id: {_y(k['id'])}"]

    def rad(nyckel: str, varde: Any) -> None:
        grund = f.grunder.get(nyckel)
        text = f"{nyckel}: {_y(varde)}"
        rader.append(f"{text}  # {_kommentar(grund)}" if grund else text)

    for nyckel in ("namn", "kommuner", "insatser", "perioder", "lan", "jamforelseperioder"):
        if nyckel in k:
            rad(nyckel, k[nyckel])
    rad("sekretess", k["sekretess"])
    if "trappa" in k:
        rad("trappa", k["trappa"])
    rad("publicerad", k["publicerad"])
    rad("syntetisk", k["syntetisk"])
    rad("beskrivning", k["beskrivning"])
    rader.append(
        yaml.safe_dump({"kallor": k["kallor"]}, allow_unicode=True, sort_keys=False).rstrip()
    )
    return rader


# Belägget för en kolumn som ny själv skapar i deltagare.csv (insatsen har sitt eget).
_SKAPADE_KOLUMNER = {
    "kommentar": "skapad av ny: bladet och raden i er fil, för att hitta tillbaka",
    "deltagare_id": "skapad av ny: bladet och raden (filen har inget id)",
    "avslutstyp": "skapad av ny: samma värden som avslutsorsaken, se kategorier",
}


def _belagg(blad: str, kf: Kolumnforslag) -> str:
    return f"{kf.sakerhet}: {kf.grund}" + (f" (bladet {blad})" if blad else "")


def _yaml_kolumner(f: Forslag) -> list[str]:
    """``kolumner: deltagare:`` med belägg, andra blads rubriker och det som inte kopierades."""
    rader = ["", "# Era rubriker -> kolumnerna i datamodellen (tabellen deltagare).",
             "kolumner:", "  deltagare:"]  # fmt: skip
    skrivna: set[str] = set()
    forslag_per_rubrik: dict[str, list[tuple[str, Kolumnforslag]]] = {}
    for blad, lista in f.kolumnforslag:
        for kf in lista:
            if kf.mal:  # rubriken som i deltagare.csv (oskadliggjord som formel)
                forslag_per_rubrik.setdefault(_neutralisera(kf.rubrik), []).append((blad, kf))
    for rubrik, mal in f.kolumner.items():
        if rubrik in forslag_per_rubrik:
            belagg = _belagg(*forslag_per_rubrik[rubrik][0])
        elif mal == "insats":
            belagg = "skapad av ny: " + (f.grunder.get("insatser") or "insatsens namn")
        else:
            belagg = _SKAPADE_KOLUMNER.get(mal, "")
        rader.append(f"    {_y(rubrik)}: {mal}  # {_kommentar(belagg)}")
        skrivna.add(rubrik)
    # samma kolumner med andra rubriker på andra blad (används när ny körs igen)
    for rubrik, lista in forslag_per_rubrik.items():
        if rubrik in skrivna:
            continue
        blad, kf = lista[0]
        rader.append(f"    {_y(rubrik)}: {kf.mal}  # {_kommentar(_belagg(blad, kf))}")
        skrivna.add(rubrik)
    ej = f.ej_kopierade
    if ej:
        rader.append("    # Inte kopierade (skriv en rad som ovan och kör ny igen om den behövs):")
        for blad, kf in ej:
            var = f"bladet {blad}, " if blad else ""
            rader.append(
                f"    # {_y(kf.rubrik)}: ({var}{kf.ifyllda} ifyllda) {_kommentar(kf.grund)}"
            )
    return rader


def _yaml_kategorier(f: Forslag) -> list[str]:
    """``kategorier:``: förbundets etiketter -> koder (omappade som kommentarer) och tidigare
    egna val."""
    import yaml

    rader = ["", "# Era etiketter -> kodlistorna (null = uppgift saknas).", "kategorier:"]
    if not any(f.kategorier.values()) and not f.kategorier_tidigare:
        rader[-1] = "kategorier: {}"
    for mal, lista in f.kategorier.items():
        poster = [v for v in lista if v.varde != v.kod or v.ert_val]
        if not poster:
            continue
        koder = ", ".join(KODLISTOR[_KODLISTA_FOR[mal]])
        rader.append(f"  deltagare.{mal}:")
        for v in poster:
            if v.mappat:
                varde = "null" if v.kod is None else _y(v.kod)
                rader.append(
                    f"    {_y(v.varde)}: {varde}  # {v.antal} rader; {_kommentar(v.grund)}"
                )
            else:
                rader.append(
                    f"    # {_y(v.varde)}: ?  # {v.antal} rader; INTE MAPPAD "
                    f"({_kommentar(v.grund)}) – skriv en av: {koder} eller null"
                )
    egna = {nyckel: varden for nyckel, varden in f.kategorier_tidigare.items()
            if nyckel.removeprefix("deltagare.") not in f.kategorier}  # fmt: skip
    if egna:
        rader.append("  # Era egna val från tidigare:")
        text = yaml.safe_dump(egna, allow_unicode=True, sort_keys=False)
        rader += ["  " + r for r in text.rstrip().splitlines()]
    return rader


def _sammanfattning(f: Forslag, katalog: str | Path | None) -> str:
    rader: list[str] = []
    bladtext = ", ".join(f"{b} {n} rader" if b else f"{n} rader" for b, n in f.rader_per_blad)
    rader.append(
        f"Läste {f.fil}: {len(f.rader_per_blad)} "
        f"{'blad' if len(f.rader_per_blad) != 1 else 'tabell'} med deltagare ({bladtext})."
    )
    for namn, orsak in f.hoppade_blad:
        rader.append(f'  Hoppade över bladet "{namn}": {orsak}.')
    alla = [kf for _, lista in f.kolumnforslag for kf in lista]
    mappade = [kf for kf in alla if kf.mal]
    if katalog is not None:
        k = Path(katalog)
        rader.append(
            f"Skrev {k / KONFIGFIL} och {k / DELTAGARFIL} ({len(f.deltagare)} deltaganden, "
            f"{len(f.deltagare.columns)} kolumner)."
        )
    rader.append("")
    rader.append(f"Kolumner: {len(mappade)} av {len(alla)} mappade.")
    for blad, lista in f.kolumnforslag:
        delar = [
            f"{kf.rubrik} → {kf.mal}" + ("" if kf.sakerhet == "säker" else f" ({kf.sakerhet})")
            for kf in lista if kf.mal
        ]  # fmt: skip
        rader.append(f"  {blad or 'filen'}: " + ", ".join(delar))
    egna = {_neutralisera(kf.rubrik) for kf in mappade}
    harledda = [r for r, m in f.kolumner.items() if r not in egna and m != "kommentar"]
    for r in harledda:
        rader.append(f"  {r} → {f.kolumner[r]} (skapad av ny)")
    ej = f.ej_kopierade
    if ej:
        rader.append("Inte kopierade:")
        for blad, kf in ej:
            var = f"{blad}, " if blad else ""
            rader.append(f'  "{kf.rubrik}" ({var}{kf.ifyllda} ifyllda): {kf.grund}')
    antal_varden = sum(len(v) for v in f.kategorier.values())
    omappade = f.omappade_varden
    rader.append("")
    rader.append(
        f"Kategorier: {antal_varden - len(omappade)} av {antal_varden} olika värden mappade."
    )
    if omappade:
        rader.append("Kunde inte mappas (skriv en kod eller null under kategorier i forbund.yaml):")
        for mal, v in omappade:
            rubrik = next((r for r, m in f.kolumner.items() if m == mal), mal)
            koder = ", ".join(KODLISTOR[_KODLISTA_FOR[mal]])
            rader.append(f'  {rubrik}: "{v.varde}" ({v.antal} rader) – välj bland {koder}')
    osakra = [kf for kf in mappade if kf.sakerhet != "säker"]
    if f.anmarkningar or osakra or f.vardeproblem:
        rader.append("")
        rader.append("Att kontrollera:")
        for kf in osakra:
            rader.append(f'  "{kf.rubrik}" → {kf.mal} är en {kf.sakerhet} gissning ({kf.grund}).')
        for a in f.anmarkningar:
            rader.append(f"  {a}.")
        for p in f.vardeproblem[:20]:
            rader.append(f"  {p.text()}")
        if len(f.vardeproblem) > 20:
            rader.append(f"  … och {len(f.vardeproblem) - 20} värden till.")
    k = f.konfig
    rader.append("")
    rader.append(f"Förbund: {k['namn']} ({f.grunder.get('namn', '')}).")
    if "kommunkolumn" in f.grunder.get("kommuner", ""):
        kommuner = "ingen kommunkolumn i filen: skriv förbundets kommuner i forbund.yaml"
    else:
        kommuner = ", ".join(k["kommuner"])
    rader.append(f"Kommuner: {kommuner}. Insatser: {', '.join(k['insatser'])}.")
    rader.append(f"Perioder: {', '.join(k['perioder'])} ({f.grunder.get('perioder', '')}).")
    if katalog is not None:
        k_ = Path(katalog)
        data = k_.parent
        forsta = k["perioder"][-1] if k["perioder"] else "ÅÅÅÅ"
        rader.append("")
        rader.append("Nästa steg:")
        rader.append(f"  finsam-analys validera {k_}")
        rader.append(f"  finsam-analys rapport --forbund {k_.name} --period {forsta} --data {data}")
    return "\n".join(rader)


# ---------------------------------------------------------------------------
# Filer
# ---------------------------------------------------------------------------


def _skriv_atomart(sokvag: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=sokvag.parent, prefix=f".{sokvag.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as ut:
            ut.write(data)
        os.replace(tmp, sokvag)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _las_tidigare(katalog: Path) -> dict[str, Any]:
    from finsam_analys.indata.filer import FilFel, las_yaml
    from finsam_analys.indata.inlasning import InlasningsFel

    sokvag = katalog / KONFIGFIL
    if not sokvag.exists():
        return {}
    try:  # samma säkra läsning som forbund.yaml: storlek, personnummer, inga alias
        data = las_yaml(sokvag, rot=katalog)
    except FilFel as fel:
        tips = "; rätta filen eller ta bort den och kör ny igen" if fel.kod == "yaml" else ""
        raise InlasningsFel(
            [
                Problem(
                    fel.meddelande + tips,
                    fil=str(sokvag),
                    rader=(fel.rad,) if fel.rad else (),
                    kod=fel.kod,
                )
            ]
        ) from None
    return dict(data) if isinstance(data, dict) else {}


def skapa_forbund(
    katalog: str | Path,
    fran: str | Path,
    *,
    blad: Sequence[str] | None = None,
    namn: str | None = None,
    insats: str | None = None,
) -> Forslag:
    """Läs förbundets egen fil och skriv ``forbund.yaml`` och ``deltagare.csv`` i ``katalog``.

    Källfilen ändras aldrig. Katalogen skapas om den inte finns; finns den får den bara
    innehålla filer som ``ny`` skrivit (då behålls användarens val i ``forbund.yaml``).

    Parameters
    ----------
    katalog : str eller Path
        Förbundskatalogen, t.ex. ``data/sala`` (katalogens namn blir förbundets id).
    fran : str eller Path
        Förbundets egen fil (.xlsx eller CSV).
    blad : sekvens av str, valfri
        Bara dessa blad.
    namn, insats : str, valfri
        Förbundets namn och insatsens namn (för blad utan insatskolumn).

    Returns
    -------
    Forslag

    Raises
    ------
    InlasningsFel
        Filen går inte att läsa, innehåller personnummer, saknar deltagare, eller katalogen
        innehåller andra filer.
    """
    from finsam_analys.indata.inlasning import InlasningsFel
    from finsam_analys.indata.personnummer import ar_personnummer

    katalog = Path(katalog)
    id_ = katalog.name
    if ar_personnummer(id_):
        raise InlasningsFel(
            [
                Problem(
                    "katalogens namn ser ut som ett personnummer och skulle bli förbundets id; "
                    "inget skrivs (namnet visas inte)",
                    forvantat="ett namn på förbundet, t.ex. data/sala",
                    kod="personnummer",
                )
            ]
        )
    angivna = [f"--{flagga}" for flagga, varde in (("namn", namn), ("insats", insats))
               if varde and ar_personnummer(varde)]  # fmt: skip
    if angivna:  # skulle skrivas i forbund.yaml och deltagare.csv
        raise InlasningsFel(
            [
                Problem(
                    f"{' och '.join(angivna)} ser ut som ett personnummer; inget skrivs "
                    "(värdet visas inte)",
                    forvantat="förbundets och insatsens namn",
                    kod="personnummer",
                )
            ]
        )
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", id_):
        raise InlasningsFel(
            [
                Problem(
                    f'katalogens namn "{id_}" blir förbundets id och får bara innehålla små '
                    "bokstäver a–z, siffror, - och _",
                    fil=str(katalog),
                    forvantat="t.ex. data/sala eller data/norra_halsingland",
                    kod="konfig",
                )
            ]
        )
    if katalog.exists() and not katalog.is_dir():
        raise InlasningsFel([Problem("finns redan och är ingen katalog", fil=str(katalog))])
    if katalog.is_dir():
        andra = sorted(
            p.name for p in katalog.iterdir()
            if p.name not in _SKAPADE_FILER and not p.name.startswith(".")
        )  # fmt: skip
        if andra:
            raise InlasningsFel(
                [
                    Problem(
                        "katalogen innehåller redan andra filer: " + ", ".join(andra[:10]),
                        fil=str(katalog),
                        forvantat="en ny katalog, eller en som ny skapat tidigare "
                        f"(bara {KONFIGFIL} och {DELTAGARFIL})",
                        kod="konfig",
                    )
                ]
            )
    tidigare = _las_tidigare(katalog) if katalog.is_dir() else {}
    egen = las_egen_fil(fran, blad=blad)
    forslag = foresla_forbund(egen, id=id_, namn=namn, insats=insats, tidigare=tidigare)
    katalog.mkdir(parents=True, exist_ok=True)
    csv = forslag.deltagare.to_csv(sep=";", index=False, lineterminator="\n")
    _skriv_atomart(katalog / DELTAGARFIL, csv.encode("utf-8"))
    _skriv_atomart(katalog / KONFIGFIL, forslag.yaml_text().encode("utf-8"))
    return forslag
