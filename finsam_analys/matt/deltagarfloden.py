"""Deltagarflöden: deltagit, nya, avslutade, avbrutna och aktiva under en rapportperiod.

Indata är tabellen ``deltagare`` (en rad per deltagande, som i SUS): ``deltagare_id``,
``inskrivningsdatum``, ``avslutsdatum`` (tomt = pågående), ``avslutstyp``
(``Fullföljd``/``Avbruten``), ``avslutsorsak``, ``kon``, ``fodelsear``, ``remittent``,
``folkbokforingskommun``, ``forsorjning_in``, ``forsorjning_ut``,
``tid_offentlig_forsorjning_ar``.

Definitioner (``start`` och ``slut`` är periodens första och sista dag; avslutsdatum är sista
dagen i insatsen):

==================  ======================================================================
``aktiva_vid_start``  inskriven före ``start`` och inte avslutad före ``start``
``nya``               inskriven under perioden
``deltagit``          inskriven senast ``slut`` och inte avslutad före ``start``
``avslutade``         avslutad under perioden
``fullfoljda``        avslutade som inte har avslutstyp ``Avbruten`` (saknad typ räknas hit)
``avbrutna``          avslutade med avslutstyp ``Avbruten``
``aktiva_vid_slut``   inskriven senast ``slut`` och inte avslutad senast ``slut``
==================  ======================================================================

För deltaganden gäller alltid ``deltagit = aktiva_vid_start + nya = avslutade +
aktiva_vid_slut`` och ``avslutade = fullfoljda + avbrutna``. Med ``enhet="personer"`` räknas
unika ``deltagare_id``; en person med flera deltaganden kan då finnas i flera led och
identiteterna gäller inte längre exakt.

Alla funktioner ger räknetabeller (``dimension``, ``kategori``, ``antal``) av samma form som
tabellen ``deltagarantal``, så att förbund som bara har antal (:func:`fordelning_fran_antal`)
och förbund med deltagarrader ger samma rapport. Beräkningarna är vektoriserade.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import FLODESLED, STATUSNAMN, TOTALT
from finsam_analys.indata.kodlistor import UPPGIFT_SAKNAS as SAKNAS
from finsam_analys.perioder import Rapportperiod

__all__ = [
    "FLODESLED",
    "andel_med_utfall",
    "avslutsutfall",
    "BAKGRUNDSDIMENSIONER",
    "STATUSNAMN",
    "deltagarantal",
    "deltagarflode",
    "deltagarflode_fran_antal",
    "deltagarflode_fran_nyckeltal",
    "NYCKELTALENS_FLODESLED",
    "fordelning",
    "fordelning_fran_antal",
    "forsorjningsovergangar",
    "genomstromningstid",
    "korstabell_deltagare",
    "snittalder",
    "tid_i_offentlig_forsorjning",
]

DAGAR_PER_MANAD = 365.25 / 12

# Klassgränser (nedre gräns ingår) och etiketter.
TID_I_FORSORJNING_KLASSER: tuple[tuple[float, str], ...] = (
    (0, "Under 1 år"),
    (1, "1–2 år"),
    (2, "2–5 år"),
    (5, "5–10 år"),
    (10, "10 år eller mer"),
)
ALDERSKLASSER: tuple[tuple[float, str], ...] = (
    (0, "Under 25 år"),
    (25, "25–29 år"),
    (30, "30–39 år"),
    (40, "40–49 år"),
    (50, "50 år eller äldre"),
)
_EPOK = np.datetime64("1970-01-01", "D")


# --- hjälpfunktioner ---------------------------------------------------------------------------


def _dagnummer(kolumn: pd.Series, namn: str) -> tuple[np.ndarray, np.ndarray]:
    """Datumkolumn -> (dagar sedan 1970-01-01 som int64, mask för saknat datum).

    En kolumn som redan är ``datetime64`` räknas om med heltal (golvdivision med antalet
    tidsenheter per dag, som NumPys egen omvandling till ``datetime64[D]``); annat tolkas med
    ``pd.to_datetime``. Saknade datum får värdet 0 och markeras i masken.
    """
    if isinstance(kolumn.dtype, np.dtype) and kolumn.dtype.kind == "M":
        varden = kolumn.to_numpy()
    else:
        try:
            varden = pd.to_datetime(kolumn).to_numpy(dtype="datetime64[D]")
        except (ValueError, TypeError) as fel:
            raise ValueError(
                f"Kolumnen {namn!r} innehåller värden som inte är datum: {fel}"
            ) from None
    saknas = np.isnat(varden)
    enhet, _ = np.datetime_data(varden.dtype)
    per_dag = int(np.timedelta64(1, "D") / np.timedelta64(1, enhet))
    dagar = varden.view(np.int64)
    if per_dag != 1:
        dagar = dagar // per_dag
    if saknas.any():
        dagar = np.where(saknas, 0, dagar)
    return dagar, saknas


def _dagar(kolumn: pd.Series, namn: str) -> np.ndarray:
    """Datumkolumn -> dagar sedan 1970-01-01 (float, NaN för saknat datum)."""
    dagar, saknas = _dagnummer(kolumn, namn)
    ut = dagar.astype(np.float64)
    ut[saknas] = np.nan
    return ut


def _dag(datum) -> int:
    return int((np.datetime64(datum, "D") - _EPOK).astype(np.int64))


_TRADGRANS = 200_000
"""Från så många rader räknar :func:`deltagarantal` kolumnernas koder i flera trådar."""


def _antal_tradar(rader: int) -> int:
    """Antal trådar för en tabell med ``rader`` rader: 1 under :data:`_TRADGRANS` eller på en
    maskin med en CPU, annars antalet CPU:er (högst fyra)."""
    try:
        cpu = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - inte Linux
        cpu = os.cpu_count() or 1
    return 1 if rader < _TRADGRANS else max(1, min(cpu, 4))


@contextlib.contextmanager
def _tradar(rader: int) -> Iterator:
    """``map`` över en trådpool när tabellen är stor och maskinen har flera CPU:er, annars
    den inbyggda ``map``. Trådarna hjälper bara där arbetet släpper GIL (pyarrows
    faktorisering av textkolumner, NumPy på stora arrayer)."""
    antal = _antal_tradar(rader)
    if antal < 2:
        yield map
        return
    with ThreadPoolExecutor(max_workers=antal, thread_name_prefix="finsam") as pool:
        yield pool.map


def _kontrollera(deltagare: pd.DataFrame, kolumner: Iterable[str]) -> None:
    saknas = [k for k in kolumner if k not in deltagare.columns]
    if saknas:
        raise ValueError(
            f"Deltagartabellen saknar kolumnerna {saknas}; finns: {list(deltagare.columns)}."
        )


def _led(deltagare: pd.DataFrame, period: Rapportperiod) -> dict[str, np.ndarray]:
    """Booleska masker per flödesled."""
    _kontrollera(deltagare, ["inskrivningsdatum"])
    inskr, saknas = _dagnummer(deltagare["inskrivningsdatum"], "inskrivningsdatum")
    if saknas.any():
        raise ValueError(f"{int(saknas.sum())} deltaganden saknar inskrivningsdatum.")
    if "avslutsdatum" in deltagare.columns:
        avsl, pagaende = _dagnummer(deltagare["avslutsdatum"], "avslutsdatum")
        # pågående (saknat avslutsdatum) jämförs som en dag efter alla andra
        avsl = np.where(pagaende, np.iinfo(np.int64).max, avsl)
    else:
        avsl = np.full(len(deltagare), np.iinfo(np.int64).max, dtype=np.int64)
    fore = avsl < inskr
    if fore.any():
        raise ValueError(f"{int(fore.sum())} deltaganden har avslutsdatum före inskrivningsdatum.")
    start, slut = _dag(period.start), _dag(period.slut)
    if "avslutstyp" in deltagare.columns:
        avbruten = (deltagare["avslutstyp"] == "Avbruten").to_numpy(dtype=bool, na_value=False)
    else:
        avbruten = np.zeros(len(deltagare), dtype=bool)
    avslutade = (avsl >= start) & (avsl <= slut)
    return {
        "aktiva_vid_start": (inskr < start) & (avsl >= start),
        "nya": (inskr >= start) & (inskr <= slut),
        "deltagit": (inskr <= slut) & (avsl >= start),
        "avslutade": avslutade,
        "fullfoljda": avslutade & ~avbruten,
        "avbrutna": avslutade & avbruten,
        "aktiva_vid_slut": (inskr <= slut) & (avsl > slut),
    }


def _urval(deltagare: pd.DataFrame, period: Rapportperiod, urval: str) -> np.ndarray:
    led = _led(deltagare, period)
    if urval not in led:
        raise ValueError(f"Okänt urval {urval!r}; välj bland {list(FLODESLED)}.")
    return led[urval]


def _kontrollera_enhet(enhet: str) -> None:
    if enhet not in {"deltaganden", "personer"}:
        raise ValueError(f"Okänd enhet {enhet!r}; välj 'deltaganden' eller 'personer'.")


def _klassa(varden: pd.Series, klasser: Sequence[tuple[float, str]]) -> pd.Series:
    """Klassa tal (nedre gräns ingår); utanför klasserna eller saknat -> ``"Uppgift saknas"``.

    Samma kategoriska serie som ``pd.cut(..., right=False)`` följt av kategorin
    ``"Uppgift saknas"`` för allt som inte hamnar i en klass, men räknad med jämförelser mot
    klassgränserna (en per gräns) i stället för ``pd.cut``.
    """
    granser = np.array([g for g, _ in klasser], dtype=np.float64)
    etiketter = [e for _, e in klasser]
    tal = pd.to_numeric(varden)
    if len(granser) == 0 or np.any(np.diff(granser) <= 0):  # pd.cut ger felet
        klassat = pd.cut(tal, bins=[*granser, np.inf], labels=etiketter, right=False)
        return klassat.cat.add_categories([SAKNAS]).fillna(SAKNAS)
    x = (
        tal.to_numpy(dtype=np.float64, na_value=np.nan)
        if isinstance(tal, pd.Series)
        else np.asarray(tal, dtype=np.float64)
    )
    koder = np.zeros(len(x), dtype=np.int8 if len(etiketter) < 127 else np.int64)
    for grans in granser[1:]:
        koder += x >= grans
    koder[~((x >= granser[0]) & (x < np.inf))] = len(etiketter)  # NaN jämförs falskt
    kategorier = pd.Categorical.from_codes(koder, categories=[*etiketter, SAKNAS], ordered=True)
    index = varden.index if isinstance(varden, pd.Series) else None
    namn = varden.name if isinstance(varden, pd.Series) else None
    return pd.Series(kategorier, index=index, name=namn)


def _alder(deltagare: pd.DataFrame, period: Rapportperiod, vid: str) -> pd.Series:
    if vid not in {"inskrivning", "periodens_slut"}:
        raise ValueError(f"Okänt 'vid' {vid!r}; välj 'inskrivning' eller 'periodens_slut'.")

    def inskrivningsar() -> np.ndarray:
        datum = deltagare["inskrivningsdatum"]
        if not (isinstance(datum.dtype, np.dtype) and datum.dtype.kind == "M"):
            datum = pd.to_datetime(datum)
        return datum.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)

    def tal(kolumn: str) -> np.ndarray:
        return pd.to_numeric(deltagare[kolumn]).to_numpy(dtype=np.float64, na_value=np.nan)

    har_fodd, har_alder = "fodelsear" in deltagare.columns, "alder" in deltagare.columns
    if not (har_fodd or har_alder):
        raise ValueError("Deltagartabellen saknar både 'fodelsear' och 'alder'.")
    fran_fodd = fran_alder = None
    if har_fodd:
        fodd = tal("fodelsear")
        fran_fodd = inskrivningsar() - fodd if vid == "inskrivning" else period.slut.year - fodd
    if har_alder:
        alder = tal("alder")
        fran_alder = (
            alder if vid == "inskrivning" else alder + (period.slut.year - inskrivningsar())
        )
    if fran_fodd is None:
        return pd.Series(fran_alder, index=deltagare.index, name="alder")
    if fran_alder is None:
        return pd.Series(fran_fodd, index=deltagare.index, name="fodelsear")
    # båda kolumnerna finns (efter inläsning finns alla kolumner, saknade som tomma):
    # födelseåret där det finns, annars åldern vid inskrivning
    return pd.Series(
        np.where(np.isnan(fran_fodd), fran_alder, fran_fodd),
        index=deltagare.index,
        name=None if vid == "inskrivning" else "fodelsear",  # som när bara födelseåret finns
    )


def _kategorier(
    deltagare: pd.DataFrame, dimension: str, period: Rapportperiod, klasser
) -> pd.Series:
    if dimension in {"tid_offentlig_forsorjning", "tid_offentlig_forsorjning_ar"}:
        _kontrollera(deltagare, ["tid_offentlig_forsorjning_ar"])
        return _klassa(
            deltagare["tid_offentlig_forsorjning_ar"], klasser or TID_I_FORSORJNING_KLASSER
        )
    if dimension == "aldersgrupp" and "aldersgrupp" not in deltagare.columns:
        return _klassa(_alder(deltagare, period, "inskrivning"), klasser or ALDERSKLASSER)
    _kontrollera(deltagare, [dimension])
    if klasser is not None:
        return _klassa(deltagare[dimension], klasser)
    return deltagare[dimension].astype("str").where(deltagare[dimension].notna(), SAKNAS)


def _projektion(deltagare: pd.DataFrame, kolumner: Iterable[str]) -> pd.DataFrame:
    """Bara de kolumner som finns av ``kolumner`` (i tabellens ordning).

    Att filtrera rader (``deltagare[mask]``, ``groupby``) kopierar varje kolumn; med en
    miljon deltaganden och ett tjugotal kolumner är det den dominerande kostnaden. Därför väljs
    kolumnerna som beräkningen behöver först.
    """
    behov = set(kolumner)
    return deltagare[[k for k in deltagare.columns if k in behov]]


_FLODESKOLUMNER = ("inskrivningsdatum", "avslutsdatum", "avslutstyp", "deltagare_id")


def _fordelningskolumner(dimension: str) -> tuple[str, ...]:
    return (
        *_FLODESKOLUMNER,
        dimension,
        "tid_offentlig_forsorjning_ar",
        "fodelsear",
        "alder",
        "aldersgrupp",
    )


def _kontrollera_dimension(deltagare: pd.DataFrame, dimension: str) -> None:
    """Samma fel som :func:`_kategorier` ger, men med alla tabellens kolumner i meddelandet."""
    if dimension in deltagare.columns or dimension not in {
        "aldersgrupp",
        "tid_offentlig_forsorjning",
    }:
        _kontrollera(deltagare, [dimension])


def _per_grupp(
    funktion, deltagare: pd.DataFrame, per, *, kolumner: Iterable[str], **argument
) -> pd.DataFrame:
    """Kör ``funktion`` per grupp (en slinga per grupp, vektoriserat inom gruppen).

    Bara ``kolumner`` (och grupperingskolumnerna) följer med in i grupperna.
    """
    per = [per] if isinstance(per, str) else list(per)
    _kontrollera(deltagare, per)
    deltagare = _projektion(deltagare, [*per, *kolumner])
    delar = []
    for nyckel, grupp in deltagare.groupby(per, sort=True, dropna=False):
        ut = funktion(grupp, **argument)
        for kolumn, varde in reversed(list(zip(per, nyckel, strict=True))):
            ut.insert(0, kolumn, varde)
        delar.append(ut)
    if not delar:
        return funktion(deltagare, **argument).iloc[:0].assign(**dict.fromkeys(per))
    return pd.concat(delar, ignore_index=True)


def _gruppkoder(deltagare: pd.DataFrame, per: list[str]) -> tuple[np.ndarray, list[tuple]]:
    """Gruppnummer för varje rad och gruppernas nycklar (som tupler).

    Ordningen är densamma som ``groupby(per, sort=True, dropna=False)`` ger, så att resultatet
    blir detsamma som när funktionen körs grupp för grupp.
    """
    grupperat = deltagare[per].groupby(per, sort=True, dropna=False)
    koder = grupperat.ngroup().to_numpy(dtype=np.int64)
    nycklar = [n if isinstance(n, tuple) else (n,) for n in grupperat.size().index]
    return koder, nycklar


def _sammanfoga_grupper(
    delar: list[pd.DataFrame], per: list[str], nycklar: list[tuple]
) -> pd.DataFrame:
    for ut, nyckel in zip(delar, nycklar, strict=True):
        for kolumn, varde in reversed(list(zip(per, nyckel, strict=True))):
            ut.insert(0, kolumn, varde)
    return pd.concat(delar, ignore_index=True)


def _flode_per_grupp(
    deltagare: pd.DataFrame, period: Rapportperiod, per: list[str]
) -> pd.DataFrame:
    """:func:`deltagarflode` per grupp (deltaganden): flödesleden räknas en gång för alla rader
    och summeras per grupp med ``np.bincount`` i stället för att tabellen delas upp."""
    led = _led(deltagare, period)
    koder, nycklar = _gruppkoder(deltagare, per)
    antal = {namn: np.bincount(koder[led[namn]], minlength=len(nycklar)) for namn in FLODESLED}
    delar = [
        pd.DataFrame(
            {
                "dimension": "status",
                "kategori": list(FLODESLED),
                "antal": [int(antal[namn][g]) for namn in FLODESLED],
            }
        )
        for g in range(len(nycklar))
    ]
    return _sammanfoga_grupper(delar, per, nycklar)


def _kategorikoder(
    deltagare: pd.DataFrame,
    period: Rapportperiod,
    dimension: str,
    klasser: Sequence[tuple[float, str]] | None,
) -> tuple[np.ndarray, list[str], bool]:
    """Kategorinummer för varje rad: (koder, etiketter, kategoriskt).

    Kategoriska (klassade) dimensioner har sina etiketter i klassordning med
    ``"Uppgift saknas"`` sist; för övriga är etiketterna i förekomstordning och en etikett kan
    ha två koder (ett verkligt värde ``"Uppgift saknas"`` och saknade värden).
    """
    if (
        klasser is None
        and dimension in deltagare.columns
        and dimension not in {"tid_offentlig_forsorjning", "tid_offentlig_forsorjning_ar"}
        and isinstance(deltagare[dimension].dtype, pd.StringDtype)
    ):
        # textkolumn: koda den direkt (saknat värde -> "Uppgift saknas", som i _kategorier)
        kat_koder, unika = pd.factorize(deltagare[dimension])
        etiketter = [str(k) for k in unika] + [SAKNAS]
        kat_koder = np.where(kat_koder < 0, len(etiketter) - 1, kat_koder)
        return kat_koder.astype(np.int64, copy=False), etiketter, False
    urvalet = _projektion(deltagare, _fordelningskolumner(dimension))
    kategori = _kategorier(urvalet, dimension, period, klasser)
    if isinstance(kategori.dtype, pd.CategoricalDtype):
        kat_koder = kategori.cat.codes.to_numpy(dtype=np.int64)
        return kat_koder, [str(k) for k in kategori.cat.categories], True
    kat_koder, unika = pd.factorize(kategori)
    return kat_koder.astype(np.int64, copy=False), [str(k) for k in unika], False


def _korstabell(
    *,
    mask: np.ndarray,
    koder: np.ndarray,
    antal_grupper: int,
    kategorikoder: tuple[np.ndarray, list[str], bool],
) -> list[tuple[list[str], np.ndarray]]:
    """Antal per (grupp, kategori) bland raderna i ``mask``: för varje grupp (kategorier, antal).

    Kategorierna (:func:`_kategorikoder`) räknas med ``np.bincount``. Ordningen är densamma
    som :func:`fordelning` ger för gruppen ensam: klassade dimensioner i klassordning (alla
    klasser, ``"Uppgift saknas"`` bara om den förekommer), övriga sorterade med
    ``"Uppgift saknas"`` sist och bara förekommande.
    """
    kat_koder, etiketter, kategoriskt = kategorikoder
    bredd = max(1, len(etiketter))
    tabell = np.bincount(
        koder[mask] * bredd + kat_koder[mask], minlength=antal_grupper * bredd
    ).reshape(antal_grupper, bredd)
    ut = []
    for g in range(antal_grupper):
        rad = tabell[g]
        if kategoriskt:
            namn = [k for i, k in enumerate(etiketter) if k != SAKNAS or rad[i] > 0]
            varden = np.array([rad[etiketter.index(k)] for k in namn], dtype=np.int64)
        else:
            finns: dict[str, int] = {}
            for k in np.flatnonzero(rad):  # en etikett kan ha två koder ("Uppgift saknas")
                finns[etiketter[k]] = finns.get(etiketter[k], 0) + int(rad[k])
            namn = sorted(finns, key=lambda k: (k == SAKNAS, k))
            varden = np.array([finns[k] for k in namn], dtype=np.int64)
        ut.append((namn, varden))
    return ut


def _raknetabell(dimension: str, namn: list[str], varden: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension": dimension.removesuffix("_ar"),
            "kategori": pd.Index(namn, dtype=object).astype("str"),
            "antal": np.asarray(varden, dtype=np.int64),
        }
    )


def _fordelning_per_grupp(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod,
    dimension: str,
    urval: str,
    klasser: Sequence[tuple[float, str]] | None,
    per: list[str],
) -> pd.DataFrame:
    """:func:`fordelning` per grupp (deltaganden) som en korstabell grupp × kategori.

    Varje grupp får samma rader, ordning och andelar som när :func:`fordelning` körs på
    gruppen ensam, men deltagarraderna delas aldrig upp.
    """
    mask = _urval(deltagare, period, urval)
    koder, nycklar = _gruppkoder(deltagare, per)
    grupper = _korstabell(
        mask=mask,
        koder=koder,
        antal_grupper=len(nycklar),
        kategorikoder=_kategorikoder(deltagare, period, dimension, klasser),
    )
    delar = [_andelar(_raknetabell(dimension, namn, varden)) for namn, varden in grupper]
    return _sammanfoga_grupper(delar, per, nycklar)


def _andelar(tabell: pd.DataFrame) -> pd.DataFrame:
    namnare = tabell["antal"].sum()
    tabell["namnare"] = namnare
    tabell["andel"] = tabell["antal"] / namnare if namnare > 0 else np.nan
    return tabell


# --- flöden ------------------------------------------------------------------------------------


def deltagarflode(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    enhet: str = "deltaganden",
    per: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Deltagarflödet under en period som räknetabell.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader med minst ``inskrivningsdatum`` (och ``avslutsdatum``, ``avslutstyp``,
        ``deltagare_id`` för ``enhet="personer"``).
    period : Rapportperiod eller str
        Rapportperioden, t.ex. ``"2019"`` eller ``"2015-07..2016-06"``.
    enhet : {"deltaganden", "personer"}
        Räkna deltaganden (episoder, som SUS) eller unika personer (``deltagare_id``).
    per : str eller sekvens av str, valfri
        Räkna flödet per grupp, t.ex. ``"insats"``.

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``dimension`` (``"status"``), ``kategori`` (ett av
        :data:`FLODESLED`) och ``antal``, en rad per led i ordningen i :data:`FLODESLED`.

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "deltagare_id": ["a", "b", "c", "d"],
    ...     "inskrivningsdatum": ["2018-11-01", "2019-02-01", "2019-03-01", "2019-10-01"],
    ...     "avslutsdatum": ["2019-05-31", "2019-09-30", None, None],
    ...     "avslutstyp": ["Fullföljd", "Avbruten", None, None],
    ... })
    >>> deltagarflode(d, period="2019").set_index("kategori")["antal"].to_dict()
    {'aktiva_vid_start': 1, 'nya': 3, 'deltagit': 4, 'avslutade': 2, 'fullfoljda': 1, \
'avbrutna': 1, 'aktiva_vid_slut': 2}
    """
    _kontrollera_enhet(enhet)
    period = Rapportperiod.tolka(period)
    if per is not None:
        per_lista = [per] if isinstance(per, str) else list(per)
        _kontrollera(deltagare, per_lista)
        if enhet == "deltaganden" and len(deltagare):
            return _flode_per_grupp(deltagare, period, per_lista)
        return _per_grupp(
            deltagarflode, deltagare, per, kolumner=_FLODESKOLUMNER, period=period, enhet=enhet
        )
    led = _led(deltagare, period)
    if enhet == "personer":
        _kontrollera(deltagare, ["deltagare_id"])
        koder, unika = pd.factorize(deltagare["deltagare_id"])
        antal = []
        for namn in FLODESLED:
            sedda = np.zeros(len(unika) + 1, dtype=bool)
            sedda[koder[led[namn]]] = True  # kod -1 (saknat id) hamnar sist
            antal.append(int(sedda[:-1].sum()))
    else:
        antal = [int(led[namn].sum()) for namn in FLODESLED]
    return pd.DataFrame({"dimension": "status", "kategori": list(FLODESLED), "antal": antal})


def fordelning(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    dimension: str,
    urval: str = "deltagit",
    enhet: str = "deltaganden",
    klasser: Sequence[tuple[float, str]] | None = None,
    per: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Fördelning (antal och andel) av deltagarna i ett urval efter en dimension.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader.
    period : Rapportperiod eller str
        Rapportperioden.
    dimension : str
        Kolumnen att fördela efter: t.ex. ``"kon"``, ``"remittent"``,
        ``"folkbokforingskommun"``, ``"forsorjning_in"``. ``"tid_offentlig_forsorjning"``
        klassar ``tid_offentlig_forsorjning_ar`` (standardklasser
        :data:`TID_I_FORSORJNING_KLASSER`); ``"aldersgrupp"`` klassar åldern vid inskrivning
        (:data:`ALDERSKLASSER`).
    urval : str, standard ``"deltagit"``
        Vilket led i flödet som fördelas (se :data:`FLODESLED`), t.ex. ``"nya"``.
    enhet : {"deltaganden", "personer"}
        Med ``"personer"`` räknas varje person en gång per kategori.
    klasser : sekvens av (nedre gräns, etikett), valfri
        Egna klassgränser för en numerisk dimension.
    per : str eller sekvens av str, valfri
        Fördela inom varje grupp, t.ex. ``"insats"`` (nämnaren är gruppens antal).

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``dimension``, ``kategori``, ``antal``, ``namnare`` och
        ``andel`` (bråk).
        Saknade värden blir kategorin ``"Uppgift saknas"``.

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "inskrivningsdatum": ["2019-01-10", "2019-02-01", "2019-03-01", "2019-04-01"],
    ...     "kon": ["Kvinna", "Man", "Kvinna", None],
    ... })
    >>> fordelning(d, period="2019", dimension="kon")
      dimension        kategori  antal  namnare  andel
    0       kon          Kvinna      2        4   0.50
    1       kon             Man      1        4   0.25
    2       kon  Uppgift saknas      1        4   0.25
    """
    _kontrollera_enhet(enhet)
    period = Rapportperiod.tolka(period)
    if per is not None:
        per_lista = [per] if isinstance(per, str) else list(per)
        _kontrollera(deltagare, per_lista)
        if enhet == "deltaganden" and len(deltagare):
            _kontrollera_dimension(deltagare, dimension)
            return _fordelning_per_grupp(
                deltagare,
                period=period,
                dimension=dimension,
                urval=urval,
                klasser=klasser,
                per=per_lista,
            )
        return _per_grupp(
            fordelning,
            deltagare,
            per,
            kolumner=_fordelningskolumner(dimension),
            period=period,
            dimension=dimension,
            urval=urval,
            enhet=enhet,
            klasser=klasser,
        )
    mask = _urval(deltagare, period, urval)
    _kontrollera_dimension(deltagare, dimension)
    urvalet = _projektion(deltagare, _fordelningskolumner(dimension))[mask]
    kategori = _kategorier(urvalet, dimension, period, klasser)
    if enhet == "personer":
        _kontrollera(deltagare, ["deltagare_id"])
        par = pd.DataFrame({"id": urvalet["deltagare_id"].to_numpy(), "kategori": kategori})
        kategori = par.drop_duplicates()["kategori"]
    antal = kategori.value_counts(sort=False)
    if isinstance(kategori.dtype, pd.CategoricalDtype):
        antal = antal.reindex(kategori.cat.categories, fill_value=0)
        if antal.get(SAKNAS, 0) == 0:
            antal = antal.drop(SAKNAS)
    else:
        ordning = sorted(antal.index, key=lambda k: (k == SAKNAS, k))
        antal = antal.reindex(ordning)
    ut = pd.DataFrame(
        {
            "dimension": dimension.removesuffix("_ar"),
            "kategori": antal.index.astype("str"),
            "antal": antal.to_numpy(dtype=np.int64),
        }
    )
    return _andelar(ut)


def _ordnade_kategorier(kategori: pd.Series) -> list[str]:
    """Kategorierna i fördelningarnas ordning: klassernas ordning, annars bokstavsordning med
    ``"Uppgift saknas"`` sist (och bara när den förekommer)."""
    if isinstance(kategori.dtype, pd.CategoricalDtype):
        finns = set(kategori.dropna().astype(str))
        return [str(k) for k in kategori.cat.categories if k != SAKNAS or SAKNAS in finns]
    return sorted({str(k) for k in kategori}, key=lambda k: (k == SAKNAS, k))


def korstabell_deltagare(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    rader: str,
    kolumner: str,
    urval: str = "deltagit",
    grupper: Mapping[str, Iterable[str]] | None = None,
    klasser: Sequence[tuple[float, str]] | None = None,
) -> pd.DataFrame:
    """Antal deltaganden i ett urval efter två dimensioner (t.ex. kön × försörjning).

    Samma urval och kategorier som :func:`fordelning`: saknade värden blir ``"Uppgift
    saknas"``, ``"tid_offentlig_forsorjning"`` och ``"aldersgrupp"`` klassas. Radsummorna är
    :func:`fordelning` efter ``rader`` och kolumnsummorna efter ``kolumner``.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader.
    period : Rapportperiod eller str
        Rapportperioden.
    rader, kolumner : str
        Dimensionerna (kolumner i ``deltagare``, eller de klassade ``"aldersgrupp"`` och
        ``"tid_offentlig_forsorjning"``).
    urval : str, standard ``"deltagit"``
        Led i flödet (:data:`FLODESLED`), t.ex. ``"nya"`` eller ``"avslutade"``.
    grupper : mapping grupp -> kategorier, valfri
        Slå ihop kolumndimensionens kategorier till grupper (t.ex. försörjningsformerna till
        Finsams försörjningsgrupper); en kategori utanför grupperna behålls som den är.
    klasser : sekvens av (nedre gräns, etikett), valfri
        Egna klassgränser för en numerisk kolumndimension.

    Returns
    -------
    DataFrame
        Heltal; index = radernas kategorier (namn ``rader``), kolumner = kolumnernas
        kategorier. Alla kombinationer finns (0 där ingen finns).

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "inskrivningsdatum": ["2019-01-10", "2019-02-01", "2019-03-01", "2018-04-01"],
    ...     "kon": ["Kvinna", "Man", "Kvinna", "Man"],
    ...     "forsorjning_in": ["Sjukpenning", "Ekonomiskt bistånd", None, "Sjukpenning"],
    ... })
    >>> t = korstabell_deltagare(d, period="2019", rader="kon", kolumner="forsorjning_in",
    ...                          urval="nya")
    >>> list(t.columns)
    ['Ekonomiskt bistånd', 'Sjukpenning', 'Uppgift saknas']
    >>> t.loc["Kvinna"].tolist(), t.loc["Man"].tolist()
    ([0, 1, 1], [1, 0, 0])
    >>> korstabell_deltagare(d, period="2019", rader="kon", kolumner="forsorjning_in",
    ...                      grupper={"Ohälsa": ["Sjukpenning"]}).loc["Man"].tolist()
    [1, 1, 0]
    """
    period = Rapportperiod.tolka(period)
    for dimension in (rader, kolumner):
        _kontrollera_dimension(deltagare, dimension)
    mask = _urval(deltagare, period, urval)
    behov = {*_fordelningskolumner(rader), *_fordelningskolumner(kolumner)}
    urvalet = _projektion(deltagare, behov)[mask]
    r = _kategorier(urvalet, rader, period, None)
    k = _kategorier(urvalet, kolumner, period, klasser)
    kolumnordning = _ordnade_kategorier(k)
    if grupper:
        tillhor = {str(v): str(g) for g, vs in grupper.items() for v in vs}
        k = pd.Series([tillhor.get(str(x), str(x)) for x in k], index=k.index, dtype=object)
        kolumnordning = list(dict.fromkeys(tillhor.get(x, x) for x in kolumnordning))
        ordning = [str(g) for g in grupper]
        kolumnordning = [g for g in ordning if g in kolumnordning] + [
            x for x in kolumnordning if x not in ordning
        ]
    radordning = _ordnade_kategorier(r)
    tabell = pd.crosstab(
        pd.Series(np.asarray(r, dtype=object), name=rader),
        pd.Series(np.asarray(k, dtype=object), name=kolumner),
    )
    tabell = tabell.reindex(index=radordning, columns=kolumnordning, fill_value=0)
    tabell.index.name = rader
    tabell.columns.name = None
    return tabell.astype("int64")


BAKGRUNDSDIMENSIONER: tuple[tuple[str, str], ...] = (
    ("kon", "deltagit"),
    ("aldersgrupp", "deltagit"),
    ("folkbokforingskommun", "deltagit"),
    ("remittent", "deltagit"),
    ("forsorjning_in", "deltagit"),
    ("tid_offentlig_forsorjning", "deltagit"),
    ("forsorjning_ut", "avslutade"),
)
"""Standarddimensionerna i :func:`deltagarantal`: (dimension, urval)."""


def deltagarantal(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    dimensioner: Sequence[tuple[str, str]] = BAKGRUNDSDIMENSIONER,
    per: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Deltagarflödet och fördelningarna efter flera dimensioner i en räknetabell.

    Samma rader som :func:`deltagarflode` följt av :func:`fordelning` för varje dimension
    (enhet deltaganden), i den formen som tabellen ``deltagarantal`` har. Flödesleden och
    grupperna räknas en gång för alla dimensioner, och deltagarraderna delas aldrig upp: med
    en miljon deltaganden är det flera gånger snabbare än att anropa funktionerna var för sig.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader.
    period : Rapportperiod eller str
        Rapportperioden.
    dimensioner : sekvens av (dimension, urval)
        Dimensionerna (som i :func:`fordelning`) och vilket led i flödet som fördelas;
        standard :data:`BAKGRUNDSDIMENSIONER`.
    per : str eller sekvens av str, valfri
        Räkna inom varje grupp, t.ex. ``"insats"``.

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``dimension``, ``kategori`` och ``antal``: för varje grupp först
        flödet (dimension ``"status"``) och sedan dimensionerna i den angivna ordningen.

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "insats": ["A", "A", "B"],
    ...     "inskrivningsdatum": ["2019-01-10", "2019-02-01", "2019-03-01"],
    ...     "avslutsdatum": ["2019-06-30", None, None],
    ...     "kon": ["Kvinna", "Man", "Kvinna"],
    ... })
    >>> t = deltagarantal(d, period="2019", dimensioner=[("kon", "deltagit")], per="insats")
    >>> t[t["dimension"] == "kon"].values.tolist()
    [['A', 'kon', 'Kvinna', 1], ['A', 'kon', 'Man', 1], ['B', 'kon', 'Kvinna', 1]]
    >>> t.loc[t["kategori"] == "avslutade", ["insats", "antal"]].values.tolist()
    [['A', 1], ['B', 0]]
    """
    period = Rapportperiod.tolka(period)
    per_lista = [] if per is None else ([per] if isinstance(per, str) else list(per))
    _kontrollera(deltagare, per_lista)
    dimensioner = list(dimensioner)
    for dimension, urval in dimensioner:
        if urval not in FLODESLED:
            raise ValueError(f"Okänt urval {urval!r}; välj bland {list(FLODESLED)}.")
        _kontrollera_dimension(deltagare, dimension)
    kolumner = [*per_lista, "dimension", "kategori", "antal"]
    if per_lista and not len(deltagare):
        return pd.DataFrame(
            {k: pd.Series(dtype="int64" if k == "antal" else "str") for k in kolumner}
        )
    led = _led(deltagare, period)
    # Gruppernas och dimensionernas koder beror inte på varandra: med många rader räknas de
    # i trådar (faktoriseringen av textkolumner släpper GIL), annars i tur och ordning.
    uppgifter = [partial(_kategorikoder, deltagare, period, dim, None) for dim, _ in dimensioner]
    if per_lista:
        uppgifter.insert(0, partial(_gruppkoder, deltagare, per_lista))
    with _tradar(len(deltagare)) as karta:
        koder_ut = list(karta(lambda uppgift: uppgift(), uppgifter))
    if per_lista:
        (koder, nycklar), koder_ut = koder_ut[0], koder_ut[1:]
    else:
        koder, nycklar = np.zeros(len(deltagare), dtype=np.int64), [()]
    antal_grupper = len(nycklar)
    # Varje grupps rader samlas i listor (dimension, kategori, antal) och blir en tabell per
    # grupp: samma rader och typer som en tabell per dimension och grupp sammanfogade.
    delar: list[tuple[list[str], list[str], list[np.ndarray]]] = [
        ([], [], []) for _ in range(antal_grupper)
    ]
    flode = {namn: np.bincount(koder[led[namn]], minlength=antal_grupper) for namn in FLODESLED}
    for g in range(antal_grupper):
        varden = np.array([flode[namn][g] for namn in FLODESLED], dtype=np.int64)
        _lagg_till(delar[g], "status", list(FLODESLED), varden)
    for (dimension, urval), kategorikoder in zip(dimensioner, koder_ut, strict=True):
        grupper = _korstabell(
            mask=led[urval],
            koder=koder,
            antal_grupper=antal_grupper,
            kategorikoder=kategorikoder,
        )
        for g, (namn, varden) in enumerate(grupper):
            _lagg_till(delar[g], dimension, namn, varden)
    tabeller = [
        pd.DataFrame(
            {
                "dimension": pd.array(dim, dtype="str"),
                "kategori": pd.array(kat, dtype="str"),
                "antal": np.concatenate(antal).astype(np.int64, copy=False),
            }
        )
        for dim, kat, antal in delar
    ]
    if not per_lista:
        return tabeller[0]
    return _sammanfoga_grupper(tabeller, per_lista, nycklar)


def _lagg_till(
    del_: tuple[list[str], list[str], list[np.ndarray]],
    dimension: str,
    namn: list[str],
    varden: np.ndarray,
) -> None:
    """Lägg en dimensions rader till en grupps listor (som :func:`_raknetabell`)."""
    dim, kat, antal = del_
    dim += [dimension.removesuffix("_ar")] * len(namn)
    kat += [str(k) for k in namn]
    antal.append(np.asarray(varden, dtype=np.int64))


def fordelning_fran_antal(
    deltagarantal: pd.DataFrame,
    *,
    dimension: str,
    period: Rapportperiod | str | None = None,
) -> pd.DataFrame:
    """Fördelning ur tabellen ``deltagarantal`` (för förbund som bara har antal).

    Ger samma form som :func:`fordelning`. Rader med kategorin ``"Totalt"`` (publicerade
    summor) och "varav"-rader (ifylld ``del_av``) ignoreras; antal summeras per kategori
    (t.ex. över insatser).

    Parameters
    ----------
    deltagarantal : DataFrame
        Kolumnerna ``dimension``, ``kategori``, ``antal`` (valfritt ``period``).
    dimension : str
        Dimensionen, t.ex. ``"remittent"``.
    period : Rapportperiod eller str, valfri
        Välj rader vars ``period`` är samma period.

    Returns
    -------
    DataFrame
        Kolumnerna ``dimension``, ``kategori``, ``antal``, ``namnare`` och ``andel``.

    Examples
    --------
    Avesta 2015/16, remitterande aktör:

    >>> t = pd.DataFrame({
    ...     "period": "2015-07..2016-06", "dimension": "remittent",
    ...     "kategori": ["Kommun", "FK", "Region", "AF", "Totalt"],
    ...     "antal": [25, 21, 8, 3, 57],
    ... })
    >>> fordelning_fran_antal(t, dimension="remittent")["andel"].round(2).tolist()
    [0.44, 0.37, 0.14, 0.05]
    """
    _kontrollera(deltagarantal, ["dimension", "kategori", "antal"])
    data = _valj_antal(deltagarantal, dimension, period)
    if "del_av" in data.columns:
        data = data[data["del_av"].isna()]  # "varav"-rader räknas inte två gånger
    antal = data.groupby("kategori", sort=False)["antal"].sum()
    ut = pd.DataFrame(
        {
            "dimension": dimension,
            "kategori": antal.index.astype("str"),
            "antal": antal.to_numpy(),
        }
    )
    return _andelar(ut)


def _valj_antal(
    deltagarantal: pd.DataFrame, dimension: str, period: Rapportperiod | str | None
) -> pd.DataFrame:
    data = deltagarantal[deltagarantal["dimension"] == dimension]
    data = data[data["kategori"] != TOTALT]
    if period is not None:
        _kontrollera(deltagarantal, ["period"])
        valt = Rapportperiod.tolka(period)
        koder = {kod: Rapportperiod.tolka(kod) == valt for kod in data["period"].unique()}
        data = data[data["period"].map(koder).astype(bool)]
    return data


def deltagarflode_fran_antal(
    deltagarantal: pd.DataFrame,
    *,
    period: Rapportperiod | str | None = None,
    per: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Deltagarflödet ur tabellen ``deltagarantal`` (dimension ``"status"``).

    Ger samma form som :func:`deltagarflode`. Kategorierna översätts med :data:`STATUSNAMN`
    (t.ex. ``"Aktiv"`` -> ``aktiva_vid_slut``, ``"Tidigt avhopp"`` -> ``avbrutna``). Led som
    saknas räknas fram ur flödets identiteter när det går (``deltagit = avslutade +
    aktiva_vid_slut``, ``fullfoljda = avslutade - avbrutna`` ...); annars blir de ``<NA>``.
    Publicerade summor (``"Totalt"``) används inte. En okänd etikett är ett fel (valideringen
    av ``deltagarantal`` säger var den står), aldrig ett tomt flöde.

    Parameters
    ----------
    deltagarantal : DataFrame
        Kolumnerna ``dimension``, ``kategori``, ``antal`` (valfritt ``period``).
    period : Rapportperiod eller str, valfri
        Välj rader med denna period.
    per : str eller sekvens av str, valfri
        Flödet för varje grupp, t.ex. ``"insats"`` (grupper utan statusrader hoppas över).

    Returns
    -------
    DataFrame
        Kolumnerna i ``per``, ``dimension``, ``kategori`` (:data:`FLODESLED`) och ``antal``
        (Int64).

    Examples
    --------
    Avesta 2015/16: 39 aktiva, 18 avslutade varav 4 tidiga avhopp.

    >>> t = pd.DataFrame({"dimension": "status",
    ...                   "kategori": ["Aktiv", "Avslutad", "Tidigt avhopp", "Totalt"],
    ...                   "antal": [39, 18, 4, 57]})
    >>> deltagarflode_fran_antal(t).set_index("kategori")["antal"].to_dict()
    {'aktiva_vid_start': None, 'nya': None, 'deltagit': 57, 'avslutade': 18, 'fullfoljda': 14, \
'avbrutna': 4, 'aktiva_vid_slut': 39}

    Per insats, med andra etiketter:

    >>> t = pd.DataFrame({"insats": ["A", "A", "B", "B"], "dimension": "status",
    ...                   "kategori": ["Aktiva vid periodens start", "Nyinskrivna"] * 2,
    ...                   "antal": [10, 20, 1, 2]})
    >>> f = deltagarflode_fran_antal(t, per="insats")
    >>> f[f["kategori"] == "deltagit"][["insats", "antal"]].values.tolist()
    [['A', 30], ['B', 3]]
    """
    _kontrollera(deltagarantal, ["dimension", "kategori", "antal"])
    data = _valj_antal(deltagarantal, "status", period)
    if per is None:
        return _flode_ur_status(data)
    per_lista = [per] if isinstance(per, str) else list(per)
    _kontrollera(data, per_lista)
    delar = []
    for nyckel, grupp in data.groupby(per_lista, sort=False, dropna=False):
        ut = _flode_ur_status(grupp)
        nycklar = nyckel if isinstance(nyckel, tuple) else (nyckel,)
        for i, (kolumn, varde) in enumerate(zip(per_lista, nycklar, strict=True)):
            ut.insert(i, kolumn, varde)
        delar.append(ut)
    if not delar:
        tom = _flode_ur_status(data).iloc[0:0]
        return tom.assign(**{k: pd.Series(dtype=object) for k in per_lista})[
            [*per_lista, "dimension", "kategori", "antal"]
        ]
    return pd.concat(delar, ignore_index=True)


def _flode_ur_status(data: pd.DataFrame) -> pd.DataFrame:
    """Flödet ur statusraderna (redan valda): etiketterna översatta, saknade led härledda."""
    led = data["kategori"].astype("str").str.strip().str.lower().map(STATUSNAMN)
    okanda = sorted(set(data.loc[led.isna(), "kategori"].astype("str")))
    if okanda:
        raise ValueError(f"Okända statuskategorier {okanda}; kända är {sorted(set(STATUSNAMN))}.")
    summor = pd.to_numeric(data["antal"]).groupby(led.to_numpy()).sum()
    v: dict[str, float | None] = {namn: summor.get(namn) for namn in FLODESLED}
    for _ in range(2):  # två varv räcker för att sprida härledningarna
        for mal, plus, minus in _HARLEDNINGAR:
            if v[mal] is None and all(v[n] is not None for n in (*plus, *minus)):
                v[mal] = sum(v[n] for n in plus) - sum(v[n] for n in minus)
    antal = pd.array([v[n] if v[n] is not None else pd.NA for n in FLODESLED], dtype="Int64")
    return pd.DataFrame({"dimension": "status", "kategori": list(FLODESLED), "antal": antal})


_HARLEDNINGAR: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("deltagit", ("avslutade", "aktiva_vid_slut"), ()),
    ("deltagit", ("aktiva_vid_start", "nya"), ()),
    ("avslutade", ("fullfoljda", "avbrutna"), ()),
    ("fullfoljda", ("avslutade",), ("avbrutna",)),
    ("avbrutna", ("avslutade",), ("fullfoljda",)),
    ("aktiva_vid_slut", ("deltagit",), ("avslutade",)),
    ("avslutade", ("deltagit",), ("aktiva_vid_slut",)),
    ("nya", ("deltagit",), ("aktiva_vid_start",)),
    ("aktiva_vid_start", ("deltagit",), ("nya",)),
)
"""Flödets identiteter som härledningar (led = summan av plus − summan av minus), i ordning."""

NYCKELTALENS_FLODESLED: dict[str, str] = {
    "antal_deltagare": "deltagit",
    "antal_inskrivna": "deltagit",
    "antal_nya": "nya",
    "antal_avslut": "avslutade",
    "antal_avslutade": "fullfoljda",
    "antal_fullfoljda": "fullfoljda",
    "antal_avbrutna": "avbrutna",
    "antal_aktiva": "aktiva_vid_slut",
}
"""Publicerade nyckeltal (``nyckeltal_publicerade.indikator``) som är ett led i flödet.

``antal_avslutade`` är de som *avslutat sin rehabilitering* (fullföljt), som i SOT Västerås
årsrapport 2019 ("55 st. personer som avslutat ... Antal som avbrutit ... 25"); ``antal_avslut``
är alla avslut (Avesta: "Antal avslut totalt")."""


def deltagarflode_fran_nyckeltal(
    nyckeltal: pd.DataFrame,
    *,
    period: Rapportperiod | str | None = None,
    per: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Deltagarflödet ur publicerade nyckeltal (``antal_deltagare``, ``antal_avslutade`` …).

    Nyckeltalen översätts med :data:`NYCKELTALENS_FLODESLED` och flödet räknas av
    :func:`deltagarflode_fran_antal` (saknade led härleds ur identiteterna).

    Parameters
    ----------
    nyckeltal : DataFrame
        Kolumnerna ``indikator`` och ``varde`` (valfritt ``period``, ``insats``).
    period : Rapportperiod eller str, valfri
        Välj rader med denna period.
    per : str eller sekvens av str, valfri
        Flödet per grupp, t.ex. ``"insats"``.

    Returns
    -------
    DataFrame
        Som :func:`deltagarflode_fran_antal`; tom om inget nyckeltal är ett flödesled.

    Examples
    --------
    SOT Västerås 2019: 127 deltog, 55 avslutade (fullföljde) och 25 avbröt.

    >>> n = pd.DataFrame({"indikator": ["antal_deltagare", "antal_avslutade", "antal_avbrutna"],
    ...                   "varde": [127, 55, 25]})
    >>> deltagarflode_fran_nyckeltal(n).set_index("kategori")["antal"].dropna().to_dict()
    {'deltagit': 127, 'avslutade': 80, 'fullfoljda': 55, 'avbrutna': 25, 'aktiva_vid_slut': 47}
    """
    _kontrollera(nyckeltal, ["indikator", "varde"])
    urval = nyckeltal[nyckeltal["indikator"].isin(list(NYCKELTALENS_FLODESLED))]
    status = urval.assign(
        dimension="status",
        kategori=urval["indikator"].map(NYCKELTALENS_FLODESLED),
        antal=pd.to_numeric(urval["varde"]),
    )
    ut = deltagarflode_fran_antal(status, period=period, per=per)
    return ut if len(status) else ut.iloc[0:0]


# --- tider och åldrar --------------------------------------------------------------------------


def genomstromningstid(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    urval: str = "avslutade",
) -> pd.Series:
    """Genomströmningstid i månader för deltaganden som avslutades under perioden.

    Tiden är ``avslutsdatum - inskrivningsdatum`` i dagar delat med 30,4375 (365,25 / 12).

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader med ``inskrivningsdatum`` och ``avslutsdatum``.
    period : Rapportperiod eller str
        Rapportperioden.
    urval : {"avslutade", "fullfoljda", "avbrutna"}
        Vilka avslut som ingår.

    Returns
    -------
    Series
        ``n``, ``medel`` och ``median`` (månader); NaN om inga avslut.

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "inskrivningsdatum": ["2019-01-01", "2019-01-01"],
    ...     "avslutsdatum": ["2019-07-02", "2019-12-31"],
    ... })
    >>> genomstromningstid(d, period="2019").round(2).to_dict()
    {'n': 2.0, 'medel': 8.97, 'median': 8.97}
    """
    if urval not in {"avslutade", "fullfoljda", "avbrutna"}:
        raise ValueError(f"Okänt urval {urval!r}; välj 'avslutade', 'fullfoljda' eller 'avbrutna'.")
    _kontrollera(deltagare, ["avslutsdatum"])
    mask = _urval(deltagare, Rapportperiod.tolka(period), urval)
    urvalet = _projektion(deltagare, ("inskrivningsdatum", "avslutsdatum"))[mask]
    dagar = _dagar(urvalet["avslutsdatum"], "avslutsdatum") - _dagar(
        urvalet["inskrivningsdatum"], "inskrivningsdatum"
    )
    manader = dagar / DAGAR_PER_MANAD
    return _sammanfatta(manader)


def _sammanfatta(varden: np.ndarray) -> pd.Series:
    varden = np.asarray(varden, dtype=np.float64)
    varden = varden[~np.isnan(varden)]
    if len(varden) == 0:
        return pd.Series({"n": 0.0, "medel": np.nan, "median": np.nan})
    return pd.Series(
        {"n": float(len(varden)), "medel": float(varden.mean()), "median": float(np.median(varden))}
    )


def snittalder(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    vid: str = "inskrivning",
    urval: str = "deltagit",
) -> pd.Series:
    """Deltagarnas medel- och medianålder.

    Med bara födelseår är åldern ``år - födelseår`` (högst ett år fel för den enskilde):
    ``vid="inskrivning"`` (standard) använder inskrivningsåret, ``vid="periodens_slut"``
    periodens sista år. Saknas ``fodelsear`` används kolumnen ``alder`` (ålder vid
    inskrivning). Deltaganden utan uppgift räknas inte (``n`` visar hur många som ingår).

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader med ``inskrivningsdatum`` och ``fodelsear`` (eller ``alder``).
    period : Rapportperiod eller str
        Rapportperioden.
    vid : {"inskrivning", "periodens_slut"}
        Tidpunkten åldern avser.
    urval : str, standard ``"deltagit"``
        Vilket led i flödet (se :data:`FLODESLED`).

    Returns
    -------
    Series
        ``n``, ``medel`` och ``median`` (år).

    Examples
    --------
    >>> d = pd.DataFrame({"inskrivningsdatum": ["2015-08-01", "2016-02-01"],
    ...                   "fodelsear": [1990, 1970]})
    >>> snittalder(d, period="2015-07..2016-06").to_dict()
    {'n': 2.0, 'medel': 35.5, 'median': 35.5}
    >>> snittalder(d, period="2015-07..2016-06", vid="periodens_slut")["medel"]
    np.float64(36.0)
    """
    period = Rapportperiod.tolka(period)
    mask = _urval(deltagare, period, urval)
    urvalet = _projektion(deltagare, ("inskrivningsdatum", "fodelsear", "alder"))[mask]
    return _sammanfatta(_alder(urvalet, period, vid).to_numpy(dtype=np.float64))


def tid_i_offentlig_forsorjning(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    urval: str = "deltagit",
) -> pd.Series:
    """Tid i offentlig försörjning före inskrivning (år): medel och median.

    Deltaganden utan uppgift (``tid_offentlig_forsorjning_ar`` tom) räknas inte; ``n`` visar
    hur många som ingår.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader med ``inskrivningsdatum`` och ``tid_offentlig_forsorjning_ar``.
    period : Rapportperiod eller str
        Rapportperioden.
    urval : str, standard ``"deltagit"``
        Vilket led i flödet (se :data:`FLODESLED`).

    Returns
    -------
    Series
        ``n``, ``medel`` och ``median`` (år).

    Examples
    --------
    >>> d = pd.DataFrame({"inskrivningsdatum": ["2019-02-01", "2019-03-01", "2019-04-01"],
    ...                   "tid_offentlig_forsorjning_ar": [1.5, 4.5, None]})
    >>> tid_i_offentlig_forsorjning(d, period="2019").to_dict()
    {'n': 2.0, 'medel': 3.0, 'median': 3.0}
    """
    _kontrollera(deltagare, ["tid_offentlig_forsorjning_ar"])
    mask = _urval(deltagare, Rapportperiod.tolka(period), urval)
    tid = pd.to_numeric(deltagare["tid_offentlig_forsorjning_ar"]).to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return _sammanfatta(tid[mask])


# --- utfall och försörjning --------------------------------------------------------------------


def avslutsutfall(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    urval: str = "fullfoljda",
    kolumn: str = "avslutsorsak",
) -> pd.DataFrame:
    """Antal avslut per utfall (avslutsorsak) under perioden, som räknetabell.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader.
    period : Rapportperiod eller str
        Rapportperioden.
    urval : {"fullfoljda", "avbrutna", "avslutade"}
        Vilka avslut som räknas.
    kolumn : str, standard ``"avslutsorsak"``
        Kolumnen med utfallet (t.ex. ``"forsorjning_ut"``).

    Returns
    -------
    DataFrame
        Som :func:`fordelning`, med ``dimension`` lika med ``kolumn``.
    """
    if urval not in {"avslutade", "fullfoljda", "avbrutna"}:
        raise ValueError(f"Okänt urval {urval!r}; välj 'avslutade', 'fullfoljda' eller 'avbrutna'.")
    return fordelning(deltagare, period=period, dimension=kolumn, urval=urval)


def andel_med_utfall(
    antal: pd.Series | Mapping[str, float] | pd.DataFrame,
    *,
    utfall: Iterable[str],
    exkludera: Iterable[str] = (),
) -> pd.Series:
    """Andel av avsluten som har något av de angivna utfallen.

    Parameters
    ----------
    antal : Series, dict eller DataFrame
        Antal per utfall (index = utfall), eller en räknetabell med ``kategori`` (eller
        ``utfall``, som tabellen ``avslut``) och ``antal`` (som från :func:`avslutsutfall`).
        Kategorin ``"Totalt"`` och "varav"-rader (ifylld ``del_av``) ignoreras.
    utfall : sekvens av str
        Utfallen som räknas i täljaren, t.ex. ``["Arbete", "Studier"]``.
    exkludera : sekvens av str
        Kategorier som inte ska ingå i nämnaren (t.ex. tidiga avhopp).

    Returns
    -------
    Series
        ``antal``, ``namnare`` och ``andel`` (bråk).

    Examples
    --------
    Avesta 2015/16: 7 av 14 avslutade (utom tidiga avhopp) till arbete eller annan
    arbetslivsinriktad rehabilitering:

    >>> a = {"Arbete": 5, "Studier": 0, "Fortsatt arbetslivsinriktad rehabilitering": 2,
    ...      "Sjuk- och aktivitetsersättning": 2, "Annat": 5, "Tidigt avhopp": 4}
    >>> andel_med_utfall(a, utfall=["Arbete", "Fortsatt arbetslivsinriktad rehabilitering"],
    ...                  exkludera=["Tidigt avhopp"]).to_dict()
    {'antal': 7.0, 'namnare': 14.0, 'andel': 0.5}
    """
    if isinstance(antal, pd.DataFrame):
        kategorikolumn = "kategori" if "kategori" in antal.columns else "utfall"
        _kontrollera(antal, [kategorikolumn, "antal"])
        if "del_av" in antal.columns:
            antal = antal[antal["del_av"].isna()]
        serie = antal.groupby(kategorikolumn, sort=False)["antal"].sum()
    else:
        serie = pd.Series(antal, dtype="float64")
    serie = serie[serie.index != TOTALT].astype("float64")
    utfall = list(utfall)
    okanda = [u for u in utfall if u not in serie.index]
    if okanda:
        raise ValueError(f"Utfallen {okanda} finns inte bland kategorierna {list(serie.index)}.")
    namnare = float(serie[~serie.index.isin(list(exkludera))].sum())
    taljare = float(serie[utfall].sum())
    andel = taljare / namnare if namnare > 0 else np.nan
    return pd.Series({"antal": taljare, "namnare": namnare, "andel": andel})


def forsorjningsovergangar(
    deltagare: pd.DataFrame,
    *,
    period: Rapportperiod | str,
    urval: str = "avslutade",
    grupper: Mapping[str, Iterable[str]] | None = None,
    med_totalt: bool = True,
) -> pd.DataFrame:
    """Försörjning vid inskrivning (rader) mot försörjning vid avslut (kolumner).

    Som SUS standardrapport: antal avslutade deltaganden per kombination av ``forsorjning_in``
    och ``forsorjning_ut``. Saknad uppgift blir ``"Uppgift saknas"``.

    Parameters
    ----------
    deltagare : DataFrame
        Deltagarrader med ``forsorjning_in`` och ``forsorjning_ut``.
    period : Rapportperiod eller str
        Rapportperioden.
    urval : str, standard ``"avslutade"``
        Vilket led i flödet (se :data:`FLODESLED`).
    grupper : mapping grupp -> försörjningsformer, valfri
        Slå ihop försörjningsformer till grupper (t.ex. ``kodlistor.FORSORJNINGSGRUPPER``);
        former som inte finns i någon grupp behåller sitt namn.
    med_totalt : bool, standard True
        Lägg till raden och kolumnen ``"Totalt"``.

    Returns
    -------
    DataFrame
        Korstabell med antal; index ``forsorjning_in``, kolumner ``forsorjning_ut``.

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "inskrivningsdatum": ["2019-01-01"] * 3,
    ...     "avslutsdatum": ["2019-06-01"] * 3,
    ...     "forsorjning_in": ["Ekonomiskt bistånd", "Ekonomiskt bistånd", "Sjukpenning"],
    ...     "forsorjning_ut": ["Lön", "Ekonomiskt bistånd", "Lön"],
    ... })
    >>> t = forsorjningsovergangar(d, period="2019")
    >>> t.loc["Ekonomiskt bistånd"].to_dict()
    {'Ekonomiskt bistånd': 1, 'Lön': 1, 'Totalt': 2}
    >>> t.loc["Totalt"].to_dict()
    {'Ekonomiskt bistånd': 1, 'Lön': 2, 'Totalt': 3}
    """
    _kontrollera(deltagare, ["forsorjning_in", "forsorjning_ut"])
    mask = _urval(deltagare, Rapportperiod.tolka(period), urval)
    urvalet = _projektion(deltagare, ("forsorjning_in", "forsorjning_ut"))[mask]
    omkodning = {}
    if grupper is not None:
        omkodning = {form: grupp for grupp, former in grupper.items() for form in former}
    kolumner = {}
    for namn in ("forsorjning_in", "forsorjning_ut"):
        varden = urvalet[namn].astype("str").where(urvalet[namn].notna(), SAKNAS)
        kolumner[namn] = varden.replace(omkodning) if omkodning else varden
    tabell = pd.crosstab(
        kolumner["forsorjning_in"],
        kolumner["forsorjning_ut"],
        margins=med_totalt,
        margins_name=TOTALT,
    )
    tabell.index.name = "forsorjning_in"
    tabell.columns.name = "forsorjning_ut"
    return tabell
