"""En riktig webbläsare (Debians chromium, headless) öppnar en genererad rapport från file://.

Webbläsaren styrs med DevTools-protokollet (CDP) över ``--remote-debugging-pipe`` (fd 3/4,
nollavslutade JSON-meddelanden): testet kopplar till sidan, slår på ``Network``, navigerar
till rapporten och samlar varje ``Network.requestWillBeSent`` som *sidan* gör. Chromiums egna
bakgrundsanrop (uppdateringar, konton) hör inte till sidan och räknas inte. En kontrollsida
med en extern bild visar att övervakningen verkligen ser en nätförfrågan, så testet kan
fallera. Skärmbilden sparas med chromiums ``--screenshot``.

Saknas chromium installeras den med ``apt-get install -y chromium`` (kräver root).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from finsam_analys.korning import batch as korning

ROT = Path(__file__).resolve().parent.parent

FLAGGOR = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TILLATNA_SCHEMAN = ("file:", "data:", "about:", "blob:")


def _chromium() -> str:
    sokvag = shutil.which("chromium")
    if sokvag:
        return sokvag
    if os.geteuid() != 0:  # pragma: no cover - CI och utvecklarmaskiner kör som root
        pytest.fail("chromium saknas och kan inte installeras utan root (apt-get install chromium)")
    miljo = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=miljo, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=miljo, capture_output=True
    )
    sokvag = shutil.which("chromium")
    assert sokvag, "apt-get install chromium gav ingen chromium"
    return sokvag


class _Cdp:
    """Minimal CDP-klient över --remote-debugging-pipe."""

    def __init__(self, chromium: str, profil: Path) -> None:
        r_chrome, self._skriv = os.pipe()  # vi skriver, chromium läser på fd 3
        self._las, w_chrome = os.pipe()  # chromium skriver på fd 4, vi läser

        def fd_3_och_4() -> None:  # körs i barnprocessen före exec
            a, b = os.dup(r_chrome), os.dup(w_chrome)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [chromium, *FLAGGOR, f"--user-data-dir={profil}", "--remote-debugging-pipe"],
            preexec_fn=fd_3_och_4,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(r_chrome)
        os.close(w_chrome)
        self._buffert = b""
        self._nasta_id = 0
        self.handelser: list[dict] = []

    def _vanta(self, villkor, tidsgrans: float) -> dict | None:
        slut = time.monotonic() + tidsgrans
        while True:
            while b"\0" in self._buffert:
                rad, self._buffert = self._buffert.split(b"\0", 1)
                meddelande = json.loads(rad)
                self.handelser.append(meddelande)
                if villkor(meddelande):
                    return meddelande
            kvar = slut - time.monotonic()
            if kvar <= 0:
                return None
            if select.select([self._las], [], [], kvar)[0]:
                data = os.read(self._las, 1 << 20)
                if not data:
                    raise EOFError("chromium stängde DevTools-röret")
                self._buffert += data

    def anropa(self, metod: str, parametrar: dict | None = None, session: str | None = None):
        self._nasta_id += 1
        id_ = self._nasta_id
        meddelande = {"id": id_, "method": metod, "params": parametrar or {}}
        if session:
            meddelande["sessionId"] = session
        os.write(self._skriv, json.dumps(meddelande).encode() + b"\0")
        svar = self._vanta(lambda m: m.get("id") == id_, 60)
        assert svar is not None, f"inget svar på {metod}"
        assert "error" not in svar, svar
        return svar["result"]

    def sidans_forfragningar(self, url: str) -> list[str]:
        """Öppna ``url`` i en ny flik och lista alla förfrågningar sidan gör."""
        mal = self.anropa("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.anropa("Target.attachToTarget", {"targetId": mal, "flatten": True})[
            "sessionId"
        ]
        self.anropa("Network.enable", session=session)
        self.anropa("Page.enable", session=session)
        start = len(self.handelser)
        self.anropa("Page.navigate", {"url": url}, session=session)
        laddad = self._vanta(
            lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session,
            60,
        )
        assert laddad is not None, f"{url} laddades inte"
        self._vanta(lambda m: False, 1.0)  # fånga sena förfrågningar (typsnitt, skript)
        return [
            m["params"]["request"]["url"]
            for m in self.handelser[start:]
            if m.get("method") == "Network.requestWillBeSent" and m.get("sessionId") == session
        ]

    def stang(self) -> None:
        try:
            self.anropa("Browser.close")
        except (AssertionError, EOFError, OSError):
            pass
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._skriv)
        os.close(self._las)


@pytest.fixture(scope="module")
def rapport_html(tmp_path_factory) -> Path:
    ut = tmp_path_factory.mktemp("ut")
    r = korning.kor_rapport(
        forbund="vasteras",
        period="2019",
        data_katalog=ROT / "data",
        utdata_katalog=ut,
        skapad="2026-01-15",
    )
    assert r.lyckades, korning.sammanfattning([r])
    return r.html


@pytest.mark.langsam
def test_chromium_oppnar_rapporten_utan_natforfragningar(rapport_html, tmp_path):
    chromium = _chromium()
    kontroll = tmp_path / "kontroll.html"
    kontroll.write_text(
        '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/extern.png"></body></html>',
        encoding="utf-8",
    )
    cdp = _Cdp(chromium, tmp_path / "profil")
    try:
        kontrollens = cdp.sidans_forfragningar(kontroll.as_uri())
        rapportens = cdp.sidans_forfragningar(rapport_html.as_uri())
    finally:
        cdp.stang()

    # kontrollen: övervakningen ser en extern förfrågan
    assert "http://127.0.0.1:9/extern.png" in kontrollens
    # rapporten: själva dokumentet hämtas från file:, inget annat utanför file:/data:
    assert rapportens[0] == rapport_html.as_uri()
    externa = [u for u in rapportens if not u.startswith(TILLATNA_SCHEMAN)]
    assert externa == []


@pytest.mark.langsam
def test_chromium_skarmbild(rapport_html, tmp_path):
    chromium = _chromium()
    bild = rapport_html.parent / "skarmbild.png"
    resultat = subprocess.run(
        [
            chromium,
            *FLAGGOR,
            f"--user-data-dir={tmp_path / 'profil'}",
            "--hide-scrollbars",
            "--window-size=1100,1500",
            f"--screenshot={bild}",
            rapport_html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultat.returncode == 0, resultat.stderr[-2000:]
    data = bild.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image

    pixlar = matplotlib.image.imread(bild)
    assert pixlar.shape[:2] == (1500, 1100)
    assert pixlar.std() > 0.05  # en renderad sida, inte en tom yta
    # spara en kopia där utvecklaren hittar den (outputs/ checkas aldrig in)
    kopia = ROT / "outputs" / "skarmbild_test_webblasare.png"
    kopia.parent.mkdir(exist_ok=True)
    shutil.copyfile(bild, kopia)


@pytest.mark.langsam
def test_rapportens_figurer_ar_svg_med_alt_text(rapport_html):
    """Rapportens figurer är SVG-bilder (data:-URI) med alt-text, inte SVG-kod i sidan."""
    import base64
    import re

    sida = rapport_html.read_text(encoding="utf-8")
    bilder = re.findall(r"<img [^>]*>", sida)
    svg = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">', sida)
    assert svg and len(svg) == len(bilder)  # varje bild är en SVG med alt-text
    assert "<svg" not in sida
    text = base64.b64decode(svg[0][0]).decode("utf-8")
    assert "<text " in text and "\xa0%</text>" in text  # texten som text, NBSP före %
