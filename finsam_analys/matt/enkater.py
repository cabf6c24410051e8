"""Deltagarenkäten (NNS-indikatorerna): andel som svarar i de översta stegen, med n.

Indata är tabellen ``enkat``: ``fraga``, ``steg``, ``antal`` och valfritt ``period``,
``insats``, ``tillfalle`` (t.ex. vecka 8 och avslut). Vilka steg som räknas som höga anger
användaren (t.ex. 5 och 6 på en sexgradig skala). Steget ``"Totalt"`` (publicerad summa)
används aldrig; svar som inte ska ingå i nämnaren (t.ex. "Vet ej") anges i ``exkludera_steg``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT

__all__ = ["andel_hoga_steg", "forandring_mellan_tillfallen"]


def _text(varden: Iterable) -> set[str]:
    return {str(v).strip() for v in varden}


def andel_hoga_steg(
    enkat: pd.DataFrame,
    *,
    hoga_steg: Iterable,
    exkludera_steg: Iterable = (),
) -> pd.DataFrame:
    """Andel per fråga som svarar i något av de höga stegen, med antal svarande (n).

    Parameters
    ----------
    enkat : DataFrame
        Kolumnerna ``fraga``, ``steg``, ``antal`` (valfritt ``period``, ``insats``,
        ``tillfalle``, som hålls isär).
    hoga_steg : sekvens
        Stegen som räknas som höga, t.ex. ``[5, 6]`` eller ``["Instämmer helt"]`` (jämförs som
        text, så ``5`` och ``"5"`` är samma steg).
    exkludera_steg : sekvens, valfri
        Steg som inte ska ingå i n, t.ex. ``["Vet ej"]``.

    Returns
    -------
    DataFrame
        Grupperingskolumnerna, ``fraga``, ``antal_hoga``, ``n`` och ``andel`` (bråk),
        frågorna i den ordning de först förekommer.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "fraga": ["Nytta"] * 4 + ["Tid"] * 4,
    ...     "steg": [3, 4, 5, 6] * 2,
    ...     "antal": [1, 2, 3, 4, 0, 5, 5, 0],
    ... })
    >>> andel_hoga_steg(t, hoga_steg=[5, 6])
       fraga  antal_hoga   n  andel
    0  Nytta           7  10    0.7
    1    Tid           5  10    0.5
    """
    saknas = [k for k in ("fraga", "steg", "antal") if k not in enkat.columns]
    if saknas:
        raise ValueError(f"Enkättabellen saknar kolumnerna {saknas}; finns: {list(enkat.columns)}.")
    hoga = _text(hoga_steg)
    if not hoga:
        raise ValueError("Ange minst ett steg i 'hoga_steg'.")
    bort = _text(exkludera_steg) | {TOTALT}
    if hoga & bort:
        raise ValueError(f"Stegen {sorted(hoga & bort)} kan inte både vara höga och exkluderas.")
    steg = enkat["steg"].astype("str").str.strip()
    kanda = set(steg)
    okanda = sorted(hoga - kanda)
    if okanda:
        raise ValueError(
            f"De höga stegen {okanda} finns inte i enkäten; stegen är {sorted(kanda)}."
        )
    antal = pd.to_numeric(enkat["antal"])
    if (antal < 0).any():
        raise ValueError("Antal svar får inte vara negativa.")
    nycklar = [k for k in ("period", "insats", "tillfalle") if k in enkat.columns] + ["fraga"]
    data = enkat[nycklar].assign(
        _hoga=antal.where(steg.isin(hoga), 0),
        _n=antal.where(~steg.isin(bort), 0),
    )
    ut = data.groupby(nycklar, sort=False, dropna=False)[["_hoga", "_n"]].sum().reset_index()
    ut = ut.rename(columns={"_hoga": "antal_hoga", "_n": "n"})
    with np.errstate(divide="ignore", invalid="ignore"):
        ut["andel"] = np.where(ut["n"] > 0, ut["antal_hoga"] / ut["n"], np.nan)
    return ut


def forandring_mellan_tillfallen(
    resultat: pd.DataFrame,
    *,
    fran: str,
    till: str,
) -> pd.DataFrame:
    """Förändring av andelen höga svar mellan två mättillfällen, i procentenheter (bråk).

    Parameters
    ----------
    resultat : DataFrame
        Utdata från :func:`andel_hoga_steg` med kolumnen ``tillfalle``.
    fran, till : str
        Tillfällena, t.ex. ``"Vecka 8"`` och ``"Avslut"``.

    Returns
    -------
    DataFrame
        ``fraga`` (och övriga grupperingskolumner), ``andel_fran``, ``n_fran``,
        ``andel_till``, ``n_till`` och ``skillnad`` (andel_till - andel_fran i procentenheter,
        :func:`finsam_analys.matt.halsa.procentenheter`; 0,04 = +4 procentenheter).

    Examples
    --------
    >>> r = pd.DataFrame({"tillfalle": ["Vecka 8", "Avslut"], "fraga": ["Redo"] * 2,
    ...                   "antal_hoga": [4, 9], "n": [10, 12], "andel": [0.4, 0.75]})
    >>> forandring_mellan_tillfallen(r, fran="Vecka 8", till="Avslut")["skillnad"].round(2).item()
    0.35
    """
    saknas = [k for k in ("tillfalle", "fraga", "andel", "n") if k not in resultat.columns]
    if saknas:
        raise ValueError(f"Resultatet saknar kolumnerna {saknas}.")
    nycklar = [k for k in ("period", "insats") if k in resultat.columns] + ["fraga"]
    delar = []
    for namn, tillfalle in (("fran", fran), ("till", till)):
        urval = resultat[resultat["tillfalle"] == tillfalle]
        if urval.empty:
            raise ValueError(f"Inga resultat för tillfället {tillfalle!r}.")
        delar.append(
            urval.set_index(nycklar)[["andel", "n"]].rename(
                columns={"andel": f"andel_{namn}", "n": f"n_{namn}"}
            )
        )
    from finsam_analys.matt.halsa import procentenheter

    ut = delar[0].join(delar[1], how="outer", sort=False).reset_index()
    ut["skillnad"] = procentenheter(ut["andel_fran"], ut["andel_till"])
    return ut
