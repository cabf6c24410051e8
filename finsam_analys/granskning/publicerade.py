"""Granskning av publicerade tabeller utifrån deras deklarerade struktur.

En :class:`~finsam_analys.indata.publicerat.PubliceradTabell` säger själv hur den hänger ihop:
vilka rader som är summor av vilka (grupper, ``del_av``, varav-listor), vilka kolumner som är
summor, differenser, kvoter eller förändringar av andra, vilka andelar som hör till vilka
antal och nämnare, vilka andelar som är fördelningar, vilka mål som har en tryckt bedömning och
vilken teckenkonvention budgeten har. :func:`granska_publicerad` gör varje kontroll som den
deklarerade strukturen ger — inga formler per rapport — och returnerar **en rad per kontroll**
(även de som stämmer), så att granskningen kan redovisa vad som prövats per tabell.

Precisionen bedöms per tryckt värde: ett tal med ``d`` decimaler som är avrundat kan ligga en
halv enhet i sista decimalen fel åt båda hållen, och en summa, differens eller kvot av avrundade
tal får avvika så mycket som avrundningarna tillsammans kan förklara (status ``avrundning``,
inget fel). Exakta tal (antal personer, belopp i kr) har ingen sådan marginal.

Statusar: ``stämmer``, ``avrundning`` (ryms i avrundningen), ``avvikelse``, ``att
kontrollera`` (t.ex. en varav-lista som inte täcker sin total och inte är markerad som
ofullständig) och ``ej prövbar`` (t.ex. ett mål som inte är ett tal).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from finsam_analys.granskning.kontroller import _avrunda, _som_fynd, _tal
from finsam_analys.indata.publicerat import PubliceradTabell, bedomning_uppfylld

__all__ = [
    "KONTROLLKOLUMNER",
    "STATUSAR",
    "granska_publicerad",
    "granska_publicerade",
    "kontroller_som_fynd",
    "tomma_kontroller",
]

KONTROLLKOLUMNER: tuple[str, ...] = (
    "tabell",
    "rad",
    "kolumn",
    "kontroll",
    "status",
    "publicerat",
    "omraknat",
    "avvikelse",
    "kommentar",
)
STATUSAR: tuple[str, ...] = ("stämmer", "avrundning", "avvikelse", "att kontrollera", "ej prövbar")
"""Kontrollernas utfall. Bara ``avvikelse`` är ett fel i det tryckta."""

_FYNDTYP = {
    "summa": "summa",
    "varav": "varav-delar överstiger totalen",
    "differens": "differens",
    "kvot": "andel",
    "andel": "andel",
    "möjlig andel": "andel",
    "förändring": "förändring",
    "procentenheter": "förändring",
    "fördelning": "fördelning",
    "bedömning": "bedömning",
    "indikator": "indikator",
}
_EPS = 1e-9


def tomma_kontroller() -> pd.DataFrame:
    """En tom kontrolltabell.

    >>> list(tomma_kontroller().columns)[:5]
    ['tabell', 'rad', 'kolumn', 'kontroll', 'status']
    """
    return _som_kontroller([])


def _som_kontroller(rader: list[dict[str, Any]]) -> pd.DataFrame:
    data = {k: [r.get(k) for r in rader] for k in KONTROLLKOLUMNER}
    ut = pd.DataFrame(data, columns=list(KONTROLLKOLUMNER))
    for k in ("publicerat", "omraknat", "avvikelse"):
        ut[k] = pd.to_numeric(ut[k], errors="coerce").astype("float64")
    for k in ("tabell", "rad", "kolumn", "kontroll", "status", "kommentar"):
        ut[k] = ut[k].fillna("").astype(str)
    return ut


def tabellnamn(tabell: PubliceradTabell) -> str:
    """Tabellens namn i granskningen: titeln och var den står.

    >>> from types import SimpleNamespace
    >>> tabellnamn(SimpleNamespace(titel="Länets kommuner 2020", referens="s. 14"))
    'Länets kommuner 2020 (s. 14)'
    """
    return f"{tabell.titel} ({tabell.referens})" if tabell.referens else tabell.titel


# --------------------------------------------------------------------------- värden


class _Varden:
    """Åtkomst till en tabells tal i basenhet med halva avrundningsintervallet.

    ``fore=True`` ger värdena i parentes (föregående period) i stället för huvudtalen.
    """

    def __init__(self, tabell: PubliceradTabell, *, fore: bool = False) -> None:
        self.t = tabell
        self.fore = fore

    def avrundad(self, kolumn: str) -> tuple[bool, float | None]:
        k = self.t.kolumn(kolumn)
        if k.avrundade is not None:
            return k.avrundade, k.avrundningsenhet
        if self.t.avrundade is not None:
            return self.t.avrundade, self.t.avrundningsenhet
        if k.matt == "antal":
            return False, None
        if k.matt == "belopp":
            enhet = k.enhet or self.t.enhet or "kr"
            return enhet in ("tkr", "mkr"), None
        return True, None

    def varde(self, rad: int, kolumn: str) -> tuple[float, float]:
        """(värde i basenhet, halv avrundningsenhet i basenhet); NaN när inget tal finns."""
        cell = self.t.cell(rad, kolumn)
        if self.fore:
            v, d = cell.foregaende, cell.foregaende_decimaler
        else:
            v, d = cell.varde, cell.decimaler
            if cell.procent and self.t.kolumn(kolumn).matt != "andel":
                # "30 % (15 av 50)" i en antalskolumn: antalet är täljaren
                v, d = cell.taljare, 0
        if math.isnan(v):
            return math.nan, 0.0
        faktor = self.t.enhetsfaktor(rad, kolumn)
        avrundad, enhet = self.avrundad(kolumn)
        if cell.symbol == "–":
            return 0.0, 0.0
        halv = 0.0
        if avrundad:
            halv = 0.5 * (enhet if enhet else 10.0**-d)
        return v * faktor, halv * faktor

    def andel(self, rad: int, kolumn: str) -> tuple[float, int]:
        """Andelen i procent i cellen (huvudtalet i en andelskolumn eller andelen i parentes)."""
        cell = self.t.cell(rad, kolumn)
        k = self.t.kolumn(kolumn)
        if self.fore:
            if k.matt == "andel" or cell.foregaende_procent:
                return cell.foregaende, cell.foregaende_decimaler
            return math.nan, 0
        if not math.isnan(cell.andel):
            return cell.andel, cell.andel_decimaler
        if k.matt == "andel" or cell.procent:
            skala = 100.0 if (k.enhet or "procent") == "brak" else 1.0
            return cell.varde * skala, cell.decimaler + (2 if skala != 1 else 0)
        return math.nan, 0


def _status(avvikelse: float, tolerans: float) -> str:
    if abs(avvikelse) <= _EPS * max(1.0, abs(avvikelse)):
        return "stämmer"
    if abs(avvikelse) <= tolerans + 1e-9:
        return "avrundning"
    return "avvikelse"


class _Granskning:
    def __init__(self, tabell: PubliceradTabell, andra: Mapping[str, PubliceradTabell]) -> None:
        self.t = tabell
        self.andra = andra
        self.namn = tabellnamn(tabell)
        self.rader: list[dict[str, Any]] = []
        r = tabell.rader
        self.roll = r["roll"].tolist()
        self.grupp = r["grupp"].tolist()
        self.del_av = [int(x) for x in r["del_av"]]
        self.typ = r["typ"].tolist()
        self.summakolumn = next((k.namn for k in tabell.kolumner if k.roll == "summa"), None)

    # ------------------------------------------------------------------ hjälp

    def notera(
        self,
        rad: str,
        kolumn: str,
        kontroll: str,
        status: str,
        pub: float = math.nan,
        omr: float = math.nan,
        kommentar: str = "",
    ) -> None:
        self.rader.append(
            {
                "tabell": self.namn,
                "rad": rad,
                "kolumn": kolumn,
                "kontroll": kontroll,
                "status": status,
                "publicerat": pub,
                "omraknat": omr,
                "avvikelse": pub - omr if not (math.isnan(pub) or math.isnan(omr)) else math.nan,
                "kommentar": kommentar,
            }
        )

    def etikett(self, i: int) -> str:
        return self.t.etikett(i)

    def summarad(self, grupp: str) -> int | None:
        rader = [
            i
            for i, (ro, g, d) in enumerate(zip(self.roll, self.grupp, self.del_av, strict=True))
            if ro == "summa" and g == grupp and d < 0
        ]
        return rader[0] if len(rader) == 1 else None

    def bidrag(self, grupp: str, utom: int) -> list[int]:
        """Raderna som summeras till gruppens summa: delar och undergruppernas summor."""
        ut = [
            i
            for i, (ro, g, d) in enumerate(zip(self.roll, self.grupp, self.del_av, strict=True))
            if ro == "del" and g == grupp and d < 0 and i != utom
        ]
        prefix = f"{grupp} › " if grupp else ""
        barn = dict.fromkeys(
            g
            for g in self.grupp
            if g.startswith(prefix) and g != grupp and " › " not in g[len(prefix) :]
        )
        for g in barn:
            s = self.summarad(g)
            ut += [s] if s is not None else self.bidrag(g, utom)
        return sorted(ut)

    def medlemmar(self, s: int) -> list[int]:
        barn = [i for i, d in enumerate(self.del_av) if d == s and self.roll[i] == "del"]
        if barn:
            return barn
        if self.roll[s] != "summa":
            return []
        medl = self.bidrag(self.grupp[s], s)
        typ = self.typ[s]
        if typ in ("intakt", "kostnad"):
            medl = [i for i in medl if self.typ[i] in (typ, None)]
        return medl

    def tecken(self, s: int, medl: list[int]) -> list[float]:
        if self.t.tecken != "kostnader_positiva":
            return [1.0] * len(medl)
        typer = {self.typ[i] for i in medl}
        if "intakt" in typer and "kostnad" in typer or self.typ[s] == "resultat":
            return [-1.0 if self.typ[i] == "kostnad" else 1.0 for i in medl]
        return [1.0] * len(medl)

    def summerbara(self) -> list[str]:
        return [k.namn for k in self.t.kolumner if k.summerbar]

    def har_fore(self) -> bool:
        return any(not math.isnan(c.foregaende) for c in self.t.celler.values())

    # -------------------------------------------------------------- kontroller

    def radsummor(self) -> None:
        """Summarader och uttömmande uppdelningar (del_av) i varje summerbar kolumn."""
        lagen = [False, True] if self.har_fore() else [False]
        for fore in lagen:
            v = _Varden(self.t, fore=fore)
            for s in range(len(self.roll)):
                if self.roll[s] in ("rubrik", "varav"):
                    continue
                medl = self.medlemmar(s)
                if not medl:
                    continue
                tecken = self.tecken(s, medl)
                for k in self.summerbara():
                    total, h_total = v.varde(s, k)
                    if math.isnan(total):
                        continue
                    delar = [v.varde(i, k) for i in medl]
                    if any(self.t.cell(i, k).symbol == ".." for i in medl):
                        continue
                    finns = [
                        (x, h, sg)
                        for (x, h), sg in zip(delar, tecken, strict=True)
                        if not math.isnan(x)
                    ]
                    if not finns:
                        continue
                    summa = math.fsum(sg * x for x, _, sg in finns)
                    tolerans = math.fsum(h for _, h, _ in finns) + h_total
                    faktor = self.t.enhetsfaktor(s, k)
                    kolumn = k + (" (föregående)" if fore else "")
                    status = _status(total - summa, tolerans)
                    delnamn = self._delnamn(medl, tecken)
                    kommentar = f"{delnamn} = {_tal(summa / faktor)}"
                    if status == "avrundning":
                        kommentar += (
                            f"; skillnaden ryms i avrundningen (högst {_tal(tolerans / faktor)})"
                        )
                    self.notera(
                        self.etikett(s),
                        kolumn,
                        "summa",
                        status,
                        total / faktor,
                        summa / faktor,
                        kommentar,
                    )
                self._andelssummor(s, medl, fore)

    def _delnamn(self, medl: list[int], tecken: list[float]) -> str:
        if len(medl) > 4:
            return f"summan av {len(medl)} delar"
        delar = []
        for j, (i, sg) in enumerate(zip(medl, tecken, strict=True)):
            delar.append(("− " if sg < 0 else ("+ " if j else "")) + self.etikett(i))
        return " ".join(delar)

    def _andelssummor(self, s: int, medl: list[int], fore: bool) -> None:
        """Andelarna (andelskolumner och andelar i parentes) i en fördelning över raderna."""
        v = _Varden(self.t, fore=fore)
        for k in self.t.kolumner:
            if k.roll not in ("varde", "summa") or k.matt in ("text",):
                continue
            total, d_total = v.andel(s, k.namn)
            if math.isnan(total):
                continue
            delar = [v.andel(i, k.namn) for i in medl]
            if any(math.isnan(p) for p, _ in delar):
                continue
            deklarerad = self.t.fordelning == "kolumner" or k.fordelning
            hundra = abs(total - 100) <= 1.0 and not all(abs(p - 100) <= 1.0 for p, _ in delar)
            if not (deklarerad or (hundra and self.t.fordelning != "rader")):
                continue
            summa = math.fsum(p for p, _ in delar)
            tolerans = math.fsum(0.5 * 10.0**-d for _, d in delar) + 0.5 * 10.0**-d_total
            kolumn = (
                k.namn
                + (" (föregående)" if fore else "")
                + (" (andel)" if k.matt != "andel" else "")
            )
            status = _status(total - summa, tolerans)
            self.notera(
                self.etikett(s),
                kolumn,
                "fördelning",
                status,
                total,
                summa,
                f"andelarna summerar till {_tal(summa)} %"
                + (
                    f"; ryms i avrundningen av {len(delar)} andelar"
                    if status == "avrundning"
                    else ""
                ),
            )

    def varav(self) -> None:
        lagen = [False, True] if self.har_fore() else [False]
        for fore in lagen:
            v = _Varden(self.t, fore=fore)
            foraldrar = sorted(
                {d for i, d in enumerate(self.del_av) if d >= 0 and self.roll[i] == "varav"}
            )
            for p in foraldrar:
                lista = [i for i, d in enumerate(self.del_av) if d == p and self.roll[i] == "varav"]
                uttommande = self._uttommande(p, lista)
                for k in self.summerbara():
                    total, h_total = v.varde(p, k)
                    delar = [v.varde(i, k) for i in lista]
                    finns = [(x, h) for x, h in delar if not math.isnan(x)]
                    if math.isnan(total) or not finns:
                        continue
                    summa = math.fsum(x for x, _ in finns)
                    tolerans = math.fsum(h for _, h in finns) + h_total
                    faktor = self.t.enhetsfaktor(p, k)
                    kolumn = k + (" (föregående)" if fore else "")
                    rad = self.etikett(p)
                    text = f"varav-raderna summerar till {_tal(summa / faktor)}"
                    if summa > total + tolerans + 1e-9:
                        self.notera(
                            rad,
                            kolumn,
                            "varav",
                            "avvikelse",
                            total / faktor,
                            summa / faktor,
                            text + f", mer än {_tal(total / faktor)}",
                        )
                    elif uttommande:
                        status = _status(total - summa, tolerans)
                        self.notera(
                            rad,
                            kolumn,
                            "summa",
                            status,
                            total / faktor,
                            summa / faktor,
                            text + " (listan är uttömmande)",
                        )
                    elif uttommande is None and summa < total - tolerans - 1e-9:
                        self.notera(
                            rad,
                            kolumn,
                            "varav",
                            "att kontrollera",
                            total / faktor,
                            summa / faktor,
                            text + f", mindre än {_tal(total / faktor)}: saknas en del, eller är "
                            "listan inte uttömmande (uttommande: nej)?",
                        )
                    else:
                        self.notera(
                            rad,
                            kolumn,
                            "varav",
                            "stämmer",
                            total / faktor,
                            summa / faktor,
                            text + " (inte mer än totalen)",
                        )

    def _uttommande(self, p: int, lista: list[int]) -> bool | None:
        flaggor = [self.t.rader.at[i, "uttommande"] for i in [p, *lista]]
        flaggor = [bool(f) for f in flaggor if not pd.isna(f)]
        if flaggor:
            return all(flaggor)
        return self.t.varav_uttommande

    def kolumnrelationer(self) -> None:
        lagen = [False, True] if self.har_fore() else [False]
        for fore in lagen:
            v = _Varden(self.t, fore=fore)
            for k in self.t.kolumner:
                if k.roll == "summa":
                    self._summakolumn(v, k.namn, fore)
                elif k.roll in ("differens", "kvot", "forandring", "procentenheter"):
                    self._relation(v, k.namn, fore)

    def _summakolumn(self, v: _Varden, kolumn: str, fore: bool) -> None:
        k = self.t.kolumn(kolumn)
        av = list(k.av) or [
            x.namn
            for x in self.t.kolumner
            if x.roll == "varde" and x.matt == k.matt and x.namn != kolumn
        ]
        if not av:
            return
        for i in range(len(self.roll)):
            if k.matt == "andel":
                total, d_total = v.andel(i, kolumn)
                deklarerad = self.t.fordelning == "rader"
                hundra = abs(total - 100) <= 1.0 and self.t.fordelning != "kolumner"
                if math.isnan(total) or not (deklarerad or hundra):
                    continue
                delar = [v.andel(i, a) for a in av]
                if any(math.isnan(p) for p, _ in delar):
                    continue
                summa = math.fsum(p for p, _ in delar)
                tolerans = math.fsum(0.5 * 10.0**-d for _, d in delar) + 0.5 * 10.0**-d_total
                self.notera(
                    self.etikett(i),
                    kolumn + (" (föregående)" if fore else ""),
                    "fördelning",
                    _status(total - summa, tolerans),
                    total,
                    summa,
                    f"{' + '.join(av)} = {_tal(summa)} %",
                )
                continue
            total, h_total = v.varde(i, kolumn)
            if math.isnan(total):
                continue
            delar = [v.varde(i, a) for a in av]
            if any(self.t.cell(i, a).symbol == ".." for a in av):
                continue
            finns = [(x, h) for x, h in delar if not math.isnan(x)]
            if not finns:
                continue
            summa = math.fsum(x for x, _ in finns)
            tolerans = math.fsum(h for _, h in finns) + h_total
            faktor = self.t.enhetsfaktor(i, kolumn)
            status = _status(total - summa, tolerans)
            namn = " + ".join(av) if len(av) <= 4 else f"summan av {len(av)} kolumner"
            self.notera(
                self.etikett(i),
                kolumn + (" (föregående)" if fore else ""),
                "summa",
                status,
                total / faktor,
                summa / faktor,
                f"{namn} = {_tal(summa / faktor)}",
            )
            # Andelar i parentes längs raden (t.ex. Totalt-raden: 47 % + 24 % + 29 % = 100 %).
            p_total, d_total = v.andel(i, kolumn)
            hundra = abs(p_total - 100) <= 1.0 and self.t.fordelning != "kolumner"
            if not math.isnan(p_total) and (hundra or self.t.fordelning == "rader"):
                andelar = [v.andel(i, a) for a in av]
                if not any(math.isnan(p) for p, _ in andelar):
                    summa_p = math.fsum(p for p, _ in andelar)
                    tol = math.fsum(0.5 * 10.0**-d for _, d in andelar) + 0.5 * 10.0**-d_total
                    self.notera(
                        self.etikett(i),
                        kolumn + " (andel)",
                        "fördelning",
                        _status(p_total - summa_p, tol),
                        p_total,
                        summa_p,
                        f"andelarna summerar till {_tal(summa_p)} %",
                    )

    def _relation(self, v: _Varden, kolumn: str, fore: bool) -> None:
        k = self.t.kolumn(kolumn)
        a_namn, b_namn = k.av
        for i in range(len(self.roll)):
            cell = self.t.cell(i, kolumn)
            if k.matt == "andel":
                pub, d = v.andel(i, kolumn)
                h_pub = 0.5 * 10.0**-d
                faktor = 1.0
            else:
                pub, h_pub = v.varde(i, kolumn)
                faktor = self.t.enhetsfaktor(i, kolumn)
            a, ha = v.varde(i, a_namn)
            b, hb = v.varde(i, b_namn)
            if math.isnan(pub) or math.isnan(a) or math.isnan(b) or cell.symbol == "..":
                continue
            if k.roll == "differens":
                exakt, lag, hog = a - b, a - b - ha - hb, a - b + ha + hb
                text = f"{_tal(a / faktor)} − {_tal(b / faktor)} = {_tal(exakt / faktor)}"
                kontroll = "differens"
            elif k.roll == "procentenheter":
                exakt, lag, hog = b - a, b - a - ha - hb, b - a + ha + hb
                text = f"{_tal(b)} − {_tal(a)} = {_tal(exakt)} procentenheter"
                kontroll = "procentenheter"
            elif k.roll == "kvot":
                if b == 0:
                    continue
                skala = 1.0 if (k.enhet == "brak") else 100.0
                exakt = a / b * skala
                hornen = [
                    (a + x) / (b + y) * skala for x in (-ha, ha) for y in (-hb, hb) if b + y != 0
                ]
                lag, hog = min(hornen), max(hornen)
                ta, tb = _tal(a / self._f(i, a_namn)), _tal(b / self._f(i, b_namn))
                text = f"{ta} / {tb} = {_tal(exakt, 2)}"
                kontroll = "kvot"
            else:  # forandring
                if a == 0:
                    continue
                exakt = (b - a) / a * 100
                hornen = [
                    ((b + y) - (a + x)) / (a + x) * 100
                    for x in (-ha, ha)
                    for y in (-hb, hb)
                    if a + x != 0
                ]
                lag, hog = min(hornen), max(hornen)
                text = f"från {_tal(a)} till {_tal(b)} är {_tal(exakt, 2)} %"
                kontroll = "förändring"
            namn = kolumn + (" (föregående)" if fore else "")
            if abs(pub - exakt) <= h_pub + 1e-9 * max(1.0, abs(exakt)):
                status = "stämmer"
            elif lag - h_pub - 1e-9 <= pub <= hog + h_pub + 1e-9:
                status = "avrundning"
            else:
                status = "avvikelse"
            omr = exakt
            if k.matt == "andel" or (h_pub > 0 and k.matt != "belopp"):
                omr = _avrunda(exakt, d if k.matt == "andel" else 0)
            self.notera(self.etikett(i), namn, kontroll, status, pub / faktor, omr / faktor, text)

    def _f(self, rad: int, kolumn: str) -> float:
        return self.t.enhetsfaktor(rad, kolumn)

    # ---------------------------------------------------------------- andelar

    def _namnarregel(self, i: int, kolumn: str) -> str | int | None:
        ref = int(self.t.rader.at[i, "namnare"])
        if ref >= 0:
            return ref
        k = self.t.kolumn(kolumn)
        return k.namnare or self.t.namnare

    def _cell_i(self, tabell: PubliceradTabell, i: int, kolumn: str) -> tuple[int, str] | None:
        """Samma cell i en annan tabell (bas): raden med samma etikett, kolumnen med samma namn."""
        if tabell is self.t:
            return i, kolumn
        etikett = str(self.t.rader.at[i, "etikett"])
        traffar = [j for j, e in enumerate(tabell.rader["etikett"]) if str(e) == etikett]
        if len(traffar) != 1 or kolumn not in tabell.kolumnnamn:
            return None
        return traffar[0], kolumn

    def _namnare(self, tabell: PubliceradTabell, i: int, kolumn: str, regel: Any) -> float:
        v = _Varden(tabell)
        summakolumn = next((k.namn for k in tabell.kolumner if k.roll == "summa"), None)
        roller = tabell.rader["roll"].tolist()
        grupper = tabell.rader["grupp"].tolist()
        toppsumma = [
            j
            for j, (r, g) in enumerate(zip(roller, grupper, strict=True))
            if r == "summa" and g == ""
        ]
        def varde(rad: int, kol: str) -> float:
            cell = tabell.cell(rad, kol)
            if cell.procent and not math.isnan(cell.namnare) and math.isnan(cell.taljare):
                return cell.namnare  # "100 % (n=57)": nämnaren är n
            return v.varde(rad, kol)[0]

        if isinstance(regel, int):
            return varde(regel, kolumn)
        if regel in (None, ""):
            return math.nan
        if regel == "totalt":
            if not toppsumma:
                return math.nan
            return varde(toppsumma[-1], summakolumn or kolumn)
        if regel == "summarad":
            egen = [
                j
                for j, (r, g) in enumerate(zip(roller, grupper, strict=True))
                if r == "summa" and g == grupper[i]
            ]
            rad = egen[-1] if egen else (toppsumma[-1] if toppsumma else None)
            return varde(rad, kolumn) if rad is not None else math.nan
        if regel in ("summakolumn", "radsumma"):
            return varde(i, summakolumn) if summakolumn else math.nan
        if regel in tabell.kolumnnamn:
            return varde(i, regel)
        etiketter = [str(e) for e in tabell.rader["etikett"]]
        if regel in etiketter:
            return varde(etiketter.index(regel), kolumn)
        return math.nan

    def andelar(self) -> None:
        """Varje tryckt andel mot sin täljare och nämnare (eller mot n: finns en täljare?)."""
        for k in self.t.kolumner:
            if k.roll not in ("varde", "summa") or k.matt == "text":
                continue
            n_kolumner = [
                x.namn for x in self.t.kolumner if x.roll == "n" and (not x.av or k.namn in x.av)
            ]
            for i in range(len(self.roll)):
                cell = self.t.cell(i, k.namn)
                p, d = _Varden(self.t).andel(i, k.namn)
                if math.isnan(p) or cell.symbol:
                    continue
                taljare, namnare = math.nan, math.nan
                if not math.isnan(cell.taljare):
                    taljare, namnare = cell.taljare, cell.namnare
                else:
                    bas = self.andra.get(self.t.bas) if self.t.bas else None
                    if bas is not None:
                        plats = self._cell_i(bas, i, k.namn)
                        if plats is not None:
                            taljare = _Varden(bas).varde(*plats)[0]
                            regel = self._namnarregel(i, k.namn)
                            if isinstance(regel, int):
                                regel = str(self.t.rader.at[regel, "etikett"])
                            namnare = self._namnare(bas, plats[0], plats[1], regel)
                    elif k.matt == "andel" and k.av:
                        taljare = _Varden(self.t).varde(i, k.av[0])[0]
                        namnare = self._namnare(self.t, i, k.av[0], self._namnarregel(i, k.namn))
                    elif k.matt != "andel" and not cell.procent:  # "7 (13%)": andel efter antal
                        taljare = cell.varde
                        namnare = self._namnare(self.t, i, k.namn, self._namnarregel(i, k.namn))
                    else:  # bara procent: nämnaren (n) kan ändå vara känd, t.ex. "100 % (n=57)"
                        namnare = self._namnare(self.t, i, k.namn, self._namnarregel(i, k.namn))
                        if namnare == p:  # regeln pekade på en procentsats, inte på ett antal
                            namnare = math.nan
                    if not math.isnan(cell.namnare):
                        namnare = cell.namnare
                    elif math.isnan(namnare) and n_kolumner:
                        namnare = _Varden(self.t).varde(i, n_kolumner[0])[0]
                kolumn = k.namn + (" (andel)" if k.matt != "andel" else "")
                if not math.isnan(taljare) and not math.isnan(namnare) and namnare != 0:
                    self._andel(i, kolumn, p, d, taljare, namnare)
                elif not math.isnan(namnare) and namnare > 0 and namnare == int(namnare):
                    self._mojlig(i, kolumn, p, d, int(namnare))

    def _andel(self, i: int, kolumn: str, p: float, d: int, t: float, n: float) -> None:
        exakt = t / n * 100
        halv = 0.5 * 10.0**-d
        status = "stämmer" if abs(p - exakt) <= halv + 1e-9 else "avvikelse"
        self.notera(
            self.etikett(i),
            kolumn,
            "andel",
            status,
            p,
            _avrunda(exakt, d) if status != "stämmer" else p,
            f"{_tal(t)} / {_tal(n)} = {_tal(exakt, d + 2)} %",
        )

    def _mojlig(self, i: int, kolumn: str, p: float, d: int, n: int) -> None:
        halv = 0.5 * 10.0**-d
        mitt = round(p * n / 100)
        mojliga = [
            k
            for k in (mitt - 1, mitt, mitt + 1)
            if 0 <= k <= n and abs(k / n * 100 - p) <= halv + 1e-9
        ]
        if mojliga:
            self.notera(
                self.etikett(i),
                kolumn,
                "möjlig andel",
                "stämmer",
                p,
                p,
                f"{mojliga[0]} av {n} = {_tal(mojliga[0] / n * 100, d + 2)} %",
            )
        else:
            narmast = min(
                range(max(0, mitt - 1), min(n, mitt + 1) + 1), key=lambda k: abs(k / n * 100 - p)
            )
            self.notera(
                self.etikett(i),
                kolumn,
                "möjlig andel",
                "avvikelse",
                p,
                _avrunda(narmast / n * 100, d),
                f"ingen täljare ger {_tal(p, d)} % av {n}; närmast är {narmast} av {n} = "
                f"{_tal(narmast / n * 100, d + 2)} %",
            )

    # ---------------------------------------------------------------- mål

    def bedomningar(self) -> None:
        for b in [k for k in self.t.kolumner if k.roll == "bedomning"]:
            resultat = (
                b.av[0]
                if b.av
                else next((k.namn for k in self.t.kolumner if k.roll == "varde"), None)
            )
            mal = (
                b.av[1]
                if len(b.av) > 1
                else next((k.namn for k in self.t.kolumner if k.roll == "mal"), None)
            )
            for i in range(len(self.roll)):
                bedomning = self.t.cell(i, b.namn).text
                if not bedomning:
                    continue
                uppfyllt = bedomning_uppfylld(bedomning)
                r = self.t.cell(i, resultat).varde if resultat else math.nan
                malcell = self.t.cell(i, mal) if mal else None
                g = malcell.varde if malcell is not None else math.nan
                riktning = self.t.rader.at[i, "riktning"]
                if riktning is None and malcell is not None:
                    from finsam_analys.indata.tryckt_cell import tolka_maltext

                    riktning = tolka_maltext(malcell.text)[3]
                if riktning is None and mal:
                    riktning = self.t.kolumn(mal).riktning
                rad = self.etikett(i)
                if uppfyllt is None or math.isnan(r) or math.isnan(g) or riktning is None:
                    orsak = (
                        "bedömningen är inte uppfyllt/ej uppfyllt"
                        if uppfyllt is None
                        else "målet eller resultatet är inte ett tal"
                        if math.isnan(r) or math.isnan(g)
                        else "målets riktning (minst/högst) anges inte"
                    )
                    self.notera(
                        rad,
                        b.namn,
                        "bedömning",
                        "ej prövbar",
                        kommentar=f"tryckt '{bedomning}'; {orsak}",
                    )
                    continue
                vantat = r >= g if riktning == "minst" else r <= g
                ord_ = "minst" if riktning == "minst" else "högst"
                utfall = "uppfyllt" if vantat else "ej uppfyllt"
                pr = " %" if malcell is not None and malcell.procent else ""
                text = f"resultatet {_tal(r)}{pr} mot målet {ord_} {_tal(g)}{pr}: {utfall}"
                if vantat == uppfyllt:
                    self.notera(rad, b.namn, "bedömning", "stämmer", r, g, text)
                else:
                    self.notera(
                        rad,
                        b.namn,
                        "bedömning",
                        "avvikelse",
                        r,
                        g,
                        f"tryckt '{bedomning}', men {text}",
                    )

    def kor(self) -> pd.DataFrame:
        self.radsummor()
        self.varav()
        self.kolumnrelationer()
        self.andelar()
        self.bedomningar()
        return _som_kontroller(self.rader)


def granska_publicerad(
    tabell: PubliceradTabell, *, andra: Mapping[str, PubliceradTabell] | None = None
) -> pd.DataFrame:
    """Alla kontroller som tabellens deklarerade struktur ger, en rad per kontroll.

    Parameters
    ----------
    tabell : PubliceradTabell
        Tabellen som tryckt (från :func:`finsam_analys.indata.publicerat.las_publicerade`).
    andra : mapping id -> PubliceradTabell, valfri
        Övriga tabeller (behövs när tabellen har ``bas``: andelar räknade ur en annan tabell).

    Returns
    -------
    DataFrame
        Kolumnerna :data:`KONTROLLKOLUMNER`; ``status`` är en av :data:`STATUSAR`.

    Examples
    --------
    Avesta 2015/16: budget, utfall och differens (budget − utfall) i kr.

    >>> from finsam_analys.indata.publicerat import tabell_fran_rutnat
    >>> t, _ = tabell_fran_rutnat(
    ...     [["Kr", "Budget", "Utfall period", "Differens"],
    ...      ["Personal", "1 775 000", "819 000", "955 000"],
    ...      ["Lokaler", "165 000", "88 000", "77 000"],
    ...      ["Summa", "1 940 000", "907 000", "1 032 000"]],
    ...     {"id": "budget", "titel": "Budgetutfall", "referens": "avsnitt 9",
    ...      "period": "2015-07..2016-06", "matt": "belopp", "enhet": "kr",
    ...      "kolumner": {"Differens": {"roll": "differens", "av": ["Budget", "Utfall period"]}}},
    ...     fil="budget.csv")
    >>> k = granska_publicerad(t)
    >>> k[k["status"] != "stämmer"][["rad", "kolumn", "kontroll", "publicerat", "omraknat"]].values.tolist()
    [['Personal', 'Differens', 'differens', 955000.0, 956000.0], ['Summa', 'Differens', 'differens', 1032000.0, 1033000.0]]
    >>> int((k["status"] == "stämmer").sum())
    4
    """  # noqa: E501
    return _Granskning(tabell, andra or {}).kor()


def granska_publicerade(tabeller: Iterable[PubliceradTabell]) -> pd.DataFrame:
    """:func:`granska_publicerad` för flera tabeller (de kan använda varandra som ``bas``)."""
    tabeller = list(tabeller)
    andra = {t.id: t for t in tabeller}
    delar = [granska_publicerad(t, andra=andra) for t in tabeller]
    delar = [d for d in delar if len(d)]
    return pd.concat(delar, ignore_index=True) if delar else tomma_kontroller()


def kontroller_som_fynd(kontroller: pd.DataFrame) -> pd.DataFrame:
    """Kontrollerna som inte stämmer, i granskningens fyndformat (``kontroller.KOLUMNER``).

    ``avrundning`` blir fyndtypen ``"avrundning"``, ``att kontrollera`` blir
    ``"varav-delar täcker inte totalen"`` och en avvikelse får kontrollens fyndtyp
    (summa, differens, andel, förändring, fördelning, bedömning …).
    """
    urval = kontroller[kontroller["status"].isin(["avvikelse", "avrundning", "att kontrollera"])]
    rader = []
    for r in urval.itertuples(index=False):
        if r.status == "avrundning":
            typ = "avrundning"
        elif r.status == "att kontrollera":
            typ = (
                "indikator att kontrollera"
                if r.kontroll == "indikator"
                else "varav-delar täcker inte totalen"
            )
        else:
            typ = _FYNDTYP.get(r.kontroll, r.kontroll)
        rader.append(
            {
                "tabell": r.tabell,
                "rad": r.rad,
                "kolumn": r.kolumn,
                "typ": typ,
                "publicerat": r.publicerat,
                "omraknat": r.omraknat,
                "avvikelse": r.avvikelse,
                "kommentar": r.kommentar,
            }
        )
    return _som_fynd(rader)
