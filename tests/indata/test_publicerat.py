"""Tester för finsam_analys.indata.publicerat: tryckta tabeller i publicerat/ läses och
kontrolleras (alla problem på en gång, fil, rad som i Excel, kolumn)."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_analys.indata.inlasning import InlasningsFel, las_forbund
from finsam_analys.indata.publicerat import las_publicerade, tabell_fran_rutnat

DATA = Path(__file__).resolve().parents[2] / "data"


def _forbund(tmp_path: Path, yaml_text: str, filer: dict[str, str]) -> Path:
    d = tmp_path / "test"
    (d / "publicerat").mkdir(parents=True)
    (d / "forbund.yaml").write_text(
        "id: test\nnamn: Test\nkommuner: [A]\ninsatser: [Team]\nperioder: ['2019']\n",
        encoding="utf-8",
    )
    (d / "publicerat" / "tabeller.yaml").write_text(yaml_text, encoding="utf-8")
    for namn, text in filer.items():
        (d / "publicerat" / namn).write_text(text, encoding="utf-8")
    return d


SOT = (
    ";MAC;Upplevelse;Trädgård;Totalt\n"
    "Arbete;5;0;2;7 (13%)\n"
    "Studier;2;2;1;5 (9%)\n"
    "Fortsatt Arbetslivinriktad rehab;19;11;13;43 (78%)\n"
    "Totalt;26 (47%);13 (24%);16 (29%);55 (100%)\n"
)
SOT_YAML = """\
tabeller:
  - id: sot
    titel: Sammanställning per insats
    referens: SOT årsrapport 2019, Målområde 1
    period: "2019"
    population: fullfoljda
    matt: antal
    namnare: totalt
"""


def test_sot_2019_som_tryckt(tmp_path):
    u = las_forbund(_forbund(tmp_path, SOT_YAML, {"sot.csv": SOT}))
    (t,) = u.publicerade
    assert (t.titel, t.referens, t.period, t.population) == (
        "Sammanställning per insats", "SOT årsrapport 2019, Målområde 1", "2019", "fullfoljda",
    )  # fmt: skip
    assert t.kolumnnamn == ["MAC", "Upplevelse", "Trädgård", "Totalt"]
    assert t.kolumn("Totalt").roll == "summa"  # en kolumn som heter Totalt är en summa
    assert t.rader["roll"].tolist() == ["del", "del", "del", "summa"]
    assert t.tryckt().loc["Arbete", "Totalt"] == "7 (13%)"
    assert t.varden()["Totalt"].tolist() == [7.0, 5.0, 43.0, 55.0]
    assert t.cell(3, "MAC").andel == 47.0
    assert "publicerat: 1 tryckt tabell" in u.sammanfattning()


def test_de_inbaddade_tryckta_tabellerna_las():
    tabeller, problem = las_publicerade(DATA / "vasteras")
    assert problem == []
    assert [t.id for t in tabeller] == [
        "sot_2019_ekonomi_i_balans", "sot_2021_indikatorer", "sot_2021_samhallsnytta",
        "sim_2021_utokad_budget",
    ]  # fmt: skip
    sim = tabeller[-1]
    assert sim.varden()["KOSTNAD"].tolist() == [700000.0, 850000.0, 300000.0, 1850000.0]
    indikatorer = tabeller[1]
    assert indikatorer.cell(2, "Resultat").varde == 40.0  # "Max 40 månader …"
    assert las_publicerade(DATA / "sodra_dalarna") == ((), [])


def test_alla_problem_pa_en_gang(tmp_path):
    yaml_text = """\
tabeller:
  - id: sot
    titel: Sammanställning per insats
    referens: s. 2
    period: "2019"
    matt: antall
    kolumner:
      Totalt: {roll: summma}
      Trädgårdd: antal
  - id: budget
    titel: Budget
    period: "2019-13"
  - id: saknas
    titel: Finns inte
    referens: s. 9
    period: "2019"
"""
    csv = (
        "rad;roll;del_av;MAC;Upplevelse;Trädgård;Totalt\n"
        "Arbete;;;5;0;2;7 (13%)\n"
        "Studier;varav;;2;2;1;5 (9%)\n"
        "Rehab;delsumma;Arbeet;19;elva;13;43 (78%)\n"
        "Totalt;;;26;13;16;55 (100%) (55)\n"
    )
    d = _forbund(tmp_path, yaml_text, {"sot.csv": csv, "budget.csv": "Post;Budget\nA;1\n",
                                       "extra.csv": "a;b\n1;2\n"})  # fmt: skip
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    texter = [p.text() for p in fel.value.problem]
    alla = "\n".join(texter)
    assert 'okänt värde för matt: "antall" – menade du "antal"?' in alla
    assert 'okänd roll "summma"' in alla
    assert 'kolumnen "Trädgårdd" i beskrivningen finns inte i filen' in alla
    assert 'tabell budget: nyckeln "referens" saknas' in alla
    assert '"2019-13" är ingen giltig periodkod' in alla
    assert "publicerat/saknas.csv: tabell saknas: filen saknas" in alla
    assert "publicerat/extra.csv: filen nämns inte i tabeller.yaml" in alla
    assert 'publicerat/sot.csv, rad 3, kolumn "del_av": en varav-rad måste ange' in alla
    assert 'publicerat/sot.csv, rad 4, kolumn "roll": okänd radroll' in alla
    assert 'rad 4, kolumn "del_av": del_av pekar inte på någon annan rad' in alla
    assert 'publicerat/sot.csv, rad 4, kolumn "Upplevelse": texten står i en kolumn' in alla
    assert 'publicerat/sot.csv, rad 5, kolumn "Totalt"' in alla


def test_personnummer_i_en_tryckt_tabell_stoppar_utan_att_visas(tmp_path):
    csv = "Namn;Antal\n19121212-1212;3\n"
    d = _forbund(tmp_path, SOT_YAML, {"sot.csv": csv})
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    text = fel.value.rapport()
    assert "personnummer" in text and "publicerat/sot.csv" in text
    assert "19121212" not in text and "1212" not in text.replace("rad 2", "")


def test_filen_andras_inte(tmp_path):
    d = _forbund(tmp_path, SOT_YAML, {"sot.csv": SOT})
    fore = {p: p.read_bytes() for p in d.rglob("*") if p.is_file()}
    las_forbund(d)
    assert {p: p.read_bytes() for p in d.rglob("*") if p.is_file()} == fore


def test_grupper_och_referenser_blir_radnummer():
    t, problem = tabell_fran_rutnat(
        [["Post", "grupp", "roll", "del_av", "namnare", "Belopp"],
         ["Styrelse", "Administration / Styrelse", None, None, None, "10"],
         ["Summa", "Administration", None, None, None, "10"],
         ["varav arvoden", "Administration / Styrelse", "varav", "Styrelse", "Styrelse", "6"]],
        {"id": "b", "titel": "B", "referens": "s. 1", "period": "2024", "matt": "belopp"},
        fil="b.csv",
    )  # fmt: skip
    assert problem == []
    assert t.rader["grupp"].tolist() == [
        "Administration › Styrelse", "Administration", "Administration › Styrelse",
    ]  # fmt: skip
    assert t.rader["del_av"].tolist() == [-1, -1, 0]
    assert t.rader["namnare"].tolist() == [-1, -1, 0]
    assert t.rader["excelrad"].tolist() == [2, 3, 4]
