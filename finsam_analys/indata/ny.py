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
    ja_betyder,
    normalisera,
    sortera_efter_schema,
    tolka_datum,
    tolka_kategori,
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
    stam = Path(fil).stem.replace("_", " ").strip() or "Insatsen"
    return stam[:1].upper() + stam[1:], "filens namn (ange insatsen med --insats)"


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
    datablad, alla_forslag, hoppade = _datablad(egen, beslut)
    har_slutdatum = any(f.mal == "avslutsdatum" for _, fl in datablad for f in fl)
    bygge = _Kolumnbygge()
    grunder_insats: set[str] = set()
    for b, forslag in datablad:
        start = bygge.nytt_blad(len(b.data))
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
    )


class _Kolumnbygge:
    """deltagare.csv:s kolumner under uppbyggnad, blad för blad (en rad per deltagarrad)."""

    def __init__(self) -> None:
        self.kolumner: dict[str, _Kolumn] = {}
        self.antal_rader = 0

    def nytt_blad(self, n: int) -> int:
        """Lägg till ``n`` tomma rader i alla kolumner; bladets första rad."""
        start = self.antal_rader
        self.antal_rader += n
        for k in self.kolumner.values():
            k.varden.extend([None] * n)
            k.slag.extend([("", "")] * n)
        return start

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


def _datablad(
    egen: Egenfil, beslut: Mapping[str, Any]
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
    for b in egen.blad:
        forslag = foresla_kolumner(b.data, beslut=beslut)
        if not _ar_datablad(forslag) or b.data.empty:
            hoppade.append((b.namn, "ingen kolumn med startdatum (inga deltagare)"))
            continue
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
        slut_finns = [not ar_tom(v) for v in b.data[mappade["avslutsdatum"]]]
    else:
        slut_finns = [False] * n
    for mal, rubrik in mappade.items():
        if mal in ("avslutsorsak", "avslutstyp") and not har_slutdatum:
            anmarkningar.append(
                f'"{rubrik}" på {b.plats} kopieras inte: filen har inget slutdatum, så '
                "avslut kan inte räknas"
            )
            continue
        k = bygge.kolumn(mal, rubrik)
        janej = mal == "avslutstyp" and sum(
            normalisera(v) in JA | NEJ for v in b.data[rubrik] if not ar_tom(v)
        ) > 0.5 * max(1, sum(not ar_tom(v) for v in b.data[rubrik]))
        slag = ("janej", rubrik) if janej else ("direkt", rubrik)
        _fyll(k, start, b, rubrik, mal, slag, slut_finns, plats, vardeproblem, anmarkningar)
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
            f'{saknade} rader på {b.plats} saknar id i "{mappade["deltagare_id"]}" och fick '
            "id efter bladet och raden"
        )
    k = bygge.kolumn("kommentar", RADKOLUMN)
    for i, rad in enumerate(b.data.index):
        k.varden[start + i] = f"{b.namn} rad {rad}" if b.namn else f"rad {rad}"
    if b.hoppade:
        anmarkningar.append(
            f"{_stor(b.plats)}: rad {', '.join(map(str, b.hoppade))} under eller i "
            "tabellen är inte deltagare (summarad eller anteckning) och hoppades över"
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
) -> None:
    """Värdena i ett blads kolumn ``rubrik`` in i deltagare.csv-kolumnen ``k``."""
    tomda: Counter[str] = Counter()
    for i, (rad, v) in enumerate(zip(b.data.index, b.data[rubrik], strict=True)):
        if ar_tom(v):
            continue
        text = _text(v)
        if mal in ("inskrivningsdatum", "avslutsdatum"):
            datum = tolka_datum(v)
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
    for text, antal in tomda.items():
        anmarkningar.append(
            f'"{text}" i "{rubrik}" på {b.plats} ({antal} rader utan slutdatum) betyder att '
            "deltagandet pågår och lämnades tomt"
        )


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
            kod, grund = avslutstyp_ur_orsak(varde if vald is None else vald)
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
    bladtext = ", ".join(
        f"{b or 'filen'} {sum(1 for v in f.deltagare[RADKOLUMN] if v.startswith(f'{b} rad'))} rader"
        if b else f"{len(f.deltagare)} rader"
        for b, _ in f.kolumnforslag
    )  # fmt: skip
    rader.append(
        f"Läste {f.fil}: {len(f.kolumnforslag)} "
        f"{'blad' if len(f.kolumnforslag) != 1 else 'tabell'} med deltagare ({bladtext})."
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
    rader.append(f"Kommuner: {', '.join(k['kommuner'])}. Insatser: {', '.join(k['insatser'])}.")
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
