"""Förvärmda kärnor: forkade ur mallen, varma importer, inget tillstånd delas mellan rapporter."""

from __future__ import annotations

import json
import os
import sys

import nbformat
import papermill
import pytest

from finsam_analys.korning import varmstart

pytestmark = [
    pytest.mark.langsam,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="förvärmning bara på Linux"),
]


def _notebook(tmp_path, namn: str, *celler: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in celler]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    fil = tmp_path / f"{namn}.ipynb"
    nbformat.write(nb, fil)
    return fil


def _kor(fil, ut, **extra):
    return papermill.execute_notebook(
        str(fil),
        str(ut),
        kernel_name="python3",
        progress_bar=False,
        kernel_manager_class=varmstart.VarmKernelManager,
        cwd=str(fil.parent),
        **extra,
    )


def _json_ut(nb, cell: int = -1) -> dict:
    utdata = nb.cells[cell].outputs
    text = "".join(o.get("text", "") for o in utdata if o.get("output_type") == "stream")
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture
def mall(monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.delenv("FINSAM_VARMSTART", raising=False)
    m = varmstart.Karnmall()
    varmstart.anslut(m.adress, python=m.python)
    yield m
    varmstart.stang_mall()
    m.stang()


RAPPORT = """
import json, os, sys, subprocess
print(json.dumps({
    "pid": os.getpid(),
    "ppid": os.getppid(),
    "sid": os.getsid(0),
    "cwd": os.getcwd(),
    "hashfro": os.environ.get("PYTHONHASHSEED"),
    "hash": hash("finsam"),
    "varma": all(
        m in sys.modules for m in ("pandera", "openpyxl", "finsam_analys.rapport")
    ),
    "hemlig": "hemlig" in globals(),
    "pandas_rader": __import__("pandas").get_option("display.max_rows"),
    "mpl_dpi": __import__("matplotlib").rcParams["figure.dpi"],
    "underprocess": subprocess.run(["true"]).returncode,
    "rc": sorted((k, repr(v)) for k, v in __import__("matplotlib").rcParams.items()
                 if k != "backend"),
}))
"""

FORSTORA = """
import matplotlib, pandas
hemlig = "från rapport 1"
pandas.set_option("display.max_rows", 3)
matplotlib.rcParams["figure.dpi"] = 17
"""


def test_karnan_forkas_ur_mallen_och_ar_varm(tmp_path, mall):
    fil = _notebook(tmp_path, "a", RAPPORT)
    info = _json_ut(_kor(fil, tmp_path / "ut.ipynb"))
    assert info["ppid"] == mall.process.pid  # forkad ur mallen, inte startad av oss
    assert info["pid"] != mall.process.pid and info["pid"] != os.getpid()
    assert info["sid"] == info["pid"]  # egen session: signaler till kärnan träffar bara den
    assert info["varma"]  # importerna är redan gjorda
    assert info["cwd"] == str(tmp_path)  # samma arbetskatalog som en vanlig kärna
    assert info["hashfro"] == "0"
    assert info["underprocess"] == 0  # SIGCHLD är återställd i kärnan


def test_inget_tillstand_lacker_mellan_rapporter(tmp_path, mall):
    forsta = _notebook(tmp_path, "forsta", FORSTORA, RAPPORT)
    andra = _notebook(tmp_path, "andra", RAPPORT)
    a = _json_ut(_kor(forsta, tmp_path / "a.ipynb"))
    b = _json_ut(_kor(andra, tmp_path / "b.ipynb"))
    assert a["hemlig"] and a["pandas_rader"] == 3 and a["mpl_dpi"] == 17
    assert not b["hemlig"]
    assert b["pandas_rader"] == 60  # pandas standardvärde
    assert b["mpl_dpi"] != 17
    assert a["pid"] != b["pid"] and a["ppid"] == b["ppid"] == mall.process.pid
    assert a["hash"] == b["hash"]  # samma hashfrö: samma ordning på mängder i varje rapport


def test_som_en_vanlig_karna(tmp_path, mall, monkeypatch):
    """Samma resultat med förvärmd och vanlig kärna (utom pid och varma moduler)."""
    fil = _notebook(tmp_path, "jamfor", RAPPORT)
    varm = _json_ut(_kor(fil, tmp_path / "v.ipynb"))
    monkeypatch.setenv("FINSAM_VARMSTART", "0")
    kall = _json_ut(_kor(fil, tmp_path / "k.ipynb"))
    assert kall["ppid"] == os.getpid()  # vanlig start
    for nyckel in (
        "cwd", "hashfro", "hash", "hemlig", "pandas_rader", "mpl_dpi", "underprocess", "rc"
    ):  # fmt: skip
        assert varm[nyckel] == kall[nyckel], nyckel


def test_annat_hashfro_ger_vanlig_karna(tmp_path, mall, monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "123")
    info = _json_ut(_kor(_notebook(tmp_path, "fro", RAPPORT), tmp_path / "ut.ipynb"))
    assert info["ppid"] == os.getpid() and info["hashfro"] == "123"


def test_fel_i_cell_och_tidsgrans(tmp_path, mall):
    fel = _notebook(tmp_path, "fel", "x = 1", "raise ValueError('avsiktligt')")
    with pytest.raises(papermill.PapermillExecutionError, match="avsiktligt"):
        _kor(fel, tmp_path / "fel_ut.ipynb")
    lang = _notebook(tmp_path, "lang", "import time\ntime.sleep(60)")
    with pytest.raises(Exception, match="(?i)timed out|timeout"):
        _kor(lang, tmp_path / "lang_ut.ipynb", execution_timeout=2)
    # mallen lever kvar och ger nästa rapport en fungerande kärna
    assert mall.lever()
    assert _json_ut(_kor(_notebook(tmp_path, "efter", RAPPORT), tmp_path / "e.ipynb"))["varma"]


def test_karnan_avslutas_nar_mallen_forsvinner(tmp_path, mall):
    """Kärnan bevakar mallen (JPY_PARENT_PID): dör mallen, avslutas kärnan."""
    import time

    klient = varmstart.aktiv_mall()
    pid = klient.forka(argv=["-f", str(tmp_path / "k.json")], env=dict(os.environ), cwd=None)
    assert pid is not None
    karna = varmstart._ForkadKarna(pid)
    time.sleep(0.5)
    assert karna.poll() is None
    mall.stang()
    karna.wait(timeout=30)
    assert karna.poll() is not None


def test_flera_arbetsprocesser_delar_mallen(tmp_path, mall):
    """Två klienter (som två arbetsprocesser) samtidigt: båda får egna kärnor ur samma mall."""
    from concurrent.futures import ThreadPoolExecutor

    klienter = [mall.klient(), mall.klient()]

    def forka(i):
        return klienter[i].forka(
            argv=["-f", str(tmp_path / f"k{i}.json")], env=dict(os.environ), cwd=str(tmp_path)
        )

    with ThreadPoolExecutor(2) as pool:
        pids = list(pool.map(forka, range(2)))
    assert None not in pids and pids[0] != pids[1]
    for pid in pids:
        varmstart._ForkadKarna(pid).kill()
        varmstart._ForkadKarna(pid).wait(timeout=30)


def test_egen_mall_utan_batch(tmp_path, monkeypatch):
    """Utan anslutning startar processen en egen mall vid första behov."""
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.delenv("FINSAM_VARMSTART", raising=False)
    varmstart.stang_mall()
    try:
        klient = varmstart.aktiv_mall()
        assert klient is not None and varmstart._MALL is not None
        info = _json_ut(_kor(_notebook(tmp_path, "egen", RAPPORT), tmp_path / "ut.ipynb"))
        assert info["ppid"] == varmstart._MALL.process.pid and info["varma"]
    finally:
        varmstart.stang_mall()


def test_trasig_mall_ger_vanlig_karna(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.delenv("FINSAM_VARMSTART", raising=False)
    varmstart.anslut(str(tmp_path / "finns-inte"))
    try:
        info = _json_ut(_kor(_notebook(tmp_path, "trasig", RAPPORT), tmp_path / "ut.ipynb"))
        assert info["ppid"] == os.getpid()
        assert varmstart.aktiv_mall() is None  # klienten används inte igen
    finally:
        varmstart.stang_mall()


def test_avstangd_med_miljovariabel(monkeypatch):
    monkeypatch.setenv("FINSAM_VARMSTART", "0")
    assert not varmstart.anvand_varmstart()
    assert varmstart.aktiv_mall() is None


def test_tyst_karnhanterare_avbryter_inte_vid_nedstangning(monkeypatch):
    """Kärnan avbryts inte (SIGINT) när den ska stängas, men väl annars (t.ex. vid tidsgräns)."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    avbrott = []

    async def registrera(self):
        avbrott.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", registrera)
    km = varmstart.TystKernelManager(kernel_name="python3")
    km.shutting_down = True
    asyncio.run(km._async_interrupt_kernel())
    assert avbrott == []
    km.shutting_down = False
    asyncio.run(km._async_interrupt_kernel())
    assert avbrott == [False]
    assert issubclass(varmstart.VarmKernelManager, varmstart.TystKernelManager)


def test_karnhanterare_utan_batch_ar_den_tysta():
    from finsam_analys.korning import batch as korning

    assert korning._karnhanterare() == {"kernel_manager_class": varmstart.TystKernelManager}
