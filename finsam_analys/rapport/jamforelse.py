"""Jämförelse över förbund och perioder ur rapporternas nyckeltal (``outputs/nyckeltal.csv``).

Indata är den långa tabellen från :func:`finsam_analys.korning.utdata.samla_nyckeltal`
(``forbund``, ``period``, ``nyckel``, ``varde``): varje rapports ``nyckeltal.json``, efter
rapportens sekretesskontroll. Ett värde som är maskat (``".."``) i ett förbunds rapport är
maskat här också (cellens ``mask``); jämförelsen räknar inget nytt och maskar inget själv.
Tabellerna är :class:`~finsam_analys.tabell.Tabell`-objekt som går genom avrundningens
kontrollpunkt (:func:`bygg_jamforelse`). Kolumnerna heter som förbunden (nyckeltalet
``forbundsnamn`` ur *Om underlaget*) och perioderna (periodens namn), inte som deras id.

Bara indikatorerna i :data:`INDIKATORER` jämförs: de betyder samma sak i alla rapporter (samma
definition, samma nämnare).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.perioder import Rapportperiod
from finsam_analys.tabell import MASKAD, Diagram, Kolumn, Sektion, Stycke, Tabell

__all__ = [
    "INDIKATORER",
    "bygg_jamforelse",
    "jamforelsetabell",
    "sektion_sida_vid_sida",
    "sektion_trender",
]

INDIKATORER: dict[str, tuple[str, str]] = {
    "antal_deltagit": ("Deltagit under perioden", "antal"),
    "antal_avslut": ("Fullföljda avslut", "antal"),
    "antal_avbrott": ("Avbrott", "antal"),
    "andel_avslut_Arbete": ("Arbete efter avslut", "andel"),
    "andel_avslut_Studier": ("Studier efter avslut", "andel"),
    "andel_avslut_Fortsatt arbetslivsinriktad rehabilitering": (
        "Fortsatt arbetslivsinriktad rehabilitering",
        "andel",
    ),
    "andel_avbrott": ("Avbrott av alla avslut", "andel"),
    "andel_kon:Kvinna": ("Andel kvinnor bland deltagarna", "andel"),
    "andel_forbattrad_halsa": ("Förbättrad upplevd hälsa", "andel"),
    "halsa_forandring": ("Förändring i hälsopoäng", "forandring"),
    "andel_stegforflyttning": ("Stegförflyttning (minst ett steg upp)", "andel"),
    "andel_forbrukad": ("Förbrukad andel av budgeten", "andel"),
    "mal_antal_uppfyllda": ("Uppfyllda mål", "antal"),
    "granskning_antal_fel": ("Avvikelser i publicerade tabeller", "antal"),
}
"""Nyckel i ``nyckeltal.json`` -> (namn, mått)."""

_ENHETER = (("andel", "Andelar"), ("forandring", "Förändringar"), ("antal", "Antal"))


@functools.cache
def _tolkad(kod: str) -> Rapportperiod | None:
    """Periodkoden ur ``nyckeltal.json`` tolkad (en gång per kod); None om den inte är en period."""
    try:
        return Rapportperiod.tolka(kod)
    except (ValueError, TypeError):
        return None


def _ordning(period: Any) -> tuple:
    p = _tolkad(str(period))
    if p is None:
        return (pd.Timestamp.max.date(), pd.Timestamp.max.date())
    return (p.start, p.slut)


def _periodnamn(period: Any) -> str:
    p = _tolkad(str(period))
    return str(period) if p is None else p.namn


def _varde(v: Any) -> Any:
    if isinstance(v, str):
        if v.strip() == MASKAD:
            return MASKAD
        try:
            return float(v.strip().replace("\u2212", "-").replace(",", "."))
        except ValueError:
            return v
    return v


def periodlangd(period: Any) -> tuple[int, str]:
    """Periodens längd i hela månader och ett namn på längden (jämför bara lika långa).

    Examples
    --------
    >>> periodlangd("2019"), periodlangd("2015-07..2016-06"), periodlangd("2021-01..2021-08")
    ((12, 'helår'), (12, 'helår'), (8, 'januari–augusti'))
    """
    p = period if isinstance(period, Rapportperiod) else _tolkad(str(period))
    if p is None:
        return (0, str(period))
    manader = (p.slut.year - p.start.year) * 12 + p.slut.month - p.start.month + 1
    if manader == 12:
        return (12, "helår")
    namn = p.namn.rsplit(" ", 1)[0] if p.namn[-4:].isdigit() else p.namn
    return (manader, namn if not namn[-4:].isdigit() else f"{manader} månader")


def _forbundsnamn(nyckeltal: pd.DataFrame) -> dict[str, str]:
    """Förbundens namn (nyckeltalet ``forbundsnamn``); id:t om namnet saknas.

    Två förbund med samma namn (t.ex. en kopia av en katalog) får id:t efter namnet, så att
    varje kolumn i jämförelsen har ett eget namn.

    >>> n = pd.DataFrame({"forbund": ["a", "b", "c"], "period": ["2019"] * 3,
    ...                   "nyckel": ["forbundsnamn"] * 3, "varde": ["F", "F", "G"]})
    >>> _forbundsnamn(n)
    {'a': 'F (a)', 'b': 'F (b)', 'c': 'G'}
    """
    namn = nyckeltal[nyckeltal["nyckel"] == "forbundsnamn"]
    ut = {str(f): str(v) for f, v in zip(namn["forbund"], namn["varde"], strict=True)}
    alla = {str(f): ut.get(str(f), str(f)) for f in nyckeltal["forbund"].unique()}
    antal = pd.Series(list(alla.values()), dtype=object).value_counts()
    return {f: n if antal[n] == 1 else f"{n} ({f})" for f, n in alla.items()}


def jamforelsetabell(nyckeltal: pd.DataFrame | None) -> pd.DataFrame:
    """Indikatorerna (rader) per förbund och period (en kolumn per rapport).

    Kolumnerna heter ``"<förbundets namn> <periodens namn>"``, i förbundens och periodernas
    ordning; maskade värden är ``".."``, saknade ``None``.

    Examples
    --------
    >>> n = pd.DataFrame({"forbund": ["a", "a", "b", "a"], "period": ["2019", "2020", "2019",
    ...                   "2019"], "nyckel": ["andel_avslut_Arbete"] * 3 + ["forbundsnamn"],
    ...                   "varde": ["0.2", "0.3", "..", "Förbund A"]})
    >>> t = jamforelsetabell(n)
    >>> t.columns.tolist()
    ['Indikator', 'Förbund A 2019', 'Förbund A 2020', 'b 2019']
    >>> [str(v) for v in t.iloc[0]]
    ['Arbete efter avslut', '0.2', '0.3', '..']
    """
    if nyckeltal is None or not len(nyckeltal):
        return pd.DataFrame(columns=["Indikator"])
    namn = _forbundsnamn(nyckeltal)
    data = nyckeltal[nyckeltal["nyckel"].isin(list(INDIKATORER))].copy()
    data["varde"] = data["varde"].map(_varde)
    rapporter = sorted(
        {(str(f), str(p)) for f, p in zip(nyckeltal["forbund"], nyckeltal["period"], strict=True)},
        key=lambda fp: (namn[fp[0]], _ordning(fp[1])),
    )
    rapporter = [
        r for r in rapporter if ((data["forbund"] == r[0]) & (data["period"] == r[1])).any()
    ]
    kolumner = [f"{namn[f]} {_periodnamn(p)}" for f, p in rapporter]
    rader = []
    for nyckel, (indikator, _) in INDIKATORER.items():
        urval = data[data["nyckel"] == nyckel]
        if not len(urval):
            continue
        rad: dict[str, Any] = {"Indikator": indikator}
        for (f, p), kolumn in zip(rapporter, kolumner, strict=True):
            v = urval[(urval["forbund"] == f) & (urval["period"] == p)]["varde"]
            rad[kolumn] = v.iloc[0] if len(v) else None
        rader.append(rad)
    return pd.DataFrame(rader, columns=["Indikator", *kolumner])


def _som_tabell(
    bred: pd.DataFrame, *, namn: str, titel: str, matt: str, etikett: str, **falt: Any
) -> Tabell:
    """En tabell ur en bred ram med ``".."`` för maskade värden: talen och ``mask``."""
    varden = bred.drop(columns=[etikett])
    mask = varden.map(lambda v: isinstance(v, str) and v == MASKAD)
    tal = varden.map(lambda v: np.nan if v is None or isinstance(v, str) else float(v))
    data = pd.concat([bred[[etikett]].astype(object), tal.astype("float64")], axis=1)
    helmask = pd.concat([pd.DataFrame({etikett: False}, index=bred.index), mask], axis=1)
    return Tabell(
        namn=namn,
        titel=titel,
        data=data.reset_index(drop=True),
        kolumner=(Kolumn(etikett), *(Kolumn(k, matt) for k in varden.columns)),
        kalla="publicerad",
        kallhanvisning="Rapporternas nyckeltal.json (efter varje rapports sekretesskontroll)",
        mask=helmask.reset_index(drop=True).astype(bool),
        **falt,
    )


def _langdklasser(nyckeltal: pd.DataFrame) -> dict[tuple[int, str], list[str]]:
    """Periodkoderna per periodlängd (längst först): bara lika långa perioder jämförs."""
    klasser: dict[tuple[int, str], list[str]] = {}
    for p in sorted(dict.fromkeys(str(x) for x in nyckeltal["period"]), key=_ordning):
        klasser.setdefault(periodlangd(p), []).append(p)
    return dict(sorted(klasser.items(), key=lambda kv: -kv[0][0]))


def sektion_sida_vid_sida(nyckeltal: pd.DataFrame | None) -> Sektion:
    """Samma indikatorer sida vid sida för alla förbund och perioder, en tabell per mått och
    periodlängd (helår för sig, delår av samma längd för sig)."""
    rubrik = "Samma indikatorer sida vid sida"
    tabell = jamforelsetabell(nyckeltal)
    if not len(tabell):
        return Sektion(
            "sida_vid_sida", rubrik, saknas="Förbundens rapporter har inga nyckeltal ännu."
        )
    matt = {namn: enhet for namn, enhet in INDIKATORER.values()}
    klasser = _langdklasser(nyckeltal)
    namn = _forbundsnamn(nyckeltal)
    text = (
        "Varje kolumn är en rapport (förbund och period). Andelar är räknade på samma sätt i "
        "alla rapporter; .. betyder att värdet är maskat i förbundets rapport (för få "
        "personer) och – att rapporten saknar uppgiften."
    )
    if len(klasser) > 1:
        text += (
            " Perioder av olika längd jämförs inte: helår och delår står i var sin tabell, "
            "eftersom antal och andelar för en del av året inte är jämförbara med ett helt år."
        )
    block: list[Any] = [Stycke((text,))]
    for (_, langd), perioder in klasser.items():
        kolumner = [
            k
            for k in tabell.columns[1:]
            if any(k == f"{n} {_periodnamn(p)}" for p in perioder for n in namn.values())
        ]
        tillagg = f", {langd}" if len(klasser) > 1 else ""
        for enhet, titel in _ENHETER:
            del_ = tabell.loc[tabell["Indikator"].map(matt) == enhet, ["Indikator", *kolumner]]
            del_ = del_.reset_index(drop=True)
            if len(del_) and kolumner:
                block.append(
                    _som_tabell(
                        del_,
                        namn=f"jamforelse_{enhet}_{len(block)}",
                        titel=f"{titel}{tillagg}",
                        matt=enhet,
                        etikett="Indikator",
                    )
                )
    return Sektion("sida_vid_sida", rubrik, innehall=tuple(block))


def sektion_trender(nyckeltal: pd.DataFrame | None) -> Sektion:
    """Trender över perioder av samma längd: för varje andel där något förbund har minst två
    lika långa perioder en tabell (perioder × förbund) och ett linjediagram med en linje per
    förbund. Varje förbund har samma färg i alla diagram (alla förbund står i samma ordning i
    varje diagram; ett förbund utan värden ritas inte men behåller sin färg)."""
    rubrik = "Trender över perioder"
    if nyckeltal is None or not len(nyckeltal):
        return Sektion("trender", rubrik, saknas="Förbundens rapporter har inga nyckeltal ännu.")
    namn = _forbundsnamn(nyckeltal)
    alla_forbund = sorted(dict.fromkeys(str(f) for f in nyckeltal["forbund"]),
                          key=lambda f: namn[f])  # fmt: skip
    data = nyckeltal[nyckeltal["nyckel"].isin(list(INDIKATORER))].copy()
    data["v"] = data["varde"].map(_varde)
    data["period"] = data["period"].astype(str)
    klasser = _langdklasser(nyckeltal)
    block: list[Any] = []
    for (_, langd), klassens in klasser.items():
        for nyckel, (indikator, enhet) in INDIKATORER.items():
            urval = data[(data["nyckel"] == nyckel) & data["period"].isin(klassens)
                         & data["v"].map(lambda v: v is not None)]  # fmt: skip
            if enhet != "andel" or not len(urval):
                continue
            if urval.groupby("forbund")["period"].nunique().max() < 2:
                continue
            perioder = sorted(dict.fromkeys(urval["period"]), key=_ordning)
            bred = pd.DataFrame({"Period": [_periodnamn(p) for p in perioder]})
            for f in alla_forbund:
                per = dict(zip(urval.loc[urval["forbund"] == f, "period"],
                               urval.loc[urval["forbund"] == f, "v"], strict=True))  # fmt: skip
                bred[namn[f]] = [per.get(p) for p in perioder]
            titel = f"{indikator} ({langd})" if len(klasser) > 1 else indikator
            t = _som_tabell(
                bred, namn=f"trend_{nyckel}_{langd}", titel=titel, matt="andel", etikett="Period"
            )
            block += [
                Diagram(
                    "linjer",
                    t.namn,
                    x="Period",
                    grupper=tuple(bred.columns[1:]),
                    titel=titel,
                    alt=f"Linjediagram: {indikator.lower()} per period ({langd}), en linje "
                    "per förbund.",
                    not_="Maskade värden (..) ritas inte.",
                ),
                t,
            ]
    if not block:
        return Sektion(
            "trender",
            rubrik,
            saknas="Inget förbund har samma andel för två perioder av samma längd än (helår "
            "jämförs med helår, delår med delår av samma längd).",
        )
    text = Stycke(
        (
            "En linje per förbund, perioderna i tidsordning. Bara perioder av samma längd "
            "jämförs: helår med helår, delår med delår av samma längd. Varje förbund har "
            "samma färg i alla diagram.",
        )
    )
    return Sektion("trender", rubrik, innehall=(text, *block))


def bygg_jamforelse(nyckeltal: pd.DataFrame | None) -> dict[str, Sektion]:
    """Jämförelserapportens sektioner efter avrundningens kontrollpunkt.

    Sekretessen är redan avgjord i varje förbunds rapport (maskade nyckeltal är ``".."`` och
    maskas här); avrundningen sker en gång, som i rapporterna.
    """
    from finsam_analys.presentation.avrundning import avrunda

    return avrunda(
        {"sida_vid_sida": sektion_sida_vid_sida(nyckeltal), "trender": sektion_trender(nyckeltal)}
    )
