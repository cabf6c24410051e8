"""Sekretess: maskera små antal (primärt) och det som skulle röja dem (sekundärt).

En rapport till styrelsen får inte visa antal så små att en deltagare kan identifieras, och inte
heller andelar vars nämnare är så liten att andelen i praktiken är ett litet antal.

* **Primär maskering**: antal under ``troskel`` (standard 5) och andelar vars nämnare är under
  ``namnare_troskel`` (standard 10). Båda är konfigurerbara per förbund
  (``sekretess: {troskel, namnare_troskel}`` i ``forbund.yaml``).
* **Nollor**: en nolla röjer ingen person ("ingen av deltagarna fick arbete" säger inget om en
  viss person), och SCB visar nollor i de flesta tabeller; men praxis varierar (en nolla i en
  liten grupp kan tillsammans med andra uppgifter säga något om de övriga). Standardvalet här är
  att **nollor visas** (``maskera_nollor=False``); sätt ``maskera_nollor=True`` för att räkna 0
  som ett litet antal.
* **Sekundär maskering**: när rad- och kolumnsummor (och totalsumma) visas kan en ensam maskad
  cell räknas fram som summan minus de övriga. Funktionerna lägger därför till de minsta
  kompletterande cellerna tills ingen maskad cell har ett entydigt värde givet allt som visas
  (summorna, de visade cellerna och att antal aldrig är negativa). Kontrollen är exakt, se
  :func:`roja_celler`: en maskad cell är skyddad precis när den ligger på en "cykel" av maskade
  celler (en rektangel eller längre slinga omväxlande i rad och kolumn) som kan flyttas ±1 utan
  att något antal blir negativt.
* **Symboler** (SCB): ``".."`` uppgift inte tillgänglig eller för osäker/maskad, ``"–"`` inget
  finns att redovisa (kan användas för nollor med ``noll_symbol="–"``).

Funktionerna returnerar både en visningsversion (``object``-kolumner: tal där värdet visas,
symbol där det maskas) och en mask (``True`` = maskad). Indata ändras aldrig.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT, ar_summarad
from finsam_analys.tabell import MASKAD

__all__ = [
    "MASKAD",
    "INGET",
    "maskera_andelar",
    "maskera_andelsram",
    "maskera_antal",
    "primar_mask",
    "roja_celler",
]

INGET = "–"
"""SCB:s symbol för "inget finns att redovisa"."""

def primar_mask(
    antal: pd.DataFrame | pd.Series, *, troskel: int = 5, maskera_nollor: bool = False
) -> pd.DataFrame | pd.Series:
    """Vilka antal som ska maskas primärt: under ``troskel`` (nollor bara om så önskas).

    Examples
    --------
    >>> primar_mask(pd.Series([0, 2, 5, 7]), troskel=5).tolist()
    [False, True, False, False]
    >>> primar_mask(pd.Series([0, 2, 5]), troskel=5, maskera_nollor=True).tolist()
    [True, True, False]
    """
    if troskel < 0:
        raise ValueError(f"troskel får inte vara negativ (fick {troskel}).")
    varden = (
        antal.apply(pd.to_numeric, errors="coerce")
        if isinstance(antal, pd.DataFrame)
        else pd.to_numeric(antal, errors="coerce")
    )
    sma = (varden < troskel) & varden.notna()
    if not maskera_nollor:
        sma &= varden != 0
    return sma.astype(bool)


# ------------------------------------------------------------------- röjda celler (exakt)


def roja_celler(
    varden: pd.DataFrame | np.ndarray,
    mask: pd.DataFrame | np.ndarray,
    *,
    radsummor: bool = True,
    kolumnsummor: bool = True,
) -> np.ndarray:
    """Vilka maskade celler som ändå kan räknas fram ur det som visas.

    Parameters
    ----------
    varden : DataFrame eller 2-d array
        Hela tabellen som den visas, med summorna: sista kolumnen är radsummorna om
        ``radsummor``, sista raden kolumnsummorna om ``kolumnsummor``.
    mask : samma form, bool
        ``True`` för maskade celler.

    Returns
    -------
    ndarray (bool)
        ``True`` för maskade celler vars värde är entydigt bestämt av de visade cellerna,
        summavillkoren och att antal inte är negativa.

    Notes
    -----
    Tabellen ses som en graf med en nod per rad och kolumn som har en summa, och en kant per
    maskad cell (rader/kolumner utan summa slås ihop till en nod utan villkor). Två tabeller
    som stämmer med allt som visas skiljer sig med en cirkulation i grafen, och varje sådan
    skillnad kan delas upp i enkla cykler med samma tecken; varje cykel är för sig en tillåten
    förflyttning med ±1 (Hoffmans konforma uppdelning, summavillkoren är totalt unimodulära).
    En maskad cell är alltså röjd precis när ingen cykel genom den kan flyttas ±1 utan att
    något antal blir negativt. Det prövas med en sökning i "restgrafen" per cell.

    Examples
    --------
    En ensam maskad cell i en rad med radsumma röjs:

    >>> v = np.array([[2, 8, 10], [6, 4, 10], [8, 12, 20]])
    >>> m = np.zeros((3, 3), bool); m[0, 0] = True
    >>> bool(roja_celler(v, m)[0, 0])
    True
    >>> m[[0, 0, 1, 1], [0, 1, 0, 1]] = True   # fyra celler i en rektangel: skyddade
    >>> bool(roja_celler(v, m).any())
    False
    """
    v = np.asarray(varden, dtype="float64")
    m = np.asarray(mask, dtype=bool)
    if v.shape != m.shape:
        raise ValueError(f"varden har formen {v.shape} men mask har formen {m.shape}.")
    r, c = v.shape

    def nod_rad(i: int) -> tuple[str, int]:
        return ("rad", i) if radsummor else ("fri", 0)

    def nod_kolumn(j: int) -> tuple[str, int]:
        return ("kolumn", j) if kolumnsummor else ("fri", 0)

    # En kant per maskad cell: (från, till, framåt tillåtet, bakåt tillåtet, cell).
    # Summaceller har tecknet −1 (raden/kolumnen ska summera till 0), totalsumman +1.
    kanter = []
    for i, j in np.argwhere(m):
        tecken = 1
        if radsummor and j == c - 1:
            tecken = -tecken
        if kolumnsummor and i == r - 1:
            tecken = -tecken
        x = v[i, j]
        framat = tecken > 0 or x >= 1  # kantens värde ökar med 1
        bakat = tecken < 0 or x >= 1  # kantens värde minskar med 1
        kanter.append((nod_rad(int(i)), nod_kolumn(int(j)), framat, bakat, (int(i), int(j))))

    # Grannlistor i restgrafen: nod -> [(kant, granne)] för de tillåtna riktningarna.
    grannar: dict[tuple, list[tuple[int, tuple]]] = {}
    for k, (u, w, framat, bakat, _) in enumerate(kanter):
        if framat:
            grannar.setdefault(u, []).append((k, w))
        if bakat:
            grannar.setdefault(w, []).append((k, u))

    def nas(start: tuple, mal: tuple, utan: int) -> bool:
        """Kan ``mal`` nås från ``start`` i restgrafen utan kanten ``utan``?"""
        if start == mal:
            return True
        sett, kö = {start}, [start]
        while kö:
            nod = kö.pop()
            for k, till in grannar.get(nod, ()):
                if k != utan and till not in sett:
                    if till == mal:
                        return True
                    sett.add(till)
                    kö.append(till)
        return False

    rojd = np.zeros_like(m)
    for k, (u, w, framat, bakat, cell) in enumerate(kanter):
        rorlig = (framat and nas(w, u, k)) or (bakat and nas(u, w, k))
        rojd[cell] = not rorlig
    return rojd


# --------------------------------------------------------------------- sekundär maskering


def _sekundar(
    v: np.ndarray, primar: np.ndarray, *, radsummor: bool, kolumnsummor: bool
) -> np.ndarray:
    """Lägg till minsta kompletterande celler tills ingen maskad cell är röjd.

    Girigt: så länge någon maskad cell är röjd läggs den kandidat till (en visad cell i samma
    rad eller kolumn som en röjd cell) som ger minst antal röjda celler efteråt; vid lika
    väljs helst en cell som inte är 0, inte är en summa och har minst värde. Kontrollen är
    :func:`roja_celler` (exakt, med hänsyn till att antal inte är negativa).
    """
    mask = primar.copy()
    r, c = v.shape
    ar_marginal = np.zeros_like(mask)
    if radsummor:
        ar_marginal[:, c - 1] = True
    if kolumnsummor:
        ar_marginal[r - 1, :] = True

    def kandidater_for(rojd: np.ndarray) -> list[tuple[int, int]]:
        ut: set[tuple[int, int]] = set()
        for i, j in np.argwhere(rojd):
            if radsummor:
                ut |= {(int(i), k) for k in range(c) if not mask[i, k]}
            if kolumnsummor:
                ut |= {(k, int(j)) for k in range(r) if not mask[k, j]}
        if not ut:
            ut = {(int(a), int(b)) for a, b in np.argwhere(~mask)}
        return sorted(ut)

    for _ in range(v.size + 1):
        rojd = roja_celler(v, mask, radsummor=radsummor, kolumnsummor=kolumnsummor)
        if not rojd.any():
            break
        kandidater = kandidater_for(rojd)
        if not kandidater:
            break

        def poang(cell: tuple[int, int]) -> tuple:
            prov = mask.copy()
            prov[cell] = True
            kvar = roja_celler(v, prov, radsummor=radsummor, kolumnsummor=kolumnsummor)
            return (
                int(kvar.sum()),
                bool(v[cell] == 0),  # nollor skyddar dåligt (kan inte bli mindre)
                bool(ar_marginal[cell]),  # hellre en inre cell än en summa
                float(v[cell]),
                cell,
            )

        mask[min(kandidater, key=poang)] = True
    return mask


def _vilka_summor(
    form: tuple[int, int],
    har_summarad: bool,
    har_summakolumn: bool,
    summor: bool | Literal["rader", "kolumner"],
) -> tuple[bool, bool]:
    """Om tabellen ska ha radsummor och kolumnsummor (se ``summor`` i :func:`maskera_antal`)."""
    if summor is True:
        radsummor = form[1] - har_summakolumn > 1 or har_summakolumn
        kolumnsummor = form[0] - har_summarad > 1 or har_summarad
    elif summor == "rader":
        radsummor, kolumnsummor = True, har_summarad
    elif summor == "kolumner":
        radsummor, kolumnsummor = har_summakolumn, True
    elif summor is False:
        radsummor, kolumnsummor = har_summakolumn, har_summarad
    else:
        raise ValueError(f"summor måste vara True, False, 'rader' eller 'kolumner': {summor!r}")
    return bool(radsummor), bool(kolumnsummor)


def _med_summor(
    antal: pd.DataFrame, summor: bool | Literal["rader", "kolumner"]
) -> tuple[pd.DataFrame, bool, bool]:
    """Tabellen med summarad/summakolumn (befintliga kontrolleras, saknade läggs till)."""
    tabell = antal.apply(pd.to_numeric, errors="raise")
    har_summarad = len(tabell.index) > 0 and ar_summarad(tabell.index[-1])
    har_summakolumn = len(tabell.columns) > 0 and ar_summarad(tabell.columns[-1])
    radsummor, kolumnsummor = _vilka_summor(tabell.shape, har_summarad, har_summakolumn, summor)
    inre_rader = tabell.index[:-1] if har_summarad else tabell.index
    inre_kolumner = tabell.columns[:-1] if har_summakolumn else tabell.columns
    inre = tabell.loc[inre_rader, inre_kolumner]
    if radsummor:
        radsumma = inre.sum(axis=1)
        if har_summakolumn:
            given = tabell.loc[inre_rader, tabell.columns[-1]]
            if not np.allclose(given.to_numpy(float), radsumma.to_numpy(float)):
                raise ValueError(
                    f"Summakolumnen {tabell.columns[-1]!r} är inte radernas summa; granska "
                    "tabellen (finsam_analys.granskning.kontroller) innan den maskeras."
                )
        inre = inre.assign(**{str(tabell.columns[-1]) if har_summakolumn else TOTALT: radsumma})
    if kolumnsummor:
        kolumnsumma = inre.sum(axis=0)
        if har_summarad:
            given = tabell.loc[tabell.index[-1], inre.columns[: len(inre_kolumner)]]
            if not np.allclose(
                given.to_numpy(float), kolumnsumma.iloc[: len(inre_kolumner)].to_numpy(float)
            ):
                raise ValueError(
                    f"Summaraden {tabell.index[-1]!r} är inte kolumnernas summa; granska "
                    "tabellen (finsam_analys.granskning.kontroller) innan den maskeras."
                )
        namn = tabell.index[-1] if har_summarad else TOTALT
        inre = pd.concat([inre, kolumnsumma.to_frame(namn).T])
    return inre, bool(radsummor), bool(kolumnsummor)


def _visning(
    tabell: pd.DataFrame, mask: pd.DataFrame, *, symbol: str, noll_symbol: str | None
) -> pd.DataFrame:
    visning = tabell.astype(object).copy()
    for k in visning.columns:
        kol = visning[k].copy()
        if noll_symbol is not None:
            kol = kol.where(~((tabell[k] == 0) & ~mask[k]), noll_symbol)
        kol = kol.where(~mask[k], symbol)
        visning[k] = kol.astype(object)
    return visning


_TALTYPER = frozenset({np.dtype("int64"), np.dtype("float64")})
_ENKLA_INDEX = (pd.Index, pd.RangeIndex)


def _enkla_etiketter(index: pd.Index) -> bool:
    return type(index) in _ENKLA_INDEX and index.is_unique


def _enkel_tabell(antal: pd.DataFrame, summor: object) -> bool:
    """Sant när tabellen kan maskas direkt med numpy (samma resultat som pandas-vägen).

    Kolumnerna är ``int64``/``float64`` (blandat bara när kolumnsummor läggs till, då alla
    kolumner blir ``float64``), etiketterna är unika och varken MultiIndex eller specialindex.
    """
    if not antal.shape[0] or not antal.shape[1]:
        return False
    typer = set(antal.dtypes)
    if not typer <= _TALTYPER:
        return False
    if not (_enkla_etiketter(antal.index) and _enkla_etiketter(antal.columns)):
        return False
    har_summarad = ar_summarad(antal.index[-1])
    har_summakolumn = ar_summarad(antal.columns[-1])
    if antal.shape[0] == har_summarad or antal.shape[1] == har_summakolumn:
        return False  # inga inre celler (pandas summerar då till float)
    if len(typer) == 1:
        return True
    # Blandade typer. De inre kolumnernas typer avgör summornas typ (en given summakolumn
    # räknas om): heltal inne men flyttal i summakolumnen tas av pandas-vägen.
    inre = set(antal.dtypes.iloc[: antal.shape[1] - har_summakolumn])
    if len(inre) == 1:
        return next(iter(inre)).kind == "f"
    # Blandat inne: bara när en summarad läggs till (då blir alla kolumner float64).
    try:
        _, kolumnsummor = _vilka_summor(antal.shape, har_summarad, har_summakolumn, summor)
    except ValueError:
        return False
    return kolumnsummor


def _summa(varden: np.ndarray, axel: int) -> np.ndarray:
    """Summan som pandas räknar den (saknade värden räknas som 0)."""
    if varden.dtype.kind == "f":
        return np.nansum(varden, axis=axel)
    return varden.sum(axis=axel)


def _med_summor_numpy(
    antal: pd.DataFrame, summor: bool | Literal["rader", "kolumner"]
) -> tuple[np.ndarray, pd.Index, pd.Index, bool, bool]:
    """Som :func:`_med_summor` för en :func:`_enkel_tabell`: (värden, index, kolumner, ...)."""
    index, kolumner = antal.index, antal.columns
    har_summarad = ar_summarad(index[-1])
    har_summakolumn = ar_summarad(kolumner[-1])
    radsummor, kolumnsummor = _vilka_summor(antal.shape, har_summarad, har_summakolumn, summor)
    heltal = all(d.kind == "i" for d in antal.dtypes)  # annars float (se _enkel_tabell)
    varden = antal.to_numpy(dtype="int64" if heltal else "float64")
    rader = index[:-1] if har_summarad else index
    kolumner_ut = kolumner[:-1] if har_summakolumn else kolumner
    inre = varden[: len(rader), : len(kolumner_ut)]
    if radsummor:
        radsumma = _summa(inre, 1)
        if har_summakolumn:
            given = varden[: len(rader), -1]
            if not np.allclose(given.astype(float), radsumma.astype(float)):
                raise ValueError(
                    f"Summakolumnen {kolumner[-1]!r} är inte radernas summa; granska "
                    "tabellen (finsam_analys.granskning.kontroller) innan den maskeras."
                )
        namn = str(kolumner[-1]) if har_summakolumn else TOTALT
        inre = np.column_stack([inre, radsumma])
        kolumner_ut = kolumner_ut.insert(len(kolumner_ut), namn)
    if kolumnsummor:
        kolumnsumma = _summa(inre, 0)
        if har_summarad:
            antal_inre = len(kolumner) - har_summakolumn
            given = varden[-1, :antal_inre]
            if not np.allclose(given.astype(float), kolumnsumma[:antal_inre].astype(float)):
                raise ValueError(
                    f"Summaraden {index[-1]!r} är inte kolumnernas summa; granska "
                    "tabellen (finsam_analys.granskning.kontroller) innan den maskeras."
                )
        namn = index[-1] if har_summarad else TOTALT
        inre = np.vstack([inre, kolumnsumma])
        rader = rader.append(pd.Index([namn]))
    return inre, rader, kolumner_ut, radsummor, kolumnsummor


def _primar_numpy(varden: np.ndarray, troskel: int, maskera_nollor: bool) -> np.ndarray:
    """Som :func:`primar_mask` för en float-array."""
    if troskel < 0:
        raise ValueError(f"troskel får inte vara negativ (fick {troskel}).")
    with np.errstate(invalid="ignore"):
        sma = (varden < troskel) & ~np.isnan(varden)
        if not maskera_nollor:
            sma &= varden != 0
    return sma


def _maskera_antal_numpy(
    antal: pd.DataFrame,
    *,
    troskel: int,
    summor: bool | Literal["rader", "kolumner"],
    maskera_nollor: bool,
    symbol: str,
    noll_symbol: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`maskera_antal` för en :func:`_enkel_tabell`, utan små pandas-operationer."""
    tabell, index, kolumner, radsummor, kolumnsummor = _med_summor_numpy(antal, summor)
    v = tabell.astype("float64")
    if (v < 0).any():
        raise ValueError(
            "Tabellen innehåller negativa antal; antal kan inte maskeras meningsfullt."
        )
    primar = _primar_numpy(v, troskel, maskera_nollor)
    mask = _sekundar(v, primar, radsummor=radsummor, kolumnsummor=kolumnsummor)
    visning = tabell.astype(object)
    if noll_symbol is not None:
        visning[(tabell == 0) & ~mask] = noll_symbol
    visning[mask] = symbol
    return (
        pd.DataFrame(visning, index=index, columns=kolumner, dtype=object),
        pd.DataFrame(mask, index=index, columns=kolumner),
    )


def maskera_antal(
    antal: pd.DataFrame | pd.Series,
    *,
    troskel: int = 5,
    summor: bool | Literal["rader", "kolumner"] = True,
    maskera_nollor: bool = False,
    symbol: str = MASKAD,
    noll_symbol: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Maskera små antal i en tabell, primärt och sekundärt.

    Parameters
    ----------
    antal : DataFrame eller Series
        Antal (inre celler). En sista rad/kolumn vars etikett är en summa (``"Totalt"``,
        ``"Summa"`` …; :func:`~finsam_analys.indata.kodlistor.ar_summarad`) tolkas som summor;
        de kontrolleras och visas. En Series blir en kolumn.
    troskel : int
        Antal under tröskeln maskas (standard 5).
    summor : bool, "rader" eller "kolumner"
        Vilka summor som visas (och läggs till om de saknas): ``True`` radsummor och
        kolumnsummor (en tabell med bara en kolumn får bara kolumnsumma, och tvärtom);
        ``"rader"`` bara en summakolumn; ``"kolumner"`` bara en summarad; ``False`` inga
        andra summor än de som redan finns i tabellen.
    maskera_nollor : bool
        Räkna 0 som ett litet antal (standard: nej, se modulens dokumentation).
    symbol : str
        Vad som visas i maskade celler (standard ``".."``).
    noll_symbol : str, valfri
        Visa nollor som t.ex. ``"–"``.

    Returns
    -------
    (visning, mask) : tuple av DataFrame
        ``visning`` har summorna med, tal där värdet visas och ``symbol`` där det maskas
        (``object``-kolumner). ``mask`` är ``True`` för maskade celler (primära och sekundära).

    Raises
    ------
    ValueError
        Om befintliga summor inte stämmer med cellerna, eller om tabellen har negativa antal.

    Examples
    --------
    SOT Västerås 2019, avslut per insats: en 2:a och en 0:a bland arbete/studier.

    >>> t = pd.DataFrame({"MAC": [5, 2, 19], "Upplevelse": [0, 2, 11], "Trädgård": [2, 1, 13]},
    ...                  index=["Arbete", "Studier", "Rehab"])
    >>> visning, mask = maskera_antal(t)
    >>> visning.loc["Totalt"].tolist()
    [26, 13, 16, 55]
    >>> int(mask.to_numpy().sum()) >= 4, (visning == "..").to_numpy().sum() == mask.to_numpy().sum()
    (True, np.True_)
    """
    if isinstance(antal, pd.Series):
        antal = antal.to_frame(antal.name if antal.name is not None else "antal")
    if _enkel_tabell(antal, summor):
        return _maskera_antal_numpy(
            antal,
            troskel=troskel,
            summor=summor,
            maskera_nollor=maskera_nollor,
            symbol=symbol,
            noll_symbol=noll_symbol,
        )
    tabell, radsummor, kolumnsummor = _med_summor(antal, summor)
    if (tabell.to_numpy(float) < 0).any():
        raise ValueError(
            "Tabellen innehåller negativa antal; antal kan inte maskeras meningsfullt."
        )
    primar = primar_mask(tabell, troskel=troskel, maskera_nollor=maskera_nollor).to_numpy()
    mask_np = _sekundar(
        tabell.to_numpy(float), primar, radsummor=radsummor, kolumnsummor=kolumnsummor
    )
    mask = pd.DataFrame(mask_np, index=tabell.index, columns=tabell.columns)
    return _visning(tabell, mask, symbol=symbol, noll_symbol=noll_symbol), mask


def maskera_andelar(
    andelar: pd.DataFrame | pd.Series,
    namnare: pd.DataFrame | pd.Series | float,
    *,
    namnare_troskel: int = 10,
    symbol: str = MASKAD,
) -> tuple[pd.DataFrame | pd.Series, pd.DataFrame | pd.Series]:
    """Maskera andelar vars nämnare är under ``namnare_troskel`` (standard 10).

    Parameters
    ----------
    andelar : DataFrame eller Series
        Andelar (bråk 0–1) eller formaterade procent; värdena ändras inte där de visas.
    namnare : samma form som ``andelar``, en Series per kolumn eller ett tal
        Nämnaren för varje andel. En Series mot en DataFrame justeras mot kolumnerna (en nämnare
        per kolumn, t.ex. kolumnsummor i en korstabell med kolumnandelar).

    Returns
    -------
    (visning, mask)

    Examples
    --------
    Hälsoenkäten: 11 av 14 och 15 av 18 förbättrade; en delperiod med 6 svar maskas.

    >>> a = pd.Series([11 / 14, 15 / 18, 4 / 6], index=["jan–maj", "juni–nov", "dec"])
    >>> visning, mask = maskera_andelar(a, pd.Series([14, 18, 6], index=a.index))
    >>> visning.tolist()
    [0.7857142857142857, 0.8333333333333334, '..']
    """
    if isinstance(andelar, pd.Series):
        n = namnare if np.isscalar(namnare) else pd.Series(namnare).reindex(andelar.index)
        mask = pd.Series(pd.to_numeric(n, errors="coerce") < namnare_troskel, index=andelar.index)
        mask = mask.fillna(False).astype(bool)
        visning = andelar.astype(object).where(~mask, symbol)
        return visning, mask
    if np.isscalar(namnare):
        n = pd.DataFrame(namnare, index=andelar.index, columns=andelar.columns)
    elif isinstance(namnare, pd.Series):
        n = pd.DataFrame({k: namnare.get(k, np.nan) for k in andelar.columns}, index=andelar.index)
    else:
        n = namnare.reindex(index=andelar.index, columns=andelar.columns)
    mask = (n.apply(pd.to_numeric, errors="coerce") < namnare_troskel).fillna(False).astype(bool)
    visning = andelar.astype(object).copy()
    for k in visning.columns:
        visning[k] = visning[k].where(~mask[k], symbol).astype(object)
    return visning, mask


def maskera_andelsram(
    ram: pd.DataFrame,
    *,
    troskel: int = 5,
    namnare_troskel: int = 10,
    maskera_nollor: bool = False,
    symbol: str = MASKAD,
    antal: str = "antal",
    namnare: str = "namnare",
    andel: str = "andel",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Maskera en ram med antal, nämnare och andel (som från :func:`finsam_analys.matt.andelar`).

    * ``antal`` under ``troskel`` maskas; är antalen delar av en helhet (samma nämnare på alla
      rader och antalen summerar till den) maskas även de minsta kompletterande antalen så att
      ett maskat antal inte kan räknas fram som nämnaren minus de övriga.
    * ``andel`` maskas där antalet är maskat (andel × nämnare ger annars antalet) och där
      nämnaren är under ``namnare_troskel``.
    * ``namnare`` under ``troskel`` maskas.

    Returns
    -------
    (visning, mask) : DataFrame med samma kolumner som ``ram``.

    Examples
    --------
    Avesta: 5 i arbete, 2 till annan rehabilitering, 7 till annat, av 14 avslutade.

    >>> r = pd.DataFrame({"antal": [5, 2, 7], "namnare": [14, 14, 14]},
    ...                  index=["Arbete", "Rehab", "Annat"]).assign(andel=lambda d: d.antal / 14)
    >>> visning, mask = maskera_andelsram(r)
    >>> visning["antal"].tolist()
    ['..', '..', 7]
    >>> mask["andel"].tolist()
    [True, True, False]
    """
    for k in (antal, namnare, andel):
        if k not in ram.columns:
            raise KeyError(f"Kolumnen {k!r} saknas; ramen har {list(ram.columns)}.")
    a = pd.to_numeric(ram[antal], errors="coerce")
    n = pd.to_numeric(ram[namnare], errors="coerce")
    if (
        a.dtype in _TALTYPER
        and n.dtype in _TALTYPER
        and len({antal, namnare, andel}) == 3
        and not ar_summarad(antal)
        and _enkla_etiketter(ram.columns)
        and _enkla_etiketter(ram.index)
        and _enkla_etiketter(ram.index.append(pd.Index([TOTALT])))
    ):
        return _maskera_andelsram_numpy(
            ram,
            a.to_numpy(),
            n.to_numpy(),
            troskel=troskel,
            namnare_troskel=namnare_troskel,
            maskera_nollor=maskera_nollor,
            symbol=symbol,
            kolumner=(antal, namnare, andel),
        )
    delar_av_helhet = (
        len(ram) > 1 and n.nunique(dropna=False) == 1 and np.isclose(a.sum(), n.iloc[0])
    )
    if delar_av_helhet:
        kolumn = pd.DataFrame({antal: a.to_numpy()}, index=ram.index)
        kolumn = pd.concat([kolumn, pd.DataFrame({antal: [n.iloc[0]]}, index=[TOTALT])])
        _, m = maskera_antal(
            kolumn, troskel=troskel, summor="kolumner", maskera_nollor=maskera_nollor
        )
        antal_mask = m[antal].iloc[:-1].set_axis(ram.index)
        namnare_mask = pd.Series(bool(m[antal].iloc[-1]), index=ram.index)
    else:
        antal_mask = primar_mask(a, troskel=troskel, maskera_nollor=maskera_nollor)
        namnare_mask = primar_mask(n, troskel=troskel, maskera_nollor=maskera_nollor)
    andel_mask = antal_mask | (n < namnare_troskel).fillna(False) | namnare_mask
    mask = pd.DataFrame(False, index=ram.index, columns=ram.columns)
    mask[antal] = antal_mask.astype(bool)
    mask[namnare] = namnare_mask.astype(bool)
    mask[andel] = andel_mask.astype(bool)
    visning = ram.astype(object).copy()
    for k in (antal, namnare, andel):
        visning[k] = visning[k].where(~mask[k], symbol).astype(object)
    return visning, mask


def _en_enda(varden: np.ndarray) -> bool:
    """Som ``Series.nunique(dropna=False) == 1`` för en icke-tom array."""
    if varden.dtype.kind == "f":
        saknas = np.isnan(varden)
        if saknas.all():
            return True
        if saknas.any():
            return False
    return bool((varden == varden[0]).all())


def _maskera_andelsram_numpy(
    ram: pd.DataFrame,
    a: np.ndarray,
    n: np.ndarray,
    *,
    troskel: int,
    namnare_troskel: int,
    maskera_nollor: bool,
    symbol: str,
    kolumner: tuple[str, str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`maskera_andelsram` med numpy när antal och nämnare är int64/float64.

    Samma steg som pandas-vägen: är antalen delar av en helhet maskas kolumnen med nämnaren
    som summarad (:func:`_sekundar`, bara kolumnsumma), annars bara primärt.
    """
    antal_ut = _summa(a, 0)
    delar_av_helhet = len(ram) > 1 and _en_enda(n) and np.isclose(antal_ut, n[0])
    af = a.astype("float64")
    nf = n.astype("float64")
    if delar_av_helhet:
        if not np.allclose(np.array([n[0]], dtype=float), np.array([antal_ut], dtype=float)):
            raise ValueError(
                "Summaraden 'Totalt' är inte kolumnernas summa; granska "
                "tabellen (finsam_analys.granskning.kontroller) innan den maskeras."
            )
        v = np.append(af, float(antal_ut)).reshape(-1, 1)
        if (v < 0).any():
            raise ValueError(
                "Tabellen innehåller negativa antal; antal kan inte maskeras meningsfullt."
            )
        m = _sekundar(
            v, _primar_numpy(v, troskel, maskera_nollor), radsummor=False, kolumnsummor=True
        )
        antal_mask = m[:-1, 0]
        namnare_mask = np.full(len(ram), bool(m[-1, 0]))
    else:
        antal_mask = _primar_numpy(af, troskel, maskera_nollor)
        namnare_mask = _primar_numpy(nf, troskel, maskera_nollor)
    with np.errstate(invalid="ignore"):
        andel_mask = antal_mask | (nf < namnare_troskel) | namnare_mask
    mask = np.zeros(ram.shape, dtype=bool)
    visning = ram.astype(object).to_numpy(copy=True)
    for k, km in zip(kolumner, (antal_mask, namnare_mask, andel_mask), strict=True):
        j = ram.columns.get_loc(k)
        mask[:, j] = km
        visning[km, j] = symbol
    return (
        pd.DataFrame(visning, index=ram.index, columns=ram.columns, dtype=object),
        pd.DataFrame(mask, index=ram.index, columns=ram.columns),
    )
