"""HTML-export av en körd rapport-notebook: utan kod, självständig, utskriftsvänlig, deterministisk.

Utskrift: :mod:`finsam_analys.presentation.utskrift` (A4, inga avklippta tabeller, rubriker
ihop med det som följer, sidfot med förbund, period och sidnummer) ligger sist i sidans stilar.

Varje sida har en Content-Security-Policy (:data:`CSP`): inga skript körs och inget hämtas,
bara sidans egna inbäddade stilar och ``data:``-bilder används.

Exporten använder nbconvert:s ``HTMLExporter`` med lab-mallen och tre inställningar som döljer
koden (``exclude_input``, ``exclude_input_prompt``, ``exclude_output_prompt``). Standardmallen
laddar require.js, MathJax och mermaid från nätet; här ärver en egen mall (``finsam.html.j2``,
definierad som text i den här modulen så att inga mallfiler behöver följa med paketet) lab-mallen
och tömmer de blocken. Resultatet laddar ingenting utifrån när sidan öppnas: bilder ligger som
``data:``-URI:er och all CSS inbäddad.

Deterministisk: samma körda notebook och samma argument ger byte-identisk HTML. Därför

* tas den injicerade parametercellen (papermill-taggen ``injected-parameters``) och
  parametercellen (``parameters``) bort ur exporten, liksom celler taggade ``dolj``;
* får cellerna id:n ``cell-1``, ``cell-2``, … i stället för notebookens;
* är titeln fast (förbund och period), och sidhuvudet visar det skapandedatum som skickas in,
  aldrig klockan;
* byts pandas Styler-tabellernas id:n (slumpade ``T_3f2a1`` och
  :func:`finsam_analys.presentation.tabellvisning.stila`s ``T_tab12``) mot löpnummer
  (``T_finsam1``) i
  dokumentets ordning, så att HTML:en inte beror på vad kärnan gjort tidigare;
* tas utdata till stderr (varningar) bort ur HTML:en; de finns kvar i den körda notebooken.

Figurer: SVG (``image/svg+xml``, som :func:`finsam_analys.presentation.tabellvisning.visa` visar
dem) bäddas
in som ``<img src="data:image/svg+xml;base64,...">``, så att id:n i olika SVG inte krockar och
ingen SVG-kod hamnar i sidan; PNG som ``<img src="data:image/png;base64,...">``. Båda får
alt-texten i utdatans metadata ``{"finsam": {"alt": "..."}}`` eller annars "Figur".

Matplotlib-figurer som notebooken visar själv (inline-backend) sparas som PNG; PNG från Agg
innehåller ingen tidsstämpel. För SVG/PDF se :func:`deterministiska_figurer`.

Prestanda: exportören (nbconvert, mallen kompilerad) byggs en gång per process. nbconvert:s
``HTMLExporter`` tolkar annars hela den färdiga sidan med BeautifulSoup för att sätta
``tabindex`` och saknade alt-texter (en tredjedel av tiden); här sätts ``tabindex`` med ett
reguljärt uttryck och alt-texterna i mallen. Notebooken kopieras inte i onödan (nbconvert
kopierar den själv) och valideras en gång, inte efter varje förbehandlare.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from typing import Any

from finsam_analys.presentation.utskrift import UTSKRIFT_CSS, sidfot_css

__all__ = [
    "CSP",
    "deterministiska_figurer",
    "exportera_html",
    "externa_referenser",
    "forvarm",
]

# Taggar på celler som aldrig visas i HTML-rapporten.
DOLDA_TAGGAR = frozenset({"injected-parameters", "parameters", "dolj"})

_CSS = """
:root { --finsam-text: #1a1a1a; --finsam-linje: #b8b8b8; }
body.jp-Notebook { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
.finsam-sidhuvud { border-bottom: 2px solid var(--finsam-text); margin-bottom: 1.5rem;
  padding-bottom: .5rem; color: var(--finsam-text);
  font-family: var(--jp-content-font-family); }
.finsam-sidhuvud .finsam-forbund { font-size: 1.6rem; font-weight: 600; margin: 0; }
.finsam-sidhuvud .finsam-period { font-size: 1.15rem; margin: .25rem 0 0; }
.finsam-sidhuvud .finsam-skapad { font-size: .9rem; margin: .25rem 0 0; color: #555; }
.finsam-sidhuvud .finsam-markering { font-size: 1rem; margin: .5rem 0 0; padding: .4rem .6rem;
  border: 2px solid #a00000; color: #a00000; font-weight: 600; }
.jp-Cell.jp-mod-noOutputs { display: none; }
.jp-RenderedHTMLCommon table { font-variant-numeric: tabular-nums; }
"""

# Mallen ärver lab-mallen (template_name="lab") och tar bort allt som hämtas från nätet.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)
"""Content-Security-Policy i varje rapport: inga skript, inga hämtningar, bara rapportens egna
inbäddade stilar och ``data:``-bilder. Även om något skulle slinka igenom escapningen körs det
inte och hämtar ingenting."""

_MALL = (
    """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}
<meta http-equiv="Content-Security-Policy" content='"""
    + CSP.replace("'", "&#39;")
    + """'>
{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<style type="text/css">"""
    + _CSS
    + UTSKRIFT_CSS
    + """</style>
{%- if resources.finsam.sidfot_css %}
<style type="text/css">{{ resources.finsam.sidfot_css }}</style>
{%- endif %}
{%- endblock extra_css -%}
{%- block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" \
alt="{{ (output.metadata.get('finsam', {}).get('alt') or 'Figur') | escape_html }}"
{%- set width=output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width={{ width | escape_html }}{%- endif %}
{%- set height=output | get_metadata('height', 'image/png') -%}
{%- if height is not none %} height={{ height | escape_html }}{%- endif %}>
</div>
{%- endblock data_png -%}
{%- block data_svg scoped -%}
<div class="jp-RenderedImage jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" \
data-mime-type="image/svg+xml">
<img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 }}" \
alt="{{ (output.metadata.get('finsam', {}).get('alt') or 'Figur') | escape_html }}">
</div>
{%- endblock data_svg -%}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<header class="finsam-sidhuvud">
<p class="finsam-forbund">{{ resources.finsam.forbund | escape_html }}</p>
<p class="finsam-period">{{ resources.finsam.period | escape_html }}</p>
<p class="finsam-skapad">Skapad {{ resources.finsam.skapad | escape_html }}</p>
{%- if resources.finsam.markering %}
<p class="finsam-markering">{{ resources.finsam.markering | escape_html }}</p>
{%- endif %}
</header>
<main>
{%- endblock body_header -%}
"""
)

_RE_STYLER_ID = re.compile(r"T_(?:[0-9a-f]{5}|tab[0-9]+)(?=[_\"'\s{.,:#>\[])")
_RE_TABINDEX = re.compile(
    r'<div class="(?:[^"]*\s)?(?:jp-OutputArea-output|jp-Cell-inputWrapper)(?:\s[^"]*)?"'
)
_RE_REFERENS = re.compile(r"""\b(?:src|href)\s*=\s*(["']?)([^"'\s>]*)\1""", re.IGNORECASE)
_RE_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.IGNORECASE)
_RE_CSS_IMPORT = re.compile(r"""@import\s+(["'])([^"']*)\1""", re.IGNORECASE)


@functools.cache
def _exporter():
    """HTML-exportören (en per process; mallen kompileras vid första exporten)."""
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Exporter(HTMLExporter):
        """``HTMLExporter`` utan efterbearbetningen med BeautifulSoup.

        Som ``HTMLExporter.from_notebook_node`` (samma filter), men ``tabindex`` sätts med
        :data:`_RE_TABINDEX` och alt-texterna i mallen i stället för i en tolkning av hela
        sidan.
        """

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            self.register_filter(
                "highlight_code",
                self.filters.get("highlight_code", Highlight2HTML(pygments_lexer="python",
                                                                  parent=self)),
            )  # fmt: skip
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            text, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _RE_TABINDEX.sub(lambda m: m.group(0) + ' tabindex="0"', text), resources

    return Exporter(
        template_name="lab",
        template_file="finsam.html.j2",
        extra_loaders=[jinja2.DictLoader({"finsam.html.j2": _MALL})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        theme="light",
        language_code="sv",
        optimistic_validation=True,  # validera en gång, inte efter varje förbehandlare
    )


def _synliga_celler(celler: Iterable[Any]) -> list[Any]:
    """Cellerna som ska synas, med stabila id:n och utan stderr-utdata.

    Grunda kopior (en ny cell med ny utdatalista): inget i den inlämnade notebooken ändras, och
    nbconvert kopierar själv notebooken innan den bearbetas.
    """
    from nbformat import NotebookNode

    synliga = []
    for cell in celler:
        taggar = set(cell.get("metadata", {}).get("tags", []))
        if taggar & DOLDA_TAGGAR:
            continue
        cell = NotebookNode(cell)
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                ut
                for ut in cell.get("outputs", [])
                if not (ut.get("output_type") == "stream" and ut.get("name") == "stderr")
            ]
            if not cell["outputs"]:
                continue
        cell["id"] = f"cell-{len(synliga) + 1}"
        synliga.append(cell)
    return synliga


def _normalisera_styler_id(text: str) -> str:
    """Byt pandas Stylers tabell-id:n (``T_3f2a1``, ``T_tab12``) mot löpnummer i ordning."""
    nya: dict[str, str] = {}

    def byt(traff: re.Match[str]) -> str:
        gammal = traff.group(0)
        if gammal not in nya:
            nya[gammal] = f"T_finsam{len(nya) + 1}"
        return nya[gammal]

    return _RE_STYLER_ID.sub(byt, text)


def exportera_html(
    nb: Any, *, titel: str, forbund: str, period: str, skapad: str, markering: str = ""
) -> str:
    """Exportera en körd notebook till självständig HTML utan kod.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Den körda notebooken. Muteras inte.
    titel : str
        Sidans ``<title>``.
    forbund, period, skapad : str
        Texterna i sidhuvudet: förbundets namn, rapportperiodens namn och skapandedatum.
    markering : str
        En tydlig rad i sidhuvudet (t.ex. att perioden ligger efter uttagsdatumet); tom = ingen.

    Returns
    -------
    str
        HTML-dokumentet.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("# Rubrik"),
    ...             nbformat.v4.new_code_cell("x = 1", outputs=[])]
    >>> sida = exportera_html(nb, titel="Test", forbund="Förbundet", period="2019",
    ...                       skapad="2026-01-31")
    >>> "Förbundet" in sida and "x = 1" not in sida, externa_referenser(sida)
    (True, [])
    """
    from nbformat import from_dict

    kopia = from_dict(
        {
            "nbformat": 4,
            "nbformat_minor": max(5, nb.get("nbformat_minor", 5)),
            "metadata": {
                "title": titel,
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
            },
            "cells": [],
        }
    )
    kopia.cells = _synliga_celler(nb.cells)
    resurser = {
        "metadata": {"name": titel},
        "finsam": {
            "forbund": forbund,
            "period": period,
            "skapad": skapad,
            "markering": markering,
            "sidfot_css": sidfot_css(forbund, period),
        },
    }
    text, _ = _exporter().from_notebook_node(kopia, resources=resurser)
    return _normalisera_styler_id(text)


def externa_referenser(text: str) -> list[str]:
    """Lista alla referenser i HTML/CSS som skulle hämtas utanför dokumentet.

    Godtas: ``data:``-URI:er, ankare (``#...``) och tomma värden. Allt annat i ``src``,
    ``href``, CSS ``url(...)`` och ``@import`` räknas som externt (även relativa sökvägar och
    ``file:``, eftersom en självständig rapport inte ska behöva andra filer).

    Examples
    --------
    >>> externa_referenser('<img src="data:image/png;base64,AA"><a href="#avslut">x</a>')
    []
    >>> externa_referenser('<script src="https://cdn.example/require.js"></script>')
    ['https://cdn.example/require.js']
    """
    hittade = []
    for monster in (_RE_REFERENS, _RE_CSS_URL, _RE_CSS_IMPORT):
        for traff in monster.finditer(text):
            varde = html.unescape(traff.group(2)).strip()
            if not varde or varde.startswith("#") or varde.lower().startswith("data:"):
                continue
            hittade.append(varde)
    return hittade


def forvarm() -> None:
    """Bygg exportören och kompilera mallen genom en export av en liten notebook.

    Den första exporten i en process kostar annars ungefär 0,9 s CPU (exportören 0,55 s,
    mallen 0,3 s); en förvärmd process (t.ex. en forkserver som förladdas) gör det en gång.

    Examples
    --------
    >>> forvarm()
    >>> _exporter.cache_info().currsize
    1
    """
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Förvärmning")]
    exportera_html(nb, titel="Förvärmning", forbund="", period="", skapad="")


def deterministiska_figurer() -> None:
    """Ställ in matplotlib så att sparade figurer blir byte-identiska mellan körningar.

    Tar bort datum/programversion ur SVG- och PDF-metadata och fixerar SVG:s id-salt.
    Anropas i notebookens första kodcell (ändrar global matplotlib-inställning; det är
    avsikten i en rapportkärna).

    Examples
    --------
    >>> deterministiska_figurer()
    >>> import matplotlib
    >>> matplotlib.rcParams["svg.hashsalt"]
    'finsam-analys'
    """
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "finsam-analys"
    matplotlib.rcParams["savefig.format"] = "png"
    try:  # bara i en IPython-kärna med inline-backend
        from IPython import get_ipython

        if get_ipython() is not None:
            from matplotlib_inline.backend_inline import InlineBackend

            backend = InlineBackend.instance()
            backend.print_figure_kwargs = {
                **backend.print_figure_kwargs,
                "metadata": {"Software": None},
            }
    except ImportError:  # pragma: no cover - IPython finns alltid i rapportmiljön
        pass
