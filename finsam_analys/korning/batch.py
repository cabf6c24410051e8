"""Körning av rapporter: en rapport, eller en batch över förbund × perioder i en processpool.

En rapport körs så här (:func:`kor_rapport`):

1. ``notebooks/rapport.ipynb`` körs med papermills Python-API (``papermill.execute_notebook``),
   kärnan ``python3`` och en tidsgräns per cell. Parametrarna skickas med sina riktiga typer
   (``period="2019"`` förblir text; papermills kommandorad skulle göra den till heltal).
   Notebooken läser förbundets underlag, räknar och skriver ``nyckeltal.json``, ``rapport.docx``
   och ``tabeller.xlsx`` via :mod:`finsam_analys.korning.utdata` (``uppfoljning_finsam.csv``
   bara på begäran, i en egen katalog utanför rapportkatalogen).
2. Den körda notebooken exporteras till HTML utan kod
   (:mod:`finsam_analys.presentation.html_export`), och HTML:en skrivs ut till ``rapport.pdf``
   med Chromium när Chromium finns (:mod:`finsam_analys.korning.webblasare`).
3. ``rapport.ipynb`` och ``rapport.html`` skrivs atomärt till ``<utdata>/<förbund>/<period>/``.

Misslyckas en cell blir resultatet ett misslyckat :class:`Resultat` med cellens nummer, närmaste
rubrik ovanför och felet; den körda notebooken (med felet) sparas som ``rapport.ipynb`` och
gamla ``rapport.html``/``nyckeltal.json``/tabeller i katalogen tas bort, så att index och
``nyckeltal.csv`` aldrig visar en inaktuell rapport. Kan förbundets underlag inte läsas
(``InlasningsFel``) blir felet inläsningens svenska felrapport.

En batch (:func:`kor_batch`) hämtar förbund × perioder ur varje ``data/<id>/forbund.yaml``
(``perioder``), kör rapporterna i en ``concurrent.futures.ProcessPoolExecutor`` (standard: en
process per CPU; startmetoden ``forkserver``, eller ``spawn`` där den saknas, aldrig ``fork``
och aldrig trådar), visar en tqdm-förloppsindikator och en loggrad per rapport, och skriver
sedan ``nyckeltal.csv``, jämförelserapporten och ``index.html``. En misslyckad rapport stoppar
aldrig de andra.

Prestanda och isolering
-----------------------
Varje rapport får en egen, ny kärnprocess: ingenting (variabler, importerade modulers
tillstånd, matplotlib- och pandas-inställningar) kan läcka mellan rapporter. Kärnan har
``PYTHONHASHSEED=0`` (samma ordning på mängder i varje körning) och pratar med papermill över
unix-socklar i en egen tillfällig katalog (inga portkrockar mellan parallella kärnor).

I en batch startas kärnorna inte kalla: batchen startar en mallprocess som importerar pandas,
pandera, scipy, matplotlib, ipykernel och ``finsam_analys`` en gång, och varje rapports kärna
forkas ur den (:mod:`finsam_analys.korning.varmstart`; bara Linux, annars vanliga kärnor;
``FINSAM_VARMSTART=0`` stänger av). Kärnstarten går då från 3–5 s CPU (ny Python, ipykernel,
importer) till ungefär 0,4 s. Arbetsprocesserna återanvänds mellan rapporter (papermill och
nbconvert förladdade via forkservern, HTML-exportören byggd en gång) men håller inget
rapporttillstånd. Papermill körs med en egen motor (:func:`_registrera_motor`) som skriver den
körda notebooken en gång, när körningen är klar, i stället för före och efter varje cell.
Varje arbetsprocess skriver ut sina PDF:er i en egen Chromium som startas vid den första och
stängs när processen avslutas (en ny flik per rapport): att starta Chromium kostar mer än
utskriften. Jämförelserapporten körs sist i en av arbetsprocesserna, också med förvärmd kärna.

Uppmätta tider finns i ``benchmarks/README.md`` (``make bench``).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finsam_analys.korning import arbetskatalog, utdata

if TYPE_CHECKING:
    from finsam_analys.perioder import Rapportperiod

__all__ = [
    "JAMFORELSEPARAMETRAR",
    "NOTEBOOK_KATALOG",
    "RAPPORTPARAMETRAR",
    "Resultat",
    "kor_batch",
    "kor_jamforelse",
    "kor_rapport",
    "planera_batch",
    "sammanfattning",
    "skapad_datum",
    "skriv_pdf",
]

logg = logging.getLogger(__name__)

NOTEBOOK_KATALOG = Path(__file__).resolve().parents[2] / "notebooks"
RAPPORT_NOTEBOOK = NOTEBOOK_KATALOG / "rapport.ipynb"
JAMFORELSE_NOTEBOOK = NOTEBOOK_KATALOG / "jamforelse.ipynb"

# Namnen i notebookarnas parametercell; runnern skickar exakt dessa.
RAPPORTPARAMETRAR = (
    "forbund",
    "period",
    "data_katalog",
    "utdata_katalog",
    "sekretess_troskel",
    "jamforelseperiod",
    "skapad",
    "tvingade",
    "sekretess_katalog",
    "inrapportering_katalog",
)
JAMFORELSEPARAMETRAR = ("utdata_katalog", "skapad")

KARNA = "python3"
TIDSGRANS_PER_CELL = 600  # sekunder
TIDSGRANS_KARNSTART = 120  # sekunder


@dataclass(frozen=True)
class Resultat:
    """Utfallet av en rapportkörning.

    Attributes
    ----------
    forbund, period : str
        Förbundets katalognamn och periodkoden.
    lyckades : bool
        Sant om rapporten skapades.
    katalog : pathlib.Path or None
        Rapportkatalogen (``<utdata>/<förbund>/<period>``), om den kunde bestämmas.
    sekunder : float
        Körtid.
    cell : str or None
        Vid fel i en cell: ``"cell 5 (Avslut och resultat)"``.
    fel : str or None
        Vid fel: svensk feltext (felets typ och meddelande, eller inläsningens felrapport).

    Examples
    --------
    >>> r = Resultat("vasteras", "2019", False, None, 2.5, cell="cell 3 (Avslut)",
    ...              fel="KeyError: 'antal'")
    >>> r.rad()
    "FEL vasteras 2019: cell 3 (Avslut): KeyError: 'antal' (2,5 s)"
    """

    forbund: str
    period: str
    lyckades: bool
    katalog: Path | None
    sekunder: float
    cell: str | None = None
    fel: str | None = None
    notebook: str = field(default="rapport", compare=False)

    @property
    def html(self) -> Path | None:
        """Sökvägen till ``rapport.html`` (``jamforelse.html``) om rapporten lyckades."""
        if not self.lyckades or self.katalog is None:
            return None
        return self.katalog / f"{self.notebook}.html"

    def rad(self) -> str:
        """En loggrad: ``OK``/``FEL``, förbund, period, (cell och första felraden), tid.

        Namn och feltext går genom vakten (:func:`~finsam_analys.indata.vakt.visbar`): ett
        förbund vars katalog heter som ett personnummer skrivs aldrig ut.
        """
        from finsam_analys.indata.vakt import visbar, visbart_namn

        tid = f"{self.sekunder:.1f}".replace(".", ",") + " s"
        forbund, html = visbart_namn(self.forbund), visbart_namn(self.html)
        if self.lyckades:
            return visbar(f"OK  {forbund} {self.period} -> {html} ({tid})")
        forsta = (self.fel or "okänt fel").strip().splitlines()[0] if self.fel else "okänt fel"
        plats = f"{self.cell}: " if self.cell else ""
        return visbar(f"FEL {forbund} {self.period}: {plats}{forsta} ({tid})")


# ---------------------------------------------------------------- en rapport


def skapad_datum(skapad: str | dt.date | None) -> str:
    """Skapandedatumet i sidhuvudet som ISO-text; ``None`` = dagens datum.

    Examples
    --------
    >>> skapad_datum("2026-01-15"), skapad_datum(dt.date(2026, 1, 15))
    ('2026-01-15', '2026-01-15')
    >>> skapad_datum("igår")
    Traceback (most recent call last):
    ...
    ValueError: Ogiltigt skapandedatum 'igår'; ange ÅÅÅÅ-MM-DD.
    """
    if skapad is None:
        return dt.date.today().isoformat()
    if isinstance(skapad, dt.datetime):
        return skapad.date().isoformat()
    if isinstance(skapad, dt.date):
        return skapad.isoformat()
    try:
        return dt.date.fromisoformat(str(skapad).strip()).isoformat()
    except ValueError:
        raise ValueError(f"Ogiltigt skapandedatum {skapad!r}; ange ÅÅÅÅ-MM-DD.") from None


def _rubrik_ovanfor(celler: Sequence[Any], index: int) -> str | None:
    """Närmaste markdown-rubrik ovanför cell ``index``."""
    for cell in reversed(list(celler)[:index]):
        if cell.get("cell_type") != "markdown":
            continue
        for rad in str(cell.get("source", "")).splitlines():
            if rad.lstrip().startswith("#"):
                return rad.lstrip().lstrip("#").strip()
    return None


def _cellbeskrivning(nb: Any, cell_index: int) -> str:
    """``"cell N (rubrik)"`` där N räknas i den ursprungliga notebooken (1-baserat).

    ``cell_index`` är papermills index i den körda notebooken (med den injicerade
    parametercellen); papermill lägger dessutom till två felmarkeringsceller när den sparar
    en misslyckad notebook, och de räknas bort här.
    """
    celler = [
        c
        for c in (nb.cells if nb is not None else [])
        if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])
    ]
    injicerade = sum(
        1
        for c in celler[:cell_index]
        if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    )
    text = f"cell {cell_index - injicerade + 1}"
    rubrik = _rubrik_ovanfor(celler, cell_index) if celler else None
    return f"{text} ({rubrik})" if rubrik else text


_RE_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _inlasningsrapport(data_katalog: Path, forbund: str) -> str | None:
    """Inläsningens svenska felrapport, om förbundet inte kan läsas; annars ``None``."""
    try:
        from finsam_analys.indata.inlasning import InlasningsFel, las_forbund
    except ImportError:  # pragma: no cover - inläsningen finns alltid
        return None
    try:
        las_forbund(data_katalog / forbund)
    except InlasningsFel as fel:
        return fel.rapport()
    except Exception as fel:  # rapportera allt som svensk text
        return f"{type(fel).__name__}: {fel}"
    return None


def _granska_notebook(
    sokvag: Path, *, ersatt: tuple[str, str] | None = None, radslut: bool = False
) -> None:
    """Skriv om en körd notebook utan personnummer (även i felspår och utdata).

    ``ersatt`` byter en text i den injicerade parametercellen (arbetskatalogen mot den riktiga
    utdatakatalogen, så att notebooken går att köra om där den ligger). Utan ``ersatt`` och
    utan något som kan vara ett personnummer skrivs filen inte om (``radslut``: bara en
    avslutande radbrytning läggs till, som när den skrivs om).
    """
    import json

    from finsam_analys.indata.personnummer import kan_innehalla_personnummer
    from finsam_analys.indata.vakt import dolj_i_notebook

    text = sokvag.read_text(encoding="utf-8")
    if ersatt is None and not kan_innehalla_personnummer(text):  # snabbväg: inget att ändra
        if radslut and not text.endswith("\n"):
            with sokvag.open("a", encoding="utf-8") as fil:
                fil.write("\n")
        return
    nb = json.loads(text)
    andrad = False
    if ersatt is not None:
        andrad = _ersatt_i_parametrar(nb.get("cells", []), ersatt)
    if kan_innehalla_personnummer(text):  # annars finns inget att ta bort (snabbväg)
        dolj_i_notebook(nb)
        andrad = True
    if andrad:  # samma JSON-form som nbformat skriver
        ny = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        utdata.skriv_atomart(sokvag, ny, granskad=True)
    elif radslut and not text.endswith("\n"):
        with sokvag.open("a", encoding="utf-8") as fil:
            fil.write("\n")


def _ersatt_i_parametrar(celler: Any, ersatt: tuple[str, str]) -> bool:
    """Byt ``ersatt[0]`` mot ``ersatt[1]`` i den injicerade parametercellen; sant om något
    ändrades."""
    andrad = False
    for cell in celler:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            kalla = cell.get("source", "")
            if isinstance(kalla, list):
                ny_kalla: Any = [rad.replace(*ersatt) for rad in kalla]
            else:
                ny_kalla = kalla.replace(*ersatt)
            andrad = andrad or ny_kalla != kalla
            cell["source"] = ny_kalla
    return andrad


def _titel(katalog: Path, forbund: str, period: Rapportperiod) -> tuple[str, str, str]:
    """Förbundets och periodens namn och rapportens titel ur ``nyckeltal.json`` (som
    notebooken skrev)."""
    forbundsnamn, periodnamn, titel = forbund, period.namn, ""
    try:
        post = utdata.las_nyckeltal(katalog)
        forbundsnamn = post.get("forbundsnamn") or forbundsnamn
        periodnamn = post.get("periodnamn") or periodnamn
        titel = post.get("titel") or ""
    except (OSError, ValueError):
        pass
    return forbundsnamn, periodnamn, titel or f"{forbundsnamn} – {periodnamn}"


_PARAMETERBYTE: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "finsam_parameterbyte", default=None
)
"""Texten som motorn byter i parametercellen innan notebooken skrivs (:func:`_kor_notebook`)."""


def _kor_notebook(
    notebook: Path,
    utfil: Path,
    parametrar: dict[str, Any],
    tidsgrans_per_cell: int,
    *,
    ersatt: tuple[str, str] | None = None,
) -> tuple[Any, str | None, str | None]:
    """Kör en notebook till ``utfil`` (temporär). Returnerar (nb, cell, fel).

    ``ersatt`` byts i den injicerade parametercellen innan notebooken skrivs (arbetskatalogen
    mot utdatakatalogen), så att den inte behöver läsas och skrivas om efteråt.
    """
    from traitlets.config import Config

    # IPC (unix-socklar) i stället för TCP mellan papermill och kärnan: inga portkrockar mellan
    # parallella kärnor och ingen varning om okrypterad TCP från ipykernel. Varje kärna får
    # en egen tillfällig katalog för sina socklar (standardnamnet "kernel-ipc" i arbetskatalogen
    # skulle krocka mellan parallella rapporter).
    # Anslutningsfilen ligger i samma katalog: allt kärnan behöver tas bort tillsammans.
    socketkatalog = arbetskatalog.tempkatalog(arbetskatalog.PREFIX_KARNA)
    konfig = Config(
        {
            "KernelManager": {
                "transport": "ipc",
                "ip": f"{socketkatalog}/k",
                "connection_file": f"{socketkatalog}/karna.json",
            }
        }
    )
    # Kärnan ärver miljön. Fast hashfrö: mängders ordning (set av text) blir densamma i varje
    # körning, så att tabeller och figurer inte byter ordning mellan två körningar.
    tidigare_fro = os.environ.get("PYTHONHASHSEED")
    if tidigare_fro is None:
        os.environ["PYTHONHASHSEED"] = "0"
    byte = _PARAMETERBYTE.set(ersatt)
    try:
        return _kor_papermill(notebook, utfil, parametrar, tidsgrans_per_cell, konfig)
    except BaseException:  # avbrott (Ctrl-C, SIGTERM): kärnan får inte leva vidare
        from finsam_analys.korning import varmstart

        varmstart.doda_karnor()
        raise
    finally:
        _PARAMETERBYTE.reset(byte)
        if tidigare_fro is None:
            os.environ.pop("PYTHONHASHSEED", None)
        shutil.rmtree(socketkatalog, ignore_errors=True)


_MOTOR = "finsam"


def _registrera_motor() -> str:
    """Registrera papermill-motorn :data:`_MOTOR` (en gång per process) och returnera namnet.

    Papermills standardmotor skriver hela den körda notebooken till disk före och efter varje
    cell (drygt 40 gånger per rapport, med figurer ~1 MB JSON och schemavalidering varje
    gång). Motorn här är densamma (``NBClientEngine``) men:

    * sparar inte under körningen, och när körningen gått igenom inte heller vid slutet:
      papermill skriver den slutliga notebooken direkt efteråt (bara om motorn avbryts, t.ex.
      när kärnan dör, sparar den själv det som hunnit köras);
    * validerar inte varje utdata mot notebookformatets schema när den tas emot (nbformat gör
      det för varje meddelande från kärnan): hela notebooken valideras ändå när den skrivs;
    * byter arbetskatalogen mot utdatakatalogen i parametercellen innan notebooken skrivs
      (:data:`_PARAMETERBYTE`).
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    if _MOTOR in papermill_engines._engines:
        return _MOTOR

    class SparaVidSlut(NotebookExecutionManager):
        _klar = False
        _spara = True

        def save(self, **kwargs):
            if self._klar and self._spara:
                super().save(**kwargs)
            else:
                self.last_save_time = self.now()

        def autosave_cell(self):
            pass

        def notebook_complete(self, **kwargs):
            self._klar = True
            super().notebook_complete(**kwargs)

    class SparsamMotor(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
            autosave_cell_every=30, **kwargs,
        ):  # fmt: skip
            nb_man = SparaVidSlut(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                with _utan_utdatavalidering():
                    cls.execute_managed_notebook(
                        nb_man, kernel_name, log_output=log_output, **kwargs
                    )
                nb_man._spara = False  # papermill skriver notebooken strax
            finally:
                ersatt = _PARAMETERBYTE.get()
                if ersatt is not None:
                    _ersatt_i_parametrar(nb_man.nb.cells, ersatt)
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(_MOTOR, SparsamMotor)
    return _MOTOR


@contextlib.contextmanager
def _utan_utdatavalidering():
    """Stäng av nbformats schemavalidering av varje enskild utdata under körningen (se
    :func:`_registrera_motor`)."""
    from nbformat.v4 import nbbase

    validera = nbbase.validate
    nbbase.validate = lambda node, ref=None: None
    try:
        yield
    finally:
        nbbase.validate = validera


_VARMSTART = False
"""Sant i batchens arbetsprocesser: kärnorna forkas ur en förvärmd mall (:mod:`.varmstart`)."""
_ARBETSPROCESS = False
"""Sant i batchens arbetsprocesser: PDF:erna skrivs ut i processens delade Chromium."""


def _karnhanterare() -> dict[str, Any]:
    """``kernel_manager_class`` för papermill: förvärmd kärna i en batch, annars en vanlig.

    Båda stänger kärnan utan att först avbryta den (:class:`.varmstart.TystKernelManager`),
    så att inget falskt ``KeyboardInterrupt``-fel skrivs i terminalen.
    """
    from finsam_analys.korning import varmstart

    if _VARMSTART and varmstart.anvand_varmstart():
        return {"kernel_manager_class": varmstart.VarmKernelManager}
    return {"kernel_manager_class": varmstart.TystKernelManager}


def _varmstart_mojlig() -> bool:
    from finsam_analys.korning import varmstart

    return varmstart.anvand_varmstart()


def _avsluta_arbetare(signum: int, frame: Any) -> None:
    """SIGTERM i en arbetsprocess: avbryt rapporten (städning i ``finally``), sedan avsluta.

    Ett andra SIGTERM under städningen ignoreras, så att den inte själv avbryts halvvägs
    (webbläsarens profil, kärnan); huvudprocessen dödar en arbetare som inte blir klar.
    """
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _initiera_arbetare(mallens_adress: str | None) -> None:
    """Körs när en arbetsprocess startar: anslut till batchens förvärmda mall (om den finns).

    Ctrl-C gäller batchen, inte arbetsprocessen: huvudprocessen avbryter arbetsprocesserna med
    SIGTERM, och då städar de (kärna, arbetskatalog) innan de avslutas.
    """
    import signal

    global _VARMSTART, _ARBETSPROCESS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _avsluta_arbetare)
    _VARMSTART = mallens_adress is not None
    _ARBETSPROCESS = True
    if mallens_adress is not None:
        from finsam_analys.korning import varmstart as vs

        vs.anslut(mallens_adress)


def _kor_papermill(
    notebook: Path, utfil: Path, parametrar: dict[str, Any], tidsgrans_per_cell: int, konfig: Any
) -> tuple[Any, str | None, str | None]:
    import nbformat
    import papermill

    try:
        nb = papermill.execute_notebook(
            str(notebook),
            str(utfil),
            parameters=parametrar,
            kernel_name=KARNA,
            language="python",
            execution_timeout=tidsgrans_per_cell,
            start_timeout=TIDSGRANS_KARNSTART,
            cwd=str(notebook.parent),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            config=konfig,
            engine_name=_registrera_motor(),
            **_karnhanterare(),
        )
        return nb, None, None
    except papermill.PapermillExecutionError as fel:
        try:
            nb = nbformat.read(utfil, as_version=4)
        except (OSError, ValueError):
            nb = None
        cell = _cellbeskrivning(nb, fel.cell_index)
        meddelande = _RE_ANSI.sub("", f"{fel.ename}: {fel.evalue}")
        return nb, cell, meddelande
    except Exception as fel:  # kärnan dog, tidsgräns, trasig notebook ...
        text = _RE_ANSI.sub("", str(fel)).strip()
        if type(fel).__name__ == "CellTimeoutError":
            text = f"cellen kördes längre än tidsgränsen {tidsgrans_per_cell} s och avbröts"
        nb = None
        if utfil.exists():
            try:
                nb = nbformat.read(utfil, as_version=4)
            except (OSError, ValueError):
                nb = None
        cell = None
        if nb is not None:
            # cellen som papermill markerade som misslyckad, annars den sista som startades
            # (vid tidsgräns markerar papermill cellen som avslutad, och resten väntar)
            startade = [
                (index, c.get("metadata", {}).get("papermill", {}))
                for index, c in enumerate(nb.cells)
                if c.get("metadata", {}).get("papermill", {}).get("start_time")
            ]
            markerade = [i for i, status in startade if status.get("exception")]
            if markerade or startade:
                cell = _cellbeskrivning(nb, (markerade or [startade[-1][0]])[0])
        return nb, cell, f"{type(fel).__name__}: {text}" if text else type(fel).__name__


def _forprovning(
    data: Path,
    forbund: str,
    period: Rapportperiod,
    sekretess_troskel: int | None,
    tillat_avvikande_period: bool,
) -> tuple[str, str | None]:
    """Pröva rapporten innan kärnan startas: ``(markering, fel)``.

    Konfigurationen läses med alla spärrar (:func:`~finsam_analys.indata.inlasning.las_konfig`).
    Perioden ska stå bland förbundets ``perioder`` och får inte sluta efter underlagets
    uttagsdatum (``kallor[].uttagsdatum``): då skulle pågående deltaganden räknas som om de
    fortsatt. Med ``tillat_avvikande_period`` körs rapporten ändå och märks (``markering``).
    En sekretessgräns under 3 kräver ``intern: true``.
    """
    from finsam_analys.indata.inlasning import InlasningsFel, las_konfig
    from finsam_analys.indata.underlag import MINSTA_TROSKEL

    try:
        konfig = las_konfig(data / forbund)
    except InlasningsFel as fel:
        return "", fel.rapport()
    if (
        sekretess_troskel is not None
        and sekretess_troskel < MINSTA_TROSKEL
        and not konfig.sekretess.intern
    ):
        return "", (
            f"Sekretessgränsen {sekretess_troskel} är för låg: en gräns under {MINSTA_TROSKEL} "
            "visar antal som kan peka ut enskilda personer och kräver intern: true under "
            "sekretess i forbund.yaml (rapporten är då bara för internt bruk)."
        )
    kod = period.kod
    avvikelser = []
    if period not in konfig.rapportperioder:  # giltiga enligt konfig
        avvikelser.append(
            f"Perioden {kod} står inte bland förbundets perioder i forbund.yaml "
            f"({', '.join(konfig.perioder)})."
        )
    uttag = [dt.date.fromisoformat(k.uttagsdatum[:10]) for k in konfig.kallor if k.uttagsdatum]
    if uttag and period.slut > max(uttag):
        avvikelser.append(
            f"Perioden {kod} slutar {period.slut.isoformat()}, efter underlagets uttagsdatum "
            f"{max(uttag).isoformat()}: deltaganden som pågick vid uttaget skulle räknas som "
            "om de fortsatt, och allt som hänt efter uttaget saknas."
        )
    if not avvikelser:
        return "", None
    if tillat_avvikande_period:
        markering = "Obs! " + " ".join(avvikelser) + " Rapporten är körd ändå på begäran."
        return markering, None
    return "", " ".join(avvikelser) + (
        " Lägg till perioden i forbund.yaml (eller ett nyare uttag), eller kör med "
        "--tillat-avvikande-period; rapporten märks då i sidhuvudet."
    )


def kor_rapport(
    *,
    forbund: str,
    period: str,
    data_katalog: str | os.PathLike[str],
    utdata_katalog: str | os.PathLike[str],
    sekretess_troskel: int | None = None,
    jamforelseperiod: str | None = None,
    skapad: str | dt.date | None = None,
    notebook: str | os.PathLike[str] | None = None,
    tidsgrans_per_cell: int = TIDSGRANS_PER_CELL,
    tillat_avvikande_period: bool = False,
    pdf: bool | None = None,
    tvingade: list | None = None,
    sekretess_katalog: str | os.PathLike[str] | None = None,
    inrapportering_katalog: str | os.PathLike[str] | None = None,
) -> Resultat:
    """Kör rapporten för ett förbund och en period och skriv utdata.

    Kastar inte när rapporten misslyckas: felet finns i det returnerade :class:`Resultat`.
    Rapportens filer skrivs i en arbetskatalog och flyttas på plats tillsammans
    (:mod:`.arbetskatalog`); misslyckas rapporten ersätts en tidigare rapport för samma förbund
    och period av den körda notebooken med felet, så att ingen inaktuell rapport ligger kvar.

    Parameters
    ----------
    forbund : str
        Förbundets katalognamn under ``data_katalog`` (t.ex. ``"vasteras"``).
    period : str
        Periodkod som :meth:`Rapportperiod.tolka` förstår.
    data_katalog, utdata_katalog : path
        Katalogen med förbundskataloger och roten för utdata.
    sekretess_troskel : int, optional
        Minsta visade antal; ``None`` = förbundets konfiguration. Under 3 kräver
        ``intern: true``.
    jamforelseperiod : str, optional
        ``None`` = perioden året innan.
    skapad : str or datetime.date, optional
        Datum i sidhuvudet (ISO); ``None`` = dagens datum. Samma indata och samma ``skapad``
        ger byte-identisk HTML.
    notebook : path, optional
        Notebooken som körs; standard ``notebooks/rapport.ipynb``.
    tidsgrans_per_cell : int
        Sekunder innan en cell avbryts.
    tillat_avvikande_period : bool
        Kör även en period som inte står bland förbundets ``perioder`` eller som slutar efter
        uttagsdatumet; rapporten märks då i sidhuvudet och i ``nyckeltal.json``.
    pdf : bool, optional
        Skriv ``rapport.pdf`` (HTML-rapporten utskriven med Chromium) om Chromium finns;
        ``None`` = ja, utom när miljövariabeln ``FINSAM_PDF`` är ``0``.
    tvingade : list, optional
        Storheter (som listor, :func:`~finsam_analys.sekretess.kontrollpunkt.
        storhet_till_lista`) som rapporten ska maska: förbundets gemensamma sekretessbeslut.
    sekretess_katalog : path, optional
        Batchens arbetskatalog där rapporten skriver sitt sekretessprotokoll.
    inrapportering_katalog : path, optional
        Skriv ``uppfoljning_finsam.csv`` (omaskad) under denna katalog; ``None`` = skrivs inte.

    Returns
    -------
    Resultat
    """
    from finsam_analys.indata.personnummer import ar_personnummer
    from finsam_analys.perioder import Rapportperiod

    start = time.perf_counter()
    data = Path(data_katalog).resolve()
    ut = Path(utdata_katalog).resolve()
    notebook = Path(notebook) if notebook is not None else RAPPORT_NOTEBOOK

    def misslyckat(katalog, cell, fel, kod=str(period)) -> Resultat:
        return Resultat(forbund, kod, False, katalog, time.perf_counter() - start, cell, fel)

    if ar_personnummer(forbund):  # ingen katalog skapas och namnet skrivs aldrig ut
        return misslyckat(
            None,
            None,
            "Förbundskatalogens namn ser ut som ett personnummer; byt namn på katalogen "
            "(namnet visas inte). Ingen rapport skapades.",
        )
    try:
        rapportperiod = Rapportperiod.tolka(period)  # en gång; därefter objektet och dess kod
        kod = rapportperiod.kod
        katalog = utdata.rapportkatalog(ut, forbund, kod)
        skapad_text = skapad_datum(skapad)
        if jamforelseperiod is not None:
            jamforelseperiod = Rapportperiod.tolka(jamforelseperiod).kod
        if sekretess_troskel is not None:
            sekretess_troskel = int(sekretess_troskel)
    except (ValueError, TypeError) as fel:
        return misslyckat(None, None, str(fel))
    if not (data / forbund).is_dir():
        return misslyckat(None, None, f"Förbundet {forbund!r} finns inte i {data}.", kod)
    arbetskatalog.stada_overgivna(ut)
    markering, fel = _forprovning(
        data, forbund, rapportperiod, sekretess_troskel, tillat_avvikande_period
    )
    if fel is not None:
        arbetskatalog.ta_bort(katalog, utdata_katalog=ut)  # ingen inaktuell rapport kvar
        return misslyckat(None, None, fel, kod)
    arbete = arbetskatalog.arbetskatalog(ut)
    parametrar = {
        "forbund": forbund,
        "period": kod,
        "data_katalog": str(data),
        "utdata_katalog": str(arbete),
        "sekretess_troskel": sekretess_troskel,
        "jamforelseperiod": jamforelseperiod,
        "skapad": skapad_text,
        "tvingade": tvingade,
        "sekretess_katalog": None if sekretess_katalog is None else str(sekretess_katalog),
        "inrapportering_katalog": (
            None if inrapportering_katalog is None else str(Path(inrapportering_katalog).resolve())
        ),
    }
    assert tuple(parametrar) == RAPPORTPARAMETRAR
    ny = utdata.rapportkatalog(arbete, forbund, kod)
    ny.mkdir(parents=True)
    kord = ny / utdata.FILNAMN["notebook"]
    try:
        nb, cell, fel = _kor_notebook(
            notebook, kord, parametrar, tidsgrans_per_cell, ersatt=(str(arbete), str(ut))
        )
        if fel is not None:
            if fel.startswith("InlasningsFel"):
                fel = _inlasningsrapport(data, forbund) or fel
            # bara den körda notebooken med felet: inga tal från en halvfärdig körning
            for fil in ny.iterdir():
                if fil != kord:
                    fil.unlink()
            if kord.exists():
                _granska_notebook(kord, ersatt=(str(arbete), str(ut)))
                arbetskatalog.publicera(ny, katalog)
            else:
                arbetskatalog.ta_bort(katalog, utdata_katalog=ut)
            return misslyckat(katalog, cell, fel, kod)

        from finsam_analys.presentation.html_export import exportera_html

        forbundsnamn, periodnamn, titel = _titel(ny, forbund, rapportperiod)
        sida = exportera_html(
            nb,
            titel=titel,
            forbund=forbundsnamn,
            period=periodnamn,
            skapad=skapad_text,
            markering=markering,
        )
        utdata.skriv_atomart(ny / utdata.FILNAMN["html"], sida)
        if markering:
            utdata.marker_nyckeltal(ny, markering)
        if skriv_pdf(pdf):
            _skriv_pdf(ny)
        _granska_notebook(kord, radslut=True)  # parametercellen är redan utbytt
        arbetskatalog.publicera(ny, katalog)
    except Exception as fel:  # t.ex. HTML-exporten; ska aldrig stoppa en batch
        arbetskatalog.ta_bort(katalog, utdata_katalog=ut)
        return misslyckat(katalog, None, f"{type(fel).__name__}: {fel}", kod)
    finally:
        shutil.rmtree(arbete, ignore_errors=True)
        arbetskatalog.stada_overgivna(ut)
    return Resultat(forbund, kod, True, katalog, time.perf_counter() - start)


def skriv_pdf(pdf: bool | None = None) -> bool:
    """Om ``rapport.pdf`` ska skrivas: ``pdf``, eller (``None``) utom när ``FINSAM_PDF=0``.

    Examples
    --------
    >>> skriv_pdf(False), skriv_pdf(True)
    (False, True)
    """
    if pdf is not None:
        return bool(pdf)
    return os.environ.get("FINSAM_PDF", "1").strip() != "0"


def _skriv_pdf(katalog: Path) -> None:
    """``rapport.pdf`` ur rapportkatalogens ``rapport.html`` med Chromium, om Chromium finns.

    Utskriften stoppar aldrig rapporten: går den inte (ingen Chromium, tidsgräns) blir det
    ingen PDF, och en rad i loggen säger varför. HTML:en har redan gått genom
    personnummervakten, och PDF:en är en utskrift av den.
    """
    from finsam_analys.korning import webblasare

    sokvag = webblasare.hitta_chromium()
    if sokvag is None:
        logg.info("Ingen rapport.pdf: Chromium finns inte.")
        return
    try:
        innehall = webblasare.skriv_ut_pdf(
            katalog / utdata.FILNAMN["html"], chromium=sokvag, ateranvand=_ARBETSPROCESS
        )
    except (OSError, RuntimeError, TimeoutError, EOFError) as fel:
        logg.warning("Ingen rapport.pdf: %s", fel)
        return
    utdata.skriv_atomart(katalog / utdata.FILNAMN["pdf"], innehall)


def kor_jamforelse(
    *,
    utdata_katalog: str | os.PathLike[str],
    skapad: str | dt.date | None = None,
    notebook: str | os.PathLike[str] | None = None,
    tidsgrans_per_cell: int = TIDSGRANS_PER_CELL,
) -> Resultat:
    """Kör ``notebooks/jamforelse.ipynb`` på ``<utdata>/nyckeltal.csv``.

    Skriver ``<utdata>/jamforelse/jamforelse.ipynb`` och ``jamforelse.html``.
    """
    start = time.perf_counter()
    ut = Path(utdata_katalog).resolve()
    notebook = Path(notebook) if notebook is not None else JAMFORELSE_NOTEBOOK
    skapad_text = skapad_datum(skapad)
    katalog = ut / "jamforelse"
    arbete = arbetskatalog.arbetskatalog(ut)
    ny = arbete / "jamforelse"
    ny.mkdir()
    tmp = ny / "jamforelse.ipynb"
    parametrar = {"utdata_katalog": str(ut), "skapad": skapad_text}
    assert tuple(parametrar) == JAMFORELSEPARAMETRAR

    def resultat(lyckades: bool, cell=None, fel=None) -> Resultat:
        return Resultat(
            "alla förbund",
            "alla perioder",
            lyckades,
            katalog,
            time.perf_counter() - start,
            cell,
            fel,
            "jamforelse",
        )

    try:
        nb, cell, fel = _kor_notebook(notebook, tmp, parametrar, tidsgrans_per_cell)
        if fel is not None:
            if tmp.exists():
                _granska_notebook(tmp)
                arbetskatalog.publicera(ny, katalog)
            else:
                arbetskatalog.ta_bort(katalog, utdata_katalog=ut)
            return resultat(False, cell, fel)
        from finsam_analys.presentation.html_export import exportera_html

        sida = exportera_html(
            nb,
            titel="Jämförelse mellan förbund och perioder",
            forbund="Samordningsförbund",
            period="Jämförelse mellan förbund och perioder",
            skapad=skapad_text,
        )
        utdata.skriv_atomart(ny / "jamforelse.html", sida)
        _granska_notebook(tmp)
        arbetskatalog.publicera(ny, katalog)
    except Exception as fel:
        arbetskatalog.ta_bort(katalog, utdata_katalog=ut)
        return resultat(False, None, f"{type(fel).__name__}: {fel}")
    finally:
        shutil.rmtree(arbete, ignore_errors=True)
        arbetskatalog.stada_overgivna(ut)
    return resultat(True)


# ---------------------------------------------------------------- batch


def _las_perioder(forbundskatalog: Path) -> tuple[Rapportperiod, ...]:
    """Perioderna i ``forbund.yaml``, tolkade en gång (``Forbundskonfig.rapportperioder``).

    Konfigurationen läses som av ``validera`` (:func:`~finsam_analys.indata.inlasning.
    las_konfig`: samma kodning, personnummerspärr, YAML utan alias, svenska fel).
    """
    from finsam_analys.indata.inlasning import InlasningsFel, las_konfig

    try:
        konfig = las_konfig(forbundskatalog)
    except InlasningsFel as fel:
        raise ValueError(fel.rapport()) from None
    return konfig.rapportperioder


def planera_batch(
    data_katalog: str | os.PathLike[str],
    *,
    forbund: Iterable[str] | None = None,
    perioder: Iterable[str] | None = None,
) -> tuple[list[tuple[str, str]], list[Resultat]]:
    """Förbund × perioder att köra, och misslyckanden som upptäcks redan i planeringen.

    Varje underkatalog i ``data_katalog`` med en ``forbund.yaml`` är ett förbund; perioderna
    hämtas ur dess ``perioder``. ``forbund`` och ``perioder`` filtrerar (perioder jämförs som
    datumintervall, så ``"2021-01–2021-08"`` matchar ``"2021-01..2021-08"``). Ett förbund vars
    ``forbund.yaml`` inte går att läsa, eller ett efterfrågat förbund som inte finns, blir ett
    misslyckat resultat; ingenting kastas.

    Returns
    -------
    (uppgifter, misslyckade)
        ``uppgifter`` är en sorterad lista med ``(forbund, periodkod)``.
    """
    from finsam_analys.indata.personnummer import ar_personnummer
    from finsam_analys.perioder import Rapportperiod

    data = Path(data_katalog)
    forbund = None if forbund is None else list(forbund)
    alla = sorted(p.parent.name for p in data.glob("*/forbund.yaml"))
    misslyckade: list[Resultat] = []
    for namn in [n for n in alla if ar_personnummer(n)]:  # namnet skrivs aldrig ut
        alla.remove(namn)
        if forbund is None or namn in forbund:
            fel = (
                "Förbundskatalogens namn ser ut som ett personnummer; byt namn på katalogen "
                "(namnet visas inte). Ingen rapport skapades."
            )
            misslyckade.append(Resultat(namn, "–", False, None, 0.0, None, fel))
    if forbund is not None:
        onskade = list(dict.fromkeys(forbund))
        for namn in onskade:
            if namn not in alla and not ar_personnummer(namn):
                fel = f"Förbundet {namn!r} finns inte (ingen {data / namn / 'forbund.yaml'})."
                misslyckade.append(Resultat(namn, "–", False, None, 0.0, None, fel))
        valda = [namn for namn in alla if namn in onskade]
    else:
        valda = alla
    filter_perioder = None
    if perioder is not None:
        filter_perioder = [Rapportperiod.tolka(p) for p in perioder]

    uppgifter: list[tuple[str, str]] = []
    for namn in valda:
        try:
            rapportperioder = _las_perioder(data / namn)
        except (OSError, ValueError, TypeError) as fel:
            misslyckade.append(Resultat(namn, "–", False, None, 0.0, None, str(fel)))
            continue
        for rp in rapportperioder:
            if filter_perioder is None or rp in filter_perioder:
                uppgifter.append((namn, rp.kod))
    return uppgifter, misslyckade


def _kor_uppgift(argument: dict[str, Any]) -> Resultat:
    """Körs i en arbetsprocess; fångar allt så att en rapport aldrig stoppar de andra.

    Avbryts arbetsprocessen (SIGTERM från batchen vid Ctrl-C) har rapportens städning redan
    körts när avbrottet når hit; processen avslutas då direkt.
    """
    try:
        return kor_rapport(**argument)
    except Exception as fel:
        return Resultat(
            argument["forbund"], str(argument["period"]), False, None, 0.0, None, repr(fel)
        )
    except BaseException:  # SystemExit från _avsluta_arbetare, KeyboardInterrupt
        from finsam_analys.korning import webblasare

        with contextlib.suppress(Exception):
            webblasare.stang_delad()  # os._exit kör inga avslutningsfunktioner
        sys.stderr.flush()
        os._exit(143)


def _kor_jamforelse_uppgift(argument: dict[str, Any]) -> Resultat:
    """Jämförelserapporten i en arbetsprocess; fångar allt."""
    try:
        return kor_jamforelse(**argument)
    except Exception as fel:
        return _misslyckad_jamforelse(fel)


def _misslyckad_jamforelse(fel: BaseException) -> Resultat:
    return Resultat(
        "alla förbund", "alla perioder", False, None, 0.0, None, repr(fel), "jamforelse"
    )


def _kor_med_gemensam_sekretess(
    pool: ProcessPoolExecutor,
    argument: dict[tuple[str, str], dict[str, Any]],
    resultat: list[Resultat],
    bar: Any,
) -> None:
    """Kör rapporterna; när ett förbunds alla är klara prövas de tillsammans och körs om vid
    behov (:func:`.sekretessprotokoll.omkorningar`). ``resultat`` fylls på (en omkörning
    ersätter rapportens första resultat)."""
    from finsam_analys.korning.sekretessprotokoll import omkorningar

    framtider: dict[Future[Resultat], tuple[str, str, bool]] = {
        pool.submit(_kor_uppgift, arg): (namn, kod, False) for (namn, kod), arg in argument.items()
    }
    kvar: dict[str, int] = defaultdict(int)
    klara: dict[str, list[str]] = defaultdict(list)
    for namn, _ in argument:
        kvar[namn] += 1
    while framtider:
        gjorda, _ = wait(framtider, return_when=FIRST_COMPLETED)
        for framtid in gjorda:
            namn, kod, omkorning = framtider.pop(framtid)
            try:
                r = framtid.result()
            except Exception as fel:  # t.ex. en arbetsprocess dog
                r = Resultat(namn, kod, False, None, 0.0, None, repr(fel))
            logg.info(r.rad())
            if omkorning:
                resultat[:] = [x for x in resultat if (x.forbund, x.period) != (namn, kod)]
                resultat.append(r)
                continue
            resultat.append(r)
            bar.update(1)
            kvar[namn] -= 1
            if r.lyckades:
                klara[namn].append(r.period)
            if kvar[namn] or len(klara[namn]) < 2:
                continue
            try:
                om = omkorningar(argument[(namn, kod)]["sekretess_katalog"], namn, klara[namn])
            except Exception as fel:  # ska inte hända; då visas inget som inte prövats
                resultat.append(Resultat(namn, "–", False, None, 0.0, None,
                                         f"Sekretessen över förbundets rapporter: {fel!r}"))
                continue  # fmt: skip
            for p, tvingade in om.items():
                logg.info("Sekretess: %s %s körs om med förbundets gemensamma beslut", namn, p)
                ny = {**argument[(namn, p)], "tvingade": tvingade}
                framtider[pool.submit(_kor_uppgift, ny)] = (namn, p, True)


def _mp_kontext() -> multiprocessing.context.BaseContext:
    """``forkserver`` (där den finns) annars ``spawn``; aldrig ``fork`` från en process med trådar.

    Forkservern förladdar papermill och nbconvert, så att varje arbetsprocess startar med dem
    redan importerade (forkservern själv kör inga rapporter och har inget rapporttillstånd).
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        kontext = multiprocessing.get_context("forkserver")
        kontext.set_forkserver_preload(["finsam_analys.korning.batch", "papermill", "nbconvert"])
        return kontext
    return multiprocessing.get_context("spawn")


def _starta_forkserver_utan_ctrl_c(kontext: multiprocessing.context.BaseContext) -> None:
    """Starta forkservern med Ctrl-C ignorerat (ärvs genom exec, och vidare till arbetarna).

    Forkservern importerar papermill och nbconvert i flera sekunder; ett Ctrl-C från
    terminalen under tiden skulle ge ett felspår där. Med SIGINT ignorerat när den startas
    (bara de millisekunder som fork och exec tar) får varken den eller arbetsprocesserna som
    den forkar någonsin Ctrl-C; huvudprocessen avbryter dem i stället (:func:`_avbryt_pool`).
    """
    import signal
    import threading

    if kontext.get_start_method() != "forkserver":
        return
    if threading.current_thread() is not threading.main_thread():
        return
    from multiprocessing import forkserver

    tidigare = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, tidigare)


def _barnprocesser(foralder: int) -> list[int]:
    """Pid för processer vars förälder är ``foralder`` (Linux: /proc)."""
    barn = []
    try:
        poster = os.listdir("/proc")
    except OSError:  # pragma: no cover - inte Linux
        return barn
    for post in poster:
        if not post.isdigit():
            continue
        try:
            with open(f"/proc/{post}/stat", "rb") as fil:
                falt = fil.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(falt) > 1 and int(falt[1]) == foralder:
            barn.append(int(post))
    return barn


def _stoppa_forkserver(*, vanta: float = 10.0) -> None:
    """Avsluta forkservern och allt den har forkat (arbetare som ännu inte hunnit starta).

    Används bara vid avbrott: annars avslutas forkservern när batchen avslutas.
    """
    import signal
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    if not pid:
        return
    barn = _barnprocesser(pid)
    for b in barn:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(b, signal.SIGTERM)
    slut = time.monotonic() + vanta
    while any(arbetskatalog.lever(b) for b in barn) and time.monotonic() < slut:
        time.sleep(0.05)
    for b in barn:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(b, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, 0)
    with contextlib.suppress(Exception):
        os.close(server._forkserver_alive_fd)
    server._forkserver_pid = None
    server._forkserver_alive_fd = None
    server._forkserver_address = None


def _avbryt_pool(pool: ProcessPoolExecutor, *, vanta: float = 20.0) -> None:
    """Avbryt en pool direkt: köade rapporter stryks, pågående avbryts med SIGTERM.

    Arbetsprocesserna städar (dödar sin kärna, tar bort arbetskatalog och uttag) och avslutas
    (:func:`_avsluta_arbetare`); den som inte har avslutats inom ``vanta`` sekunder dödas.
    """
    processer = list((getattr(pool, "_processes", None) or {}).values())
    for process in processer:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    slut = time.monotonic() + vanta
    for process in processer:
        process.join(max(0.0, slut - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(5)


def _periodordning(resultat: Resultat) -> tuple:
    from finsam_analys.perioder import Rapportperiod

    try:
        rp = Rapportperiod.tolka(resultat.period)
        return (resultat.forbund, rp.start, rp.slut)
    except (ValueError, TypeError):
        return (resultat.forbund, dt.date.min, dt.date.min)


def kor_batch(
    *,
    data_katalog: str | os.PathLike[str],
    utdata_katalog: str | os.PathLike[str],
    forbund: Iterable[str] | None = None,
    perioder: Iterable[str] | None = None,
    processer: int | None = None,
    skapad: str | dt.date | None = None,
    jamforelse: bool = True,
    tidsgrans_per_cell: int = TIDSGRANS_PER_CELL,
    forlopp: bool | None = None,
    notebook: str | os.PathLike[str] | None = None,
    varmstart: bool = True,
    pdf: bool | None = None,
    inrapportering_katalog: str | os.PathLike[str] | None = None,
) -> list[Resultat]:
    """Kör rapporterna för alla förbund × perioder (eller ett urval) i en processpool.

    Skriver därefter ``<utdata>/nyckeltal.csv``, jämförelserapporten (om ``jamforelse``) och
    ``<utdata>/index.html``. En loggrad per rapport (loggern ``finsam_analys.korning.batch``, nivå
    INFO); sammanfattningen på slutet gör anroparen med :func:`sammanfattning` (kommandoraden
    skriver ut den).

    Parameters
    ----------
    data_katalog, utdata_katalog : path
        Roten med förbundskataloger och roten för utdata.
    forbund, perioder : iterable of str, optional
        Urval; ``None`` = alla förbund och alla perioder i deras ``forbund.yaml``.
    processer : int, optional
        Antal arbetsprocesser; standard är antalet CPU:er, plus en med förvärmda kärnor (en
        arbetsprocess väntar mest på sin kärna, och den extra processen fyller ut väntan när
        kärnor startas och stängs).
    skapad : str or datetime.date, optional
        Datum i sidhuvudet; ``None`` = dagens datum (samma för alla rapporter i batchen).
    jamforelse : bool
        Kör även ``notebooks/jamforelse.ipynb`` på de insamlade nyckeltalen.
    forlopp : bool, optional
        Visa tqdm-förloppsindikator; ``None`` = bara när stderr är en terminal.
    notebook : path, optional
        Rapportnotebooken; standard ``notebooks/rapport.ipynb``.
    varmstart : bool
        Forka rapportkärnorna ur en förvärmd mall per arbetsprocess (:mod:`.varmstart`; bara
        Linux, annars vanliga kärnor). Varje rapport får ändå en egen, ny process.
    pdf : bool, optional
        Skriv ``rapport.pdf`` för varje rapport (se :func:`kor_rapport`).
    inrapportering_katalog : path, optional
        Skriv varje rapports ``uppfoljning_finsam.csv`` (omaskad) under denna katalog;
        ``None`` = skrivs inte.

    Notes
    -----
    Sekretessen samordnas per förbund (:mod:`.sekretessprotokoll`): när alla rapporter för ett
    förbund är klara prövas de tillsammans, och de som ska maska mer körs om med förbundets
    gemensamma beslut. Ett antal som är maskat i en rapport är då maskat i alla rapporter och
    i ``nyckeltal.csv`` och jämförelserapporten.

    Returns
    -------
    list[Resultat]
        Ett resultat per planerad rapport (och per förbund som inte kunde planeras), sorterade
        på förbund och period. Jämförelserapportens resultat ingår sist om den misslyckades.
    """
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    start = time.perf_counter()
    ut = Path(utdata_katalog)
    ut.mkdir(parents=True, exist_ok=True)
    arbetskatalog.stada_overgivna(ut)
    skapad_text = skapad_datum(skapad)
    uppgifter, resultat = planera_batch(data_katalog, forbund=forbund, perioder=perioder)
    for r in resultat:
        logg.info(r.rad())
    varm = varmstart and bool(uppgifter) and _varmstart_mojlig()
    standard = (os.cpu_count() or 1) + (1 if varm else 0)
    antal_processer = max(1, min(processer or standard, len(uppgifter) or 1))
    if forlopp is None:
        forlopp = sys.stderr.isatty()
    jr: Resultat | None = None
    # sekretessprotokollen (omaskade tal) i en egen katalog som tas bort efter batchen
    sekretess_katalog = tempfile.mkdtemp(prefix="finsam-sekretess-")
    if inrapportering_katalog is not None:
        inrapportering_katalog = str(Path(inrapportering_katalog).resolve())
    jamforelse_argument = {
        "utdata_katalog": str(ut.resolve()),
        "skapad": skapad_text,
        "tidsgrans_per_cell": tidsgrans_per_cell,
    }

    mall = None
    if varm:
        from finsam_analys.korning import varmstart as vs

        try:
            mall = vs.Karnmall()  # importerar medan arbetsprocesserna startar
        except OSError:
            mall = None
    try:
        with (
            logging_redirect_tqdm(loggers=[logg]),
            tqdm(
                total=len(uppgifter), desc="Rapporter", unit="rapport", disable=not forlopp
            ) as bar,
        ):
            if uppgifter:
                kontext = _mp_kontext()
                _starta_forkserver_utan_ctrl_c(kontext)
                with ProcessPoolExecutor(
                    max_workers=antal_processer,
                    mp_context=kontext,
                    initializer=_initiera_arbetare,
                    initargs=(mall.adress if mall is not None else None,),
                ) as pool:
                    try:
                        argument = {
                            (namn, kod): {
                                "forbund": namn,
                                "period": kod,
                                "data_katalog": str(Path(data_katalog).resolve()),
                                "utdata_katalog": str(ut.resolve()),
                                "skapad": skapad_text,
                                "tidsgrans_per_cell": tidsgrans_per_cell,
                                "notebook": None if notebook is None else str(notebook),
                                "sekretess_katalog": sekretess_katalog,
                                "inrapportering_katalog": inrapportering_katalog,
                                "pdf": skriv_pdf(pdf),
                            }
                            for namn, kod in uppgifter
                        }
                        _kor_med_gemensam_sekretess(pool, argument, resultat, bar)
                        utdata.skriv_nyckeltal_csv(ut)
                        if jamforelse:  # i en arbetsprocess: dess förvärmda kärna används
                            try:
                                jr = pool.submit(
                                    _kor_jamforelse_uppgift, jamforelse_argument
                                ).result()
                            except Exception as fel:  # t.ex. en arbetsprocess dog
                                jr = _misslyckad_jamforelse(fel)
                    except BaseException:  # Ctrl-C eller SIGTERM: avbryt, vänta inte klart
                        _avbryt_pool(pool)
                        _stoppa_forkserver()
                        raise

    finally:
        if mall is not None:
            mall.stang()
        shutil.rmtree(sekretess_katalog, ignore_errors=True)
        # arbetsprocesser som avbröts kan ha lämnat arbetskataloger (och en tom .finsam-tmp)
        arbetskatalog.stada_overgivna(ut)

    resultat.sort(key=_periodordning)
    if not uppgifter:  # ingen pool: nyckeltal.csv och jämförelsen i den här processen
        utdata.skriv_nyckeltal_csv(ut)
        if jamforelse:
            jr = _kor_jamforelse_uppgift(jamforelse_argument)
    extra = []
    if jr is not None:
        logg.info(jr.rad())
        if jr.lyckades:
            extra.append(("jamforelse/jamforelse.html", "Jämförelse mellan förbund och perioder"))
        else:
            resultat.append(jr)
    misslyckade = [
        (r.forbund, r.period, f"{r.cell}: {r.fel}" if r.cell else (r.fel or ""))
        for r in resultat
        if not r.lyckades
    ]
    index = utdata.skriv_index(ut, misslyckade=misslyckade, extra_lankar=extra)
    tid = f"{time.perf_counter() - start:.1f}".replace(".", ",")
    logg.info("Klart efter %s s; index: %s", tid, index.resolve())
    return resultat


def sammanfattning(resultat: Sequence[Resultat], *, sekunder: float | None = None) -> str:
    """Svensk sammanfattning av en batch: antal, och för varje misslyckande förbund, period,
    cell och fel.

    Examples
    --------
    >>> print(sammanfattning([
    ...     Resultat("vasteras", "2019", True, None, 3.0),
    ...     Resultat("avesta", "2015-07..2016-06", False, None, 1.0, None,
    ...              "Fel i data/avesta:\\n  avslut.csv: kolumnen 'antal' saknas"),
    ... ], sekunder=4.0))
    2 rapporter: 1 lyckades, 1 misslyckades (4,0 s).
    Misslyckade:
      avesta 2015-07..2016-06:
        Fel i data/avesta:
          avslut.csv: kolumnen 'antal' saknas
    """
    from finsam_analys.indata.vakt import visbart_namn

    lyckade = sum(r.lyckades for r in resultat)
    misslyckade = [r for r in resultat if not r.lyckades]
    tid = "" if sekunder is None else f" ({sekunder:.1f}".replace(".", ",") + " s)"
    ord_ = "rapport" if len(resultat) == 1 else "rapporter"
    rader = [f"{len(resultat)} {ord_}: {lyckade} lyckades, {len(misslyckade)} misslyckades{tid}."]
    if misslyckade:
        rader.append("Misslyckade:")
        for r in misslyckade:
            plats = f", {r.cell}" if r.cell else ""
            rader.append(f"  {visbart_namn(r.forbund)} {r.period}{plats}:")
            rader += [f"    {rad}" for rad in (r.fel or "okänt fel").rstrip().splitlines()]
    return "\n".join(rader)
