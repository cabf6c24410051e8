"""Ekonomi: budget mot utfall, prognos, förbrukningsgrad och eget kapital.

Indata är tabellen ``ekonomi`` (``grupp``, ``post``, ``budget``, ``utfall``, valfritt
``prognos``, ``enhet`` kr|tkr, ``typ``, ``period``, ``ar``) och tabellen ``eget_kapital``.
Publicerade summor (post ``"Summa"``/``"Totalt"``, grupp ``"TOTAL"``) används aldrig i
beräkningarna: summorna räknas om ur posterna. Enheten (kr eller tkr) följer med oförändrad;
olika enheter blandas aldrig i en summa.

Tecken: ``differens = budget - utfall`` (positiv = kvar av budgeten) och
``avvikelse = budget - prognos`` (positiv = prognosen under budget).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import SUMMAPOST, TOTALGRUPP, ar_summarad

__all__ = ["andel_forbrukad", "budgetutfall", "eget_kapital"]


def _ar_summarad(tabell: pd.DataFrame) -> np.ndarray:
    """Publicerade summor: posten eller gruppen är en summa (``Summa``, ``TOTAL`` …)."""
    par = zip(tabell["post"], tabell["grupp"], strict=True)
    return np.array([ar_summarad(p) or ar_summarad(g) for p, g in par], dtype=bool)


def _gruppnycklar(tabell: pd.DataFrame, per: str | Sequence[str] | None) -> list[str]:
    if per is None:
        return [k for k in ("period", "ar") if k in tabell.columns]
    return [per] if isinstance(per, str) else list(per)


def _poster(tabell: pd.DataFrame, typ: str | None) -> pd.DataFrame:
    saknas = [k for k in ("grupp", "post", "budget", "utfall") if k not in tabell.columns]
    if saknas:
        raise ValueError(
            f"Ekonomitabellen saknar kolumnerna {saknas}; finns: {list(tabell.columns)}."
        )
    data = tabell[~_ar_summarad(tabell)]
    if typ is not None and "typ" in data.columns:
        data = data[data["typ"].isna() | (data["typ"] == typ)]
    return data


def _enhet(data: pd.DataFrame, nycklar: list[str]) -> pd.Series | None:
    if "enhet" not in data.columns:
        return None
    if nycklar:
        antal = data.groupby(nycklar, dropna=False)["enhet"].nunique()
        blandade = antal[antal > 1]
        if len(blandade):
            raise ValueError(
                f"Olika enheter (kr och tkr) i samma tabell för {list(blandade.index)}; "
                "räkna om till samma enhet först."
            )
    elif data["enhet"].nunique() > 1:
        raise ValueError("Olika enheter (kr och tkr) i samma tabell; räkna om till samma enhet.")
    return data["enhet"]


def budgetutfall(
    ekonomi: pd.DataFrame,
    *,
    per: str | Sequence[str] | None = None,
    typ: str | None = "kostnad",
    med_summor: bool = True,
) -> pd.DataFrame:
    """Budget mot utfall per post, med gruppsummor och totalsumma räknade ur posterna.

    Parameters
    ----------
    ekonomi : DataFrame
        Kolumnerna ``grupp``, ``post``, ``budget``, ``utfall`` och valfritt ``prognos``,
        ``enhet``, ``typ``, ``period``, ``ar``. Publicerade summarader ignoreras.
    per : str eller sekvens av str, valfri
        Kolumner som skiljer budgetar åt; standard de av ``period`` och ``ar`` som finns.
    typ : str eller None, standard ``"kostnad"``
        Använd bara rader med denna ``typ`` (och rader utan typ) om kolumnen finns.
        ``None`` tar alla rader.
    med_summor : bool, standard True
        Lägg till en rad per grupp (post ``"Summa"``) och en totalrad (grupp ``"TOTAL"``).

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``grupp``, ``post``, ``budget``, ``utfall``, ``utfall_andel``
        (utfall / budget, bråk), ``differens`` (budget - utfall) och, om prognos finns,
        ``prognos`` och ``avvikelse`` (budget - prognos), samt ``enhet`` om den finns.

    Examples
    --------
    Avesta 2015/16 (kr):

    >>> t = pd.DataFrame({
    ...     "grupp": ["Kostnader"] * 3,
    ...     "post": ["Personal", "Lokaler", "Övriga kostnader"],
    ...     "budget": [1_775_000, 165_000, 160_000],
    ...     "utfall": [819_000, 88_000, 81_000],
    ...     "enhet": "kr",
    ... })
    >>> ut = budgetutfall(t)
    >>> ut[["grupp", "post", "utfall", "differens"]]
           grupp              post    utfall  differens
    0  Kostnader          Personal  819000.0   956000.0
    1  Kostnader           Lokaler   88000.0    77000.0
    2  Kostnader  Övriga kostnader   81000.0    79000.0
    3  Kostnader             Summa  988000.0  1112000.0
    4      TOTAL             Summa  988000.0  1112000.0
    """
    nycklar = _gruppnycklar(ekonomi, per)
    data = _poster(ekonomi, typ)
    _enhet(data, nycklar)
    belopp = ["budget", "utfall"] + (["prognos"] if "prognos" in data.columns else [])
    extra = ["enhet"] if "enhet" in data.columns else []
    ut = data[[*nycklar, "grupp", "post", *belopp, *extra]].copy()
    for kolumn in belopp:
        ut[kolumn] = pd.to_numeric(ut[kolumn]).astype(np.float64)
    ut["_ordning"] = 0
    if med_summor:
        summakolumner = dict.fromkeys(belopp, lambda s: s.sum(min_count=1))
        if extra:
            summakolumner["enhet"] = "first"
        grupper = ut.groupby([*nycklar, "grupp"], sort=False, dropna=False)
        gruppsummor = grupper.agg(summakolumner).reset_index()
        gruppsummor["post"] = SUMMAPOST
        gruppsummor["_ordning"] = 1
        if nycklar:
            total = ut.groupby(nycklar, sort=False, dropna=False).agg(summakolumner).reset_index()
        else:
            total = pd.DataFrame({k: [f(ut[k])] for k, f in summakolumner.items() if k in belopp})
            if extra:
                total["enhet"] = ut["enhet"].iloc[0] if len(ut) else None
        total["grupp"] = TOTALGRUPP
        total["post"] = SUMMAPOST
        total["_ordning"] = 2
        ut = pd.concat([ut, gruppsummor, total], ignore_index=True)
        ut["_gruppordning"] = ut.groupby([*nycklar, "grupp"], sort=False, dropna=False).ngroup()
        ut.loc[ut["_ordning"] == 2, "_gruppordning"] = np.iinfo(np.int64).max
        ut = ut.sort_values([*nycklar, "_gruppordning", "_ordning"], kind="stable")
        ut = ut.drop(columns="_gruppordning")
    ut = ut.drop(columns="_ordning").reset_index(drop=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        ut["utfall_andel"] = np.where(ut["budget"] != 0, ut["utfall"] / ut["budget"], np.nan)
    ut["differens"] = ut["budget"] - ut["utfall"]
    if "prognos" in ut.columns:
        ut["avvikelse"] = ut["budget"] - ut["prognos"]
    ordning = [*nycklar, "grupp", "post", "budget", "utfall", "utfall_andel", "differens"]
    if "prognos" in ut.columns:
        ordning += ["prognos", "avvikelse"]
    return ut[ordning + extra]


def andel_forbrukad(
    ekonomi: pd.DataFrame,
    *,
    exkludera: Iterable[str] = (),
    metod: str = "kvarvarande",
    typ: str | None = "kostnad",
    ar: int | None = None,
) -> float:
    """Andel av budgeten som är förbrukad, valfritt exklusive namngivna poster.

    Utan exkluderade poster: summa utfall / summa budget (summarader ignoreras).

    Parameters
    ----------
    ekonomi : DataFrame
        Som i :func:`budgetutfall`, för *en* budget (en period och ett år).
    exkludera : sekvens av str
        Poster (kolumnen ``post``) som ska räknas bort.
    metod : {"kvarvarande", "hela_posten"}
        ``"kvarvarande"`` (standard, som förbunden gör): dra postens *ej förbrukade* del
        (budget - utfall) från nämnaren; utfallet står kvar i täljaren.
        ``"hela_posten"``: ta bort posten ur både täljare och nämnare.
    typ : str eller None, standard ``"kostnad"``
        Som i :func:`budgetutfall`.
    ar : int, valfri
        Välj budgetåret (kolumnen ``ar``) när tabellen har flera år, t.ex. utblicksår.

    Returns
    -------
    float
        Bråk 0–1 (kan överstiga 1 vid överdrag).

    Raises
    ------
    ValueError
        Om tabellen har flera budgetar (perioder eller år) och ingen är vald.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "grupp": ["Insatser", "Insatser", "Övrigt"],
    ...     "post": ["SOT", "Utvecklingsmedel", "Administration"],
    ...     "budget": [80, 30, 10], "utfall": [40, 10, 10],
    ... })
    >>> andel_forbrukad(t)
    0.5
    >>> andel_forbrukad(t, exkludera=["Utvecklingsmedel"])  # 60 / (120 - 20)
    0.6
    >>> round(andel_forbrukad(t, exkludera=["Utvecklingsmedel"], metod="hela_posten"), 4)
    0.5556
    """
    if metod not in {"kvarvarande", "hela_posten"}:
        raise ValueError(f"Okänd metod {metod!r}; välj 'kvarvarande' eller 'hela_posten'.")
    data = _poster(ekonomi, typ)
    if ar is not None:
        if "ar" not in data.columns:
            raise ValueError("Ekonomitabellen saknar kolumnen 'ar'.")
        data = data[data["ar"] == ar]
        if data.empty:
            raise ValueError(f"Ekonomitabellen har inga poster för år {ar}.")
    budgetar = [k for k in ("period", "ar") if k in data.columns]
    if budgetar and len(data[budgetar].drop_duplicates()) > 1:
        raise ValueError(
            f"Ekonomitabellen har flera budgetar ({budgetar}: "
            f"{data[budgetar].drop_duplicates().to_dict('records')}); välj en med 'ar' "
            "eller filtrera på period först."
        )
    _enhet(data, [])
    exkludera = list(exkludera)
    saknas = [p for p in exkludera if p not in set(data["post"])]
    if saknas:
        raise ValueError(f"Posterna {saknas} finns inte i ekonomitabellen.")
    budget = pd.to_numeric(data["budget"]).astype(np.float64)
    utfall = pd.to_numeric(data["utfall"]).astype(np.float64)
    bort = data["post"].isin(exkludera).to_numpy()
    if metod == "kvarvarande":
        namnare = budget.sum() - (budget[bort] - utfall[bort]).sum()
        taljare = utfall.sum()
    else:
        namnare = budget[~bort].sum()
        taljare = utfall[~bort].sum()
    if namnare <= 0:
        raise ValueError("Budgeten (nämnaren) måste vara större än noll.")
    return float(taljare / namnare)


_POSTNAMN = {
    "ingaende": ("ingående", "ingaende", "kvarstående", "eget kapital från föregående"),
    "intakter": ("intäkter", "intakter"),
    "kostnader": ("kostnader", "beräknade kostnader"),
    "utgaende": ("utgående", "utgaende"),
    "disponibla": ("disponibla",),  # ingående + intäkter, härlett: används inte
}


def _eget_kapital_brett(tabell: pd.DataFrame) -> pd.DataFrame:
    """Långt format (ar, post, belopp) -> brett (ar, ingaende, intakter, kostnader)."""
    post = tabell["post"].astype("str").str.strip().str.lower()
    roll = pd.Series(pd.NA, index=tabell.index, dtype="object")
    for namn, prefix in _POSTNAMN.items():
        roll[post.str.startswith(prefix) & roll.isna()] = namn
    okanda = sorted(set(tabell.loc[roll.isna(), "post"]))
    if okanda:
        raise ValueError(
            f"Okända poster i eget kapital: {okanda}; väntade ingående, intäkter, kostnader, "
            "utgående."
        )
    data = tabell.assign(_roll=roll.astype("str"))
    if data.duplicated(["ar", "_roll"]).any():
        raise ValueError(
            "Flera rader för samma år och post i eget kapital; filtrera fram en typ "
            "(budget, utfall eller prognos) först."
        )
    brett = data.pivot(index="ar", columns="_roll", values="belopp")
    brett.columns.name = None
    if "enhet" in data.columns:
        brett["enhet"] = data.groupby("ar")["enhet"].first()
    return brett.reset_index()


def eget_kapital(tabell: pd.DataFrame, *, ingaende: float | None = None) -> pd.DataFrame:
    """Rulla eget kapital framåt över flera år: utgående = ingående + intäkter - kostnader.

    Varje års utgående kapital blir nästa års ingående. Publicerade ingående värden efter
    det första året och publicerade utgående värden används inte (de jämförs i granskningen).

    Parameters
    ----------
    tabell : DataFrame
        Brett format med kolumnerna ``ar``, ``intakter``, ``kostnader`` (valfritt ``ingaende``
        för första året och ``enhet``), eller tabellen ``eget_kapital`` i långt format
        (``ar``, ``post``, ``belopp``, ``enhet``) med posterna Ingående eget kapital, Intäkter,
        Kostnader och Utgående.
    ingaende : tal, valfri
        Ingående eget kapital första året; annars tas det ur tabellen.

    Returns
    -------
    DataFrame
        Kolumnerna ``ar``, ``ingaende``, ``intakter``, ``disponibla`` (ingående + intäkter,
        de medel som står till förfogande under året), ``kostnader``, ``resultat``
        (intäkter - kostnader), ``utgaende`` och ``enhet`` om den finns.

    Examples
    --------
    Samordningsförbundet Västerås, budget 2021 och prognos 2022–2023 (tkr):

    >>> t = pd.DataFrame({"ar": [2021, 2022, 2023],
    ...                   "intakter": [13_310, 10_996, 10_887],
    ...                   "kostnader": [15_465, 15_517, 11_442]})
    >>> eget_kapital(t, ingaende=8_241)
         ar  ingaende  intakter  disponibla  kostnader  resultat  utgaende
    0  2021    8241.0   13310.0     21551.0    15465.0   -2155.0    6086.0
    1  2022    6086.0   10996.0     17082.0    15517.0   -4521.0    1565.0
    2  2023    1565.0   10887.0     12452.0    11442.0    -555.0    1010.0
    """
    if "belopp" in tabell.columns and "post" in tabell.columns:
        tabell = _eget_kapital_brett(tabell)
    saknas = [k for k in ("ar", "intakter", "kostnader") if k not in tabell.columns]
    if saknas:
        raise ValueError(f"Tabellen för eget kapital saknar kolumnerna {saknas}.")
    data = tabell.sort_values("ar").reset_index(drop=True)
    if ingaende is None:
        if "ingaende" not in data.columns or pd.isna(data["ingaende"].iloc[0]):
            raise ValueError("Ange ingående eget kapital (argumentet 'ingaende' eller kolumnen).")
        ingaende = float(data["ingaende"].iloc[0])
    intakter = pd.to_numeric(data["intakter"]).to_numpy(dtype=np.float64)
    kostnader = pd.to_numeric(data["kostnader"]).to_numpy(dtype=np.float64)
    resultat = intakter - kostnader
    utgaende = ingaende + np.cumsum(resultat)
    ut = pd.DataFrame(
        {
            "ar": data["ar"].to_numpy(),
            "ingaende": np.concatenate([[ingaende], utgaende[:-1]]),
            "intakter": intakter,
            "disponibla": np.concatenate([[ingaende], utgaende[:-1]]) + intakter,
            "kostnader": kostnader,
            "resultat": resultat,
            "utgaende": utgaende,
        }
    )
    if "enhet" in data.columns:
        ut["enhet"] = data["enhet"].to_numpy()
    return ut
