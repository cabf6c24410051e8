"""Angreppet: vad en läsare kan räkna fram om maskade antal ur allt som visas.

Läsaren känner varje visat antal och varje samband (:class:`~finsam_analys.tabell.Relation`:
summor, flödets identiteter, samma storhet i två tabeller), och vet att antal är heltal som
aldrig är negativa. Övriga storheter (maskade, och sådana som aldrig visas, t.ex. en summa
utan summarad) är okända. En maskad storhet är *röjd* när bara ett värde stämmer med allt
läsaren vet.

Prövningen är exakt för heltal (scipy/HiGHS ``milp``), och billig:

* Sambanden delas i *komponenter* som hänger ihop genom okända storheter; ett visat antal är
  en konstant och skär av. En maskad cell i en tabell hänger då bara ihop med de andra maskade
  cellerna i samma rader och kolumner (och i andra tabeller via samma storhet), inte med hela
  rapporten.
* En komponent med ett enda samband avgörs utan optimering (en okänd: röjd; flera med samma
  tecken: röjda bara om summan är 0; olika tecken: obegränsade).
* Annars räcker oftast två optimeringar: den sanna tabellen är en heltalslösning, och en
  lösning med ett slumpat mål (minimum och maximum) ger fler. Varje okänd som har två olika
  värden i dessa lösningar är inte röjd (båda värdena stämmer med allt som visas). Bara de som
  återstår prövas en och en (största och minsta värde).
* :class:`Angripare` minns komponenternas svar, så att en omprövning efter sekundär maskning
  bara löser de komponenter som ändrats.

Svaret för en maskad storhet är ett intervall ``(a, b)``: med ``a < b`` finns två tabeller
som stämmer med allt som visas, en där storheten är ``a`` och en där den är ``b`` (``b`` är
``inf`` när storheten kan vara hur stor som helst); ``a == b`` betyder att den är röjd.

Examples
--------
En rad med summa och en enda maskad cell röjs; två maskade celler gör det inte:

>>> from finsam_analys.tabell import Relation, Storhet
>>> t, a, b, c = (Storhet.av("x", d=d) for d in ("", "a", "b", "c"))
>>> r = [Relation.summa(t, [a, b, c])]
>>> v = {t: 20, a: 2, b: 8, c: 10}
>>> attack(v, {t, b, c}, {a}, r)[a]
(2.0, 2.0)
>>> attack(v, {t, c}, {a, b}, r)[a]
(0.0, 10.0)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from finsam_analys.tabell import Relation, Storhet

__all__ = ["Angripare", "attack", "ar_rojd", "komponenter"]

_TOL = 1e-6
_TIDSGRANS = 10.0  # sekunder per optimering; når en optimering gränsen räknas cellen som röjd


def ar_rojd(intervall: tuple[float, float]) -> bool:
    """Sant när intervallet rymmer högst ett heltal (storheten kan räknas fram).

    Examples
    --------
    >>> ar_rojd((3.0, 3.0)), ar_rojd((0.4, 1.3)), ar_rojd((0.0, 1.0)), ar_rojd((2.0, math.inf))
    (True, True, False, False)
    """
    lo, hi = intervall
    if not math.isfinite(hi):
        return False
    return math.floor(hi + _TOL) - math.ceil(lo - _TOL) < 1


def komponenter(
    relationer: Sequence[Relation], okanda: Collection[Storhet]
) -> list[tuple[tuple[int, ...], tuple[Storhet, ...]]]:
    """Sambanden i komponenter som hänger ihop genom okända storheter.

    Samband utan okända storheter ingår inte (de säger inget om något maskat).

    Returns
    -------
    list[tuple[tuple[int, ...], tuple[Storhet, ...]]]
        Per komponent: sambandens nummer och de okända storheterna (sorterade).

    Examples
    --------
    >>> from finsam_analys.tabell import Relation, Storhet
    >>> t, a, b, c, d = (Storhet.av("x", d=d) for d in ("", "a", "b", "c", "d"))
    >>> r = [Relation.summa(t, [a, b]), Relation.summa(t, [c, d])]
    >>> [k for k, _ in komponenter(r, {a, c})]   # t är känd: två komponenter
    [(0,), (1,)]
    >>> [k for k, _ in komponenter(r, {a, c, t})]
    [(0, 1)]
    """
    okanda = set(okanda)
    foralder: dict[Storhet, Storhet] = {}

    def rot(s: Storhet) -> Storhet:
        while foralder.setdefault(s, s) != s:
            foralder[s] = foralder[foralder[s]]
            s = foralder[s]
        return s

    forsta: dict[int, Storhet] = {}
    for i, r in enumerate(relationer):
        egna = [s for s in r.storheter if s in okanda]
        if not egna:
            continue
        forsta[i] = egna[0]
        r0 = rot(egna[0])
        for s in egna[1:]:
            rs = rot(s)
            if rs != r0:
                foralder[rs] = r0
    grupper: dict[Storhet, list[int]] = defaultdict(list)
    for i, s in forsta.items():
        grupper[rot(s)].append(i)
    ut = []
    for index in grupper.values():
        storheter = sorted({s for i in index for s in relationer[i].storheter if s in okanda})
        ut.append((tuple(index), tuple(storheter)))
    ut.sort(key=lambda k: k[0])
    return ut


@dataclass
class Angripare:
    """Läsarens angrepp med minne: samma värden och samband, växande mängd maskade.

    Parameters
    ----------
    varden : Mapping[Storhet, float]
        Det sanna värdet på varje storhet (den sanna tabellen är en lösning).
    relationer : Sequence[Relation]
        Sambanden läsaren känner (alla ska stämma för ``varden``).

    Attributes
    ----------
    optimeringar : int
        Antalet lösta optimeringsproblem hittills (för mätning).
    """

    varden: Mapping[Storhet, float]
    relationer: Sequence[Relation]
    optimeringar: int = 0
    _minne: dict[tuple, dict[Storhet, tuple[float, float]]] = field(default_factory=dict)

    def intervall(
        self, kanda: Collection[Storhet], maskade: Collection[Storhet]
    ) -> dict[Storhet, tuple[float, float]]:
        """Intervallet för varje storhet i ``maskade`` (se modulens beskrivning).

        ``kanda`` är de storheter läsaren ser; alla andra är okända. Maskade storheter som inte
        ingår i något samband får ``(0, inf)``.
        """
        kanda = set(kanda) - set(maskade)
        sokta = set(maskade)
        ut: dict[Storhet, tuple[float, float]] = {}
        alla = {s for r in self.relationer for s in r.storheter}
        i_samband: set[Storhet] = set()
        for index, fria in komponenter(self.relationer, alla - kanda):
            egna = tuple(s for s in fria if s in sokta)
            if not egna:
                continue
            i_samband.update(egna)
            svar = self._minne.get((index, fria, egna))
            if svar is None:
                svar = self._komponent([self.relationer[i] for i in index], fria, set(egna))
                self._minne[(index, fria, egna)] = svar
            ut.update(svar)
        for s in sokta - i_samband:
            ut[s] = (0.0, math.inf)
        return ut

    # ------------------------------------------------------------------ en komponent

    def _komponent(
        self,
        rel: Sequence[Relation],
        fria: Sequence[Storhet],
        sokta: Collection[Storhet],
    ) -> dict[Storhet, tuple[float, float]]:
        """Intervallen för de sökta storheterna i en komponent (``fria`` är alla okända)."""
        index = {s: j for j, s in enumerate(fria)}
        a = np.zeros((len(rel), len(fria)))
        b = np.zeros(len(rel))
        for i, r in enumerate(rel):
            for k, s in r.termer:
                if s in index:
                    a[i, index[s]] += k
                else:
                    b[i] -= k * float(self.varden[s])
        sann = np.array([float(self.varden.get(s, 0) or 0) for s in fria])
        if len(rel) == 1:
            svar = _ett_samband(a[0], b[0], sann)
        else:
            svar = self._optimera(a, b, sann, [s in sokta for s in fria])
        return {s: i for s, i in zip(fria, svar, strict=True) if i is not None}

    def _losning(self, c: np.ndarray, a: np.ndarray, b: np.ndarray, heltal: bool):
        """(status, x): 0 optimum, 3 obegränsat, 1 tidsgräns (x kan finnas), 2 omöjligt."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        villkor = LinearConstraint(a, b, b)
        svar = None
        # Först utan heltalskrav (ett hörn; heltal när sambanden är summor i en tabell). Är
        # lösningen heltal är den också heltalsproblemets optimum; annars med heltalskrav.
        for krav in (None, np.ones(len(c))) if heltal else (None,):
            self.optimeringar += 1
            svar = milp(
                c,
                constraints=villkor,
                integrality=krav,
                bounds=Bounds(0, np.inf),
                options={"mip_rel_gap": 0, "time_limit": _TIDSGRANS},
            )
            if svar.x is None or np.all(np.abs(svar.x - np.round(svar.x)) < _TOL):
                break
        status = {0: 0, 1: 1, 2: 2, 3: 3, 4: 3}.get(svar.status, 2)
        return status, svar.x

    def _optimera(
        self, a: np.ndarray, b: np.ndarray, sann: np.ndarray, sokt: Sequence[bool]
    ) -> list[tuple[float, float] | None]:
        """Intervallen för de sökta okända (``None`` för övriga)."""
        n = len(sann)
        heltal = bool(np.all(np.abs(sann - np.round(sann)) < _TOL))
        # Lösningar som stämmer med allt: den sanna, och min/max av ett slumpat mål.
        slump = np.random.default_rng(n).uniform(0.5, 1.5, n)
        sokta = np.asarray(sokt, dtype=bool)
        losningar = [sann]
        for c in (slump, -slump):
            status, x = self._losning(c, a, b, heltal)
            if x is not None and status in (0, 1):
                losningar.append(np.round(x) if heltal else x)
            x = np.vstack(losningar)
            lo, hi = x.min(axis=0), x.max(axis=0)
            if np.all(hi[sokta] - lo[sokta] > _TOL):
                break  # alla sökta har redan två värden
        ut: list[tuple[float, float] | None] = [None] * n
        for j in range(n):
            if sokt[j] and hi[j] - lo[j] > _TOL:
                ut[j] = (float(lo[j]), float(hi[j]))
        for j in range(n):
            if sokt[j] and ut[j] is None:
                ut[j] = self._en_storhet(j, a, b, sann, heltal)
        return ut

    def _en_storhet(self, j: int, a, b, sann, heltal: bool) -> tuple[float, float]:
        """Största och minsta värde för okänd nummer ``j`` (stannar vid första bevis)."""
        e = np.zeros(len(sann))
        e[j] = 1.0
        v = float(sann[j])
        status, x = self._losning(-e, a, b, heltal)
        if status == 3:
            return (v, math.inf)
        if x is not None and x[j] > v + _TOL:
            return (v, float(np.round(x[j]) if heltal else x[j]))
        status, x = self._losning(e, a, b, heltal)
        if x is not None and x[j] < v - _TOL:
            return (float(np.round(x[j]) if heltal else x[j]), v)
        return (v, v)  # röjd (eller tidsgränsen nådd: räknas som röjd)


def _ett_samband(rad: np.ndarray, b: float, sann: np.ndarray) -> list[tuple[float, float]]:
    """Intervallen när komponenten är ett enda samband ``rad @ x == b`` (koefficienter ±1).

    Andra koefficienter än ±1 förekommer inte i rapportens samband; då ges svaret ändå
    försiktigt (röjd om det är den enda okända).
    """
    n = len(rad)
    if n == 1:
        return [(float(sann[0]), float(sann[0]))]
    if not np.all(np.isin(rad, (-1.0, 1.0))):
        return [(float(v), float(v)) for v in sann]  # pragma: no cover - försiktigt
    if np.all(rad == rad[0]):
        total = float(b * rad[0])
        return [(0.0, total) for _ in range(n)]
    # olika tecken: en okänd kan öka med 1 tillsammans med en med motsatt tecken
    return [(float(v), math.inf) for v in sann]


def attack(
    varden: Mapping[Storhet, float],
    kanda: Collection[Storhet],
    maskade: Collection[Storhet],
    relationer: Sequence[Relation],
) -> dict[Storhet, tuple[float, float]]:
    """Intervallet läsaren inte kan snäva in för varje maskad storhet (se modulen).

    Parameters
    ----------
    varden : Mapping[Storhet, float]
        Sanna värden (alla ``relationer`` ska stämma för dem).
    kanda : Collection[Storhet]
        Storheter som visas; övriga är okända men inte negativa.
    maskade : Collection[Storhet]
        Storheterna som prövas.
    relationer : Sequence[Relation]
        Sambanden läsaren känner.

    Returns
    -------
    dict[Storhet, tuple[float, float]]
        ``(a, a)`` för en röjd storhet; annars två värden som båda stämmer med allt som visas.
    """
    return Angripare(varden, relationer).intervall(kanda, maskade)
