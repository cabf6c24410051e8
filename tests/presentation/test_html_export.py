"""HTML-exporten: ingen kod, självständig, utskriftsvänlig, deterministisk."""

from __future__ import annotations

import re
import uuid

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from finsam_analys.presentation.html_export import exportera_html, externa_referenser

SVG = (
    '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="20pt" viewBox="0 0 100 20">'
    '<defs><clipPath id="p1"><rect x="0" y="0" width="100" height="20"/></clipPath></defs>'
    '<g id="figure_1"><text x="2" y="15" style="font-size: 12px">Försörjning 13\xa0%</text></g>'
    "</svg>\n"
)

PNG_1X1 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9a"
    "wAAAABJRU5ErkJggg=="
)


def _kord_notebook(*, injicerat_id: str, styler_id: str) -> nbformat.NotebookNode:
    """En notebook som papermill lämnar den: parametercell, injicerad cell, utdata."""
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    parametrar = new_code_cell('forbund = "vasteras"', id="parametrar", execution_count=1)
    parametrar.metadata["tags"] = ["parameters"]
    injicerad = new_code_cell(
        'forbund = "hemligt_forbund"\nperiod = "2019"', id=injicerat_id, execution_count=2
    )
    injicerad.metadata["tags"] = ["injected-parameters"]
    tabell = (
        f'<style type="text/css">#T_{styler_id}_row0_col0 {{ color: red; }}</style>'
        f'<table id="T_{styler_id}"><tr><td id="T_{styler_id}_row0_col0">13 %</td></tr></table>'
    )
    nb.cells = [
        new_markdown_cell("# Avslut och resultat", id="rubrik"),
        parametrar,
        injicerad,
        new_code_cell(
            "print('antal avslut')\nimport warnings",
            id="utskrift",
            execution_count=3,
            outputs=[
                new_output("stream", name="stdout", text="55 avslut\n"),
                new_output("stream", name="stderr", text="FutureWarning: hemlig varning\n"),
            ],
        ),
        new_code_cell(
            "display(tabell)",
            id="tabell",
            execution_count=4,
            outputs=[
                new_output(
                    "execute_result",
                    data={"text/html": tabell, "text/plain": "<Styler>"},
                    execution_count=4,
                )
            ],
        ),
        new_code_cell(
            "fig",
            id="figur",
            execution_count=5,
            outputs=[new_output("display_data", data={"image/png": PNG_1X1, "text/plain": "F"})],
        ),
        new_code_cell(
            "visa(sektion)",
            id="svg",
            execution_count=6,
            outputs=[
                new_output(
                    "display_data",
                    data={"image/svg+xml": SVG, "text/plain": "<Figur: Försörjning>"},
                    metadata={"finsam": {"alt": 'Stapeldiagram: "försörjning" & <mål>'}},
                ),
                new_output(
                    "display_data",
                    data={"image/svg+xml": SVG, "text/plain": "<Figur: Igen>"},
                ),
                new_output(
                    "display_data",
                    data={
                        "text/html": tabell.replace(f"T_{styler_id}", "T_tab17"),
                        "text/plain": "<Styler>",
                    },
                ),
            ],
        ),
        new_code_cell("x = 1", id="tyst", execution_count=7, outputs=[]),
    ]
    return nb


def _exportera(nb: nbformat.NotebookNode, skapad: str = "2026-01-31") -> str:
    return exportera_html(
        nb,
        titel="Samordningsförbundet Västerås – 2019",
        forbund="Samordningsförbundet Västerås",
        period="2019",
        skapad=skapad,
    )


@pytest.fixture(scope="module")
def sida() -> str:
    return _exportera(_kord_notebook(injicerat_id=uuid.uuid4().hex[:8], styler_id="a1b2c"))


def test_ingen_kod_och_inga_prompter(sida):
    assert '<div class="highlight hl-ipython3"' not in sida
    assert re.search(r'class="[^"]*jp-InputPrompt', sida) is None
    assert re.search(r'class="[^"]*jp-OutputPrompt', sida) is None
    assert "print(" not in sida and "display(tabell)" not in sida
    assert "Out[4]" not in sida and "In&nbsp;[" not in sida


def test_parametercellerna_syns_inte(sida):
    assert "hemligt_forbund" not in sida
    assert 'forbund = "vasteras"' not in sida


def test_utdata_syns_men_inte_varningar(sida):
    assert "55 avslut" in sida
    assert "13 %" in sida
    assert "data:image/png;base64," + PNG_1X1 in sida
    assert 'alt="Figur"' in sida
    assert "hemlig varning" not in sida


def test_svg_som_img_med_alt_och_data_uri(sida):
    import base64

    bilder = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)">', sida)
    assert len(bilder) == 2
    (data, alt), (data2, alt2) = bilder
    assert base64.b64decode(data).decode("utf-8") == SVG  # svenska tecken och NBSP oförändrade
    assert data2 == data
    assert alt == "Stapeldiagram: &quot;försörjning&quot; &amp; &lt;mål&gt;"
    assert alt2 == "Figur"
    assert "<svg" not in sida  # ingen SVG-kod i sidan: id:n i olika SVG kan inte krocka
    assert 'class="jp-RenderedImage jp-RenderedSVG jp-OutputArea-output' in sida


def test_utdata_far_tabindex(sida):
    utdata = re.findall(r'<div class="[^"]*jp-OutputArea-output[^"]*"[^>]*>', sida)
    assert utdata and all('tabindex="0"' in d for d in utdata)


def test_sidhuvud_och_titel(sida):
    assert "<title>Samordningsförbundet Västerås – 2019</title>" in sida
    huvud = re.search(r'<header class="finsam-sidhuvud">(.*?)</header>', sida, re.S).group(1)
    assert "Samordningsförbundet Västerås" in huvud
    assert "2019" in huvud
    assert "Skapad 2026-01-31" in huvud
    assert '<html lang="sv">' in sida


def test_sjalvstandig_utan_natreferenser(sida):
    assert externa_referenser(sida) == []
    for forbjudet in ("require.js", "mathjax", "MathJax", "mermaid.esm", "cdnjs", "unpkg"):
        assert forbjudet not in sida
    assert "<script src" not in sida
    assert "<link" not in sida


def test_utskriftsvanlig(sida):
    assert "@media print" in sida
    assert "@page" in sida
    assert "break-inside: avoid" in sida


def test_deterministisk_trots_slumpade_id(sida):
    annan = _exportera(_kord_notebook(injicerat_id=uuid.uuid4().hex[:8], styler_id="ffe01"))
    assert annan == sida
    assert "T_a1b2c" not in sida and "T_finsam1" in sida
    # stilas löpnummer (T_tabN) beror på kärnans historia och byts också
    assert "T_tab17" not in sida and "T_finsam2" in sida


def test_skapad_syns_och_andrar_bara_sidhuvudet(sida):
    annan = _exportera(_kord_notebook(injicerat_id="x", styler_id="a1b2c"), skapad="2027-02-01")
    assert "Skapad 2027-02-01" in annan
    assert annan.replace("2027-02-01", "2026-01-31") == sida


def test_notebooken_muteras_inte():
    nb = _kord_notebook(injicerat_id="abc", styler_id="a1b2c")
    fore = nbformat.writes(nb)
    _exportera(nb)
    assert nbformat.writes(nb) == fore


def test_dolj_tagg_tar_bort_cellen():
    nb = _kord_notebook(injicerat_id="abc", styler_id="a1b2c")
    nb.cells[3].metadata["tags"] = ["dolj"]
    assert "55 avslut" not in _exportera(nb)


@pytest.mark.parametrize(
    ("text", "vantat"),
    [
        (
            '<script src="https://cdn.example/require.js"></script>',
            ["https://cdn.example/require.js"],
        ),
        ("<link rel=stylesheet href=//fonts.example/a.css>", ["//fonts.example/a.css"]),
        ('<img src="bild.png">', ["bild.png"]),
        ('<a href="file:///etc/passwd">x</a>', ["file:///etc/passwd"]),
        (
            "<style>@font-face { src: url('https://f.example/x.woff2') }</style>",
            ["https://f.example/x.woff2"],
        ),
        ('<style>@import "https://f.example/a.css";</style>', ["https://f.example/a.css"]),
        ('<img src="data:image/png;base64,AAAA"><a href="#avslut">x</a>', []),
        ("<style>.a { background: url(data:image/svg+xml;base64,PHN2Zz4=) }</style>", []),
        ('<a href="&#104;ttps://x.example">x</a>', ["https://x.example"]),
    ],
)
def test_externa_referenser(text, vantat):
    assert externa_referenser(text) == vantat
