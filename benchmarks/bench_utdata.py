"""Utdata: HTML-rapportens storlek med figurer (mål högst 1,5 MB).

Storleken mäts på rapporterna som batchbenchmarken skapar (syntetiska förbund med deltagardata,
alltså alla sektioner och figurer som rapporten kan ha). Körd ensam skapar modulen rapporterna
för det inbäddade exempelförbundet med ``finsam-analys batch``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gemensamt import ROT, VENV_BIN, Matt, rubrik, skriv_ut, spara_json

NAMN = "utdata"
MAL_HTML_BYTE = 1_500_000  # 1,5 MB


def matt_fran_storlekar(storlekar: dict[str, int]) -> list[Matt]:
    """Mått för HTML-storlekarna (byte per rapport): den största mot målet, och medianen."""
    rubrik("Utdata: HTML-rapportens storlek")
    if not storlekar:
        return [skriv_ut(Matt(NAMN, "HTML-rapport", None, "MB", "högst 1,5 MB", False))]
    storst = max(storlekar, key=storlekar.get)
    detaljer = {"storlekar_byte": storlekar, "storsta": storst}
    return [
        skriv_ut(
            Matt(
                NAMN,
                f"största HTML-rapport ({storst})",
                storlekar[storst] / 1e6,
                "MB",
                "högst 1,5 MB",
                storlekar[storst] <= MAL_HTML_BYTE,
                detaljer,
            )
        ),
        skriv_ut(
            Matt(
                NAMN,
                f"median av {len(storlekar)} HTML-rapporter",
                statistics.median(storlekar.values()) / 1e6,
                "MB",
            )
        ),
    ]


def kor(*, data: Path | None = None, forbund: str = "exempelforbund") -> list[Matt]:
    """Skapa rapporterna för ett förbund med ``finsam-analys batch`` och mät dem."""
    data = data or ROT / "data"
    with tempfile.TemporaryDirectory(prefix="finsam-bench-utdata-") as tmp:
        ut = Path(tmp)
        subprocess.run(
            [
                str(VENV_BIN / "finsam-analys"),
                "batch",
                "--data",
                str(data),
                "--utdata",
                str(ut),
                "--forbund",
                forbund,
            ],
            cwd=ROT,
            capture_output=True,
            check=False,
        )
        storlekar = {
            str(f.parent.relative_to(ut)): f.stat().st_size
            for f in sorted(ut.glob("*/*/rapport.html"))
        }
    return matt_fran_storlekar(storlekar)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forbund", default="exempelforbund")
    args = parser.parse_args(argv)
    matt = kor(forbund=args.forbund)
    spara_json(NAMN, matt)
    return 0 if all(m.godkant is not False for m in matt) else 1


if __name__ == "__main__":
    sys.exit(main())
