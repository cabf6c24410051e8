"""Batch: 24 rapporter med ``finsam-analys batch``, mot batchen före rapportens tillväxt och mot
loopen en användare skulle skriva.

Underlaget är tolv syntetiska förbund (``finsam_analys.indata.syntetiskt``, 800 deltaganden
2023–2025, uttag 2025-08-31) med två perioder var, ``2024`` och ``2025-01..2025-08``: 24 rapporter.

* **Batch**: ``finsam-analys batch --data … --utdata …`` (en process per kärna, HTML-export,
  ``nyckeltal.csv``, jämförelserapport och ``index.html`` ingår i tiden). Körs två gånger: med
  allt den gör som standard (också ``rapport.pdf`` med Chromium), och med ``FINSAM_PDF=0``.
* **Baslinje 1, batchen i commit** :data:`BASLINJE_COMMIT` (issue 11): koden packas upp ur git
  (``git archive``) i en tillfällig katalog och körs med samma Python och samma paket
  (``PYTHONPATH`` pekar på den gamla koden; dess beroenden är en delmängd av dagens), på samma
  24 rapporter, i samma körning. Den gamla batchen gjorde HTML, ipynb, xlsx och json; dagens gör
  dessutom ``rapport.docx`` och ``rapport.pdf``. Jämförelsen som har ett mål är därför den med
  ``FINSAM_PDF=0`` (samma slags arbete plus Word); PDF:ens kostnad skrivs ut som INFO. Gammal och
  ny körs omväxlande (gammal, ny, ny, gammal; med ``--snabb`` en gång var) och kvoten är
  summan av de nya tiderna genom summan av de gamla, så att en förändrad belastning under
  körningen drabbar båda lika.
* **Baslinje 2, loopen**: för varje rapport, seriellt, ``papermill`` på kommandoraden och sedan
  ``jupyter nbconvert --to html --no-input``. Loopen tar ungefär 10 s per rapport, så den mäts på
  ett urval (standard 4 av de 24 rapporterna, jämnt fördelade) och räknas om per rapport. Urvalet
  körs med samma notebook och samma underlag som batchen. Strängparametrar skickas med ``-r``
  (``-p period 2024`` skulle bli ett heltal). Loopen gör ingen PDF, så den jämförs med batchen
  utan PDF.

Mål: batchen utan PDF högst 1,10 × batchen i :data:`BASLINJE_COMMIT` (issue 11), minst 5×
snabbare per rapport än loopen och högst 2 s vägg per rapport amorterat (issue 6). Dessutom mäts
HTML-rapporternas storlek (mål högst 1,5 MB, se :mod:`bench_utdata`).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gemensamt import ROT, VENV_BIN, Matt, rubrik, skriv_ut, spara_json

NAMN = "batch"
ANTAL_FORBUND = 12
PERIODER = ("2024", "2025-01..2025-08")
DELTAGANDEN = 800
URVAL_LOOP = 4
SKAPAD = "2026-01-01"

MAL_KVOT = 5.0
MAL_PER_RAPPORT = 2.0  # sekunder vägg, amorterat
MAL_HTML_BYTE = 1_500_000
MAL_MOT_BASLINJEN = 1.10  # batchen utan PDF mot batchen i BASLINJE_COMMIT, samma körning

BASLINJE_COMMIT = "fea3575"
"""Batchen före den här omgångens tillägg (tabellmodellen, sekretesskontrollen, Word, PDF,
Excel med talformat); uppmätt 0,97–1,03 s per rapport på samma slags maskin (issue 11)."""


def _cpu_barn() -> float:
    """CPU-sekunder (user + sys) för alla avslutade underprocesser och deras barn hittills.

    Kärnor och arbetsprocesser väntas in av sina föräldrar, så deras tid ingår. CPU-tiden
    påverkas mycket mindre än väggtiden av att andra processer delar maskinen.
    """
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _maskinens_cpu() -> float | None:
    """Upptagen CPU-tid (user, nice, system, irq, softirq, steal) för hela maskinen hittills,
    i sekunder ur ``/proc/stat`` (Linux), annars None.

    Batchens kärnor forkas ur den förvärmda mallen, som inte väntar in dem: deras CPU-tid når
    aldrig den här processen (:func:`_cpu_barn`). Maskinens räknare tar med allt, också andra
    processers arbete under körningen, så måttet är INFO och bara meningsfullt på en ledig
    maskin (belastningen står i resultatet).
    """
    try:
        with open("/proc/stat", encoding="ascii") as fil:
            falt = fil.readline().split()
        if falt[0] != "cpu":
            return None
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, falt[1:9])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def forbered(data: Path, *, antal_forbund: int = ANTAL_FORBUND, deltaganden: int = DELTAGANDEN):
    """Skriv ``antal_forbund`` syntetiska förbund under ``data``; returnerar (förbund, period)."""
    from finsam_analys.indata.syntetiskt import skriv_syntetiskt_forbund

    uppgifter = []
    for i in range(1, antal_forbund + 1):
        namn = f"forbund_{i:02d}"
        skriv_syntetiskt_forbund(
            data / namn,
            seed=1000 + i,
            antal_deltaganden=deltaganden,
            ar=(2023, 2024, 2025),
            uttagsdatum="2025-08-31",
            perioder=list(PERIODER),
            namn=f"Syntetiskt förbund {i}",
        )
        uppgifter += [(namn, p) for p in PERIODER]
    return uppgifter


def kor_batchen(
    data: Path,
    utdata: Path,
    *,
    processer: int | None = None,
    pdf: bool = True,
    baslinje: Path | None = None,
) -> dict[str, Any]:
    """``finsam-analys batch`` som en användare kör den; väggtid och slutkod.

    ``pdf=False`` kör med ``FINSAM_PDF=0``. ``baslinje`` är en katalog med en äldre version av
    koden (:func:`packa_upp_baslinjen`): den körs med samma Python (``python -m
    finsam_analys.cli``) och ``PYTHONPATH`` till den katalogen, som också kärnorna ärver.
    """
    miljo = dict(os.environ)
    if not pdf:
        miljo["FINSAM_PDF"] = "0"
    argument = ["batch", "--data", str(data), "--utdata", str(utdata), "--skapad", SKAPAD]
    if processer:
        argument += ["--processer", str(processer)]
    if baslinje is None:
        kommando, katalog = [str(VENV_BIN / "finsam-analys"), *argument], ROT
    else:
        miljo["PYTHONPATH"] = _baslinjens_sokvag(baslinje)
        kommando, katalog = [sys.executable, "-m", "finsam_analys.cli", *argument], baslinje
    cpu_fore = _maskinens_cpu()
    start = time.perf_counter()
    klart = subprocess.run(kommando, cwd=katalog, capture_output=True, text=True, env=miljo)
    sekunder = time.perf_counter() - start
    cpu_efter = _maskinens_cpu()
    return {
        "sekunder": sekunder,
        "cpu_sekunder": None if cpu_fore is None or cpu_efter is None else cpu_efter - cpu_fore,
        "slutkod": klart.returncode,
        "sammanfattning": klart.stdout[-1500:],
        "stderr": klart.stderr[-1500:] if klart.returncode else "",
        "html": len(html_storlekar(utdata)),
        "pdf": len(list(utdata.glob("*/*/rapport.pdf"))),
    }


_SITE = "_baslinjens_site"
_SITECUSTOMIZE = """\
# Baslinjen (benchmarks/bench_batch.py): den gamla koden körs med PYTHONPATH, och dagens
# redigerbara installation får inte fylla i moduler som saknas i den.
import sys

sys.meta_path[:] = [
    f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")
]
"""
_IMPORTPROV = """\
import importlib.util, finsam_analys, finsam_analys.cli
assert importlib.util.find_spec("finsam_analys.indata") is None, "blandad kod"
print(finsam_analys.__file__)
"""


def _baslinjens_sokvag(baslinje: Path) -> str:
    return os.pathsep.join([str(baslinje), str(baslinje / _SITE)])


def packa_upp_baslinjen(mal: Path, commit: str = BASLINJE_COMMIT) -> tuple[Path | None, str]:
    """Packa upp koden i ``commit`` under ``mal`` (``git archive``) och kontrollera att den går
    att köra med den här Pythonmiljön; returnerar (katalogen, "") eller (None, felet).

    Den gamla koden installeras inte: den körs med ``PYTHONPATH`` (som går före den
    redigerbara installationen av dagens kod). Det kräver att dess beroenden finns i miljön,
    vilket kontrolleras genom att importera dess batch. Den redigerbara installationens
    importerare tas bort ur processerna (``sitecustomize``, som också kärnorna läser): annars
    skulle en modul som bara finns i dagens kod (``finsam_analys.indata``) hämtas därifrån.
    """
    try:
        arkiv = subprocess.run(
            ["git", "-C", str(ROT), "archive", "--format=tar", commit],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as fel:
        text = getattr(fel, "stderr", b"") or str(fel).encode()
        return None, f"git archive {commit} misslyckades: {text.decode(errors='replace').strip()}"
    mal.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(arkiv)) as tar:
        tar.extractall(mal, filter="data")
    (mal / _SITE).mkdir()
    (mal / _SITE / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    prov = subprocess.run(
        [sys.executable, "-c", _IMPORTPROV],
        cwd=mal,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": _baslinjens_sokvag(mal)},
    )
    if prov.returncode or not prov.stdout.strip().startswith(str(mal)):
        return None, (
            f"koden i {commit} går inte att importera i den här miljön: "
            f"{(prov.stderr or prov.stdout).strip()[-500:]}"
        )
    return mal, ""


def kor_loopen(
    data: Path, utdata: Path, uppgifter: list[tuple[str, str]], notebook: Path | None = None
) -> dict[str, Any]:
    """Loopen en användare skulle skriva: papermill-CLI och nbconvert-CLI per rapport, seriellt."""
    notebook = notebook or ROT / "notebooks" / "rapport.ipynb"
    tider, fel = [], []
    cpu = _cpu_barn()
    for forbund, period in uppgifter:
        katalog = utdata / forbund / period
        katalog.mkdir(parents=True, exist_ok=True)
        kord = katalog / "rapport.ipynb"
        start = time.perf_counter()
        pm = subprocess.run(
            [
                str(VENV_BIN / "papermill"),
                str(notebook),
                str(kord),
                "-k",
                "python3",
                "--cwd",
                str(notebook.parent),
                "-r",
                "forbund",
                forbund,
                "-r",
                "period",
                period,
                "-r",
                "data_katalog",
                str(data),
                "-r",
                "utdata_katalog",
                str(utdata),
                "-r",
                "skapad",
                SKAPAD,
            ],
            capture_output=True,
            text=True,
        )
        nb = subprocess.run(
            [
                str(VENV_BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                str(kord),
            ],
            capture_output=True,
            text=True,
        )
        tider.append(time.perf_counter() - start)
        if pm.returncode or nb.returncode:
            fel.append(f"{forbund} {period}: {(pm.stderr or nb.stderr)[-800:]}")
    html = [utdata / f / p / "rapport.html" for f, p in uppgifter]
    return {
        "sekunder": sum(tider),
        "cpu_sekunder": _cpu_barn() - cpu,
        "per_rapport": tider,
        "fel": fel,
        "html_byte": [h.stat().st_size for h in html if h.exists()],
    }


def _urval(uppgifter: list[tuple[str, str]], antal: int) -> list[tuple[str, str]]:
    """``antal`` rapporter jämnt fördelade över listan (båda perioderna är med)."""
    if antal >= len(uppgifter):
        return list(uppgifter)
    steg = len(uppgifter) / antal
    return [uppgifter[int(i * steg + (i % 2))] for i in range(antal)]


def _cpu_matt(
    gamla: list[dict[str, Any]], nya: list[dict[str, Any]], antal: int, detaljer: dict[str, Any]
) -> list[Matt]:
    """INFO: maskinens CPU-tid per rapport för den gamla och den nya batchen (utan PDF), och
    kvoten. Förklarar väggtidskvoten: med två kärnor och två arbetsprocesser är batchen
    CPU-bunden, så väggtiden följer CPU-tiden per rapport."""
    if not gamla or not nya or any(b["cpu_sekunder"] is None for b in gamla + nya):
        return []
    gammal = sum(b["cpu_sekunder"] for b in gamla) / (len(gamla) * antal)
    ny = sum(b["cpu_sekunder"] for b in nya) / (len(nya) * antal)
    detaljer["gamla_cpu_sekunder"] = [b["cpu_sekunder"] for b in gamla]
    detaljer["utan_pdf_cpu_sekunder"] = [b["cpu_sekunder"] for b in nya]
    return [
        skriv_ut(Matt(NAMN, f"CPU per rapport, batchen i {BASLINJE_COMMIT} (hela maskinen)",
                      gammal, "s", "", None, detaljer)),  # fmt: skip
        skriv_ut(Matt(NAMN, "CPU per rapport, dagens batch utan PDF (hela maskinen)", ny, "s",
                      "", None, detaljer)),  # fmt: skip
        skriv_ut(Matt(NAMN, f"CPU utan PDF mot {BASLINJE_COMMIT}", ny / gammal,
                      "× CPU-tiden per rapport", "", None, detaljer)),  # fmt: skip
    ]


_DELAR_SKRIPT = """\
import json, sys, tempfile
from pathlib import Path
from benchmarks.profil_rapport import profilera
with tempfile.TemporaryDirectory() as ut:
    svar = profilera(data=Path(sys.argv[1]), forbund=sys.argv[2], period=sys.argv[3],
                     utdata=Path(ut), delar=True)
print(json.dumps({"celler": svar["totalt"], "delar": svar["delar"]}))
"""


def _rapportens_delar(data: Path, uppgift: tuple[str, str]) -> list[Matt]:
    """INFO: vad en av batchens rapporter kostar i kärnan (CPU-tid i rapportens celler och i
    de dyra stegen, :data:`benchmarks.profil_rapport.DELAR`), i en egen process."""
    import json

    forbund, period = uppgift
    klart = subprocess.run(
        [sys.executable, "-c", _DELAR_SKRIPT, str(data), forbund, period],
        cwd=ROT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROT)},
    )
    try:
        svar = json.loads(klart.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"      (rapportens delar kunde inte mätas: {klart.stderr[-300:]})", flush=True)
        return []
    rubrik(f"Batch: vad rapporten {forbund} {period} kostar i kärnan (CPU-tid)")
    matt = [skriv_ut(Matt(NAMN, "rapportens celler", svar["celler"], "s CPU"))]
    for namn, sekunder in svar["delar"].items():
        matt.append(skriv_ut(Matt(NAMN, f"  {namn.strip()}", sekunder, "s CPU")))
    return matt


def html_storlekar(utdata: Path) -> dict[str, int]:
    """Storleken i byte för varje rapport.html under ``utdata`` (förbund/period)."""
    return {
        str(f.parent.relative_to(utdata)): f.stat().st_size
        for f in sorted(utdata.glob("*/*/rapport.html"))
    }


def _lyckad(b: dict[str, Any], antal: int) -> bool:
    return b["slutkod"] == 0 and b["html"] == antal


def kor(
    *,
    antal_forbund: int = ANTAL_FORBUND,
    urval_loop: int = URVAL_LOOP,
    deltaganden: int = DELTAGANDEN,
    rot: Path | None = None,
    processer: int | None = None,
    upprepningar: int = 2,
) -> tuple[list[Matt], dict[str, int]]:
    """Kör batchbenchmarken; returnerar måtten och HTML-storlekarna från batchen utan PDF.

    ``upprepningar`` är antalet körningar var av den gamla batchen och den nya utan PDF
    (omväxlande: gammal, ny, ny, gammal, ...).
    """
    tmp = None
    if rot is None:
        tmp = tempfile.TemporaryDirectory(prefix="finsam-bench-batch-")
        rot = Path(tmp.name)
    try:
        data, ut_loop = rot / "data", rot / "ut_loop"
        rubrik(f"Batch: förbereder {antal_forbund} syntetiska förbund × {len(PERIODER)} perioder")
        uppgifter = forbered(data, antal_forbund=antal_forbund, deltaganden=deltaganden)
        antal = len(uppgifter)
        baslinje, baslinjefel = packa_upp_baslinjen(rot / "baslinje")
        if baslinje is None:
            print(f"      {baslinjefel}", flush=True)

        def kor_en(namn: str, ut: Path, **argument: Any) -> dict[str, Any]:
            b = kor_batchen(data, ut, processer=processer, **argument)
            per = b["sekunder"] / antal
            cpu = "" if b["cpu_sekunder"] is None else f" ({b['cpu_sekunder'] / antal:.2f} s CPU)"
            print(
                f"      {namn}: {b['sekunder']:.1f} s = {per:.2f} s per rapport{cpu}, slutkod "
                f"{b['slutkod']}, {b['html']} HTML, {b['pdf']} PDF".replace(".", ","),
                flush=True,
            )
            if not _lyckad(b, antal):
                print(b["sammanfattning"], b["stderr"], sep="\n", flush=True)
            return b

        # gammal, ny, ny, gammal, ...: en belastning som ändras under körningen drabbar båda
        rubrik(
            f"Batch: {antal} rapporter, omväxlande batchen i {BASLINJE_COMMIT} och dagens "
            "utan PDF (FINSAM_PDF=0)"
        )
        gamla: list[dict[str, Any]] = []
        nya: list[dict[str, Any]] = []
        for i in range(upprepningar):
            ordning = ("gammal", "ny") if i % 2 == 0 else ("ny", "gammal")
            for vem in ordning:
                if vem == "gammal" and baslinje is not None:
                    gamla.append(kor_en(f"{BASLINJE_COMMIT} ({i + 1})", rot / f"ut_gammal_{i}",
                                        baslinje=baslinje))  # fmt: skip
                elif vem == "ny":
                    nya.append(kor_en(f"dagens utan PDF ({i + 1})", rot / f"ut_utan_pdf_{i}",
                                      pdf=False))  # fmt: skip
        rubrik(f"Batch: finsam-analys batch, {antal} rapporter, allt som standard (med PDF)")
        med_pdf = kor_en("dagens med PDF", rot / "ut_med_pdf")
        storlekar = html_storlekar(rot / "ut_utan_pdf_0")

        urval = _urval(uppgifter, urval_loop)
        rubrik(f"Batch: baslinjen (papermill-CLI + nbconvert-CLI), urval {len(urval)} rapporter")
        loop = kor_loopen(data, ut_loop, urval)
        for (f, p), s in zip(urval, loop["per_rapport"], strict=True):
            print(f"      {f} {p}: {s:.1f} s", flush=True)
        for rad in loop["fel"]:
            print(f"      FEL {rad}", flush=True)

        ny_per = sum(b["sekunder"] for b in nya) / (len(nya) * antal)
        pdf_per = med_pdf["sekunder"] / antal
        loop_per = loop["sekunder"] / len(urval)
        lyckad_ny = all(_lyckad(b, antal) for b in nya)
        lyckad_loop = not loop["fel"]
        detaljer = {
            "rapporter": antal,
            "baslinje_commit": BASLINJE_COMMIT,
            "baslinje_fel": baslinjefel,
            "gamla_sekunder": [b["sekunder"] for b in gamla],
            "gamla_slutkod": [b["slutkod"] for b in gamla],
            "utan_pdf_sekunder": [b["sekunder"] for b in nya],
            "utan_pdf_slutkod": [b["slutkod"] for b in nya],
            "med_pdf_sekunder": med_pdf["sekunder"],
            "med_pdf_slutkod": med_pdf["slutkod"],
            "med_pdf_antal_pdf": med_pdf["pdf"],
            "loop_urval": [f"{f} {p}" for f, p in urval],
            "loop_sekunder": loop["sekunder"],
            "loop_per_rapport": loop["per_rapport"],
            "loop_fel": loop["fel"],
            "loop_cpu_sekunder": loop["cpu_sekunder"],
            "belastning_1_min": os.getloadavg()[0],
        }
        matt: list[Matt] = []
        if gamla:
            gammal_per = sum(b["sekunder"] for b in gamla) / (len(gamla) * antal)
            lyckad_gammal = all(_lyckad(b, antal) for b in gamla)
            # samma antal körningar av båda: kvoten av summorna = kvoten av medelvärdena
            kvot = ny_per / gammal_per
            matt += [
                skriv_ut(Matt(NAMN, f"batchen i {BASLINJE_COMMIT} per rapport (baslinje)",
                              gammal_per, "s", "", None, detaljer)),  # fmt: skip
                skriv_ut(
                    Matt(
                        NAMN,
                        f"batch utan PDF mot {BASLINJE_COMMIT} (samma körning)",
                        kvot,
                        "× tiden per rapport",
                        f"högst {MAL_MOT_BASLINJEN:.2f}× (och alla rapporter lyckas)".replace(
                            ".", ","
                        ),
                        lyckad_gammal and lyckad_ny and kvot <= MAL_MOT_BASLINJEN,
                        detaljer,
                    )
                ),
            ]
        else:
            matt.append(
                skriv_ut(
                    Matt(
                        NAMN,
                        f"batch utan PDF mot {BASLINJE_COMMIT} (samma körning)",
                        None,
                        "× tiden per rapport",
                        f"högst {MAL_MOT_BASLINJEN:.2f}× ({baslinjefel})".replace(".", ","),
                        False,
                        detaljer,
                    )
                )
            )
        matt += _cpu_matt(gamla, nya, antal, detaljer)
        matt += _rapportens_delar(data, uppgifter[0])
        # CPU-tid per rapport för loopen (seriella underprocesser som väntas in: kärnans tid
        # ingår). För batchen går det inte: arbetsprocesserna startas av forkserver-processen
        # och deras CPU-tid når aldrig den här processen.
        loop_cpu_per = loop["cpu_sekunder"] / len(urval)
        matt += [
            skriv_ut(
                Matt(
                    NAMN,
                    "batch per rapport, amorterat (utan PDF)",
                    ny_per,
                    "s",
                    f"högst {MAL_PER_RAPPORT:.0f} s (och alla rapporter lyckas)",
                    lyckad_ny and ny_per <= MAL_PER_RAPPORT,
                    detaljer,
                )
            ),
            skriv_ut(
                Matt(NAMN, "batch per rapport, allt som standard (med PDF)", pdf_per, "s", "",
                     None, detaljer)  # fmt: skip
            ),
            skriv_ut(
                Matt(NAMN, "PDF:en (Chromium) per rapport", pdf_per - ny_per, "s", "", None,
                     detaljer)  # fmt: skip
            ),
            skriv_ut(
                Matt(NAMN, "loopen per rapport (baslinje)", loop_per, "s", "", None, detaljer)
            ),
            skriv_ut(
                Matt(
                    NAMN,
                    "batch utan PDF mot loopen (tid per rapport)",
                    loop_per / ny_per,
                    "× snabbare",
                    f"minst {MAL_KVOT:.0f}×",
                    lyckad_ny and lyckad_loop and loop_per / ny_per >= MAL_KVOT,
                    detaljer,
                )
            ),
            skriv_ut(Matt(NAMN, "CPU per rapport, loopen", loop_cpu_per, "s")),
        ]
        loop_html = loop["html_byte"]
        if loop_html:
            storst = f"{max(loop_html):,}".replace(",", " ")
            print(
                f"      (nbconvert:s standard-HTML från loopen: största {storst} byte)", flush=True
            )
        return matt, storlekar
    finally:
        if tmp is not None:
            tmp.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forbund", type=int, default=ANTAL_FORBUND)
    parser.add_argument("--urval", type=int, default=URVAL_LOOP)
    parser.add_argument("--processer", type=int, default=None, help="standard: en per CPU")
    parser.add_argument(
        "--upprepningar", type=int, default=2, help="körningar var av gammal och ny batch"
    )
    args = parser.parse_args(argv)
    from benchmarks import bench_utdata

    matt, storlekar = kor(
        antal_forbund=args.forbund,
        urval_loop=args.urval,
        processer=args.processer,
        upprepningar=args.upprepningar,
    )
    matt += bench_utdata.matt_fran_storlekar(storlekar)
    spara_json(NAMN, matt)
    return 0 if all(m.godkant is not False for m in matt) else 1


if __name__ == "__main__":
    sys.exit(main())
