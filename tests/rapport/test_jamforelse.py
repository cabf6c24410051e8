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
    # helår och delår i var sin tabell: bara lika långa perioder sida vid sida
    assert [t.titel for t in tabeller] == [
        "Andelar, helår",
        "Förändringar, helår",
        "Antal, helår",
        "Andelar, januari–augusti",
        "Förändringar, januari–augusti",
        "Antal, januari–augusti",
    ]
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
                if indikator not in set(t.data["Indikator"]) or kolumn not in t.data.columns:
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


def test_trender_bara_lika_langa_perioder(nyckeltal):
    """Ingen linje från ett helår till en period januari–augusti: de inbäddade förbunden har
    inte två lika långa perioder, så trenderna säger det i stället för att rita."""
    s = jamforelse.bygg_jamforelse(_lang(nyckeltal))["trender"]
    assert not s.visas and "samma längd" in s.saknas


def test_trender_en_linje_per_forbund_samma_farg():
    n = pd.DataFrame(
        [(f, p, "andel_avslut_Arbete", v) for f, p, v in (
            ("a", "2023", 0.2), ("a", "2024", 0.3), ("a", "2025-01..2025-08", 0.9),
            ("b", "2023", 0.1), ("b", "2024", 0.15))]
        + [("a", p, "forbundsnamn", "Förbund A") for p in ("2023", "2024")]
        + [("b", "2023", "forbundsnamn", "Förbund B"),
           ("c", "2024", "andel_avbrott", 0.3), ("c", "2024", "forbundsnamn", "Förbund C")],
        columns=["forbund", "period", "nyckel", "varde"], dtype=object,
    )  # fmt: skip
    s = jamforelse.bygg_jamforelse(n)["trender"]
    d = next(x for x in s.innehall if isinstance(x, Diagram))
    t = s.tabell(d.tabell)
    assert t.data["Period"].tolist() == ["2023", "2024"]  # inte januari–augusti 2025
    # alla förbund i samma ordning i varje diagram: samma färg överallt
    assert d.grupper == ("Förbund A", "Förbund B", "Förbund C")
    figur = figur_ur_diagram(d, t)
    assert figur.data[figur.data["grupp"] == "Förbund A"]["y"].tolist() == [0.2, 0.3]


def test_utan_nyckeltal_sager_vad_som_saknas():
    sektioner = jamforelse.bygg_jamforelse(None)
    assert not sektioner["sida_vid_sida"].visas and not sektioner["trender"].visas
