"""Sekretessens kontrollpunkt: en gång per rapport (och per förbund i en batch), för allt som visas.

Allt som en rapport visar – tabeller, meningar, nyckeltal, figurer och deras alt-texter – bygger
på :class:`~finsam_analys.tabell.Storhet`-er (antal personer eller deltaganden). Kontrollpunkten
ser alla storheter och alla samband mellan dem på en gång, som *länkade tabeller*:

1. **Primär maskning**: antal under ``troskel`` (nollor visas, se nollregeln), och storheter som
   anroparen kräver maskade (``tvingade``: t.ex. samma storhet i en annan rapport i batchen).
2. **Nollregeln** (attributröjande): när en helhet har exakt en maskad del och alla övriga
   visade delar är 0, säger tabellen att *alla* i gruppen hör till den maskade delen. Då maskas
   också en av nollorna, så att det finns två maskade delar.
3. **Kontroll med linjärprogrammering**: läsaren känner varje visat antal och varje samband
   (summor, flödets identiteter, samma storhet i två tabeller; en visad andel eller ett visat
   intervall röjer sin täljare och nämnare, och visas därför bara när de visas). För varje maskad
   storhet räknas det minsta och största värde som stämmer med allt som visas (antal är aldrig
   negativa). Ryms bara ett heltal i intervallet är storheten *röjd*.
4. **Sekundär maskning**: så länge något är röjt maskas den visade storhet i samma samband som
   skyddar bäst (helst en del framför en summa, inte en nolla, det minsta antalet), och
   kontrollen körs igen.

Resultatet är ett :class:`Sekretessbeslut` (vilka storheter som maskas och varför, med
intervallen ur den sista kontrollen, som ett protokoll) och sektioner där varje tabell har sin
``mask``: en cell maskas när någon storhet den bygger på maskas, och en andel också när dess
nämnare är under ``namnare_troskel`` (ett medelvärde när antalet svarande är under
``troskel``). Tabeller som sorteras efter ett värde sorteras efter maskningen, med maskade
rader sist i ursprunglig ordning.

En intern rapport (``intern: true``) och ett underlag som redan är publicerat maskas inte; då
säger rapporten det.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.tabell import (
    MASKAD,
    Cell,
    Harledd,
    Kvot,
    Mening,
    Referens,
    Relation,
    Sektion,
    Storhet,
    Stycke,
    Tabell,
    Varde,
    beroenden,
)

__all__ = [
    "Sekretessbeslut",
    "attack",
    "sekretessbeslut",
    "skydda",
    "tillampa",
]


@dataclass(frozen=True)
class Sekretessbeslut:
    """Vilka storheter som maskas, och varför.

    ``skal`` säger varför en storhet maskas: ``"primär"`` (under tröskeln), ``"tvingad"``,
    ``"nollregel"`` eller ``"sekundär"``. ``intervall`` är det minsta och största värde som
    läsaren kan räkna fram för varje maskad storhet ur allt som visas (sista kontrollen).
    """

    maskade: frozenset[Storhet] = frozenset()
    skal: Mapping[Storhet, str] = field(default_factory=dict)
    intervall: Mapping[Storhet, tuple[float, float]] = field(default_factory=dict)
    troskel: int = 5
    namnare_troskel: int = 10
    avstangd: bool = False

    def ar_maskad(self, ref: Referens) -> bool:
        """Sant om någon storhet som ``ref`` bygger på är maskad."""
        return bool(beroenden(ref) & self.maskade)


# ----------------------------------------------------------------------------- kärnan


def _komponenter(relationer: Sequence[Relation]) -> list[list[int]]:
    """Relationerna grupperade i sammanhängande delar (samma storhet = samma del)."""
    foralder: dict[Storhet, Storhet] = {}

    def rot(s: Storhet) -> Storhet:
        while foralder.setdefault(s, s) != s:
            foralder[s] = foralder[foralder[s]]
            s = foralder[s]
        return s

    for r in relationer:
        forsta = rot(r.storheter[0])
        for s in r.storheter[1:]:
            foralder[rot(s)] = forsta
    grupper: dict[Storhet, list[int]] = defaultdict(list)
    for i, r in enumerate(relationer):
        grupper[rot(r.storheter[0])].append(i)
    return list(grupper.values())


def attack(
    varden: Mapping[Storhet, float],
    kanda: Collection[Storhet],
    maskade: Collection[Storhet],
    relationer: Sequence[Relation],
) -> dict[Storhet, tuple[float, float]]:
    """Det minsta och största värde läsaren kan räkna fram för varje maskad storhet.

    Läsaren känner värdena för ``kanda`` och alla ``relationer``; övriga storheter är okända
    men inte negativa. Maskade storheter som inte ingår i något samband kan vara vad som helst
    (``(0, inf)``).

    Examples
    --------
    En rad med summa och en enda maskad cell röjs; två maskade celler gör det inte:

    >>> t, a, b, c = (Storhet.av("x", del_=d) for d in ("", "a", "b", "c"))
    >>> r = [Relation.summa(t, [a, b, c])]
    >>> v = {t: 20, a: 2, b: 8, c: 10}
    >>> attack(v, {t, b, c}, {a}, r)[a]
    (2.0, 2.0)
    >>> attack(v, {t, c}, {a, b}, r)[a]
    (0.0, 10.0)
    """
    from scipy.optimize import linprog

    kanda = set(kanda) - set(maskade)
    ut: dict[Storhet, tuple[float, float]] = {s: (0.0, math.inf) for s in maskade}
    for komponent in _komponenter(relationer):
        rel = [relationer[i] for i in komponent]
        fria = sorted({s for r in rel for s in r.storheter if s not in kanda})
        sokta = [s for s in fria if s in ut]
        if not sokta:
            continue
        index = {s: j for j, s in enumerate(fria)}
        a = np.zeros((len(rel), len(fria)))
        b = np.zeros(len(rel))
        for i, r in enumerate(rel):
            for k, s in r.termer:
                if s in index:
                    a[i, index[s]] += k
                else:
                    b[i] -= k * float(varden[s])
        granser = [(0, None)] * len(fria)

        def losa(c: np.ndarray, a=a, b=b, granser=granser) -> np.ndarray | None:
            svar = linprog(c, A_eq=a, b_eq=b, bounds=granser, method="highs")
            return svar.x if svar.status == 0 else None

        # Två hörn med slumpade mål skiljer ut de flesta rörliga storheter; bara de som är lika
        # i båda prövas en och en (min och max).
        slump = np.random.default_rng(len(fria)).uniform(0.5, 1.5, len(fria))
        horn = [x for x in (losa(slump), losa(-slump)) if x is not None]
        if not horn:  # sambanden motsäger varandra (publicerade tal): inget kan räknas fram
            for s in sokta:
                ut[s] = (0.0, math.inf)
            continue
        for s in sokta:
            j = index[s]
            lagst, hogst = min(x[j] for x in horn), max(x[j] for x in horn)
            if hogst - lagst >= 1 - 1e-7:
                ut[s] = (float(lagst), float(hogst))
                continue
            e = np.zeros(len(fria))
            e[j] = 1.0
            xmin, xmax = losa(e), losa(-e)
            lo = float(xmin[j]) if xmin is not None else 0.0
            hi = float(xmax[j]) if xmax is not None else math.inf
            ut[s] = (round(lo, 6), round(hi, 6) if math.isfinite(hi) else hi)
    return ut


def _ar_rojd(intervall: tuple[float, float]) -> bool:
    """Sant när intervallet rymmer högst ett heltal."""
    lo, hi = intervall
    if not math.isfinite(hi):
        return False
    return math.floor(hi + 1e-7) - math.ceil(lo - 1e-7) < 1


def _summadelar(r: Relation) -> tuple[Storhet, list[Storhet]] | None:
    """Summan och delarna om sambandet är "summa = delar" (första termen +1, övriga −1)."""
    if not r.termer or r.termer[0][0] != 1 or any(k != -1 for k, _ in r.termer[1:]):
        return None
    return r.termer[0][1], [s for _, s in r.termer[1:]]


def _nollregeln(
    varden: Mapping[Storhet, float],
    visade: Collection[Storhet],
    maskade: set[Storhet],
    relationer: Sequence[Relation],
) -> list[Storhet]:
    """Nollor som ska maskas: en helhet med en enda maskad del och bara nollor i övrigt."""
    nya: list[Storhet] = []
    for r in relationer:
        sd = _summadelar(r)
        if sd is None or len(sd[1]) < 2:
            continue
        _, delar = sd
        maskerade_delar = [d for d in delar if d in maskade]
        if len(maskerade_delar) != 1:
            continue
        ovriga = [d for d in delar if d not in maskade]
        if all(d in visade and varden.get(d) == 0 for d in ovriga):
            nolla = next((d for d in ovriga if d in visade), None)
            if nolla is not None:
                maskade.add(nolla)
                nya.append(nolla)
    return nya


def sekretessbeslut(
    varden: Mapping[Storhet, float],
    visade: Collection[Storhet],
    relationer: Sequence[Relation],
    *,
    troskel: int = 5,
    maskera_nollor: bool = False,
    tvingade: Collection[Storhet] = (),
) -> Sekretessbeslut:
    """Vilka storheter som ska maskas så att inget litet antal kan räknas fram.

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
    >>> primara = sorted(str(s) for s, skal in b.skal.items() if skal == "primär")
    >>> primara  # doctest: +NORMALIZE_WHITESPACE
    ['avslut[insats=MAC, utfall=Studier]', 'avslut[insats=Trädgård, utfall=Arbete]',
     'avslut[insats=Trädgård, utfall=Studier]', 'avslut[utfall=Studier]']
    >>> sorted(str(s) for s, skal in b.skal.items() if skal == "sekundär")
    ['avslut[insats=MAC, utfall=Arbete]', 'avslut[utfall=Arbete]']
    >>> any(_ar_rojd(i) for i in b.intervall.values())
    False
    """
    giltiga = [r for r in relationer if r.galler(varden)]
    visade = set(visade)
    skal: dict[Storhet, str] = {}
    for s in visade:
        v = varden.get(s)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if 0 < v < troskel or (maskera_nollor and v == 0):
            skal[s] = "primär"
    for s in tvingade:
        skal.setdefault(s, "tvingad")
    maskade = set(skal)
    # bara samband som rör något som visas eller maskas spelar roll
    relevanta = [r for r in giltiga if any(s in visade or s in maskade for s in r.storheter)]
    intervall: dict[Storhet, tuple[float, float]] = {}
    grannar: dict[Storhet, set[Storhet]] = defaultdict(set)
    summor: set[Storhet] = set()
    for r in relevanta:
        for s in r.storheter:
            grannar[s] |= set(r.storheter)
        sd = _summadelar(r)
        if sd is not None:
            summor.add(sd[0])
    for _ in range(len(visade) + 2):
        for s in _nollregeln(varden, visade, maskade, relevanta):
            skal.setdefault(s, "nollregel")
        kanda = visade - maskade
        intervall = attack(varden, kanda, maskade & (visade | set(tvingade)), relevanta)
        rojda = sorted(s for s, i in intervall.items() if _ar_rojd(i))
        if not rojda:
            break
        kandidater = sorted({g for s in rojda for g in grannar[s] if g in kanda})
        if not kandidater:  # pragma: no cover - en röjd storhet har alltid en visad granne
            break

        def poang(s: Storhet) -> tuple:
            v = float(varden.get(s, 0) or 0)
            return (v == 0, s in summor, v, s)

        val = min(kandidater, key=poang)
        maskade.add(val)
        skal.setdefault(val, "sekundär")
    return Sekretessbeslut(
        maskade=frozenset(maskade),
        skal=dict(skal),
        intervall=intervall,
        troskel=troskel,
    )


# ------------------------------------------------------------- insamling och tillämpning


def _kvot_for_liten(ref: Kvot, varden: Mapping[Storhet, float], troskel: int, ntroskel: int):
    """Sant när kvoten inte visas för att nämnaren är för liten (andel eller medelvärde)."""
    n = varden.get(ref.namnare)
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return False
    grans = ntroskel if ref.taljare is not None else troskel
    return n < grans


def _dold_av_regel(ref: Referens, varden, troskel: int, ntroskel: int) -> bool:
    if isinstance(ref, Kvot):
        return _kvot_for_liten(ref, varden, troskel, ntroskel)
    if isinstance(ref, Harledd):
        return any(_kvot_for_liten(k, varden, troskel, ntroskel) for k in ref.kvoter)
    return False


def _tabellerna(sektioner: Iterable[Sektion]) -> dict[str, Tabell]:
    return {t.namn: t for s in sektioner for t in s.tabellobjekt()}


def _samla(
    rapporter: Sequence[Mapping[str, Sektion]], troskel: int, ntroskel: int
) -> tuple[dict[Storhet, float], set[Storhet], list[Relation]]:
    """Alla storheters värden, de som visas, och alla samband, ur en eller flera rapporter."""
    varden: dict[Storhet, float] = {}
    visade: set[Storhet] = set()
    relationer: list[Relation] = []

    def lagg_till(antal: Mapping[Storhet, float], var: str) -> None:
        for s, v in antal.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            gammalt = varden.setdefault(s, v)
            if not math.isclose(float(gammalt), float(v)):
                raise ValueError(
                    f"Storheten {s} har två olika värden ({gammalt} och {v}, i {var}); "
                    "samma storhet måste vara samma tal överallt."
                )

    def visa(ref: Referens) -> None:
        if ref is not None and not _dold_av_regel(ref, varden, troskel, ntroskel):
            visade.update(beroenden(ref))

    for rapport in rapporter:
        for sektion in rapport.values():
            lagg_till(sektion.antal, f"avsnittet {sektion.rubrik}")
            relationer.extend(sektion.relationer)
            for t in sektion.tabellobjekt():
                lagg_till(t.antal, f"tabellen {t.titel}")
                relationer.extend(t.relationer)
        for sektion in rapport.values():
            tabeller = _tabellerna(rapport.values())
            for t in sektion.tabellobjekt():
                for _, _, ref in t.alla_referenser():
                    visa(ref)
            for varde in _meningarnas_och_nyckeltalens_varden(sektion):
                if isinstance(varde, Varde):
                    visa(varde.ref)
                elif isinstance(varde, Cell) and varde.tabell in tabeller:
                    t = tabeller[varde.tabell]
                    visa(t.referens(t.rad(varde.rad), varde.kolumn))
    return varden, visade, relationer


def _meningarnas_och_nyckeltalens_varden(sektion: Sektion) -> Iterable[Any]:
    for block in sektion.innehall:
        if isinstance(block, Stycke):
            for m in block.meningar:
                if isinstance(m, Mening):
                    yield from m.varden.values()
    yield from sektion.nyckeltal.values()


def _tabellmask(t: Tabell, beslut: Sekretessbeslut, varden) -> pd.DataFrame:
    mask = pd.DataFrame(False, index=t.data.index, columns=t.data.columns)
    if beslut.avstangd or t.referenser is None:
        return mask
    for i, kolumn, ref in t.alla_referenser():
        if beslut.ar_maskad(ref) or _dold_av_regel(
            ref, varden, beslut.troskel, beslut.namnare_troskel
        ):
            mask.iat[i, mask.columns.get_loc(kolumn)] = True
    return mask


def _sortera(t: Tabell, mask: pd.DataFrame) -> tuple[Tabell, pd.DataFrame]:
    """Sortera fallande efter ``t.sortering``; maskade rader sist, summarader kvar sist."""
    kolumn = t.sortering
    if kolumn is None:
        return t, mask
    summa = set(t.summarader)
    inre = [i for i in range(len(t.data)) if i not in summa]
    synliga = [i for i in inre if not mask.iat[i, mask.columns.get_loc(kolumn)]]
    dolda = [i for i in inre if i not in synliga]
    varden = pd.to_numeric(t.data[kolumn], errors="coerce").to_numpy(dtype="float64")
    synliga.sort(key=lambda i: (-varden[i] if not math.isnan(varden[i]) else math.inf))
    ordning = synliga + dolda + sorted(summa)
    nya_summarader = tuple(ordning.index(i) for i in sorted(summa))
    ny = t.med(
        data=t.data.iloc[ordning].reset_index(drop=True),
        referenser=None if t.referenser is None else t.referenser.iloc[ordning].reset_index(
            drop=True
        ),
        summarader=nya_summarader,
    )
    return ny, mask.iloc[ordning].reset_index(drop=True)


def _maskera_varde(varde: Any, beslut: Sekretessbeslut, varden) -> Any:
    if isinstance(varde, Varde) and varde.ref is not None and not beslut.avstangd:
        if beslut.ar_maskad(varde.ref) or _dold_av_regel(
            varde.ref, varden, beslut.troskel, beslut.namnare_troskel
        ):
            return Varde(MASKAD, varde.matt, varde.ref, varde.decimaler)
    return varde


def tillampa(
    rapport: Mapping[str, Sektion],
    beslut: Sekretessbeslut,
    *,
    varden: Mapping[Storhet, float] | None = None,
) -> dict[str, Sektion]:
    """Rapportens sektioner med beslutet tillämpat: varje tabell får sin ``mask``.

    Meningarnas och nyckeltalens :class:`~finsam_analys.tabell.Varde` blir ``".."`` när de
    bygger på en maskad storhet; :class:`~finsam_analys.tabell.Cell` följer tabellens mask.
    Sektioner av det äldre slaget lämnas orörda.
    """
    if varden is None:
        varden, _, _ = _samla([rapport], beslut.troskel, beslut.namnare_troskel)
    ut: dict[str, Sektion] = {}
    for namn, sektion in rapport.items():
        if not sektion.innehall:
            ut[namn] = sektion
            continue
        block: list[Any] = []
        for b in sektion.innehall:
            if isinstance(b, Tabell):
                t, mask = _sortera(b, _tabellmask(b, beslut, varden))
                block.append(t.med(mask=mask))
            elif isinstance(b, Stycke):
                block.append(
                    Stycke(
                        tuple(
                            Mening(
                                m.mall,
                                {k: _maskera_varde(v, beslut, varden) for k, v in m.varden.items()},
                                m.om_maskad,
                            )
                            if isinstance(m, Mening)
                            else m
                            for m in b.meningar
                        ),
                        b.punktlista,
                    )
                )
            else:
                block.append(b)
        ut[namn] = sektion.med(
            innehall=tuple(block),
            nyckeltal={
                k: _maskera_varde(v, beslut, varden) for k, v in sektion.nyckeltal.items()
            },
        )
    return ut


def skydda(
    rapporter: Sequence[Mapping[str, Sektion]],
    regler: Any,
    *,
    tvingade: Collection[Storhet] = (),
    maskera_nollor: bool = False,
) -> tuple[list[dict[str, Sektion]], Sekretessbeslut]:
    """Kontrollpunkten: ett beslut för alla ``rapporter`` tillsammans, tillämpat på var och en.

    Parameters
    ----------
    rapporter : Sequence[Mapping[str, Sektion]]
        En eller flera rapporters sektioner (t.ex. ett förbunds alla perioder i en batch).
    regler : Sekretess
        ``troskel``, ``namnare_troskel`` och ``intern`` (då maskas inget).
    tvingade : Collection[Storhet]
        Storheter som maskas oavsett värde.

    Returns
    -------
    (list[dict[str, Sektion]], Sekretessbeslut)
        Sektionerna med ``mask`` ifyllda, i samma ordning som ``rapporter``, och beslutet.
    """
    troskel = int(getattr(regler, "troskel", 5))
    ntroskel = int(getattr(regler, "namnare_troskel", 10))
    varden, visade, relationer = _samla(rapporter, troskel, ntroskel)
    if getattr(regler, "intern", False) or getattr(regler, "avstangd", False):
        beslut = Sekretessbeslut(troskel=troskel, namnare_troskel=ntroskel, avstangd=True)
    else:
        beslut = sekretessbeslut(
            varden,
            visade,
            relationer,
            troskel=troskel,
            maskera_nollor=maskera_nollor,
            tvingade=tvingade,
        )
        beslut = Sekretessbeslut(
            maskade=beslut.maskade,
            skal=beslut.skal,
            intervall=beslut.intervall,
            troskel=troskel,
            namnare_troskel=ntroskel,
        )
    return [tillampa(r, beslut, varden=varden) for r in rapporter], beslut
