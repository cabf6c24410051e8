"""Visning av en sammanställd rapport i notebooken: titel, godkännande och delarna i ordning.

En :class:`~finsam_analys.tabell.Rapport` (se :func:`finsam_analys.rapport.sammanstall_rapport`)
visas med :func:`visa_titel` och en :func:`visa_del` per del (eller :func:`visa_rapport` för
allt). Rubrikerna är riktiga rubriker (``<h1>``–``<h3>``), förbundets löptext visas som säker
HTML (:func:`finsam_analys.presentation.saker_text.markdown_som_html`: ingen rå HTML, inga
bilder, inga länkar) och avsnitten med :func:`finsam_analys.presentation.tabellvisning.visa`.
All text från förbundet escapas.

Examples
--------
>>> from finsam_analys.tabell import Rapport, Rapportdel
>>> r = Rapport("SOT – Årsrapport 2019", "2019", godkannande="Godkänd av förbundsstyrelsen "
...             "2020-02-15", delar=(Rapportdel("a", "Viktiga <händelser>", 2, "- En"),))
>>> print(titel_html(r))
<h1 class="finsam-titel">SOT – Årsrapport 2019</h1>
<p class="finsam-godkannande">Godkänd av förbundsstyrelsen 2020-02-15</p>
>>> print(del_html(r.delar[0]))
<h2>Viktiga &lt;händelser&gt;</h2>
<ul>
<li>En</li>
</ul>
<BLANKLINE>
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["del_html", "titel_html", "visa_del", "visa_rapport", "visa_titel"]


def titel_html(rapport: Any) -> str:
    """Rapportens titel som ``<h1>`` och godkännanderaden (om den finns) under."""
    ut = f'<h1 class="finsam-titel">{html.escape(rapport.titel)}</h1>'
    if getattr(rapport, "godkannande", ""):
        ut += f'\n<p class="finsam-godkannande">{html.escape(rapport.godkannande)}</p>'
    return ut


def del_html(del_: Any) -> str:
    """Delens rubrik och löptext som HTML (sektionen visas för sig, se :func:`visa_del`)."""
    from finsam_analys.presentation.lopttext import forbered_markdown
    from finsam_analys.presentation.saker_text import markdown_som_html

    delar = []
    if del_.rubrik:
        niva = min(max(int(del_.niva), 2), 6)
        delar.append(f"<h{niva}>{html.escape(del_.rubrik)}</h{niva}>")
    if del_.text.strip():
        delar.append(markdown_som_html(forbered_markdown(del_.text, niva=del_.niva)))
    return "\n".join(delar)


def visa_titel(rapport: Any) -> None:
    """Visa rapportens titel och godkännanderad."""
    from IPython.display import HTML, display

    display(HTML(titel_html(rapport)))


def visa_del(del_: Any) -> None:
    """Visa en del: rubrik, löptext och sektionens tabeller, figurer och text."""
    from IPython.display import HTML, display

    from finsam_analys.presentation.tabellvisning import visa

    text = del_html(del_)
    if text:
        display(HTML(text))
    if del_.sektion is not None and del_.sektion.saknas is None:
        visa(del_.sektion)


def visa_rapport(rapport: Any) -> None:
    """Visa hela rapporten: titel, godkännande och varje del i ordning."""
    visa_titel(rapport)
    for del_ in rapport.delar:
        visa_del(del_)
