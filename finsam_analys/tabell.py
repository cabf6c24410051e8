"""Rapportens tabellmodell: det som varje lager kan använda utan att importera uppåt.

``Sektion`` (ett rapportavsnitt som data) och ``Figur`` (en figur som data) ligger här, längst
ner i dataflödet, så att sekretess, granskning och presentation kan använda dem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

__all__ = [
    "EJ_UPPFYLLT",
    "FORMATTYPER",
    "KAN_EJ_BEDOMAS",
    "MASKAD",
    "UPPFYLLT",
    "Figur",
    "Sektion",
]

MASKAD = ".."
"""SCB:s symbol för uppgift som inte redovisas (här: maskad av sekretesskäl)."""

FORMATTYPER = (
    "text",
    "antal",
    "tal1",
    "tal2",
    "procent",
    "procent1",
    "procentenheter",
    "forandring",
    "belopp",
    "manader",
    "ar",
    "uppfyllt",
    "lang_text",
)
"""Formattyper för tabellkolumner (se :mod:`finsam_analys.presentation.tabellvisning`)."""

UPPFYLLT = "Uppfyllt"
EJ_UPPFYLLT = "Ej uppfyllt"
KAN_EJ_BEDOMAS = "Kan inte bedömas"


@dataclass(frozen=True)
class Figur:
    """En figur som data: ritas av :func:`finsam_analys.presentation.figurer.rita`.

    ``typ`` är ``"staplar"`` (liggande staplar, en per kategori), ``"grupperade_staplar"``
    (kategori × grupp), ``"linjer"`` (x = år/period, en linje per grupp) eller
    ``"fore_efter"`` (två värden per kategori). ``data`` är en lång tabell med kolumnerna
    ``x``, ``y`` och valfritt ``grupp``; maskade värden är NaN och ritas inte. ``enhet`` är
    ``"andel"`` (bråk, visas i procent), ``"antal"`` eller ``"belopp"``. ``mal`` är
    referenslinjer: etikett -> värde (samma enhet). ``alt`` är alt-texten i HTML. ``tabell``
    är namnet på sektionens tabell som figuren hör till (figuren visas då just före den).
    """

    typ: str
    data: pd.DataFrame
    titel: str
    enhet: str = "andel"
    xetikett: str = ""
    yetikett: str = ""
    mal: Mapping[str, float] = field(default_factory=dict)
    alt: str = ""
    not_: str = ""
    decimaler: int = 0
    tabell: str = ""


@dataclass(frozen=True)
class Sektion:
    """En rapportsektion (se modulens dokumentation)."""

    namn: str
    rubrik: str
    text: str = ""
    tabeller: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    format: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    figurer: Sequence[Figur] = ()
    nyckeltal: Mapping[str, Any] = field(default_factory=dict)
    saknas: str | None = None
    fotnot: str = ""

    @property
    def visas(self) -> bool:
        """Sant om sektionen har något att visa (annars visas bara ``saknas``)."""
        return self.saknas is None

    def med(self, **andringar: Any) -> Sektion:
        """En kopia med ändrade fält."""
        return replace(self, **andringar)
