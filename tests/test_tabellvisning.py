"""Tabellvisningen: svensk formatering, maskade celler, uppfyllt/ej uppfyllt och visa()."""

from __future__ import annotations

import pandas as pd
import pytest

from finsam_analys.rapportdelar import Figur, Sektion
from finsam_analys.tabellvisning import formatera_cell, stila, visa


@pytest.mark.parametrize(
    ("varde", "typ", "text"),
    [
        (7 / 55, "procent", "13\xa0%"),
        (13451 / 88586, "procent1", "15,2\xa0%"),
        (7 / 55 - 0.25, "procentenheter", "-12 p.e."),
        (0.83 - 0.79, "procentenheter", "+4 p.e."),
        ((227 - 188) / 188, "forandring", "+21\xa0%"),
        (-0.05, "forandring", "-5\xa0%"),
        (8054364.0, "belopp", "8\xa0054\xa0364"),
        (8.46, "tal1", "8,5"),
        ("..", "procent", ".."),
        (None, "antal", "–"),
        (float("nan"), "procent", "–"),
        ("Uppfyllt", "uppfyllt", "✔ Uppfyllt"),
        (False, "uppfyllt", "✘ Ej uppfyllt"),
        ("Kan inte bedömas", "uppfyllt", "Kan inte bedömas"),
        (2020, "ar", "2020"),
    ],
)
def test_formatera_cell(varde, typ, text):
    assert formatera_cell(varde, typ) == text


def test_stila_markerar_uppfyllt_och_behaller_data():
    t = pd.DataFrame(
        {
            "Indikator": ["Arbete", "Hälsa"],
            "Resultat": [7 / 55, ".."],
            "Bedömning": ["Ej uppfyllt", "Uppfyllt"],
        }
    )
    kopia = t.copy()
    html = stila(t, {"Resultat": "procent", "Bedömning": "uppfyllt"}, rubrik="Mål").to_html()
    pd.testing.assert_frame_equal(t, kopia)  # muteras inte
    assert "13\xa0%" in html and ">..<" in html
    assert "✘ Ej uppfyllt" in html and "✔ Uppfyllt" in html
    assert "#f8dedd" in html and "#e3f1e0" in html  # röd och grön bakgrund
    assert "<caption>Mål</caption>" in html


def test_visa_visar_text_figur_tabell(monkeypatch):
    visat = []

    def fanga(obj, **kwargs):
        visat.append((obj, kwargs))

    import IPython.display

    monkeypatch.setattr(IPython.display, "display", fanga)
    s = Sektion(
        "x",
        "X",
        text="Text",
        tabeller={"T": pd.DataFrame({"Antal": [7]})},
        format={"T": {"Antal": "antal"}},
        figurer=[Figur("staplar", pd.DataFrame({"x": ["A"], "y": [0.5]}), titel="F", alt="Alt")],
    )
    visa(s)
    typer = [type(o).__name__ for o, _ in visat]
    assert typer == ["Markdown", "dict", "Styler"]
    bild, kw = visat[1]
    assert "image/png" in bild and kw["metadata"] == {"finsam": {"alt": "Alt"}}


def test_visa_saknad_sektion_en_rad(monkeypatch):
    visat = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda o, **k: visat.append(o))
    visa(Sektion("x", "X", saknas="Underlaget har ingen hälsoenkät."))
    assert len(visat) == 1 and "Underlaget har ingen hälsoenkät." in visat[0].data
