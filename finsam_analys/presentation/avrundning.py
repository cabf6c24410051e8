"""Avrundningens kontrollpunkt: en gång per rapport, efter sekretessen och före all visning.

Varje :class:`~finsam_analys.tabell.Tabell` får ``visning``: talen avrundade till kolumnens
precision (andelar i procent, t.ex. 0,13 för "13 %") eller ``".."`` där tabellen är maskad.
HTML, Word, Excel och figurernas etiketter visar bara ``visning``; ``nyckeltal.json`` behåller
de exakta värdena.

* **Delar av en helhet** (kolumner med ``delar_av_helhet``) avrundas med största resten
  (:func:`finsam_analys.matt.avrundning.avrunda_delar`): andelarna summerar till exakt 100 %
  och antalen (t.ex. HÅE med decimaler) till summaraden. När delar är maskade avrundas de
  visade delarna så att de summerar till sin egen avrundade summa.
* **Övriga tal** avrundas var för sig, halva uppåt (inte bankers avrundning).

Meningarnas tal avrundas på samma sätt när de visas: en :class:`~finsam_analys.tabell.Cell`
visar tabellens avrundade värde, en :class:`~finsam_analys.tabell.Varde` avrundas för sig.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.matt.avrundning import avrunda_delar, avrunda_halvt_upp
from finsam_analys.tabell import MASKAD, Kolumn, Sektion, Tabell, Varde

__all__ = ["avrunda", "avrunda_tabell", "avrundat_varde"]

_PROCENTMATT = ("andel", "andel_av", "procentenheter", "forandring")


def _skala(kolumn: Kolumn) -> float:
    """Faktorn mellan lagrat värde och visad enhet (andelar visas i procent)."""
    return 100.0 if kolumn.matt in _PROCENTMATT else 1.0


def avrundat_varde(varde: Any, matt: str, decimaler: int) -> Any:
    """Ett enskilt tal avrundat halva uppåt till ``decimaler`` (andelar: i procent).

    Examples
    --------
    >>> avrundat_varde(7 / 55, "andel", 0), avrundat_varde(2.25, "poang", 1)
    (0.13, 2.3)
    >>> avrundat_varde("..", "antal", 0), avrundat_varde(13451, "antal", 0)
    ('..', 13451)
    """
    if isinstance(varde, str) or varde is None or isinstance(varde, bool):
        return varde
    try:
        x = float(varde)
    except (TypeError, ValueError):
        return varde
    if np.isnan(x):
        return np.nan
    if matt == "tryckt":  # som tryckt: bara avrundat till högst ``decimaler``
        return round(x, decimaler)
    skala = 100.0 if matt in _PROCENTMATT else 1.0
    avrundat = float(avrunda_halvt_upp(x * skala, decimaler)) / skala
    if skala == 1.0 and decimaler == 0:
        return int(avrundat)
    return round(avrundat, decimaler + 4)


def _kolumnens_varden(data: pd.Series) -> np.ndarray:
    """Kolumnens tal som float64 (annat än tal: NaN).

    En kolumn som redan är numpy-tal (heltal eller flyttal) blir float64 direkt; samma värden
    som omvägen över objekt och ``pd.to_numeric``, som övriga kolumner tar.
    """
    if isinstance(data.dtype, np.dtype) and data.dtype.kind in "iuf":
        return data.to_numpy(dtype="float64")
    return pd.to_numeric(data.astype(object), errors="coerce").to_numpy(dtype="float64")


def _helhet(
    varden: np.ndarray,
    maskad: np.ndarray,
    grupp: list[int],
    summarad: int | None,
    kolumn: Kolumn,
) -> dict[int, float]:
    """Avrunda en helhets delar (radnummer ``grupp``) med största resten."""
    skala = _skala(kolumn)
    delar = np.array([np.nan if maskad[i] else varden[i] * skala for i in grupp])
    if np.isnan(delar).all():
        return {}
    summa = None
    alla_synliga = not maskad[grupp].any() and not np.isnan(varden[grupp]).any()
    if alla_synliga and summarad is not None and not np.isnan(varden[summarad]):
        summa = float(avrunda_halvt_upp(varden[summarad] * skala, kolumn.precision))
    if (delar < 0).any():  # negativa delar (nettobelopp): ingen största rest
        avrundade = avrunda_halvt_upp(delar, kolumn.precision)
    else:
        avrundade = avrunda_delar(delar, kolumn.precision, summa=summa)
    return {i: float(v) / skala for i, v in zip(grupp, avrundade, strict=True) if not np.isnan(v)}


def avrunda_tabell(tabell: Tabell) -> Tabell:
    """Tabellen med ``visning`` ifylld (se modulens dokumentation).

    Examples
    --------
    >>> from finsam_analys.tabell import Storhet
    >>> t = Tabell.fordelning(pd.Series({"A": 1, "B": 1, "C": 1}), namn="t", titel="T",
    ...                       bas=Storhet.av("x"), dimension="d", kategorirubrik="Kategori")
    >>> avrunda_tabell(t).visning["Andel"].tolist()
    [0.34, 0.33, 0.33, 1.0]
    """
    data = tabell.data
    mask = (
        tabell.mask.to_numpy(dtype=bool)
        if tabell.mask is not None
        else np.zeros(data.shape, dtype=bool)
    )
    summarader = set(tabell.summarader)
    inre = [i for i in range(len(data)) if i not in summarader]
    summarad = min(summarader) if len(summarader) == 1 else None
    # cellerna i en numpy-array av objekt och en DataFrame på slutet (inte en tilldelning och
    # en Series per kolumn); samma celler som ``data.astype(object)`` där inget ändras
    celler = np.empty(data.shape, dtype=object)
    # kolumnnamnen är unika (Tabell), så items() ger kolumnerna i tur och ordning
    for j, (kolumn, (_, serie)) in enumerate(zip(tabell.kolumner, data.items(), strict=True)):
        kolumnmask = mask[:, j].tolist()
        if not kolumn.ar_tal:  # text och bedömningar: bara maskningen
            varden = serie.astype(object).tolist()
            if any(kolumnmask):
                varden = [MASKAD if m else v for v, m in zip(varden, kolumnmask, strict=True)]
            celler[:, j] = np.fromiter(varden, dtype=object, count=len(varden))
            continue
        varden = _kolumnens_varden(serie)
        avrundat: dict[int, float] = {}
        if kolumn.delar_av_helhet and tabell.helhet == "kolumn" and len(inre) > 1:
            avrundat = _helhet(varden, mask[:, j], inre, summarad, kolumn)
        heltal = _skala(kolumn) == 1 and kolumn.precision == 0
        ny = []
        for i, v in enumerate(serie.tolist()):
            if kolumnmask[i]:
                ny.append(MASKAD)
            elif i in avrundat:
                x = avrundat[i]
                ny.append(int(x) if heltal else x)
            else:
                ny.append(avrundat_varde(v, kolumn.matt, kolumn.precision))
        celler[:, j] = np.fromiter(ny, dtype=object, count=len(ny))
    visning = pd.DataFrame(celler, index=data.index, columns=data.columns, dtype=object)
    if tabell.helhet == "rad":
        _radhelheter(tabell, mask, visning)
    return tabell.med(visning=visning)


def _radhelheter(tabell: Tabell, mask: np.ndarray, visning: pd.DataFrame) -> None:
    """Varje rads kolumner med ``delar_av_helhet`` är en helhet (``helhet="rad"``)."""
    jj = [j for j, k in enumerate(tabell.kolumner) if k.delar_av_helhet and k.ar_tal]
    if len(jj) < 2:
        return
    for i in range(len(tabell.data)):
        varden = np.array([_kolumnens_varden(tabell.data.iloc[[i], j])[0] for j in jj])
        avrundade = _helhet(varden, mask[i, jj], list(range(len(jj))), None, tabell.kolumner[jj[0]])
        for pos, j in enumerate(jj):
            if pos in avrundade and not mask[i, j]:
                visning.iat[i, j] = avrundade[pos]


def avrunda(rapport: Mapping[str, Sektion]) -> dict[str, Sektion]:
    """Kontrollpunkten: varje tabell i rapporten får ``visning``; meningarnas tal avrundas.

    Anropas en gång, efter :func:`finsam_analys.sekretess.kontrollpunkt.skydda`.
    """
    ut: dict[str, Sektion] = {}
    for namn, sektion in rapport.items():
        if not sektion.innehall:
            ut[namn] = sektion
            continue
        block = tuple(avrunda_tabell(b) if isinstance(b, Tabell) else b for b in sektion.innehall)
        ut[namn] = sektion.med(innehall=block)
    return ut


def visat_varde(varde: Varde) -> Any:
    """Värdet som det visas i löptext: avrundat, eller ``".."``."""
    return avrundat_varde(varde.varde, varde.matt, varde.precision)
