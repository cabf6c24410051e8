"""Rapporten som förbundet vill ha den: titel, godkännande, målområden, avsnitt och löptext.

:func:`sammanstall_rapport` bygger alla standardavsnitt omaskade och kör rapportens två
kontrollpunkter en gång (:func:`finsam_analys.rapport.bygg_rapport`), och ordnar sedan det som
ska visas efter förbundets ``rapport.yaml`` (:mod:`finsam_analys.indata.rapportspec`):

* ett **målområde** får sina mål ur förbundets måltabell som en tabell (resultat, nämnare,
  mål, bedömning, skillnad mot målet) och ett diagram, urval ur sammanfattningens tabeller
  *efter* kontrollpunkterna, så att varje tal är maskat och avrundat precis som där; mål i ord
  står som en punkt; sedan avsnitten och förbundets kommentar;
* **löptexten** får sina hänvisningar (``{{antal_avslut}}``) ifyllda ur rapportens nyckeltal,
  också efter kontrollpunkterna: en maskad hänvisning visar ``..``, en okänd är ett fel med
  fil och rad;
* **standardavsnitt** utan något att visa tas bort; de listas en gång under *Om underlaget*.

Utan ``rapport.yaml`` blir det standardrapporten: alla avsnitt med data i standardordningen,
titeln "<förbundet> – Uppföljningsrapport <period>".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.indata.rapportspec import Del, Periodspec, Text, okanda_hanvisningar
from finsam_analys.indata.validering import Problem
from finsam_analys.perioder import Rapportperiod
from finsam_analys.tabell import (
    MASKAD,
    Cell,
    Diagram,
    Rapport,
    Rapportdel,
    Sektion,
    Stycke,
    Tabell,
    Varde,
)

__all__ = [
    "MALKOLUMNER",
    "fyll_i_hanvisningar",
    "okanda_hanvisningar_i_underlaget",
    "rapportens_uppslag",
    "sammanstall_rapport",
    "standardspec",
    "urval",
]

MALKOLUMNER: tuple[str, ...] = ("Indikator", "Resultat", "n", "Riktning", "Mål", "Enhet",
                                "Bedömning", "Mot mål", "Skillnad mot mål")  # fmt: skip
"""Kolumnerna ur sammanfattningens måltabeller som ett målområde visar (de som finns)."""

_HANVISNING = re.compile(r"\{\{(.*?)\}\}")


def standardspec(underlag: Any, period: Rapportperiod) -> Periodspec:
    """Standardrapporten: alla avsnitt i standardordningen, titeln "… – Uppföljningsrapport …".

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> u = SimpleNamespace(konfig=SimpleNamespace(namn="Exempelförbundet"))
    >>> s = standardspec(u, Rapportperiod.tolka("2024"))
    >>> s.titel, len(s.delar), s.delar[0].avsnitt
    ('Exempelförbundet – Uppföljningsrapport 2024', 13, ('sammanfattning',))
    """
    from finsam_analys.rapport import SEKTIONER

    return Periodspec(
        period.kod,
        "uppfoljningsrapport",
        f"{underlag.konfig.namn} – Uppföljningsrapport {period.namn}",
        delar=tuple(Del(avsnitt=(n,)) for n in SEKTIONER),
    )


def _periodspec(underlag: Any, period: Rapportperiod, spec: Any) -> Periodspec:
    if spec is None:
        rapportspec = getattr(underlag, "rapportspec", None)
        spec = rapportspec.for_period(period) if rapportspec is not None else None
    if spec is None:
        return standardspec(underlag, period)
    if not spec.delar:
        return replace(spec, delar=standardspec(underlag, period).delar)
    return spec


def sammanstall_rapport(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    spec: Periodspec | None = None,
    jamforelse: Rapportperiod | str | None = None,
    sekretess_troskel: int | None = None,
    rakning: Any = None,
    tvingade: Any = (),
) -> Rapport:
    """Rapporten för ett förbund och en period, i förbundets ordning och med dess texter.

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag (``las_forbund``); dess ``rapportspec`` används om ``spec`` inte
        anges.
    period : Rapportperiod eller str
        Rapportperioden.
    spec : Periodspec, valfri
        Specifikationen för perioden; standard förbundets ``rapport.yaml`` för perioden, och
        utan den standardrapporten.
    jamforelse, sekretess_troskel, rakning, tvingade
        Som i :func:`finsam_analys.rapport.bygg_rapport`.

    Returns
    -------
    Rapport
        Titel, godkännanderad och delarna i ordning; ``sektioner`` har alla standardavsnitt
        (för ``nyckeltal.json`` och ``tabeller.xlsx``).

    Raises
    ------
    InlasningsFel
        Om löptexten hänvisar till nyckeltal som rapporten inte har (fil och rad för varje).
    """
    from finsam_analys.indata.inlasning import InlasningsFel
    from finsam_analys.rapport import bygg_rapport

    period = Rapportperiod.tolka(period)
    pspec = _periodspec(underlag, period, spec)
    visade = [a for d in pspec.delar for a in d.avsnitt]
    sektioner = bygg_rapport(underlag, period, jamforelse=jamforelse,
                             sekretess_troskel=sekretess_troskel, rakning=rakning,
                             visade=visade, tvingade=tvingade)  # fmt: skip
    uppslag = rapportens_uppslag(sektioner)
    problem = okanda_hanvisningar(pspec, uppslag)
    if problem:
        raise InlasningsFel(problem, katalog=getattr(underlag, "katalog", None))
    saknade = {
        sektioner[n].rubrik: sektioner[n].saknas
        for n in dict.fromkeys(visade)
        if sektioner[n].saknas is not None
    }
    delar: list[Rapportdel] = []
    malomraden = 0
    for i, d in enumerate(pspec.delar, start=1):
        malomraden += d.ar_malomrade
        namn = f"malomrade_{malomraden}" if d.ar_malomrade else f"del_{i}"
        delar += _delar(d, namn, sektioner, uppslag, period)
    return Rapport(
        titel=pspec.titel,
        period=period.namn,
        slag=pspec.slag,
        avser=pspec.avser,
        godkannande=pspec.godkannande,
        delar=tuple(delar),
        sektioner=sektioner,
        saknade=saknade,
    )


# ------------------------------------------------------------------------------ delarna


def _text(t: Text | None, uppslag: Mapping[str, Any]) -> str:
    return "" if t is None else fyll_i_hanvisningar(t.markdown, uppslag)


def _delar(
    d: Del, namn: str, sektioner: Mapping[str, Sektion], uppslag: Mapping[str, Any], period
) -> list[Rapportdel]:
    """En dels rubrik, text, mål, avsnitt och kommentar som rapportdelar i ordning."""
    ut: list[Rapportdel] = []
    rubrik = d.rubrik or (d.text.rubrik if d.text is not None else "")
    grupp = bool(d.rubrik) or d.ar_malomrade
    sektion = _malomrade(d, namn, sektioner["sammanfattning"], period) if d.mal else None
    if rubrik or d.text is not None or sektion is not None:
        ut.append(Rapportdel(namn, rubrik, 2, _text(d.text, uppslag), sektion))
    for a in d.avsnitt:
        s = sektioner[a]
        if s.saknas is None:
            ut.append(Rapportdel(a, s.rubrik, 3 if grupp else 2, sektion=s))
    if d.kommentar is not None:
        ut.append(
            Rapportdel(f"{namn}_kommentar", d.kommentar.rubrik, 3 if grupp else 2,
                       _text(d.kommentar, uppslag))
        )  # fmt: skip
    return ut


def urval(
    tabell: Tabell, rader: Sequence[int], kolumner: Sequence[str], *, namn: str, titel: str
) -> Tabell:
    """Ett urval av rader och kolumner ur en tabell *efter* kontrollpunkterna.

    Masken och visningen följer med, så att urvalet visar exakt det som tabellen visar (ett
    urval ur det som redan visas röjer inget nytt). Summarader och sortering följer inte med.

    Examples
    --------
    >>> import pandas as pd
    >>> from finsam_analys.tabell import Storhet
    >>> t = Tabell.fordelning(pd.Series({"A": 7, "B": 2, "C": 5}), namn="t", titel="T",
    ...                       bas=Storhet.av("x"), dimension="d", kategorirubrik="Kategori")
    >>> u = urval(t, [0, 2], ["Kategori", "Antal"], namn="u", titel="U")
    >>> u.data.to_dict("list"), u.summarader
    ({'Kategori': ['A', 'C'], 'Antal': [7, 5]}, ())
    """
    rader, kolumner = list(rader), list(kolumner)

    def valj(ram):
        return None if ram is None else ram.iloc[rader][kolumner].reset_index(drop=True)

    return tabell.med(
        namn=namn,
        titel=titel,
        data=valj(tabell.data),
        kolumner=tuple(tabell.kolumn(k) for k in kolumner),
        referenser=valj(tabell.referenser),
        mask=valj(tabell.mask),
        visning=valj(tabell.visning),
        summarader=(),
        sortering=None,
        fotnoter=(),
    )


def _malrader(sammanfattning: Sektion, d: Del) -> dict[str, list[int]]:
    """Radnumren i sammanfattningens måltabeller för målområdets mål (tabellnamn -> rader)."""
    from finsam_analys.matt.indikatorer import INDIKATORNAMN
    from finsam_analys.rapport.resultat import nyckel

    tabeller = {t.namn: t for t in sammanfattning.tabellobjekt()}
    ut: dict[str, list[int]] = {}
    for m in d.mal:
        if not m.indikator:
            continue
        varde = sammanfattning.nyckeltal.get(nyckel(m.indikator, m.insats or TOTALT))
        if isinstance(varde, Cell) and varde.tabell in tabeller:
            i = tabeller[varde.tabell].rad(varde.rad)
            ut.setdefault(varde.tabell, []).append(i)
            continue
        etikett = INDIKATORNAMN.get(m.indikator, m.indikator)
        for t in tabeller.values():
            if "Indikator" not in t.data.columns:
                continue
            traff = t.data["Indikator"].astype(object) == etikett
            if "Insats" in t.data.columns and m.insats:
                traff &= t.data["Insats"].astype(object) == m.insats
            rader = [int(j) for j in traff.to_numpy().nonzero()[0]]
            if rader:
                ut.setdefault(t.namn, []).extend(rader)
                break
    return {k: list(dict.fromkeys(v)) for k, v in ut.items()}


def _malomrade(d: Del, namn: str, sammanfattning: Sektion, period) -> Sektion:
    """Målområdets innehåll: mål i ord, resultattabell och diagram ur sammanfattningen."""
    block: list[Any] = []
    ord_ = [m.text for m in d.mal if m.text]
    if len(ord_) == 1:
        block.append(Stycke((f"Mål: {ord_[0]}",)))
    elif ord_:
        block += [Stycke(("Mål:",)), Stycke(tuple(ord_), punktlista=True)]
    tabeller = {t.namn: t for t in sammanfattning.tabellobjekt()}
    for j, (tnamn, rader) in enumerate(_malrader(sammanfattning, d).items(), start=1):
        t = tabeller[tnamn]
        kolumner = [k for k in MALKOLUMNER if k in t.data.columns]
        titel = f"Mål och resultat, {period.namn}" if j == 1 else f"Övriga mål, {period.namn}"
        u = urval(t, rader, kolumner, namn=f"{namn}_{tnamn}", titel=titel)
        if u.kolumn("Resultat").matt == "andel" and "Mål" in kolumner:
            block.append(
                Diagram("staplar", u.namn, x="Indikator", y="Resultat", mal="Mål",
                        titel=f"Resultat mot mål, {period.namn}", enhet="andel",
                        alt="Stapeldiagram: resultatet för varje mål i målområdet, i procent, "
                        "med målet markerat.",
                        not_="Strecket är målet. Tal som inte visas (..) ritas inte.")
            )  # fmt: skip
        block.append(u)
    return Sektion(namn, d.rubrik, innehall=tuple(block))


# --------------------------------------------------------------------------- löptexten


def okanda_hanvisningar_i_underlaget(underlag: Any) -> list[Problem]:
    """Hänvisningar i förbundets löptext till nyckeltal som rapporten inte har, alla perioder.

    Bygger varje periods sektioner utan kontrollpunkterna (nycklarna beror inte på
    maskningen); används av ``finsam-analys validera``.
    """
    from finsam_analys.rapport import bygg_rapport

    spec = getattr(underlag, "rapportspec", None)
    problem: list[Problem] = []
    for kod, pspec in (spec.perioder.items() if spec is not None else ()):
        if not pspec.hanvisningar():
            continue
        sektioner = bygg_rapport(underlag, kod, omaskad=True)
        problem += okanda_hanvisningar(pspec, rapportens_uppslag(sektioner))
    return problem



def rapportens_uppslag(sektioner: Mapping[str, Sektion]) -> dict[str, tuple[Any, Sektion]]:
    """Varje nyckeltal (samma nycklar som ``nyckeltal.json``) med sektionen det står i.

    Finns samma nyckel i två sektioner gäller den första (som i ``nyckeltal.json``).
    """
    ut: dict[str, tuple[Any, Sektion]] = {}
    for sektion in sektioner.values():
        for k, v in sektion.nyckeltal.items():
            ut.setdefault(str(k), (v, sektion))
    return ut


def _matt_for(nyckel: str, varde: Any) -> tuple[str, int]:
    """Mått och decimaler för ett nyckeltal utan känt mått (äldre sektioner)."""
    if isinstance(varde, float) and not float(varde).is_integer():
        if "forandring" in nyckel:
            return "forandring", 0
        if nyckel.startswith(("andel", "hae_andel")) or ":andel" in nyckel:
            return "andel", 0
        return "tal", 1
    return "antal", 0


def _hanvisningens_varde(varde: Any, sektion: Sektion, nyckel: str, format_: str | None):
    """(visat värde, mått, decimaler) för ett nyckeltal, efter kontrollpunkterna."""
    from finsam_analys.presentation.avrundning import avrundat_varde
    from finsam_analys.presentation.lopttext import FORMATMATT

    exakt, visat, matt, decimaler = varde, None, None, 0
    if isinstance(varde, Cell):
        t = {x.namn: x for x in sektion.tabellobjekt()}[varde.tabell]
        i, j = t.rad(varde.rad), t.data.columns.get_loc(varde.kolumn)
        kolumn = t.kolumn(varde.kolumn)
        if t.mask is not None and bool(t.mask.iat[i, j]):
            return MASKAD, kolumn.matt, 0
        exakt = t.data.iat[i, j]
        exakt = exakt.item() if hasattr(exakt, "item") else exakt
        visat = t.visning.iat[i, j] if t.visning is not None else None
        matt, decimaler = kolumn.matt, kolumn.precision
    elif isinstance(varde, Varde):
        exakt, matt, decimaler = varde.varde, varde.matt, varde.precision
    if isinstance(exakt, str) and exakt == MASKAD:
        return MASKAD, matt or "antal", 0
    if matt is None:
        matt, decimaler = _matt_for(nyckel, exakt)
    if format_ is not None:
        matt, decimaler = FORMATMATT[format_]
        visat = None
    if visat is None:
        visat = avrundat_varde(exakt, matt, decimaler)
    return visat, matt, decimaler


def fyll_i_hanvisningar(markdown: str, uppslag: Mapping[str, tuple[Any, Sektion]]) -> str:
    """Löptexten med varje ``{{nyckel}}`` eller ``{{nyckel | format}}`` utbytt mot talet.

    Talet skrivs som i rapportens tabeller: en :class:`~finsam_analys.tabell.Cell` visar
    tabellens avrundade värde (eller ``..`` när cellen är maskad), en
    :class:`~finsam_analys.tabell.Varde` avrundas efter sitt mått; ett formathint byter mått
    och precision. Okända nycklar ska ha prövats före (:func:`~finsam_analys.indata.
    rapportspec.okanda_hanvisningar`).

    Examples
    --------
    >>> s = Sektion("a", "A", nyckeltal={"antal_avslut": Varde(55), "andel": Varde(
    ...     7 / 55, "andel"), "dold": Varde("..")})
    >>> u = rapportens_uppslag({"a": s})
    >>> fyll_i_hanvisningar("{{antal_avslut}} avslut, {{andel}} ({{andel|procent1}}), {{dold}}", u)
    '55 avslut, 13\\xa0% (12,7\\xa0%), ..'
    """
    from finsam_analys.presentation.lopttext import varde_som_text

    def byt(traff: re.Match[str]) -> str:
        nyckel, _, format_ = traff.group(1).partition("|")
        nyckel, format_ = nyckel.strip(), format_.strip() or None
        varde, sektion = uppslag[nyckel]
        visat, matt, decimaler = _hanvisningens_varde(varde, sektion, nyckel, format_)
        return varde_som_text(visat, matt, decimaler)

    return _HANVISNING.sub(byt, markdown)
