"""Förbundets tryckta tabeller i rapporten (rapport/publicerat.py).

Talen i förväntningarna kommer ur data/README.md:s exempel och referensrapporterna (handräknade
där granskningen rättar: SUMMA-raden i budgetexemplet, Västmanlands län 2019, Avestas
differenser).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from finsam_analys.granskning.resultat import granska
from finsam_analys.indata.publicerat import tabell_fran_rutnat
from finsam_analys.presentation.tabellvisning import visningstext
from finsam_analys.rapport import bygg_rapport
from finsam_analys.rapport.publicerat import (
    KORREKT_VARDE,
    avsnitt_for_tryckt,
    med_publicerade,
    publicerade_tabeller,
    tabell_ur_tryckt,
    tryckta_ur_kanoniska,
)
from finsam_analys.tabell import Sektion

BUDGET = [
    ["Konto", "Post", "grupp", "typ", "Årsbudget", "Utfall jan–aug", "Prognos helår",
     "Avvikelse prognos–budget"],
    ["3010", "Medlemsavgifter", "Intäkter", "intakt", "4 000", "2 667", "4 000", "0"],
    ["", "Summa intäkter", "Intäkter", "intakt", "4 000", "2 667", "4 000", "0"],
    ["4510", "Samordningsteam", "Insatser › Individinriktade", "kostnad", "−2 100", "−1 310",
     "−2 000", "100"],
    ["4520", "Unga vuxna", "Insatser › Individinriktade", "kostnad", "−900", "−540", "−850", "50"],
    ["", "Summa individinriktade", "Insatser › Individinriktade", "kostnad", "−3 000", "−1 850",
     "−2 850", "150"],
    ["4610", "Kompetensutveckling", "Insatser › Strukturövergripande", "kostnad", "−300", "−120",
     "−250", "50"],
    ["", "Summa strukturövergripande", "Insatser › Strukturövergripande", "kostnad", "−300",
     "−120", "−250", "50"],
    ["", "Summa insatser", "Insatser", "kostnad", "−3 300", "−1 970", "−3 100", "200"],
    ["4200+4210", "Styrelse", "Administration › Styrelse", "kostnad", "−150", "−80", "−150", "0"],
    ["6110", "Förbundschef", "Administration", "kostnad", "−500", "−330", "−500", "0"],
    ["", "Summa administration", "Administration", "kostnad", "−650", "−410", "−650", "0"],
    ["", "SUMMA", "", "resultat", "50", "287", "250", "210"],
]  # fmt: skip
BUDGETSPEC = {
    "id": "budget_2024",
    "titel": "Budget och utfall januari–augusti 2024 med helårsprognos",
    "referens": "s. 14, tabell 7",
    "kalla": "Årsrapport 2024, Exempelförbundet",
    "period": "2024-01..2024-08",
    "population": "ekonomi",
    "matt": "belopp",
    "enhet": "tkr",
    "kolumner": {
        "Avvikelse prognos–budget": {"roll": "differens", "av": ["Prognos helår", "Årsbudget"]}
    },
}
_IDENTIFIERARE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def budget():
    tabell, problem = tabell_fran_rutnat(BUDGET, BUDGETSPEC, fil="budget_2024.csv")
    assert problem == []
    return tabell


def test_tryckt_budget_som_tabell_med_konto_och_summarader(budget):
    t = tabell_ur_tryckt(budget)
    assert t.kalla == "publicerad" and t.referenser is None
    assert t.titel == "Budget och utfall januari–augusti 2024 med helårsprognos"
    assert t.kallhanvisning == "Årsrapport 2024, Exempelförbundet, s. 14, tabell 7"
    assert t.period == "januari–augusti 2024"
    assert t.data["Konto"].tolist()[:4] == ["3010", "", "4510", "4520"]
    assert t.data["Årsbudget"].tolist()[:5] == [4000, 4000, -2100, -900, -3000]
    assert t.kolumn("Årsbudget").matt == "belopp" and t.kolumn("Årsbudget").enhet == "tkr"
    # summaraderna (Summa …, SUMMA) i fetstil
    assert t.summarader == (1, 4, 6, 7, 10, 11)
    assert any("Källa: Årsrapport 2024, Exempelförbundet, s. 14, tabell 7" in f for f in t.fotnoter)


def test_granskningens_fel_marks_med_korrekt_varde(budget):
    from finsam_analys.granskning.publicerade import granska_publicerad

    t = tabell_ur_tryckt(budget, kontroller=granska_publicerad(budget))
    text = visningstext(t)
    # SUMMA: avvikelsen 250 − 50 = 200, tryckt 210 (data/README.md)
    assert "Avvikelse prognos–budget: 200 (tryckt 210" in text[KORREKT_VARDE].iloc[-1]
    assert text[KORREKT_VARDE].iloc[0] == ""
    assert text["Avvikelse prognos–budget"].iloc[-1] == "210"


def test_celler_med_flera_tal_visas_som_tryckt():
    t, _ = tabell_fran_rutnat(
        [["Försörjning vid inskrivning", "Kvinnor", "Män", "Totalt"],
         ["Försörjningsstöd", "12 (10)", "8 (9)", "20 (19)"],
         ["Totalt", "12 (10)", "8 (9)", "20 (19)"]],
        {"id": "nya", "titel": "Nya deltagare efter kön", "referens": "s. 6", "period": "2024",
         "matt": "antal", "parentes": "foregaende", "population": "nya"},
        fil="nya.csv")  # fmt: skip
    tabell = tabell_ur_tryckt(t)
    assert tabell.data["Kvinnor"].tolist() == ["12 (10)", "12 (10)"]
    assert tabell.population == "Nya deltagare under perioden"


@pytest.mark.parametrize(
    ("titel", "population", "roller", "avsnitt"),
    [
        ("NNS-indikatorerna, andel deltagare som svarat 5 eller 6", "svarande", [], "enkat"),
        ("Försörjning vid inskrivning, nya deltagare 2024", "nya", [], "bakgrund"),
        ("Budget och utfall januari–augusti 2024", "ekonomi", [], "ekonomi"),
        ("Måluppfyllelse 2024", None, ["mal", "bedomning"], "sammanfattning"),
        ("Samhällsekonomisk nytta per aktör", "fullfoljda", [], "samhallsnytta"),
        ("Återbetalningstid per aktör", "fullfoljda", ["mal"], "samhallsnytta"),
        ("Resultat 2024", "alla", [], "deltagare"),
        ("Uppföljning 6 månader efter avslut", "uppfoljda", [], "uppfoljning"),
    ],
)
def test_avsnitt_for_tryckt(titel, population, roller, avsnitt):
    from types import SimpleNamespace as N

    kolumner = [N(roll=r, matt="text") for r in roller]
    assert avsnitt_for_tryckt(N(titel=titel, population=population, kolumner=kolumner)) == avsnitt


def test_vasteras_2021_tryckta_hae_tabeller(underlag_vasteras):
    g = granska(underlag_vasteras)
    tryckta = tryckta_ur_kanoniska(underlag_vasteras, "2021-01..2021-08", fynd=g.fynd)
    per_titel = {t.tabell.titel: t for t in tryckta}
    kommuner = per_titel["Länets kommuner 2020"]
    assert kommuner.avsnitt == "helarsekvivalenter"
    data = kommuner.tabell.data.set_index("Kommun")
    assert len(data) == 11 and data.loc["Skinnskatteberg", "Totalt"] == 354
    assert data.loc["Norberg", "Andel"] == pytest.approx(0.177)
    assert kommuner.tabell.kallhanvisning.endswith("s. 14")
    kon = per_titel["Riket efter kön 2019"].tabell.data.set_index("Ersättningsform")
    assert kon.loc["Totalt", ["Kvinnor", "Män", "Totalt"]].tolist() == [403106, 338873, 741979]
    andel = per_titel["Könsfördelning inom respektive ersättningsform 2020"].tabell
    assert andel.kolumn("Kvinnor").precision == 1
    assert andel.data.set_index("Ersättningsform").loc["Sjukpenning", "Kvinnor"] == pytest.approx(
        0.638
    )
    huvud = per_titel["Helårsekvivalenter"].tabell
    lan = huvud.data[(huvud.data["Region"] == "Västmanlands län") & (huvud.data["År"] == "2019")]
    anm = lan[KORREKT_VARDE].iloc[0]
    assert "Totalt: 22\u00a0876 (tryckt 22\u00a0515" in anm and "15,1\u00a0%" in anm
    # HÅE-tabellerna ur delårsrapporten 2021 hör inte till årsrapporten 2019
    titlar_2019 = {t.tabell.titel for t in tryckta_ur_kanoniska(underlag_vasteras, "2019")}
    assert "Länets kommuner 2020" not in titlar_2019


def test_avesta_budget_med_prognos_och_rattade_differenser(underlag_avesta):
    g = granska(underlag_avesta)
    tryckta = tryckta_ur_kanoniska(underlag_avesta, "2015-07..2016-06", fynd=g.fynd)
    budget = next(t for t in tryckta if t.tabell.titel.startswith("Budgetutfall"))
    assert budget.avsnitt == "ekonomi"
    data = budget.tabell.data.set_index("Post")
    assert data["Prognos (avvikelse mot budget)"].tolist() == [0, -9000, 20000, 11000]
    assert data["Differens"].tolist() == [955000, 77000, 79000, 1111000]
    text = visningstext(budget.tabell).set_index(budget.tabell.data["Post"])
    assert text.loc["Personal", KORREKT_VARDE].startswith("Differens: 956\u00a0000")
    assert text.loc["Summa", KORREKT_VARDE].startswith("Differens: 1\u00a0112\u00a0000")


def test_sot_2019_uppfoljningen_som_tryckt_med_varav_rader(underlag_vasteras):
    # SOT 2019: 10 aktivt arbetssökande (varav 1 i arbetsmarknadsutbildning) och 7 ej aktivt
    # arbetssökande (varav 1 sjukpenning … 3 försörjningsstöd) av 23 uppföljda
    tryckta = tryckta_ur_kanoniska(underlag_vasteras, "2019")
    upp = next(t for t in tryckta if t.tabell.titel.startswith("Uppföljning 6 månader"))
    assert upp.avsnitt == "uppfoljning"
    data = upp.tabell.data.set_index("Uppgift")["Värde"]
    assert data["Aktivt arbetssökande"] == 10 and data["varav Arbetsmarknadsutbildning"] == 1
    assert data["varav Ekonomiskt bistånd"] == 3 and data["Totalt"] == 23
    assert sum(u.startswith("varav ") for u in data.index) == 6


def test_avesta_aldrarna_hor_till_bakgrund_inte_ekonomi(underlag_avesta):
    # medelålder, lägsta och högsta ålder (tabellen Sammanfattning): "medel" i medelålder gör
    # dem inte till ekonomi
    tryckta = tryckta_ur_kanoniska(underlag_avesta, "2015-07..2016-06")
    aldrar = next(t for t in tryckta if t.tabell.titel == "Sammanfattning")
    assert aldrar.avsnitt == "bakgrund"
    assert "Medelålder inskrivna" in set(aldrar.tabell.data["Uppgift"])


def test_inget_transkriberat_saknas_och_inga_utvecklaridentifierare(underlag_vasteras):
    tryckta = publicerade_tabeller(underlag_vasteras, "2021-01..2021-08")
    ider = {t.tabell.titel for t in tryckta}
    for p in underlag_vasteras.publicerade:
        if p.period == "2021-01..2021-08":
            assert p.titel in ider
    for t in tryckta:
        text = " ".join(
            [t.tabell.titel, *t.tabell.fotnoter, *(k.namn for k in t.tabell.kolumner)]
            + [str(v) for v in visningstext(t.tabell).to_numpy().ravel()]
        )
        assert _IDENTIFIERARE.findall(text) == [], t.tabell.titel


def test_avsnitt_utan_data_visas_med_sina_tryckta_tabeller(underlag_vasteras):
    r = bygg_rapport(underlag_vasteras, "2019")
    ekonomi = r["ekonomi"]
    assert ekonomi.saknas is None
    titlar = [t.titel for t in ekonomi.tabellobjekt()]
    assert "Målområde 3: Att Samordningsteamet har en budget i balans" in titlar
    # de tryckta tabellerna har inga referenser och maskas aldrig
    for s in r.values():
        for t in s.tabellobjekt():
            if t.namn.startswith("tryckt_"):
                assert t.referenser is None and not t.har_maskning


def test_med_publicerade_utan_tryckta_tabeller_andrar_inget(underlag_exempel):
    s = {"ekonomi": Sektion("ekonomi", "Ekonomi", saknas="Ingen ekonomi.")}
    assert med_publicerade(s, underlag_exempel, "2024") == s
    assert publicerade_tabeller(underlag_exempel, "2024") == []


def test_tryckt_tabell_utan_granskning_far_ingen_markering(budget):
    t = tabell_ur_tryckt(budget, kontroller=pd.DataFrame(columns=["tabell", "status"]))
    assert KORREKT_VARDE not in t.data.columns


def test_nyckeltalens_namn_med_svenska_bokstaver_och_egen_etikett(underlag_vasteras, tmp_path):
    # SOT 2019:s "det extra projektstödet på 200 tkr" (outnyttjat_projektstod): namnet härleds
    # med å, ä, ö; en egen etikett i kolumnen etikett går före
    import shutil

    from finsam_analys.indata.inlasning import las_forbund

    def uppgifter(underlag):
        return {
            u
            for t in tryckta_ur_kanoniska(underlag, "2019")
            for u in t.tabell.data.get("Uppgift", [])
        }

    assert "Outnyttjat projektstöd" in uppgifter(underlag_vasteras)
    katalog = tmp_path / "vasteras"
    shutil.copytree(underlag_vasteras.katalog, katalog)
    fil = katalog / "nyckeltal_publicerade.csv"
    rader = fil.read_text(encoding="utf-8").splitlines()
    rader = [rader[0] + ";etikett"] + [
        r + (";Extra projektstöd som inte använts" if "outnyttjat_projektstod" in r else ";")
        for r in rader[1:]
    ]
    fil.write_text("\n".join(rader) + "\n", encoding="utf-8")
    egen = uppgifter(las_forbund(katalog))
    assert "Extra projektstöd som inte använts" in egen
    assert "Outnyttjat projektstöd" not in egen
