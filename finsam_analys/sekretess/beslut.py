"""Sekretessbeslutet: vilka storheter som maskas, så att inget litet antal kan räknas fram.

Reglerna, i ordning (:func:`sekretessbeslut`):

1. **Primär maskning**: antal under ``troskel`` (0 < antal < troskel; nollor bara med
   ``maskera_nollor``), och storheter som anroparen kräver maskade (``tvingade``: t.ex. samma
   storhet maskad i en annan rapport i batchen).
2. **Nollregeln** (attributröjande): när en helhet har exakt en maskad del och alla övriga
   delar visas som 0, säger tabellen att *alla* i gruppen hör till den maskade delen. Då maskas
   också en av nollorna (den första i sambandets ordning), så att det finns två maskade delar.
   Regeln prövas igen efter varje sekundär maskning.
3. **Kontroll**: :class:`~finsam_analys.sekretess.attack.Angripare` räknar för varje maskad
   storhet om bara ett heltal stämmer med allt som visas och alla samband.
4. **Sekundär maskning**: för varje komponent (maskade storheter som hänger ihop genom samband)
   med något röjt maskas en visad storhet i ett samband med det röjda (finns ingen sådan: i
   komponentens samband). Valet: helst inte en nolla; helst en i ett samband där det röjda är
   den enda okända (där hjälper maskningen säkert); helst en så detaljerad storhet som möjligt
   (flest villkor: förbundets totaler som fullföljda och avbrutna maskas sist); helst en del och
   inte en summa; helst en som ligger i samband med flest röjda och därefter flest maskade
   (sluter en "rektangel"), och det minsta antalet. Därefter prövas de ändrade komponenterna
   igen, tills inget är röjt.

Examples
--------
>>> from finsam_analys.tabell import Relation, Storhet
>>> t, a, b, c = (Storhet.av("x", d=d) for d in ("", "a", "b", "c"))
>>> v = {t: 20, a: 2, b: 8, c: 10}
>>> beslut = sekretessbeslut(v, set(v), [Relation.summa(t, [a, b, c])])
>>> sorted((str(s), skal) for s, skal in beslut.skal.items())
[('x[d=a]', 'primär'), ('x[d=b]', 'sekundär')]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from finsam_analys.perioder import Rapportperiod
from finsam_analys.sekretess.attack import Angripare, ar_rojd, komponenter
from finsam_analys.tabell import Referens, Relation, Storhet, beroenden

__all__ = [
    "PERIODMONOTONA",
    "Sekretessbeslut",
    "ar_rest",
    "periodsamband",
    "sekretessbeslut",
    "summadelar",
]

PERIODMONOTONA: tuple[str, ...] = ("deltagit", "nya", "avslut", "uppfoljning", "svarande")
"""Populationer som räknar händelser under perioden: för en period inuti en annan (delår i
helår) är antalet aldrig större, så läsaren vet ``helår = delår + resten`` med resten ≥ 0."""

_UTOM = " utom "


@dataclass(frozen=True)
class Sekretessbeslut:
    """Vilka storheter som maskas, och varför (ett protokoll).

    ``skal`` säger varför en storhet maskas: ``"primär"`` (under tröskeln), ``"tvingad"``,
    ``"nollregel"`` eller ``"sekundär"``. ``intervall`` är för varje maskad storhet två värden
    ``(a, b)`` som båda stämmer med allt som visas (ur den sista kontrollen; ``b`` är ``inf``
    när storheten kan vara hur stor som helst). ``rojda`` är maskade storheter som ändå kunde
    räknas fram (ska vara tom). ``optimeringar`` är antalet lösta optimeringsproblem.
    """

    maskade: frozenset[Storhet] = frozenset()
    skal: Mapping[Storhet, str] = field(default_factory=dict)
    intervall: Mapping[Storhet, tuple[float, float]] = field(default_factory=dict)
    troskel: int = 5
    namnare_troskel: int = 10
    avstangd: bool = False
    rojda: frozenset[Storhet] = frozenset()
    optimeringar: int = 0

    def ar_maskad(self, ref: Referens) -> bool:
        """Sant om någon storhet som ``ref`` bygger på är maskad."""
        return bool(beroenden(ref) & self.maskade)


def ar_rest(s: Storhet) -> bool:
    """Sant för resten i ett :func:`periodsamband` (en storhet som aldrig visas).

    Examples
    --------
    >>> ar_rest(Storhet.av("nya", "2024 utom 2024-01..2024-08")), ar_rest(Storhet.av("nya", "2024"))
    (True, False)
    """
    return _UTOM in s.period


def summadelar(r: Relation) -> tuple[Storhet, list[Storhet]] | None:
    """Summan och delarna om sambandet är "summa = delar" (första termen +1, övriga −1).

    Examples
    --------
    >>> t, a = Storhet.av("x"), Storhet.av("x", d="a")
    >>> summadelar(Relation.summa(t, [a]))[0] == t
    True
    >>> summadelar(Relation(((1, t), (1, a)))) is None
    True
    """
    if not r.termer or r.termer[0][0] != 1 or any(k != -1 for k, _ in r.termer[1:]):
        return None
    return r.termer[0][1], [s for _, s in r.termer[1:]]


def _nollregeln(
    varden: Mapping[Storhet, float],
    visade: Collection[Storhet],
    maskade: set[Storhet],
    relationer: Sequence[Relation],
) -> list[Storhet]:
    """Nollor som ska maskas: en helhet med en enda maskad del och bara visade nollor i övrigt."""
    nya: list[Storhet] = []
    for r in relationer:
        sd = summadelar(r)
        if sd is None or len(sd[1]) < 2:
            continue
        delar = sd[1]
        if sum(d in maskade for d in delar) != 1:
            continue
        ovriga = [d for d in delar if d not in maskade]
        if all(d in visade and varden.get(d) == 0 for d in ovriga):
            maskade.add(ovriga[0])
            nya.append(ovriga[0])
    return nya


def _ar_tal(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def sekretessbeslut(
    varden: Mapping[Storhet, float],
    visade: Collection[Storhet],
    relationer: Sequence[Relation],
    *,
    troskel: int = 5,
    maskera_nollor: bool = False,
    tvingade: Collection[Storhet] = (),
    sekundar: bool = True,
) -> Sekretessbeslut:
    """Vilka storheter som ska maskas så att inget maskat antal kan räknas fram.

    Parameters
    ----------
    varden : Mapping[Storhet, float]
        Värdet på varje storhet (visad eller inte).
    visade : Collection[Storhet]
        Storheterna som skulle visas någonstans (i en cell, en mening, ett nyckeltal, eller
        genom en visad andel eller ett visat intervall).
    relationer : Sequence[Relation]
        Samband som läsaren känner. Samband som inte stämmer med ``varden`` (publicerade tal
        med fel) används inte.
    troskel : int
        Minsta antal som visas (0 < antal < troskel maskas; nollor bara om ``maskera_nollor``).
    tvingade : Collection[Storhet]
        Storheter som maskas oavsett värde (t.ex. maskade i en annan rapport i batchen).
    sekundar : bool
        ``False`` ger bara primär maskning (cell för cell, utan nollregel och kontroll); finns
        för tester som visar att kontrollen behövs.

    Examples
    --------
    SOT Västerås 2019, avslut per insats och utfall: studier 2 (MAC) och 1 (Trädgård) är
    små; med rad- och kolumnsummor måste ytterligare celler maskas.

    >>> import pandas as pd
    >>> from finsam_analys.tabell import Tabell
    >>> t = Tabell.korstabell(pd.DataFrame({"MAC": [5, 2, 19], "Trädgård": [2, 1, 13]},
    ...                       index=["Arbete", "Studier", "Rehab"]), namn="k", titel="K",
    ...                       bas=Storhet.av("avslut"), rad_dimension="utfall",
    ...                       kolumn_dimension="insats", radrubrik="Utfall")
    >>> b = sekretessbeslut(t.antal, set(t.antal), t.relationer)
    >>> sorted(str(s) for s, skal in b.skal.items() if skal == "primär")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['avslut[insats=MAC, utfall=Studier]', 'avslut[insats=Trädgård, utfall=Arbete]',
     'avslut[insats=Trädgård, utfall=Studier]', 'avslut[utfall=Studier]']
    >>> sorted(str(s) for s, skal in b.skal.items() if skal == "sekundär")
    ['avslut[insats=MAC, utfall=Arbete]', 'avslut[utfall=Arbete]']
    >>> any(ar_rojd(i) for i in b.intervall.values()), b.rojda
    (False, frozenset())
    """
    giltiga = [r for r in relationer if r.galler(varden)]
    visade = set(visade)
    skal: dict[Storhet, str] = {}
    for s in sorted(visade):
        v = varden.get(s)
        if _ar_tal(v) and (0 < v < troskel or (maskera_nollor and v == 0)):
            skal[s] = "primär"
    for s in sorted(tvingade):
        skal.setdefault(s, "tvingad")
    maskade = set(skal)
    if not sekundar:
        return Sekretessbeslut(frozenset(maskade), skal, {}, troskel)
    prova = visade | set(tvingade)
    angripare = Angripare(varden, giltiga)
    per_storhet: dict[Storhet, list[int]] = defaultdict(list)
    summor: set[Storhet] = set()
    for i, r in enumerate(giltiga):
        for s in set(r.storheter):
            per_storhet[s].append(i)
        sd = summadelar(r)
        if sd is not None and not any(ar_rest(d) for d in sd[1]):
            summor.add(sd[0])
    intervall: dict[Storhet, tuple[float, float]] = {}
    rojda: set[Storhet] = set()
    while True:
        for s in _nollregeln(varden, visade, maskade, giltiga):
            skal.setdefault(s, "nollregel")
        kanda = visade - maskade
        # ensam okänd i ett samband: röjd utan optimering; annars prövar angriparen
        rojda = _ensamma(kanda, maskade & prova, giltiga)
        if not rojda:
            intervall = angripare.intervall(kanda, maskade & prova)
            rojda = {s for s, i in intervall.items() if ar_rojd(i)}
        if not rojda:
            break
        val = _sekundara(rojda, kanda, maskade, giltiga, per_storhet, summor, varden)
        if not val:  # inget visat att maska i komponenten (ska inte hända)
            break
        for s in val:
            maskade.add(s)
            skal.setdefault(s, "sekundär")
    return Sekretessbeslut(
        maskade=frozenset(maskade),
        skal=skal,
        intervall=intervall,
        troskel=troskel,
        rojda=frozenset(rojda),
        optimeringar=angripare.optimeringar,
    )


def _ensamma(
    kanda: set[Storhet], sokta: set[Storhet], relationer: Sequence[Relation]
) -> set[Storhet]:
    """Prövade storheter som är den enda okända i något samband (röjda utan optimering)."""
    ut: set[Storhet] = set()
    for r in relationer:
        okanda = {s for s in r.storheter if s not in kanda}
        if len(okanda) == 1:
            ut |= okanda & sokta
    return ut


def _sekundara(
    rojda: set[Storhet],
    kanda: set[Storhet],
    maskade: set[Storhet],
    relationer: Sequence[Relation],
    per_storhet: Mapping[Storhet, list[int]],
    summor: set[Storhet],
    varden: Mapping[Storhet, float],
) -> list[Storhet]:
    """En visad storhet att maska per komponent med något röjt (se modulens regel 4)."""
    okanda = {s for r in relationer for s in r.storheter} - kanda
    val: list[Storhet] = []
    for index, fria in komponenter(relationer, okanda):
        egna_rojda = [s for s in fria if s in rojda]
        if not egna_rojda:
            continue
        # helst i ett samband med en röjd storhet, annars var som helst i komponenten
        kandidater = {
            g
            for s in egna_rojda
            for i in per_storhet[s]
            for g in relationer[i].storheter
            if g in kanda
        } or {g for i in index for g in relationer[i].storheter if g in kanda}
        if not kandidater:
            continue

        # samband där en röjd storhet är den enda okända: där hjälper en maskning säkert
        avgorande = {
            g
            for s in egna_rojda
            for i in per_storhet[s]
            if all(t in kanda or t == s for t in relationer[i].storheter)
            for g in relationer[i].storheter
            if g in kanda
        }

        def poang(g: Storhet, avgorande: set[Storhet] = avgorande) -> tuple:
            v = float(varden.get(g, 0) or 0)
            grannar = {s for i in per_storhet[g] for s in relationer[i].storheter}
            med_maskade = sum(
                any(s in maskade for s in relationer[i].storheter) for i in per_storhet[g]
            )
            return (
                v == 0,
                bool(avgorande) and g not in avgorande,
                -len(g.villkor),
                g in summor,
                -len(grannar & rojda),
                -med_maskade,
                v,
                g,
            )

        val.append(min(kandidater, key=poang))
    return list(dict.fromkeys(val))


def periodsamband(varden: Iterable[Storhet]) -> tuple[list[Relation], dict[Storhet, float]]:
    """Samband mellan perioder som ligger i varandra (delår i helår), för :data:`PERIODMONOTONA`.

    För varje par storheter med samma population, villkor och förbund där perioden ``p`` ligger
    inuti ``q``: ``s(q) = s(p) + rest`` där resten är en ny storhet som aldrig visas (värdet
    ``s(q) - s(p)`` ≥ 0). Läsaren vet det utan att någon tabell säger det.

    Parameters
    ----------
    varden : Mapping[Storhet, float]
        Storheternas värden.

    Returns
    -------
    (list[Relation], dict[Storhet, float])
        Sambanden och resternas värden.

    Examples
    --------
    >>> h, d = Storhet.av("avslut", "2024", insats="A"), Storhet.av("avslut", "2024-01..2024-08",
    ...                                                             insats="A")
    >>> rel, rest = periodsamband({h: 9, d: 6})
    >>> [(k, str(s)) for k, s in rel[0].termer]  # doctest: +NORMALIZE_WHITESPACE
    [(1, 'avslut[2024; insats=A]'), (-1, 'avslut[2024-01..2024-08; insats=A]'),
     (-1, 'avslut[2024 utom 2024-01..2024-08; insats=A]')]
    >>> list(rest.values())
    [3]
    """
    varden = dict(varden) if isinstance(varden, Mapping) else {s: math.nan for s in varden}
    grupper: dict[tuple, list[Storhet]] = defaultdict(list)
    for s in varden:
        if s.population in PERIODMONOTONA and s.period:
            grupper[(s.population, s.villkor, s.forbund)].append(s)
    perioder: dict[str, Rapportperiod | None] = {}

    def tolka(kod: str) -> Rapportperiod | None:
        if kod not in perioder:
            try:
                perioder[kod] = Rapportperiod.tolka(kod)
            except (ValueError, TypeError):
                perioder[kod] = None
        return perioder[kod]

    relationer: list[Relation] = []
    rester: dict[Storhet, float] = {}
    for grupp in grupper.values():
        if len(grupp) < 2:
            continue
        for inre in grupp:
            for yttre in grupp:
                p, q = tolka(inre.period), tolka(yttre.period)
                if p is None or q is None or p == q:
                    continue
                if not (q.start <= p.start and p.slut <= q.slut):
                    continue
                vi, vy = varden[inre], varden[yttre]
                if not (_ar_tal(vi) and _ar_tal(vy)) or vy < vi:
                    continue  # samma storhet kan inte vara mindre i den längre perioden
                rest = Storhet(yttre.population, f"{yttre.period}{_UTOM}{inre.period}",
                               yttre.villkor, yttre.forbund)  # fmt: skip
                rester[rest] = vy - vi
                relationer.append(Relation.summa(yttre, [inre, rest]))
    return relationer, rester
