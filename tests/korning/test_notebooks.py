"""Notebookarna: parametercellen matchar runnern, kärnan python3, inga incheckade utdata,
och varje notebook går att köra med sina standardvärden (som i JupyterLab från notebooks/)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest

from finsam_analys.korning import batch as korning

ROT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROT / "notebooks"

# notebook -> parameternamnen som runnern skickar
PARAMETRAR = {
    "rapport.ipynb": korning.RAPPORTPARAMETRAR,
    "jamforelse.ipynb": korning.JAMFORELSEPARAMETRAR,
    # utforskning körs inte av runnern: parametrarna är de som utvärderaren ändrar
    "utforskning.ipynb": ("forbund", "data_katalog", "perioder", "maskera"),
}


def test_alla_notebooks_ar_kanda():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(PARAMETRAR)
    assert korning.RAPPORT_NOTEBOOK == NOTEBOOKS / "rapport.ipynb"
    assert korning.JAMFORELSE_NOTEBOOK == NOTEBOOKS / "jamforelse.ipynb"


def _las(namn: str) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / namn, as_version=4)
    nbformat.validate(nb)
    return nb


def _tilldelningar(kod: str) -> dict[str, object]:
    """Namn -> värde för varje enkel tilldelning ``namn = literal`` i koden."""
    varden = {}
    for sats in ast.parse(kod).body:
        assert isinstance(sats, ast.Assign) and len(sats.targets) == 1, ast.dump(sats)
        varden[sats.targets[0].id] = ast.literal_eval(sats.value)
    return varden


@pytest.mark.parametrize("namn", sorted(PARAMETRAR))
def test_en_parametercell_med_runnerns_namn(namn):
    nb = _las(namn)
    celler = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(celler) == 1
    assert celler[0].cell_type == "code"
    assert tuple(_tilldelningar(celler[0].source)) == PARAMETRAR[namn]


@pytest.mark.parametrize("namn", sorted(PARAMETRAR))
def test_papermill_ser_samma_parametrar(namn, caplog):
    """papermill tolkar parametercellen själv; en rad den inte förstår (t.ex. '=' i en
    kommentar) ger varningar om okända parametrar vid varje körning."""
    import papermill

    caplog.set_level("WARNING", logger="papermill")
    assert tuple(papermill.inspect_notebook(str(NOTEBOOKS / namn))) == PARAMETRAR[namn]
    assert [r.getMessage() for r in caplog.records] == []


def test_rapportens_standardvarden_fungerar_fran_notebooks_katalogen():
    cell = next(
        c for c in _las("rapport.ipynb").cells if "parameters" in c.metadata.get("tags", [])
    )
    varden = _tilldelningar(cell.source)
    assert varden == {
        "forbund": "vasteras",
        "period": "2019",
        "data_katalog": "../data",
        "utdata_katalog": "../outputs",
        "sekretess_troskel": None,
        "jamforelseperiod": None,
        "skapad": None,
        "tvingade": None,
        "sekretess_katalog": None,
        "inrapportering_katalog": None,
    }
    assert (NOTEBOOKS / varden["data_katalog"] / varden["forbund"] / "forbund.yaml").exists()


@pytest.mark.parametrize("namn", sorted(PARAMETRAR))
def test_karnan_ar_python3(namn):
    nb = _las(namn)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.kernelspec.language == "python"


@pytest.mark.parametrize("namn", sorted(PARAMETRAR))
def test_inga_incheckade_utdata(namn):
    text = (NOTEBOOKS / namn).read_text(encoding="utf-8")
    nb = json.loads(text)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], cell["source"]
            assert cell["execution_count"] is None
        assert "papermill" not in cell.get("metadata", {})
        assert "execution" not in cell.get("metadata", {})
    assert "papermill" not in nb["metadata"]
    assert "widgets" not in nb["metadata"]


@pytest.mark.parametrize("namn", sorted(PARAMETRAR))
def test_cellerna_har_fasta_id(namn):
    """Fasta cell-id:n (inte slumpade vid varje sparning) håller HTML:en deterministisk."""
    id_ = [c.id for c in _las(namn).cells]
    assert len(set(id_)) == len(id_)


@pytest.fixture
def arbetskopia(tmp_path) -> Path:
    """notebooks/ kopierad till tmp_path, med ../data som pekar på projektets data.

    Standardvärdena är relativa till notebooks/ (``../data``, ``../outputs``); så körs de
    oförändrade utan att skriva i projektets outputs/.
    """
    (tmp_path / "data").symlink_to(ROT / "data", target_is_directory=True)
    (tmp_path / "notebooks").mkdir()
    for namn in PARAMETRAR:
        (tmp_path / "notebooks" / namn).write_bytes((NOTEBOOKS / namn).read_bytes())
    return tmp_path / "notebooks"


def _kor_med_standardvarden(notebook: Path) -> nbformat.NotebookNode:
    import papermill

    return papermill.execute_notebook(
        str(notebook),
        None,
        kernel_name="python3",
        language="python",
        cwd=str(notebook.parent),
        progress_bar=False,
        execution_timeout=600,
    )


@pytest.mark.langsam
def test_rapport_kors_med_standardvarden(arbetskopia):
    nb = _kor_med_standardvarden(arbetskopia / "rapport.ipynb")
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    nyckeltal = json.loads(
        (arbetskopia.parent / "outputs" / "vasteras" / "2019" / "nyckeltal.json").read_text(
            encoding="utf-8"
        )
    )
    assert nyckeltal["forbund"] == "vasteras" and nyckeltal["period"] == "2019"


@pytest.mark.langsam
def test_jamforelse_kors_med_standardvarden(arbetskopia):
    # utan insamlade nyckeltal: notebooken säger vad som saknas i stället för att krascha
    nb = _kor_med_standardvarden(arbetskopia / "jamforelse.ipynb")
    utdata = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in utdata if o.output_type == "error"]
    text = "".join(
        o.get("text", "") + "".join(str(v) for v in o.get("data", {}).values()) for o in utdata
    )
    assert "inga nyckeltal" in text


@pytest.mark.langsam
def test_utforskning_kors_med_standardvarden(arbetskopia):
    """Utforskningen går med sina standardvärden på de inbäddade data, maskad som standard."""
    nb = _kor_med_standardvarden(arbetskopia / "utforskning.ipynb")
    utdata = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in utdata if o.output_type == "error"]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in utdata)
    assert "Deltagit under perioden" in html and "Fortsatt arbetslivsinriktad" in html
    assert ">..<" in html  # små antal maskas som standard
    assert "Omaskad" not in html
    svg = [o for o in utdata if "image/svg+xml" in o.get("data", {})]
    assert len(svg) >= 8  # en figur per fråga
