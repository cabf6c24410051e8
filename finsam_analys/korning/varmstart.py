"""Förvärmda rapportkärnor: en mallprocess som forkar en ny, ren kärna per rapport.

En vanlig Jupyter-kärna startar en ny Python, laddar ipykernel och låter sedan notebooken
importera pandas, pandera, scipy, matplotlib och ``finsam_analys``: 3–5 s CPU per rapport innan
något räknas. En batch (:func:`finsam_analys.korning.batch.kor_batch`) gör i stället så här:

1. Den startar en **mallprocess** (``python -m finsam_analys.korning.varmstart <uttag>``) som
   importerar
   biblioteken i :data:`FORLADDA` en gång och sedan väntar på ett unix-uttag. Mallen kör aldrig
   någon notebook, rör inga data och ändrar inga inställningar; den har bara moduler i minnet.
   Alla arbetsprocesser delar samma mall (:func:`anslut`).
2. För varje rapport ber kärnhanteraren (:class:`VarmKernelManager`, som papermill får som
   ``kernel_manager_class``) mallen att **forka**. Barnet är en ny process med egen pid, egen
   session och egen IPython-kärna som startas med samma anslutningsfil och miljö som en vanlig
   kärna skulle ha fått; det enda som skiljer är att importerna redan är gjorda.
3. När rapporten är klar stängs kärnan som vanligt (papermill/nbclient). Nästa rapport får en
   ny fork: ingenting (variabler, matplotlib-inställningar, pandas-inställningar) kan läcka
   mellan rapporter, precis som med en nystartad kärna.

Villkor och reserv
------------------
* Bara Linux (``os.fork`` i en process utan trådar; mallen startar inga trådar), bara kärnor som
  startas med ``-m ipykernel_launcher`` av samma Python som mallen, och bara när kärnans
  ``PYTHONHASHSEED`` är densamma som mallens (hashfröt bestäms när Python startar och kan inte
  ändras i ett barn). Annars, eller om mallen inte går att starta, startas kärnan på vanligt sätt.
* Miljövariabeln ``FINSAM_VARMSTART=0`` stänger av förvärmningen.
* Mallen avslutas när dess standard-in stängs (batchen är klar eller dör); kärnorna
  bevakar mallen (``JPY_PARENT_PID``) och avslutas om den försvinner.
* Mallen ignorerar ``SIGCHLD`` så att avslutade kärnor städas bort automatiskt; kärnan själv
  återställer standardhanteringen (annars skulle ``subprocess`` i en notebook inte fungera).

Examples
--------
>>> _karnargument(["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"],
...               python="/usr/bin/python3")
['-f', '/tmp/k.json']
>>> _karnargument(["/usr/bin/python3", "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
...                "-f", "/tmp/k.json"], python="/usr/bin/python3")
['-f', '/tmp/k.json']
>>> _karnargument(["/usr/bin/python3", "-O", "-m", "ipykernel_launcher"], python="/usr/bin/python3")
>>> _karnargument(["/usr/bin/R", "--slave", "-f", "/tmp/k.json"], python="/usr/bin/python3") is None
True
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

# ``VarmKernelManager`` och ``TystKernelManager`` finns också, men byggs först vid åtkomst
# (modulens __getattr__).
__all__ = [
    "FORLADDA",
    "Karnmall",
    "MallKlient",
    "aktiv_mall",
    "anslut",
    "anvand_varmstart",
    "doda_karnor",
    "stang_mall",
]

FORLADDA: tuple[str, ...] = (
    "numpy",
    "pandas",
    "pyarrow",
    "scipy.special",
    "matplotlib",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "pandera.pandas",
    "pandera.backends.pandas.register",  # annars vid första valideringen i varje kärna
    "pandera.backends.pandas.builtin_checks",
    "pandera.backends.pandas.container",
    "pandera.backends.pandas.components",
    "pandera.backends.pandas.array",
    "pandas.io.formats.style",  # Styler: jinja2-mallarna kompileras vid import
    "openpyxl",
    "yaml",
    "babel.numbers",
    "IPython.display",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # debugpy: ~0,25 s i varje kärnas init annars
    "finsam_analys",
    "finsam_analys.indata.inlasning",
    "finsam_analys.indata.validering",
    "finsam_analys.rapport",
    "finsam_analys.presentation.tabellvisning",
    "finsam_analys.presentation.figurer",
    "finsam_analys.korning.utdata",
    "finsam_analys.presentation.html_export",
    "finsam_analys.sekretess.maskering",
    "finsam_analys.granskning.kontroller",
    "finsam_analys.matt.halsa",
    "finsam_analys.matt.mal",
    # sekretesskontrollen (milp), rapport.docx och tabeller.xlsx: ~0,2 s i varje kärna annars
    "scipy.optimize",
    "docx",
    "finsam_analys.sekretess.kontrollpunkt",
    "finsam_analys.presentation.rapportvisning",
    "finsam_analys.presentation.word",
    "finsam_analys.presentation.excel",
    "finsam_analys.granskning.publicerade",
    "finsam_analys.matt.ekonomi",
    "finsam_analys.matt.enkater",
    "finsam_analys.matt.helarsekvivalenter",
    "finsam_analys.matt.samhallsnytta",
)
"""Moduler som mallen importerar (saknas en, hoppas den över; kärnan importerar den då själv).

Bara det rapporten faktiskt använder: mallens import ligger först i varje batch (ingen kärna kan
forkas förrän den är klar). scipy.stats (Wilcoxon, bara med individdata om hälsa) och
matplotlib.pyplot (rapporten ritar utan pyplot) importeras av kärnan om de behövs."""


def _fyll_cacheminnen() -> None:
    """Fyll cacheminnen som annars fylls vid första användningen i varje kärna.

    Bara rena cacheminnen (babels lokaldata för sv_SE, matplotlibs typsnittsuppslag och
    textmått via :func:`finsam_analys.presentation.figurer.forvarm`, som återställer rcParams,
    och personnummerspärrens teckentabeller, som annars byggs i varje kärna): inga
    inställningar (rcParams, pandas-optioner) och inget som en notebook kan se skillnad på.
    """
    try:
        from finsam_analys.indata import personnummer

        personnummer._forkladnad()
    except Exception:
        pass
    try:
        import babel
        import babel.numbers

        babel.Locale.parse("sv_SE")
        babel.numbers.format_decimal(1234.5, locale="sv_SE")
        babel.numbers.format_percent(0.25, locale="sv_SE")
    except Exception:
        pass
    try:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font  # noqa: F401

        for familj in ("DejaVu Sans", "sans-serif"):
            font_manager.get_font(font_manager.findfont(familj))
    except Exception:
        pass
    try:
        from finsam_analys.presentation import figurer

        figurer.forvarm()
    except Exception:
        pass


_MALLENS_FRO = "0"
"""``PYTHONHASHSEED`` för mallen (och därmed för varje kärna som forkas ur den)."""

_TOLERERADE_FLAGGOR = ("-Xfrozen_modules=off",)


def anvand_varmstart() -> bool:
    """Sant om förvärmda kärnor ska användas (Linux och inte ``FINSAM_VARMSTART=0``).

    Examples
    --------
    >>> isinstance(anvand_varmstart(), bool)
    True
    """
    if os.environ.get("FINSAM_VARMSTART", "1").strip().lower() in ("0", "nej", "false", "no"):
        return False
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _karnargument(cmd: list[str], *, python: str) -> list[str] | None:
    """Argumenten till ``IPKernelApp`` om ``cmd`` startar ipykernel med ``python``, annars None.

    Tolkflaggan ``-Xfrozen_modules=off`` (som ipykernels kärnspecifikation har för felsökaren)
    tolereras; andra tolkflaggor ändrar tolken och ger en vanlig start.
    """
    flaggor = cmd[1:-1]
    if "-m" not in flaggor:
        return None
    m = cmd.index("-m")
    if cmd[m : m + 2] != ["-m", "ipykernel_launcher"]:
        return None
    if any(f not in _TOLERERADE_FLAGGOR for f in cmd[1:m]):
        return None
    try:
        if Path(cmd[0]).resolve() != Path(python).resolve() and cmd[0] != python:
            return None
    except OSError:
        return None
    return list(cmd[m + 2 :])


# ---------------------------------------------------------------- i mallprocessen


def _starta_karna(begaran: dict[str, Any]) -> None:
    """Körs i det forkade barnet: bli en vanlig IPython-kärna. Återvänder aldrig."""
    kod = 0
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        noll = os.open(os.devnull, os.O_RDWR)
        os.dup2(noll, 0)
        # kärnans egen loggning (ipykernel) hör inte hemma i användarens terminal; fel i
        # cellerna kommer ändå till papermill som meddelanden
        os.dup2(noll, 1)
        os.dup2(noll, 2)
        os.close(noll)
        if begaran.get("cwd"):
            os.chdir(begaran["cwd"])
        os.environ.clear()
        os.environ.update(begaran["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        argv = list(begaran["argv"])
        sys.argv = [str(Path(importlib.import_module("ipykernel").__file__).parent.parent
                        / "ipykernel_launcher.py"), *argv]  # fmt: skip
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # Standardvärdet läses ur miljön när klassen skapas (i mallen); sätt det som en vanlig
        # kärna skulle ha fått det.
        app.parent_handle = int(os.environ["JPY_PARENT_PID"])
        app.initialize(argv)
        app.start()
    except SystemExit as slut:
        kod = slut.code if isinstance(slut.code, int) else 0
    except BaseException:  # allt ska ut på stderr, aldrig tillbaka in i mallens loop
        import traceback

        traceback.print_exc()
        kod = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os._exit(kod)


def _mall_huvudprogram(adress: str) -> None:
    """Mallprocessens huvudloop: lyssna på ``adress``, importera, forka en kärna per begäran.

    Uttaget binds före importerna, så att en arbetsprocess som frågar tidigt bara väntar på
    svaret. Varje begäran är en anslutning med en JSON-rad (``argv``, ``env``, ``cwd``); svaret
    är en JSON-rad med kärnans pid. Mallen avslutas när standard-in stängs.
    """
    import selectors
    import socket

    lyssnare = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lyssnare.bind(adress)
    lyssnare.listen(64)
    # Som ipykernel_launcher: arbetskatalogen hör inte hemma i sys.path (kärnan lägger själv
    # till sin arbetskatalog).
    if sys.path and (sys.path[0] in ("", os.getcwd())):
        del sys.path[0]
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for modul in FORLADDA:
        try:
            importlib.import_module(modul)
        except Exception:  # kärnan importerar själv och får då det riktiga felet
            pass
    _fyll_cacheminnen()
    if threading.active_count() != 1:  # pragma: no cover - skydd: fork med trådar är osäkert
        print("finsam-varmstart: mallen har trådar; avstår", file=sys.stderr)
        sys.exit(3)
    # Mallens objekt (moduler, cacheminnen) lever hela batchen: utanför skräpsamlingen. Annars
    # går varje kärnas fullständiga skräpsamling igenom alla ~200 000 (0,1–0,2 s per rapport)
    # och skriver i deras sidor, som då kopieras i varje kärna (copy-on-write).
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # avslutade kärnor städas automatiskt
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C gäller batchen; mallen följer stdin
    valjare = selectors.DefaultSelector()
    valjare.register(sys.stdin.fileno(), selectors.EVENT_READ, "stdin")
    valjare.register(lyssnare, selectors.EVENT_READ, "uttag")
    while True:
        for nyckel, _ in valjare.select():
            if nyckel.data == "stdin":
                if not os.read(sys.stdin.fileno(), 4096):  # föräldern stängde: klart
                    lyssnare.close()
                    return
                continue
            anslutning, _ = lyssnare.accept()
            with anslutning:
                anslutning.settimeout(30)
                try:
                    begaran = json.loads(anslutning.makefile("r", encoding="utf-8").readline())
                except (OSError, ValueError):
                    continue
                pid = os.fork()
                if pid == 0:
                    valjare.close()
                    lyssnare.close()
                    anslutning.close()
                    _starta_karna(begaran)
                try:
                    anslutning.sendall((json.dumps({"pid": pid}) + "\n").encode())
                except OSError:
                    os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------- i batchen


class Karnmall:
    """En mallprocess (startas av batchen, delas av dess arbetsprocesser).

    Parameters
    ----------
    python : str
        Python-tolken som mallen (och därmed kärnorna) körs med; standard ``sys.executable``.

    Attributes
    ----------
    adress : str
        Unix-uttaget som :class:`MallKlient` ansluter till.
    """

    def __init__(self, python: str | None = None) -> None:
        from finsam_analys.korning.arbetskatalog import PREFIX_MALL, tempkatalog

        self.python = python or sys.executable
        self._katalog = tempkatalog(PREFIX_MALL)
        self.adress = os.path.join(self._katalog, "mall")
        miljo = dict(os.environ)
        miljo["PYTHONHASHSEED"] = _MALLENS_FRO
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            # samma tolkflagga som ipykernels kärnspecifikation (för debugpy)
            [
                self.python,
                "-Xfrozen_modules=off",
                "-m",
                "finsam_analys.korning.varmstart",
                self.adress,
            ],
            stdin=subprocess.PIPE,
            env=miljo,
            start_new_session=True,
        )
        slut = time.monotonic() + 30
        while not os.path.exists(self.adress) and self.process.poll() is None:
            if time.monotonic() > slut:
                break
            time.sleep(0.01)

    def klient(self) -> MallKlient:
        """En klient för den här mallen."""
        return MallKlient(self.adress, python=self.python)

    def lever(self) -> bool:
        """Sant om mallprocessen fortfarande kör."""
        return self.process is not None and self.process.poll() is None

    def stang(self) -> None:
        """Avsluta mallen (redan forkade kärnor avslutas när de ser att den är borta)."""
        import shutil

        process, self.process = self.process, None
        if process is not None:
            try:
                if process.stdin:
                    process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        shutil.rmtree(self._katalog, ignore_errors=True)


class MallKlient:
    """Ber en mall (via dess uttag) att forka kärnor; används i arbetsprocesserna.

    Parameters
    ----------
    adress : str
        Mallens uttag (:attr:`Karnmall.adress`).
    python : str
        Mallens Python-tolk: bara kärnor för samma tolk forkas.
    """

    fro = _MALLENS_FRO

    def __init__(self, adress: str, *, python: str) -> None:
        self.adress = adress
        self.python = python
        self.trasig = False

    def forka(self, *, argv: list[str], env: dict[str, str], cwd: str | None) -> int | None:
        """Forka en kärna med argumenten ``argv``; returnerar dess pid, eller None vid fel.

        Väntar tills mallen har importerat klart (högst två minuter). Efter ett fel används
        klienten inte igen (kärnorna startas då på vanligt sätt).
        """
        import socket

        if self.trasig:
            return None
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as uttag:
                uttag.settimeout(120)
                _anslut_med_omforsok(uttag, self.adress)
                uttag.sendall((json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n").encode())
                svar = uttag.makefile("r", encoding="utf-8").readline()
            return int(json.loads(svar)["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            self.trasig = True
            return None


def _anslut_med_omforsok(uttag: Any, adress: str, *, sekunder: float = 30.0) -> None:
    """Anslut till mallens uttag; mellan ``bind`` och ``listen`` (eller när en hårt belastad
    maskin ännu inte hunnit binda) nekas anslutningen en kort stund: försök igen."""
    slut = time.monotonic() + sekunder
    while True:
        try:
            uttag.connect(adress)
            return
        except (ConnectionRefusedError, FileNotFoundError):
            if time.monotonic() > slut:
                raise
            time.sleep(0.05)


_MALL: Karnmall | None = None
_KLIENT: MallKlient | None = None


def anslut(adress: str, *, python: str | None = None) -> None:
    """Använd mallen på ``adress`` i den här processen (batchens arbetsprocesser)."""
    global _KLIENT
    _KLIENT = MallKlient(adress, python=python or sys.executable)


def aktiv_mall(*, starta: bool = True) -> MallKlient | None:
    """Klienten till processens mall, eller None om förvärmda kärnor inte används.

    Har processen inte anslutits till någon mall (:func:`anslut`) startas en egen vid första
    anropet (``starta``); den stängs med :func:`stang_mall`.
    """
    global _MALL, _KLIENT
    if not anvand_varmstart():
        return None
    if _KLIENT is not None:
        return None if _KLIENT.trasig else _KLIENT
    if not starta:
        return None
    try:
        _MALL = Karnmall()
    except OSError:
        return None
    _KLIENT = _MALL.klient()
    return _KLIENT


def stang_mall() -> None:
    """Glöm processens klient och stäng mallen om processen själv startade den."""
    global _MALL, _KLIENT
    _KLIENT = None
    if _MALL is not None:
        _MALL.stang()
        _MALL = None


class _ForkadKarna:
    """Det lilla av ``subprocess.Popen`` som jupyter_client använder, för en forkad kärna.

    Kärnan är mallens barn, inte vårt, så den kan inte väntas in med ``waitpid``; mallen städar
    bort den när den avslutas, och ``poll`` ser att pid:en är borta.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # pragma: no cover - pid återanvänd av annan användare
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        slut = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if slut is not None and time.monotonic() > slut:
                raise subprocess.TimeoutExpired(f"kärna {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _provisioner_klass():
    from jupyter_client.provisioning import LocalProvisioner

    class VarmProvisioner(LocalProvisioner):
        """Som ``LocalProvisioner``, men kärnan forkas ur processens mall (:func:`aktiv_mall`)."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            mall = aktiv_mall()
            argv = _karnargument(cmd, python=mall.python) if mall is not None else None
            env = dict(kwargs.get("env") or os.environ)
            if mall is None or argv is None or env.get("PYTHONHASHSEED") != mall.fro:
                return await super().launch_kernel(cmd, **kwargs)
            # Som Popen: utan cwd ärver kärnan vår arbetskatalog just nu (papermill byter
            # katalog med chdir runt körningen), inte mallens.
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid = mall.forka(argv=argv, env=env, cwd=cwd)
            if pid is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process = _ForkadKarna(pid)
            self.pid = pid
            self.pgid = pid  # barnet kör os.setsid()
            self.cwd = cwd
            return self.connection_info

    return VarmProvisioner


def _tyst_kernel_manager_klass():
    from jupyter_client.manager import AsyncKernelManager

    class TystKernelManager(AsyncKernelManager):
        """``AsyncKernelManager`` som inte avbryter (SIGINT) kärnan när den ska stängas.

        jupyter_client skickar SIGINT före varje nedstängning för att stoppa kod som kör. När
        papermill stänger kärnan har alla celler redan kört klart, men avbrottet kan träffa
        kärnan medan den hanterar ett sista meddelande, och då skriver ipykernel
        ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` i användarens terminal.
        Nedstängningen sker ändå: kärnan får ``shutdown_request`` och dödas om den inte har
        avslutat inom ``shutdown_wait_time``. Avbrott vid tidsgräns (nbclient) görs som förut.
        """

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def _async_pre_start_kernel(self, **kw: Any):
            # kärnans egen loggning (t.ex. zmq-fel när körningen avbryts) ska inte ut i
            # användarens terminal; cellernas fel kommer till papermill som meddelanden
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            pid = getattr(self.provisioner, "pid", None)
            if pid:
                _STARTADE_KARNOR.add(int(pid))
                self._finsam_pid = int(pid)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            _STARTADE_KARNOR.discard(getattr(self, "_finsam_pid", None))
            await super()._async_cleanup_resources(restart=restart)

    return TystKernelManager


_STARTADE_KARNOR: set[int] = set()
"""Kärnor (pid = processgrupp) som den här processen har startat och inte stängt."""


def doda_karnor() -> None:
    """Döda de kärnor som den här processen har startat och inte stängt (vid avbrott).

    Kärnorna är ledare för en egen processgrupp (egen session), så hela gruppen dödas: även
    processer som en notebook har startat.
    """
    while _STARTADE_KARNOR:
        pid = _STARTADE_KARNOR.pop()
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _kernel_manager_klass():
    import uuid

    provisioner = _provisioner_klass()

    class VarmKernelManager(_klass("TystKernelManager")):
        """``AsyncKernelManager`` vars kärnor forkas ur en förvärmd mall (se modulens text)."""

        async def _async_pre_start_kernel(self, **kw: Any):
            if self.provisioner is None and anvand_varmstart():
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = provisioner(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
                )
            return await super()._async_pre_start_kernel(**kw)

    return VarmKernelManager


_KLASSBYGGARE = {
    "TystKernelManager": _tyst_kernel_manager_klass,
    "VarmKernelManager": _kernel_manager_klass,
}


def _klass(namn: str) -> type:
    if namn not in globals():
        globals()[namn] = _KLASSBYGGARE[namn]()
    return globals()[namn]


def __getattr__(namn: str) -> Any:
    # Klasserna byggs först när de används: jupyter_client importeras inte med modulen.
    if namn in _KLASSBYGGARE:
        return _klass(namn)
    raise AttributeError(namn)


if __name__ == "__main__":
    _mall_huvudprogram(sys.argv[1])
