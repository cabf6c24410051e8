"""Validering av inlästa tabeller: pandera (alla fel på en gång) och logiska kontroller.

Funktionerna här läser inga filer. De tar en typad tabell vars index är radnumret som
användaren ser i Excel (rubrikraden = 1) och returnerar en lista med ``Problem`` på svenska.

>>> import pandas as pd
>>> df = pd.DataFrame({"period": ["2019"], "insats": ["MAC"], "utfall": ["Arbete"],
...                    "antal": pd.array([-1], dtype="Int64")}, index=[2])
>>> [p.text() for p in validera_tabell(df, "avslut", fil="avslut.csv")]
['avslut.csv, rad 2, kolumn "antal": negativt värde (värde "-1"); förväntade ett tal ≥ 0']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import DIMENSIONER, STATUSNAMN, TOTALT
from finsam_analys.indata.scheman import KALLTABELL, SUFFIX_PUBLICERAD, TABELLER
from finsam_analys.indata.vakt import visbar

_MAX_RADER_I_TEXT = 15
MAX_VARDEN_PER_KOLUMN = 20  # olika felaktiga värden som visas per kolumn och kontroll
_MAX_KATEGORIER_I_TEXT = 20


@dataclass(frozen=True)
class Problem:
    """Ett problem i indata, med plats (fil, rader som i Excel, kolumn) och svensk text.

    Värdet (``varde``) är det som stod i cellen; det sätts aldrig för personnummer.

    >>> Problem("värdet är ingen känd kategori", fil="deltagare.csv", rader=(4, 5, 6, 9),
    ...         kolumn="Kön", varde="K", forvantat="en av: Kvinna, Man").text()
    'deltagare.csv, rad 4–6, 9, kolumn "Kön": värdet är ingen känd kategori (värde "K"); förväntade en av: Kvinna, Man'
    """  # noqa: E501

    meddelande: str
    fil: str | None = None
    rader: tuple[int, ...] = ()
    kolumn: str | None = None
    varde: str | None = None
    forvantat: str | None = None
    kod: str = "ovrigt"
    kanonisk: str | None = None  # vårt kolumnnamn, om användarens rubrik är en annan

    def plats(self) -> str:
        delar = []
        if self.fil:
            delar.append(self.fil)
        if self.rader:
            delar.append(radtext(self.rader))
        if self.kolumn:
            extra = f" ({self.kanonisk})" if self.kanonisk and self.kanonisk != self.kolumn else ""
            delar.append(f'kolumn "{self.kolumn}"{extra}')
        return ", ".join(delar)

    def text(self) -> str:
        plats = self.plats()
        text = f"{plats}: {self.meddelande}" if plats else self.meddelande
        if self.varde is not None:
            text += f' (värde "{self.varde}")'
        if self.forvantat:
            text += f"; förväntade {self.forvantat}"
        return visbar(text)  # styrtecken synliga, inga personnummer


def radtext(rader: Iterable[int]) -> str:
    """Radnummer som kort svensk text med intervall.

    >>> radtext([2, 3, 4, 7])
    'rad 2–4, 7'
    >>> radtext(range(2, 40, 2))[:30]
    'rad 2, 4, 6, 8, 10, 12, 14, 16'
    """
    tal = sorted(set(int(r) for r in rader))
    if not tal:
        return ""
    intervall: list[tuple[int, int]] = []
    for r in tal:
        if intervall and r == intervall[-1][1] + 1:
            intervall[-1] = (intervall[-1][0], r)
        else:
            intervall.append((r, r))
    delar = [f"{a}" if a == b else f"{a}–{b}" for a, b in intervall[:_MAX_RADER_I_TEXT]]
    text = "rad " + ", ".join(delar)
    if len(intervall) > _MAX_RADER_I_TEXT:
        text += f" … ({len(tal)} rader)"
    return text


def sla_ihop(problem: Sequence[Problem]) -> list[Problem]:
    """Slå ihop problem som bara skiljer sig i radnummer (ordningen bevaras)."""
    ut: dict[tuple, Problem] = {}
    for p in problem:
        nyckel = (p.fil, p.kolumn, p.meddelande, p.varde, p.forvantat, p.kod, bool(p.rader))
        if not p.rader:
            nyckel = (*nyckel, id(p))  # problem utan rader slås inte ihop
        if nyckel in ut:
            tidigare = ut[nyckel]
            ut[nyckel] = replace(tidigare, rader=tuple(sorted({*tidigare.rader, *p.rader})))
        else:
            ut[nyckel] = p
    return list(ut.values())


def begransa(problem: Sequence[Problem], *, hogst: int = MAX_VARDEN_PER_KOLUMN) -> list[Problem]:
    """Högst ``hogst`` problem per fil, kolumn och slag; resten sammanfattas i ett problem.

    >>> p = [Problem(f"fel {i}", fil="f", rader=(i,), kolumn="k", kod="x") for i in range(2, 30)]
    >>> kvar = begransa(p, hogst=3)
    >>> len(kvar), kvar[-1].meddelande, kvar[-1].rader[:2]
    (4, 'ytterligare 25 problem av samma slag (visas inte var för sig)', (5, 6))
    """
    antal: dict[tuple, int] = {}
    ut: list[Problem] = []
    rest: dict[tuple, list[Problem]] = {}
    for p in problem:
        nyckel = (p.fil, p.kolumn, p.kod)
        antal[nyckel] = antal.get(nyckel, 0) + 1
        if antal[nyckel] > hogst and p.kod not in ("personnummer", "manga"):
            rest.setdefault(nyckel, []).append(p)
        else:
            ut.append(p)
    for (fil, kolumn, kod), ovriga in rest.items():
        rader = tuple(sorted({r for p in ovriga for r in p.rader}))
        ut.append(
            Problem(
                f"ytterligare {len(ovriga)} problem av samma slag (visas inte var för sig)",
                fil=fil,
                rader=rader,
                kolumn=kolumn,
                kanonisk=ovriga[0].kanonisk,
                kod=kod,
            )
        )
    return ut


def lista_kategorier(kategorier: Iterable[str]) -> str:
    """Kända kategorier som text (de första 20).

    >>> lista_kategorier(["Kvinna", "Man"])
    'en av: Kvinna, Man'
    """
    k = list(kategorier)
    text = ", ".join(k[:_MAX_KATEGORIER_I_TEXT])
    if len(k) > _MAX_KATEGORIER_I_TEXT:
        text += f" … ({len(k)} st, se data/README.md)"
    return f"en av: {text}"


def _visa(varde: Any) -> str:
    if isinstance(varde, pd.Timestamp):  # strftime klarar inte år före 1 eller efter 9999
        return f"{varde.year:04d}-{varde.month:02d}-{varde.day:02d}"
    if isinstance(varde, float) and varde == int(varde):
        return str(int(varde))
    return str(varde)


class _Samlare:
    """Hjälpare som bygger problem med fil och visningsnamn för kolumner."""

    def __init__(self, fil: str | None, visningsnamn: Mapping[str, str] | None) -> None:
        self.fil = fil
        self.visningsnamn = dict(visningsnamn or {})
        self.problem: list[Problem] = []

    def lagg(
        self,
        meddelande: str,
        *,
        rader: Iterable[Any] = (),
        kolumn: str | None = None,
        varde: Any = None,
        forvantat: str | None = None,
        kod: str = "logik",
    ) -> None:
        self.problem.append(
            Problem(
                meddelande,
                fil=self.fil,
                rader=tuple(int(r) for r in rader),
                kolumn=None if kolumn is None else self.visningsnamn.get(kolumn, kolumn),
                kanonisk=kolumn,
                varde=None if varde is None else _visa(varde),
                forvantat=forvantat,
                kod=kod,
            )
        )


def validera_tabell(
    df: pd.DataFrame,
    tabell: str,
    *,
    fil: str | None = None,
    visningsnamn: Mapping[str, str] | None = None,
    insatser: Sequence[str] | None = None,
    trappa: Sequence[str] | None = None,
) -> list[Problem]:
    """Alla problem i en typad tabell: pandera-scheman (lazy) och logiska kontroller.

    Parametrar
    ----------
    df
        Tabellen med kanoniska kolumnnamn och typer; index = radnummer i Excel.
    tabell
        Kanoniskt tabellnamn (se ``scheman.TABELLER``).
    fil, visningsnamn
        Filnamn och användarens egna rubriker (kanoniskt namn -> rubrik) för meddelandena.
    insatser, trappa
        Förbundets insatser och trappsteg från konfigurationen (None = kontrolleras inte).

    Returnerar
    ----------
    list[Problem]
        Tom lista om tabellen är godkänd.

    Exempel
    -------
    >>> df = pd.DataFrame({"deltagare_id": ["a"], "insats": ["T"],
    ...     "inskrivningsdatum": pd.to_datetime(["2019-05-01"]),
    ...     "avslutsdatum": pd.to_datetime(["2019-04-01"])}, index=[2])
    >>> p = validera_tabell(df, "deltagare")[0]
    >>> p.rader, p.kolumn, p.varde
    ((2,), 'avslutsdatum', '2019-04-01')
    >>> p.meddelande
    'avslut före inskrivning (inskrivningsdatum 2019-05-01)'
    """
    s = _Samlare(fil, visningsnamn)
    _pandera(df, tabell, s)
    _datum(df, tabell, s)
    _perioder(df, tabell, s)
    _dubbletter(df, tabell, s)
    _insatser(df, insatser, s)
    _publicerade_andelar(df, s)
    _delar_och_totaler(df, tabell, s)
    kontroll = _SARSKILDA.get(tabell)
    if kontroll is not None:
        kontroll(df, s, trappa)
    return s.problem


# ---------------------------------------------------------------------------
# pandera
# ---------------------------------------------------------------------------


_DTYP_GODKAND: dict[tuple[str, Any], bool] = {}


def _pandera_godkanner(df: pd.DataFrame, tabell: str) -> bool:
    """Sant när pandera-schemat säkert godkänner tabellen (då behövs inget schemaanrop).

    Samma kontroller som schemat (:func:`finsam_analys.indata.scheman.pandera_schema` med
    ``unik=False``) gör per kolumn: dtyp (panderas egen kontroll), saknade värden, kodlista
    och intervall. Falskt betyder bara "kanske fel": då körs schemat och ger felen. Att
    bygga och köra schemat kostar mer än resten av valideringen för en vanlig tabell.
    """
    from pandera.engines.pandas_engine import Engine

    if not df.columns.is_unique:
        return False
    tdef = TABELLER[tabell]
    for namn in df.columns:
        kol = tdef.kolumndef(namn) if isinstance(namn, str) else None
        if kol is None:
            continue
        serie = df[namn]
        if serie.dtype == object:
            return False  # panderas dtypkontroll kan bero på värdena
        nyckel = (kol.dtype, serie.dtype)
        if nyckel not in _DTYP_GODKAND:
            # Panderas egen dtypkontroll. För andra dtyper än object beror den inte på
            # värdena (för "str" mot StringDtype är den sann för varje värde), så svaret
            # kan sparas per par av dtyper (den är långsam: den söker efter geopandas).
            typ_ok = Engine.dtype(kol.dtype).check(Engine.dtype(serie.dtype), serie)
            # bool för hela kolumnen, eller en array per värde (t.ex. för "str")
            _DTYP_GODKAND[nyckel] = (
                typ_ok is True if isinstance(typ_ok, bool) else bool(np.all(typ_ok))
            )
        if not _DTYP_GODKAND[nyckel]:
            return False
        saknas = serie.isna().to_numpy(dtype=bool)
        if not kol.nullbar and saknas.any():
            return False
        if kol.kategorier is None and kol.minst is None and kol.hogst is None:
            continue
        varden = serie[~saknas]
        if kol.kategorier is not None and not varden.isin(list(kol.kategorier)).all():
            return False
        if kol.minst is not None and not (varden >= kol.minst).all():
            return False
        if kol.hogst is not None and not (varden <= kol.hogst).all():
            return False
    return True


def _pandera(df: pd.DataFrame, tabell: str, s: _Samlare) -> None:
    if _pandera_godkanner(df, tabell):
        return
    import pandera.pandas as pa

    from finsam_analys.indata.scheman import pandera_schema

    tdef = TABELLER[tabell]
    schema = pandera_schema(tabell, kolumner=list(df.columns), unik=False)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as fel:
        fall = fel.failure_cases
        ram = pd.DataFrame(
            {
                "kolumn": fall["column"].astype(object),
                "kontroll": fall["check"].astype(str),
                "varde": fall["failure_case"].astype(object).map(_som_nyckel),
                "index": fall["index"].astype(object),
            }
        )
        antal: dict[tuple, int] = {}
        overskott: dict[tuple, list[int]] = {}
        grupper = ram.groupby(["kolumn", "kontroll", "varde"], dropna=False, sort=False)["index"]
        for (kolumn, kontroll, varde), index in grupper:
            rader = tuple(int(i) for i in index if i is not None and not pd.isna(i))
            if isinstance(varde, float) and pd.isna(varde):
                varde = None
            nyckel = (kolumn, kontroll)
            antal[nyckel] = antal.get(nyckel, 0) + 1
            if antal[nyckel] > MAX_VARDEN_PER_KOLUMN and varde is not None:
                overskott.setdefault(nyckel, []).extend(rader)
                continue
            kdef = tdef.kolumndef(str(kolumn)) if isinstance(kolumn, str) else None
            if kontroll.startswith("isin") and kdef is not None and kdef.kategorier:
                s.lagg(
                    "okänd kategori" + _forslag(varde, kdef.kategorier),
                    rader=rader,
                    kolumn=kolumn,
                    varde=varde,
                    forvantat=lista_kategorier(kdef.kategorier),
                    kod="kategori",
                )
            elif kontroll.startswith("greater_than_or_equal_to") and kdef is not None:
                negativ = kdef.minst == 0 and _ar_tal(varde) and float(varde) < 0
                s.lagg(
                    "negativt värde" if negativ else "för litet värde",
                    rader=rader,
                    kolumn=kolumn,
                    varde=varde,
                    forvantat=f"ett tal ≥ {_visa(kdef.minst)}",
                    kod="intervall",
                )
            elif kontroll.startswith("less_than_or_equal_to") and kdef is not None:
                meddelande = "för stort värde"
                if kdef.namn == "omfattning":
                    meddelande = "omfattning utanför 0–1 (ange andel av heltid, t.ex. 0,5)"
                s.lagg(
                    meddelande,
                    rader=rader,
                    kolumn=kolumn,
                    varde=varde,
                    forvantat=f"ett tal ≤ {_visa(kdef.hogst)}",
                    kod="intervall",
                )
            elif kontroll == "not_nullable":
                s.lagg(
                    "värde saknas i obligatorisk kolumn",
                    rader=rader,
                    kolumn=kolumn,
                    forvantat=kdef.beskrivning if kdef is not None else None,
                    kod="saknat_varde",
                )
            elif kontroll == "column_in_dataframe":
                s.lagg(
                    f'obligatorisk kolumn "{varde}" saknas',
                    forvantat=f"kolumnerna {', '.join(tdef.obligatoriska)}",
                    kod="saknad_kolumn",
                )
            else:  # dtype m.m.: ska inte hända efter inläsningen, men formulera ändå
                s.lagg(
                    f"värdet klarar inte kontrollen {kontroll}",
                    rader=rader,
                    kolumn=kolumn,
                    varde=None if varde is None or pd.isna(varde) else varde,
                    kod="schema",
                )
        for (kolumn, kontroll), rader in overskott.items():
            s.lagg(
                f"ytterligare {antal[(kolumn, kontroll)] - MAX_VARDEN_PER_KOLUMN} olika värden "
                "har samma slags fel (visas inte var för sig)",
                rader=rader,
                kolumn=kolumn,
                kod="manga",
            )


def _som_nyckel(varde: Any) -> Any:
    if varde is None or (not isinstance(varde, str) and bool(pd.isna(varde))):
        return None
    return varde if isinstance(varde, str) else _visa(varde)


def _ar_tal(varde: Any) -> bool:
    try:
        float(varde)
    except (TypeError, ValueError):
        return False
    return True


def _forslag(varde: Any, kanda: Iterable[str]) -> str:
    from finsam_analys.indata.underlag import forslag

    return forslag(varde, kanda)


# ---------------------------------------------------------------------------
# logiska kontroller
# ---------------------------------------------------------------------------


FORSTA_DATUM, SISTA_DATUM = pd.Timestamp("1950-01-01"), pd.Timestamp("2099-12-31")
"""Datum utanför intervallet är skrivfel (år 0001, 9999, 2302 …), inte uppföljning: de skulle
annars ge en deltagare som varit inskriven i två tusen år."""


def _datum(df: pd.DataFrame, tabell: str, s: _Samlare) -> None:
    """Datum som inte kan vara rätt (före 1950 eller efter 2099), med rad och kolumn."""
    for kol in TABELLER[tabell].kolumner:
        if kol.typ != "datum" or kol.namn not in df.columns:
            continue
        serie = df[kol.namn]
        if not pd.api.types.is_datetime64_any_dtype(serie):
            continue
        utanfor = ((serie < FORSTA_DATUM) | (serie > SISTA_DATUM)).fillna(False).to_numpy(bool)
        for varde, index in _per_varde(serie[utanfor]).items():
            s.lagg(
                "orimligt datum",
                rader=index,
                kolumn=kol.namn,
                varde=varde,
                forvantat=f"ett datum mellan {FORSTA_DATUM.date()} och {SISTA_DATUM.date()}",
                kod="intervall",
            )


def _perioder(df: pd.DataFrame, tabell: str, s: _Samlare) -> None:
    from finsam_analys.indata.underlag import _giltig_period

    tdef = TABELLER[tabell]
    for kol in tdef.kolumner:
        if kol.typ != "period" or kol.namn not in df.columns:
            continue
        for varde, index in _per_varde(df[kol.namn]).items():
            if not _giltig_period(str(varde)):
                s.lagg(
                    "ogiltig periodkod",
                    rader=index,
                    kolumn=kol.namn,
                    varde=varde,
                    forvantat='t.ex. "2019", "2021-01..2021-08" eller "2015-07..2016-06"',
                    kod="period",
                )


def _dubbletter(df: pd.DataFrame, tabell: str, s: _Samlare) -> None:
    tdef = TABELLER[tabell]
    if any(k not in df.columns for k in tdef.nyckel if k in tdef.obligatoriska):
        return  # en obligatorisk nyckelkolumn saknas (rapporteras för sig)
    nyckel = [k for k in (*tdef.nyckel, KALLTABELL) if k in df.columns]
    if not nyckel or len(df) < 2:
        return
    dubbel = df.duplicated(subset=nyckel, keep=False)
    if not dubbel.any():
        return
    namn = "deltagande" if tabell == "deltagare" else "rad"
    grupper = df[dubbel].groupby(nyckel, dropna=False, sort=False).groups
    for nyckelvarden, index in grupper.items():
        varden = nyckelvarden if isinstance(nyckelvarden, tuple) else (nyckelvarden,)
        beskrivning = ", ".join(
            f"{s.visningsnamn.get(k, k)}={_visa(v)}"
            for k, v in zip(nyckel, varden, strict=True)
            if not (v is None or (not isinstance(v, str) and pd.isna(v)))
        )
        s.lagg(
            f"dubblerat {namn}: samma {', '.join(nyckel)} förekommer på flera rader "
            f"({beskrivning})",
            rader=index,
            forvantat=f"en rad per {', '.join(nyckel)}",
            kod="dubblett",
        )


def _insatser(df: pd.DataFrame, insatser: Sequence[str] | None, s: _Samlare) -> None:
    if insatser is None or "insats" not in df.columns:
        return
    kanda = [*insatser, TOTALT]
    for varde, index in _per_varde(df["insats"]).items():
        if varde not in kanda:
            s.lagg(
                "okänd insats (finns inte bland insatser i forbund.yaml)" + _forslag(varde, kanda),
                rader=index,
                kolumn="insats",
                varde=varde,
                forvantat=lista_kategorier(kanda),
                kod="kategori",
            )


def _publicerade_andelar(df: pd.DataFrame, s: _Samlare) -> None:
    for kolumn in df.columns:
        namn = str(kolumn)
        if not (namn.endswith(SUFFIX_PUBLICERAD) and "andel" in namn):
            continue
        serie = pd.to_numeric(df[kolumn], errors="coerce")
        over = (serie > 100).fillna(False).to_numpy(bool)
        if over.any():
            for varde, index in _per_varde(serie[over]).items():
                s.lagg(
                    "andel över 100 %",
                    rader=index,
                    kolumn=namn,
                    varde=varde,
                    forvantat="en andel i procent som tryckt, 0–100",
                    kod="andel",
                )


def _per_varde(serie: pd.Series) -> dict[Any, pd.Index]:
    """Värde -> index för raderna med värdet (utan tomma), i den ordning värdena dyker upp."""
    serie = serie.dropna()
    if serie.empty:
        return {}
    return dict(serie.groupby(serie, sort=False).groups)


def _ar_tom(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def _storre_an_total(
    df: pd.DataFrame,
    grupp: list[str],
    ar_total: Any,
    ar_del: Any,
    varde: str,
    kat: str,
) -> list[tuple[Any, Any, Any, Any, Any]]:
    """(rad, totalrad, kategori, värde, total) där en del överstiger gruppens enda Totalt-rad."""
    nyckel = grupp or ["_alla"]
    ram = df.assign(_rad=df.index, _alla=0)
    totaler = ram[ar_total]
    totaler = totaler[~totaler.duplicated(subset=nyckel, keep=False)]
    if totaler.empty:
        return []
    delar = ram[ar_del]
    par = delar[[*nyckel, "_rad", kat, varde]].merge(
        totaler[[*nyckel, "_rad", varde]], on=nyckel, suffixes=("", "_tot")
    )
    over = par[par[varde].astype("float64") > par[f"{varde}_tot"].astype("float64")]
    return list(
        over[["_rad", "_rad_tot", kat, varde, f"{varde}_tot"]].itertuples(index=False, name=None)
    )


def _delar_och_totaler(df: pd.DataFrame, tabell: str, s: _Samlare) -> None:
    """En del större än sin total: kategori mot Totalt-raden och varav-rader mot sin kategori."""
    tdef = TABELLER[tabell]
    kat, antal = tdef.kategorikolumn, tdef.antalkolumn
    if kat is None or antal is None or kat not in df.columns or antal not in df.columns:
        return
    if any(k not in df.columns for k in tdef.grupp if k in tdef.obligatoriska):
        return  # en obligatorisk kolumn saknas (rapporteras för sig)
    grupp = [k for k in (*tdef.grupp, KALLTABELL) if k in df.columns]
    if "del_av" in df.columns:
        varav = df["del_av"].notna()
    else:
        varav = pd.Series(False, index=df.index)
    ar_total = ((df[kat] == TOTALT) & ~varav).fillna(False).to_numpy(bool)
    ar_del = ((df[kat] != TOTALT) & df[antal].notna()).fillna(False).to_numpy(bool)
    for idx, total_idx, del_kat, del_v, tot_v in _storre_an_total(
        df, grupp, ar_total, ar_del, antal, kat
    ):
        s.lagg(
            f"en del är större än sin total: {del_kat} = {_visa(del_v)} men "
            f"Totalt = {_visa(tot_v)} (rad {total_idx})",
            rader=(idx,),
            kolumn=antal,
            kod="del_storre_an_total",
        )
    if not varav.any():
        return
    for _, g in df.groupby(grupp, dropna=False, sort=False) if grupp else [(None, df)]:
        if not varav[g.index].any():
            continue
        for forelder, delar in g[varav[g.index]].groupby("del_av", sort=False):
            foralder_rad = g[(g[kat] == forelder) & ~varav[g.index]]
            if len(foralder_rad) != 1:
                s.lagg(
                    f'varav-rad till "{forelder}", men kategorin "{forelder}" finns inte '
                    "(eller finns flera gånger) i samma grupp",
                    rader=delar.index,
                    kolumn="del_av",
                    varde=forelder,
                    forvantat=f"en rad med {kat} = {forelder}",
                    kod="del_storre_an_total",
                )
                continue
            helhet = foralder_rad[antal].iloc[0]
            summa = delar[antal].astype("float64").sum()
            if not _ar_tom(helhet) and summa > float(helhet):
                s.lagg(
                    f"en del är större än sin total: varav-raderna till {forelder} summerar till "
                    f"{_visa(summa)} men {forelder} = {_visa(helhet)} "
                    f"(rad {foralder_rad.index[0]})",
                    rader=delar.index,
                    kolumn=antal,
                    kod="del_storre_an_total",
                )


def _deltagare(df: pd.DataFrame, s: _Samlare, trappa: Sequence[str] | None) -> None:
    if {"inskrivningsdatum", "avslutsdatum"} <= set(df.columns):
        fore = df["avslutsdatum"] < df["inskrivningsdatum"]
        for idx in df.index[fore.fillna(False).to_numpy(bool)]:
            s.lagg(
                "avslut före inskrivning (inskrivningsdatum "
                f"{_visa(df.at[idx, 'inskrivningsdatum'])})",
                rader=(idx,),
                kolumn="avslutsdatum",
                varde=df.at[idx, "avslutsdatum"],
                forvantat="ett avslutsdatum samma dag som eller efter inskrivningsdatum",
                kod="datumordning",
            )
    if "avslutsdatum" in df.columns:
        for kolumn in ("avslutsorsak", "avslutstyp"):
            if kolumn not in df.columns:
                continue
            utan = df[kolumn].notna() & df["avslutsdatum"].isna()
            if utan.any():
                s.lagg(
                    f"{'avslutsorsak' if kolumn == 'avslutsorsak' else 'avslutstyp'} "
                    "utan avslutsdatum",
                    rader=df.index[utan.to_numpy(bool)],
                    kolumn=kolumn,
                    forvantat="ett avslutsdatum när deltagandet har avslutats",
                    kod="avslut_utan_datum",
                )
    if trappa:
        for kolumn in ("steg_start", "steg_slut"):
            if kolumn not in df.columns:
                continue
            over = (df[kolumn] > len(trappa)).fillna(False).to_numpy(bool)
            for varde, index in _per_varde(df.loc[over, kolumn]).items():
                s.lagg(
                    f"steget finns inte på trappan (trappan i forbund.yaml har {len(trappa)} steg)",
                    rader=index,
                    kolumn=kolumn,
                    varde=varde,
                    forvantat=f"ett steg 1–{len(trappa)}",
                    kod="intervall",
                )


def _ersattningsperioder(df: pd.DataFrame, s: _Samlare, trappa: Any) -> None:
    if {"fran", "till"} <= set(df.columns):
        fore = (df["till"] < df["fran"]).fillna(False).to_numpy(bool)
        for idx in df.index[fore]:
            s.lagg(
                f"periodens slut före dess början (fran {_visa(df.at[idx, 'fran'])})",
                rader=(idx,),
                kolumn="till",
                varde=df.at[idx, "till"],
                forvantat="ett slutdatum samma dag som eller efter fran",
                kod="datumordning",
            )


def _halsoenkat(df: pd.DataFrame, s: _Samlare, trappa: Any) -> None:
    if {"antal_forbattrade", "n"} <= set(df.columns):
        storre = (df["antal_forbattrade"] > df["n"]).fillna(False).to_numpy(bool)
        for idx in df.index[storre]:
            s.lagg(
                f"en del är större än sin total: antal_forbattrade = "
                f"{_visa(df.at[idx, 'antal_forbattrade'])} men n = {_visa(df.at[idx, 'n'])}",
                rader=(idx,),
                kolumn="antal_forbattrade",
                kod="del_storre_an_total",
            )


def _statuskategorier(g: pd.DataFrame, s: _Samlare) -> None:
    """Flödets statusetiketter (``Aktiv``, ``Nyinskrivna`` …) måste betyda ett led i flödet."""
    kanda = [*STATUSNAMN, TOTALT]
    for varde, index in _per_varde(g["kategori"]).items():
        if str(varde).strip().lower() not in STATUSNAMN and str(varde).strip() != TOTALT:
            s.lagg(
                'okänd status för dimensionen "status" (deltagarflödets led)'
                + _forslag(str(varde).strip().lower(), kanda),
                rader=index,
                kolumn="kategori",
                varde=varde,
                forvantat=lista_kategorier(kanda),
                kod="kategori",
            )


def _dimensionskategorier(df: pd.DataFrame, s: _Samlare, trappa: Any) -> None:
    if not {"dimension", "kategori"} <= set(df.columns):
        return
    for dimension, g in df.groupby("dimension", sort=False):
        if str(dimension) == "status":
            _statuskategorier(g, s)
            continue
        kanda = DIMENSIONER.get(str(dimension))
        if kanda is None:
            continue
        for varde, index in _per_varde(g["kategori"]).items():
            if varde not in kanda:
                s.lagg(
                    f'okänd kategori för dimensionen "{dimension}"' + _forslag(varde, kanda),
                    rader=index,
                    kolumn="kategori",
                    varde=varde,
                    forvantat=lista_kategorier(kanda),
                    kod="kategori",
                )


def _helarsekvivalenter(df: pd.DataFrame, s: _Samlare, trappa: Any) -> None:
    if {"hae", "folkmangd_20_64"} <= set(df.columns):
        storre = (df["hae"] > df["folkmangd_20_64"]).fillna(False).to_numpy(bool)
        for idx in df.index[storre]:
            s.lagg(
                "en del är större än sin total: helårsekvivalenter "
                f"{_visa(df.at[idx, 'hae'])} > folkmängd {_visa(df.at[idx, 'folkmangd_20_64'])}",
                rader=(idx,),
                kolumn="hae",
                kod="del_storre_an_total",
            )
    krav = {"region", "ar", "ersattningsform", "kon", "hae"}
    if not krav <= set(df.columns):
        return
    grupp = [k for k in ("region", "ar", "manad", "kon", "kalla", KALLTABELL) if k in df.columns]
    ar_total = (df["ersattningsform"] == TOTALT).fillna(False).to_numpy(bool)
    ar_del = (~ar_total) & df["hae"].notna().to_numpy(bool)
    for idx, total_idx, form, del_v, tot_v in _storre_an_total(
        df, grupp, ar_total & df["hae"].notna().to_numpy(bool), ar_del, "hae", "ersattningsform"
    ):
        s.lagg(
            f"en del är större än sin total: {form} = {_visa(del_v)} "
            f"men Totalt = {_visa(tot_v)} (rad {total_idx})",
            rader=(idx,),
            kolumn="hae",
            kod="del_storre_an_total",
        )


def _mal(df: pd.DataFrame, s: _Samlare, trappa: Any) -> None:
    if {"varde", "enhet"} <= set(df.columns):
        andel = df["enhet"].isin(["andel"]).fillna(False).to_numpy(bool)
        over = andel & (df["varde"] > 1).fillna(False).to_numpy(bool)
        for idx in df.index[over]:
            s.lagg(
                "andel över 100 % (andelar anges som bråk 0–1, t.ex. 0,25 för 25 %)",
                rader=(idx,),
                kolumn="varde",
                varde=df.at[idx, "varde"],
                forvantat="ett tal 0–1",
                kod="andel",
            )


_SARSKILDA = {
    "deltagare": _deltagare,
    "ersattningsperioder": _ersattningsperioder,
    "halsoenkat": _halsoenkat,
    "deltagarantal": _dimensionskategorier,
    "avbrott": _dimensionskategorier,
    "helarsekvivalenter": _helarsekvivalenter,
    "mal": _mal,
}
