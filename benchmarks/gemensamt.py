"""Det som alla benchmarks delar: mått med mål och PASS/FAIL, underprocesser, JSON-resultat.

Varje benchmark ger en lista med :class:`Matt`. Ett mått har ett värde, en enhet, ett mål (text
och en funktion som avgör om det nås) och detaljer (t.ex. baslinjens tid). Mått utan mål är
``INFO``. Maskinen är brusig (andra processer delar de två kärnorna), så målen är så långt det går
kvoter mot en baslinje som mäts i samma körning.

Minne mäts i en underprocess: processen skriver själv ut sitt toppminne
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) som sista rad i JSON. Då mäts varje storlek i en
egen process och ingenting från en tidigare mätning ligger kvar.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROT / "benchmarks"
RESULTATKATALOG = BENCHMARKS / "resultat"
VENV_BIN = Path(sys.executable).parent

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass
class Matt:
    """Ett mått: värde, enhet, mål och om målet nås (``None`` = inget mål, bara information)."""

    benchmark: str
    namn: str
    varde: float | None
    enhet: str
    mal: str = ""
    godkant: bool | None = None
    detaljer: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.godkant is None:
            return "INFO"
        return "PASS" if self.godkant else "FAIL"

    def rad(self) -> str:
        varde = "–" if self.varde is None else _tal(self.varde)
        mal = f"  (mål: {self.mal})" if self.mal else ""
        return f"{self.status:4}  {self.namn}: {varde} {self.enhet}{mal}"


def _tal(x: float) -> str:
    if x == 0 or abs(x) >= 100:
        text = f"{x:,.0f}".replace(",", " ")
    elif abs(x) >= 10:
        text = f"{x:.1f}"
    elif abs(x) >= 0.1:
        text = f"{x:.2f}"
    else:
        text = f"{x:.3g}"
    return text.replace(".", ",")


def skriv_ut(matt: Matt) -> Matt:
    """Skriv måttets rad (och returnera det)."""
    print(matt.rad(), flush=True)
    return matt


def rubrik(text: str) -> None:
    print(f"\n== {text} ==", flush=True)


def maskin() -> dict[str, Any]:
    """Maskinen och belastningen när mätningen gjordes (för tolkningen av talen)."""
    try:
        last = os.getloadavg()
    except OSError:  # pragma: no cover - saknas på vissa plattformar
        last = (float("nan"),) * 3
    return {
        "datum": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "plattform": platform.platform(),
        "cpu": os.cpu_count(),
        "belastning_1_5_15_min": [round(x, 2) for x in last],
    }


def spara_json(namn: str, matt: Sequence[Matt], *, extra: dict[str, Any] | None = None) -> Path:
    """Skriv måtten som ``benchmarks/resultat/<namn>.json`` (katalogen ignoreras av git)."""
    RESULTATKATALOG.mkdir(parents=True, exist_ok=True)
    fil = RESULTATKATALOG / f"{namn}.json"
    data = {
        "benchmark": namn,
        "maskin": maskin(),
        "matt": [{**asdict(m), "status": m.status} for m in matt],
        **(extra or {}),
    }
    fil.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
    return fil


def klocka(funktion: Callable[[], Any]) -> tuple[float, Any]:
    """Väggtid i sekunder för ett anrop, och dess returvärde."""
    start = time.perf_counter()
    varde = funktion()
    return time.perf_counter() - start, varde


def toppminne_bytes() -> int:
    """Den här processens toppminne (RSS) i byte (``ru_maxrss`` är KiB på Linux)."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(maxrss if sys.platform == "darwin" else maxrss * 1024)


def nollstall_toppminne() -> bool:
    """Nollställ processens toppminne (``VmHWM``) så att en senare mätning bara gäller det som
    händer efteråt (t.ex. beräkningen, inte genereringen av data). Bara Linux; ``False`` annars."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def toppminne_sedan_nollstallning() -> int | None:
    """Toppminnet (``VmHWM``, byte) sedan :func:`nollstall_toppminne`; ``None`` utan /proc."""
    try:
        for rad in Path("/proc/self/status").read_text().splitlines():
            if rad.startswith("VmHWM:"):
                return int(rad.split()[1]) * 1024
    except OSError:
        pass
    return None


def rapportera_fran_underprocess(data: dict[str, Any]) -> None:
    """Sista raden i en underprocess: JSON med resultatet och processens toppminne."""
    data = {**data, "toppminne_bytes": toppminne_bytes()}
    print("RESULTAT " + json.dumps(data, default=str), flush=True)


def kor_underprocess(
    argument: Sequence[str], *, tidsgrans: float | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Kör ``python -m benchmarks.<...>`` (eller annat) och läs JSON-raden ``RESULTAT {...}``.

    Returnerar dict med processens resultat samt ``vagg`` (sekunder, hela processen) och
    ``slutkod``; vid tidsgräns ``{"tidsgrans": True, ...}``.
    """
    start = time.perf_counter()
    miljo = {**os.environ, **(env or {})}
    try:
        klart = subprocess.run(
            [sys.executable, *argument],
            cwd=ROT,
            capture_output=True,
            text=True,
            timeout=tidsgrans,
            env=miljo,
        )
    except subprocess.TimeoutExpired:
        return {"tidsgrans": True, "vagg": time.perf_counter() - start, "slutkod": None}
    vagg = time.perf_counter() - start
    resultat: dict[str, Any] = {}
    for rad in klart.stdout.splitlines():
        if rad.startswith("RESULTAT "):
            resultat = json.loads(rad.removeprefix("RESULTAT "))
    if klart.returncode != 0 or not resultat:
        resultat["fel"] = (klart.stderr or klart.stdout)[-2000:]
    resultat.update(vagg=vagg, slutkod=klart.returncode, tidsgrans=False)
    return resultat
