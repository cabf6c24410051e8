"""Batchens delade Chromium: arbetsprocessen skriver ut alla sina PDF:er i samma webbläsare.

En flik per utskrift som stängs efteråt; webbläsaren startas om efter ett fel, stängs (och dess
profil tas bort) när processen avslutas, också när batchen avbryts mitt i.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from finsam_analys.korning import arbetskatalog, webblasare

pytestmark = pytest.mark.langsam

ROT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chromium():
    sokvag = webblasare.hitta_chromium()
    if sokvag is None:
        pytest.skip("Chromium saknas")
    yield sokvag
    webblasare.stang_delad()


def _sida(katalog: Path, namn: str) -> Path:
    sida = katalog / f"{namn}.html"
    sida.write_text(f"<!DOCTYPE html><html lang='sv'><body><h1>{namn}</h1></body></html>", "utf-8")
    return sida


def test_flera_utskrifter_i_samma_webblasare(tmp_path, chromium):
    forsta = webblasare.skriv_ut_pdf(_sida(tmp_path, "a"), chromium=chromium, ateranvand=True)
    delad = webblasare._delad
    andra = webblasare.skriv_ut_pdf(_sida(tmp_path, "b"), chromium=chromium, ateranvand=True)
    assert forsta.startswith(b"%PDF") and andra.startswith(b"%PDF")
    assert webblasare._delad is delad and delad.process.poll() is None
    assert delad._flikar == {}  # varje flik stängs efter sin utskrift
    assert not any(h.get("sessionId") for h in delad.handelser)
    profil = Path(delad._profil)
    assert profil.name.startswith(arbetskatalog.PREFIX_CHROMIUM)
    webblasare.stang_delad()
    assert webblasare._delad is None and delad.process.poll() is not None
    assert not profil.exists()


def test_ny_webblasare_efter_att_den_delade_dott(tmp_path, chromium):
    sida = _sida(tmp_path, "a")
    webblasare.skriv_ut_pdf(sida, chromium=chromium, ateranvand=True)
    dod = webblasare._delad
    dod.process.kill()
    dod.process.wait()
    assert webblasare.skriv_ut_pdf(sida, chromium=chromium, ateranvand=True).startswith(b"%PDF")
    assert webblasare._delad is not dod and not Path(dod._profil).exists()


def test_delad_webblasare_stangs_nar_processen_avslutas(tmp_path, chromium):
    kod = (
        "import sys\n"
        "from finsam_analys.korning import webblasare\n"
        f"webblasare.skriv_ut_pdf({str(_sida(tmp_path, 'a'))!r}, ateranvand=True)\n"
        "print(webblasare._delad.process.pid, webblasare._delad._profil)\n"
    )
    ut = subprocess.run(
        [sys.executable, "-c", kod], capture_output=True, text=True, check=True, cwd=ROT
    ).stdout.split()
    pid, profil = int(ut[0]), Path(ut[1])
    slut = time.monotonic() + 10
    while arbetskatalog.lever(pid) and time.monotonic() < slut:
        time.sleep(0.1)
    assert not arbetskatalog.lever(pid) and not profil.exists()


def _processer_med(tmp: Path) -> list[str]:
    kvar = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if f"TMPDIR={tmp}\0".encode() in Path(f"/proc/{pid}/environ").read_bytes():
                kvar.append(pid)
        except OSError:
            continue
    return kvar


def test_ctrl_c_under_batch_med_pdf_lamnar_ingen_webblasare(tmp_path, chromium):
    """Avbrott efter första PDF:en (arbetsprocessernas webbläsare lever, de andra rapporterna
    körs): inga processer kvar, och varken webbläsarnas profiler eller Chromiums egna
    tillfälliga filer."""
    # Chromiums profil har ett unix-uttag, och uttagets sökväg får vara högst 107 tecken:
    # pytests tmp_path är för lång som TMPDIR
    data, ut = ROT / "data", tmp_path / "ut"
    tmp = Path(tempfile.mkdtemp(prefix="fc-", dir="/tmp"))
    miljo = {**os.environ, "TMPDIR": str(tmp), "FINSAM_PDF": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "finsam_analys.cli", "batch", "--data", str(data),
         "--utdata", str(ut)],
        cwd=ROT, env=miljo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        slut = time.monotonic() + 300
        while not list(ut.glob("*/*/rapport.pdf")) and process.poll() is None:
            assert time.monotonic() < slut, "ingen rapport.pdf inom 300 s"
            time.sleep(0.1)
        if process.poll() is not None:
            pytest.skip("batchen blev klar innan den kunde avbrytas")
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=120) == 130
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    slut = time.monotonic() + 30
    while _processer_med(tmp) and time.monotonic() < slut:
        time.sleep(0.2)
    try:
        assert _processer_med(tmp) == []
        kvar = [p.name for p in tmp.iterdir()]
        assert [n for n in kvar if n.startswith(("finsam-chromium-", "org.chromium."))] == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_pdf_aven_med_lang_tmpdir(tmp_path, chromium, monkeypatch):
    # Chromiums uttag i profilen får ha en sökväg på högst 107 tecken: med en lång $TMPDIR
    # läggs profilen i /tmp i stället, och PDF:en blir ändå av
    lang = tmp_path / ("mycket_lang_katalog_" * 5)
    lang.mkdir()
    monkeypatch.setenv("TMPDIR", str(lang))
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert len(tempfile.gettempdir()) > 100
    assert webblasare.profilrot() == "/tmp"
    pdf = webblasare.skriv_ut_pdf(_sida(tmp_path, "a"), chromium=chromium)
    assert pdf.startswith(b"%PDF")


def test_avbrott_mitt_i_starten_lamnar_varken_webblasare_eller_profil(tmp_path, chromium,
                                                                     monkeypatch):  # fmt: skip
    """Ett SIGTERM (här ett KeyboardInterrupt) efter att Chromium startats men innan objektet
    lämnats till någon som kan stänga det: webbläsaren dödas och profilen tas bort."""
    monkeypatch.setattr(webblasare.tempfile, "tempdir", str(tmp_path))
    startad = []
    original = webblasare.Chromium._starta

    def starta_och_avbryt(self, sokvag):
        original(self, sokvag)
        startad.append(self.process)
        raise KeyboardInterrupt

    monkeypatch.setattr(webblasare.Chromium, "_starta", starta_och_avbryt)
    with pytest.raises(KeyboardInterrupt):
        webblasare.Chromium(chromium)
    assert len(startad) == 1 and startad[0].poll() is not None
    assert [p.name for p in Path(webblasare.profilrot()).iterdir()
            if p.name.startswith(arbetskatalog.PREFIX_CHROMIUM)] == []  # fmt: skip


def test_overgiven_profil_med_levande_webblasare_tas_bort(tmp_path, monkeypatch):
    """En arbetsprocess som dödats mitt i en utskrift lämnar en webbläsare som ännu skriver i
    profilen: städningen dödar den först, sedan är profilen borta (förut kunde den bli kvar)."""
    monkeypatch.setattr(arbetskatalog.tempfile, "tempdir", str(tmp_path))
    dod = subprocess.Popen([sys.executable, "-c", "pass"])
    dod.wait()
    profil = tmp_path / f"{arbetskatalog.PREFIX_CHROMIUM}{dod.pid}-abc"
    profil.mkdir()
    # står för Chromium: skriver i profilen tills den dödas, i en egen processgrupp
    skrivare = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, pathlib\n"
         "p = pathlib.Path(sys.argv[1].split('=', 1)[1])\n"
         "while True:\n"
         "    p.mkdir(exist_ok=True); (p / 'Local State').write_text('x'); time.sleep(0.01)\n",
         f"--user-data-dir={profil}"],
        start_new_session=True,
    )  # fmt: skip
    try:
        slut = time.monotonic() + 10
        while not (profil / "Local State").exists() and time.monotonic() < slut:
            time.sleep(0.02)
        arbetskatalog.stada_overgivna()
        assert skrivare.wait(timeout=10) == -signal.SIGKILL
        assert not profil.exists()
    finally:
        if skrivare.poll() is None:
            skrivare.kill()
