"""Rapporten som Word-dokument: samma rubriker som HTML, tabeller med rubrikrad, diagram med
alt-text, svenska som språk och förbundets mall (som Quartos referensdokument)."""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from finsam_analys.presentation import word
from finsam_analys.presentation.rapportvisning import del_html, titel_html
from finsam_analys.rapport import sammanstall_rapport
from finsam_analys.tabell import Rapport, Rapportdel


@pytest.fixture(scope="module")
def rapport_2019(underlag_vasteras):
    return sammanstall_rapport(underlag_vasteras, "2019")


@pytest.fixture(scope="module")
def dokument_2019(rapport_2019):
    data = word.word_dokument(
        rapport_2019, forbund="Samordningsförbundet Västerås", period="2019", skapad="2026-01-15"
    )
    return docx.Document(io.BytesIO(data))


def _html_rubriker(rapport) -> list[tuple[int, str]]:
    """Rubrikerna som HTML-rapporten visar dem (titeln och varje dels rubrik och löptext)."""
    import html

    text = titel_html(rapport) + "".join(del_html(d) for d in rapport.delar)
    traffar = re.findall(r"<h([1-6])(?:\s[^>]*)?>([^<]*)</h\1>", text)
    return [(int(n) - 1, html.unescape(t)) for n, t in traffar]


def test_rubrikerna_som_i_html(rapport_2019, dokument_2019):
    rubriker = word.rubriker(dokument_2019)
    assert rubriker == _html_rubriker(rapport_2019)
    assert rubriker[0] == (0, "Samordningsteam Västerås – Årsrapport 2019")
    texter = [t for _, t in rubriker]
    for rubrik in ("Viktiga händelser under året", "Resultatanalys", "Om underlaget"):
        assert rubrik in texter
    assert texter.index("Viktiga händelser under året") < texter.index("Resultatanalys")


def test_titel_godkannande_och_sprak(rapport_2019, dokument_2019):
    stycken = dokument_2019.paragraphs
    assert stycken[0].style.name == "Title"
    egenskaper = dokument_2019.core_properties
    assert egenskaper.language == "sv-SE" and egenskaper.title == rapport_2019.titel
    lang = dokument_2019.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert lang.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    sidfot = dokument_2019.sections[0].footer.paragraphs[0]
    assert sidfot.text.startswith("Samordningsförbundet Västerås · 2019 · Sida")
    assert b'w:instr="PAGE"' in sidfot._p.xml.encode()


def test_tabeller_med_rubrikrad_och_svenska_tal(dokument_2019):
    tabeller = dokument_2019.tables
    assert len(tabeller) >= 10
    for tabell in tabeller:
        trpr = tabell.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        assert tabell._tbl.tblPr.find(qn("w:tblCaption")) is not None
    forsta = tabeller[0]
    assert [c.text for c in forsta.rows[0].cells][:3] == ["Indikator", "Resultat", "n"]
    rad = [c.text for c in forsta.rows[1].cells]
    assert rad[:3] == ["Arbete efter avslut", "13\xa0%", "55"]
    assert "−12 p.e." in rad  # minustecken, som i HTML


def test_varje_diagram_har_alt_text(dokument_2019):
    bilder = dokument_2019.inline_shapes
    assert len(bilder) >= 4
    for bild in bilder:
        assert bild._inline.docPr.get("descr", "").strip()
        assert bild.width <= Cm(16.5)


def test_loptext_utan_styrtecken_och_med_listor():
    text = "Text\x07 med **fet** stil.\n\n1. ett\n2. två"
    r = Rapport("T", "2019", delar=(Rapportdel("a", "A", 2, text),))
    d = docx.Document(io.BytesIO(word.word_dokument(r, forbund="F", period="2019")))
    stycken = [(p.style.name, p.text) for p in d.paragraphs]
    assert ("Normal", "Text med fet stil.") in stycken
    assert ("List Number", "ett") in stycken
    fet = [run.text for p in d.paragraphs for run in p.runs if run.bold]
    assert fet == ["fet"]


def test_forbundets_mall(tmp_path, rapport_2019):
    """Mallens format, marginaler och sidhuvud (logotyp, text) används; dess innehåll inte."""
    mall = docx.Document()
    sektion = mall.sections[0]
    sektion.left_margin = Cm(3.3)
    sektion.header.paragraphs[0].text = "Förbundets sidhuvud"
    mall.styles["Normal"].font.name = "Georgia"
    mall.styles["Normal"].font.size = Pt(12)
    mall.add_paragraph("Mallens exempeltext som inte ska med")
    sokvag = tmp_path / "mall.docx"
    mall.save(sokvag)

    data = word.word_dokument(rapport_2019, forbund="F", period="2019", mall=sokvag.read_bytes())
    d = docx.Document(io.BytesIO(data))
    assert abs(d.sections[0].left_margin - Cm(3.3)) < Cm(0.01)  # twips
    assert d.sections[0].header.paragraphs[0].text == "Förbundets sidhuvud"
    assert d.styles["Normal"].font.name == "Georgia"
    assert "Mallens exempeltext som inte ska med" not in [p.text for p in d.paragraphs]
    assert d.paragraphs[0].text == rapport_2019.titel
    assert word.rubriker(d) == _html_rubriker(rapport_2019)


def test_mall_utan_rubrikformat(tmp_path):
    """En mall som Word skapat har bara de format som använts: rubrikformaten läggs till."""
    mall = docx.Document()
    stilar = mall.styles.element
    for stil in list(stilar):
        namn = stil.find(qn("w:name"))
        if namn is not None and namn.get(qn("w:val")) in ("heading 1", "heading 2", "Title"):
            stilar.remove(stil)
    sokvag = tmp_path / "mall.docx"
    mall.save(sokvag)
    r = Rapport("T", "2019", delar=(Rapportdel("a", "A", 2), Rapportdel("b", "B", 3)))
    d = docx.Document(io.BytesIO(word.word_dokument(r, forbund="F", period="2019", mall=sokvag)))
    assert word.rubriker(d) == [(0, "T"), (1, "A"), (2, "B")]
    niva = d.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl"))
    assert niva is not None and niva.get(qn("w:val")) == "0"


def _python_docx_cell(text: str, *, fet: bool, hoger: bool, storlek) -> bytes:
    """En tabellcells stycke byggt med python-docx, som ``_ritad_tabell`` bygger sina mallar."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from lxml import etree

    stycke = docx.Document().add_table(rows=1, cols=1).cell(0, 0).paragraphs[0]
    run = stycke.add_run(text)
    run.font.size = storlek
    if fet:
        run.bold = True
    if hoger:
        stycke.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    stycke.paragraph_format.space_after = Pt(0)
    return etree.tostring(stycke._p)


def test_tabellcellerna_som_python_docx_bygger_dem():
    """Cellerna kopieras från mallar som delas mellan dokumentets tabeller: varje cell (rubrik,
    tal, summarad, text med blanktecken eller radbrytning, båda teckenstorlekarna) har samma
    XML som om python-docx byggt den, och skuggningen står bara i rubrikraden."""
    from lxml import etree

    dokument = word._nytt_dokument(None)
    word._se_till_format(dokument)
    word._minn_formatuppslag(dokument)
    tabeller = [
        (["Insats", "Antal"], [["Arbete", "12"], [" Studier", "3"], ["Summa", "15"]], {2}),
        ([f"K{i}" for i in range(7)], [[f"{i},5" for i in range(7)], ["a\nb", *"123456"]], {0}),
        (["Insats", "Antal"], [["Hälsa", "7"], ["Totalt", "7"]], {1}),
    ]
    for rubriker_, rader, fet in tabeller:
        word._ritad_tabell(dokument, rubriker_, rader, hoger={1, 3}, fet=fet, titel="T")
    for tabell, (rubriker_, rader, fet) in zip(dokument.tables, tabeller, strict=True):
        storlek = Pt(9 if len(rubriker_) <= 6 else 8)
        for i, rad in enumerate([rubriker_, *rader]):
            for j, text in enumerate(rad):
                cell = tabell.rows[i].cells[j]
                vantat = _python_docx_cell(
                    text, fet=i == 0 or i - 1 in fet, hoger=j in {1, 3}, storlek=storlek
                )
                assert etree.tostring(cell.paragraphs[0]._p) == vantat, (i, j, text)
                skuggor = cell._tc.tcPr.findall(qn("w:shd"))
                assert len(skuggor) == (1 if i == 0 else 0)


def test_kopierade_mallar_ger_samma_dokument(rapport_2019, monkeypatch):
    """Bildtexter, fotnoter, luft efter tabeller och tabellceller kopieras från mallar som
    delas i dokumentet: varje del av filen blir densamma som när varje stycke och varje
    tabells celler byggs med python-docx."""
    import zipfile

    def skriv() -> dict[str, bytes]:
        data = word.word_dokument(rapport_2019, forbund="F", period="2019", skapad="2026-01-15")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist()}

    med = skriv()
    monkeypatch.setattr(word, "_cellmallar", lambda dokument: {})  # inga delade mallar
    utan = skriv()
    assert med.keys() == utan.keys()
    for namn in med:
        assert med[namn] == utan[namn], namn
    dokument = med["word/document.xml"].decode("utf-8")
    assert dokument.count('w:val="Caption"') > 2 and dokument.count('<w:sz w:val="16"/>') > 2


def test_stycken_och_tabeller_laggs_sist_som_python_docx_gor(rapport_2019, monkeypatch):
    """Stycken och tabeller läggs före sektionens egenskaper (uppslagna en gång per dokument),
    tabellens bredd räknas en gång och texterna slås upp med minne: varje del av filen blir
    densamma som med python-docx:s ``add_paragraph``/``add_table`` och :func:`word._text` för
    varje cell."""
    import zipfile

    def skriv() -> dict[str, bytes]:
        data = word.word_dokument(rapport_2019, forbund="F", period="2019", skapad="2026-01-15")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist()}

    med = skriv()
    monkeypatch.setattr(word, "_nytt_stycke",
                        lambda dokument, style=None: dokument.add_paragraph(style=style))
    monkeypatch.setattr(word, "_lagg_sist",  # som CT_Body._insert_p och _insert_tbl
                        lambda dokument, el: dokument.element.body.insert_element_before(
                            el, "w:sectPr"))
    monkeypatch.setattr(word, "_texter", lambda dokument: word._text)
    utan = skriv()
    assert med.keys() == utan.keys()
    for namn in med:
        assert med[namn] == utan[namn], namn


def test_personnummer_doljs_i_varje_tabellcell():
    """Texternas minne: samma personnummer i flera celler och tabeller döljs i varje cell."""
    dokument = word._nytt_dokument(None)
    word._se_till_format(dokument)
    pn = "19121212-1212"
    for _ in range(2):
        word._ritad_tabell(dokument, ["Namn", pn], [[pn, pn], ["a\x0bb", pn]], hoger=set(),
                           fet=set())  # fmt: skip
    texter = [c.text for t in dokument.tables for r in t.rows for c in r.cells]
    assert not any(pn in t for t in texter)
    assert texter.count("[personnummer borttaget]") == 8 and texter.count("ab") == 2
    assert dokument.element.body[-1].tag == qn("w:sectPr")


@pytest.mark.parametrize("med_mall", [False, True])
def test_formatuppslaget_som_python_docx(tmp_path, med_mall):
    """Formatens id med minne (standardformatet uppslaget en gång): samma svar som python-docx
    för varje format och typ, ``None`` för standardformatet och samma fel för fel typ."""
    from docx.enum.style import WD_STYLE_TYPE

    mall = None
    if med_mall:
        mall_dokument = docx.Document()
        mall_dokument.styles["Normal"].font.size = Pt(10)
        mall_dokument.save(tmp_path / "mall.docx")
        mall = (tmp_path / "mall.docx").read_bytes()
    dokument = word._nytt_dokument(mall)
    word._se_till_format(dokument)
    vanlig = dokument.part.get_style_id
    word._minn_formatuppslag(dokument)
    snabb = dokument.part.get_style_id
    namn = [s.name for s in dokument.styles if s.name]
    assert "Normal" in namn
    for typ in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.TABLE, WD_STYLE_TYPE.CHARACTER):
        for stil in [*namn, *namn]:  # andra gången ur minnet
            try:
                vantat = vanlig(stil, typ)
            except ValueError as fel:
                with pytest.raises(ValueError, match=re.escape(str(fel))):
                    snabb(stil, typ)
            else:
                assert snabb(stil, typ) == vantat, (stil, typ)
    assert snabb("Normal", WD_STYLE_TYPE.PARAGRAPH) is None
    with pytest.raises(KeyError):
        snabb("Finns inte", WD_STYLE_TYPE.PARAGRAPH)
