"""Sektionerna Granskning och Om underlaget.

Granskningen räknas av :func:`finsam_analys.granskning.kontroller.granska_underlag` (och
textpåståendena i ``granskning_pastaenden.csv`` via
:func:`~finsam_analys.granskning.kontroller.las_pastaenden`); här översätts fynden till tabeller
med svenska rubriker och etiketter (inga tabell- eller kolumnnamn ur datamodellen).

Om underlaget listar källor, definitioner, förbehåll, de avsnitt som saknar data och
sekretessregeln i ord. Sekretessregeln och vad som döljs kommer ur sekretessens beslut
(:func:`med_sekretessbeslut`, som :func:`finsam_analys.rapport.kontrollpunkter` anropar efter
kontrollpunkten).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import jamforelseperiod, sekretessregler
from finsam_analys.tabell import Kolumn, Sektion, Storhet, Stycke, Tabell, ram_med_textkolumner

__all__ = [
    "KOLUMNNAMN",
    "TABELLNAMN",
    "med_sekretessbeslut",
    "granskningen",
    "granskningens_pastaenden",
    "sektion_granskning",
    "sektion_om_underlaget",
    "sekretesstext",
    "svensk_etikett",
]

TABELLNAMN: dict[str, str] = {
    "deltagare": "Deltagare",
    "ersattningsperioder": "Ersättningsperioder",
    "avslut": "Avslut",
    "deltagarantal": "Deltagarantal",
    "avbrott": "Avbrott",
    "halsoenkat": "Hälsoenkät",
    "uppfoljning": "Uppföljning efter avslut",
    "remisser": "Remisser",
    "enkat": "Deltagarenkät",
    "nyckeltal_publicerade": "Publicerade nyckeltal",
    "ekonomi": "Ekonomi",
    "eget_kapital": "Eget kapital",
    "helarsekvivalenter": "Helårsekvivalenter",
    "mal": "Mål",
}
"""Datamodellens tabellnamn -> namnet som styrelsen ser."""

KOLUMNNAMN: dict[str, str] = {
    "antal": "Antal",
    "n": "Antal",
    "namnare": "Nämnare",
    "andel": "Andel",
    "summa_start": "Summa poäng vid start",
    "summa_slut": "Summa poäng vid avslut",
    "antal_forbattrade": "Antal förbättrade",
    "andel_forbattrade": "Andel förbättrade",
    "forandring": "Förändring",
    "budget": "Budget",
    "utfall": "Utfall",
    "utfall_procent": "Utfall i procent av budget",
    "prognos": "Prognos",
    "prognosavvikelse": "Prognosavvikelse",
    "differens": "Kvar av budget",
    "belopp": "Belopp",
    "hae": "Helårsekvivalenter",
    "folkmangd_20_64": "Folkmängd 20–64 år",
    "konsandel": "Könsfördelning",
    "varde": "Värde",
    "text": "Text",
}
"""Datamodellens kolumnnamn -> rubriken som styrelsen ser (``*_publicerad``: "… (tryckt)")."""

_ANTALSTABELLER = {"avslut", "deltagarantal", "avbrott", "uppfoljning", "remisser", "enkat"}
_PERIODKOD = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\.\.\d{4}-\d{2}(?:-\d{2})?\b")
_IDENTIFIERARE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_FORSTA_ORDET = re.compile(r"^[a-z][a-z0-9_]*\b")
_RAKNETECKEN = re.compile(r"(?<=\S) ([-*]) (?=\S)")


def _periodnamn(kod: str) -> str:
    try:
        return Rapportperiod.tolka(kod).namn
    except (ValueError, TypeError):
        return kod


def _kolumnnamn(kod: str) -> str:
    if kod.endswith("_publicerad"):
        return f"{_kolumnnamn(kod.removesuffix('_publicerad'))} (tryckt)"
    return KOLUMNNAMN.get(kod, TABELLNAMN.get(kod, kod.replace("_", " ").capitalize()))


def svensk_etikett(text: Any) -> str:
    """Granskningens etikett utan datamodellens namn: tabell- och kolumnnamn och periodkoder.

    Examples
    --------
    >>> svensk_etikett("ekonomi 2021-01..2021-08, 2021 (tkr)")
    'Ekonomi januari–augusti 2021, 2021 (tkr)'
    >>> svensk_etikett("andel_publicerad"), svensk_etikett("hae (s. 15 Riket efter kön 2020)")
    ('Andel (tryckt)', 'Helårsekvivalenter (s. 15 Riket efter kön 2020)')
    >>> svensk_etikett("Den upplevda hälsan har ökat med 4%")
    'Den upplevda hälsan har ökat med 4%'
    >>> svensk_etikett("(23036 - 37058) / 37058 * 100")
    '(23036 − 37058) / 37058 × 100'
    >>> svensk_etikett('avsnitt 1 säger "mellan 20 till 61 år"')
    'avsnitt 1 säger ”mellan 20 till 61 år”'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = _PERIODKOD.sub(lambda m: _periodnamn(m.group(0)), str(text))
    text = _IDENTIFIERARE.sub(lambda m: _kolumnnamn(m.group(0)), text)
    forsta = _FORSTA_ORDET.match(text)
    if forsta and (forsta.group(0) in TABELLNAMN or forsta.group(0) in KOLUMNNAMN):
        text = _kolumnnamn(forsta.group(0)) + text[forsta.end() :]
    # räknesättens tecken som i svensk typografi: minus (−) och gånger (×); citattecken ”…”
    text = _RAKNETECKEN.sub(lambda m: f" {'−' if m.group(1) == '-' else '×'} ", text)
    return text.replace('"', "”")


# ------------------------------------------------------------------------------- granskning


def _granskade_tal(fynd: pd.DataFrame) -> tuple[dict[str, list], dict]:
    """Referenser för granskningens tal i antalstabeller: små tal visas inte.

    Ett publicerat eller omräknat antal i en tabell med antal personer är en egen storhet
    (``granskat[tabell=…, rad=…, kolumn=…, varde=…]``), så att sekretessen maskar det när det
    är litet; belopp, HÅE och andelar har ingen referens.
    """
    refs: dict[str, list] = {"Publicerat": [], "Omräknat": [], "Avvikelse": []}
    antal: dict[Storhet, float] = {}
    for rad in fynd.itertuples():
        tabell = str(rad.tabell).split(" ")[0]
        for kolumn, falt in (
            ("Publicerat", "publicerat"),
            ("Omräknat", "omraknat"),
            ("Avvikelse", "avvikelse"),
        ):
            varde = getattr(rad, falt)
            if tabell not in _ANTALSTABELLER or pd.isna(varde):
                refs[kolumn].append(None)
                continue
            s = Storhet.av(
                "granskat", tabell=rad.tabell, rad=rad.rad, kolumn=rad.kolumn, varde=falt
            )
            antal[s] = abs(float(varde))
            refs[kolumn].append(s)
    return refs, antal


def _fyndtabell(fynd: pd.DataFrame, *, namn: str, titel: str, kommentar: bool) -> Tabell:
    refs, antal = _granskade_tal(fynd)
    data = pd.DataFrame(
        {
            "Tabell": [svensk_etikett(t) for t in fynd["tabell"]],
            "Rad": [svensk_etikett(r) for r in fynd["rad"]],
            "Kolumn": [svensk_etikett(k) for k in fynd["kolumn"]],
            "Typ": [str(t).capitalize() for t in fynd["typ"]],
            "Publicerat": fynd["publicerat"].to_numpy(dtype="float64"),
            "Omräknat": fynd["omraknat"].to_numpy(dtype="float64"),
            "Avvikelse": fynd["avvikelse"].to_numpy(dtype="float64"),
        }
    )
    kolumner = [Kolumn("Tabell"), Kolumn("Rad"), Kolumn("Kolumn"), Kolumn("Typ")]
    kolumner += [Kolumn(k, "tryckt") for k in refs]
    if kommentar:
        data["Kommentar"] = [svensk_etikett(k) for k in fynd["kommentar"]]
        kolumner.append(Kolumn("Kommentar"))
    textkolumner = {k.namn: object for k in kolumner if k.matt == "text"}
    referenser = pd.DataFrame(
        {k.namn: refs.get(k.namn, [None] * len(data)) for k in kolumner}, dtype=object
    )
    return Tabell(
        namn=namn,
        titel=titel,
        data=data.astype(textkolumner),
        kolumner=tuple(kolumner),
        referenser=referenser,
        antal=antal,
        kalla="publicerad",
        kallhanvisning="Förbundets publicerade tabeller och påståenden",
    )


def granskningens_pastaenden(underlag: Any) -> pd.DataFrame | None:
    """Textpåståendena som avsnittet Granskning prövar: ``granskning_pastaenden.csv`` i
    förbundets katalog (None om filen saknas eller inte kan läsas; granskningen tar då
    ``underlag.pastaenden``).

    >>> granskningens_pastaenden({"ekonomi": pd.DataFrame()}) is None
    True
    """
    from finsam_analys.granskning.kontroller import las_pastaenden

    if getattr(underlag, "katalog", None) is None:
        return None
    try:
        return las_pastaenden(underlag.katalog)
    except (OSError, ValueError):
        return None


def granskningen(underlag: Any, *, pastaenden: pd.DataFrame | None = None) -> Any:
    """Granskningen av hela underlaget som avsnittet Granskning visar.

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag (eller en dict med kanoniska tabeller).
    pastaenden : DataFrame, valfri
        Textpåståenden; standard :func:`granskningens_pastaenden`.

    Returns
    -------
    Granskning
        Resultatet av :func:`finsam_analys.granskning.resultat.granska`; kan ges till
        :func:`sektion_granskning` (och till de tryckta tabellerna,
        :func:`finsam_analys.rapport.publicerat.med_publicerade`, när påståendena är
        desamma som ``underlag.pastaenden``), så att granskningen görs en gång per rapport.

    Examples
    --------
    >>> ekonomi = pd.DataFrame({"period": "2015-07..2016-06", "ar": 2016, "grupp": "Kostnader",
    ...     "post": ["Personal", "Summa"], "budget": [1775000, 1775000],
    ...     "utfall": [819000, 819000], "differens_publicerad": [955000, 955000], "enhet": "kr"})
    >>> g = granskningen({"ekonomi": ekonomi})
    >>> sektion_granskning({"ekonomi": ekonomi}, Rapportperiod.tolka("2016"),
    ...     granskning=g).nyckeltal["granskning_antal_fel"]
    2
    """
    from finsam_analys.granskning.resultat import granska

    if pastaenden is None:
        pastaenden = granskningens_pastaenden(underlag)
    return granska(underlag, pastaenden=pastaenden)


def sektion_granskning(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
    pastaenden: pd.DataFrame | None = None,
    granskning: Any = None,
) -> Sektion:
    """Granskningens fynd: publicerade summor, differenser och andelar som inte stämmer.

    Granskningen omfattar hela förbundets underlag (alla perioder), eftersom ett fel i en
    tabell gäller oavsett vilken rapport den används i. Avvikelser som ryms i avrundningen
    listas för sig; de är inga fel. Omaskad (små antal maskas i kontrollpunkten).
    ``granskning`` är granskningen om anroparen redan har den (:func:`granskningen` med samma
    ``pastaenden``), så att den inte görs en gång till; standard: görs här.
    """
    rubrik = "Granskning av publicerade tabeller"
    if granskning is None:
        granskning = granskningen(underlag, pastaenden=pastaenden)
    fynd = granskning.fynd.reset_index(drop=True)
    ar_avrundning = (fynd["typ"] == "avrundning").to_numpy()
    antal_fel, antal_avr = int((~ar_avrundning).sum()), int(ar_avrundning.sum())
    nyckeltal: dict[str, Any] = {
        "granskning_antal_fel": antal_fel,
        "granskning_antal_avrundningar": antal_avr,
        **{f"granskning_typ:{k}": int(v) for k, v in fynd["typ"].value_counts().items()},
    }
    if not len(fynd):
        publicerad = bool(getattr(underlag.konfig, "publicerad", False))
        text = (
            "Granskningen räknade om alla summor, differenser och andelar i underlaget och "
            "hittade inga avvikelser."
            if publicerad or len(underlag.tabeller)
            else "Underlaget har inga publicerade tabeller att granska."
        )
        return Sektion("granskning", rubrik, innehall=(Stycke((text,)),), nyckeltal=nyckeltal)
    block: list[Any] = [
        Stycke(
            (
                f"Granskningen räknade om summor, differenser och andelar i de publicerade "
                f"tabellerna (hela underlaget, alla perioder) och fann {antal_fel} avvikelser "
                f"och {antal_avr} skillnader som ryms i avrundningen (de är inga fel). Rapporten "
                "bygger alltid på de omräknade talen, aldrig på tryckta summor.",
            )
        ),
        _per_typ(fynd),
    ]
    if antal_fel:
        block.append(
            _fyndtabell(
                fynd[~ar_avrundning],
                namn="granskning_avvikelser",
                titel="Avvikelser",
                kommentar=True,
            )
        )
    if antal_avr:
        block.append(_avrundningar(fynd[ar_avrundning]))
    return Sektion("granskning", rubrik, innehall=tuple(block), nyckeltal=nyckeltal)


def _avrundningar(fynd: pd.DataFrame) -> Tabell:
    """Skillnaderna som ryms i avrundningen, hopslagna: hur många per tryckt tabell.

    De är inga fel; en rad per skillnad skulle dränka avvikelserna. Talen själva visas inte
    (i tabeller med antal personer vore de små antal).
    """
    tabeller = [svensk_etikett(t) for t in fynd["tabell"]]
    antal = pd.Series(tabeller, dtype=object).value_counts(sort=False)
    data = pd.DataFrame({"Tabell": list(antal.index), "Skillnader": antal.to_numpy()})
    return Tabell(
        namn="granskning_avrundning",
        titel="Skillnader som ryms i avrundningen",
        data=data.astype({"Tabell": object}),
        kolumner=(Kolumn("Tabell"), Kolumn("Skillnader", "tal", 0)),
        fotnoter=(
            "Skillnader mellan tryckta och omräknade tal som beror på avrundning, t.ex. en "
            "summa av avrundade delar. De är inga fel.",
        ),
    )


def _per_typ(fynd: pd.DataFrame) -> Tabell:
    per_typ = fynd["typ"].value_counts(sort=False)
    data = ram_med_textkolumner(
        {"Typ av fynd": [str(t).capitalize() for t in per_typ.index], "Fynd": per_typ.to_numpy()},
        ["Typ av fynd"],
    )
    return Tabell(
        namn="granskning_per_typ",
        titel="Fynd per typ",
        data=data,
        kolumner=(Kolumn("Typ av fynd"), Kolumn("Fynd", "tal", 0)),
        fotnoter=("Avrundning är inget fel: det tryckta värdet ryms i avrundningen.",),
    )


# ---------------------------------------------------------------------------- om underlaget

_DEFINITIONER = (
    "Deltagit: inskriven senast periodens sista dag och inte avslutad före periodens första "
    "dag. Antalen är deltaganden (en person i två insatser räknas två gånger, som i SUS).",
    "Fullföljda avslut: avslut som inte är avbrott. Andelar per utfall (arbete, studier, "
    "fortsatt arbetslivsinriktad rehabilitering) räknas på dem.",
    "Procentenheter: skillnaden mellan två andelar (13 % mot 25 % är −12 procentenheter), "
    "till skillnad från procentuell förändring (188 → 227 poäng är +21 %).",
    "Konfidensintervall (95 %): Wilsons intervall för en andel; visar osäkerheten när "
    "antalet är litet.",
    "Helårsekvivalenter: antalet personer 20–64 år som skulle kunna försörjas ett helt år "
    "med full ersättning (SCB). Andelen är summan av HÅE delad med summan av folkmängden.",
    "Summor räknas alltid om ur delarna; tryckta summor och andelar används bara i granskningen.",
)


def _kallor(underlag: Any) -> list[str]:
    rader = []
    for k in getattr(underlag.konfig, "kallor", ()) or ():
        text = k.namn + (f": {k.beskrivning}" if k.beskrivning else "")
        if getattr(k, "sidor", None):
            sidor = str(k.sidor).strip()
            text += f" (s. {sidor})" if sidor[:1].isdigit() else f" ({sidor})"
        if k.uttagsdatum:
            text += f" Uttag {k.uttagsdatum}."
        rader.append(text)
    hae = underlag.tabell("helarsekvivalenter")
    if hae is not None and "uttagsdatum" in hae.columns:
        datum = sorted({str(d)[:10] for d in hae["uttagsdatum"].dropna()})
        kallor = sorted(set(hae["kalla"].dropna().astype(str))) if "kalla" in hae else []
        uttag = f", uttag {', '.join(datum)}." if datum else ", uttagsdatum anges inte."
        rader.append(f"Helårsekvivalenter: {', '.join(kallor) or 'SCB'}{uttag}")
    return rader


def _forbehall(underlag: Any, regler: Any) -> list[str]:
    konfig = underlag.konfig
    ut = []
    if getattr(konfig, "publicerad", False):
        ut.append(
            "Siffrorna är transkriberade ur publicerade rapporter som de trycktes, även där de "
            "inte stämmer; se granskningen. Rapporten räknar om summor och andelar ur delarna."
        )
    if getattr(konfig, "syntetisk", False):
        ut.append(
            "Underlaget är syntetiskt (påhittade personer): rapporten visar hur verktyget "
            "fungerar, inte hur något verkligt förbund har det."
        )
    if regler.intern:
        ut.append(
            "Intern rapport: förbundets konfiguration säger att rapporten är för internt bruk; "
            "små antal är inte maskade. Sprid den inte utanför förbundet."
        )
    return ut


def _underlagets_tabeller(underlag: Any) -> Tabell:
    """Vilka uppgifter underlaget har och för vilka perioder (inga fil- eller tabellnamn)."""
    rader = []
    for namn in sorted(underlag.tabeller, key=lambda n: TABELLNAMN.get(n, n)):
        t = underlag.tabeller[namn]
        perioder = ""
        if "period" in t.columns:
            koder = sorted({str(p) for p in t["period"].dropna()})
            perioder = ", ".join(_periodnamn(k) for k in koder)
        rader.append([TABELLNAMN.get(namn, namn), perioder])
    data = pd.DataFrame(rader, columns=["Uppgifter", "Perioder"])
    return Tabell(
        namn="underlagets_tabeller",
        titel="Uppgifter i underlaget",
        data=data.astype({"Uppgifter": object, "Perioder": object}),
        kolumner=(Kolumn("Uppgifter"), Kolumn("Perioder")),
    )


def sektion_om_underlaget(
    underlag: Any,
    period: Rapportperiod,
    *,
    jamforelse: Rapportperiod | None = None,
    sekretess_troskel: int | None = None,
    saknade: Mapping[str, str] | None = None,
) -> Sektion:
    """Källor, tabeller, definitioner, förbehåll och avsnitten som saknar data.

    ``saknade`` är rubrik -> vad som saknas för rapportens avsnitt utan data; de listas en gång
    här. Sekretessregeln i ord läggs till efter kontrollpunkten (:func:`med_sekretessbeslut`).
    """
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    jp = jamforelseperiod(underlag, period, jamforelse)
    konfig = underlag.konfig
    block: list[Any] = [
        Stycke(
            (
                f"Förbund: {konfig.namn}. Period: {period.namn}; jämförelseperiod {jp.namn}.",
            )
        )
    ]
    for rubrik, rader in (
        ("Källor:", _kallor(underlag)),
        (
            "Avsnitt utan data i den här rapporten:",
            [f"{r}: {s}" for r, s in (saknade or {}).items()],
        ),
        ("Definitioner:", list(_DEFINITIONER)),
        ("Förbehåll:", _forbehall(underlag, regler)),
    ):
        if rader:
            block += [Stycke((rubrik,)), Stycke(tuple(rader), punktlista=True)]
    block.append(_underlagets_tabeller(underlag))
    return Sektion(
        "om_underlaget",
        "Om underlaget",
        innehall=tuple(block),
        nyckeltal={
            "forbundsnamn": konfig.namn,
            "sekretess_troskel": regler.troskel,
            "sekretess_namnare_troskel": regler.namnare_troskel,
            "intern": bool(regler.intern),
            "maskerad": not regler.avstangd,
            "jamforelseperiod": jp.kod,
        },
    )


def sekretesstext(beslut: Any, regler: Any = None) -> Stycke:
    """Sekretessregeln i ord ur sekretessens beslut: trösklarna, vad ".." betyder och vad som
    döljs i rapporten.

    När inget maskas säger texten varför: en intern rapport, eller ett underlag vars tal redan
    är publicerade (``regler.intern`` falskt), där att visa dem igen inte röjer något.

    Examples
    --------
    >>> from finsam_analys.sekretess.kontrollpunkt import Sekretessbeslut
    >>> a, b = Storhet.av("x", d="a"), Storhet.av("x", d="b")
    >>> s = sekretesstext(Sekretessbeslut(frozenset({a, b}), {a: "primär", b: "sekundär"}))
    >>> print(s.meningar[-1])
    I den här rapporten döljs 2 antal: 1 under tröskeln och 1 som annars kunde räknas fram.
    >>> from finsam_analys.indata.underlag import Sekretess
    >>> avstangd = Sekretessbeslut(avstangd=True)
    >>> print(sekretesstext(avstangd, Sekretess(maskera=False)).meningar[0])
    Sekretess: inga tal är dolda. Alla tal i underlaget är redan publicerade i förbundets \
tryckta rapporter, och att visa dem igen röjer inget om någon person.
    """
    if beslut.avstangd:
        if regler is not None and not getattr(regler, "intern", False):
            return Stycke(
                (
                    "Sekretess: inga tal är dolda. Alla tal i underlaget är redan publicerade "
                    "i förbundets tryckta rapporter, och att visa dem igen röjer inget om någon "
                    "person.",
                    "Förbundet kan välja att dölja små antal även här.",
                )
            )
        return Stycke(("Sekretess: ingenting är maskat i den här rapporten (intern rapport).",))
    meningar = [
        f"Sekretess: antal under {beslut.troskel} personer visas inte, och inte heller andelar "
        f"vars nämnare är under {beslut.namnare_troskel} eller medelvärden över färre än "
        f"{beslut.troskel} svarande.",
        "”..” betyder att uppgiften inte visas av sekretesskäl. Även tal som annars skulle kunna "
        "räknas fram ur summor, andelar eller andra tabeller visas som ”..”. Nollor visas, "
        "utom där en nolla skulle röja att alla i en grupp hör till den dolda kategorin.",
    ]
    skal = [beslut.skal.get(s, "sekundär") for s in beslut.maskade]
    if not skal:
        meningar.append("Ingen uppgift i den här rapporten behövde döljas.")
        return Stycke(tuple(meningar))
    delar = [f"{skal.count('primär')} under tröskeln"]
    if skal.count("sekundär") or skal.count("tvingad"):
        delar.append(
            f"{skal.count('sekundär') + skal.count('tvingad')} som annars kunde räknas fram"
        )
    if skal.count("nollregel"):
        delar.append(f"{skal.count('nollregel')} nollor")
    text = ", ".join(delar[:-1]) + " och " + delar[-1] if len(delar) > 1 else delar[0]
    meningar.append(f"I den här rapporten döljs {len(skal)} antal: {text}.")
    return Stycke(tuple(meningar))


def med_sekretessbeslut(
    rapport: Mapping[str, Sektion], beslut: Any, regler: Any = None
) -> dict[str, Sektion]:
    """Rapporten med sekretessregeln i ord (:func:`sekretesstext`) i *Om underlaget*.

    Anropas efter sekretessens kontrollpunkt, med dess beslut; stycket står före underlagets
    tabeller.
    """
    ut = dict(rapport)
    om = ut.get("om_underlaget")
    if om is None or not om.innehall:
        return ut
    block = list(om.innehall)
    plats = next((i for i, b in enumerate(block) if isinstance(b, Tabell)), len(block))
    block.insert(plats, sekretesstext(beslut, regler))
    ut["om_underlaget"] = om.med(innehall=tuple(block))
    return ut
