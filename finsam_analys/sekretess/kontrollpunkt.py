"""Sekretessens kontrollpunkt: en gång per rapport (och per förbund i en batch), för allt som visas.

Allt som en rapport visar – tabeller, meningar, nyckeltal, figurer och deras alt-texter – bygger
på :class:`~finsam_analys.tabell.Storhet`-er (antal personer eller deltaganden). Kontrollpunkten
ser alla storheter och alla samband mellan dem på en gång, som *länkade tabeller*:

* :func:`samla` hämtar ur rapportens sektioner varje storhets värde, vilka som visas (i en
  cell, en mening, ett nyckeltal; en visad andel eller ett visat intervall visar sin täljare och
  nämnare) och alla samband (summor, flödets identiteter; samma storhet i två tabeller är samma
  variabel). Flera rapporter för samma förbund (delår och helår, jämförelseperioder) samlas
  tillsammans, och storheter för en period inuti en annan får sambandet
  ``helår = delår + rest`` (:func:`~finsam_analys.sekretess.beslut.periodsamband`).
* :func:`~finsam_analys.sekretess.beslut.sekretessbeslut` beslutar vad som maskas: primärt,
  nollregeln, kontroll med heltalsoptimering (:mod:`finsam_analys.sekretess.attack`) och
  sekundär maskning tills inget maskat antal kan räknas fram.
* :func:`tillampa` ger varje tabell sin ``mask`` och maskar meningarnas och nyckeltalens tal:
  en cell maskas när någon storhet den bygger på maskas, och en andel också när dess nämnare är
  under ``namnare_troskel`` (ett medelvärde när antalet svarande är under ``troskel``).
  Tabeller som sorteras efter ett värde sorteras efter maskningen, med maskade rader sist i
  etikettordning (aldrig i ordning efter det dolda värdet).

:func:`skydda` gör alltihop för en eller flera rapporter. Maskas aldrig: värden utan referens
till en storhet (belopp, SCB:s helårsekvivalenter och folkmängd, mål, text), eftersom de inte
är antal personer i förbundets insatser. Med ``intern: true`` maskas inget (rapporten säger
det). Miljövariabeln ``FINSAM_SEKRETESS=primar`` ger bara primär maskning cell för cell (utan
nollregel och kontroll); den finns för testet som visar att kontrollen behövs.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.sekretess.attack import Angripare, attack
from finsam_analys.sekretess.beslut import Sekretessbeslut, periodsamband, sekretessbeslut
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
    "Angripare",
    "Sekretessbeslut",
    "Sekretessunderlag",
    "attack",
    "begransa",
    "forbundets_beslut",
    "gemensamt_beslut",
    "samla",
    "sekretessbeslut",
    "skydda",
    "storhet_fran_lista",
    "storhet_till_lista",
    "tillampa",
]


@dataclass(frozen=True)
class Sekretessunderlag:
    """Det kontrollpunkten behöver veta om en eller flera rapporter (innehåller omaskade tal).

    ``varden`` är varje storhets värde, ``visade`` de storheter som visas någonstans och
    ``relationer`` sambanden läsaren känner. Underlaget skrivs aldrig till rapportens utdata.
    """

    varden: Mapping[Storhet, float] = field(default_factory=dict)
    visade: frozenset[Storhet] = frozenset()
    relationer: tuple[Relation, ...] = ()

    def forena(self, andra: Iterable[Sekretessunderlag]) -> Sekretessunderlag:
        """Underlaget för flera rapporter tillsammans (samma storhet måste ha samma värde)."""
        varden = dict(self.varden)
        visade = set(self.visade)
        relationer = list(self.relationer)
        for u in andra:
            _lagg_till(varden, u.varden, "en annan rapport")
            visade |= u.visade
            relationer += u.relationer
        return Sekretessunderlag(varden, frozenset(visade), tuple(dict.fromkeys(relationer)))


def _lagg_till(varden: dict[Storhet, float], antal: Mapping[Storhet, float], var: str) -> None:
    for s, v in antal.items():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        gammalt = varden.setdefault(s, v)
        if not math.isclose(float(gammalt), float(v)):
            raise ValueError(
                f"Storheten {s} har två olika värden ({gammalt} och {v}, i {var}); "
                "samma storhet måste vara samma tal överallt."
            )


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


def _radnummer(t: Tabell) -> dict[Any, int]:
    """Etikett -> radnummer för tabellens första textkolumn (första förekomsten)."""
    kolumn = next((k.namn for k in t.kolumner if k.matt == "text"), None)
    if kolumn is None:
        return {}
    ut: dict[Any, int] = {}
    for i, etikett in enumerate(t.data[kolumn].tolist()):
        try:
            ut.setdefault(etikett, i)
        except TypeError:  # pragma: no cover - etiketter som inte kan hashas
            continue
    return ut


def _tabellerna(sektioner: Iterable[Sektion]) -> dict[str, Tabell]:
    return {t.namn: t for s in sektioner for t in s.tabellobjekt()}


def samla(
    rapporter: Sequence[Mapping[str, Sektion]], *, troskel: int = 5, namnare_troskel: int = 10
) -> Sekretessunderlag:
    """Alla storheters värden, de som visas, och alla samband, ur en eller flera rapporter.

    Sektioner av det äldre slaget (som maskar sig själva) ingår inte. En andel vars nämnare är
    under ``namnare_troskel`` (ett medelvärde med färre än ``troskel`` svarande) visas inte och
    visar därför inte sin täljare och nämnare.

    Examples
    --------
    >>> t = Tabell.fordelning(pd.Series({"A": 7, "B": 3}), namn="t", titel="T",
    ...                       bas=Storhet.av("x"), dimension="d", kategorirubrik="K")
    >>> u = samla([{"s": Sektion("s", "S", innehall=(t,))}])
    >>> sorted(map(str, u.visade)), len(u.relationer)
    (['x[]', 'x[d=A]', 'x[d=B]'], 1)
    """
    varden: dict[Storhet, float] = {}
    visade: set[Storhet] = set()
    relationer: list[Relation] = []

    def visa(ref: Referens) -> None:
        if ref is not None and not _dold_av_regel(ref, varden, troskel, namnare_troskel):
            visade.update(beroenden(ref))

    for rapport in rapporter:
        for sektion in rapport.values():
            _lagg_till(varden, sektion.antal, f"avsnittet {sektion.rubrik}")
            relationer.extend(sektion.relationer)
            for t in sektion.tabellobjekt():
                _lagg_till(varden, t.antal, f"tabellen {t.titel}")
                relationer.extend(t.relationer)
        tabeller = _tabellerna(rapport.values())
        rader: dict[str, dict[Any, int]] = {}
        for sektion in rapport.values():
            for t in sektion.tabellobjekt():
                for _, _, ref in t.alla_referenser():
                    visa(ref)
            for varde in _meningarnas_och_nyckeltalens_varden(sektion):
                if isinstance(varde, Varde):
                    visa(varde.ref)
                elif isinstance(varde, Cell) and varde.tabell in tabeller:
                    t = tabeller[varde.tabell]
                    if t.namn not in rader:
                        rader[t.namn] = _radnummer(t)
                    i = rader[t.namn].get(varde.rad)
                    visa(t.referens(t.rad(varde.rad) if i is None else i, varde.kolumn))
    return Sekretessunderlag(varden, frozenset(visade), tuple(dict.fromkeys(relationer)))


def _meningarnas_och_nyckeltalens_varden(sektion: Sektion) -> Iterable[Any]:
    for block in sektion.innehall:
        if isinstance(block, Stycke):
            for m in block.meningar:
                if isinstance(m, Mening):
                    yield from m.varden.values()
    yield from sektion.nyckeltal.values()


def _tabellmask(t: Tabell, beslut: Sekretessbeslut, varden) -> pd.DataFrame:
    """True för celler som bygger på en maskad storhet, eller på en för liten nämnare."""
    mask = np.zeros(t.data.shape, dtype=bool)
    if not beslut.avstangd and t.referenser is not None:
        for j, kolumn in enumerate(t.referenser.columns):
            for i, ref in enumerate(t.referenser[kolumn].tolist()):
                if ref is not None and (
                    beslut.ar_maskad(ref)
                    or _dold_av_regel(ref, varden, beslut.troskel, beslut.namnare_troskel)
                ):
                    mask[i, j] = True
    return pd.DataFrame(mask, index=t.data.index, columns=t.data.columns)


def _etikettnyckel(etikett: Any) -> tuple:
    """Sorteringsnyckel för en radetikett i svensk ordning (å, ä, ö efter z)."""
    text = str(etikett).casefold().translate({ord("å"): "{", ord("ä"): "|", ord("ö"): "}"})
    return (text, str(etikett))


def _sorterad_efter(t: Tabell, mask: pd.DataFrame) -> str | None:
    """En antalskolumn som tabellens rader redan står i fallande ordning efter, när den har
    maskade rader (skyddsnät: ordningen skulle annars röja de dolda värdenas storlek)."""
    summa = set(t.summarader)
    inre = [i for i in range(len(t.data)) if i not in summa]
    if len(inre) < 2:
        return None
    delar = [k for k in t.kolumner if k.matt == "antal" and k.delar_av_helhet]
    # fördelningens antal, eller korstabellens radsummor
    kandidater = delar if len(delar) == 1 else [k for k in delar if k.namn == TOTALT]
    for k in kandidater:
        if not mask[k.namn].iloc[inre].any():
            continue
        v = pd.to_numeric(t.data[k.namn].iloc[inre], errors="coerce").to_numpy(dtype="float64")
        if not np.isnan(v).any() and v[0] > v[-1] and bool(np.all(np.diff(v) <= 0)):
            return k.namn
    return None


def _sortera(t: Tabell, mask: pd.DataFrame) -> tuple[Tabell, pd.DataFrame]:
    """Sortera fallande efter ``t.sortering``; maskade rader sist, summarader kvar sist.

    De maskade raderna ordnas efter sin etikett (första textkolumnen), aldrig efter värdet
    och inte heller i indatas ordning (den kan vara sorterad efter det dolda värdet). En tabell
    utan ``sortering`` vars rader redan står fallande efter en antalskolumn med maskade rader
    sorteras likadant (skyddsnät för sektioner som sorterat själva).

    Examples
    --------
    >>> t = Tabell.fordelning(pd.Series({"C": 1, "B": 3, "A": 9, "D": 0}), namn="t",
    ...                       titel="T", bas=Storhet.av("x"), dimension="d",
    ...                       kategorirubrik="K", sortera=True)
    >>> m = pd.DataFrame(False, index=t.data.index, columns=t.data.columns)
    >>> m.loc[[0, 1], ["Antal", "Andel"]] = True
    >>> ny, _ = _sortera(t, m)
    >>> ny.data["K"].tolist()
    ['A', 'D', 'B', 'C', 'Totalt']
    """
    kolumn = t.sortering or _sorterad_efter(t, mask)
    if kolumn is None:
        return t, mask
    summa = set(t.summarader)
    inre = [i for i in range(len(t.data)) if i not in summa]
    j = mask.columns.get_loc(kolumn)
    synliga = [i for i in inre if not mask.iat[i, j]]
    dolda = [i for i in inre if mask.iat[i, j]]
    varden = pd.to_numeric(t.data[kolumn], errors="coerce").to_numpy(dtype="float64")
    synliga.sort(key=lambda i: (-varden[i] if not math.isnan(varden[i]) else math.inf))
    etikett = next((k.namn for k in t.kolumner if k.matt == "text"), None)
    if etikett is not None:
        dolda.sort(key=lambda i: _etikettnyckel(t.data[etikett].iat[i]))
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
        varden = samla(
            [rapport], troskel=beslut.troskel, namnare_troskel=beslut.namnare_troskel
        ).varden
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


def _regler(regler: Any) -> tuple[int, int, bool]:
    troskel = int(getattr(regler, "troskel", 5))
    ntroskel = int(getattr(regler, "namnare_troskel", 10))
    avstangd = bool(getattr(regler, "intern", False) or getattr(regler, "avstangd", False))
    return troskel, ntroskel, avstangd


def gemensamt_beslut(
    underlag: Sekretessunderlag | Sequence[Sekretessunderlag],
    regler: Any,
    *,
    tvingade: Collection[Storhet] = (),
    maskera_nollor: bool = False,
) -> Sekretessbeslut:
    """Ett beslut för ett eller flera rapporters underlag tillsammans (se modulen).

    Storheter för en period inuti en annan (delår i helår) får sambandet
    ``helår = delår + rest`` (:func:`~finsam_analys.sekretess.beslut.periodsamband`).
    ``FINSAM_SEKRETESS=primar`` i miljön ger bara primär maskning (för tester).

    Examples
    --------
    Helåret 2024: avslut per insats (A, B) och utfall (x, y), med summor. Den lilla cellen
    (A, x) = 2 skyddas i helåret av en rektangel. Delåret visar (A, y), (B, x) och (B, y) med
    samma värden; eftersom helåret aldrig är mindre än delåret röjer det helårets rektangel
    (A, x) = 2, så det gemensamma beslutet maskar mer:

    >>> def kors(antal, period):
    ...     return Tabell.korstabell(pd.DataFrame(antal, index=["x", "y"], columns=["A", "B"]),
    ...         namn="k", titel="K", bas=Storhet.av("avslut", period), rad_dimension="utfall",
    ...         kolumn_dimension="insats", radrubrik="Utfall")
    >>> helar = kors({"A": [2, 6], "B": [6, 9]}, "2024")
    >>> delar = kors({"A": [0, 6], "B": [6, 9]}, "2024-01..2024-08")
    >>> u = [samla([{"s": Sektion("s", "S", innehall=(t,))}]) for t in (helar, delar)]
    >>> ensam = gemensamt_beslut(u[0], None)
    >>> len(ensam.maskade), ensam.intervall[Storhet.av("avslut", "2024", insats="A", utfall="x")]
    (4, (2.0, 8.0))
    >>> tillsammans = gemensamt_beslut(u, None)
    >>> len(tillsammans.maskade) > 4, tillsammans.rojda
    (True, frozenset())
    >>> len(gemensamt_beslut(u, None, tvingade=ensam.maskade).maskade) > 4
    True
    """
    troskel, ntroskel, avstangd = _regler(regler)
    if isinstance(underlag, Sekretessunderlag):
        underlag = [underlag]
    if avstangd:
        return Sekretessbeslut(troskel=troskel, namnare_troskel=ntroskel, avstangd=True)
    alla = underlag[0].forena(underlag[1:]) if underlag else Sekretessunderlag()
    perioder, rester = periodsamband(alla.varden)
    beslut = sekretessbeslut(
        {**alla.varden, **rester},
        alla.visade,
        [*alla.relationer, *perioder],
        troskel=troskel,
        maskera_nollor=maskera_nollor,
        tvingade=tvingade,
        sekundar=os.environ.get("FINSAM_SEKRETESS", "").strip().lower() != "primar",
    )
    return Sekretessbeslut(
        maskade=beslut.maskade,
        skal=beslut.skal,
        intervall=beslut.intervall,
        troskel=troskel,
        namnare_troskel=ntroskel,
        rojda=beslut.rojda,
        optimeringar=beslut.optimeringar,
    )


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
        En eller flera rapporters sektioner (t.ex. ett förbunds alla perioder).
    regler : Sekretess
        ``troskel``, ``namnare_troskel`` och ``intern`` (då maskas inget).
    tvingade : Collection[Storhet]
        Storheter som maskas oavsett värde (t.ex. förbundets gemensamma beslut i en batch).

    Returns
    -------
    (list[dict[str, Sektion]], Sekretessbeslut)
        Sektionerna med ``mask`` ifyllda, i samma ordning som ``rapporter``, och beslutet.
    """
    troskel, ntroskel, _ = _regler(regler)
    underlag = samla(rapporter, troskel=troskel, namnare_troskel=ntroskel)
    beslut = gemensamt_beslut(underlag, regler, tvingade=tvingade, maskera_nollor=maskera_nollor)
    return [tillampa(r, beslut, varden=underlag.varden) for r in rapporter], beslut


# ------------------------------------------------------------------ flera rapporter i en batch


def begransa(beslut: Sekretessbeslut, storheter: Collection[Storhet]) -> Sekretessbeslut:
    """Beslutet för en rapport: bara de maskade storheter som finns i ``storheter``.

    Examples
    --------
    >>> a, b = Storhet.av("x", d="a"), Storhet.av("x", d="b")
    >>> b2 = begransa(Sekretessbeslut(frozenset({a, b}), {a: "primär", b: "tvingad"}), {a})
    >>> [str(s) for s in b2.maskade], list(b2.skal.values())
    (['x[d=a]'], ['primär'])
    """
    egna = set(storheter)
    maskade = frozenset(beslut.maskade & egna)
    return replace(
        beslut,
        maskade=maskade,
        skal={s: v for s, v in beslut.skal.items() if s in maskade},
        intervall={s: v for s, v in beslut.intervall.items() if s in maskade},
        rojda=frozenset(beslut.rojda & egna),
    )


def storhet_till_lista(s: Storhet) -> list[Any]:
    """En storhet som json-bar lista (för en notebookparameter).

    Examples
    --------
    >>> storhet_till_lista(Storhet.av("avslut", "2024", insats="A"))
    ['avslut', '2024', [['insats', 'A']], '']
    >>> storhet_fran_lista(_) == Storhet.av("avslut", "2024", insats="A")
    True
    """
    return [s.population, s.period, [list(v) for v in s.villkor], s.forbund]


def storhet_fran_lista(lista: Sequence[Any]) -> Storhet:
    """Motsatsen till :func:`storhet_till_lista`."""
    population, period, villkor, forbund = lista
    return Storhet(str(population), str(period), tuple((str(k), str(v)) for k, v in villkor),
                   str(forbund))  # fmt: skip


def _lankade_beslut(
    underlag: Sequence[Sekretessunderlag], regler: Any, tvingade: frozenset[Storhet]
) -> Sekretessbeslut:
    """Det gemensamma beslutet, prövat bara där rapporterna hänger ihop.

    Varje rapport har redan prövat sina egna samband med sina egna maskningar. En komponent
    (samband som hänger ihop genom okända storheter) utan någon storhet som finns i två
    rapporter och utan något periodsamband är därför redan prövad; bara komponenterna med en
    länk mellan rapporterna prövas igen, med alla rapporters maskningar tvingade. Maskas något
    nytt kan komponenterna växa, och då prövas de igen tills inget tillkommer.
    """
    from collections import Counter

    from finsam_analys.sekretess.attack import komponenter

    troskel, ntroskel, avstangd = _regler(regler)
    if avstangd:
        return Sekretessbeslut(troskel=troskel, namnare_troskel=ntroskel, avstangd=True)
    alla = underlag[0].forena(underlag[1:])
    perioder, rester = periodsamband(alla.varden)
    varden = {**alla.varden, **rester}
    giltiga = [r for r in alla.relationer if r.galler(varden)]
    periodindex = set(range(len(giltiga), len(giltiga) + len(perioder)))
    giltiga += perioder  # periodsambanden stämmer alltid (resten är skillnaden)
    forekomster = Counter(s for u in underlag for s in u.varden)
    delade = {s for s, n in forekomster.items() if n > 1}
    sekundar = os.environ.get("FINSAM_SEKRETESS", "").strip().lower() != "primar"
    maskade = frozenset(tvingade)
    alla_storheter = {x for r in giltiga for x in r.storheter}
    while True:
        okanda = alla_storheter - (alla.visade - maskade)
        urval = [
            i
            for index, fria in komponenter(giltiga, okanda)
            if periodindex.intersection(index) or delade.intersection(fria)
            for i in index
        ]
        beslut = sekretessbeslut(
            varden,
            alla.visade,
            [giltiga[i] for i in sorted(urval)],
            troskel=troskel,
            tvingade=maskade,
            sekundar=sekundar,
        )
        if beslut.maskade == maskade or not sekundar:
            break
        maskade = beslut.maskade
    return replace(beslut, namnare_troskel=ntroskel)


def forbundets_beslut(
    rapporter: Sequence[tuple[Sekretessunderlag, Collection[Storhet]]], regler: Any
) -> tuple[Sekretessbeslut, list[frozenset[Storhet] | None]]:
    """Ett beslut för ett förbunds alla rapporter i en batch, och vilka som måste göras om.

    Parameters
    ----------
    rapporter : Sequence[tuple[Sekretessunderlag, Collection[Storhet]]]
        Varje rapports underlag och de storheter rapporten maskade på egen hand.
    regler : Sekretess
        Förbundets regler.

    Returns
    -------
    (Sekretessbeslut, list[frozenset[Storhet] | None])
        Det gemensamma beslutet (alla rapporters maskningar tvingade, plus det som sambanden
        mellan rapporterna kräver) och per rapport de storheter den ska maska när den görs om,
        eller ``None`` när den redan maskar precis det gemensamma beslutets storheter.

    Examples
    --------
    Två rapporter som inte delar något behöver inte göras om:

    >>> from finsam_analys.tabell import Relation
    >>> t, a, b = (Storhet.av("x", "2019", d=d) for d in ("", "a", "b"))
    >>> u = Sekretessunderlag({t: 9, a: 2, b: 7}, frozenset({t, a, b}),
    ...                       (Relation.summa(t, [a, b]),))
    >>> v = Sekretessunderlag({Storhet.av("x", "2021"): 8}, frozenset({Storhet.av("x", "2021")}))
    >>> beslut, om = forbundets_beslut([(u, {a, b}), (v, set())], None)
    >>> om
    [None, None]
    """
    egna = [frozenset(m) for _, m in rapporter]
    tvingade = frozenset().union(*egna) if egna else frozenset()
    beslut = _lankade_beslut([u for u, _ in rapporter], regler, tvingade)
    om: list[frozenset[Storhet] | None] = []
    for (u, _), m in zip(rapporter, egna, strict=True):
        behov = frozenset(beslut.maskade & set(u.varden))
        om.append(None if behov == (m & set(u.varden)) else behov)
    return beslut, om
