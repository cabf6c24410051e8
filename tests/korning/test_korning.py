"""Körningen: papermill-runnern, batchen, felhantering, utdata och röktest på riktiga data."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from finsam_analys import cli
from finsam_analys.korning import batch as korning
from finsam_analys.korning import utdata
from finsam_analys.korning.batch import Resultat
from finsam_analys.presentation.html_export import externa_referenser

ROT = Path(__file__).resolve().parents[2]
DATA = ROT / "data"


# ------------------------------------------------------------------ utan kärna


def _forbund(data: Path, namn: str, perioder_yaml: str) -> None:
    (data / namn).mkdir(parents=True)
    (data / namn / "forbund.yaml").write_text(
        f"id: {namn}\nnamn: Förbundet {namn}\nkommuner: [A]\ninsatser: [Team]\n"
        f"perioder: {perioder_yaml}\n",
        encoding="utf-8",
    )


def test_planera_batch_alla_och_urval(tmp_path):
    _forbund(tmp_path, "b", '["2019", "2021-01..2021-08"]')
    _forbund(tmp_path, "a", '["2015-07..2016-06"]')
    (tmp_path / "inget_forbund").mkdir()
    uppgifter, fel = korning.planera_batch(tmp_path)
    assert fel == []
    assert uppgifter == [("a", "2015-07..2016-06"), ("b", "2019"), ("b", "2021-01..2021-08")]

    uppgifter, fel = korning.planera_batch(tmp_path, forbund=["b"], perioder=["2021-01–2021-08"])
    assert (uppgifter, fel) == ([("b", "2021-01..2021-08")], [])


def test_planera_batch_trasig_konfig_och_okant_forbund(tmp_path):
    _forbund(tmp_path, "ok", '["2019"]')
    (tmp_path / "trasig").mkdir()
    (tmp_path / "trasig" / "forbund.yaml").write_text("perioder: [2019\n", encoding="utf-8")
    _forbund(tmp_path, "utan_perioder", "[]")
    uppgifter, fel = korning.planera_batch(tmp_path, forbund=["ok", "trasig", "utan_perioder", "x"])
    assert uppgifter == [("ok", "2019")]
    assert [(r.forbund, r.lyckades) for r in fel] == [
        ("x", False),
        ("trasig", False),
        ("utan_perioder", False),
    ]
    assert "finns inte" in fel[0].fel
    assert "forbund.yaml, rad 2: felaktig YAML" in fel[1].fel
    assert 'nyckeln "perioder" saknas' in fel[2].fel


def test_cellbeskrivning_raknar_bort_papermills_celler():
    nb = new_notebook()
    fel_overst = new_markdown_cell("Felmeddelande")
    fel_overst.metadata["tags"] = ["papermill-error-cell-tag"]
    injicerad = new_code_cell("period = '2019'")
    injicerad.metadata["tags"] = ["injected-parameters"]
    ankare = new_markdown_cell("<span id='papermill-error-cell'>")
    ankare.metadata["tags"] = ["papermill-error-cell-tag"]
    nb.cells = [
        fel_overst,
        new_markdown_cell("# Rapport"),  # cell 1
        new_code_cell("period = None"),  # cell 2 (parametrar)
        injicerad,
        new_markdown_cell("## Avslut och resultat\n\nText."),  # cell 3
        new_code_cell("x = 1"),  # cell 4
        ankare,
        new_code_cell("raise KeyError"),  # cell 5, index 5 i papermills körda notebook
    ]
    assert korning._cellbeskrivning(nb, 5) == "cell 5 (Avslut och resultat)"
    assert korning._cellbeskrivning(None, 5) == "cell 6"


def test_resultat_rad_och_sammanfattning():
    ok = Resultat("vasteras", "2019", True, Path("ut/vasteras/2019"), 3.25)
    fel = Resultat(
        "avesta",
        "2015-07..2016-06",
        False,
        None,
        1.0,
        cell="cell 4 (Avslut)",
        fel="KeyError: 'antal'\nmer text",
    )
    assert ok.rad() == "OK  vasteras 2019 -> ut/vasteras/2019/rapport.html (3,2 s)"
    assert fel.rad() == "FEL avesta 2015-07..2016-06: cell 4 (Avslut): KeyError: 'antal' (1,0 s)"
    text = korning.sammanfattning([ok, fel])
    assert text.splitlines() == [
        "2 rapporter: 1 lyckades, 1 misslyckades.",
        "Misslyckade:",
        "  avesta 2015-07..2016-06, cell 4 (Avslut):",
        "    KeyError: 'antal'",
        "    mer text",
    ]


def test_kor_rapport_okant_forbund_och_ogiltig_period(tmp_path):
    r = korning.kor_rapport(
        forbund="finns_inte", period="2019", data_katalog=tmp_path, utdata_katalog=tmp_path
    )
    assert not r.lyckades and "finns inte" in r.fel
    r = korning.kor_rapport(
        forbund="x", period="2019-13", data_katalog=tmp_path, utdata_katalog=tmp_path
    )
    assert not r.lyckades and "2019-13" in r.fel


def test_kommandoraden_rapport_okant_forbund(tmp_path, capsys):
    slutkod = cli.main(
        [
            "rapport",
            "--forbund",
            "saknas",
            "--period",
            "2019",
            "--data",
            str(tmp_path),
            "--utdata",
            str(tmp_path / "ut"),
        ]
    )
    fel = capsys.readouterr().err
    assert slutkod == cli.SLUTKOD_RAPPORT_MISSLYCKADES
    assert "FEL saknas 2019" in fel and "finns inte" in fel


def test_ogiltigt_skapandedatum(tmp_path, capsys):
    r = korning.kor_rapport(
        forbund="x", period="2019", data_katalog=tmp_path, utdata_katalog=tmp_path, skapad="igår"
    )
    assert not r.lyckades and "Ogiltigt skapandedatum 'igår'" in r.fel
    with pytest.raises(SystemExit) as avslut:
        cli.main(["batch", "--data", str(tmp_path), "--skapad", "2026-13-01"])
    assert avslut.value.code == 2
    assert "Ogiltigt skapandedatum" in capsys.readouterr().err


def test_processpoolen_anvander_inte_fork():
    assert korning._mp_kontext().get_start_method() in {"forkserver", "spawn"}


# ------------------------------------------------------------------ med en enkel test-notebook

STUB_KOD = """
import matplotlib
import matplotlib.pyplot as plt
from finsam_analys.korning import utdata
from finsam_analys.presentation.html_export import deterministiska_figurer

deterministiska_figurer()
typer = {n: type(v).__name__ for n, v in [("period", period), ("skapad", skapad),
         ("sekretess_troskel", sekretess_troskel), ("jamforelseperiod", jamforelseperiod)]}
assert typer == {"period": "str", "skapad": "str", "sekretess_troskel": "NoneType",
                 "jamforelseperiod": "NoneType"}, typer
assert not hasattr(matplotlib, "finsam_laeckage"), "tillstånd läckte från en annan rapport"
import os
assert os.environ["PYTHONHASHSEED"] == "0"
matplotlib.finsam_laeckage = True
print("Rapport för", forbund, period)
"""

STUB_FEL = """
if forbund == "trasig":
    raise KeyError("antal")
fig, ax = plt.subplots(figsize=(3, 2))
ax.bar(["Arbete", "Studier"], [7, 5])
plt.show()
utdata.spara_nyckeltal({"antal": 12, "forbund_langd": len(forbund)},
                       utdata_katalog=utdata_katalog, forbund=forbund, period=period,
                       forbundsnamn="Förbundet " + forbund.upper());
"""


@pytest.fixture(scope="module")
def stub_notebook(tmp_path_factory) -> Path:
    katalog = tmp_path_factory.mktemp("nb")
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    parametrar = new_code_cell(
        "\n".join(f"{namn} = None" for namn in korning.RAPPORTPARAMETRAR), id="parametrar"
    )
    parametrar.metadata["tags"] = ["parameters"]
    nb.cells = [
        new_markdown_cell("# Test", id="rubrik"),
        parametrar,
        new_code_cell(STUB_KOD, id="kod"),
        new_markdown_cell("## Avslut och resultat", id="avslut"),
        new_code_cell(STUB_FEL, id="fel"),
    ]
    sokvag = katalog / "stub.ipynb"
    nbformat.write(nb, sokvag)
    return sokvag


@pytest.fixture
def stub_data(tmp_path) -> Path:
    data = tmp_path / "data"
    _forbund(data, "ett", '["2019", "2021-01..2021-08"]')
    _forbund(data, "trasig", '["2019"]')
    return data


@pytest.mark.langsam
def test_kor_rapport_lyckas_och_skriver_atomart(stub_notebook, stub_data, tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    ut = tmp_path / "ut"
    # en tabellfil från en tidigare körning; rapporten skriver inga tabeller nu
    gammal = utdata.rapportkatalog(ut, "ett", "2021-01..2021-08") / "tabeller.xlsx"
    gammal.parent.mkdir(parents=True)
    gammal.write_bytes(b"gammal")
    os.utime(gammal, (1_600_000_000, 1_600_000_000))
    r = korning.kor_rapport(
        forbund="ett",
        period="2021-01..2021-08",
        data_katalog=stub_data,
        utdata_katalog=ut,
        skapad="2026-03-01",
        notebook=stub_notebook,
    )
    assert r.lyckades, r.fel
    assert "PYTHONHASHSEED" not in os.environ  # bara kärnan fick det fasta fröet
    katalog = ut / "ett" / "2021-01_2021-08"
    assert r.katalog == katalog and r.html == katalog / "rapport.html"
    assert sorted(p.name for p in katalog.iterdir()) == [
        "nyckeltal.json",
        "rapport.html",
        "rapport.ipynb",
    ]
    sida = (katalog / "rapport.html").read_text(encoding="utf-8")
    assert "Förbundet ETT" in sida and "Skapad 2026-03-01" in sida
    assert '<p class="finsam-period">januari–augusti 2021</p>' in sida  # ingen periodkod
    assert "Rapport för ett 2021-01..2021-08" in sida
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', sida)) == 1
    assert externa_referenser(sida) == []
    kord = nbformat.read(katalog / "rapport.ipynb", as_version=4)
    injicerad = [c for c in kord.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injicerad) == 1
    assert 'period = "2021-01..2021-08"' in injicerad[0].source
    assert kord.metadata.kernelspec.name == "python3"


@pytest.mark.langsam
def test_kor_rapport_misslyckas_med_cell_och_tar_bort_inaktuellt(
    stub_notebook, stub_data, tmp_path
):
    ut = tmp_path / "ut"
    gammal = utdata.rapportkatalog(ut, "trasig", "2019")
    gammal.mkdir(parents=True)
    for namn in ("rapport.html", "nyckeltal.json", "tabeller.xlsx"):
        (gammal / namn).write_text("gammal", encoding="utf-8")
    r = korning.kor_rapport(
        forbund="trasig",
        period="2019",
        data_katalog=stub_data,
        utdata_katalog=ut,
        notebook=stub_notebook,
    )
    assert not r.lyckades
    assert r.cell == "cell 5 (Avslut och resultat)"
    assert r.fel == "KeyError: 'antal'"
    assert sorted(p.name for p in gammal.iterdir()) == ["rapport.ipynb"]
    kord = nbformat.read(gammal / "rapport.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in kord.cells for o in c.get("outputs", []))


@pytest.mark.langsam
def test_kor_batch_fortsatter_efter_fel(stub_notebook, stub_data, tmp_path, caplog):
    ut = tmp_path / "ut"
    caplog.set_level("INFO", logger="finsam_analys.korning.batch")
    resultat = korning.kor_batch(
        data_katalog=stub_data,
        utdata_katalog=ut,
        processer=2,
        skapad="2026-03-01",
        jamforelse=False,
        notebook=stub_notebook,
    )
    assert [(r.forbund, r.period, r.lyckades) for r in resultat] == [
        ("ett", "2019", True),
        ("ett", "2021-01..2021-08", True),
        ("trasig", "2019", False),
    ]
    # en loggrad per rapport
    rader = [r.getMessage() for r in caplog.records if r.getMessage().startswith(("OK", "FEL"))]
    assert len(rader) == 3
    assert any(rad.startswith("FEL trasig 2019: cell 5 (Avslut och resultat)") for rad in rader)
    # nyckeltal.csv och index för alla lyckade
    csv = (ut / "nyckeltal.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv == [
        "forbund;period;nyckel;varde",
        "ett;2019;antal;12",
        "ett;2019;forbund_langd;3",
        "ett;2021-01..2021-08;antal;12",
        "ett;2021-01..2021-08;forbund_langd;3",
    ]
    index = (ut / "index.html").read_text(encoding="utf-8")
    assert 'href="ett/2019/rapport.html"' in index
    assert 'href="ett/2021-01_2021-08/rapport.html"' in index
    assert "trasig" in index and "KeyError" in index
    # inga tempfiler kvar
    assert not [p for p in ut.rglob("*") if p.name.startswith(".")]


@pytest.mark.langsam
def test_tidsgrans_per_cell(stub_data, tmp_path):
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    parametrar = new_code_cell(
        "\n".join(f"{namn} = None" for namn in korning.RAPPORTPARAMETRAR), id="parametrar"
    )
    parametrar.metadata["tags"] = ["parameters"]
    nb.cells = [
        parametrar,
        new_markdown_cell("## Långsamt avsnitt", id="rubrik"),
        new_code_cell("import time\ntime.sleep(120)", id="sov"),
        new_code_cell("print('körs aldrig')", id="efter"),
    ]
    sokvag = tmp_path / "sov.ipynb"
    nbformat.write(nb, sokvag)
    r = korning.kor_rapport(
        forbund="ett",
        period="2019",
        data_katalog=stub_data,
        utdata_katalog=tmp_path / "ut",
        notebook=sokvag,
        tidsgrans_per_cell=5,
    )
    assert not r.lyckades
    assert r.cell == "cell 3 (Långsamt avsnitt)"
    assert r.fel == "CellTimeoutError: cellen kördes längre än tidsgränsen 5 s och avbröts"
    assert r.sekunder < 100


# ------------------------------------------------------------------ riktiga notebooken och data

SKAPAD = "2026-01-15"


@pytest.fixture(scope="module")
def vasteras_2019(tmp_path_factory):
    """Västerås 2019 genom samma runner som batchen, två gånger (för determinismen)."""
    korningar = []
    for i in range(2):
        ut = tmp_path_factory.mktemp(f"ut{i}")
        r = korning.kor_rapport(
            forbund="vasteras",
            period="2019",
            data_katalog=DATA,
            utdata_katalog=ut,
            skapad=SKAPAD,
        )
        assert r.lyckades, korning.sammanfattning([r])
        korningar.append(r)
    return korningar


@pytest.mark.langsam
def test_roktest_nyckeltal_stammer_med_biblioteket(vasteras_2019):
    from finsam_analys import rapport as rapportdelar
    from finsam_analys.indata.inlasning import las_forbund
    from finsam_analys.perioder import Rapportperiod

    innehall = json.loads((vasteras_2019[0].katalog / "nyckeltal.json").read_text("utf-8"))
    assert (innehall["forbund"], innehall["period"]) == ("vasteras", "2019")
    assert innehall["forbundsnamn"] == "Samordningsförbundet Västerås"
    tal = innehall["nyckeltal"]

    # bibliotekets tal, räknade här i testprocessen utan notebooken och papermill
    rapport = rapportdelar.bygg_rapport(las_forbund(DATA / "vasteras"), Rapportperiod.tolka("2019"))
    vantat = json.loads(
        json.dumps(
            {
                k: utdata._json_varde(k, v)
                for k, v in rapportdelar.rapportens_nyckeltal(rapport).items()
            }
        )
    )
    assert tal == vantat

    # och seed-rapporten (SOT 2019): 7, 5 och 43 av 55 avslut, 13 %, 9 %, 78 %
    assert tal["antal_avslut"] == 55
    assert tal["andel_avslut_Arbete"] == pytest.approx(7 / 55)
    assert tal["andel_avslut_Studier"] == pytest.approx(5 / 55)
    assert tal["andel_avslut_Fortsatt arbetslivsinriktad rehabilitering"] == pytest.approx(43 / 55)


@pytest.mark.langsam
def test_roktest_html_utan_kod_och_natreferenser(vasteras_2019):
    sida = vasteras_2019[0].html.read_text(encoding="utf-8")
    assert '<div class="highlight hl-ipython3"' not in sida
    assert re.search(r'class="[^"]*jp-InputPrompt', sida) is None
    assert externa_referenser(sida) == []
    assert "<script src" not in sida
    assert "Samordningsförbundet Västerås" in sida and f"Skapad {SKAPAD}" in sida
    assert "las_forbund" not in sida  # ingen kod


@pytest.mark.langsam
def test_deterministisk_html(vasteras_2019):
    forsta, andra = (r.html.read_bytes() for r in vasteras_2019)
    assert forsta == andra


@pytest.mark.langsam
def test_batch_med_trasigt_forbund_via_kommandoraden(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA / "sodra_dalarna", data / "sodra_dalarna")
    shutil.copytree(DATA / "vasteras", data / "vasteras")
    (data / "vasteras" / "avslut.csv").write_bytes(b"period;insats;antal\n2019;MAC;fem\n\x00\xff")
    ut = tmp_path / "ut"
    slutkod = cli.main(
        [
            "batch",
            "--data",
            str(data),
            "--utdata",
            str(ut),
            "--processer",
            "2",
            "--skapad",
            SKAPAD,
            # urvalet: Västerås 2019 (trasig) och Södra Dalarna; inte Västerås 2021
            "--period",
            "2019",
            "--period",
            "2015-07–2016-06",
            "--uppfoljning-finsam",
        ]
    )
    utskrift = capsys.readouterr()
    assert slutkod != 0
    avesta = ut / "sodra_dalarna" / "2015-07_2016-06"
    assert sorted(p.name for p in avesta.iterdir()) == [
        "nyckeltal.json",
        "rapport.docx",
        "rapport.html",
        "rapport.ipynb",
        "tabeller.xlsx",
    ]  # ingen rapport.pdf: testerna kör med FINSAM_PDF=0 (tests/conftest.py)
    # Uppföljning Finsam (omaskad, på begäran): i en egen katalog, inte bland styrelsens utdata
    inrapportering = ut / "inrapportering" / "sodra_dalarna" / "2015-07_2016-06"
    assert sorted(p.name for p in inrapportering.iterdir()) == ["uppfoljning_finsam.csv"]
    # deltagare per kön (Avesta 30 kvinnor, 27 män) och budget/utfall; CSV för svensk Excel
    finsam = (inrapportering / "uppfoljning_finsam.csv").read_text(encoding="utf-8-sig")
    assert "deltagare;Samverkansteam Avesta;Kvinna;30" in finsam
    assert "deltagare;Samverkansteam Avesta;Man;27" in finsam
    assert "budget;" in finsam and "utfall;" in finsam
    assert not (ut / "vasteras" / "2019" / "rapport.html").exists()
    # sammanfattningen namnger förbund, period och felet (inläsningens svenska felrapport)
    assert "2 rapporter: 1 lyckades, 1 misslyckades" in utskrift.out
    assert "  vasteras 2019, cell " in utskrift.out
    assert "2021-01..2021-08" not in utskrift.out + utskrift.err
    assert "avslut.csv" in utskrift.out
    assert f"Index: {(ut / 'index.html').resolve()}" in utskrift.out
    # en loggrad per rapport på stderr
    assert "OK  sodra_dalarna 2015-07..2016-06" in utskrift.err
    assert "FEL vasteras 2019" in utskrift.err
    index = (ut / "index.html").read_text(encoding="utf-8")
    assert 'href="sodra_dalarna/2015-07_2016-06/rapport.html"' in index
    assert "inrapportering" not in index and "uppfoljning_finsam" not in index
    # jämförelsen körs på de insamlade nyckeltalen och länkas från index
    assert (ut / "jamforelse" / "jamforelse.html").exists()
    assert 'href="jamforelse/jamforelse.html"' in index
    assert "sodra_dalarna;2015-07..2016-06;" in (ut / "nyckeltal.csv").read_text("utf-8-sig")
