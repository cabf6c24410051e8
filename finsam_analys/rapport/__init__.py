"""Rapportens innehåll: en funktion per sektion, och hela rapporten som en ordnad samling.

Var ett tal räknas:

=======================================  ==================================================
sektion                                  modul
=======================================  ==================================================
Sammanfattning, Avslut och resultat,     :mod:`finsam_analys.rapport.resultat`
Avbrott
Deltagare och flöden, Bakgrund           :mod:`finsam_analys.rapport.deltagare`
Hälsa och stegförflyttning, Uppföljning  :mod:`finsam_analys.rapport.halsa_uppfoljning`
efter avslut, Deltagarenkät (NNS)
Helårsekvivalenter, Ekonomi,             :mod:`finsam_analys.rapport.ekonomi_hae`
Samhällsnytta
Granskning, Om underlaget                :mod:`finsam_analys.rapport.underlaget`
=======================================  ==================================================

Alla sektioner läser samma räknetabeller (:func:`~finsam_analys.matt.rakning.rakna`):
deltagarrader räknas först ihop till samma form som publicerade aggregat. Varje sektion är en
:class:`~finsam_analys.rapport.gemensamt.Sektion`; :func:`bygg_rapport` bygger dem omaskade och
kör kontrollpunkterna en gång. :func:`sammanstall_rapport`
(:mod:`finsam_analys.rapport.sammanstallning`) ordnar dem efter förbundets ``rapport.yaml``
(titel, godkännande, målområden, löptext) till en :class:`~finsam_analys.tabell.Rapport`, som
:mod:`finsam_analys.presentation.rapportvisning` visar i notebooken.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from finsam_analys.matt.rakning import Rakning, rakna
from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.deltagare import (
    sektion_bakgrund,
    sektion_deltagare_och_floden,
    uppfoljning_finsam,
)
from finsam_analys.rapport.deltagartabeller import med_deltagartabeller
from finsam_analys.rapport.ekonomi_hae import (
    sektion_ekonomi,
    sektion_helarsekvivalenter,
    sektion_samhallsnytta,
)
from finsam_analys.rapport.gemensamt import Figur, Sektion, jamforelseperiod, sekretessregler
from finsam_analys.rapport.halsa_uppfoljning import (
    sektion_deltagarenkat,
    sektion_halsa_och_stegforflyttning,
    sektion_uppfoljning,
)
from finsam_analys.rapport.publicerat import med_publicerade
from finsam_analys.rapport.resultat import (
    sektion_avbrott,
    sektion_avslut_och_resultat,
    sektion_sammanfattning,
)
from finsam_analys.rapport.sammanstallning import sammanstall_rapport
from finsam_analys.rapport.underlaget import (
    granskningen,
    granskningens_pastaenden,
    med_sekretessbeslut,
    sektion_granskning,
    sektion_om_underlaget,
)
from finsam_analys.tabell import MASKAD, Cell, Tabell, Varde

__all__ = [
    "JAMFORELSETABELLER",
    "SEKTIONER",
    "Figur",
    "Rakning",
    "Sektioner",
    "Sektion",
    "bygg_rapport",
    "kontrollpunkter",
    "rakna",
    "rapportens_nyckeltal",
    "rapportens_tabellobjekt",
    "rapportens_tabeller",
    "sammanstall_rapport",
    "sektion_avbrott",
    "sektion_avslut_och_resultat",
    "sektion_bakgrund",
    "sektion_deltagare_och_floden",
    "sektion_deltagarenkat",
    "sektion_ekonomi",
    "sektion_granskning",
    "sektion_halsa_och_stegforflyttning",
    "sektion_helarsekvivalenter",
    "sektion_om_underlaget",
    "sektion_samhallsnytta",
    "sektion_sammanfattning",
    "sektion_uppfoljning",
    "uppfoljning_finsam",
]

SEKTIONER: tuple[str, ...] = (
    "sammanfattning",
    "deltagare",
    "bakgrund",
    "avslut",
    "avbrott",
    "halsa",
    "uppfoljning",
    "enkat",
    "helarsekvivalenter",
    "ekonomi",
    "samhallsnytta",
    "granskning",
    "om_underlaget",
)
"""Sektionernas namn i rapportens ordning (nycklarna i :func:`bygg_rapport`)."""


JAMFORELSETABELLER: tuple[str, ...] = (
    "avslut",
    "deltagarantal",
    "halsoenkat",
    "stegforflyttning",
    "nyckeltal_publicerade",
)
"""Räknetabellerna som jämförelseperioden behöver: flödet (:func:`~finsam_analys.rapport.
deltagare.flode`) och indikatorerna (:func:`~finsam_analys.matt.indikatorer.
indikatorer`). Övriga räknas inte för jämförelseperioden."""


def bygg_rapport(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    jamforelse: Rapportperiod | str | None = None,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
    visade: Collection[str] | None = None,
    omaskad: bool = False,
    tvingade: Any = (),
) -> Sektioner:
    """Alla sektioner för ett förbund och en period, i rapportens ordning.

    Räknetabellerna för perioden och jämförelseperioden räknas en gång och delas av sektionerna
    (för jämförelseperioden bara :data:`JAMFORELSETABELLER`).

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag (``inlasning.las_forbund``).
    period : Rapportperiod eller str
        Rapportperioden.
    jamforelse : Rapportperiod eller str, valfri
        Jämförelseperioden; standard förbundets ``jamforelseperioder`` eller året innan.
    sekretess_troskel : int, valfri
        Minsta antal som visas; standard förbundets konfiguration.
    rakning : Rakning, valfri
        Periodens räknetabeller om anroparen redan har dem (``rakna(underlag, period)``), så
        att de inte räknas en gång till; standard: räknas här.
    visade : Collection[str], valfri
        Avsnitten som rapporten visar (förbundets ``rapport.yaml``); de av dem som saknar data
        listas under *Om underlaget*. Standard: alla.
    omaskad : bool
        Sektionerna *före* kontrollpunkterna (för att se vilka nyckeltal rapporten har, t.ex.
        när ``validera`` prövar löptextens hänvisningar); visas aldrig.
    tvingade : Collection[Storhet], valfri
        Storheter som maskas oavsett värde: förbundets gemensamma sekretessbeslut när batchen
        kör flera rapporter för samma förbund (:mod:`finsam_analys.korning.batch`).

    Returns
    -------
    Sektioner
        Nycklarna i :data:`SEKTIONER`, med sekretessens beslut och underlag.
    """
    period = Rapportperiod.tolka(period)
    angiven = None if jamforelse is None else Rapportperiod.tolka(jamforelse)
    jp = jamforelseperiod(underlag, period, angiven)
    rak = rakning if rakning is not None else rakna(underlag, period)
    jrak = rakna(underlag, jp, tabeller=JAMFORELSETABELLER)
    s = {"sekretess_troskel": sekretess_troskel}
    granskning, for_tryckta = _delad_granskning(underlag)
    r = {"rakning": rak}
    j = {"jamforelse": jp, "jamforelse_rakning": jrak}
    sektioner = {
        "sammanfattning": sektion_sammanfattning(underlag, period, **s, **r, **j),
        "deltagare": sektion_deltagare_och_floden(underlag, period, **s, **r, **j),
        "bakgrund": sektion_bakgrund(underlag, period, **s, **r),
        "avslut": sektion_avslut_och_resultat(underlag, period, **s, **r),
        "avbrott": sektion_avbrott(underlag, period, **s, **r),
        "halsa": sektion_halsa_och_stegforflyttning(underlag, period, **s, **r),
        "uppfoljning": sektion_uppfoljning(underlag, period, **s, **r),
        "enkat": sektion_deltagarenkat(underlag, period, **s, **r),
        "helarsekvivalenter": sektion_helarsekvivalenter(underlag, period, **s),
        "ekonomi": sektion_ekonomi(underlag, period),
        "samhallsnytta": sektion_samhallsnytta(underlag, period),
        "granskning": sektion_granskning(underlag, period, granskning=granskning, **s),
    }
    sektioner = med_deltagartabeller(sektioner, underlag, period)
    # avsnitt utan egna data listas i Om underlaget även när de visar förbundets tryckta tabeller
    saknade = {
        x.rubrik: x.saknas
        for n, x in sektioner.items()
        if x.saknas is not None and (visade is None or n in visade)
    }
    sektioner["om_underlaget"] = sektion_om_underlaget(
        underlag, period, jamforelse=jp, saknade=saknade, **s
    )
    sektioner = med_publicerade(
        sektioner, underlag, period, visade=visade, granskning=for_tryckta
    )
    if omaskad:
        return sektioner
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    return kontrollpunkter(sektioner, regler, tvingade=tvingade)


def _delad_granskning(underlag: Any) -> tuple[Any, Any]:
    """Granskningen en gång per rapport: för avsnittet Granskning, och samma för de tryckta
    tabellerna när de skulle ha granskats med samma textpåståenden (``underlag.pastaenden``);
    annars None (de tryckta tabellerna granskar då själva, som förut)."""
    pastaenden = granskningens_pastaenden(underlag)
    granskning = granskningen(underlag, pastaenden=pastaenden)
    egna = getattr(underlag, "pastaenden", None)
    samma = pastaenden is None or pastaenden is egna or (
        egna is not None and pastaenden.equals(egna)
    )
    return granskning, (granskning if samma else None)


class Sektioner(dict):
    """Rapportens sektioner (en ``dict`` namn -> Sektion i rapportens ordning), efter
    kontrollpunkterna, med sekretessens beslut och underlag (omaskade tal: skrivs aldrig till
    rapportens utdata, bara till batchens egen arbetskatalog).

    Examples
    --------
    >>> r = Sektioner({"a": Sektion("a", "A")})
    >>> list(r), r.sekretessbeslut is None
    (['a'], True)
    """

    sekretessbeslut: Any = None
    sekretessunderlag: Any = None


def kontrollpunkter(
    sektioner: Mapping[str, Sektion], regler: Any, *, tvingade: Any = ()
) -> Sektioner:
    """Rapportens två kontrollpunkter, i ordning: sekretess, sedan avrundning.

    Allt som visas (tabeller, meningar, nyckeltal, figurer) passerar här en gång:
    :func:`finsam_analys.sekretess.kontrollpunkt.skydda` maskar länkade tabeller och prövar med
    linjärprogrammering att inget maskat antal kan räknas fram;
    :func:`finsam_analys.presentation.avrundning.avrunda` avrundar delar av en helhet med
    största resten. Sekretessregeln i ord ur beslutet hamnar i *Om underlaget*
    (:func:`~finsam_analys.rapport.underlaget.med_sekretessbeslut`). ``tvingade`` maskas
    oavsett värde (förbundets gemensamma beslut i en batch); texten räknar bara det som
    rapporten själv visar.
    """
    from finsam_analys.presentation.avrundning import avrunda
    from finsam_analys.sekretess import kontrollpunkt as k

    troskel = int(getattr(regler, "troskel", 5))
    ntroskel = int(getattr(regler, "namnare_troskel", 10))
    underlag = k.samla([sektioner], troskel=troskel, namnare_troskel=ntroskel)
    beslut = k.gemensamt_beslut(underlag, regler, tvingade=frozenset(tvingade or ()))
    skyddade = k.tillampa(sektioner, beslut, varden=underlag.varden)
    egna = k.begransa(beslut, underlag.visade)
    rapport = Sektioner(avrunda(med_sekretessbeslut(skyddade, egna, regler)))
    rapport.sekretessbeslut = k.begransa(beslut, underlag.varden)
    rapport.sekretessunderlag = underlag
    return rapport


def rapportens_nyckeltal(rapport: Mapping[str, Sektion]) -> dict[str, Any]:
    """Alla sektioners nyckeltal i en platt ordlista (för ``nyckeltal.json``).

    Nycklarna är sektionernas egna; finns samma nyckel i två sektioner gäller den första.
    ``sektion_visas:<namn>`` säger vilka sektioner som hade data.

    Examples
    --------
    >>> a = Sektion("a", "A", nyckeltal={"x": 1})
    >>> b = Sektion("b", "B", nyckeltal={"x": 2, "y": 3}, saknas="inget")
    >>> rapportens_nyckeltal({"a": a, "b": b})
    {'x': 1, 'sektion_visas:a': True, 'y': 3, 'sektion_visas:b': False}
    """
    ut: dict[str, Any] = {}
    for namn, sektion in rapport.items():
        tabeller = {t.namn: t for t in sektion.tabellobjekt()}
        for k, v in sektion.nyckeltal.items():
            ut.setdefault(k, _nyckeltalsvarde(v, tabeller))
        ut[f"sektion_visas:{namn}"] = sektion.visas
    return ut


def _nyckeltalsvarde(varde: Any, tabeller: Mapping[str, Tabell]) -> Any:
    """Ett nyckeltal som json-värde: exakt värde (inte avrundat) eller ``".."`` om maskat."""
    if isinstance(varde, Varde):
        return varde.varde
    if isinstance(varde, Cell):
        tabell = tabeller[varde.tabell]
        i = tabell.rad(varde.rad)
        j = tabell.data.columns.get_loc(varde.kolumn)
        if tabell.mask is not None and bool(tabell.mask.iat[i, j]):
            return MASKAD
        v = tabell.data.iat[i, j]
        return v.item() if hasattr(v, "item") else v
    return varde


def rapportens_tabellobjekt(rapport: Mapping[str, Sektion]) -> dict[str, Tabell | pd.DataFrame]:
    """Alla sektioners tabeller efter kontrollpunkterna, i rapportens ordning, för Excel.

    Tabellmodellens tabeller som :class:`~finsam_analys.tabell.Tabell` (med mått, precision,
    enhet och ``visning``, så att Excel får ett talformat per mått), sektioner av det äldre
    slaget som DataFrame. Nyckeln är tabellens titel, med sektionens rubrik framför när två
    sektioner har tabeller med samma titel.

    Examples
    --------
    >>> t = pd.DataFrame({"Antal": [7]})
    >>> a = Sektion("a", "A", tabeller={"T": t})
    >>> b = Sektion("b", "B", tabeller={"T": t})
    >>> list(rapportens_tabellobjekt({"a": a, "b": b}))
    ['T', 'B – T']
    """
    ut: dict[str, Tabell | pd.DataFrame] = {}
    for sektion in rapport.values():
        tabeller: dict[str, Tabell | pd.DataFrame] = dict(sektion.tabeller)
        for t in sektion.tabellobjekt():
            titel, i = t.titel, 2
            while titel in tabeller:  # två tabeller med samma titel i samma avsnitt
                titel, i = f"{t.titel} ({i})", i + 1
            tabeller[titel] = t
        for namn, tabell in tabeller.items():
            nyckel = namn if namn not in ut else f"{sektion.rubrik} – {namn}"
            nyckel, i = (nyckel, 2) if nyckel not in ut else (f"{nyckel} (2)", 3)
            while nyckel in ut:
                nyckel, i = f"{sektion.rubrik} – {namn} ({i})", i + 1
            ut[nyckel] = tabell
    return ut


def rapportens_tabeller(rapport: Mapping[str, Sektion]) -> dict[str, pd.DataFrame]:
    """Alla sektioners tabeller (råa tal efter maskning), i rapportens ordning.

    Som :func:`rapportens_tabellobjekt`, men varje tabell som DataFrame: tabellmodellens
    ``visning`` med kolumnrubrikerna som de visas (enheten i rubriken).

    Examples
    --------
    >>> t = pd.DataFrame({"Antal": [7]})
    >>> a = Sektion("a", "A", tabeller={"T": t})
    >>> b = Sektion("b", "B", tabeller={"T": t})
    >>> list(rapportens_tabeller({"a": a, "b": b}))
    ['T', 'B – T']
    """
    from finsam_analys.presentation.tabellvisning import kolumnrubrik

    ut: dict[str, pd.DataFrame] = {}
    for namn, t in rapportens_tabellobjekt(rapport).items():
        if isinstance(t, Tabell):
            visning = t.visning if t.visning is not None else t.data
            t = visning.set_axis([kolumnrubrik(k) for k in t.kolumner], axis=1)
        ut[namn] = t
    return ut
