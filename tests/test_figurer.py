"""Figurerna: ritas ur sektionernas Figur-beskrivningar med svenska tal och maskade värden."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finsam_analys import figurer
from finsam_analys.rapportdelar import Figur


@pytest.fixture(autouse=True)
def _stang():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _texter(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_staplar_med_svenska_procent_och_mal():
    # SOT 2019: 7, 5, 43 av 55; mål 25 %
    f = Figur(
        "staplar",
        pd.DataFrame({"x": ["Arbete", "Studier", "Rehab"], "y": [7 / 55, 5 / 55, 43 / 55]}),
        titel="Utfall 2019",
        mal={"Mål": 0.25},
    )
    fig = figurer.rita(f)
    texter = _texter(fig)
    assert {"13\xa0%", "9\xa0%", "78\xa0%"} <= set(texter)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Utfall 2019"
    assert ax.xaxis.get_major_formatter()(0.5, 0) == "50\xa0%"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Mål"]


def test_maskat_varde_ritas_inte_utan_markeras():
    f = Figur("staplar", pd.DataFrame({"x": ["AF", "FK"], "y": [0.6, np.nan]}), titel="Avbrott")
    fig = figurer.rita(f)
    assert any(t.startswith(" ..") for t in _texter(fig))
    hojder = [p.get_width() for p in fig.axes[0].patches]
    assert hojder == [0.6, 0.0]


def test_resultat_mot_mal_ritar_ett_malstreck_per_rad():
    data = pd.DataFrame({"x": ["Arbete", "Studier"], "y": [7 / 55, 5 / 55], "mal_y": [0.25, 0.2]})
    fig = figurer.rita(Figur("resultat_mot_mal", data, titel="Mål"))
    malstreck = [ln for ln in fig.axes[0].lines if ln.get_xdata()[0] in (0.25, 0.2)]
    assert len(malstreck) == 2


def test_linjer_helarsekvivalenter_en_decimal():
    data = pd.DataFrame(
        {"x": [2019, 2020, 2019, 2020], "y": [12533 / 87797, 13451 / 88586, 0.127, 0.134],
         "grupp": ["Västerås", "Västerås", "Riket", "Riket"]}
    )  # fmt: skip
    fig = figurer.rita(Figur("linjer", data, titel="HÅE", decimaler=1))
    assert "15,2\xa0%" in _texter(fig)  # Västerås 2020
    assert len(fig.axes[0].lines) == 2


def test_grupperade_staplar_och_okand_typ():
    data = pd.DataFrame({"x": ["Ohälsa", "Ohälsa"], "grupp": ["Före", "Efter"], "y": [0.4, np.nan]})
    fig = figurer.rita(Figur("grupperade_staplar", data, titel="Försörjning"))
    assert ".." in _texter(fig)
    with pytest.raises(ValueError, match="Okänd figurtyp"):
        figurer.rita(Figur("paj", data, titel="x"))


def test_png_ar_deterministisk():
    f = Figur("staplar", pd.DataFrame({"x": ["A", "B"], "y": [0.3, 0.7]}), titel="T")
    a, b = figurer.som_png(f), figurer.som_png(f)
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and a == b
