"""Chromium utan fönster: rapporten skrivs ut till PDF som en webbläsare skriver ut den.

``rapport.pdf`` är HTML-rapporten utskriven med Chromiums egen utskrift (samma motor som när
förbundschefen väljer *Skriv ut* i webbläsaren), med rapportens utskriftsstilmall
(:mod:`finsam_analys.presentation.utskrift`): A4, sidfot med förbund, period och sidnummer.
PDF:en är taggad (``generateTaggedPDF``: rubriker, stycken och tabeller som struktur, för
skärmläsare) och har ett innehållsträd ur rubrikerna.

Chromium styrs med DevTools-protokollet (CDP) över ``--remote-debugging-pipe``: inga portar,
inga andra processer kan ansluta. :class:`Chromium` är en minimal klient (öppna en sida, kör
JavaScript, emulera utskrift, skriv ut); testerna använder den också för att mäta sidans
utskriftslayout och köra axe-core.

Finns ingen Chromium (``chromium``, ``chromium-browser``, ``google-chrome`` i ``PATH``, eller
``FINSAM_CHROMIUM``) skapas ingen PDF; :func:`hitta_chromium` ger då ``None``.

Examples
--------
>>> hitta_chromium() is None or Path(hitta_chromium()).name.startswith(("chrom", "google"))
True
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["FLAGGOR", "Chromium", "hitta_chromium", "skriv_ut_pdf", "stang_delad"]

FLAGGOR = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)
"""Chromiums flaggor: utan fönster, utan bakgrundstrafik (uppdateringar, konton, synk)."""

_NAMN = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_A4_TUM = (8.27, 11.69)


def hitta_chromium() -> str | None:
    """Sökvägen till Chromium (``FINSAM_CHROMIUM``, annars ``PATH``), eller ``None``."""
    angiven = os.environ.get("FINSAM_CHROMIUM")
    if angiven:
        return angiven if Path(angiven).is_file() else None
    for namn in _NAMN:
        sokvag = shutil.which(namn)
        if sokvag:
            return sokvag
    return None


class Chromium:
    """En Chromium-process utan fönster, styrd med CDP över ``--remote-debugging-pipe``.

    Används som kontexthanterare; processen och dess tillfälliga profil tas bort efteråt.
    Meddelandena är nollavslutad JSON (fd 3 läser Chromium, fd 4 skriver Chromium).
    """

    def __init__(self, sokvag: str | None = None, *, tidsgrans: float = 60.0) -> None:
        sokvag = sokvag or hitta_chromium()
        if sokvag is None:
            raise FileNotFoundError("Chromium finns inte (chromium i PATH eller FINSAM_CHROMIUM).")
        self.tidsgrans = tidsgrans
        self.sokvag = sokvag
        self._flikar: dict[str, str] = {}
        self._profil = tempfile.mkdtemp(prefix=f"{PREFIX_PROFIL}{os.getpid()}-", dir=profilrot())
        try:
            self._starta(sokvag)
        except BaseException:
            # avbrott (SIGTERM, Ctrl-C) eller fel mitt i starten: ingen webbläsare och ingen
            # profil blir kvar, fast ingen ännu har fått objektet att stänga
            process = getattr(self, "process", None)
            if process is not None:
                with contextlib.suppress(OSError):
                    os.killpg(process.pid, signal.SIGKILL)
                with contextlib.suppress(Exception):
                    process.wait(15)
            shutil.rmtree(self._profil, ignore_errors=True)
            raise

    def _starta(self, sokvag: str) -> None:
        r_chrome, self._skriv = os.pipe()
        self._las, w_chrome = os.pipe()

        def fd_3_och_4() -> None:  # i barnprocessen före exec
            a, b = os.dup(r_chrome), os.dup(w_chrome)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [sokvag, *FLAGGOR, f"--user-data-dir={self._profil}", "--remote-debugging-pipe",
             "about:blank"],
            preexec_fn=fd_3_och_4,
            close_fds=False,
            # egen session: Ctrl-C i terminalen går till batchen, som stänger Chromium själv
            # (då tar Chromium bort sina tillfälliga filer); dör ägaren stänger Chromium när
            # DevTools-röret stängs
            start_new_session=True,
            # Chromiums egna uttag läggs i $TMPDIR: samma korta katalog som profilen
            env={**os.environ, "TMPDIR": profilrot()},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(r_chrome)
        os.close(w_chrome)
        self._buffert = b""
        self._nasta_id = 0
        self.handelser: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ protokollet

    def _vanta(self, villkor, tidsgrans: float) -> dict[str, Any] | None:
        slut = time.monotonic() + tidsgrans
        while True:
            while b"\0" in self._buffert:
                rad, self._buffert = self._buffert.split(b"\0", 1)
                meddelande = json.loads(rad)
                if villkor(meddelande):
                    return meddelande
                # händelser i öppna flikar sparas (vanta_pa); övriga (webbläsarens egna, och
                # flikar som redan stängts) behövs inte
                if "method" in meddelande and meddelande.get("sessionId") in self._flikar:
                    self.handelser.append(meddelande)
            kvar = slut - time.monotonic()
            if kvar <= 0:
                return None
            if select.select([self._las], [], [], kvar)[0]:
                data = os.read(self._las, 1 << 20)
                if not data:
                    raise EOFError("Chromium stängde DevTools-röret.")
                self._buffert += data

    def anropa(self, metod: str, parametrar: dict | None = None, *,
               session: str | None = None) -> dict[str, Any]:  # fmt: skip
        """Skicka ett CDP-kommando och vänta på svaret (``result``)."""
        self._nasta_id += 1
        id_ = self._nasta_id
        meddelande: dict[str, Any] = {"id": id_, "method": metod, "params": parametrar or {}}
        if session:
            meddelande["sessionId"] = session
        os.write(self._skriv, json.dumps(meddelande).encode() + b"\0")
        svar = self._vanta(lambda m: m.get("id") == id_, self.tidsgrans)
        if svar is None:
            raise TimeoutError(f"Chromium svarade inte på {metod}.")
        if "error" in svar:
            raise RuntimeError(f"{metod}: {svar['error'].get('message', svar['error'])}")
        return svar.get("result", {})

    def vanta_pa(self, metod: str, session: str, tidsgrans: float | None = None) -> dict | None:
        """Vänta på händelsen ``metod`` i sessionen (eller en som redan kommit)."""
        for i, h in enumerate(self.handelser):
            if h.get("method") == metod and h.get("sessionId") == session:
                return self.handelser.pop(i)
        return self._vanta(
            lambda m: m.get("method") == metod and m.get("sessionId") == session,
            self.tidsgrans if tidsgrans is None else tidsgrans,
        )

    # ------------------------------------------------------------------ sidor

    def oppna(self, url: str) -> str:
        """Öppna ``url`` i en ny flik, vänta tills den laddats; returnerar sessionens id."""
        mal = self.anropa("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.anropa("Target.attachToTarget", {"targetId": mal, "flatten": True})[
            "sessionId"
        ]
        self._flikar[session] = mal
        self.anropa("Page.enable", session=session)
        self.anropa("Runtime.enable", session=session)
        self.anropa("Page.navigate", {"url": url}, session=session)
        if self.vanta_pa("Page.loadEventFired", session) is None:
            raise TimeoutError(f"{url} laddades inte.")
        return session

    def stang_flik(self, session: str) -> None:
        """Stäng fliken som :meth:`oppna` öppnade (och glöm dess händelser)."""
        mal = self._flikar.pop(session, None)
        self.handelser = [h for h in self.handelser if h.get("sessionId") != session]
        if mal is not None:
            self.anropa("Target.closeTarget", {"targetId": mal})

    def utvardera(self, session: str, uttryck: str, *, vanta: bool = True) -> Any:
        """Kör JavaScript i sidan och returnera värdet (JSON); ``vanta`` väntar in ett löfte."""
        svar = self.anropa(
            "Runtime.evaluate",
            {"expression": uttryck, "returnByValue": True, "awaitPromise": vanta},
            session=session,
        )
        if "exceptionDetails" in svar:
            detaljer = svar["exceptionDetails"]
            text = detaljer.get("exception", {}).get("description") or detaljer.get("text")
            raise RuntimeError(f"JavaScript-fel: {text}")
        return svar.get("result", {}).get("value")

    def utskriftslage(self, session: str, *, bredd_px: int = 794) -> None:
        """Visa sidan som vid utskrift: ``@media print`` och A4-bredden (96 dpi)."""
        self.anropa("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        self.anropa(
            "Emulation.setDeviceMetricsOverride",
            {"width": bredd_px, "height": 1123, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )

    def pdf(self, session: str) -> bytes:
        """Skriv ut sidan till PDF: A4 (eller sidans ``@page``), taggad, med innehållsträd."""
        svar = self.anropa(
            "Page.printToPDF",
            {
                "paperWidth": _A4_TUM[0],
                "paperHeight": _A4_TUM[1],
                "preferCSSPageSize": True,
                "printBackground": True,
                "displayHeaderFooter": False,
                "generateTaggedPDF": True,
                "generateDocumentOutline": True,
            },
            session=session,
        )
        return base64.b64decode(svar["data"])

    def stang(self) -> None:
        """Stäng Chromium och ta bort profilen.

        Chromium ombeds stänga (då tar den bort sina egna tillfälliga filer); svarar den inte
        inom några sekunder dödas den.
        """
        if self.process.poll() is None:
            self.tidsgrans = min(self.tidsgrans, 5.0)
            with contextlib.suppress(RuntimeError, TimeoutError, EOFError, OSError):
                self.anropa("Browser.close")
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        # Chromiums egna barnprocesser (renderare, GPU) ligger i dess processgrupp; de som
        # finns kvar när huvudprocessen är borta (den dödades) skriver annars i profilen
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for fd in (self._skriv, self._las):
            with contextlib.suppress(OSError):
                os.close(fd)
        for _ in range(20):
            shutil.rmtree(self._profil, ignore_errors=True)
            if not os.path.exists(self._profil):
                break
            time.sleep(0.05)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *_: Any) -> None:
        self.stang()


def skriv_ut_pdf(
    html_fil: str | os.PathLike[str], *, chromium: str | None = None, ateranvand: bool = False
) -> bytes:
    """Skriv ut en HTML-fil till PDF med Chromium (som :meth:`Chromium.pdf`).

    ``ateranvand``: skriv ut i processens delade Chromium (en ny flik per fil, som stängs
    efteråt) i stället för att starta en ny för varje fil. Att starta Chromium kostar
    ungefär 0,8 s CPU, en utskrift i en redan startad 0,2–0,3 s; batchens arbetsprocesser
    skriver ut alla sina rapporter så. Den delade stängs när processen avslutas
    (:func:`stang_delad`), och efter ett fel (nästa utskrift får en ny).
    """
    url = Path(html_fil).resolve().as_uri()
    if not ateranvand:
        with Chromium(chromium) as webblasare:
            return webblasare.pdf(webblasare.oppna(url))
    webblasare = _delad_chromium(chromium)
    try:
        session = webblasare.oppna(url)
        try:
            return webblasare.pdf(session)
        finally:
            webblasare.stang_flik(session)
    except BaseException:
        stang_delad()  # en webbläsare som felat (eller avbrutits) återanvänds inte
        raise


PREFIX_PROFIL = "finsam-chromium-"
"""Chromiums tillfälliga profil (``$TMPDIR/finsam-chromium-<pid>-…``); en profil som en dödad
process lämnat tas bort av :func:`finsam_analys.korning.arbetskatalog.stada_overgivna`."""

_LANGSTA_PROFILROT = 60
"""Chromium lägger ett unix-uttag i profilen, och ett uttags sökväg får vara högst 107 tecken:
en längre ``$TMPDIR`` ger ingen PDF ("Chromium stängde DevTools-röret")."""


def profilrot() -> str:
    """Katalogen för Chromiums tillfälliga profil: ``$TMPDIR``, eller ``/tmp`` när den är för
    lång för Chromiums uttag (se :data:`_LANGSTA_PROFILROT`).

    >>> import tempfile
    >>> profilrot() == tempfile.gettempdir() or profilrot() == "/tmp"
    True
    """
    rot = tempfile.gettempdir()
    if len(rot) > _LANGSTA_PROFILROT and os.access("/tmp", os.W_OK):
        return "/tmp"
    return rot


_delad: Chromium | None = None
_stangs_vid_slut = False


def _delad_chromium(sokvag: str | None) -> Chromium:
    """Processens delade Chromium (startas vid första utskriften)."""
    global _delad, _stangs_vid_slut
    if _delad is not None and (_delad.process.poll() is not None or _delad.sokvag != sokvag):
        stang_delad()
    if _delad is None:
        _delad = Chromium(sokvag)
        if not _stangs_vid_slut:
            from multiprocessing import util

            # körs både när en vanlig process avslutas och när en arbetsprocess i en
            # processpool avslutas (den avslutas med os._exit, utan atexit)
            util.Finalize(None, stang_delad, exitpriority=10)
            _stangs_vid_slut = True
    return _delad


def stang_delad() -> None:
    """Stäng processens delade Chromium, om den finns."""
    global _delad
    webblasare, _delad = _delad, None
    if webblasare is not None:
        webblasare.stang()
