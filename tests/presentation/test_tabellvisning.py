"""Tabellvisningen: svensk formatering, maskade celler, uppfyllt/ej uppfyllt och visa()."""

from __future__ import annotations

import pandas as pd
import pytest

from finsam_analys.presentation.tabellvisning import formatera_cell, stila, visa
from finsam_analys.rapport import Figur, Sektion


@pytest.mark.parametrize(
    ("varde", "typ", "text"),
    [
        (7 / 55, "procent", "13\xa0%"),
        (13451 / 88586, "procent1", "15,2\xa0%"),
        (7 / 55 - 0.25, "procentenheter", "−12 p.e."),
        (0.83 - 0.79, "procentenheter", "+4 p.e."),
        ((227 - 188) / 188, "forandring", "+21\xa0%"),
        (-0.05, "forandring", "−5\xa0%"),
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
    assert 'class="data row0 col2 finsam-ej-uppfyllt"' in html
    assert 'class="data row1 col2 finsam-uppfyllt"' in html


def _regler(html: str) -> dict[str, str]:
    """Tabellens stilmall som selektor (utan tabellens id) -> deklarationer."""
    import re

    return {
        sel.strip(): " ".join(decl.split())
        for sel, decl in re.findall(r"#T_\w+ ?([^{]*?)\s*\{([^}]*)\}", html)
    }


def test_stila_justering_summarader_och_langa_texter():
    t = pd.DataFrame(
        {
            "Post": ["Personal", "Summa"],
            "Belopp": [8054364.0, 9000000.0],
            "Kommentar": ["En lång kommentar som får brytas", ""],
        }
    )
    styler = stila(t, {"Belopp": "belopp", "Kommentar": "lang_text"}, rubrik="Ekonomi")
    html = styler.to_html()
    regler = _regler(html)
    assert "text-align: right; white-space: nowrap;" in regler["td"]  # tal högerställda
    assert regler["td.col0"] == "text-align: left; white-space: normal;"  # text
    assert "min-width: 8em;" in regler["td.col2"] and "text-align: left" in regler["td.col2"]
    assert regler["td.row1"] == "font-weight: 600;"  # summaraden i fetstil
    assert "td.row0" not in regler
    assert "8\xa0054\xa0364" in html and "9\xa0000\xa0000" in html
    assert ' id="T_' not in html.split("<table", 1)[1].split(">", 1)[1]  # inga id per cell


def test_stila_ger_varje_tabell_ett_eget_id():
    import re

    t = pd.DataFrame({"Antal": [7]})
    a, b = stila(t).to_html(), stila(t).to_html()
    id_a = re.search(r'<table id="(T_\w+)"', a).group(1)
    id_b = re.search(r'<table id="(T_\w+)"', b).group(1)
    assert id_a != id_b and id_a.startswith("T_tab")


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
    assert typer == ["HTML", "dict", "Styler"]
    bild, kw = visat[1]
    assert set(bild) == {"image/svg+xml", "text/plain"}
    assert bild["image/svg+xml"].startswith("<?xml") and "<svg " in bild["image/svg+xml"]
    assert ">50\xa0%</text>" in bild["image/svg+xml"]  # texten som text
    assert kw == {"raw": True, "metadata": {"finsam": {"alt": "Alt"}}}


def test_visa_saknad_sektion_en_rad(monkeypatch):
    visat = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda o, **k: visat.append(o))
    visa(Sektion("x", "X", saknas="Underlaget har ingen hälsoenkät."))
    assert len(visat) == 1 and "Underlaget har ingen hälsoenkät." in visat[0].data


# ---------------------------------------------------------------------------
# tabell_html: samma HTML som Styler (stila_tabell(...).to_html())
# ---------------------------------------------------------------------------

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from finsam_analys.tabell import Kolumn, Kvot, Storhet, Tabell  # noqa: E402

_TEXTER = st.text(alphabet="Aå <>&\"'\n\xa0%–.✔", max_size=8)


@st.composite
def _visade_tabeller(draw):
    n = draw(st.integers(0, 5))
    mattet = st.sampled_from(["text", "antal", "andel", "andel_av", "belopp", "bedomning"])
    matt = draw(st.lists(mattet, min_size=0, max_size=5))
    kolumner, data, refs = [], {}, {}
    nam, tal = Storhet.av("x"), Storhet.av("x", utfall="A")
    for j, m in enumerate(matt):
        namn = draw(st.sampled_from([f"k{j}", f"<k{j}>", f"K & {j}", f'"{j}"']))
        kolumner.append(Kolumn(namn, m, enhet=draw(st.sampled_from(["", "tkr"]))))
        if m == "text":
            varden = draw(st.lists(st.one_of(_TEXTER, st.just("Totalt"), st.none()),
                                   min_size=n, max_size=n))  # fmt: skip
        elif m == "bedomning":
            val = st.sampled_from(["Uppfyllt", "Ej uppfyllt", True, False, "..", None, "<x>"])
            varden = draw(st.lists(val, min_size=n, max_size=n))
        else:
            val = st.one_of(st.floats(-1000, 1000), st.just(".."), st.none())
            varden = draw(st.lists(val, min_size=n, max_size=n))
        data[namn] = pd.Series(varden, dtype=object)
        refs[namn] = pd.Series([Kvot(nam, tal) if m == "andel_av" else None] * n, dtype=object)
    titel = draw(st.one_of(_TEXTER, st.just("Titel")))
    summarader = (
        tuple(sorted(draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=2)))) if n else ()
    )
    try:
        return Tabell("t", titel, pd.DataFrame(data, index=range(n)), tuple(kolumner),
                      referenser=pd.DataFrame(refs, index=range(n)), antal={nam: 55, tal: 7},
                      summarader=summarader)  # fmt: skip
    except ValueError:  # två kolumner med samma namn
        return Tabell("t", titel, pd.DataFrame(index=range(n)), ())


@settings(max_examples=300, deadline=None)
@given(_visade_tabeller())
def test_tabell_html_som_styler(tabell):
    import itertools

    from finsam_analys.presentation import tabellvisning as tv

    lopnummer = tv._LOPNUMMER
    try:
        tv._LOPNUMMER = itertools.count(7)
        forvantat = tv.stila_tabell(tabell).to_html()
        tv._LOPNUMMER = itertools.count(7)
        assert tv.tabell_html(tabell) == forvantat
    finally:
        tv._LOPNUMMER = lopnummer


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.floats(), st.integers(-5, 5), st.just(".."), st.none()), max_size=5),
    st.sampled_from([None, "float64", object]),
)
@example([float("inf"), None], None)
@example([None, float("nan")], "float64")
@example(["..", None], object)
def test_har_varden_som_to_numeric(y, dtype):
    """En figur har värden precis när pd.to_numeric(y) har något som inte saknas."""
    from types import SimpleNamespace

    from finsam_analys.presentation.tabellvisning import _har_varden

    try:
        serie = pd.Series(y, dtype=dtype)
    except (TypeError, ValueError):
        return
    forvantat = bool(pd.to_numeric(serie, errors="coerce").notna().any())
    assert _har_varden(SimpleNamespace(data=pd.DataFrame({"y": serie}))) == forvantat
