"""Det som alla rapportsektioner delar: ``Sektion``, ``Figur``, sekretessregler och maskning.

En sektion är data, inte visning: rubrik, Markdown-text, tabeller med **råa tal** (andelar som
bråk 0–1, belopp som tal) efter sekretessmaskning, figurbeskrivningar (data + typ, ritas av
:mod:`finsam_analys.presentation.figurer`), nyckeltal till ``nyckeltal.json`` och ``saknas`` (en
rad som säger
vad som fattas när sektionen inte kan visas). :mod:`finsam_analys.presentation.tabellvisning`
formaterar
tabellerna enligt ``format`` (kolumn -> formattyp).

Maskade celler innehåller SCB:s symbol ``".."`` (:data:`finsam_analys.sekretess.maskering.MASKAD`),
både i
tabellerna och i nyckeltalen. Bara när förbundets konfiguration säger ``intern: true`` maskas
ingenting (rapporten är då för internt bruk och säger det under "Om underlaget").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.indata.underlag import Sekretess
from finsam_analys.perioder import Rapportperiod
from finsam_analys.sekretess.maskering import MASKAD, maskera_andelsram, maskera_antal
from finsam_analys.tabell import (
    EJ_UPPFYLLT,
    FORMATTYPER,
    KAN_EJ_BEDOMAS,
    UPPFYLLT,
    Figur,
    Harledd,
    Kolumn,
    Kvot,
    Relation,
    Sektion,
    Storhet,
    Tabell,
    ram_med_textkolumner,
)

__all__ = [
    "EJ_UPPFYLLT",
    "FORMATTYPER",
    "KAN_EJ_BEDOMAS",
    "UPPFYLLT",
    "Figur",
    "MASKAD",
    "Sektion",
    "ar_maskad",
    "delar_som_fordelning",
    "jamforelseperiod",
    "kallhanvisning",
    "malen_for_perioden",
    "maskera_fordelning",
    "maskera_korstabell",
    "sekretessregler",
    "skyddad_andel",
    "skyddat_antal",
    "uppfyllt_text",
]

def sekretessregler(underlag: Any, *, troskel: int | None = None) -> Sekretess:
    """Förbundets sekretessregler, med tröskeln utbytt om ``troskel`` anges.

    Här väljs kontrollpunktens regler för rapporten, och här avgörs ``maskera`` när
    förbundet inte angett det: ett underlag som redan är publicerat (``publicerad: true``)
    maskas inte, eftersom talen redan står i förbundets tryckta rapporter; allt annat maskas.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> u = SimpleNamespace(konfig=SimpleNamespace(sekretess=Sekretess(troskel=5)))
    >>> sekretessregler(u, troskel=3).troskel, sekretessregler(u).namnare_troskel
    (3, 10)
    >>> pub = SimpleNamespace(konfig=SimpleNamespace(sekretess=Sekretess(), publicerad=True))
    >>> sekretessregler(pub).avstangd, sekretessregler(u).avstangd
    (True, False)
    >>> pub.konfig.sekretess = Sekretess(maskera=True)
    >>> sekretessregler(pub).avstangd
    False
    """
    konfig = getattr(underlag, "konfig", None)
    regler = getattr(konfig, "sekretess", None) or Sekretess()
    if regler.maskera is None:
        regler = replace(regler, maskera=not bool(getattr(konfig, "publicerad", False)))
    if troskel is not None:
        regler = replace(regler, troskel=int(troskel))
    return regler


def jamforelseperiod(
    underlag: Any, period: Rapportperiod, angiven: Rapportperiod | None = None
) -> Rapportperiod:
    """Jämförelseperioden: angiven, annars förbundets ``jamforelseperioder``, annars året innan.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> u = SimpleNamespace(konfig=SimpleNamespace(jamforelseperioder={"2019": "2018"}))
    >>> p2019, p2021 = Rapportperiod.tolka("2019"), Rapportperiod.tolka("2021-01..2021-08")
    >>> jamforelseperiod(u, p2019).kod, jamforelseperiod(u, p2021).kod
    ('2018', '2020-01..2020-08')
    """
    if angiven is not None:
        return angiven
    konfig = getattr(getattr(underlag, "konfig", None), "jamforelseperioder", None) or {}
    for kod, jamf in konfig.items():
        try:
            if Rapportperiod.tolka(kod) == period:
                return Rapportperiod.tolka(jamf)
        except (ValueError, TypeError):
            continue
    return period.foregaende()


def ar_maskad(varde: Any) -> bool:
    """Sant om värdet är maskat (``".."``)."""
    return isinstance(varde, str) and varde == MASKAD


def skyddat_antal(antal: Any, regler: Sekretess) -> Any:
    """Ett antal som nyckeltal: ``".."`` om det är under tröskeln (0 visas).

    Examples
    --------
    >>> skyddat_antal(3, Sekretess()), skyddat_antal(0, Sekretess()), skyddat_antal(7, Sekretess())
    ('..', 0, 7)
    """
    if antal is None or (isinstance(antal, float) and math.isnan(antal)):
        return None
    if regler.avstangd:
        return antal
    return MASKAD if 0 < float(antal) < regler.troskel else antal


def skyddad_andel(antal: Any, namnare: Any, regler: Sekretess) -> Any:
    """Andelen ``antal / namnare`` som nyckeltal, eller ``".."`` när den röjer ett litet antal.

    Maskas när nämnaren är under ``namnare_troskel`` eller antalet är under ``troskel`` men
    inte 0 (andel × nämnare skulle annars röja antalet), som
    :func:`finsam_analys.sekretess.maskering.maskera_andelsram` gör för en fristående rad.

    Examples
    --------
    >>> skyddad_andel(7, 55, Sekretess()), skyddad_andel(3, 55, Sekretess())
    (0.12727272727272726, '..')
    >>> skyddad_andel(11, 14, Sekretess()), skyddad_andel(4, 6, Sekretess())
    (0.7857142857142857, '..')
    """
    if namnare is None or antal is None or not namnare or pd.isna(namnare) or pd.isna(antal):
        return None
    andel = float(antal) / float(namnare)
    if regler.avstangd:
        return andel
    if float(namnare) < regler.namnare_troskel:
        return MASKAD
    if 0 < float(antal) < regler.troskel:
        return MASKAD
    return andel


def maskera_fordelning(
    ram: pd.DataFrame,
    regler: Sekretess,
    *,
    antal: str = "antal",
    namnare: str = "namnare",
    andel: str = "andel",
) -> pd.DataFrame:
    """Maskera en ram med antal, nämnare och andel (delar av en helhet eller fristående rader).

    Returnerar en ny ram där maskade celler är ``".."``; intern rapport: oförändrad kopia.
    Rader vars antal är NaN (t.ex. saknad uppgift) lämnas orörda.

    Examples
    --------
    >>> r = pd.DataFrame({"antal": [25, 21, 8, 3], "namnare": 57})
    >>> r["andel"] = r["antal"] / 57
    >>> maskera_fordelning(r, Sekretess())["antal"].tolist()
    [25, 21, '..', '..']
    """
    if regler.avstangd or not len(ram):
        return ram.copy()
    visning, _ = maskera_andelsram(
        ram,
        troskel=regler.troskel,
        namnare_troskel=regler.namnare_troskel,
        antal=antal,
        namnare=namnare,
        andel=andel,
    )
    return visning


def maskera_korstabell(tabell: pd.DataFrame, regler: Sekretess, *, summor: Any = True):
    """Maskera en korstabell med antal (primärt och sekundärt); summor läggs till.

    Returnerar visningstabellen (med summarad/summakolumn ``Totalt``); intern rapport: samma
    tabell med summor men utan maskning.

    Examples
    --------
    >>> t = pd.DataFrame({"MAC": [5, 2, 19], "Trädgård": [2, 1, 13]},
    ...                  index=["Arbete", "Studier", "Rehab"])
    >>> v = maskera_korstabell(t, Sekretess())
    >>> v.loc["Totalt"].tolist()
    [26, 16, 42]
    >>> v.loc["Studier", "MAC"]
    '..'
    """
    if regler.avstangd:
        visning, _ = maskera_antal(tabell, troskel=0, summor=summor)
        return visning
    visning, _ = maskera_antal(tabell, troskel=regler.troskel, summor=summor)
    return visning


def uppfyllt_text(varde: Any) -> str:
    """Bedömningen som text: ``"Uppfyllt"``, ``"Ej uppfyllt"`` eller ``"Kan inte bedömas"``.

    Examples
    --------
    >>> uppfyllt_text(True), uppfyllt_text(False), uppfyllt_text(None)
    ('Uppfyllt', 'Ej uppfyllt', 'Kan inte bedömas')
    """
    if varde is None or varde is pd.NA or (isinstance(varde, float) and np.isnan(varde)):
        return KAN_EJ_BEDOMAS
    return UPPFYLLT if bool(varde) else EJ_UPPFYLLT


def numeriskt(serie: pd.Series) -> pd.Series:
    """Maskade värden (``".."``) och text blir NaN; för figurer."""
    return pd.to_numeric(serie.where(~serie.map(ar_maskad)), errors="coerce").astype("float64")


def tal_text(varde: Any, decimaler: int = 0) -> str:
    """Ett tal som svensk text; maskat eller saknat blir ``".."``.

    Examples
    --------
    >>> tal_text(13451), tal_text(MASKAD), tal_text(None)
    ('13\\xa0451', '..', '..')
    """
    from finsam_analys.presentation.formatering import formatera_tal

    if ar_maskad(varde):
        return MASKAD
    return formatera_tal(varde, decimaler)


def procent_text(varde: Any, decimaler: int = 0) -> str:
    """En andel som procenttext; maskad eller saknad blir ``".."``.

    Examples
    --------
    >>> procent_text(7 / 55), procent_text(MASKAD)
    ('13\\xa0%', '..')
    """
    from finsam_analys.presentation.formatering import formatera_procent

    if ar_maskad(varde):
        return MASKAD
    return formatera_procent(varde, decimaler)


# ------------------------------------------------------- byggstenar för tabellmodellen


def med_konfidensintervall(tabell: Tabell, *, andel: str = "Andel") -> Tabell:
    """Fördelningen med 95 % Wilsonintervall för varje andel (utom summaraden).

    Intervallen räknas av :func:`finsam_analys.matt.mal.wilson_intervall` och bygger på samma
    täljare och nämnare som andelen (maskas med den).

    Examples
    --------
    >>> from finsam_analys.tabell import Storhet
    >>> t = Tabell.fordelning(pd.Series({"Arbete": 7, "Övrigt": 48}), namn="u", titel="U",
    ...                       bas=Storhet.av("a"), dimension="utfall", kategorirubrik="Utfall")
    >>> k = med_konfidensintervall(t)
    >>> [round(v, 3) for v in k.data["95 % KI, nedre"][:1]], k.kolumn("95 % KI, övre").matt
    ([0.063], 'andel')
    """
    from finsam_analys.matt.mal import wilson_intervall

    refs = tabell.referenser[andel].tolist()
    taljare = [r.taljare if isinstance(r, Kvot) else None for r in refs]
    namnare = [r.namnare if isinstance(r, Kvot) else None for r in refs]
    antal = np.array([tabell.antal.get(s, np.nan) if s else np.nan for s in taljare], float)
    n = np.array([tabell.antal.get(s, np.nan) if s else np.nan for s in namnare], float)
    nedre, ovre = wilson_intervall(antal, n)
    summa = set(tabell.summarader)
    nedre = [np.nan if i in summa else float(v) for i, v in enumerate(np.atleast_1d(nedre))]
    ovre = [np.nan if i in summa else float(v) for i, v in enumerate(np.atleast_1d(ovre))]
    ki_refs = [None if i in summa else Harledd.av(r) for i, r in enumerate(refs)]
    data = tabell.data.assign(**{"95 % KI, nedre": nedre, "95 % KI, övre": ovre})
    referenser = tabell.referenser.assign(
        **{"95 % KI, nedre": ki_refs, "95 % KI, övre": ki_refs}
    ).astype(object)
    return tabell.med(
        data=data,
        referenser=referenser,
        kolumner=(*tabell.kolumner, Kolumn("95 % KI, nedre", "andel"),
                  Kolumn("95 % KI, övre", "andel")),
    )  # fmt: skip


def fordelningens_andelar(
    tabell: Tabell, *, namn: str, titel: str, etikettkolumn: str, antal: str
) -> Tabell:
    """En korstabells kolumnsummor som fördelning: antal och andel per kolumn.

    Kolumnsummornas storheter är desamma som i korstabellen (samma tal på två ställen).
    """
    summarad = tabell.summarader[0]
    kolumner = [k for k in tabell.kolumner if k.matt == "antal" and k.namn != TOTALT]
    refs = [tabell.referens(summarad, k.namn) for k in kolumner]
    varden = [tabell.antal[s] for s in refs]
    bas = tabell.referens(summarad, TOTALT)
    total = tabell.antal[bas]
    data = ram_med_textkolumner(
        {
            etikettkolumn: [k.namn for k in kolumner] + [TOTALT],
            antal: varden + [total],
            "Andel": [v / total if total else np.nan for v in varden] + [1.0],
        },
        [etikettkolumn],
    )
    referenser = pd.DataFrame(
        {
            etikettkolumn: [None] * (len(varden) + 1),
            antal: [*refs, bas],
            "Andel": [Kvot(bas, s) for s in refs] + [Kvot(bas, bas)],
        },
        dtype=object,
    )
    return Tabell(
        namn=namn,
        titel=titel,
        data=data,
        kolumner=(Kolumn(etikettkolumn), Kolumn(antal, "antal", delar_av_helhet=True),
                  Kolumn("Andel", "andel", delar_av_helhet=True)),
        referenser=referenser,
        antal={s: tabell.antal[s] for s in [*refs, bas]},
        relationer=(Relation.summa(bas, refs),),
        population=tabell.population,
        period=tabell.period,
        summarader=(len(varden),),
    )  # fmt: skip


def malen_for_perioden(
    underlag: Any, period: Rapportperiod, indikator: str | None = None
) -> pd.DataFrame | None:
    """Förbundets mål (tabellen ``mal``) som gäller perioden, valfritt för en indikator.

    Ett mål utan period gäller alla perioder. None om inga mål gäller.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> mal = pd.DataFrame({"insats": ["A", "A"], "indikator": ["x", "x"], "varde": [1, 2],
    ...                     "period": ["2019", None]})
    >>> u = SimpleNamespace(tabell=lambda namn: mal)
    >>> p2019, p2020 = Rapportperiod.tolka("2019"), Rapportperiod.tolka("2020")
    >>> malen_for_perioden(u, p2019, "x")["varde"].tolist(), malen_for_perioden(u, p2020,
    ...     "x")["varde"].tolist()
    ([1, 2], [2])
    """
    mal = underlag.tabell("mal")
    if mal is None or not len(mal):
        return None
    if indikator is not None:
        mal = mal[(mal["indikator"].astype("str") == indikator).to_numpy()]
    if "period" in mal.columns:

        def galler(kod: Any) -> bool:
            if kod is None or pd.isna(kod) or str(kod).strip() == "":
                return True
            try:
                return Rapportperiod.tolka(kod) == period
            except (ValueError, TypeError):
                return False

        mal = mal[mal["period"].map(galler).astype(bool).to_numpy()]
    return mal.reset_index(drop=True) if len(mal) else None


def delar_som_fordelning(
    delar: Sequence[tuple[str, Storhet, float]],
    *,
    total: Storhet,
    namn: str,
    titel: str,
    etikettkolumn: str,
    antal: str = "Antal",
    population: str = "",
    period: str = "",
    fotnoter: Sequence[str] = (),
) -> Tabell:
    """En fördelning över delar som redan är storheter i en annan tabell, med summarad.

    ``delar`` är (etikett, storhet, antal). Delarna behåller sina storheter (samma tal maskas
    lika i båda tabellerna); ``total`` är en ny storhet som är summan av dem (sambandet
    deklareras). Som "av de resterande 17 är 10 aktivt arbetssökande".

    Examples
    --------
    >>> a, b = Storhet.av("u", lage="A"), Storhet.av("u", lage="B")
    >>> t = delar_som_fordelning([("A", a, 10), ("B", b, 7)], total=Storhet.av("u", urval="ovr"),
    ...                          namn="o", titel="Övriga", etikettkolumn="Läge")
    >>> t.data["Antal"].tolist(), round(float(t.data["Andel"].iloc[0]), 3), t.referens(0, "Antal")
    ([10, 7, 17], 0.588, Storhet(population='u', period='', villkor=(('lage', 'A'),), forbund=''))
    """
    refs = [s for _, s, _ in delar]
    varden = [int(v) if float(v).is_integer() else v for _, _, v in delar]
    summa = sum(varden)
    data = ram_med_textkolumner(
        {
            etikettkolumn: [e for e, _, _ in delar] + [TOTALT],
            antal: [*varden, summa],
            "Andel": [v / summa if summa else np.nan for v in varden] + [1.0 if summa else np.nan],
        },
        [etikettkolumn],
    )
    referenser = pd.DataFrame(
        {
            etikettkolumn: [None] * (len(refs) + 1),
            antal: [*refs, total],
            "Andel": [Kvot(total, s) for s in refs] + [Kvot(total, total)],
        },
        dtype=object,
    )
    return Tabell(
        namn=namn,
        titel=titel,
        data=data,
        kolumner=(Kolumn(etikettkolumn), Kolumn(antal, "antal", delar_av_helhet=True),
                  Kolumn("Andel", "andel", delar_av_helhet=True)),
        referenser=referenser,
        antal={total: summa, **dict(zip(refs, varden, strict=True))},
        relationer=(Relation.summa(total, refs),),
        population=population,
        period=period,
        fotnoter=tuple(fotnoter),
        summarader=(len(refs),),
    )  # fmt: skip


def kallhanvisning(underlag: Any, tabell: pd.DataFrame | None = None) -> str:
    """Var publicerade tal står: förbundets källa och tabellens ``kalltabell`` (om den finns).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> u = SimpleNamespace(konfig=SimpleNamespace(kallor=[SimpleNamespace(namn="Årsrapport")]))
    >>> kallhanvisning(u, pd.DataFrame({"kalltabell": ["Målområde 4", "Målområde 4"]}))
    'Årsrapport (Målområde 4)'
    """
    kallor = list(getattr(getattr(underlag, "konfig", None), "kallor", ()) or ())
    namn = str(getattr(kallor[0], "namn", "")) if len(kallor) == 1 else ""
    delar: list[str] = []
    if tabell is not None and "kalltabell" in tabell.columns:
        delar = list(dict.fromkeys(str(k) for k in tabell["kalltabell"].dropna()))
    if namn and delar:
        return f"{namn} ({', '.join(delar)})"
    return namn or ", ".join(delar)


_AVSLUTSTYP_FOR_LED = {"fullfoljda": "Fullföljd", "avbrutna": "Avbruten"}


def flodesstorhet(led: str, period: Any, **villkor: Any) -> Storhet:
    """Storheten för ett led i deltagarflödet (namnen i ``docs/arkitektur.md``).

    Avslutade, fullföljda och avbrutna är populationen ``avslut`` (med ``avslutstyp``), så
    att flödet, avslutstabellerna och avbrotten använder samma nyckel för samma antal.

    Examples
    --------
    >>> str(flodesstorhet("fullfoljda", "2019")), str(flodesstorhet("deltagit", "2019", insats="A"))
    ('avslut[2019; avslutstyp=Fullföljd]', 'deltagit[2019; insats=A]')
    >>> str(flodesstorhet("avslutade", "2019"))
    'avslut[2019]'
    """
    if led in ("avslutade", *_AVSLUTSTYP_FOR_LED):
        typ = _AVSLUTSTYP_FOR_LED.get(led)
        extra = {"avslutstyp": typ} if typ else {}
        return Storhet.av("avslut", period, **extra, **villkor)
    return Storhet.av(led, period, **villkor)


def forenlig(
    storhet: Storhet, varde: Any, kanda: Mapping[Storhet, float], *, kalla: str
) -> Storhet:
    """Storheten, eller en egen variant (``kalla=…``) när underlaget har ett annat värde för den.

    Samma storhet måste vara samma tal överallt (sekretessens kontrollpunkt kräver det). När
    två tabeller i ett publicerat underlag inte stämmer med varandra (t.ex. en fördelning vars
    summa inte är antalet deltagare) får den ena en egen nyckel; granskningen redovisar felet.

    Examples
    --------
    >>> s = Storhet.av("deltagit", "2019")
    >>> str(forenlig(s, 57, {s: 57}, kalla="kon")), str(forenlig(s, 56, {s: 57}, kalla="kon"))
    ('deltagit[2019]', 'deltagit[2019; kalla=kon]')
    """
    kant = kanda.get(storhet)
    if kant is None or varde is None or math.isclose(float(kant), float(varde)):
        return storhet
    return storhet.med(kalla=kalla)
