"""Visning av rapportsektioner: stylade tabeller (pandas Styler) och figurer i notebooken.

:func:`stila` formaterar en tabell med råa tal efter sektionens ``format`` (kolumn ->
formattyp) med svenska tal (:mod:`finsam_analys.presentation.formatering`): procent med hårt
mellanslag,
procentenheter med tecken, belopp med tusentalsavgränsare. Maskade celler (``".."``) visas som
``..``; saknade värden som ``–``. Kolumner med formattypen ``uppfyllt`` får en tydlig markering:
✔ Uppfyllt (grön) och ✘ Ej uppfyllt (röd).

:func:`visa` visar en hel :class:`~finsam_analys.rapport.gemensamt.Sektion` via
``IPython.display``: texten som säker HTML (Markdown utan rå HTML, bilder och länkar, se
:mod:`finsam_analys.presentation.saker_text`), varje tabell med rubrik, varje figur som SVG
(:func:`finsam_analys.presentation.figurer.som_svg`, text som text) med alt-text (som HTML-exporten
läser ur
utdatans metadata). En sektion utan data visas som en rad
som säger vad som saknas.
"""

from __future__ import annotations

import functools
import html
import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import ar_summarad
from finsam_analys.presentation.utskrift import utskriftsklass
from finsam_analys.tabell import (
    EJ_UPPFYLLT,
    MASKAD,
    UPPFYLLT,
    Cell,
    Diagram,
    Kolumn,
    Mening,
    Stycke,
    Tabell,
    Varde,
    ar_maskad,
)

__all__ = [
    "formatera_cell",
    "formatera_tabellcell",
    "meningstext",
    "stila",
    "stila_tabell",
    "tabell_html",
    "visa",
    "visningstext",
]

_SAKNAS_TEXT = "–"
_GRON, _ROD, _GRA = "#e3f1e0", "#f8dedd", "#eeeeee"
_TABELL_CSS = [
    {"selector": "", "props": "border-collapse: collapse; margin: 0.3em 0 1.2em; "
     "font-size: 0.92em;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: 600; "
     "font-size: 1.02em; padding: 0 0 0.35em; color: #1a1a1a;"},
    {"selector": "th", "props": "background: #f1f3f5; text-align: left; padding: 4px 8px; "
     "border-bottom: 2px solid #888; font-weight: 600;"},
    {"selector": "td", "props": "padding: 3px 8px; border-bottom: 1px solid #ddd;"},
    {"selector": "tbody tr:nth-child(even) td", "props": "background-color: #fafafa;"},
]  # fmt: skip


def formatera_cell(varde: Any, typ: str) -> str:
    """Ett värde som svensk text enligt formattypen.

    Examples
    --------
    >>> formatera_cell(7 / 55, "procent"), formatera_cell(-0.12, "procentenheter")
    ('13\\xa0%', '−12 p.e.')
    >>> formatera_cell(0.2074, "forandring"), formatera_cell("..", "antal")
    ('+21\\xa0%', '..')
    >>> formatera_cell(13451.0, "antal"), formatera_cell(True, "uppfyllt")
    ('13\\xa0451', '✔ Uppfyllt')
    """
    from finsam_analys.presentation import formatering as f

    if isinstance(varde, str) and varde == MASKAD:
        return MASKAD
    if typ == "uppfyllt":
        if varde is True or varde == UPPFYLLT:
            return f"✔ {UPPFYLLT}"
        if varde is False or varde == EJ_UPPFYLLT:
            return f"✘ {EJ_UPPFYLLT}"
        return str(varde) if isinstance(varde, str) else _SAKNAS_TEXT
    if varde is None or (not isinstance(varde, str) and pd.isna(varde)):
        return _SAKNAS_TEXT
    if isinstance(varde, str):
        return varde
    if typ == "procent":
        return f.formatera_procent(varde)
    if typ == "procent1":
        return f.formatera_procent(varde, 1)
    if typ == "procentenheter":
        return f.formatera_procentenheter(varde, kort=True)
    if typ == "forandring":
        text = f.formatera_procent(varde)
        return ("+" + text) if float(varde) > 0 and not text.startswith("0") else text
    if typ in ("antal", "belopp", "manader"):
        return f.formatera_tal(varde)
    if typ == "tal1":
        return f.formatera_tal(varde, 1)
    if typ == "tal2":
        decimaler = (
            0
            if float(varde).is_integer()
            else (1 if abs(varde * 10 - round(varde * 10)) < 1e-9 else 2)
        )
        return f.formatera_tal(varde, decimaler)
    if typ == "ar":
        return str(int(varde))
    if isinstance(varde, float) and varde.is_integer():
        return f.formatera_tal(varde)
    return str(varde)


@functools.lru_cache(maxsize=8192)
def _formatera_cachad(typ: str, _typ_av_varde: type, varde: Any) -> str:
    return formatera_cell(varde, typ)


def _formaterare(typ: str):
    def formatera(varde: Any) -> str:
        try:  # samma värde formateras en gång per process (babel: ungefär 0,2 ms per tal)
            return _formatera_cachad(typ, type(varde), varde)
        except TypeError:  # ohashbart värde
            return formatera_cell(varde, typ)

    return formatera


def _css(text: str) -> list[tuple[str, str]]:
    """CSS-deklarationer som (egenskap, värde), som Styler.set_table_styles vill ha dem."""
    par = [d.split(":", 1) for d in text.split(";") if d.strip()]
    return [(egenskap.strip(), varde.strip()) for egenskap, varde in par]


# Stilmallen per tabell (``#T_<id> <selektor>``): tabellen, rubrik, huvud och celler som
# tidigare, tal högerställda som standard; textkolumner, summarader och bedömningar får regler
# per kolumn (Stylers klasser ``col<j>``/``row<i>``) och klasser per cell bara i
# bedömningskolumnerna. Bakgrunden där har !important för att vinna över de randiga raderna.
_TAL_CSS = _css("text-align: right; white-space: nowrap;")
_TEXT_CSS = _css("text-align: left; white-space: normal;")
_LANG_CSS = _css("text-align: left; white-space: normal; min-width: 8em; "
                 "overflow-wrap: anywhere; font-size: 0.88em;")  # fmt: skip
_SUMMA_CSS = _css("font-weight: 600;")
_BEDOMNING_CSS = [
    {"selector": "td.finsam-uppfyllt", "props": _css(f"background-color: {_GRON} !important; "
     "color: #1e5a1e; font-weight: 600;")},
    {"selector": "td.finsam-ej-uppfyllt", "props": _css(f"background-color: {_ROD} !important; "
     "color: #8a1c1c; font-weight: 600;")},
    {"selector": "td.finsam-ej-bedomt", "props": _css(f"background-color: {_GRA} !important; "
     "color: #444;")},
]  # fmt: skip
_GRUND_CSS = [{"selector": d["selector"], "props": _css(d["props"])} for d in _TABELL_CSS]
_GRUND_CSS[3]["props"] = _GRUND_CSS[3]["props"] + _TAL_CSS  # td: tal som standard
_LOPNUMMER = itertools.count(1)


def _bedomningsklass(varde: Any) -> str:
    if varde is True or varde == UPPFYLLT:
        return "finsam-uppfyllt"
    if varde is False or varde == EJ_UPPFYLLT:
        return "finsam-ej-uppfyllt"
    return "finsam-ej-bedomt"


def stila(tabell: pd.DataFrame, format_: Mapping[str, str] | None = None, *, rubrik: str = ""):
    """En pandas Styler med svensk formatering, högerställda tal och markerad måluppfyllelse.

    Tal är högerställda; textkolumner vänsterställda (långa texter, ``lang_text``, bryts och
    står i mindre stil), summarader (första kolumnen eller ``Post`` är en summa enligt
    :func:`~finsam_analys.indata.kodlistor.ar_summarad`) i fetstil och bedömningar
    (``uppfyllt``) i grönt, rött eller grått. Stilen står i tabellens stilmall (en regel per
    kolumn eller rad, inte per cell); tabellen får id:t ``T_tabN`` (löpnummer i processen).

    Parameters
    ----------
    tabell : DataFrame
        Råa tal (efter maskning); muteras inte.
    format_ : mapping kolumn -> formattyp, valfri
        Se :data:`finsam_analys.rapport.gemensamt.FORMATTYPER`. Kolumner utan typ visas
        som text (heltal utan decimaler).
    rubrik : str
        Tabellens rubrik (``caption``).

    Examples
    --------
    >>> t = pd.DataFrame({"Utfall": ["Arbete"], "Andel": [7 / 55], "Bedömning": ["Ej uppfyllt"]})
    >>> html = stila(t, {"Andel": "procent", "Bedömning": "uppfyllt"}, rubrik="Mål").to_html()
    >>> "13\\xa0%" in html and "✘ Ej uppfyllt" in html and "Mål" in html
    True
    >>> 'class="data row0 col2 finsam-ej-uppfyllt"' in html
    True
    """
    from pandas.io.formats.style import Styler

    format_ = dict(format_ or {})
    data = tabell.reset_index(drop=True)
    styler = Styler(data, uuid=f"tab{next(_LOPNUMMER)}", cell_ids=False)
    styler.hide(axis="index")
    # etiketter kommer från användarna: all text escapas (celler, kolumnrubriker, rubrik)
    styler.format({k: _formaterare(format_.get(k, "text")) for k in data.columns}, escape="html")
    styler.format_index(escape="html", axis=1)
    stilar = list(_GRUND_CSS)
    bedomningar = {}
    for j, kolumn in enumerate(data.columns):
        typ = format_.get(kolumn, "text")
        if typ in ("text", "uppfyllt"):
            stilar.append({"selector": f"td.col{j}", "props": _TEXT_CSS})
        elif typ == "lang_text":
            stilar.append({"selector": f"td.col{j}", "props": _LANG_CSS})
        if typ == "uppfyllt":
            bedomningar[kolumn] = [_bedomningsklass(v) for v in data.iloc[:, j]]
    forsta = data.iloc[:, 0] if len(data.columns) else ()
    summarader = {i for i, v in enumerate(forsta) if ar_summarad(v)}
    if "Post" in data.columns:
        summarader |= {i for i, v in enumerate(data["Post"]) if ar_summarad(v)}
    stilar += [{"selector": f"td.row{i}", "props": _SUMMA_CSS} for i in sorted(summarader)]
    if bedomningar:
        stilar += _BEDOMNING_CSS
        styler.set_td_classes(pd.DataFrame(bedomningar, index=data.index))
    styler.set_table_styles(stilar)
    if rubrik:
        styler.set_caption(html.escape(str(rubrik)))
    return styler


def _har_varden(figur: Any) -> bool:
    """Sant om figuren har minst ett värde att rita (allt maskat: ingen figur)."""
    y = figur.data["y"]
    if isinstance(y.dtype, np.dtype) and y.dtype.kind in "iufb":  # tal: bara NaN saknas
        return bool((~np.isnan(y.to_numpy(dtype="float64"))).any())
    return bool(pd.to_numeric(y, errors="coerce").notna().any())


def _visa_figur(figur: Any) -> None:
    """Visa figuren som SVG (``image/svg+xml``) med alt-texten i utdatans metadata."""
    from IPython.display import display

    from finsam_analys.presentation.figurer import som_svg

    display(
        {"image/svg+xml": som_svg(figur).decode("utf-8"), "text/plain": f"<Figur: {figur.titel}>"},
        raw=True,
        metadata={"finsam": {"alt": figur.alt or figur.titel}},
    )


def visa(sektion: Any, *, visa_tabeller: bool = True, visa_figurer: bool = True) -> None:
    """Visa en sektion i notebooken: text, tabeller och figurer (eller vad som saknas).

    En figur som hör till en tabell (``Figur.tabell``) visas just före tabellen; figurer där
    alla värden är maskade visas inte (tabellen visar ``..``).
    """
    from IPython.display import HTML, display

    from finsam_analys.presentation.saker_text import markdown_som_html

    if sektion.saknas is not None:
        display(HTML(markdown_som_html(f"*Visas inte: {sektion.saknas}*")))
        return
    if sektion.innehall:
        _visa_tabellsektion(sektion)
        return
    if sektion.text:
        display(HTML(markdown_som_html(sektion.text)))
    figurer = [f for f in sektion.figurer if visa_figurer and _har_varden(f)]
    tabeller = sektion.tabeller if visa_tabeller else {}
    for figur in figurer:
        if figur.tabell not in tabeller:
            _visa_figur(figur)
    for namn, tabell in tabeller.items():
        for figur in figurer:
            if figur.tabell == namn:
                _visa_figur(figur)
        display(stila(tabell, sektion.format.get(namn), rubrik=namn))
    if sektion.fotnot:
        display(HTML(markdown_som_html(sektion.fotnot, liten=True)))


# ------------------------------------------------------------------- tabellmodellen


def formatera_tabellcell(varde: Any, kolumn: Kolumn) -> str:
    """Ett värde ur en tabells ``visning`` som svensk text enligt kolumnens mått.

    Examples
    --------
    >>> formatera_tabellcell(0.13, Kolumn("Andel", "andel"))
    '13\\xa0%'
    >>> formatera_tabellcell(-0.12, Kolumn("Mot mål", "procentenheter"))
    '−12 p.e.'
    >>> formatera_tabellcell(3095, Kolumn("Utfall", "belopp", enhet="tkr"))
    '3\\xa0095'
    >>> formatera_tabellcell(-2155.0, Kolumn("Publicerat", "tryckt")), formatera_tabellcell(
    ...     16.3, Kolumn("Publicerat", "tryckt"))
    ('−2\xa0155', '16,3')
    >>> formatera_tabellcell("..", Kolumn("Antal", "antal")), formatera_tabellcell(None,
    ...     Kolumn("Antal", "antal"))
    ('..', '–')
    """
    from finsam_analys.presentation import formatering as f

    if ar_maskad(varde):
        return MASKAD
    if kolumn.matt == "bedomning":
        return formatera_cell(varde, "uppfyllt")
    if varde is None or (not isinstance(varde, str) and pd.isna(varde)):
        return _SAKNAS_TEXT
    if isinstance(varde, str) or kolumn.matt == "text":
        return str(varde)
    d = kolumn.precision
    if kolumn.matt == "tryckt":  # som tryckt: de decimaler talet har (högst d)
        x = float(varde)
        d = next((i for i in range(d) if abs(x - round(x, i)) < 1e-9), d)
    if kolumn.matt in ("andel", "andel_av"):
        return f.formatera_procent(varde, d)
    if kolumn.matt == "procentenheter":
        return f.formatera_procentenheter(varde, d, kort=True)
    if kolumn.matt == "forandring":
        text = f.formatera_procent(varde, d)
        return ("+" + text) if float(varde) > 0 and not text.startswith("0") else text
    return f.formatera_tal(varde, d)


def visningstext(tabell: Tabell) -> pd.DataFrame:
    """Tabellens ``visning`` som text (en sträng per cell), som HTML, Word och PDF visar den.

    En kolumn med måttet ``andel_av`` visar andelen med täljare och nämnare ur cellens
    :class:`~finsam_analys.tabell.Kvot` ("13 % (7 av 55)").

    Examples
    --------
    >>> from finsam_analys.tabell import Kvot, Storhet
    >>> n, a = Storhet.av("avslut"), Storhet.av("avslut", utfall="Arbete")
    >>> t = Tabell("t", "T", pd.DataFrame({"Andel": [7 / 55]}), (Kolumn("Andel", "andel_av"),),
    ...            referenser=pd.DataFrame({"Andel": [Kvot(n, a)]}, dtype=object),
    ...            antal={n: 55, a: 7})
    >>> visningstext(t)["Andel"].tolist()
    ['13\xa0% (7 av 55)']
    """
    visning = tabell.visning if tabell.visning is not None else tabell.data
    texter = _visningskolumner(tabell)
    ut = {k.namn: t for k, t in zip(tabell.kolumner, texter, strict=True)}
    return pd.DataFrame(ut, index=visning.index, dtype=object)


def _visningskolumner(tabell: Tabell) -> list[list[str]]:
    """Texterna i :func:`visningstext`, en lista per kolumn (utan DataFrame)."""
    visning = tabell.visning if tabell.visning is not None else tabell.data
    ut = []
    for kolumn in tabell.kolumner:
        texter = [formatera_tabellcell(v, kolumn) for v in visning[kolumn.namn].tolist()]
        if kolumn.matt == "andel_av":
            referenser = (
                [None] * len(texter)
                if tabell.referenser is None
                else tabell.referenser[kolumn.namn].tolist()
            )
            texter = [
                _med_antal(text, ref, tabell.antal)
                for text, ref in zip(texter, referenser, strict=True)
            ]
        ut.append(texter)
    return ut


def _med_antal(text: str, ref: Any, antal: Mapping[Any, float]) -> str:
    """``"13 %"`` -> ``"13 % (7 av 55)"`` med kvotens täljare och nämnare (maskat: som det är)."""
    from finsam_analys.presentation.formatering import formatera_tal

    taljare, namnare = getattr(ref, "taljare", None), getattr(ref, "namnare", None)
    if text == MASKAD or text == _SAKNAS_TEXT or taljare not in antal or namnare not in antal:
        return text
    return f"{text} ({formatera_tal(antal[taljare])} av {formatera_tal(antal[namnare])})"


def kolumnrubrik(kolumn: Kolumn) -> str:
    """Kolumnens rubrik, med enheten när den inte framgår av talen (``Utfall, tkr``)."""
    if kolumn.enhet and kolumn.matt not in ("andel", "procentenheter", "forandring"):
        return f"{kolumn.namn}, {kolumn.enhet}"
    return kolumn.namn


def stila_tabell(tabell: Tabell):
    """En Styler för en :class:`~finsam_analys.tabell.Tabell` efter kontrollpunkterna.

    All text escapas (etiketter kommer från användarnas filer); tal högerställda, text
    vänsterställd, summarader i fetstil, bedömningar markerade, rubriken är tabellens titel.

    Examples
    --------
    >>> from finsam_analys.tabell import Storhet
    >>> t = Tabell.fordelning(pd.Series({"<b>A</b>": 6, "B": 5}), namn="t", titel="T",
    ...                       bas=Storhet.av("x"), dimension="d", kategorirubrik="Kategori")
    >>> sida = stila_tabell(t).to_html()
    >>> "&lt;b&gt;A&lt;/b&gt;" in sida, "<b>A</b>" in sida, "55\\xa0%" in sida
    (True, False, True)
    """
    from pandas.io.formats.style import Styler

    text = visningstext(tabell).reset_index(drop=True)
    text.columns = [kolumnrubrik(k) for k in tabell.kolumner]
    styler = Styler(text, uuid=f"tab{next(_LOPNUMMER)}", cell_ids=False, escape="html")
    styler.format_index(escape="html", axis=1)  # konstruktorn escapar bara cellerna
    styler.hide(axis="index")
    stilar = list(_GRUND_CSS)
    bedomningar = {}
    for j, kolumn in enumerate(tabell.kolumner):
        if kolumn.matt in ("text", "bedomning"):
            stilar.append({"selector": f"td.col{j}", "props": _TEXT_CSS})
        if kolumn.matt == "bedomning":
            visning = tabell.visning if tabell.visning is not None else tabell.data
            bedomningar[text.columns[j]] = [  # ur visningen: en maskad bedömning är grå
                _bedomningsklass(v) for v in visning.iloc[:, j].tolist()
            ]
    stilar += [{"selector": f"td.row{i}", "props": _SUMMA_CSS} for i in tabell.summarader]
    if bedomningar:
        stilar += _BEDOMNING_CSS
        styler.set_td_classes(pd.DataFrame(bedomningar, index=text.index))
    styler.set_table_styles(stilar)
    styler.set_caption(html.escape(str(tabell.titel)))
    klass = utskriftsklass(  # mindre stil, eller en liggande sida, vid utskrift
        list(text.columns), text.to_numpy().tolist(), [k.ar_tal for k in tabell.kolumner]
    )
    if klass:
        styler.set_table_attributes(f'class="{klass}"')
    return styler


def _styler_som_standard() -> bool:
    """Sant om pandas inställningar för Styler är de som :func:`tabell_html` skriver efter."""
    return (
        pd.get_option("styler.render.repr") == "html"
        and pd.get_option("styler.html.mathjax") is True
        and pd.get_option("styler.render.max_rows") is None
        and pd.get_option("styler.render.max_columns") is None
        and pd.get_option("styler.format.formatter") is None
        and pd.get_option("styler.format.na_rep") is None
    )


def tabell_html(tabell: Tabell) -> str:
    """Tabellen som HTML: tecken för tecken det :func:`stila_tabell` ger (``to_html()``).

    Skrivs direkt i stället för genom pandas Styler (mallen och dess mellansteg kostade mer än
    resten av tabellens visning); tabeller som mallen skulle visa annorlunda (tomma, stora,
    dubbla rubriker, andra inställningar för Styler) går genom Styler som förut. Tabellen får
    nästa löpnummer (``T_tabN``), som i :func:`stila_tabell`.

    Examples
    --------
    >>> from finsam_analys.tabell import Storhet
    >>> t = Tabell.fordelning(pd.Series({"<b>A</b>": 6, "B": 5}), namn="t", titel="T",
    ...                       bas=Storhet.av("x"), dimension="d", kategorirubrik="Kategori")
    >>> sida = tabell_html(t)
    >>> "&lt;b&gt;A&lt;/b&gt;" in sida, "<b>A</b>" in sida, "55\xa0%" in sida
    (True, False, True)
    """
    from markupsafe import escape

    kolumner = _visningskolumner(tabell)
    rubriker = [kolumnrubrik(k) for k in tabell.kolumner]
    rader = [list(rad) for rad in zip(*kolumner, strict=True)]
    antal_rader = len(kolumner[0]) if kolumner else 0
    if (
        not kolumner
        or not antal_rader
        or antal_rader * len(kolumner) > pd.get_option("styler.render.max_elements")
        or len(set(rubriker)) != len(rubriker)
        or not all(isinstance(c, str) for c in itertools.chain(rubriker, *kolumner))
        or not _styler_som_standard()
    ):
        return stila_tabell(tabell).to_html()
    uuid = f"tab{next(_LOPNUMMER)}"
    stilar = list(_GRUND_CSS)
    klasser: dict[int, list[str]] = {}
    for j, kolumn in enumerate(tabell.kolumner):
        if kolumn.matt in ("text", "bedomning"):
            stilar.append({"selector": f"td.col{j}", "props": _TEXT_CSS})
        if kolumn.matt == "bedomning":
            visning = tabell.visning if tabell.visning is not None else tabell.data
            klasser[j] = [_bedomningsklass(v) for v in visning.iloc[:, j].tolist()]
    stilar += [{"selector": f"td.row{i}", "props": _SUMMA_CSS} for i in tabell.summarader]
    if klasser:
        stilar += _BEDOMNING_CSS
    klass = utskriftsklass(rubriker, rader, [k.ar_tal for k in tabell.kolumner])
    ut = ['<style type="text/css">\n']
    for stil in stilar:
        ut.append(f"#T_{uuid} {stil['selector']} {{\n")
        ut.extend(f"  {egenskap}: {varde};\n" for egenskap, varde in stil["props"])
        ut.append("}\n")
    ut.append("</style>\n")
    ut.append(f'<table id="T_{uuid}"' + (f' class="{klass}"' if klass else "") + ">\n")
    rubrik = html.escape(str(tabell.titel))
    if rubrik:
        ut.append(f"  <caption>{rubrik}</caption>\n")
    ut.append("  <thead>\n    <tr>\n")
    ut.extend(
        f'      <th class="col_heading level0 col{j}" >{escape(r)}</th>\n'
        for j, r in enumerate(rubriker)
    )
    ut.append("    </tr>\n  </thead>\n  <tbody>\n")
    for i, rad in enumerate(rader):
        ut.append("    <tr>\n")
        for j, cell in enumerate(rad):
            extra = f" {klasser[j][i]}" if j in klasser else ""
            ut.append(f'      <td class="data row{i} col{j}{extra}" >{escape(cell)}</td>\n')
        ut.append("    </tr>\n")
    ut.append("  </tbody>\n</table>\n")
    return "".join(ut)


def meningstext(mening: Mening | str, tabeller: Mapping[str, Tabell]) -> str:
    """En mening som text: talen formaterade som i tabellerna, maskade som ``..``.

    Examples
    --------
    >>> from finsam_analys.tabell import Varde
    >>> meningstext(Mening("{n} avslutades under {p}.", {"n": Varde(55), "p": "2019"}), {})
    '55 avslutades under 2019.'
    >>> meningstext(Mening("{n} avslutades.", {"n": Varde("..")}, om_maskad="Antalet visas "
    ...             "inte."), {})
    'Antalet visas inte.'
    """
    from finsam_analys.presentation.avrundning import avrundat_varde

    if isinstance(mening, str):
        return mening
    texter: dict[str, str] = {}
    maskad = False
    for namn, v in mening.varden.items():
        if isinstance(v, Varde):
            kolumn = Kolumn(namn, v.matt, v.precision)
            visat = avrundat_varde(v.varde, v.matt, v.precision)
        elif isinstance(v, Cell):
            tabell = tabeller[v.tabell]
            kolumn = tabell.kolumn(v.kolumn)
            visning = tabell.visning if tabell.visning is not None else tabell.data
            kolumnen, rad = visning[v.kolumn], tabell.rad(v.rad)
            # en objektkolumn ger samma värde som radens Series (utan att bygga raden)
            visat = kolumnen.iloc[rad] if kolumnen.dtype == object else visning.iloc[rad][v.kolumn]
        else:
            texter[namn] = str(v)
            continue
        maskad = maskad or ar_maskad(visat)
        texter[namn] = formatera_tabellcell(visat, kolumn)
    mall = mening.om_maskad if maskad and mening.om_maskad is not None else mening.mall
    return mall.format(**texter)


def stycke_html(stycke: Stycke, tabeller: Mapping[str, Tabell]) -> str:
    """Ett stycke som HTML (all text escapad, svenska citattecken): ``<p>`` eller en punktlista.

    Examples
    --------
    >>> stycke_html(Stycke(('"Uppgift saknas" visas <för sig>.',)), {})
    '<p>”Uppgift saknas” visas &lt;för sig&gt;.</p>'
    """
    import html

    from finsam_analys.presentation.lopttext import svenska_citattecken

    meningar = [
        html.escape(svenska_citattecken(meningstext(m, tabeller)), quote=False)
        for m in stycke.meningar
    ]
    if stycke.punktlista:
        return "<ul>" + "".join(f"<li>{m}</li>" for m in meningar) + "</ul>"
    return "<p>" + " ".join(meningar) + "</p>"


def _visa_tabellsektion(sektion: Any) -> None:
    from IPython.display import HTML, display

    from finsam_analys.presentation.figurer import figur_ur_diagram

    tabeller = {t.namn: t for t in sektion.tabellobjekt()}
    for block in sektion.innehall:
        if isinstance(block, Stycke):
            display(HTML(stycke_html(block, tabeller)))
        elif isinstance(block, Tabell):
            display(HTML(tabell_html(block)))
            for fotnot in block.fotnoter:
                display(HTML(f"<p><small>{_escape(fotnot)}</small></p>"))
        elif isinstance(block, Diagram):
            figur = figur_ur_diagram(block, tabeller[block.tabell])
            if figur is not None and _har_varden(figur):
                _visa_figur(figur)
    if sektion.fotnot:
        display(HTML(f"<p><small>{_escape(sektion.fotnot)}</small></p>"))


def _escape(text: str) -> str:
    import html

    return html.escape(text)
