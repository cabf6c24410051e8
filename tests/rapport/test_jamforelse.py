"""Jämförelserapporten: rapporternas nyckeltal sida vid sida och som trender.

Jämförelsen visar exakt det som rapporterna visar efter maskning: ett värde som är maskat i ett
förbunds rapport är maskat här också.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from finsam_analys import rapport as rd
from finsam_analys.presentation.figurer import figur_ur_diagram
from finsam_analys.presentation.tabellvisning import visningstext
from finsam_analys.rapport import jamforelse
from finsam_analys.tabell import MASKAD, Diagram, ar_maskad


def _lang(rapporter: dict[tuple[str, str], dict]) -> pd.DataFrame:
    """Som ``nyckeltal.csv``: en rad per förbund, period och nyckeltal."""
    rader = [(f, p, k, v) for (f, p), nyckeltal in rapporter.items() for k, v in nyckeltal.items()]
    return pd.DataFrame(rader, columns=["forbund", "period", "nyckel", "varde"], dtype=object)


@pytest.fixture(scope="module")
def nyckeltal(vasteras_maskerat, avesta_maskerat, underlag_exempel):
    """Rapporternas nyckeltal; de publicerade förbunden maskade, så att jämförelsen prövas
    också med maskade tal."""
    rapporter = {}
    for underlag, period in (
        (vasteras_maskerat, "2019"),
        (avesta_maskerat, "2015-07..2016-06"),
        (underlag_exempel, "2024"),
        (underlag_exempel, "2025-01..2025-08"),
    ):
        rapport = rd.bygg_rapport(underlag, period)
        rapporter[(underlag.konfig.id, period)] = rd.rapportens_nyckeltal(rapport)
    return rapporter


def test_samma_tal_och_samma_maskning_som_rapporterna(nyckeltal):
    sektioner = jamforelse.bygg_jamforelse(_lang(nyckeltal))
    tabeller = sektioner["sida_vid_sida"].tabellobjekt()
    assert [t.titel for t in tabeller] == ["Andelar", "Förändringar", "Antal"]
    namn = {"vasteras": "Samordningsförbundet Västerås 2019",
            "sodra_dalarna": "Södra Dalarnas Samordningsförbund juli 2015–juni 2016",
            "exempelforbund": "Exempelförbundet 2024"}  # fmt: skip
    jamforda = maskade = 0
    for (forbund, period), tal in nyckeltal.items():
        if period == "2025-01..2025-08":
            continue
        kolumn = namn[forbund]
        for nyckel, (indikator, _) in jamforelse.INDIKATORER.items():
            for t in tabeller:
                if indikator not in set(t.data["Indikator"]):
                    continue
                i = t.rad(indikator)
                if nyckel not in tal or tal[nyckel] is None:
                    assert math.isnan(t.data.loc[i, kolumn]), (kolumn, indikator)
                elif tal[nyckel] == MASKAD:
                    assert ar_maskad(t.visning.loc[i, kolumn]), (kolumn, indikator)
                    maskade += 1
                else:
                    assert t.data.loc[i, kolumn] == pytest.approx(tal[nyckel]), (kolumn, indikator)
                    assert not ar_maskad(t.visning.loc[i, kolumn])
                jamforda += 1
    assert jamforda > 20 and maskade >= 1


def test_forbundens_namn_och_perioder_inte_id(nyckeltal):
    tabell = jamforelse.jamforelsetabell(_lang(nyckeltal))
    assert tabell.columns.tolist() == [
        "Indikator",
        "Exempelförbundet 2024",
        "Exempelförbundet januari–augusti 2025",
        "Samordningsförbundet Västerås 2019",
        "Södra Dalarnas Samordningsförbund juli 2015–juni 2016",
    ]


def test_maskat_varde_visas_som_maskat():
    n = pd.DataFrame(
        {
            "forbund": ["a", "a", "b", "b"],
            "period": ["2019", "2019", "2019", "2019"],
            "nyckel": [
                "andel_avslut_Arbete",
                "forbundsnamn",
                "andel_avslut_Arbete",
                "antal_avslut",
            ],
            "varde": ["0.2", "Förbund A", "..", "12"],
        }
    )
    t = jamforelse.bygg_jamforelse(n)["sida_vid_sida"].tabell("Andelar")
    assert visningstext(t).iloc[0].tolist() == ["Arbete efter avslut", "20\xa0%", ".."]
    antal = jamforelse.bygg_jamforelse(n)["sida_vid_sida"].tabell("Antal")
    assert visningstext(antal).iloc[0].tolist() == ["Fullföljda avslut", "–", "12"]


def test_trender_en_linje_per_forbund(nyckeltal):
    s = jamforelse.bygg_jamforelse(_lang(nyckeltal))["trender"]
    diagram = [b for b in s.innehall if isinstance(b, Diagram)]
    assert diagram
    d = next(x for x in diagram if x.titel == "Arbete efter avslut")
    t = s.tabell(d.tabell)
    assert t.data["Period"].tolist() == [
        "juli 2015–juni 2016",
        "2019",
        "2024",
        "januari–augusti 2025",
    ]
    figur = figur_ur_diagram(d, t)
    assert figur.typ == "linjer"
    exempel = figur.data[figur.data["grupp"] == "Exempelförbundet"].dropna(subset=["y"])
    assert exempel["x"].tolist() == ["2024", "januari–augusti 2025"]


def test_utan_nyckeltal_sager_vad_som_saknas():
    sektioner = jamforelse.bygg_jamforelse(None)
    assert not sektioner["sida_vid_sida"].visas and not sektioner["trender"].visas
