"""Rapporten som Word-dokument (``rapport.docx``): samma innehåll som HTML-rapporten.

:func:`word_dokument` skriver en sammanställd :class:`~finsam_analys.tabell.Rapport` med
python-docx, så att förbundschefen kan redigera, underteckna och skicka den som förbundet
brukar skicka sin rapport:

* **rubrikerna** är Words egna rubrikformat: titeln i formatet *Title*, rapportens delar
  (``<h2>`` i HTML) i *Heading 1*, delar inom ett målområde (``<h3>``) i *Heading 2*, rubriker
  i förbundets löptext en nivå under sin del – samma text och ordning som i HTML-rapporten;
* **tabellerna** visar tabellens ``visning`` med svenska talformat, precis som HTML
  (:func:`~finsam_analys.presentation.tabellvisning.visningstext`): rubrikraden är markerad som
  rubrikrad (upprepas på varje sida), tal är högerställda, summarader i fetstil, tabellens titel
  står som bildtext ovanför och som tabellens beskrivning (``tblCaption``);
* **diagrammen** är bilder (PNG, :func:`~finsam_analys.presentation.figurer.som_png`) med
  alt-text (``descr`` och ``title`` i ``wp:docPr``);
* **förbundets löptext** (Markdown) blir stycken, punktlistor, fetstil och kursiv; ingen rå
  HTML, inga bilder eller länkar (som i HTML, :mod:`~finsam_analys.presentation.saker_text`);
* **dokumentspråket** är svenska (``sv-SE``: standardformatets ``w:lang`` och dokumentets
  egenskaper), titeln står i dokumentets egenskaper, sidfoten har förbund, period och sidnummer.

**Förbundets mall.** Som Quartos referensdokument: finns ``mall.docx`` i förbundets katalog
används dess format (typsnitt, färger, rubriker), sidhuvud och sidfot (logotyp), marginaler
och pappersstorlek; mallens innehåll i övrigt används inte. Saknar mallen ett rubrikformat
läggs det till. Utan mall: A4, 2,2 cm marginaler, python-docx standardformat.

Examples
--------
>>> import io, docx
>>> from finsam_analys.tabell import Rapport, Rapportdel
>>> r = Rapport("SOT – Årsrapport 2019", "2019", godkannande="Godkänd 2020-02-15",
...             delar=(Rapportdel("a", "Viktiga händelser", 2, "- En **viktig** sak"),))
>>> d = docx.Document(io.BytesIO(word_dokument(r, forbund="SOT", period="2019")))
>>> [(p.style.name, p.text) for p in d.paragraphs][:4]
[('Title', 'SOT – Årsrapport 2019'), ('Subtitle', 'Godkänd 2020-02-15'), \
('Heading 1', 'Viktiga händelser'), ('List Bullet', 'En viktig sak')]
>>> d.core_properties.language, d.core_properties.title
('sv-SE', 'SOT – Årsrapport 2019')
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from typing import Any

from finsam_analys.tabell import Diagram, Stycke, Tabell

__all__ = ["SPRAK", "rubriker", "word_dokument"]

SPRAK = "sv-SE"
"""Dokumentets språk (WCAG 3.1.1: en skärmläsare läser svenska)."""

_BILDBREDD_CM = 16.0
_OGILTIGT_I_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RUBRIKFORMAT = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3", 4: "Heading 4"}
_TABELLFARG = "F1F3F5"


def _text(text: Any) -> str:
    """Text som XML tål (styrtecken tas bort; de kan komma ur förbundets filer), genom
    personnummervakten (:mod:`finsam_analys.indata.vakt`) som allt annat som skrivs."""
    from finsam_analys.indata.vakt import dolj_personnummer

    return dolj_personnummer(_OGILTIGT_I_XML.sub("", str(text)))


def _texter(dokument: Any) -> Any:
    """:func:`_text` med minne för ett dokument: samma text (``str``) slås upp en gång.

    Tabellernas celler upprepar samma texter (``..``, ``–``, tal, rubriker); varje ny text
    går fortfarande genom :func:`_text` (XML-rensningen och personnummervakten), och svaret
    beror bara på texten.

    Examples
    --------
    >>> import docx
    >>> text = _texter(docx.Document())
    >>> text("ring 19121212-1212"), text("a\x0bb"), text(7)
    ('ring [personnummer borttaget]', 'ab', '7')
    """
    text = getattr(dokument, "_finsam_texter", None)
    if text is None:
        minne: dict[str, str] = {}

        def text(varde: Any) -> str:
            if type(varde) is not str:  # 1, 1.0 och True är samma nyckel men olika text
                return _text(varde)
            ren = minne.get(varde)
            if ren is None:
                ren = minne[varde] = _text(varde)
            return ren

        dokument._finsam_texter = text
    return text


def _korning(stycke: Any, text: str = "") -> Any:
    """``stycke.add_run(text)``, men vanlig text skrivs direkt som ett ``w:t``.

    python-docx går igenom texten tecken för tecken (tabbar och radbrytningar blir egna
    element); text utan sådana tecken blir ett enda ``w:t`` (med ``xml:space="preserve"``
    om den börjar eller slutar med blanktecken), och det skrivs här direkt. Samma XML.

    Examples
    --------
    >>> import docx
    >>> from lxml import etree
    >>> snabb, vanlig = docx.Document().add_paragraph(), docx.Document().add_paragraph()
    >>> for text in (" Sida ", "a\\tb", "rad\\nrad", "Text", ""):
    ...     _ = _korning(snabb, text), vanlig.add_run(text)
    >>> etree.tostring(snabb._p) == etree.tostring(vanlig._p), snabb.text == vanlig.text
    (True, True)
    """
    from docx.text.run import Run

    r = stycke._p.add_r()
    if text:
        if "\t" in text or "\n" in text or "\r" in text:
            r.text = text
        else:
            r.add_t(text)
    return Run(r, stycke)


def _sektionsslut(dokument: Any) -> Any:
    """Dokumentkroppens ``w:sectPr`` (eller ``None``), som nya stycken och tabeller läggs före.

    python-docx letar upp den bland alla kroppens element för varje stycke och tabell som läggs
    till (tiden växer med dokumentet); den flyttas inte, så den slås upp en gång per dokument.
    """
    from docx.oxml.ns import qn

    slut = getattr(dokument, "_finsam_sektionsslut", False)
    if slut is False:
        slut = dokument._finsam_sektionsslut = dokument.element.body.find(qn("w:sectPr"))
    return slut


def _lagg_sist(dokument: Any, element: Any) -> None:
    """Lägg ``element`` sist i dokumentkroppen, före sektionens egenskaper, som python-docx:s
    ``_insert_p`` och ``_insert_tbl`` gör."""
    slut = _sektionsslut(dokument)
    if slut is None:
        dokument.element.body.append(element)
    else:
        slut.addprevious(element)


def _nytt_stycke(dokument: Any, style: Any = None) -> Any:
    """``dokument.add_paragraph(style=style)``: samma ``w:p`` på samma plats, utan att
    python-docx letar upp sektionens egenskaper (:func:`_sektionsslut`).

    Examples
    --------
    >>> import docx
    >>> from lxml import etree
    >>> snabb, vanlig = docx.Document(), docx.Document()
    >>> for stil in (None, "Heading 1", "List Bullet"):
    ...     _ = _nytt_stycke(snabb, stil), vanlig.add_paragraph(style=stil)
    >>> etree.tostring(snabb.element) == etree.tostring(vanlig.element)
    True
    """
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    p = OxmlElement("w:p")
    _lagg_sist(dokument, p)
    stycke = Paragraph(p, dokument._body)
    if style is not None:
        stycke.style = style
    return stycke


def _stycke(behallare: Any, text: str = "", style: Any = None) -> Any:
    """``behallare.add_paragraph(text, style)`` med texten skriven av :func:`_korning`
    (och stycket tillagt av :func:`_nytt_stycke` när behållaren är dokumentet)."""
    stycke = _nytt_stycke(behallare) if hasattr(behallare, "_body") else behallare.add_paragraph()
    if text:
        _korning(stycke, text)
    if style is not None:
        stycke.style = style
    return stycke


def rubriker(dokument: Any) -> list[tuple[int, str]]:
    """Dokumentets rubriker (nivå, text) i ordning; titeln (formatet *Title*) har nivå 0.

    Examples
    --------
    >>> from finsam_analys.tabell import Rapport, Rapportdel
    >>> import io, docx
    >>> r = Rapport("T", "2019", delar=(Rapportdel("a", "A", 2), Rapportdel("b", "B", 3)))
    >>> rubriker(docx.Document(io.BytesIO(word_dokument(r, forbund="F", period="2019"))))
    [(0, 'T'), (1, 'A'), (2, 'B')]
    """
    ut = []
    for p in dokument.paragraphs:
        namn = p.style.name if p.style is not None else ""
        if namn == "Title":
            ut.append((0, p.text))
        elif namn.startswith("Heading ") and namn[8:].isdigit():
            ut.append((int(namn[8:]), p.text))
    return ut


# ------------------------------------------------------------------------- dokumentet


def _nytt_dokument(mall: bytes | str | os.PathLike[str] | None):
    """Ett tomt dokument: förbundets mall utan innehåll, eller python-docx standard i A4."""
    import docx
    from docx.shared import Cm

    if isinstance(mall, (str, os.PathLike)):  # samma spärr som när rapporten skrivs
        from finsam_analys.indata.mall import las_mall

        mall = las_mall(mall)
    if mall:
        dokument = docx.Document(io.BytesIO(mall))
        kropp = dokument.element.body
        for barn in list(kropp):
            if barn.tag.endswith("}sectPr"):
                continue
            kropp.remove(barn)
        return dokument
    dokument = docx.Document()
    for sektion in dokument.sections:
        sektion.page_width, sektion.page_height = Cm(21.0), Cm(29.7)
        for kant in ("left_margin", "right_margin"):
            setattr(sektion, kant, Cm(2.2))
        sektion.top_margin, sektion.bottom_margin = Cm(2.0), Cm(2.0)
    return dokument


def _satt_sprak(dokument: Any) -> None:
    """Dokumentets språk: standardformatets ``w:lang`` (och Normal) samt egenskaperna."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    dokument.core_properties.language = SPRAK
    stilar = dokument.styles.element
    standard = stilar.find(qn("w:docDefaults"))
    if standard is None:
        standard = OxmlElement("w:docDefaults")
        stilar.insert(0, standard)
    rpr_standard = standard.find(qn("w:rPrDefault"))
    if rpr_standard is None:
        rpr_standard = OxmlElement("w:rPrDefault")
        standard.insert(0, rpr_standard)
    rpr = rpr_standard.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_standard.append(rpr)
    for element in (rpr, dokument.styles["Normal"].element.get_or_add_rPr()):
        lang = element.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            element.append(lang)
        for attribut in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attribut), SPRAK)


def _se_till_format(dokument: Any) -> None:
    """Lägg till de format som används men saknas i förbundets mall (Word lägger bara in
    format i en fil när de används)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    namn = {s.name for s in dokument.styles}
    storlekar = {"Title": 24, "Subtitle": 12, "Heading 1": 16, "Heading 2": 13,
                 "Heading 3": 12, "Heading 4": 11, "Caption": 9}  # fmt: skip
    for stil, storlek in storlekar.items():
        if stil in namn:
            continue
        ny = dokument.styles.add_style(stil, WD_STYLE_TYPE.PARAGRAPH)
        ny.base_style = dokument.styles["Normal"]
        ny.font.size = Pt(storlek)
        ny.font.bold = stil != "Subtitle"
        if stil.startswith("Heading"):
            ny.paragraph_format.keep_with_next = True
            niva = OxmlElement("w:outlineLvl")  # rubriknivån som skärmläsare och Word läser
            niva.set(qn("w:val"), str(int(stil[-1]) - 1))
            ny.element.get_or_add_pPr().append(niva)
    for lista in ("List Bullet", "List Number"):
        if lista not in namn:
            ny = dokument.styles.add_style(lista, WD_STYLE_TYPE.PARAGRAPH)
            ny.base_style = dokument.styles["Normal"]


def _formatnamn(dokument: Any) -> frozenset[str]:
    """Namnen på dokumentets format; läses en gång per dokument (efter :func:`_se_till_format`,
    som är det enda som lägger till format)."""
    namn = getattr(dokument, "_finsam_formatnamn", None)
    if namn is None:
        namn = frozenset(s.name for s in dokument.styles)
        dokument._finsam_formatnamn = namn
    return namn


def _minn_formatuppslag(dokument: Any) -> None:
    """Slå upp varje formatnamn en gång per dokument.

    python-docx söker igenom alla format (och letar upp standardformatet) varje gång ett
    stycke, en tabell eller en bildtext får sitt format med namn. Formaten ändras inte efter
    :func:`_se_till_format`, så svaret för ett namn är detsamma hela dokumentet igenom.
    """
    del_ = dokument.part
    uppslag = del_.get_style_id
    minne: dict[tuple[str, Any], Any] = {}
    standard: dict[Any, Any] = {}

    def ur_namn(stil: str, typ: Any) -> Any:
        # som python-docx Styles._get_style_id_from_name, med standardformatet för typen
        # (som python-docx letar upp bland alla format) uppslaget en gång
        formatet = del_.styles[stil]
        if formatet.type != typ:
            return uppslag(stil, typ)  # python-docx:s eget fel
        if typ not in standard:
            standard[typ] = del_.styles.default(typ)
        return None if formatet == standard[typ] else formatet.style_id

    def formatets_id(stil: Any, typ: Any) -> Any:
        if not isinstance(stil, str):
            return uppslag(stil, typ)
        if (stil, typ) not in minne:
            minne[stil, typ] = ur_namn(stil, typ)
        return minne[stil, typ]

    del_.get_style_id = formatets_id


def _falt(stycke: Any, instruktion: str) -> None:
    """Ett Word-fält (``PAGE``, ``NUMPAGES``) i stycket."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    falt = OxmlElement("w:fldSimple")
    falt.set(qn("w:instr"), instruktion)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    falt.append(run)
    stycke._p.append(falt)


def _sidfot(dokument: Any, forbund: str, period: str) -> None:
    """Sidfot med förbund, period och "Sida N av M" (om mallen inte har en egen sidfot)."""
    for sektion in dokument.sections:
        sidfot = sektion.footer
        if any(p.text.strip() for p in sidfot.paragraphs) or sidfot.tables:
            continue  # förbundets egen sidfot
        sidfot.is_linked_to_previous = False
        stycke = sidfot.paragraphs[0] if sidfot.paragraphs else sidfot.add_paragraph()
        text = " · ".join(t for t in (_text(forbund), _text(period)) if t)
        stycke.add_run(f"{text} · Sida " if text else "Sida ")
        _falt(stycke, "PAGE")
        stycke.add_run(" av ")
        _falt(stycke, "NUMPAGES")


# -------------------------------------------------------------------------- löptexten


def _inline(stycke: Any, noder: list[dict], *, fet: bool = False, kursiv: bool = False) -> None:
    """Markdowns inline-noder som körningar (runs) i stycket."""
    for nod in noder:
        typ = nod.get("type")
        if typ in ("text", "codespan", "inline_html"):
            run = _korning(stycke, _text(nod.get("raw", "")))
            run.bold, run.italic = fet or None, kursiv or None
        elif typ == "strong":
            _inline(stycke, nod.get("children", []), fet=True, kursiv=kursiv)
        elif typ in ("emphasis", "strikethrough"):
            _inline(stycke, nod.get("children", []), fet=fet, kursiv=True)
        elif typ in ("link", "image"):  # länktexten och alt-texten, som i HTML
            _inline(stycke, nod.get("children", []), fet=fet, kursiv=kursiv)
        elif typ == "softbreak":
            stycke.add_run(" ")
        elif typ == "linebreak":
            stycke.add_run().add_break()
        elif "children" in nod:
            _inline(stycke, nod["children"], fet=fet, kursiv=kursiv)


def _markdown_block(dokument: Any, noder: list[dict], *, lista: str | None = None,
                    djup: int = 0) -> None:  # fmt: skip
    for nod in noder:
        typ = nod.get("type")
        if typ == "heading":
            niva = min(max(int(nod["attrs"]["level"]) - 1, 1), 4)
            stycke = _nytt_stycke(dokument, _RUBRIKFORMAT[niva])
            _inline(stycke, nod.get("children", []))
        elif typ in ("paragraph", "block_text"):
            stil = lista or None
            stycke = _nytt_stycke(dokument, stil)
            if lista and djup:
                from docx.shared import Cm

                stycke.paragraph_format.left_indent = Cm(0.63 * (djup + 1))
            _inline(stycke, nod.get("children", []))
        elif typ == "list":
            ordnad = bool(nod.get("attrs", {}).get("ordered"))
            stil = "List Number" if ordnad else "List Bullet"
            for punkt in nod.get("children", []):
                _markdown_block(dokument, punkt.get("children", []), lista=stil,
                                djup=djup + (1 if lista else 0))  # fmt: skip
        elif typ == "block_quote":
            _markdown_block(dokument, nod.get("children", []), lista="Quote")
        elif typ in ("block_code", "block_html"):
            _stycke(dokument, _text(nod.get("raw", "")).strip())
        elif typ == "table":
            _markdown_tabell(dokument, nod)
        elif typ == "thematic_break":
            _nytt_stycke(dokument)


def _markdown_tabell(dokument: Any, nod: dict) -> None:
    rader: list[list[str]] = []
    for del_ in nod.get("children", []):
        rader_i_delen = [del_] if del_["type"] == "table_head" else del_.get("children", [])
        for rad in rader_i_delen:
            rader.append(["".join(_ren_text(c)) for c in rad.get("children", [])])
    if rader:
        _ritad_tabell(dokument, rader[0], rader[1:], hoger=set(), fet=set())


def _ren_text(nod: dict) -> list[str]:
    if "raw" in nod:
        return [str(nod["raw"])]
    return [t for barn in nod.get("children", []) for t in _ren_text(barn)]


def _markdown(dokument: Any, text: str, niva: int) -> None:
    """Förbundets löptext (Markdown) som stycken, listor och rubriker under nivå ``niva``."""
    import mistune

    from finsam_analys.presentation.lopttext import forbered_markdown

    tolk = mistune.create_markdown(renderer=None, plugins=["strikethrough", "table"])
    _markdown_block(dokument, tolk(forbered_markdown(text, niva=niva)))


# ---------------------------------------------------------------------------- tabeller


def _skugga(cell: Any, farg: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    skugga = OxmlElement("w:shd")
    skugga.set(qn("w:val"), "clear")
    skugga.set(qn("w:color"), "auto")
    skugga.set(qn("w:fill"), farg)
    cell._tc.get_or_add_tcPr().append(skugga)


def _rubrikrad(rad: Any) -> None:
    """Markera raden som tabellens rubrikrad: upprepas på varje sida, läses som rubriker."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = rad._tr.get_or_add_trPr()
    rubrik = OxmlElement("w:tblHeader")
    rubrik.set(qn("w:val"), "true")
    trpr.append(rubrik)
    dela_inte = OxmlElement("w:cantSplit")
    dela_inte.set(qn("w:val"), "true")
    trpr.append(dela_inte)


def _tabellbeskrivning(tabell: Any, titel: str) -> None:
    """Tabellens rubrik som ``w:tblCaption`` (Word: Alternativtext för tabellen)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tblpr = tabell._tbl.tblPr
    rubrik = OxmlElement("w:tblCaption")
    rubrik.set(qn("w:val"), _text(titel)[:255])
    tblpr.append(rubrik)


_QN_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_QN_R = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r"
_QN_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def _enkel_text(text: str) -> bool:
    """Sant om python-docx skriver texten som ett enda ``w:t`` utan attribut (inte tom, inga
    tabbar eller radbrytningar, inga blanksteg först eller sist)."""
    return (
        bool(text) and text.strip() == text and "\t" not in text and "\n" not in text
        and "\r" not in text
    )  # fmt: skip


def _kopia(element: Any) -> Any:
    """En kopia av ett lxml-element med allt innehåll: ``copy.deepcopy`` utan ``copy``-modulens
    omväg (lxml:s ``__deepcopy__`` anropar ``__copy__``, som kopierar hela trädet)."""
    return element.__copy__()


def _cellmallar(dokument: Any) -> dict[Any, Any]:
    """Dokumentets mallar: tabellceller (``w:p``) och rubrikradens skuggning (``w:shd``) för
    :func:`_ritad_tabell`, bildtexter, fotnoter och luften efter tabeller för
    :func:`_kopierat_stycke`. Varje mall byggs med python-docx första gången den behövs och
    kopieras sedan."""
    mallar = getattr(dokument, "_finsam_cellmallar", None)
    if mallar is None:
        mallar = dokument._finsam_cellmallar = {}
    return mallar


def _ritad_tabell(dokument: Any, rubriker_: list[str], rader: list[list[str]], *,
                  hoger: set[int], fet: set[int], titel: str = "") -> Any:  # fmt: skip
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.table import CT_Tbl
    from docx.shared import Pt
    from docx.table import Table, _Cell

    kolumner = max(len(rubriker_), 1)
    # som dokument.add_table(rows, cols), utan att leta upp sektionens egenskaper, med
    # textbredden (sidans bredd utom marginalerna, som inte ändras) beräknad en gång
    bredd = getattr(dokument, "_finsam_textbredd", None)
    if bredd is None:
        bredd = dokument._finsam_textbredd = dokument._block_width
    tbl = CT_Tbl.new_tbl(1 + len(rader), kolumner, bredd)
    _lagg_sist(dokument, tbl)
    tabell = Table(tbl, dokument._body)
    tabell.style = None
    if "Table Grid" in _formatnamn(dokument):
        tabell.style = "Table Grid"  # med namn: uppslaget görs en gång (_minn_formatuppslag)
    tabell.alignment = WD_TABLE_ALIGNMENT.LEFT
    storlek = Pt(9 if len(rubriker_) <= 6 else 8)
    if titel:
        _tabellbeskrivning(tabell, titel)
    # Cellerna i ordning, en gång (tabellen har inga sammanslagna celler): ``tabell.cell(i, j)``
    # bygger listan över alla celler vid varje anrop, kvadratisk tid i tabellens storlek.
    celler = [tc for tr in tabell._tbl.tr_lst for tc in tr.tc_lst]
    # Den första cellen av varje slag (fet, högerställd, teckenstorlek) i dokumentet byggs med
    # python-docx; övriga med vanlig text är kopior av den med sin egen text (samma XML, en
    # bråkdel av tiden). Likaså rubrikradens skuggning.
    mallar = _cellmallar(dokument)
    texter = _texter(dokument)
    for i, rad in enumerate([rubriker_, *rader]):
        for j, text in enumerate(rad):
            tc = celler[i * kolumner + j]
            text = texter(text)
            slag = (i == 0 or (i - 1) in fet, j in hoger, storlek)
            enkel = _enkel_text(text)
            if enkel and slag in mallar:
                stycke_xml = _kopia(mallar[slag])
                stycke_xml.find(_QN_R).find(_QN_T).text = text
                tc.replace(tc.find(_QN_P), stycke_xml)
            else:
                stycke = _Cell(tc, tabell).paragraphs[0]
                run = _korning(stycke, text)
                run.font.size = storlek
                if slag[0]:
                    run.bold = True
                if slag[1]:
                    stycke.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                stycke.paragraph_format.space_after = Pt(0)
                if enkel:
                    mallar[slag] = _kopia(stycke._p)
            if i == 0:
                if "skugga" not in mallar:
                    _skugga(_Cell(tc, tabell), _TABELLFARG)
                    mallar["skugga"] = _kopia(tc.tcPr[-1])
                else:
                    tc.tcPr.append(_kopia(mallar["skugga"]))
    _rubrikrad(tabell.rows[0])
    return tabell


def _kopierat_stycke(dokument: Any, nyckel: str, bygg: Any, text: str = "") -> Any:
    """Ett stycke sist i dokumentet, som ``bygg(dokument, text)`` lägger till med python-docx.

    Första gången (per dokument, ``nyckel`` och tom eller inte tom text) byggs stycket med
    ``bygg``; därefter är det en kopia av det första med sin egen text, när texten är enkel
    (:func:`_enkel_text`): samma XML på en bråkdel av tiden. ``bygg`` lägger till ett stycke
    med högst en körning.
    """
    from docx.text.paragraph import Paragraph

    if text and not _enkel_text(text):
        return bygg(dokument, text)
    mallar = _cellmallar(dokument)
    mall = mallar.get((nyckel, bool(text)))
    if mall is None:
        stycke = bygg(dokument, text)
        mallar[nyckel, bool(text)] = _kopia(stycke._p)
        return stycke
    kopia = _kopia(mall)
    if text:
        kopia.find(_QN_R).find(_QN_T).text = text
    _lagg_sist(dokument, kopia)  # som add_paragraph: före sektionens egenskaper
    return Paragraph(kopia, dokument._body)


def _bygg_bildtext(dokument: Any, text: str) -> Any:
    stil = "Caption" if "Caption" in _formatnamn(dokument) else None
    stycke = _stycke(dokument, text, style=stil)
    stycke.paragraph_format.keep_with_next = True
    return stycke


def _bildtext(dokument: Any, text: str) -> Any:
    return _kopierat_stycke(dokument, "bildtext", _bygg_bildtext, _text(text))


def _bygg_fotnot(dokument: Any, text: str) -> Any:
    from docx.shared import Pt

    stycke = _nytt_stycke(dokument)
    _korning(stycke, text).font.size = Pt(8)
    return stycke


def _bygg_luft_efter_tabell(dokument: Any, text: str) -> Any:
    from docx.shared import Pt

    stycke = _nytt_stycke(dokument)
    stycke.paragraph_format.space_after = Pt(2)
    return stycke


def _tabell(dokument: Any, tabell: Tabell) -> None:
    """En :class:`Tabell` efter kontrollpunkterna: ``visning`` med svenska talformat."""
    from finsam_analys.presentation.tabellvisning import kolumnrubrik, visningstext

    text = visningstext(tabell)
    _bildtext(dokument, tabell.titel)
    _ritad_tabell(
        dokument,
        [kolumnrubrik(k) for k in tabell.kolumner],
        [[str(v) for v in rad] for rad in text.to_numpy(dtype=object).tolist()],
        hoger={j for j, k in enumerate(tabell.kolumner) if k.ar_tal},
        fet=set(tabell.summarader),
        titel=tabell.titel,
    )
    for fotnot in tabell.fotnoter:
        _kopierat_stycke(dokument, "fotnot", _bygg_fotnot, _text(fotnot))
    if not tabell.fotnoter:
        _kopierat_stycke(dokument, "luft efter tabell", _bygg_luft_efter_tabell)


def _aldre_tabell(dokument: Any, namn: str, tabell: Any, format_: Mapping[str, str]) -> None:
    """En tabell av det äldre slaget (DataFrame och formattyper per kolumn)."""
    from finsam_analys.presentation.tabellvisning import formatera_cell

    data = tabell.reset_index(drop=True)
    _bildtext(dokument, namn)
    rader = [
        [formatera_cell(v, format_.get(k, "text")) for k, v in zip(data.columns, rad, strict=True)]
        for rad in data.itertuples(index=False)
    ]
    hoger = {j for j, k in enumerate(data.columns)
             if format_.get(k, "text") not in ("text", "lang_text", "uppfyllt")}  # fmt: skip
    _ritad_tabell(dokument, [str(k) for k in data.columns], rader, hoger=hoger, fet=set(),
                  titel=namn)  # fmt: skip
    _nytt_stycke(dokument)


# ----------------------------------------------------------------------------- figurer


def _alt_text(inline: Any, alt: str, titel: str) -> None:
    """Bildens alt-text (``descr``) och titel i ``wp:docPr``, som Word läser upp."""
    doc_pr = inline.docPr
    doc_pr.set("descr", _text(alt))
    doc_pr.set("title", _text(titel))


def _figur(dokument: Any, figur: Any) -> None:
    from docx.shared import Cm

    from finsam_analys.presentation.figurer import som_png

    # zlib nivå 1: samma bildpunkter, en tredjedel av kodningstiden (bilderna ~12 % större)
    png = som_png(figur, dpi=150, komprimering=1)
    stycke = dokument.add_paragraph()
    stycke.paragraph_format.keep_with_next = True
    bild = stycke.add_run().add_picture(io.BytesIO(png), width=Cm(_BILDBREDD_CM))
    _alt_text(bild._inline, figur.alt or figur.titel, figur.titel)


def _har_varden(figur: Any) -> bool:
    import pandas as pd

    return bool(pd.to_numeric(figur.data["y"], errors="coerce").notna().any())


def _sektion(dokument: Any, sektion: Any) -> None:
    """En sektion som i HTML-rapporten: stycken, tabeller (med fotnoter) och figurer."""
    from docx.shared import Pt

    from finsam_analys.presentation.figurer import figur_ur_diagram
    from finsam_analys.presentation.lopttext import svenska_citattecken
    from finsam_analys.presentation.tabellvisning import meningstext

    if sektion.saknas is not None:
        return
    if sektion.innehall:
        tabeller = {t.namn: t for t in sektion.tabellobjekt()}
        for block in sektion.innehall:
            if isinstance(block, Stycke):
                meningar = [_text(svenska_citattecken(meningstext(m, tabeller)))
                            for m in block.meningar]  # fmt: skip
                if block.punktlista:
                    for m in meningar:
                        _stycke(dokument, m, style="List Bullet")
                else:
                    _stycke(dokument, " ".join(meningar))
            elif isinstance(block, Tabell):
                _tabell(dokument, block)
            elif isinstance(block, Diagram):
                figur = figur_ur_diagram(block, tabeller[block.tabell])
                if figur is not None and _har_varden(figur):
                    _figur(dokument, figur)
    else:  # sektioner av det äldre slaget
        if sektion.text:
            _markdown(dokument, sektion.text, 2)
        for figur in sektion.figurer:
            if _har_varden(figur):
                _figur(dokument, figur)
        for namn, tabell in sektion.tabeller.items():
            _aldre_tabell(dokument, namn, tabell, sektion.format.get(namn, {}))
    if sektion.fotnot:
        run = _korning(_nytt_stycke(dokument), _text(sektion.fotnot))
        run.font.size = Pt(8)


# ------------------------------------------------------------------------------- ingång


def word_dokument(
    rapport: Any,
    *,
    forbund: str,
    period: str,
    skapad: str = "",
    mall: bytes | str | os.PathLike[str] | None = None,
) -> bytes:
    """Rapporten som Word-dokument (bytes), i samma ordning och med samma rubriker som HTML.

    Parameters
    ----------
    rapport : Rapport
        Den sammanställda rapporten efter kontrollpunkterna
        (:func:`finsam_analys.rapport.sammanstall_rapport`).
    forbund, period : str
        Förbundets namn och periodens namn (sidfoten).
    skapad : str
        Skapandedatum (ÅÅÅÅ-MM-DD) i dokumentets egenskaper; tomt = inget datum (samma
        rapport ger då samma innehåll).
    mall : bytes eller path, valfri
        Förbundets ``mall.docx`` (format, sidhuvud, sidfot, marginaler), som bytes (läst med
        indatans spärrar, :func:`finsam_analys.korning.utdata.las_mall`) eller en sökväg.

    Returns
    -------
    bytes
        ``.docx``-filens innehåll.
    """
    import datetime as dt

    dokument = _nytt_dokument(mall)
    _se_till_format(dokument)
    _minn_formatuppslag(dokument)
    _satt_sprak(dokument)
    egenskaper = dokument.core_properties
    egenskaper.title = _text(rapport.titel)
    egenskaper.subject = _text(f"{forbund} – {period}" if forbund else period)
    egenskaper.author = _text(forbund)
    egenskaper.last_modified_by = _text(forbund)
    egenskaper.comments = ""
    egenskaper.keywords = ""
    egenskaper.revision = 1
    tid = dt.datetime(2000, 1, 1)
    if skapad:
        tid = dt.datetime.combine(dt.date.fromisoformat(skapad), dt.time())
    egenskaper.created = egenskaper.modified = tid
    egenskaper.last_printed = tid
    _sidfot(dokument, forbund, period)

    _stycke(dokument, _text(rapport.titel), style="Title")
    if getattr(rapport, "godkannande", ""):
        _stycke(dokument, _text(rapport.godkannande), style="Subtitle")
    for del_ in rapport.delar:
        if del_.rubrik:
            niva = min(max(int(del_.niva) - 1, 1), 4)
            _stycke(dokument, _text(del_.rubrik), style=_RUBRIKFORMAT[niva])
        if del_.text.strip():
            _markdown(dokument, del_.text, del_.niva)
        if del_.sektion is not None:
            _sektion(dokument, del_.sektion)
    buffert = io.BytesIO()
    dokument.save(buffert)
    return buffert.getvalue()
