"""En rapport skrivs som en helhet: arbetskatalog, publicering och städning efter avbrott.

En rapports filer (``rapport.ipynb``, ``rapport.html``, ``nyckeltal.json``, ``tabeller.xlsx``,
``uppfoljning_finsam.csv``) skrivs först i en arbetskatalog under ``<utdata>/.finsam-tmp/``
och flyttas sedan på plats **tillsammans** (:func:`publicera`): katalogen
``<utdata>/<förbund>/<period>`` byts mot den nya i ett steg (Linux ``renameat2`` med
``RENAME_EXCHANGE``; annars två namnbyten direkt efter varandra). En läsare, ett index eller
en senare batch ser alltså antingen hela den gamla rapporten eller hela den nya, aldrig en
blandning, och en avbruten körning lämnar inget halvfärdigt bland rapporterna.

Tillfälliga kataloger (arbetskataloger, kärnornas uttag och anslutningsfiler, mallens uttag)
har processens pid i namnet. De tas bort när körningen slutar, även vid Ctrl-C och SIGTERM;
dödas processen med SIGKILL tas de bort av nästa körning (:func:`stada_overgivna`), när
processen som skapade dem inte längre finns.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

__all__ = [
    "ARBETE",
    "PREFIX_CHROMIUM",
    "PREFIX_KARNA",
    "PREFIX_MALL",
    "arbetskatalog",
    "lever",
    "publicera",
    "stada_overgivna",
    "ta_bort",
    "tempkatalog",
]

ARBETE = ".finsam-tmp"
"""Arbetskatalogen under utdataroten (dold: index och nyckeltal.csv läser den aldrig)."""
PREFIX_KARNA = "finsam-karna-"
PREFIX_MALL = "finsam-mall-"
PREFIX_CHROMIUM = "finsam-chromium-"  # webblasare.PREFIX_PROFIL
_MED_PID = re.compile(r"^(?:finsam-karna-|finsam-mall-|finsam-chromium-)?(\d+)-")


def tempkatalog(prefix: str) -> str:
    """En ny tillfällig katalog (i ``$TMPDIR``) med processens pid i namnet."""
    return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")


def arbetskatalog(utdata_katalog: str | os.PathLike[str]) -> Path:
    """En ny arbetskatalog ``<utdata>/.finsam-tmp/<pid>-<slump>`` (samma filsystem som målet)."""
    rot = Path(utdata_katalog) / ARBETE
    rot.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=rot, prefix=f"{os.getpid()}-"))


def _byt_plats(a: Path, b: Path) -> bool:
    """Byt namn på ``a`` och ``b`` i ett steg (Linux ``renameat2``); False om det inte går."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # pragma: no cover - annan plattform eller gammal glibc
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]  # fmt: skip
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def publicera(ny: Path, mal: Path) -> None:
    """Flytta katalogen ``ny`` till ``mal`` som en helhet; en tidigare ``mal`` tas bort.

    ``ny`` ska ligga på samma filsystem (en :func:`arbetskatalog` under samma utdatarot).

    Examples
    --------
    >>> import tempfile
    >>> rot = Path(tempfile.mkdtemp())
    >>> mal = rot / "f" / "2019"
    >>> mal.mkdir(parents=True)
    >>> _ = (mal / "rapport.html").write_text("gammal")
    >>> _ = (mal / "tabeller.xlsx").write_text("gammal")
    >>> ny = arbetskatalog(rot) / "2019"
    >>> ny.mkdir()
    >>> _ = (ny / "rapport.html").write_text("ny")
    >>> publicera(ny, mal)
    >>> sorted(p.name for p in mal.iterdir()), (mal / "rapport.html").read_text()
    (['rapport.html'], 'ny')
    """
    mal.parent.mkdir(parents=True, exist_ok=True)
    if not mal.exists():
        os.rename(ny, mal)
        return
    if _byt_plats(ny, mal):
        shutil.rmtree(ny, ignore_errors=True)  # ny innehåller nu den gamla rapporten
        return
    gammal = ny.with_name(ny.name + ".gammal")
    os.rename(mal, gammal)
    os.rename(ny, mal)
    shutil.rmtree(gammal, ignore_errors=True)


def ta_bort(mal: Path, *, utdata_katalog: str | os.PathLike[str]) -> None:
    """Ta bort en rapportkatalog i ett steg (först bort ur sikte, sedan raderad)."""
    if not mal.exists():
        return
    skrap = arbetskatalog(utdata_katalog)
    os.rename(mal, skrap / "bort")
    shutil.rmtree(skrap, ignore_errors=True)


def lever(pid: int) -> bool:
    """Sant om processen ``pid`` finns."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - en annan användares process
        return True
    return True


def _processer_som_anvander(profil: Path) -> list[int]:
    """Pid för processer vars kommandorad har ``--user-data-dir=<profil>`` (Linux: /proc)."""
    flagga = f"--user-data-dir={profil}".encode()
    pids = []
    with contextlib.suppress(OSError):
        for post in os.listdir("/proc"):
            if not post.isdigit():
                continue
            try:
                with open(f"/proc/{post}/cmdline", "rb") as fil:
                    if flagga in fil.read().split(b"\0"):
                        pids.append(int(post))
            except OSError:
                continue
    return pids


def _ta_bort_overgiven_profil(profil: Path, *, vanta: float = 10.0) -> None:
    """Ta bort en Chromium-profil vars ägare är död; en webbläsare som ännu skriver i den
    (ägaren dödades mitt i en utskrift) dödas först, annars återskapar den filer i profilen."""
    import signal
    import time

    for pid in _processer_som_anvander(profil):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # webbläsaren och dess barn (egen processgrupp)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    slut = time.monotonic() + vanta
    while _processer_som_anvander(profil) and time.monotonic() < slut:
        time.sleep(0.05)
    for _ in range(20):
        shutil.rmtree(profil, ignore_errors=True)
        if not profil.exists():
            return
        time.sleep(0.05)


def _stada(katalog: Path, prefix: tuple[str, ...]) -> None:
    with contextlib.suppress(OSError):
        for post in katalog.iterdir():
            if not post.name.startswith(prefix):
                continue
            traff = _MED_PID.match(post.name)
            if not traff or lever(int(traff.group(1))):
                continue
            if post.name.startswith(PREFIX_CHROMIUM):
                _ta_bort_overgiven_profil(post)
            else:
                shutil.rmtree(post, ignore_errors=True)


def stada_overgivna(utdata_katalog: str | os.PathLike[str] | None = None) -> None:
    """Ta bort tillfälliga kataloger som en dödad körning (SIGKILL) lämnade efter sig.

    Bara kataloger vars pid inte längre finns tas bort; pågående körningar rörs inte.
    """
    from finsam_analys.korning.webblasare import profilrot

    _stada(Path(tempfile.gettempdir()), (PREFIX_KARNA, PREFIX_MALL, PREFIX_CHROMIUM))
    if profilrot() != tempfile.gettempdir():
        _stada(Path(profilrot()), (PREFIX_CHROMIUM,))
    if utdata_katalog is not None:
        arbete = Path(utdata_katalog) / ARBETE
        _stada(arbete, tuple("0123456789"))
        with contextlib.suppress(OSError):
            arbete.rmdir()  # bara om den är tom
