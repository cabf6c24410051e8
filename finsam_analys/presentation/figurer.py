"""Figurer för rapporten: ritar en :class:`~finsam_analys.rapport.gemensamt.Figur`.

Sektionerna beskriver figurerna som data (typ, tabell, enhet, mål); här ritas de med matplotlib
(färger och text i seaborns tema whitegrid, satt som rcParams utan att importera seaborn), med
svenska tal (:mod:`finsam_analys.presentation.formatering`), värden utskrivna vid staplarna, mål som
streckade linjer och maskade värden markerade ``..`` i stället för att ritas. matplotlib
importeras först när en figur ritas.

Figurerna ritas en gång, med fast layout: marginalerna räknas ur etiketternas uppmätta bredd
(i punkter) i stället för med matplotlibs ``constrained`` layout (som ritar figuren två gånger),
och axlarna ritas utan matplotlibs tick-objekt. Staplar har sitt värde vid stapeln och behöver
ingen värdeaxel; linjediagram får en värdeaxel med rutnät. Titeln står vänsterställd överst,
förklaringen (mål, grupper) uppe till höger och en eventuell not nederst.

:func:`som_svg` ger SVG med texten som text (``svg.fonttype = "none"``, sökbar och skarp i alla
storlekar) och :func:`som_png` PNG; båda är deterministiska (inga datum, fast id-salt), så samma
figur ger samma bytes. :func:`finsam_analys.presentation.tabellvisning.visa` visar SVG med alt-text.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import textwrap
import weakref
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FARGER", "forvarm", "rita", "som_png", "som_svg"]

FARGER = ("#1f5f8b", "#e08a2c", "#5a9e4b", "#8c5a9e", "#b04a4a", "#6b6b6b")
"""Färgerna i ordning (färgblindvänliga nog för två–tre serier, mörka nog för utskrift)."""
_MAL_FARG = "#b00020"
_TEXT_FARG = "#262626"  # seaborns ".15"
_NOT_FARG = "#555555"
_LINJE_FARG = "#cccccc"  # seaborns ".8" (axellinje och rutnät)
_BREDD = 7.5  # tum, ungefär sidans bredd i HTML-rapporten
_PT = 72.0  # punkter per tum
_KANT = 8.0  # punkter mellan figurens kant och innehållet
_LUFT = 6.0  # punkter mellan text och det den hör till
_TITEL, _ETIKETT, _VARDE, _FORKLARING, _NOT = 12.0, 10.45, 9.0, 9.0, 8.0  # teckenstorlekar
_TYPSNITT = ["DejaVu Sans", "Arial", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"]


def _formatter(enhet: str, decimaler: int = 0):
    from finsam_analys.presentation.formatering import procent_formatter, tal_formatter

    return procent_formatter(decimaler) if enhet == "andel" else tal_formatter(decimaler)


def _text(varde: float, enhet: str, decimaler: int = 0) -> str:
    from finsam_analys.presentation.formatering import formatera_procent, formatera_tal

    if enhet == "andel":
        return formatera_procent(varde, decimaler)
    return formatera_tal(varde, 0 if abs(varde) >= 10 or float(varde).is_integer() else 1)


# seaborns tema ``set_theme(style="whitegrid", context="notebook", font_scale=0.95)`` som
# rcParams: seaborn importerar scipy.stats, och importen kostar 1–3 s i varje rapportkärna.
_SEABORN_WHITEGRID = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 11.4,
    "axes.linewidth": 1.25,
    "axes.titlesize": 11.4,
    "font.size": 11.4,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 10.45,
    "legend.title_fontsize": 11.4,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 10.45,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 10.45,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}
# seaborns standardpalett "deep" (samma ordning)
_SEABORN_DEEP = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3",
                 "#8c8c8c", "#ccb974", "#64b5cd")  # fmt: skip


def _tema():
    """Sätt figurernas rcParams (varje gång: en notebook kan ha ändrat dem) och ge matplotlib.

    Ingen backend väljs och pyplot importeras inte: figurerna skapas som ``Figure`` och
    ``savefig`` väljer ritare efter formatet, så notebookens egen backend (inline) lämnas orörd.
    """
    import matplotlib
    from cycler import cycler

    matplotlib.rcParams.update(_SEABORN_WHITEGRID)
    matplotlib.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(_SEABORN_DEEP)),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": _TITEL,
            "axes.titlelocation": "left",
            "figure.dpi": 100,
            # DejaVu Sans först: layouten mäts med det typsnittet (det följer med matplotlib);
            # en webbläsare utan det tar Arial/Liberation Sans, som är smalare.
            "font.family": ["sans-serif"],
            "font.sans-serif": _TYPSNITT,
            "svg.fonttype": "none",  # text som text i SVG
            "svg.hashsalt": "finsam-analys",  # deterministiska id:n i SVG
        }
    )
    return matplotlib


# ------------------------------------------------------------------------ textmått


@functools.cache
def _textvag():
    from matplotlib.textpath import TextToPath

    return TextToPath()


@functools.lru_cache(maxsize=16384)
def _svg_matt(text: str, typsnitt: Any, typsnittslista: tuple[str, ...]):
    """(bredd, höjd, nedhäng) i punkter, som SVG-ritaren mäter (``TextToPath``, ingen hinting).

    Samma mått som matplotlib räknar vid ritningen av SVG, men sparat mellan figurerna:
    varje mätning kostar ungefär en millisekund. ``typsnittslista`` (rcParams
    ``font.sans-serif``) ingår i nyckeln eftersom typsnittet väljs ur den vid mätningen.
    """
    return _textvag().get_text_width_height_descent(text, typsnitt, False)


@functools.cache
def _typsnitt(storlek: float, fet: bool = False):
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=["sans-serif"], size=storlek, weight="bold" if fet else "normal")


_MARGINAL_BREDD = 1.06
"""Textbredder räknas 6 % bredare än SVG-måttet: i PNG gör hintingen text upp till 6 % bredare."""


def _bredd(text: str, storlek: float, fet: bool = False) -> float:
    """Den bredaste radens bredd i punkter (med marginalen :data:`_MARGINAL_BREDD`)."""
    import matplotlib

    lista = tuple(matplotlib.rcParams["font.sans-serif"])
    typsnitt = _typsnitt(storlek, fet)
    bredast = max((_svg_matt(r, typsnitt, lista)[0] for r in str(text).split("\n")), default=0.0)
    return bredast * _MARGINAL_BREDD


def _radmatt(storlek: float) -> tuple[float, float]:
    """(radhöjd, radavstånd) i punkter: höjden av "lp" och 1,2 gånger teckenstorleken.

    Radavståndet är typografins vanliga 1,2 em (minst lika stort som matplotlibs för flerradig
    text, som räknar med "lp" utan nedhäng och växer med höga tecken som parenteser).
    """
    import matplotlib

    lista = tuple(matplotlib.rcParams["font.sans-serif"])
    _, hojd, _ = _svg_matt("lp", _typsnitt(storlek), lista)
    return hojd, 1.2 * storlek


def _hojd(rader: int, storlek: float) -> float:
    """Höjden i punkter av ett textblock med ``rader`` rader."""
    hojd, avstand = _radmatt(storlek)
    return hojd + max(rader - 1, 0) * avstand


def _rader(
    ax,
    fig,
    x: float,
    y: float,
    text: str,
    *,
    bas,
    ha: str,
    dx: float = 0.0,
    dy: float = 0.0,
    mitt: bool = True,
    **egenskaper,
) -> None:
    """Skriv en (flerradig) text som en ``Text`` per rad, placerad efter baslinjen.

    En rad i taget så att SVG:n får varje rad förankrad (``text-anchor: end``/``middle``):
    höger- och centrerade rader hamnar då rätt även om webbläsarens typsnitt är smalare eller
    bredare än det som figuren mättes med. Raderna placeras efter baslinjen (inte efter sin
    egen höjd), så att etiketter med och utan Å/Ö står på samma höjd. ``mitt``: raderna
    centreras kring ``y``; annars står första raden överst, under ``y``. ``dx``/``dy`` är
    förskjutningar i punkter.
    """
    rader = str(text).split("\n")
    storlek = egenskaper.pop("fontsize", _ETIKETT)
    hojd, avstand = _radmatt(storlek)
    for j, rad in enumerate(rader):
        if mitt:  # versalhöjden (ungefär 0,72 em) centrerad på y
            baslinje = ((len(rader) - 1) / 2 - j) * avstand - 0.36 * storlek
        else:  # första radens övre kant (höjden av "lp" ovanför baslinjen) vid y
            baslinje = -j * avstand - 0.8 * hojd
        ax.text(x, y, rad, ha=ha, va="baseline", fontsize=storlek, clip_on=False,
                transform=_forskjuten(bas, fig, dx, dy + baslinje), **egenskaper)  # fmt: skip


_forskjutna: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Figur -> {(id(bastransform), dx, dy): (bastransform, förskjuten transform)}."""


def _forskjuten(bas, fig, dx: float, dy: float):
    """``offset_copy(bas, fig, x=dx, y=dy, units="points")``, en gång per figur och förskjutning.

    Texterna i en figur delar ofta samma förskjutning (alla kategorietiketter, alla värden
    inne i staplarna). En delad transform ger samma placering (samma värden, och den följer
    axlarna och upplösningen på samma sätt), men figuren får färre objekt att bygga och för
    skräpsamlaren att gå igenom. Posten håller bastransformen, så dess id återanvänds inte
    medan posten finns.
    """
    from matplotlib.transforms import offset_copy

    minne = _forskjutna.setdefault(fig, {})
    nyckel = (id(bas), dx, dy)
    sparad = minne.get(nyckel)
    if sparad is None:
        sparad = minne[nyckel] = (bas, offset_copy(bas, fig, x=dx, y=dy, units="points"))
    return sparad[1]


@contextlib.contextmanager
def _delade_textmatt():
    """Låt SVG-ritningen använda de sparade textmåtten (:func:`_svg_matt`).

    matplotlib sparar textmått per ritare, och varje ``savefig`` skapar en ny; med den här
    kontexten mäts en text (samma text, typsnitt och storlek) en gång per process. Måtten är
    exakt de som SVG-ritaren annars hade räknat, så figuren blir byte-identisk.
    """
    import matplotlib
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG

    original = getattr(mtext, "_get_text_metrics_with_cache", None)
    if original is None:  # pragma: no cover - en framtida matplotlib utan funktionen
        yield
        return

    def matt(renderer, text, typsnitt, ismath, dpi):
        # vid ritningen är ritaren en MixedModeRenderer runt RendererSVG
        if ismath is False and type(getattr(renderer, "_renderer", renderer)) is RendererSVG:
            lista = tuple(matplotlib.rcParams["font.sans-serif"])
            return _svg_matt(text, typsnitt.copy(), lista)
        return original(renderer, text, typsnitt, ismath, dpi)

    mtext._get_text_metrics_with_cache = matt
    try:
        yield
    finally:
        mtext._get_text_metrics_with_cache = original


# Aggs textmått, textlayout och glyfbilder, delade mellan ritarna (PNG).
_AGG_MAX = 20000
"""Högsta antal poster i varje minne nedan; ett fullt minne töms (svaren är exakta ändå)."""
_agg_matt: dict[tuple, tuple[float, float, float]] = {}
"""(text, typsnitt, dpi, inställningar) -> (bredd, höjd, nedhäng) i bildpunkter."""
_agg_layout: dict[tuple, tuple] = {}
"""(text, typsnitt, dpi, hinting, features, språk, inställningar) -> (typsnitt, glyferna)."""
_agg_glyfer: dict[tuple, tuple] = {}
"""(typsnitt, storlek, dpi, glyf, hinting, kantutjämning, bråkdelar) -> (bild, vänster, topp)."""
_agg_filer: dict[tuple, tuple] = {}
"""(typsnittsegenskaper, argument, inställningar) -> typsnittsfilerna (``_find_fonts_by_props``)."""
_agg_sfnt: dict[tuple, Any] = {}
"""(typsnittsfilerna, inställningar) -> :class:`_Sfnt` (typsnittets tabeller för radmåtten)."""
_AGG_RC = (
    "font.family", "font.style", "font.variant", "font.weight", "font.stretch", "font.size",
    "font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace",
    "font.enable_last_resort", "text.kerning_factor", "text.hinting", "text.hinting_factor",
)  # fmt: skip
"""rcParams som väljer typsnittsfil (``findfont``, ``get_font``) och hinting i Agg."""


def _rensa_agg() -> None:
    """Töm Agg-minnena (de håller ``FT2Font``-objekt, som inte får användas efter en fork)."""
    for minne in (_agg_matt, _agg_layout, _agg_glyfer, _agg_filer, _agg_sfnt):
        minne.clear()


if hasattr(os, "register_at_fork"):  # som matplotlibs eget typsnittsminne
    os.register_at_fork(after_in_child=_rensa_agg)


def _spara(minne: dict, nyckel: tuple, varde: Any) -> Any:
    if len(minne) >= _AGG_MAX:
        minne.clear()
    minne[nyckel] = varde
    return varde


def _agg_installningar() -> tuple:
    """Det utöver texten och typsnittsegenskaperna som Aggs textmått och glyfer beror på:
    rcParams i :data:`_AGG_RC`, ``MPL_IGNORE_SYSTEM_FONTS`` och de kända typsnitten."""
    import matplotlib
    from matplotlib.font_manager import fontManager

    rc = matplotlib.rcParams
    varden = tuple(tuple(v) if isinstance(v, list) else v for v in (rc.get(n) for n in _AGG_RC))
    return varden, os.getenv("MPL_IGNORE_SYSTEM_FONTS"), len(fontManager.ttflist)


class _Sfnt:
    """Ett typsnitt (``FT2Font``) vars tabeller (``get_sfnt_table``) läses en gång.

    matplotlib läser typsnittets tabeller för varje text som mäts (radhöjden i
    ``Text._get_layout``); tabellerna ändras inte. Allt annat går till typsnittet.
    """

    def __init__(self, typsnitt: Any) -> None:
        self._typsnitt = typsnitt
        self._tabeller: dict[str, Any] = {}

    def get_sfnt_table(self, namn: str) -> Any:
        if namn not in self._tabeller:
            self._tabeller[namn] = self._typsnitt.get_sfnt_table(namn)
        return self._tabeller[namn]

    def __getattr__(self, namn: str) -> Any:
        return getattr(self._typsnitt, namn)


def _agg_matt_med_minne(original: Any, installningar: tuple) -> Any:
    """``matplotlib.text._get_text_metrics_with_cache`` med :data:`_agg_matt` för Agg."""
    from matplotlib.backends.backend_agg import RendererAgg

    def matt(renderer, text, typsnitt, ismath, dpi):
        if ismath is not False or type(renderer) is not RendererAgg:
            return original(renderer, text, typsnitt, ismath, dpi)
        nyckel = (text, typsnitt.copy(), dpi, renderer.dpi, installningar)
        varde = _agg_matt.get(nyckel)
        if varde is None:
            varde = _spara(_agg_matt, nyckel, original(renderer, text, typsnitt, ismath, dpi))
        return varde

    return matt


def _agg_filer_med_minne(original: Any, installningar: tuple) -> Any:
    """``fontManager._find_fonts_by_props`` med :data:`_agg_filer`."""

    def filer(prop, *args, **kwargs):
        try:
            nyckel = (prop.copy(), args, tuple(sorted(kwargs.items())), installningar)
            varde = _agg_filer.get(nyckel)
        except (AttributeError, TypeError):  # ett mönster (str) i stället för egenskaper
            return original(prop, *args, **kwargs)
        if varde is None:
            varde = _spara(_agg_filer, nyckel, tuple(original(prop, *args, **kwargs)))
        return list(varde)

    return filer


def _agg_typsnitt_med_minne(original: Any, installningar: tuple) -> Any:
    """``matplotlib.text.get_font`` (bara radmåtten i ``Text._get_layout``) med
    :data:`_agg_sfnt`: typsnittet ur minnet, med tabellerna lästa en gång."""

    def typsnitt(filer, *args, **kwargs):
        if args or kwargs or not isinstance(filer, (list, tuple)):
            return original(filer, *args, **kwargs)
        nyckel = (tuple((str(f), getattr(f, "face_index", 0)) for f in filer), installningar)
        varde = _agg_sfnt.get(nyckel)
        if varde is None:
            varde = _spara(_agg_sfnt, nyckel, _Sfnt(original(filer)))
        return varde

    return typsnitt


def _agg_glyfer_med_minne(renderer: Any, gc: Any, x: float, y: float, glyfer: Any,
                          storlek: float, hinting: Any) -> None:  # fmt: skip
    """``RendererAgg._draw_text_glyphs_and_boxes`` för vågrät text (vinkeln 0, inga lådor),
    med glyfernas bilder i :data:`_agg_glyfer` (per typsnitt, storlek och bråkdelsläge)."""
    import math

    from matplotlib.backends.backend_agg import RenderMode

    cos, sin = math.cos(math.radians(0)), math.sin(math.radians(0))
    matris = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round()
    matris = matris.astype(int)
    kantutjamnad = gc.get_antialiased()
    lage = RenderMode.NORMAL if kantutjamnad else RenderMode.MONO
    dpi, hojd = renderer.dpi, int(renderer.height)
    for typsnitt, glyf, dx, dy in glyfer:  # dy uppåt
        px = round(0x40 * (x + dx * cos - dy * sin))
        py = round(0x40 * (renderer.height - y + dx * sin + dy * cos))
        nyckel = (typsnitt, storlek, dpi, glyf, hinting, kantutjamnad, px & 63, py & 63)
        bild = _agg_glyfer.get(nyckel)
        if bild is None:
            typsnitt.set_size(storlek, dpi)
            typsnitt._set_transform(matris, [px, py])
            bitmap = typsnitt._render_glyph(glyf, hinting, lage)
            buffert = bitmap.buffer
            if not kantutjamnad:
                buffert *= 0xFF
            bild = _spara(_agg_glyfer, nyckel,
                          (buffert, bitmap.left - (px >> 6), bitmap.top - (py >> 6)))  # fmt: skip
        buffert, vanster, topp = bild
        renderer._renderer.draw_text_image(
            buffert, vanster + (px >> 6), hojd - (topp + (py >> 6)) + buffert.shape[0], 0, gc
        )


def _agg_text_med_minne(original: Any, installningar: tuple) -> Any:
    """``RendererAgg.draw_text`` med textens layout i :data:`_agg_layout` och vågrät texts
    glyfbilder i :data:`_agg_glyfer` (matplotlib 3.11 och senare: en glyf i taget)."""
    from matplotlib.backends import backend_agg
    from matplotlib.backends.backend_agg import RendererAgg

    def rita_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or type(self) is not RendererAgg:
            return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        egenskaper = mtext.get_fontfeatures() if mtext is not None else None
        sprak = mtext.get_language() if mtext is not None else None
        hinting = backend_agg.get_hinting_flag()
        nyckel = (s, prop.copy(), self.dpi, hinting, egenskaper, sprak, installningar)
        try:
            layout = _agg_layout.get(nyckel)
        except TypeError:  # features eller språk som inte går att använda som nyckel
            return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        if layout is None:  # som RendererAgg.draw_text
            typsnitt = self._prepare_font(prop)
            glyfer = typsnitt._layout(s, flags=hinting, features=egenskaper, language=sprak)
            layout = (typsnitt, tuple((g.ft_object, g.glyph_index, g.x, g.y) for g in glyfer))
            _spara(_agg_layout, nyckel, layout)
        storlek = prop.get_size_in_points()
        if angle:  # roterad text: matplotlibs egen glyfritning
            self._draw_text_glyphs_and_boxes(
                gc, x, y, angle,
                ((f, storlek, g, 0, 1, dx, dy) for f, g, dx, dy in layout[1]), [],
            )  # fmt: skip
        else:
            _agg_glyfer_med_minne(self, gc, x, y, layout[1], storlek, hinting)

    return rita_text


_AGG_PROVADE_VERSIONER = ("3.11",)
"""matplotlib-versioner (major.minor) som :func:`_delad_agg_text` är prövad mot (testerna jämför
bildpunkterna med matplotlibs egen ritning). Minnena ersätter interna funktioner i matplotlib;
i en annan version ritar matplotlib själv (långsammare, aldrig fel), tills en ny version har
prövats och lagts till här."""


def _agg_minnen_provade() -> bool:
    """Sant om den installerade matplotlib är en av :data:`_AGG_PROVADE_VERSIONER`.

    Examples
    --------
    >>> isinstance(_agg_minnen_provade(), bool)
    True
    """
    import matplotlib

    return ".".join(matplotlib.__version__.split(".")[:2]) in _AGG_PROVADE_VERSIONER


_SAKNAS = object()


@contextlib.contextmanager
def _ersatta(ersattningar: list[tuple[Any, str, Any]]):
    """Ersätt attribut (objekt, namn, nytt värde) medan kontexten pågår och återställ dem
    efteråt; ett attribut som objektet inte hade själv (en metod från klassen) tas bort."""
    fore = [(objekt, namn, vars(objekt).get(namn, _SAKNAS)) for objekt, namn, _ in ersattningar]
    try:
        for objekt, namn, nytt in ersattningar:
            setattr(objekt, namn, nytt)
        yield
    finally:
        for objekt, namn, gammalt in reversed(fore):
            if gammalt is _SAKNAS:
                with contextlib.suppress(AttributeError):
                    delattr(objekt, namn)
            else:
                setattr(objekt, namn, gammalt)


@contextlib.contextmanager
def _delad_agg_text():
    """Låt Agg-ritningen (PNG) dela textmått, textlayout och glyfbilder mellan ritarna.

    matplotlib mäter en text en gång per ritare, och varje ``savefig`` skapar en ny ritare;
    med den här kontexten mäts en text (samma text, typsnitt, storlek, dpi och inställningar)
    en gång per process. Typsnittsfilerna för en uppsättning typsnittsegenskaper slås också
    upp en gång (matplotlib gör det för varje text, två gånger), och typsnittets tabeller för
    radmåtten läses en gång. I matplotlib 3.11 och senare ritar Agg varje glyf för sig,
    placerad på 1/64 bildpunkt: då sparas också textens layout (glyferna och deras lägen) och
    varje glyfs bild per bråkdelsläge. En glyf flyttad ett helt antal bildpunkter ger samma
    bild, flyttad lika långt, så bilden kan återanvändas. Allt annat ritas av matplotlib som
    vanligt, och figuren får exakt samma bildpunkter (roterad text ritas utan de sparade
    glyfbilderna, matematik helt utan minnena).

    Inställningarna (:func:`_agg_installningar`) läses en gång, när kontexten börjar: de
    ändras inte medan en figur sparas.
    """
    import matplotlib.text as mtext
    from matplotlib.backends import backend_agg
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import fontManager

    if not _agg_minnen_provade():
        yield  # en matplotlib som minnena inte är prövade mot: matplotlibs egen ritning
        return
    installningar = _agg_installningar()
    filer = _agg_filer_med_minne(fontManager._find_fonts_by_props, installningar)
    ersattningar = [(fontManager, "_find_fonts_by_props", filer)]
    if hasattr(mtext, "_get_text_metrics_with_cache"):
        matt = _agg_matt_med_minne(mtext._get_text_metrics_with_cache, installningar)
        ersattningar.append((mtext, "_get_text_metrics_with_cache", matt))
    if hasattr(mtext, "get_font"):
        typsnitt = _agg_typsnitt_med_minne(mtext.get_font, installningar)
        ersattningar.append((mtext, "get_font", typsnitt))
    if hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and all(
        hasattr(backend_agg, n) for n in ("get_hinting_flag", "RenderMode")
    ):
        text = _agg_text_med_minne(RendererAgg.draw_text, installningar)
        ersattningar.append((RendererAgg, "draw_text", text))
    with _ersatta(ersattningar):
        yield


def _etikett(text: str, bredd: int = 38) -> str:
    """Bryt en etikett vid ord (högst ``bredd`` tecken per rad)."""
    return "\n".join(textwrap.wrap(str(text), bredd, break_long_words=False)) or str(text)


def _bryt(text: str, storlek: float, maxbredd: float, fet: bool = False) -> str:
    """Bryt texten vid ord så att varje rad ryms inom ``maxbredd`` punkter."""
    text = str(text)
    hela = _bredd(text, storlek, fet)
    if hela <= maxbredd or not text:
        return text
    tecken = max(8, int(len(text) * maxbredd / hela))
    while True:
        bruten = _etikett(text, tecken)
        if tecken <= 8 or _bredd(bruten, storlek, fet) <= maxbredd:
            return bruten
        tecken = max(8, int(tecken * 0.9))


def _tal(varden: Any) -> np.ndarray:
    return pd.to_numeric(pd.Series(varden), errors="coerce").to_numpy(dtype="float64")


def _hogsta(*serier: np.ndarray) -> float:
    alla = np.concatenate([np.asarray(s, dtype="float64").ravel() for s in serier] + [[0.0]])
    return float(np.nanmax(alla))


# ------------------------------------------------------------------------ figurens ram


def _figur(
    figur: Any,
    *,
    vanster: float,
    axelhojd: float,
    under: float,
    forklaring: list[tuple[str, Any]] = (),
    hoger: float = _KANT,
):
    """Skapa figuren och axlarna med fasta marginaler (punkter) runt axlarna.

    Uppifrån: titel (vänsterställd, bruten så att den ryms), förklaringen uppe till höger (på
    titelns rad om den ryms där, annars på en egen rad), axlarna (``axelhojd``), ``under``
    punkter för etiketter under axlarna och till sist noten (``figur.not_``).
    """
    from matplotlib.figure import Figure

    bredd = _BREDD * _PT
    innerbredd = bredd - 2 * _KANT
    titel = _bryt(figur.titel, _TITEL, innerbredd, fet=True)
    titelrader = titel.count("\n") + 1
    titelhojd = _hojd(titelrader, _TITEL)
    huvud = titelhojd
    forklaringens_bredd = 0.0
    if forklaring:
        forklaringens_bredd = sum(
            _bredd(namn, _FORKLARING) + 2.8 * _FORKLARING for namn, _ in forklaring
        ) + 1.2 * _FORKLARING * (len(forklaring) - 1)
        forsta_raden = _bredd(titel.split("\n")[0], _TITEL, fet=True)
        pa_titelraden = forsta_raden + 2 * _FORKLARING + forklaringens_bredd <= innerbredd
        if not pa_titelraden:
            huvud += _LUFT + _hojd(1, _FORKLARING)
    not_ = _bryt(figur.not_, _NOT, innerbredd) if figur.not_ else ""
    fot = _hojd(not_.count("\n") + 1, _NOT) + _LUFT if not_ else 0.0
    hojd = _KANT + huvud + 1.5 * _LUFT + axelhojd + under + fot + _KANT
    fig = Figure(figsize=(_BREDD, hojd / _PT))
    axelbredd = bredd - vanster - hoger
    botten = _KANT + fot + under
    ax = fig.add_axes((vanster / bredd, botten / hojd, axelbredd / bredd, axelhojd / hojd))
    ax.set_axis_off()  # axlar, rutnät och etiketter ritas här i stället (inga tick-objekt)
    _utan_dolda_delar(ax)
    ax.set_title(
        titel,
        loc="left",
        x=(_KANT - vanster) / axelbredd,
        y=(hojd - _KANT - botten) / axelhojd,
        pad=0,
        va="top",
        color=_TEXT_FARG,
    )
    if forklaring:
        topp = hojd - _KANT
        if pa_titelraden:  # mitt för titelns första rad
            topp -= max(_hojd(1, _TITEL) - _hojd(1, _FORKLARING), 0) / 2
        else:
            topp -= titelhojd + _LUFT
        ax.legend(
            handles=[h for _, h in forklaring],
            labels=[n for n, _ in forklaring],
            loc="upper right",
            bbox_to_anchor=((bredd - _KANT) / bredd, topp / hojd),
            bbox_transform=fig.transFigure,
            frameon=False,
            fontsize=_FORKLARING,
            ncols=len(forklaring),
            borderpad=0,
            borderaxespad=0,
            handlelength=2.0,
            handletextpad=0.6,
            columnspacing=1.2,
        )
    if not_:
        fig.text(
            _KANT / bredd, _KANT / hojd, not_, fontsize=_NOT, color=_NOT_FARG, ha="left",
            va="bottom",
        )  # fmt: skip
    return fig, ax, axelbredd


def _utan_dolda_delar(ax) -> None:
    """Släpp axlarnas tick-objekt, som aldrig ritas (``set_axis_off``).

    matplotlib skapar dem när axlarna skapas (ett major- och ett minor-tick per axel, vart
    och ett med tre linjer, två texter och deras transformer), men med axlarna avstängda
    ritas de inte, varken i SVG eller PNG. Figurerna hålls kvar (:func:`_ritad`), och
    tick-objekten är ungefär en fjärdedel av figurens objekt: utan dem har skräpsamlaren
    mindre att gå igenom. Tick-listorna lämnas i matplotlibs ursprungsläge (de skapas på
    nytt vid behov, som efter ``Axis.reset_ticks``), så ``ax.xaxis.majorTicks`` fungerar.
    """
    for axel in (ax.xaxis, ax.yaxis):
        # som Axis.reset_ticks, men utan att skapa nya tick (reset_ticks sätter klippningen
        # på tick-objekten och skapar dem därmed direkt igen)
        axel.__dict__.pop("majorTicks", None)
        axel.__dict__.pop("minorTicks", None)


def _axeltexter(fig, ax, *, vanster: str = "", under: str = "", luft_under: float = 0.0):
    """Axeletiketter (``xetikett``/``yetikett``) som text: under axlarna och uppe till vänster."""
    from matplotlib.transforms import offset_copy

    if under:
        ax.text(
            0.5, 0, under, ha="center", va="top", fontsize=_ETIKETT, color=_TEXT_FARG,
            transform=offset_copy(ax.transAxes, fig, y=-luft_under, units="points"),
            clip_on=False,
        )  # fmt: skip
    if vanster:
        ax.text(
            0, 1, vanster, ha="left", va="bottom", fontsize=_VARDE, color=_NOT_FARG,
            transform=offset_copy(ax.transAxes, fig, y=_LUFT / 2, units="points"),
            clip_on=False,
        )  # fmt: skip


# ------------------------------------------------------------------------ figurtyperna


def _grupprader(data: pd.DataFrame) -> tuple[list[str], list[int | None], list[bool]]:
    """Raderna i ett liggande stapeldiagram: etiketter, dataradens nummer och rubrikrader.

    Har data en kolumn ``grupp`` (t.ex. insatsen) står gruppens namn en gång, i fetstil, på
    en egen rad ovanför sina staplar, i stället för i varje stapels etikett.
    """
    if "grupp" not in data.columns:
        return [str(x) for x in data["x"]], list(range(len(data))), [False] * len(data)
    etiketter: list[str] = []
    index: list[int | None] = []
    rubrik: list[bool] = []
    forra = object()
    for i, (x, g) in enumerate(zip(data["x"], data["grupp"], strict=True)):
        if g != forra:
            etiketter.append(str(g))
            index.append(None)
            rubrik.append(True)
            forra = g
        etiketter.append(str(x))
        index.append(i)
        rubrik.append(False)
    return etiketter, index, rubrik


def _staplar(figur: Any):
    from matplotlib.lines import Line2D

    data = figur.data
    radtexter, index, rubrikrad = _grupprader(data)
    etiketter = [_etikett(x) for x in radtexter]
    n = len(etiketter)
    pos = np.arange(n, dtype="float64")[::-1]

    def kolumn(namn: str) -> np.ndarray:
        varden = _tal(data[namn]) if namn in data.columns else np.full(len(data), np.nan)
        return np.array([np.nan if i is None else varden[i] for i in index], dtype="float64")

    y, nedre, ovre, mal_y = kolumn("y"), kolumn("nedre"), kolumn("ovre"), kolumn("mal_y")
    mal = {k: float(v) for k, v in figur.mal.items() if v is not None and not pd.isna(v)}

    # radhöjden: 0,45 tum, eller den högsta etiketten med luft ovanför och under
    flest_rader = max((e.count("\n") + 1 for e in etiketter), default=1)
    radhojd = max(0.45 * _PT, _hojd(flest_rader, _ETIKETT) + 2 * _LUFT)
    vanster = _KANT + max((_bredd(e, _ETIKETT, fet=r) for e, r in zip(etiketter, rubrikrad,
                                                                      strict=True)),
                          default=0.0) + _LUFT  # fmt: skip
    forklaring = []
    if mal:
        forklaring = [(k, Line2D([], [], color=_MAL_FARG, linestyle="--")) for k in figur.mal]
    elif "mal_y" in data.columns:
        forklaring = [("Mål", Line2D([], [], color=_MAL_FARG, linewidth=2))]
    under = _hojd(1, _ETIKETT) + _LUFT if figur.xetikett else 0.0
    fig, ax, axelbredd = _figur(
        figur, vanster=vanster, axelhojd=max(n, 1) * radhojd, under=under, forklaring=forklaring
    )

    # värdet står vid stapelns slut (inte vid konfidensintervallets eller målets streck):
    # inne i stapeln när det ryms där, annars direkt efter den
    texter = ["" if r else " .. (maskat)" if np.isnan(v) else
              _text(v, figur.enhet, figur.decimaler)
              for v, r in zip(y, rubrikrad, strict=True)]  # fmt: skip
    hogsta = _hogsta(y, ovre, mal_y, list(mal.values()))
    skala = _skala(y, texter, axelbredd, hogsta, figur.enhet, _VARDE)

    _staplarna(ax, [(0.0, p - 0.3, v, 0.6) for p, v, r in
                    zip(pos, np.nan_to_num(y), rubrikrad, strict=True) if not r],
               FARGER[0])  # fmt: skip
    ok = ~np.isnan(nedre) & ~np.isnan(ovre) & ~np.isnan(y)
    if ok.any():
        from matplotlib.collections import LineCollection

        segment = []
        for p, a, b in zip(pos[ok], nedre[ok], ovre[ok], strict=True):
            segment += [[(a, p), (b, p)], [(a, p - 0.12), (a, p + 0.12)],
                        [(b, p - 0.12), (b, p + 0.12)]]  # fmt: skip
        ax.add_collection(LineCollection(segment, colors="#333333", linewidths=1, zorder=3),
                          autolim=False)  # fmt: skip
    for p, m in zip(pos, mal_y, strict=True):
        if not np.isnan(m):
            ax.plot([m, m], [p - 0.4, p + 0.4], color=_MAL_FARG, linewidth=2.5, zorder=6)
    for namn, varde in mal.items():
        ax.axvline(varde, color=_MAL_FARG, linestyle="--", linewidth=1.5, label=namn, zorder=6)
    ax.axvline(0, color=_LINJE_FARG, linewidth=1.25)  # axellinjen
    for p, v, t, r, m in zip(pos, y, texter, rubrikrad, mal_y, strict=True):
        if r:
            continue
        if np.isnan(v):
            _rader(ax, fig, 0, p, t, bas=ax.transData, ha="left", fontsize=_VARDE,
                   color=_NOT_FARG)  # fmt: skip
            continue
        textbredd = _bredd(t, _VARDE) + 2 * _LUFT
        if not np.isnan(m) and v - textbredd / axelbredd * skala <= m <= v:
            v = m  # målstrecket står i stapelns slut: värdet före strecket
        stapel = v / skala * axelbredd  # (plats för) stapelns längd i punkter
        inne = stapel >= textbredd
        ruta = {"boxstyle": "square,pad=0.15", "edgecolor": "none",
                "facecolor": FARGER[0] if inne else "white"}  # fmt: skip
        _rader(ax, fig, v, p, t, bas=ax.transData, ha="right" if inne else "left",
               dx=-_LUFT / 1.5 if inne else _LUFT / 1.5, fontsize=_VARDE,
               color="white" if inne else _TEXT_FARG, bbox=ruta, zorder=5)  # fmt: skip
    _liggande_axel(ax, fig, pos, etiketter, skala=skala, rader=n, enhet=figur.enhet,
                   fet=rubrikrad)  # fmt: skip
    _axeltexter(fig, ax, under=figur.xetikett, vanster=figur.yetikett, luft_under=_LUFT)
    return fig


def _liggande_axel(ax, fig, pos, etiketter, *, skala: float, rader: int, enhet: str,
                   fet: list[bool] | None = None) -> None:  # fmt: skip
    """Liggande staplar: kategorietiketterna till vänster, axelgränser och talformat."""
    fet = fet or [False] * len(etiketter)
    for p, e, f in zip(pos, etiketter, fet, strict=True):
        _rader(ax, fig, 0, p, e, bas=ax.get_yaxis_transform(), ha="right", dx=-_LUFT,
               fontsize=_ETIKETT, color=_TEXT_FARG,
               fontweight="bold" if f else "normal")  # fmt: skip
    ax.set_xlim(0, skala)
    ax.set_ylim(-0.5, max(rader, 1) - 0.5)
    ax.xaxis.set_major_formatter(_formatter(enhet))


def _grupperade(figur: Any):

    data = figur.data
    kategorier = list(dict.fromkeys(data["x"]))
    grupper = list(dict.fromkeys(data["grupp"]))
    falt = (_BREDD * _PT - 2 * _KANT) / max(len(kategorier), 1)
    etiketter = [_bryt(str(k), _ETIKETT, falt - _LUFT) for k in kategorier]
    etikettrader = max((e.count("\n") + 1 for e in etiketter), default=1)
    if (
        len(kategorier) > 6
        or etikettrader > 3
        or max((_bredd(e, _ETIKETT) for e in etiketter), default=0.0) > falt - _LUFT / 2
    ):  # ryms inte under stående staplar
        return _grupperade_liggande(figur, kategorier, grupper)
    under = _LUFT + _hojd(etikettrader, _ETIKETT)
    if figur.xetikett:
        under += _LUFT + _hojd(1, _ETIKETT)
    forklaring = [(str(g), _patch(FARGER[i % 6])) for i, g in enumerate(grupper)]
    axelhojd = 2.6 * _PT
    fig, ax, axelbredd = _figur(
        figur, vanster=_KANT, axelhojd=axelhojd, under=under, forklaring=forklaring
    )
    bredd = 0.8 / max(len(grupper), 1)
    pos = np.arange(len(kategorier), dtype="float64")
    alla = []
    for i, grupp in enumerate(grupper):
        g = data[data["grupp"] == grupp].set_index("x").reindex(kategorier)
        y = _tal(g["y"])
        alla.append(y)
        x = pos + (i - (len(grupper) - 1) / 2) * bredd
        b = bredd * 0.95
        _staplarna(ax, [(xi - b / 2, 0.0, b, v) for xi, v in zip(x, np.nan_to_num(y), strict=True)],
                   FARGER[i % 6])  # fmt: skip
        for xi, v in zip(x, y, strict=True):
            etikett = ".." if np.isnan(v) else _text(v, figur.enhet, figur.decimaler)
            ax.text(xi, 0 if np.isnan(v) else v, etikett, ha="center", va="bottom",
                    fontsize=8, color=_TEXT_FARG)  # fmt: skip
    # plats ovanför den högsta stapeln för dess värde
    hogsta = _hogsta(*alla)
    ledigt = axelhojd - _hojd(1, 8) - 2
    hogsta = max(hogsta * axelhojd / ledigt, 0.1 if figur.enhet == "andel" else 1.0)
    ax.set_ylim(0, hogsta)
    ax.set_xlim(-0.5, len(kategorier) - 0.5)
    ax.axhline(0, color=_LINJE_FARG, linewidth=1.25)
    for p, e in zip(pos, etiketter, strict=True):
        _rader(ax, fig, p, 0, e, bas=ax.get_xaxis_transform(), ha="center", dy=-_LUFT,
               mitt=False, fontsize=_ETIKETT, color=_TEXT_FARG)  # fmt: skip
    ax.yaxis.set_major_formatter(_formatter(figur.enhet))
    _axeltexter(fig, ax, under=figur.xetikett, vanster=figur.yetikett,
                luft_under=under - _hojd(1, _ETIKETT))  # fmt: skip
    return fig


def _skala(plats, texter, axelbredd: float, hogsta: float, enhet: str, storlek: float) -> float:
    """Värdeaxelns övre gräns: värdeetiketterna (text efter ``plats``) ryms inom axlarna.

    Etiketten till ``plats`` x (dataenheter) börjar ``_LUFT / 1.5`` punkter efter x och är
    ``bredd`` punkter bred: x * axelbredd / gräns + luft + bredd <= axelbredd. Andelar ritas
    mot minst 10 %, så att små andelar inte ser stora ut.
    """
    skala = max(hogsta * 1.02, 0.1 if enhet == "andel" else 0.0)
    for x, t in zip(plats, texter, strict=True):
        ledigt = axelbredd - _LUFT / 1.5 - _bredd(t, storlek) - 2
        if not np.isnan(x) and ledigt > 0:
            skala = max(skala, x * axelbredd / ledigt)
    return skala if skala > 0 else 1.0


def _grupperade_liggande(figur: Any, kategorier: list, grupper: list):
    """Grupperade staplar liggande: en rad per kategori, en stapel per grupp (uppifrån).

    För många kategorier eller etiketter som inte ryms under stående staplar.
    """
    data = figur.data
    etiketter = [_etikett(k) for k in kategorier]
    n, m = len(kategorier), max(len(grupper), 1)
    flest_rader = max((e.count("\n") + 1 for e in etiketter), default=1)
    stapel = 10.0  # punkter per stapel
    radhojd = max(0.45 * _PT, m * stapel / 0.8, _hojd(flest_rader, _ETIKETT) + 2 * _LUFT)
    vanster = _KANT + max((_bredd(e, _ETIKETT) for e in etiketter), default=0.0) + _LUFT
    forklaring = [(str(g), _patch(FARGER[i % 6])) for i, g in enumerate(grupper)]
    fig, ax, axelbredd = _figur(
        figur, vanster=vanster, axelhojd=max(n, 1) * radhojd, under=0.0, forklaring=forklaring
    )
    bredd = 0.8 / m
    pos = np.arange(n, dtype="float64")[::-1]
    serier = []
    for i, grupp in enumerate(grupper):
        g = data[data["grupp"] == grupp].set_index("x").reindex(kategorier)
        serier.append((i, pos + ((m - 1) / 2 - i) * bredd, _tal(g["y"])))
    alla = np.concatenate([y for _, _, y in serier]) if serier else np.array([])
    texter = [".." if np.isnan(v) else _text(v, figur.enhet, figur.decimaler) for v in alla]
    skala = _skala(alla, texter, axelbredd, _hogsta(alla), figur.enhet, 8)
    t = iter(texter)
    for i, p, y in serier:
        b = bredd * 0.95
        _staplarna(ax, [(0.0, pi - b / 2, v, b) for pi, v in zip(p, np.nan_to_num(y), strict=True)],
                   FARGER[i % 6])  # fmt: skip
        for pi, v in zip(p, y, strict=True):
            maskat = bool(np.isnan(v))
            farg = _NOT_FARG if maskat else _TEXT_FARG
            _rader(ax, fig, 0 if maskat else v, pi, next(t), bas=ax.transData, ha="left",
                   dx=_LUFT / 1.5, fontsize=8, color=farg)  # fmt: skip
    ax.axvline(0, color=_LINJE_FARG, linewidth=1.25)
    _liggande_axel(ax, fig, pos, etiketter, skala=skala, rader=n, enhet=figur.enhet)
    _axeltexter(fig, ax, vanster=figur.yetikett)
    return fig


def _staplarna(ax, rektanglar: list[tuple[float, float, float, float]], farg: str) -> None:
    """Staplar som rektanglar (x, y, bredd, höjd) i dataenheter, med vit kant som i temat.

    Som ``Axes.bar`` men utan att uppdatera axlarnas datagränser för varje stapel (gränserna
    sätts här uttryckligen), vilket är det som kostar i ``bar``.
    """
    from matplotlib.patches import Rectangle

    for x, y, bredd, hojd in rektanglar:
        ax.add_artist(Rectangle((x, y), bredd, hojd, facecolor=farg, edgecolor="white",
                                linewidth=1.0))  # fmt: skip


def _patch(farg: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=farg, edgecolor="none")


def _linjer(figur: Any):
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import offset_copy

    data = figur.data
    grupper = list(dict.fromkeys(data["grupp"])) if "grupp" in data.columns else [None]
    numerisk = pd.api.types.is_numeric_dtype(data["x"])
    if numerisk:
        x_varden = sorted(set(data["x"]))
        position = {x: x for x in x_varden}
    else:  # kategorier (t.ex. periodnamn) i den ordning de står
        x_varden = list(dict.fromkeys(data["x"]))
        position = {x: i for i, x in enumerate(x_varden)}
    alla = _tal(data["y"])
    lag, hog = float(np.nanmin(alla)), float(np.nanmax(alla))
    if figur.enhet == "andel" and figur.decimaler == 0:
        ymin, ymax = 0.0, max(hog * 1.25, 0.05)  # andelar från noll: inga överdrivna skillnader
    else:
        spann = max(hog - lag, 0.02 if figur.enhet == "andel" else 1.0)
        ymin, ymax = max(0.0, lag - spann * 0.6), hog + spann * 0.6
    steg = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(ymin, ymax)
    ticks = [t for t in steg if ymin - 1e-12 <= t <= ymax + 1e-12]
    avstand = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    if figur.enhet == "andel":
        tickdecimaler = 0 if avstand >= 0.01 - 1e-12 else 1
    else:
        tickdecimaler = 0 if float(avstand).is_integer() else 1
    formatter = _formatter(figur.enhet, tickdecimaler)
    tickettiketter = [formatter(t, i) for i, t in enumerate(ticks)]

    xetiketter = [_etikett(str(x), 14) for x in x_varden]
    rader = max((e.count("\n") + 1 for e in xetiketter), default=1)
    under = _LUFT + _hojd(rader, _ETIKETT)
    if figur.xetikett:
        under += _LUFT + _hojd(1, _ETIKETT)
    vanster = _KANT + max((_bredd(t, _ETIKETT) for t in tickettiketter), default=0.0) + _LUFT
    # en grupp utan värden ritas inte, men de andra behåller sina färger (samma färg per
    # grupp i alla figurer med samma grupper)
    sista_texter = []
    for grupp in grupper:
        g = data if grupp is None else data[data["grupp"] == grupp]
        if numerisk:
            g = g.sort_values("x")
        sista_texter.append(g)
    har = [bool((~np.isnan(_tal(g["y"]))).any()) for g in sista_texter]
    forklaring = []
    if grupper != [None]:
        forklaring = [(str(g), Line2D([], [], color=FARGER[i % 6], linewidth=2, marker="o"))
                      for i, g in enumerate(grupper) if har[i]]  # fmt: skip

    def sista(g) -> tuple[Any, float]:  # sista punkten med ett värde
        y = _tal(g["y"])
        j = int(np.flatnonzero(~np.isnan(y))[-1])
        return g["x"].iloc[j], float(y[j])

    # sista värdet står till höger om linjen: plats för den bredaste etiketten
    slutetikett = max(
        (_bredd(_text(sista(g)[1], figur.enhet, figur.decimaler), _VARDE)
         for g, h in zip(sista_texter, har, strict=True) if h), default=0.0,
    )  # fmt: skip
    fig, ax, axelbredd = _figur(
        figur, vanster=vanster, axelhojd=2.6 * _PT, under=under, forklaring=forklaring
    )
    for i, g in enumerate(sista_texter):
        if not har[i]:
            continue
        x = [position[v] for v in g["x"]]
        ax.plot(x, _tal(g["y"]), marker="o", linewidth=2, color=FARGER[i % 6], label=grupper[i])
        sx, sy = sista(g)
        ax.text(position[sx], sy, _text(sy, figur.enhet, figur.decimaler), va="center",
                ha="left", fontsize=_VARDE, color=FARGER[i % 6],
                transform=offset_copy(ax.transData, fig, x=_LUFT, units="points"))  # fmt: skip
    forsta, sista = position[x_varden[0]], position[x_varden[-1]]
    if len(x_varden) > 1:
        vanstergrans = forsta - 0.3 * max(1, (sista - forsta) / len(x_varden))
        # högergränsen: plats för slutvärdets etikett efter sista punkten
        andel = (_LUFT + slutetikett + _KANT) / axelbredd
        hogergrans = sista + max(0.3 * max(1, (sista - forsta) / len(x_varden)),
                                 (sista - vanstergrans) * andel / max(1 - andel, 0.2))  # fmt: skip
    else:
        vanstergrans, hogergrans = forsta - 1, forsta + 1
    ax.set_xlim(vanstergrans, hogergrans)
    ax.set_ylim(ymin, ymax)
    ax.add_collection(
        LineCollection([[(0, t), (1, t)] for t in ticks], colors=_LINJE_FARG, linewidths=1.0,
                       transform=ax.get_yaxis_transform(), zorder=0),
        autolim=False,
    )  # fmt: skip
    tickplats = offset_copy(ax.get_yaxis_transform(), fig, x=-_LUFT, units="points")
    for t, e in zip(ticks, tickettiketter, strict=True):
        ax.text(0, t, e, ha="right", va="center", fontsize=_ETIKETT, color=_TEXT_FARG,
                transform=tickplats, clip_on=False)  # fmt: skip
    for x, e in zip(x_varden, xetiketter, strict=True):
        _rader(ax, fig, position[x], 0, e, bas=ax.get_xaxis_transform(), ha="center",
               dy=-_LUFT, mitt=False, fontsize=_ETIKETT, color=_TEXT_FARG)  # fmt: skip
    ax.yaxis.set_major_formatter(_formatter(figur.enhet))
    _axeltexter(fig, ax, under=figur.xetikett, vanster=figur.yetikett,
                luft_under=under - _hojd(1, _ETIKETT))  # fmt: skip
    return fig


_RITARE = {
    "staplar": _staplar,
    "resultat_mot_mal": _staplar,
    "grupperade_staplar": _grupperade,
    "linjer": _linjer,
}


def rita(figur: Any):
    """Rita en figur; returnerar en ``matplotlib.figure.Figure``.

    Figuren skapas utan pyplot (den registreras inte i pyplot och visas därför aldrig av
    notebookens inline-backend); ``plt.close(fig)`` behövs inte men skadar inte.

    Examples
    --------
    >>> from finsam_analys.rapport import Figur
    >>> f = Figur("staplar", pd.DataFrame({"x": ["Arbete", "Studier"], "y": [7 / 55, 5 / 55]}),
    ...           titel="Utfall", mal={"Mål": 0.25})
    >>> fig = rita(f)
    >>> fig.axes[0].get_title(loc="left"), fig.axes[0].xaxis.get_major_formatter()(0.25, 0)
    ('Utfall', '25\\xa0%')
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['13\\xa0%', '9\\xa0%', 'Arbete', 'Studier']
    """
    _tema()
    return _bygg(figur)


def _bygg(figur: Any):
    """:func:`rita` efter :func:`_tema` (som :func:`_ritad` redan har anropat)."""
    ritare = _RITARE.get(figur.typ)
    if ritare is None:
        raise ValueError(f"Okänd figurtyp {figur.typ!r}.")
    return ritare(figur)


_RITADE_MAX = 16
_ritade: dict[bytes, Any] = {}


def _ritad(figur: Any):
    """:func:`rita`, men samma figur ritas en gång: rapporten sparar varje figur två gånger
    (SVG i HTML-rapporten, PNG i Word), och att bygga figuren (axlar, texter, måtten för
    layouten) är ungefär hälften av arbetet.

    Nyckeln är figurens innehåll (alla fält och data) och matplotlibs inställningar efter
    :func:`_tema`: samma nyckel ger samma figur. ``savefig`` ändrar inte figuren (upplösning
    och ritare återställs efteråt), så SVG och PNG blir byte-identiska med en nyritad figur.
    De senaste :data:`_RITADE_MAX` figurerna sparas.
    """
    import pickle

    import matplotlib

    _tema()
    try:
        nyckel = pickle.dumps(
            (figur, sorted(dict.items(matplotlib.rcParams))), protocol=pickle.HIGHEST_PROTOCOL
        )
    except (pickle.PicklingError, TypeError, AttributeError):
        return rita(figur)
    fig = _ritade.pop(nyckel, None)
    if fig is None:
        fig = _bygg(figur)  # temat är redan satt (ovan)
    _ritade[nyckel] = fig  # sist: senast använd
    while len(_ritade) > _RITADE_MAX:
        del _ritade[next(iter(_ritade))]
    return fig


_SVG_DOCTYPE = (
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
    b'  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
)


def som_svg(figur: Any) -> bytes:
    """Rita figuren och returnera SVG (UTF-8) med texten som text.

    Deterministisk: inget datum eller programversion i metadata och fasta id:n
    (``svg.hashsalt``), så samma figur ger samma bytes. Ingen dokumenttypsdeklaration (den
    pekar på en extern DTD som ingen webbläsare behöver).

    Examples
    --------
    >>> from finsam_analys.rapport import Figur
    >>> f = Figur("staplar", pd.DataFrame({"x": ["Hälsa"], "y": [0.5]}), titel="Åtgärd")
    >>> svg = som_svg(f)
    >>> svg.startswith(b"<?xml") and b"<svg " in svg and svg == som_svg(f)
    True
    >>> ">Åtgärd</text>" in svg.decode("utf-8"), ">50\\xa0%</text>" in svg.decode("utf-8")
    (True, True)
    """
    fig = _ritad(figur)
    buffert = io.BytesIO()
    with _delade_textmatt():
        fig.savefig(
            buffert,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return buffert.getvalue().replace(_SVG_DOCTYPE, b"", 1)


class _Bildpunkter:
    """Tar emot Aggs bildpunkter när figuren sparas med ``format="rgba"``.

    Agg skriver sin buffert som en ``memoryview`` med formen (höjd, bredd, 4); den sparas utan
    att kopieras. Annat (en framtida matplotlib som skriver bytes) sparas som ``None``, och
    :func:`som_png` ritar då PNG:n med matplotlib och Pillow i stället.
    """

    def __init__(self) -> None:
        self.bild: np.ndarray | None = None
        self.skrivet = False

    def write(self, data: Any) -> int:
        bild = np.asarray(data) if isinstance(data, memoryview) else None
        if self.skrivet or bild is None or bild.ndim != 3 or bild.shape[2] != 4:
            self.bild = None
        else:
            self.bild = bild
        self.skrivet = True
        return len(memoryview(data).cast("B"))

    def seek(self, *args: Any) -> int:  # matplotlib kräver ett filobjekt som kan söka
        return 0

    def tell(self) -> int:
        return 0


def _png_del(typ: bytes, innehall: bytes) -> bytes:
    import struct
    import zlib

    return (struct.pack(">I", len(innehall)) + typ + innehall
            + struct.pack(">I", zlib.crc32(typ + innehall)))  # fmt: skip


def _png(bild: np.ndarray, *, dpi: float, komprimering: int) -> bytes:
    """RGBA-bildpunkter (höjd, bredd, 4) som PNG: 8 bitar per kanal, ingen sammanflätning.

    Samma delar som Pillow skriver åt matplotlib (``IHDR``, ``pHYs`` med upplösningen,
    ``IDAT``, ``IEND``, ingen text), men raderna filtreras inte (PNG-filtret *None*): för
    figurernas stora enfärgade ytor ger det en lika liten fil som Pillows adaptiva filter och
    tar ungefär hälften av tiden. Bildpunkterna är desamma.

    Examples
    --------
    >>> from PIL import Image
    >>> bild = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    >>> png = _png(bild, dpi=150, komprimering=1)
    >>> las = Image.open(io.BytesIO(png))
    >>> las.mode, las.size, np.array_equal(np.asarray(las), bild), las.info["dpi"][0] > 149.9
    ('RGBA', (3, 2), True, True)
    """
    import struct
    import zlib

    hojd, bredd, kanaler = bild.shape
    bildrader = bild.reshape(hojd, bredd * kanaler)
    # zlibs minnesnivå 6 i stället för 8: mindre hashtabeller som ryms i processorns cache,
    # ~12 % snabbare på figurerna (och lika små filer)
    packare = zlib.compressobj(komprimering, zlib.DEFLATED, 15, 6)
    # raderna (med filtrets byte först, 0 = None) packas 64 i taget ur en buffert som ryms i
    # processorns cache, i stället för att hela bilden kopieras först
    rader = np.zeros((min(64, hojd), bredd * kanaler + 1), dtype=np.uint8)
    packat = []
    for start in range(0, hojd, len(rader)):
        antal = min(len(rader), hojd - start)
        rader[:antal, 1:] = bildrader[start : start + antal]
        packat.append(packare.compress(rader[:antal]))
    packat.append(packare.flush())
    per_meter = int(dpi / 0.0254 + 0.5)  # som Pillow
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_del(b"IHDR", struct.pack(">IIBBBBB", bredd, hojd, 8, 6, 0, 0, 0)),
            _png_del(b"pHYs", struct.pack(">IIB", per_meter, per_meter, 1)),
            _png_del(b"IDAT", b"".join(packat)),
            _png_del(b"IEND", b""),
        )
    )


def som_png(figur: Any, *, dpi: int = 110, komprimering: int = 6) -> bytes:
    """Rita figuren och returnera PNG-bytes (deterministiska: ingen tidsstämpel från Agg).

    ``komprimering`` är zlibs nivå (0–9, standard 6 som i Pillow): den ändrar filens storlek
    och tiden det tar att skriva den, aldrig bildpunkterna. Figuren ritas av Agg som vanligt;
    bildpunkterna kodas till PNG här (:func:`_png`), på halva tiden mot Pillow.

    Examples
    --------
    >>> from finsam_analys.rapport import Figur
    >>> png = som_png(Figur("staplar", pd.DataFrame({"x": ["A"], "y": [0.5]}), titel="T"))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> import numpy as np
    >>> from PIL import Image
    >>> snabb = som_png(Figur("staplar", pd.DataFrame({"x": ["A"], "y": [0.5]}), titel="T"),
    ...                 komprimering=1)
    >>> np.array_equal(*(np.asarray(Image.open(io.BytesIO(b))) for b in (png, snabb)))
    True
    """
    fig = _ritad(figur)
    bildpunkter = _Bildpunkter()
    with _delad_agg_text():
        fig.savefig(bildpunkter, format="rgba", dpi=dpi)
    if bildpunkter.bild is not None:
        return _png(bildpunkter.bild, dpi=dpi, komprimering=komprimering)
    return _png_med_pillow(fig, dpi=dpi, komprimering=komprimering)


def _png_med_pillow(fig: Any, *, dpi: int, komprimering: int) -> bytes:
    """PNG med matplotlib och Pillow (samma bildpunkter som :func:`_png`)."""
    buffert = io.BytesIO()
    fig.savefig(
        buffert,
        format="png",
        dpi=dpi,
        metadata={"Software": None},
        pil_kwargs={"compress_level": komprimering},
    )
    return buffert.getvalue()


def forvarm() -> None:
    """Rita en figur av varje typ och kasta dem: typsnitt, textmått och matplotlib laddas.

    För en förvärmd process (en mall som forkar rapportkärnor): matplotlibs inställningar
    (rcParams) återställs efteråt, och det som finns kvar är bara cacher, som inte ändrar några
    figurer (samma bytes med och utan förvärmning). Sparar ungefär 0,1 s i rapportens första
    figur när matplotlib redan är importerat.

    Examples
    --------
    >>> import matplotlib
    >>> fore = dict(matplotlib.rcParams)
    >>> forvarm()
    >>> dict(matplotlib.rcParams) == fore
    True
    """
    import matplotlib

    from finsam_analys.tabell import Figur

    staplar = pd.DataFrame(
        {"x": ["Arbete eller studier", "Ohälsa"], "y": [0.3, np.nan], "nedre": [0.2, np.nan],
         "ovre": [0.4, np.nan], "mal_y": [0.25, 0.3]}
    )  # fmt: skip
    figurerna = [
        Figur("staplar", staplar, titel="Utfall, 2024", mal={"Mål": 0.25}, not_="Not."),
        Figur("resultat_mot_mal", staplar, titel="Resultat mot mål"),
        Figur("grupperade_staplar", pd.DataFrame({"x": ["Övrigt"] * 2, "grupp": ["Före", "Efter"],
                                                  "y": [0.3, 0.4]}), titel="Försörjning"),
        Figur("linjer", pd.DataFrame({"x": [2023, 2024], "y": [0.1, 0.2]}), titel="HÅE",
              decimaler=1),
    ]  # fmt: skip
    with matplotlib.rc_context():
        for figur in figurerna:
            som_svg(figur)
    _ritade.clear()


_GRUPP_I_ETIKETT = re.compile(r"^(.*\S) \(([^()]+)\)$")


def _delad_grupp(etiketter: list[str]) -> tuple[list[str], list[str]] | None:
    """Etiketter som alla slutar med samma slags parentes ("Avbrott (Unga vuxna)"), i följd
    per grupp: (etiketter utan parentes, grupper); annars ``None``.

    Gruppen (oftast insatsen) skrivs då en gång ovanför sina staplar, inte vid varje stapel.

    Examples
    --------
    >>> _delad_grupp(["Avbrott (A)", "Hälsa (A)", "Avbrott (B)"])
    (['Avbrott', 'Hälsa', 'Avbrott'], ['A', 'A', 'B'])
    >>> _delad_grupp(["Kommunen (socialtjänsten)", "AF"]) is None
    True
    """
    traffar = [_GRUPP_I_ETIKETT.match(e) for e in etiketter]
    if len(etiketter) < 2 or not all(traffar):
        return None
    grupper = [t.group(2) for t in traffar]
    foljder = [g for i, g in enumerate(grupper) if i == 0 or grupper[i - 1] != g]
    if len(set(grupper)) == len(grupper) or len(foljder) != len(set(foljder)):
        return None
    return [t.group(1) for t in traffar], grupper


def figur_ur_diagram(diagram: Any, tabell: Any) -> Any:
    """En :class:`~finsam_analys.tabell.Figur` ur ett diagram och dess tabell (efter
    kontrollpunkterna): värdena är tabellens avrundade ``visning``, maskade värden NaN,
    summarader ritas inte.

    Examples
    --------
    >>> from finsam_analys.tabell import Diagram, Storhet, Tabell
    >>> t = Tabell.fordelning(pd.Series({"Arbete": 7, "Studier": 5}), namn="u", titel="Utfall",
    ...                       bas=Storhet.av("a"), dimension="utfall", kategorirubrik="Utfall")
    >>> f = figur_ur_diagram(Diagram("staplar", "u", x="Utfall", y="Andel"), t)
    >>> f.data["x"].tolist(), [round(v, 3) for v in f.data["y"]]
    (['Arbete', 'Studier'], [0.583, 0.417])
    """
    from finsam_analys.tabell import Figur

    visning = tabell.visning if tabell.visning is not None else tabell.data
    rader = [i for i in range(len(visning)) if i not in set(tabell.summarader)]

    def tal(kolumn: str) -> list[float]:
        varden = visning[kolumn].iloc[rader].tolist()
        return [
            float(v) if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
                v, bool) else np.nan
            for v in varden
        ]  # fmt: skip

    x = [str(v) for v in visning[diagram.x].iloc[rader].tolist()]
    delad = None if diagram.grupper or diagram.typ != "staplar" else _delad_grupp(x)
    if diagram.grupper:
        delar = [
            pd.DataFrame({"x": x, "grupp": g, "y": tal(g)}) for g in diagram.grupper
        ]
        data = pd.concat(delar, ignore_index=True)
    else:
        data = pd.DataFrame({"x": x, "y": tal(diagram.y)})
        if diagram.nedre and diagram.ovre:
            data["nedre"], data["ovre"] = tal(diagram.nedre), tal(diagram.ovre)
        if diagram.mal:
            data["mal_y"] = tal(diagram.mal)
        if delad is not None:
            data["x"], data["grupp"] = delad
    alt = diagram.alt or (
        f"Diagram: {diagram.titel or tabell.titel}. Samma värden står i tabellen "
        f"{tabell.titel}."
    )
    kolumner = [k for k in tabell.kolumner if k.namn in {diagram.y, *diagram.grupper}]
    return Figur(
        diagram.typ,
        data,
        titel=diagram.titel or tabell.titel,
        enhet=diagram.enhet,
        alt=alt,
        not_=diagram.not_,
        tabell=tabell.namn,
        mal=dict(getattr(diagram, "referenslinjer", {}) or {}),
        decimaler=max((k.precision for k in kolumner), default=0),
    )
