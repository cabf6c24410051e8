"""Utskriftsstilmallen för HTML-rapporten: A4, inga avklippta tabeller, sidfot med sidnummer.

HTML-rapporten skrivs ut av webbläsaren (förbundschefen väljer *Skriv ut*, eller
:mod:`finsam_analys.korning.webblasare` skriver ``rapport.pdf``). :data:`UTSKRIFT_CSS` gäller
bara vid utskrift (``@media print``) och gör sidan till ett tryckt dokument:

* **A4** med marginaler för sidfoten; brödtext 10 pt (JupyterLabs 14 px och radavstånd 1,6
  är skärmens);
* **tabeller rullar aldrig och klipps aldrig**: skärmens rullningslister (``overflow``) tas
  bort, tabellen får sidans bredd, rubrikceller och textceller bryts, tal står kvar på en rad,
  och en bred tabell (fler än :data:`BRED_TABELL` kolumner, klassen ``finsam-bred``) sätts med
  mindre stil; en tabell som inte ryms på sidan delas mellan rader och upprepar rubrikraden;
* **rubriker hålls ihop med det som följer** (``break-after: avoid`` och ett block per rubrik
  och text, och figurer och tabeller delas inte);
* en tabell som ändå inte ryms på en stående sida (:func:`utskriftsklass` uppskattar dess
  minsta bredd: längsta ordet i varje rubrik och längsta talet i varje kolumn) skrivs ut på en
  **liggande sida** (``@page liggande``, klassen ``finsam-liggande``);
* **figurer** får högst sidans bredd och en lagom höjd;
* **sidfoten** (``@page``-marginalrutor, :func:`sidfot_css`) har förbundet och perioden till
  vänster och "Sida N av M" till höger.

Examples
--------
>>> "@media print" in UTSKRIFT_CSS and "size: A4" in UTSKRIFT_CSS
True
>>> css = sidfot_css("Förbundet", "2019")
>>> 'content: "Förbundet \\\\00b7  2019"' in css, 'counter(page) " av " counter(pages)' in css
(True, True)
"""

from __future__ import annotations

__all__ = ["BRED_TABELL", "UTSKRIFT_CSS", "css_text", "sidfot_css", "utskriftsklass"]

BRED_TABELL = 7
"""En tabell med fler kolumner än så sätts med mindre stil vid utskrift (``finsam-bred``)."""

SKRIVBAR_BREDD_PX = (210 - 2 * 14) / 25.4 * 96
"""A4 stående minus sidans marginaler, i CSS-pixlar (96 per tum): ungefär 688."""

UTSKRIFT_CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
@page liggande { size: A4 landscape; margin: 12mm 14mm 14mm; }
@media print {
  :root, body { --jp-content-font-size1: 9.5pt; --jp-content-line-height: 1.32; }
  .jp-RenderedHTMLCommon, .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li {
    font-size: 9.5pt !important; line-height: 1.32 !important; }
  body.jp-Notebook { max-width: none; margin: 0; padding: 0; }
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output, .jp-RenderedHTMLCommon { padding: 0 !important; margin: 0 !important;
    overflow: visible !important; max-height: none !important; }
  .jp-OutputArea-prompt, .jp-InputPrompt, .jp-Collapser { display: none !important; }
  .jp-OutputArea-child, .jp-OutputArea-output { display: block !important;
    break-inside: auto !important; page-break-inside: auto !important; }
  .finsam-sidhuvud { margin-bottom: 4mm; padding-bottom: 1.5mm; }
  .finsam-sidhuvud .finsam-forbund { font-size: 13pt; }
  .finsam-sidhuvud .finsam-period { font-size: 10.5pt; }
  .finsam-sidhuvud .finsam-skapad { font-size: 8.5pt; }
  .jp-RenderedHTMLCommon h1 { font-size: 17pt; margin: 0 0 2mm; }
  .jp-RenderedHTMLCommon h2 { font-size: 13pt; margin: 5mm 0 1.5mm; }
  .jp-RenderedHTMLCommon h3 { font-size: 11pt; margin: 3.5mm 0 1mm; }
  .jp-RenderedHTMLCommon h4, .jp-RenderedHTMLCommon h5 { font-size: 10pt; margin: 3mm 0 1mm; }
  .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon ul, .jp-RenderedHTMLCommon ol {
    margin-top: 0 !important; margin-bottom: 1.6mm !important; }
  .jp-RenderedHTMLCommon li { margin-bottom: .6mm; }
  h1, h2, h3, h4, h5, .finsam-godkannande { break-after: avoid; page-break-after: avoid; }
  h1, h2, h3, h4, h5 { break-inside: avoid; line-height: 1.3 !important; padding-top: 1pt; }
  p, li { orphans: 3; widows: 3; }
  .jp-RenderedHTMLCommon table, .jp-RenderedHTMLCommon table[id^="T_"] {
    width: auto !important; max-width: 100% !important; table-layout: auto;
    margin: .5mm 0 2.5mm !important; font-size: 8pt !important; break-inside: auto;
    page-break-inside: auto; }
  .jp-RenderedHTMLCommon table.finsam-bred { font-size: 7.5pt !important; }
  .jp-OutputArea-child:has(table.finsam-liggande) { page: liggande; }
  .jp-RenderedHTMLCommon thead { display: table-header-group; }
  .jp-RenderedHTMLCommon tr { break-inside: avoid; page-break-inside: avoid; }
  .jp-RenderedHTMLCommon caption { break-after: avoid; font-size: 9.5pt !important; }
  .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td {
    padding: 1px 4px !important; max-width: none !important; }
  .jp-RenderedHTMLCommon th { white-space: normal !important; overflow-wrap: normal;
    hyphens: manual; vertical-align: bottom; }
  .jp-RenderedHTMLCommon td { overflow-wrap: break-word; }
  .jp-RenderedImage, .jp-RenderedImage img, figure, img { break-inside: avoid;
    page-break-inside: avoid; }
  .jp-RenderedImage { text-align: left; margin: 1mm 0 2mm !important; }
  .jp-RenderedImage img { max-width: 62% !important; max-height: 62mm; width: auto;
    height: auto; }
  a { color: inherit; text-decoration: none; }
}
"""
"""Utskriftsstilen (se modulens text); läggs sist i HTML-rapportens stilar."""


def _minsta_bredd(rubriker: list[str], celler: list[list[str]], tal: list[bool],
                  storlek_pt: float) -> float:  # fmt: skip
    """Uppskattad minsta bredd (px) för en tabell vid utskrift: rubriker och text bryts vid
    ord, tal aldrig."""
    tecken = storlek_pt * 96 / 72 * 0.55  # ett genomsnittligt tecken i DejaVu Sans/Arial
    bredd = 0.0
    for j, rubrik in enumerate(rubriker):
        langsta = max((len(o) for o in str(rubrik).split()), default=1) * 1.08  # fetstil
        for rad in celler:
            text = str(rad[j])
            langsta = max(langsta, len(text) if tal[j] else
                          max((len(o) for o in text.split()), default=0))  # fmt: skip
        bredd += langsta * tecken + 9  # cellens utfyllnad och kant
    return bredd


def utskriftsklass(rubriker: list[str], celler: list[list[str]], tal: list[bool]) -> str:
    """Tabellens klass vid utskrift: ``""``, ``"finsam-bred"`` (mindre stil) eller
    ``"finsam-bred finsam-liggande"`` (en liggande sida) efter kolumner och uppskattad bredd.

    Examples
    --------
    >>> utskriftsklass(["Utfall", "Antal"], [["Arbete", "7"]], [False, True])
    ''
    >>> rubriker = ["Region", "År", *(f"Ersättningsformnummer{i}" for i in range(9))]
    >>> utskriftsklass(rubriker, [["Västerås", "2019", *["13 198"] * 9]], [False] + [True] * 10)
    'finsam-bred finsam-liggande'
    """
    bred = len(rubriker) > BRED_TABELL
    storlek = 7.5 if bred else 8.5
    if _minsta_bredd(rubriker, celler, tal, storlek) > SKRIVBAR_BREDD_PX - 8:
        return "finsam-bred finsam-liggande"
    return "finsam-bred" if bred else ""


def css_text(text: str) -> str:
    """Text som en CSS-sträng (inom ``"…"``): citattecken, bakstreck, radbrytningar och
    ``<`` som CSS-koder, så att texten aldrig avslutar strängen eller ``<style>``.

    Examples
    --------
    >>> css_text('A "B" </style>\\\\')
    'A \\\\000022 B\\\\000022  \\\\00003c /style\\\\00003e \\\\00005c '
    """
    ut = []
    for tecken in str(text):
        if tecken in "\"\\<>&'" or ord(tecken) < 0x20 or ord(tecken) == 0x7F:
            ut.append(f"\\{ord(tecken):06x} ")
        else:
            ut.append(tecken)
    return "".join(ut)


_SIDFOT = (
    'font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; '
    "font-size: 8pt; "
    "color: #444;"
)


def sidfot_css(forbund: str, period: str) -> str:
    """``@page``-regeln för sidfoten: förbund och period till vänster, sidnummer till höger."""
    text = " \\00b7  ".join(css_text(t) for t in (forbund, period) if t)
    return (
        f'@page {{ @bottom-left {{ content: "{text}"; {_SIDFOT} }}\n'
        f'  @bottom-right {{ content: "Sida " counter(page) " av " counter(pages); {_SIDFOT} }} }}'
    )
