"""Fientliga och trasiga indata: ett batteri mot validera, granska, rapport och batch.

Varje fall är en kopia av en inbäddad förbundskatalog med ett fel (eller ett fientligt
kommandoradsargument, eller ett avbrott). För varje fall prövas:

* slutkoden och ett svenskt meddelande (och inga engelska felmeddelanden från Python eller
  biblioteken),
* inget felspår (``Traceback``),
* **inget personnummer någonstans**: varken i stdout, stderr eller i någon utdatafil, inte heller
  inuti tabeller.xlsx (alla XML-delar) eller inuti inbäddade bilder (base64 i HTML och i
  notebooken),
* att indatafilerna är oförändrade (byte för byte).

Grupper: personnummer, aktivt innehåll (HTML, kalkylblad), sökvägar och filer, resurser
(i en underprocess med en minnesgräns på 1 GB; inga tidskrav), avbrott (Ctrl-C, SIGTERM,
SIGKILL) och meddelanden och regler.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from finsam_analys.cli import main

ROT = Path(__file__).resolve().parent.parent
DATA = ROT / "data"
PYTHON = sys.executable

PERSONNUMMER = "19121212-1212"  # Skatteverkets testnummer (giltig kontrollsiffra)
SAMORDNINGSNUMMER = "701063-2391"
_TIO_SIFFROR = ("1212121212", "7010632391")
MINNESGRANS = 1 << 30  # 1 GB virtuellt minne för resursfallen

# Engelska fel från Python och biblioteken som inte får synas för användaren.
_ENGELSKA = re.compile(
    r"Traceback|\b[A-Z][A-Za-z]*(?:Error|Exception)\b|\bcodec\b|can't|\bcannot\b|could not|"
    r"\binvalid\b|\bexpected\b|\bunexpected\b|\bwhile (?:parsing|scanning)\b|No such file|"
    r"Permission denied|not allowed|\bfound\b"
)


# ------------------------------------------------------------------ hjälpare


_NUMREN = re.compile(
    r"(?<![0-9])(?:19|20)?(?:"
    + "|".join(f"{tio[:6]}[-+]?{tio[6:]}" for tio in _TIO_SIFFROR)
    + r")(?![0-9])"
)


def _har_personnummer(text: str) -> bool:
    """Sant om något av testernas nummer står i texten (10 eller 12 siffror, med eller utan
    - eller +), som ett eget tal (inte som en del av en längre sifferföljd)."""
    return bool(_NUMREN.search(text))


def _texter_i_fil(fil: Path) -> list[str]:
    """All text i en utdatafil: även XML-delarna i xlsx och base64-bilder i HTML/ipynb."""
    data = fil.read_bytes()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(fil) as arkiv:
            return [arkiv.read(n).decode("utf-8", "replace") for n in arkiv.namelist()]
    text = data.decode("utf-8", "replace")
    texter = [text]
    for kodad in re.findall(r"base64,([A-Za-z0-9+/=\\n]+)", text):
        try:
            texter.append(base64.b64decode(kodad.replace("\\n", "")).decode("utf-8", "replace"))
        except ValueError:
            continue
    if fil.suffix == ".ipynb":
        nb = json.loads(text)
        for cell in nb.get("cells", []):
            for ut in cell.get("outputs", []):
                for mime, innehall in ut.get("data", {}).items():
                    if mime.startswith("image/") and mime != "image/svg+xml":
                        texter.append(
                            base64.b64decode("".join(innehall)).decode("latin-1", "replace")
                        )
    return texter


def _personnummer_i_utdata(katalog: Path | None) -> list[str]:
    if katalog is None or not katalog.exists():
        return []
    hittade = []
    for fil in sorted(katalog.rglob("*")):
        if _har_personnummer(str(fil.relative_to(katalog))):
            hittade.append(f"{fil} (namnet)")
        if fil.is_file() and any(_har_personnummer(t) for t in _texter_i_fil(fil)):
            hittade.append(str(fil))
    return hittade


def _fingeravtryck(katalog: Path) -> dict[str, str]:
    ut = {}
    for p in sorted(katalog.rglob("*")):
        info = p.lstat()
        if stat.S_ISLNK(info.st_mode):
            ut[str(p.relative_to(katalog))] = "->" + os.readlink(p)
        elif stat.S_ISREG(info.st_mode):
            ut[str(p.relative_to(katalog))] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            ut[str(p.relative_to(katalog))] = stat.filemode(info.st_mode)
    return ut


def _kopia(tmp_path: Path, forbund: str = "sodra_dalarna", namn: str | None = None) -> Path:
    """En kopia av ett inbäddat förbund i ``tmp_path/data/<namn>`` (id ändras till namnet)."""
    namn = namn or forbund
    katalog = tmp_path / "data" / namn
    shutil.copytree(DATA / forbund, katalog)
    if namn != forbund:
        konfig = katalog / "forbund.yaml"
        konfig.write_text(
            konfig.read_text(encoding="utf-8").replace(f"id: {forbund}", f"id: {namn}"),
            encoding="utf-8",
        )
    return katalog


def _ersatt(katalog: Path, fil: str, gammal: str, ny: str, *, antal: int = -1) -> None:
    sokvag = katalog / fil
    text = sokvag.read_text(encoding="utf-8")
    assert gammal in text, (fil, gammal)
    sokvag.write_text(text.replace(gammal, ny, antal), encoding="utf-8")


def _lagg_till(katalog: Path, fil: str, text: str) -> None:
    with open(katalog / fil, "a", encoding="utf-8") as ut:
        ut.write(text)


@dataclass
class Kord:
    slutkod: int
    ut: str
    fel: str


def _kor(argv: list[str], capsys) -> Kord:
    try:
        slutkod = main(argv)
    except SystemExit as avslut:  # argparse
        slutkod = avslut.code
    ut, fel = capsys.readouterr()
    return Kord(slutkod, ut, fel)


def _begransa_minne() -> None:  # körs i underprocessen före exec
    resource.setrlimit(resource.RLIMIT_AS, (MINNESGRANS, MINNESGRANS))


def _kor_process(argv: list[str], *, minne: bool = False, env: dict | None = None) -> Kord:
    """Kommandoraden i en egen process (tidsgränsen är bara ett skydd mot att testet hänger)."""
    resultat = subprocess.run(
        [PYTHON, "-m", "finsam_analys.cli", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=600,
        preexec_fn=_begransa_minne if minne else None,
        env={**os.environ, **(env or {})},
        cwd=ROT,
    )
    return Kord(resultat.returncode, resultat.stdout, resultat.stderr)


def _kontrollera(
    kord: Kord,
    *,
    slutkod: int,
    meddelanden: tuple[str, ...] = (),
    data: Path | None = None,
    fore: dict[str, str] | None = None,
    utdata: Path | None = None,
) -> None:
    text = kord.ut + kord.fel
    assert kord.slutkod == slutkod, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    for meddelande in meddelanden:
        assert meddelande in text, f"saknar {meddelande!r} i:\n{text[-3000:]}"
    engelska = _ENGELSKA.findall(text)
    assert not engelska, f"engelska i meddelandet: {engelska}\n{text[-3000:]}"
    assert not _har_personnummer(text), text[-3000:]
    assert _personnummer_i_utdata(utdata) == []
    if data is not None and fore is not None:
        assert _fingeravtryck(data) == fore, "indata ändrades"


# ------------------------------------------------------------------ fallen (i processen)


@dataclass(frozen=True)
class Fall:
    namn: str
    forbund: str
    defekt: Callable[[Path], None]
    slutkod: int
    meddelanden: tuple[str, ...]
    kommando: str = "validera"  # validera | granska | rapport
    extra: tuple[str, ...] = ()  # extra argument (rapport)


def _pn_pastaende(k: Path) -> None:
    _ersatt(k, "granskning_pastaenden.csv", "Arbetslöshet ...", f"Arbetslöshet {PERSONNUMMER}")


def _pn_pastaenderubrik(k: Path) -> None:
    _ersatt(k, "granskning_pastaenden.csv", ";kommentar", f";{PERSONNUMMER}", antal=1)


def _pn_trasig_yaml(k: Path) -> None:
    _lagg_till(k, "forbund.yaml", f"\nanteckning: [{PERSONNUMMER}\n")


def _pn_giltig_yaml(k: Path) -> None:
    _ersatt(k, "forbund.yaml", "beskrivning: >-", f"beskrivning: >-\n  Kontakt {PERSONNUMMER}.")


def _xlsx(k: Path, blad: dict[str, list[list]], fil: str = "avslut.xlsx") -> None:
    from openpyxl import Workbook

    bok = Workbook()
    bok.remove(bok.active)
    for namn, rader in blad.items():
        ark = bok.create_sheet(namn)
        for rad in rader:
            ark.append(rad)
    bok.save(k / fil)


def _avslut_som_rader(k: Path) -> list[list]:
    return [r.split(";") for r in (k / "avslut.csv").read_text(encoding="utf-8").splitlines()]


def _pn_andra_bladet(k: Path) -> None:
    rader = _avslut_som_rader(k)
    _xlsx(k, {"Avslut": rader, "Anteckningar": [["id"], [PERSONNUMMER]]})
    (k / "avslut.csv").unlink()


def _pn_bladnamn(k: Path) -> None:
    rader = _avslut_som_rader(k)
    _xlsx(k, {"Avslut": rader, "191212121212": [["x"]]})
    (k / "avslut.csv").unlink()


def _xlsx_med(k: Path, andring: Callable[..., None]) -> None:
    """avslut.csv som avslut.xlsx, med en ändring i arbetsboken (utanför cellernas värden)."""
    from openpyxl import Workbook

    bok = Workbook()
    ark = bok.active
    for rad in _avslut_som_rader(k):
        ark.append(rad)
    andring(bok, ark)
    bok.save(k / "avslut.xlsx")
    (k / "avslut.csv").unlink()


def _pn_kommentar(k: Path) -> None:
    from openpyxl.comments import Comment

    def andring(bok, ark):
        ark["A2"].comment = Comment(f"Gäller {PERSONNUMMER}", "Handläggare")

    _xlsx_med(k, andring)


def _pn_forfattare(k: Path) -> None:
    _xlsx_med(k, lambda bok, ark: setattr(bok.properties, "creator", PERSONNUMMER))


def _pn_sidhuvud(k: Path) -> None:
    _xlsx_med(k, lambda bok, ark: setattr(ark.oddHeader.center, "text", f"Utdrag {PERSONNUMMER}"))


def _pn_excel_heltal(k: Path) -> None:
    rader = _avslut_som_rader(k)
    rader[1][-1] = 191212121212  # kommentar som tal (Excel tappar bindestrecket)
    _xlsx(k, {"Avslut": rader})
    (k / "avslut.csv").unlink()


def _pn_deltagare_id(k: Path) -> None:
    _ersatt(k, "deltagare.csv", "D0000333", PERSONNUMMER.replace("-", ""))


def _pn_samordningsnummer(k: Path) -> None:
    _ersatt(k, "avslut.csv", "Antal i arbete", f"Antal i arbete ({SAMORDNINGSNUMMER})")


def _pn_rubrik(k: Path) -> None:
    _ersatt(k, "avslut.csv", ";kommentar", f";{PERSONNUMMER}", antal=1)


def _pn_titelrad(k: Path) -> None:
    text = (k / "avslut.csv").read_text(encoding="utf-8")
    (k / "avslut.csv").write_text(f"Avslut för {PERSONNUMMER}\n\n{text}", encoding="utf-8")


def _pn_filnamn(k: Path) -> None:
    shutil.copy(k / "avslut.csv", k / f"{PERSONNUMMER}.csv")


def _ingen(k: Path) -> None:
    pass


def _filer(k: Path, rad: str) -> None:
    _lagg_till(k, "forbund.yaml", f"\nfiler:\n  avslut: {rad}\n")


def _filer_relativ_ut(k: Path) -> None:
    _filer(k, "../../../../../../../../etc/passwd")


def _filer_absolut(k: Path) -> None:
    _filer(k, "/etc/passwd")


def _filer_underkatalog(k: Path) -> None:
    (k / "underlag").mkdir()
    shutil.move(k / "avslut.csv", k / "underlag" / "avslut_2016.csv")
    _filer(k, "underlag/avslut_2016.csv")


def _symlank_ut(k: Path) -> None:
    (k / "avslut.csv").unlink()
    (k / "avslut.csv").symlink_to("/etc/passwd")


def _symlank_trasig(k: Path) -> None:
    (k / "avslut.csv").unlink()
    (k / "avslut.csv").symlink_to(k / "finns_inte.csv")


def _symlank_inom(k: Path) -> None:
    (k / "arkiv").mkdir()
    shutil.move(k / "avslut.csv", k / "arkiv" / "avslut.csv")
    (k / "avslut.csv").symlink_to(Path("arkiv") / "avslut.csv")


def _pastaenden_symlank_ut(k: Path) -> None:
    (k / "granskning_pastaenden.csv").unlink()
    (k / "granskning_pastaenden.csv").symlink_to("/etc/passwd")


def _xls(k: Path) -> None:
    (k / "deltagarantal.csv").rename(k / "deltagarantal.xls")


def _ods(k: Path) -> None:
    (k / "deltagarantal.csv").rename(k / "deltagarantal.ods")


def _katalog_som_tabell(k: Path) -> None:
    (k / "deltagarantal.csv").unlink()
    (k / "deltagarantal.csv").mkdir()


def _utf16(kodning: str) -> Callable[[Path], None]:
    def defekt(k: Path) -> None:
        text = (k / "avslut.csv").read_text(encoding="utf-8")
        (k / "avslut.csv").write_bytes(text.encode(kodning))

    return defekt


def _ansi_rubrik(k: Path) -> None:
    _ersatt(k, "avslut.csv", ";antal;", ";an\x1b[31mtal\x1b[0m;", antal=1)


def _styrtecken_varde(k: Path) -> None:
    _ersatt(k, "avslut.csv", ";Studier;", ";Stud\x08ier\u202e;", antal=1)


def _bom_ogiltig_yaml(k: Path) -> None:
    data = (k / "forbund.yaml").read_bytes()
    (k / "forbund.yaml").write_bytes(b"\xef\xbb\xbf" + data + b"\n# \xff\xfe\n")


def _bom_ogiltig_csv(k: Path) -> None:
    data = (k / "avslut.csv").read_bytes()
    (k / "avslut.csv").write_bytes(b"\xef\xbb\xbf" + data.replace(b"Studier", b"Stud\xffier"))


def _oandligt_tal(k: Path) -> None:
    _ersatt(k, "avslut.csv", "Fullföljd;5;", "Fullföljd;1e999;", antal=1)


def _inf(k: Path) -> None:
    _ersatt(k, "avslut.csv", "Fullföljd;5;", "Fullföljd;inf;", antal=1)


def _oavslutat_citattecken(k: Path) -> None:
    _ersatt(k, "avslut.csv", ";Antal i arbete", ';"Antal i arbete', antal=1)


def _cp1252_yaml(k: Path) -> None:
    text = (k / "forbund.yaml").read_text(encoding="utf-8")
    (k / "forbund.yaml").write_bytes(text.encode("cp1252"))


def _tom_rubrikrad(k: Path) -> None:
    rader = (k / "avslut.csv").read_text(encoding="utf-8").splitlines()
    rader[0] = ";" * rader[0].count(";")
    (k / "avslut.csv").write_text("\n".join(rader) + "\n", encoding="utf-8")


def _troskel(varde: str) -> Callable[[Path], None]:
    def defekt(k: Path) -> None:
        _ersatt(k, "forbund.yaml", "troskel: 5, namnare_troskel: 10, intern: false", varde)

    return defekt


def _yaml_tabb(k: Path) -> None:
    _lagg_till(k, "forbund.yaml", "\nkategorier:\n\tutfall: {}\n")


def _yaml_tagg(k: Path) -> None:
    _lagg_till(k, "forbund.yaml", '\nanteckning: !!python/object/apply:os.system ["echo hackad"]\n')


def _yaml_oavslutad_lista(k: Path) -> None:
    _ersatt(k, "forbund.yaml", 'perioder: ["2015-07..2016-06"]', 'perioder: ["2015-07..2016-06"')


def _tom_fil(k: Path) -> None:
    (k / "avslut.csv").write_bytes(b"")


def _binar_fil(k: Path) -> None:
    (k / "avslut.csv").write_bytes(bytes(range(256)) * 40)


def _pastaende(uttryck: str = "5", decimaler: str = "0") -> Callable[[Path], None]:
    def defekt(k: Path) -> None:
        _lagg_till(
            k,
            "granskning_pastaenden.csv",
            f"Test;ökade med 5 %;förändring;5;{decimaler};{uttryck};\n",
        )

    return defekt


def _uttag(datum: str) -> Callable[[Path], None]:
    def defekt(k: Path) -> None:
        sidor = '    sidor: "avsnitt 1, 3 och 9"'
        _ersatt(k, "forbund.yaml", sidor, f"{sidor}\n    uttagsdatum: '{datum}'")

    return defekt


def _dubbel_nyckel(k: Path) -> None:
    _lagg_till(k, "forbund.yaml", "\nsekretess: {troskel: 0, intern: true}\n")


def _md(tillagg: str, fil: str = "text/2019/inledning.md") -> Callable[[Path], None]:
    def defekt(k: Path) -> None:
        _lagg_till(k, fil, "\n\n" + tillagg + "\n")

    return defekt


# Ett personnummer som inte står som ett nummer i filen men syns som ett i rapporten: delat av
# Markdown, skrivet med en entitet eller ett escapetecken, med andra siffror, osynliga tecken
# eller ett annat streck (HTML, Word och notebooken visade det förut).
_HELBREDD = {ord(str(i)): 0xFF10 + i for i in range(10)}
_ARABISKA = {ord(str(i)): 0x0660 + i for i in range(10)}
FORKLADDA = {
    "emfas": "Kontakt 191212**12-1212**",
    "entitet": "Kontakt 19121212&#45;1212",
    "escapetecken": "Kontakt 19121212\\-1212",
    "kodspann": "Kontakt `19121212`-1212",
    "tom_tagg": "Kontakt 191212<b></b>121212",
    "nollbredd": "Kontakt 19121212\u200b-1212",
    "mjukt_bindestreck": "Kontakt 191212\u00ad121212",
    "tankstreck": "Kontakt 19121212\u20131212",
    "minustecken": "Kontakt 19121212\u22121212",
    "helbreddssiffror": "Kontakt " + "19121212-1212".translate(_HELBREDD),
    "arabiska_siffror": "Kontakt " + "191212121212".translate(_ARABISKA),
}


def _datum(ny: str) -> Callable[[Path], None]:
    return lambda k: _ersatt(k, "deltagare.csv", ";2023-01-02;2023-03-07;", ny)


def _rapportspec_ut(k: Path) -> None:
    (k / "rapport.yaml").unlink()
    (k / "rapport.yaml").symlink_to("/etc/passwd")


def _rapportspec_fifo(k: Path) -> None:
    (k / "rapport.yaml").unlink()
    os.mkfifo(k / "rapport.yaml")


def _text_gles(k: Path) -> None:
    with open(k / "text/2019/inledning.md", "r+b") as fil:
        fil.truncate(3 << 30)  # 3 GB (gles: tar ingen plats)


def _rapportspec_tillagg(text: str) -> Callable[[Path], None]:
    return lambda k: _lagg_till(k, "rapport.yaml", text)


def _forkladd_etikett(tecken: str) -> Callable[[Path], None]:
    return lambda k: _ersatt(k, "avslut.csv", "Antal i arbete", f"Antal i arbete ({tecken})")


def _mall(andring: Callable[[dict[str, bytes]], None] | None = None, data: bytes | None = None):
    """En mall.docx i förbundets katalog: python-docx standard med sidhuvud och sidfot, med
    en ändring i paketets delar (delnamn -> innehåll), eller bara ``data``."""

    def defekt(k: Path) -> None:
        if data is not None:
            (k / "mall.docx").write_bytes(data)
            return
        import io

        import docx

        mall = docx.Document()
        mall.sections[0].header.paragraphs[0].text = "Förbundets sidhuvud"
        mall.sections[0].footer.paragraphs[0].text = "Förbundets sidfot"
        buffert = io.BytesIO()
        mall.save(buffert)
        with zipfile.ZipFile(buffert) as arkiv:
            delar = {n: arkiv.read(n) for n in arkiv.namelist()}
        if andring is not None:
            andring(delar)
        with zipfile.ZipFile(k / "mall.docx", "w", zipfile.ZIP_DEFLATED) as arkiv:
            for namn, innehall in delar.items():
                arkiv.writestr(namn, innehall)

    return defekt


def _i_del(delnamn: str, gammal: str, ny: str) -> Callable[[dict[str, bytes]], None]:
    def andring(delar: dict[str, bytes]) -> None:
        text = delar[delnamn].decode("utf-8")
        assert gammal in text, (delnamn, gammal)
        delar[delnamn] = text.replace(gammal, ny, 1).encode("utf-8")

    return andring


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
    '"http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
)
_TYP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _mall_extern_mall(delar: dict[str, bytes]) -> None:
    """Mallen kopplad till en mall på nätet: Word hämtar den när rapport.docx öppnas."""
    delar["word/_rels/settings.xml.rels"] = _RELS.format(
        f'<Relationship Id="rId99" Type="{_TYP}attachedTemplate" '
        'Target="http://127.0.0.1:9/mall.dotm" TargetMode="External"/>'
    ).encode()
    _i_del("word/settings.xml", "<w:zoom", '<w:attachedTemplate r:id="rId99"/><w:zoom')(delar)


def _mall_lank_i_sidhuvud(delar: dict[str, bytes]) -> None:
    delar["word/_rels/header1.xml.rels"] = _RELS.format(
        f'<Relationship Id="rId77" Type="{_TYP}hyperlink" Target="http://127.0.0.1:9/" '
        'TargetMode="External"/>'
    ).encode()
    _i_del("word/header1.xml", "<w:r><w:t>Förbundets sidhuvud</w:t></w:r>",
           '<w:hyperlink r:id="rId77"><w:r><w:t>Förbundets sidhuvud</w:t></w:r></w:hyperlink>',
           )(delar)  # fmt: skip


def _mall_falt(instruktion: str) -> Callable[[dict[str, bytes]], None]:
    return _i_del(
        "word/footer1.xml",
        "<w:r><w:t>Förbundets sidfot</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        f"{instruktion[:4]}</w:instrText></w:r><w:r><w:instrText>{instruktion[4:]}</w:instrText>"
        '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )


def _mall_makro(delar: dict[str, bytes]) -> None:
    delar["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"makro" * 100
    typ = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    _i_del("word/_rels/document.xml.rels", "</Relationships>",
           f'<Relationship Id="rId88" Type="{typ}" Target="vbaProject.bin"/></Relationships>',
           )(delar)  # fmt: skip


def _mall_logotyp(delar: dict[str, bytes]) -> None:
    """En logotyp (PNG) i mallen med ett personnummer i en textdel (tEXt) i bildens metadata."""
    import struct
    import zlib

    def del_(typ: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + typ + data + struct.pack(">I", zlib.crc32(typ + data))

    png = (b"\x89PNG\r\n\x1a\n" + del_(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
           + del_(b"tEXt", b"Comment\x00Foto " + PERSONNUMMER.encode())
           + del_(b"IDAT", zlib.compress(b"\x00\x00")) + del_(b"IEND", b""))  # fmt: skip
    delar["word/media/logotyp.png"] = png


def _mall_entitet(delar: dict[str, bytes]) -> None:
    """En extern entitet i sidhuvudet: blev förut en olöst entitet (ogiltig XML) i rapport.docx."""
    delar["word/header1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:hdr>"
    )


def _mall_zipbomb() -> bytes:
    import io

    buffert = io.BytesIO()
    with zipfile.ZipFile(buffert, "w", zipfile.ZIP_DEFLATED) as arkiv:
        arkiv.writestr("[Content_Types].xml", "<Types/>")
        arkiv.writestr("word/document.xml", b"0" * (300 << 20))
    return buffert.getvalue()


FALL = [
    # --- personnummer
    Fall(
        "pn_i_pastaende",
        "vasteras",
        _pn_pastaende,
        2,
        ("granskning_pastaenden.csv", "personnummer"),
    ),
    Fall("pn_i_pastaende_granska", "vasteras", _pn_pastaende, 2, ("personnummer",), "granska"),
    Fall("pn_som_pastaenderubrik", "vasteras", _pn_pastaenderubrik, 2, ("personnummer",)),
    Fall(
        "pn_som_pastaenderubrik_granska",
        "vasteras",
        _pn_pastaenderubrik,
        2,
        ("personnummer",),
        "granska",
    ),
    Fall("pn_i_trasig_yaml", "sodra_dalarna", _pn_trasig_yaml, 2, ("forbund.yaml", "personnummer")),
    Fall("pn_i_giltig_yaml", "sodra_dalarna", _pn_giltig_yaml, 2, ("personnummer",)),
    Fall(
        "pn_pa_andra_bladet",
        "sodra_dalarna",
        _pn_andra_bladet,
        2,
        ("bladet Anteckningar", "personnummer"),
    ),
    Fall("pn_som_bladnamn", "sodra_dalarna", _pn_bladnamn, 2, ("personnummer",)),
    Fall("pn_i_kommentar_i_arbetsbok", "sodra_dalarna", _pn_kommentar, 2,
         ("avslut.xlsx", "en kommentar", "personnummer")),
    Fall("pn_som_forfattare_i_arbetsbok", "sodra_dalarna", _pn_forfattare, 2,
         ("avslut.xlsx", "egenskaper", "personnummer")),
    Fall("pn_i_sidhuvud_i_arbetsbok", "sodra_dalarna", _pn_sidhuvud, 2,
         ("avslut.xlsx", "sidhuvud", "personnummer")),  # fmt: skip
    Fall(
        "pn_som_excel_heltal", "sodra_dalarna", _pn_excel_heltal, 2, ("avslut.xlsx", "personnummer")
    ),
    Fall(
        "pn_som_deltagar_id",
        "exempelforbund",
        _pn_deltagare_id,
        2,
        ("deltagare.csv", "personnummer"),
    ),
    Fall(
        "samordningsnummer_i_kommentar",
        "sodra_dalarna",
        _pn_samordningsnummer,
        2,
        ("samordningsnummer",),
    ),
    Fall(
        "pn_som_kolumnrubrik", "sodra_dalarna", _pn_rubrik, 2, ("avslut.csv, rad 1", "personnummer")
    ),
    Fall("pn_i_titelrad", "sodra_dalarna", _pn_titelrad, 2, ("avslut.csv, rad 1", "personnummer")),
    Fall("pn_som_filnamn", "sodra_dalarna", _pn_filnamn, 2, ("personnummer",)),
    Fall(
        "pn_som_period", "sodra_dalarna", _ingen, 1, ("FEL",), "rapport", ("--period", PERSONNUMMER)
    ),
    Fall(
        "pn_som_jamforelseperiod",
        "sodra_dalarna",
        _ingen,
        1,
        ("FEL",),
        "rapport",
        ("--period", "2015-07..2016-06", "--jamforelseperiod", PERSONNUMMER),
    ),
    *[
        Fall(
            f"pn_forklatt_i_lopptext_{namn}",
            "vasteras",
            _md(text),
            2,
            ("text/2019/inledning.md", "personnummer"),
        )
        for namn, text in FORKLADDA.items()
    ],  # fmt: skip
    Fall(
        "pn_forklatt_i_etikett_nollbredd",
        "sodra_dalarna",
        _forkladd_etikett("19121212\u200b-1212"),
        2,
        ("avslut.csv", "personnummer"),
    ),
    Fall(
        "pn_forklatt_i_etikett_helbredd",
        "sodra_dalarna",
        _forkladd_etikett("\uff11\uff12\uff11\uff12\uff11\uff12+\uff11\uff12\uff11\uff12"),
        2,
        ("avslut.csv", "personnummer"),
    ),  # fmt: skip
    Fall(
        "pn_forklatt_i_yaml_tankstreck",
        "sodra_dalarna",
        lambda k: _lagg_till(k, "forbund.yaml", "\n# 19121212\u20131212\n"),
        2,
        ("forbund.yaml", "personnummer"),
    ),  # fmt: skip
    # --- mall.docx (sidhuvud, sidfot, inställningar och egenskaper följer med i rapport.docx)
    Fall("mall_pn_i_sidhuvud", "exempelforbund",
         _mall(_i_del("word/header1.xml", "Förbundets sidhuvud", f"Kontakt {PERSONNUMMER}")),
         2, ("mall.docx", "personnummer")),
    Fall("mall_pn_delat_pa_tva_textbitar", "exempelforbund",
         _mall(_i_del("word/footer1.xml", "<w:t>Förbundets sidfot</w:t>",
                      "<w:t>191212</w:t></w:r><w:r><w:t>12-1212</w:t>")),
         2, ("mall.docx", "personnummer")),
    Fall("mall_pn_i_egenskaper", "exempelforbund",
         _mall(_i_del("docProps/core.xml", "</cp:coreProperties>",
                      f"<cp:category>{PERSONNUMMER}</cp:category></cp:coreProperties>")),
         2, ("mall.docx", "personnummer")),
    Fall("mall_extern_mall", "exempelforbund", _mall(_mall_extern_mall), 2,
         ("mall.docx", "utanför dokumentet")),
    Fall("mall_lank_i_sidhuvud", "exempelforbund", _mall(_mall_lank_i_sidhuvud), 2,
         ("mall.docx", "utanför dokumentet")),
    Fall("mall_falt_includepicture", "exempelforbund",
         _mall(_mall_falt(' INCLUDEPICTURE "http://127.0.0.1:9/x.png" \\d ')), 2,
         ("mall.docx", "INCLUDEPICTURE")),
    Fall("mall_falt_ddeauto", "exempelforbund",
         _mall(_mall_falt(' DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc" ')), 2,
         ("mall.docx", "DDEAUTO")),
    Fall("mall_falt_sidnummer_tillats", "exempelforbund",
         _mall(_mall_falt(' PAGE \\* MERGEFORMAT ')), 0, ("Inga problem hittades.",)),
    Fall("mall_makro", "exempelforbund", _mall(_mall_makro), 2, ("mall.docx", "makron")),
    Fall("mall_inte_zip", "exempelforbund", _mall(data=b"inte en zip" * 50), 2,
         ("mall.docx", "inget Word-dokument")),
    Fall("mall_zipbomb", "exempelforbund", _mall(data=_mall_zipbomb()), 2,
         ("mall.docx", "för stor uppackad")),
    Fall("mall_giltig", "exempelforbund", _mall(), 0, ("Inga problem hittades.",)),
    Fall("mall_saknad_del", "exempelforbund", _mall(lambda d: d.pop("word/header1.xml")), 2,
         ("mall.docx", "går inte att öppna")),
    Fall("mall_trasig_xml", "exempelforbund",
         _mall(lambda d: d.update({"word/styles.xml": b"<inte xml"})), 2,
         ("mall.docx", "går inte att öppna")),
    Fall("mall_extern_entitet", "exempelforbund", _mall(_mall_entitet), 2,
         ("mall.docx", "DOCTYPE")),  # fmt: skip
    Fall("mall_pn_i_bildens_metadata", "exempelforbund", _mall(_mall_logotyp), 2,
         ("mall.docx", "bild", "personnummer")),  # fmt: skip
    # --- tryckta tabeller: en etikett med styrtecken (vertikal tabb, ESC) fick openpyxl att
    # vägra hela tabeller.xlsx (IllegalCharacterError, ingen rapport)
    Fall("styrtecken_i_tryckt_etikett", "vasteras",
         lambda k: _ersatt(k, "publicerat/sot_2021_indikatorer.csv", "Återbetalning samhällsnytta",
                           "Återbetalning\x0b samhälls\x1b[31mnytta"),
         0, ("OK",), "rapport", ("--period", "2021-01..2021-08")),  # fmt: skip
    # --- datum som inte kan vara rätt (gav förut en rapport med en deltagare inskriven år 1)
    Fall("datum_ar_0001", "exempelforbund",
         _datum(";0001-01-01;2023-03-07;"),
         2, ('deltagare.csv, rad 2, kolumn "inskrivningsdatum"', "orimligt datum", "0001-01-01")),
    Fall("datum_negativt_ar", "exempelforbund", _datum(";2023-01-02;-2019-01-01;"), 2,
         ('kolumn "avslutsdatum"', "orimligt datum", "avslut före inskrivning")),
    Fall("datum_ar_9999", "exempelforbund",
         _datum(";2023-01-02;9999-12-31;"),
         2, ('kolumn "avslutsdatum"', "orimligt datum")),  # fmt: skip
    # --- rapport.yaml och texterna
    Fall("rapportspec_symlank_ut", "vasteras", _rapportspec_ut, 2, ("rapport.yaml", "utanför")),
    Fall(
        "rapportspec_fifo", "vasteras", _rapportspec_fifo, 2, ("rapport.yaml", "ingen vanlig fil")
    ),
    Fall("text_gles_3_gb", "vasteras", _text_gles, 2, ("inledning.md", "för stor")),
    Fall(
        "rapportspec_engelskt_yamlfel",
        "vasteras",
        _rapportspec_tillagg("\nx: y: z\n"),
        2,
        ("rapport.yaml, rad", "felaktig YAML: ett kolon"),
    ),  # fmt: skip
    Fall(
        "rapportspec_pythontagg",
        "vasteras",
        _rapportspec_tillagg("\n'x': !!python/object/apply:os.system ['echo hackad']\n"),
        2,
        ("rapport.yaml, rad", "YAML-tagg"),
    ),  # fmt: skip
    # --- sökvägar och filer
    Fall(
        "filer_relativ_sokvag_ut",
        "sodra_dalarna",
        _filer_relativ_ut,
        2,
        ("utanför förbundets katalog",),
    ),
    Fall(
        "filer_absolut_sokvag", "sodra_dalarna", _filer_absolut, 2, ("utanför förbundets katalog",)
    ),
    Fall(
        "filer_underkatalog_tillats",
        "sodra_dalarna",
        _filer_underkatalog,
        0,
        ("Inga problem hittades.",),
    ),
    Fall("symlank_ut_ur_katalogen", "sodra_dalarna", _symlank_ut, 2, ("symbolisk länk", "utanför")),
    Fall("symlank_trasig", "sodra_dalarna", _symlank_trasig, 2, ("symbolisk länk",)),
    Fall(
        "symlank_inom_katalogen_tillats",
        "sodra_dalarna",
        _symlank_inom,
        0,
        ("Inga problem hittades.",),
    ),
    Fall(
        "pastaenden_symlank_ut",
        "vasteras",
        _pastaenden_symlank_ut,
        2,
        ("granskning_pastaenden.csv", "utanför"),
    ),
    Fall("xls_rapporteras", "sodra_dalarna", _xls, 2, ("deltagarantal.xls", "stöds inte")),
    Fall("ods_rapporteras", "sodra_dalarna", _ods, 2, ("deltagarantal.ods", "stöds inte")),
    Fall(
        "katalog_som_tabell",
        "sodra_dalarna",
        _katalog_som_tabell,
        2,
        ("deltagarantal.csv", "katalog"),
    ),
    Fall("utf16_le_utan_bom", "sodra_dalarna", _utf16("utf-16-le"), 0, ("Inga problem hittades.",)),
    Fall("utf16_be_utan_bom", "sodra_dalarna", _utf16("utf-16-be"), 0, ("Inga problem hittades.",)),
    # --- meddelanden och regler
    Fall("ansi_i_rubrik", "sodra_dalarna", _ansi_rubrik, 2, ("an\\x1b[31mtal",)),
    Fall("styrtecken_i_varde", "sodra_dalarna", _styrtecken_varde, 2, ("Stud\\x08ier\\u202e",)),
    Fall(
        "bom_med_ogiltig_utf8_yaml",
        "sodra_dalarna",
        _bom_ogiltig_yaml,
        2,
        ("forbund.yaml", "UTF-8"),
    ),
    Fall("bom_med_ogiltig_utf8_csv", "sodra_dalarna", _bom_ogiltig_csv, 2, ("avslut.csv", "UTF-8")),
    Fall(
        "oandligt_tal",
        "sodra_dalarna",
        _oandligt_tal,
        2,
        ('avslut.csv, rad 2, kolumn "antal"', "rimlig storlek"),
    ),
    Fall("inf_som_tal", "sodra_dalarna", _inf, 2, ('avslut.csv, rad 2, kolumn "antal"',)),
    Fall("oavslutat_citattecken", "sodra_dalarna", _oavslutat_citattecken, 2, ("avslut.csv",)),
    Fall("cp1252_yaml", "sodra_dalarna", _cp1252_yaml, 0, ("Inga problem hittades.",)),
    Fall(
        "tom_rubrikrad",
        "sodra_dalarna",
        _tom_rubrikrad,
        2,
        ("har 1 problem", "hittar ingen rubrikrad"),
    ),
    Fall(
        "troskel_0_utan_intern",
        "sodra_dalarna",
        _troskel("troskel: 0"),
        2,
        ('"sekretess.troskel" är 0', "intern: true"),
    ),
    Fall("troskel_2_utan_intern", "sodra_dalarna", _troskel("troskel: 2"), 2, ("intern: true",)),
    Fall(
        "troskel_0_med_intern",
        "sodra_dalarna",
        _troskel("troskel: 0, intern: true"),
        0,
        ("Inga problem hittades.",),
    ),
    Fall("yaml_med_tabb", "sodra_dalarna", _yaml_tabb, 2, ("forbund.yaml, rad", "tabbtecken")),
    Fall("yaml_med_pythontagg", "sodra_dalarna", _yaml_tagg, 2, ("forbund.yaml, rad", "YAML-tagg")),
    Fall(
        "yaml_oavslutad_lista",
        "sodra_dalarna",
        _yaml_oavslutad_lista,
        2,
        ("forbund.yaml, rad", "felaktig YAML"),
    ),
    Fall(
        "yaml_dubbel_nyckel",
        "sodra_dalarna",
        _dubbel_nyckel,
        2,
        ("forbund.yaml, rad", 'nyckeln "sekretess" står två gånger'),
    ),
    Fall(
        "uttagsdatum_som_inte_ar_ett_datum",
        "sodra_dalarna",
        _uttag("i höstas"),
        2,
        ('"kallor[1].uttagsdatum" ska vara ett datum',),
    ),
    Fall(
        "rapport_exempelforbundet_efter_uttag",
        "exempelforbund",
        _ingen,
        1,
        ("efter underlagets uttagsdatum 2025-08-31", "står inte bland förbundets perioder"),
        "rapport",
        ("--period", "2025"),
    ),
    Fall("tom_tabellfil", "sodra_dalarna", _tom_fil, 2, ("avslut.csv", "tom")),
    Fall("binar_tabellfil", "sodra_dalarna", _binar_fil, 2, ("avslut.csv",)),
    Fall(
        "pastaende_delar_med_noll", "vasteras", _pastaende("1/0"), 2, ("delar med noll",), "granska"
    ),
    Fall(
        "pastaende_decimaler_text", "vasteras", _pastaende("5", "två"), 2, ("decimaler",), "granska"
    ),
    Fall(
        "pastaende_for_langt_uttryck",
        "vasteras",
        _pastaende("(" * 400 + "1" + ")" * 400),
        2,
        ("för långt",),
        "granska",
    ),
    Fall(
        "rapport_troskel_under_3",
        "sodra_dalarna",
        _ingen,
        1,
        ("Sekretessgränsen 1 är för låg",),
        "rapport",
        ("--period", "2015-07..2016-06", "--sekretess-troskel", "1"),
    ),
    Fall(
        "rapport_period_utanfor_perioder",
        "sodra_dalarna",
        _ingen,
        1,
        ("står inte bland förbundets perioder",),
        "rapport",
        ("--period", "2016-07..2017-06"),
    ),
    Fall(
        "rapport_period_efter_uttag",
        "sodra_dalarna",
        _uttag("2016-03-31"),
        1,
        ("efter underlagets uttagsdatum 2016-03-31",),
        "rapport",
        ("--period", "2015-07..2016-06"),
    ),
    Fall(
        "rapport_trasig_konfig_fore_karnan",
        "sodra_dalarna",
        _troskel("troskel: 0"),
        1,
        ("intern: true",),
        "rapport",
        ("--period", "2015-07..2016-06"),
    ),
]


@pytest.mark.parametrize("fall", FALL, ids=[f.namn for f in FALL])
def test_fientlig_indata(fall: Fall, tmp_path, capsys):
    katalog = _kopia(tmp_path, fall.forbund)
    fall.defekt(katalog)
    fore = _fingeravtryck(katalog)
    utdata = tmp_path / "ut"
    if fall.kommando == "rapport":
        argv = ["rapport", "--forbund", katalog.name, "--data", str(katalog.parent),
                "--utdata", str(utdata), *fall.extra]  # fmt: skip
    else:
        argv = [fall.kommando, str(katalog)]
    kord = _kor(argv, capsys)
    _kontrollera(
        kord,
        slutkod=fall.slutkod,
        meddelanden=fall.meddelanden,
        data=katalog,
        fore=fore,
        utdata=utdata,
    )
    if fall.kommando == "rapport" and fall.slutkod != 0:  # vägrad före kärnan: inga utdata
        assert not [p for p in utdata.rglob("*") if p.is_file()]


def test_batteriet_har_minst_60_fall():
    """Fallen i tabellerna (utan de fristående testerna för avbrott och batch) räcker."""
    assert len(FALL) + len(RESURSFALL) + len(AKTIVT_INNEHALL) >= 60


# ------------------------------------------------------------------ personnummer: fler vägar


def test_pn_katalognamn_validera(tmp_path, capsys):
    katalog = _kopia(tmp_path, "sodra_dalarna", "191212121212")
    fore = _fingeravtryck(katalog)
    kord = _kor(["validera", str(katalog)], capsys)
    _kontrollera(kord, slutkod=2, meddelanden=("katalog", "personnummer"), data=katalog, fore=fore)


def test_pn_katalognamn_rapport_skapar_ingen_katalog(tmp_path, capsys):
    katalog = _kopia(tmp_path, "sodra_dalarna", "191212121212")
    fore = _fingeravtryck(katalog)
    ut = tmp_path / "ut"
    kord = _kor(
        ["rapport", "--forbund", katalog.name, "--period", "2015-07..2016-06",
         "--data", str(katalog.parent), "--utdata", str(ut)],
        capsys,
    )  # fmt: skip
    _kontrollera(kord, slutkod=1, meddelanden=("personnummer",), data=katalog, fore=fore, utdata=ut)
    assert not (ut / katalog.name).exists()


def test_pn_okant_forbund_som_argument(tmp_path, capsys):
    kord = _kor(
        ["rapport", "--forbund", PERSONNUMMER, "--period", "2019",
         "--data", str(tmp_path), "--utdata", str(tmp_path / "ut")],
        capsys,
    )  # fmt: skip
    _kontrollera(kord, slutkod=1, meddelanden=("FEL",), utdata=tmp_path / "ut")
    assert not (tmp_path / "ut" / PERSONNUMMER).exists()


def test_pn_i_sokvag_till_granska(tmp_path, capsys):
    kord = _kor(["granska", str(tmp_path / PERSONNUMMER)], capsys)
    _kontrollera(kord, slutkod=2, meddelanden=("finns inte",))


def test_pn_i_trasig_yaml_batch_index_och_stdout(tmp_path, capsys):
    """Batchen läser konfigurationen som validera: inget YAML-utdrag med numret någonstans."""
    katalog = _kopia(tmp_path, "sodra_dalarna")
    _pn_trasig_yaml(katalog)
    fore = _fingeravtryck(katalog)
    ut = tmp_path / "ut"
    kord = _kor(["batch", "--data", str(katalog.parent), "--utdata", str(ut)], capsys)
    _kontrollera(kord, slutkod=1, meddelanden=("personnummer",), data=katalog, fore=fore, utdata=ut)
    assert "personnummer" in (ut / "index.html").read_text(encoding="utf-8")


def test_pn_katalognamn_batch(tmp_path, capsys):
    katalog = _kopia(tmp_path, "sodra_dalarna", "191212121212")
    fore = _fingeravtryck(katalog)
    ut = tmp_path / "ut"
    kord = _kor(["batch", "--data", str(katalog.parent), "--utdata", str(ut)], capsys)
    _kontrollera(kord, slutkod=1, meddelanden=("personnummer",), data=katalog, fore=fore, utdata=ut)
    assert not (ut / katalog.name).exists()


def test_cp1252_yaml_planeras_i_batchen(tmp_path):
    """Samma läsning i batchen som i validera: cp1252 fungerar i båda."""
    from finsam_analys.korning.batch import planera_batch

    katalog = _kopia(tmp_path, "sodra_dalarna")
    _cp1252_yaml(katalog)
    uppgifter, fel = planera_batch(katalog.parent)
    assert (uppgifter, fel) == ([("sodra_dalarna", "2015-07..2016-06")], [])


def test_behorighet_saknas(tmp_path, capsys, monkeypatch):
    """En fil som inte får läsas (testet körs ofta som root, så felet simuleras)."""
    katalog = _kopia(tmp_path, "sodra_dalarna")
    fore = _fingeravtryck(katalog)
    verklig = os.open

    def nekad(sokvag, flaggor, *args, **kwargs):
        if str(sokvag).endswith("avslut.csv"):
            raise PermissionError(13, "Permission denied", str(sokvag))
        return verklig(sokvag, flaggor, *args, **kwargs)

    monkeypatch.setattr(os, "open", nekad)
    kord = _kor(["validera", str(katalog)], capsys)
    _kontrollera(kord, slutkod=2, meddelanden=("avslut.csv", "behörighet saknas"), data=katalog,
                 fore=fore)  # fmt: skip


# ------------------------------------------------------------------ i en egen process


def _fifo(k: Path) -> None:
    (k / "avslut.csv").unlink()
    os.mkfifo(k / "avslut.csv")


def test_fifo_som_tabell_vantar_inte(tmp_path):
    katalog = _kopia(tmp_path, "sodra_dalarna")
    _fifo(katalog)
    fore = _fingeravtryck(katalog)
    kord = _kor_process(["validera", str(katalog)])
    _kontrollera(kord, slutkod=2, meddelanden=("avslut.csv", "ingen vanlig fil"), data=katalog,
                 fore=fore)  # fmt: skip


def _lang_rad(k: Path) -> None:
    (k / "avslut.csv").write_text("period;insats;utfall;antal\n" + "x;" * 5_000_000)


def _alias_bomb(k: Path) -> None:
    """ "Billion laughs": 9^9 referenser till samma lista, i en nyckel som läses (insatser)."""
    rader = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rader += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    _ersatt(k, "forbund.yaml", "insatser: [Samverkansteam Avesta]",
            "\n".join(rader) + "\ninsatser: *a8")  # fmt: skip


def _lang_cell(k: Path) -> None:
    rader = (k / "avslut.csv").read_text(encoding="utf-8").splitlines()
    rader[2] += "x" * 1_000_000
    (k / "avslut.csv").write_text("\n".join(rader) + "\n", encoding="utf-8")


def _manga_kolumner(k: Path) -> None:
    (k / "avslut.csv").write_text("period;insats;utfall;antal" + ";" * 20_000 + "\n")


def _manga_celler(k: Path) -> None:
    rad = "2019;" + ";" * 13_000 + "\n"
    with open(k / "avslut.csv", "w", encoding="utf-8") as ut:
        ut.write("period;insats;utfall;antal\n")
        for _ in range(5_000):
            ut.write(rad)


def _djup_yaml(k: Path) -> None:
    _lagg_till(k, "forbund.yaml", "\nlan: " + "[" * 200_000 + "\n")


def _stor_yaml(k: Path) -> None:
    _lagg_till(k, "forbund.yaml", "\n" + "# utfyllnad\n" * 200_000)


def _gles_xlsx(k: Path) -> None:
    from openpyxl import Workbook

    bok = Workbook()
    ark = bok.active
    for rad in _avslut_som_rader(k):
        ark.append(rad)
    ark.cell(row=1_048_576, column=16_384, value="x")
    bok.save(k / "avslut.xlsx")
    (k / "avslut.csv").unlink()


RESURSFALL = [
    ("en_rad_pa_10_mb", _lang_rad, ("avslut.csv", "rad är 10 000 000 byte")),
    ("yaml_alias_bomb", _alias_bomb, ("forbund.yaml", "ankare och alias")),
    ("cell_pa_en_miljon_tecken", _lang_cell, ("avslut.csv, rad 3", "tecken")),
    ("tjugotusen_kolumner", _manga_kolumner, ("avslut.csv", "kolumner")),
    ("65_miljoner_celler", _manga_celler, ("avslut.csv", "celler")),
    ("djupt_nastlad_yaml", _djup_yaml, ("forbund.yaml",)),
    ("yaml_over_en_mb", _stor_yaml, ("forbund.yaml", "för stor")),
    ("gles_xlsx_med_cell_i_xfd1048576", _gles_xlsx, ("avslut.xlsx", "celler")),
]


@pytest.mark.parametrize("fall", RESURSFALL, ids=[f[0] for f in RESURSFALL])
def test_resurser_med_minnesgrans(fall, tmp_path):
    """Varje fientlig fil slutar med ett svenskt meddelande inom 1 GB minne (ingen tidsgräns
    prövas; processen får bara inte hänga)."""
    _, defekt, meddelanden = fall
    katalog = _kopia(tmp_path, "sodra_dalarna")
    defekt(katalog)
    fore = _fingeravtryck(katalog)
    kord = _kor_process(["validera", str(katalog)], minne=True)
    _kontrollera(kord, slutkod=2, meddelanden=meddelanden, data=katalog, fore=fore)


# ------------------------------------------------------------------ aktivt innehåll

AKTIVT_INNEHALL = {
    # katalog: (vad som ersätts, med vad)
    "script_i_kommun": ("Söderby", "<script>alert(1)</script>"),
    "img_onerror_i_insats": ("Samordningsteam", '"><img src=x onerror=alert(2)>'),
    "markdownbild_i_kommun": ("Norrby", "![x](http://127.0.0.1:9/x.png)"),
    "javascriptlank_i_inriktning": ("Individuellt stöd", "[klick](javascript:alert(3))"),
    "formel_i_insats": ("Unga vuxna", '=HYPERLINK("http://x","y")'),
    "plus_minus_at_i_etiketter": ("Arbetsträning i grupp", "@SUM(A1)+cmd|' /C calc'!A0"),
    "script_i_forbundsnamn": ("namn: Exempelförbundet", "namn: '<script>alert(9)</script>Ex'"),
}


def _byt_etikett(katalog: Path, gammal: str, ny: str) -> None:
    for fil in katalog.iterdir():
        text = fil.read_text(encoding="utf-8")
        if gammal not in text:
            continue
        if fil.suffix == ".csv":
            ersattning = '"' + ny.replace('"', '""') + '"'
        elif gammal.startswith("namn:"):
            ersattning = ny
        else:
            ersattning = "'" + ny.replace("'", "''") + "'"
        fil.write_text(text.replace(gammal, ersattning), encoding="utf-8")


@pytest.fixture(scope="module")
def fientliga_rapporter(tmp_path_factory):
    """En batch (perioden 2024) över ett förbund per fientlig etikett; körs en gång."""
    rot = tmp_path_factory.mktemp("aktivt")
    data = rot / "data"
    for namn, (gammal, ny) in AKTIVT_INNEHALL.items():
        katalog = _kopia(rot, "exempelforbund", namn)
        _byt_etikett(katalog, gammal, ny)
    fore = _fingeravtryck(data)
    ut = rot / "ut"
    kord = _kor_process(["batch", "--data", str(data), "--utdata", str(ut), "--period", "2024",
                         "--skapad", "2026-01-15", "--uppfoljning-finsam"])  # fmt: skip
    return kord, data, fore, ut


def _taggar(text: str) -> list[tuple[str, dict[str, str | None]]]:
    """Sidans riktiga taggar och deras attribut (escapad text är ingen tagg)."""
    from html.parser import HTMLParser

    class Taggar(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.taggar: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag, attrs):
            self.taggar.append((tag, dict(attrs)))

    tolk = Taggar()
    tolk.feed(text)
    return tolk.taggar


@pytest.mark.langsam
@pytest.mark.parametrize("namn", list(AKTIVT_INNEHALL))
def test_aktivt_innehall(namn, fientliga_rapporter):
    kord, data, fore, ut = fientliga_rapporter
    _kontrollera(kord, slutkod=0, meddelanden=("rapporter: 7 lyckades",), data=data, fore=fore,
                 utdata=ut)  # fmt: skip
    katalog = ut / namn / "2024"
    sida = (katalog / "rapport.html").read_text(encoding="utf-8")
    index = (ut / "index.html").read_text(encoding="utf-8")
    for text, egna_lankar in ((sida, ("#",)), (index, ("#", "nyckeltal.csv", "jamforelse/"))):
        taggar = _taggar(text)
        csp = [
            a.get("content") for t, a in taggar if a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert csp and csp[0].startswith("default-src 'none'"), csp
        assert "script" not in {t for t, _ in taggar}
        for tag, attribut in taggar:
            assert not [a for a in attribut if a.startswith("on")], (tag, attribut)  # händelser
            if tag == "img":
                assert (attribut.get("src") or "").startswith("data:image/"), attribut
            if tag == "a":
                href = attribut.get("href") or ""
                rapportens_filer = ("/rapport.html", "/rapport.docx", "/rapport.pdf",
                                    "/tabeller.xlsx", "/nyckeltal.json")  # fmt: skip
                assert href.startswith(egna_lankar) or href.endswith(rapportens_filer), href
            for attr in ("src", "href", "action", "formaction", "srcset"):
                assert "javascript:" not in (attribut.get(attr) or "").lower()
    gammal, ny = AKTIVT_INNEHALL[namn]
    etikett = ny.split("'")[1] if ny.startswith("namn:") else ny
    if "<" in etikett or ">" in etikett:
        # etiketten syns, som text (raka citattecken blir svenska i löptexten och &#34; i
        # tabellerna; det som prövas är att < och > escapas)
        karna = etikett.replace('"', "").replace("'", "")
        assert karna.replace("<", "&lt;").replace(">", "&gt;") in sida
    # kalkylblad: inga formler, och text som börjar som en formel är oskadliggjord
    with zipfile.ZipFile(katalog / "tabeller.xlsx") as arkiv:
        for delnamn in arkiv.namelist():
            assert b"<f>" not in arkiv.read(delnamn) and b"<f " not in arkiv.read(delnamn)
    # inrapporteringen (omaskad, på begäran) ligger utanför rapportkatalogen
    assert not (katalog / "uppfoljning_finsam.csv").exists()
    inrapportering = ut / "inrapportering" / namn / "2024" / "uppfoljning_finsam.csv"
    csv = inrapportering.read_text(encoding="utf-8-sig")
    for falt in re.findall(r'(?:^|;)"?([^;"\n]*)', csv, re.MULTILINE):
        assert not falt.startswith(("=", "+", "@")), falt
    if etikett.startswith(("=", "@")):
        assert "'" + etikett[:5].replace('"', '""') in csv


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


# ------------------------------------------------------------------ avbrott


def _vanta_pa(villkor: Callable[[], bool], process: subprocess.Popen) -> None:
    """Vänta tills villkoret gäller (körningen har kommit igång) eller processen slutat."""
    slut = time.monotonic() + 300  # skydd mot att testet hänger, inget tidskrav
    while not villkor() and process.poll() is None and time.monotonic() < slut:
        time.sleep(0.05)


def _avbryt(argv: list[str], tmp: Path, signal_: int, villkor: Callable[[], bool]) -> Kord:
    """Starta kommandot (egen processgrupp, som i en terminal), skicka signalen till hela
    gruppen när ``villkor`` gäller, och vänta tills det har avslutats."""
    tmp.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [PYTHON, "-m", "finsam_analys.cli", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp)},
        cwd=ROT,
    )
    _vanta_pa(villkor, process)
    if process.poll() is None:
        os.killpg(process.pid, signal_)
    try:
        ut, fel = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return Kord(process.returncode, ut, fel)


def _karnkatalog_finns(tmp: Path) -> Callable[[], bool]:
    return lambda: any(p.name.startswith("finsam-karna-") for p in tmp.iterdir())


def _inga_processer_kvar(tmp: Path) -> list[str]:
    """Processer som fortfarande har testets TMPDIR i miljön (kärnor, arbetare, mall)."""
    kvar = []
    slut = time.monotonic() + 30  # en kärna märker att föräldern är borta inom någon sekund
    while time.monotonic() < slut:
        kvar = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                miljo = Path(f"/proc/{pid}/environ").read_bytes()
            except OSError:
                continue
            if f"TMPDIR={tmp}\0".encode() in miljo:
                kvar.append(pid)
        if not kvar:
            break
        time.sleep(0.2)
    return kvar


def _rapportargument(data: Path, ut: Path) -> list[str]:
    return ["rapport", "--forbund", "exempelforbund", "--period", "2024", "--data", str(data),
            "--utdata", str(ut)]  # fmt: skip


def _inga_halvfardiga(ut: Path) -> None:
    """Bara hela rapporter (html och json tillsammans) eller inga; inga arbetskataloger."""
    for katalog in {p.parent for p in ut.rglob("*") if p.is_file()}:
        namn = {p.name for p in katalog.iterdir()}
        assert {"rapport.html", "nyckeltal.json"} <= namn or not (
            namn & {"rapport.html", "nyckeltal.json", "tabeller.xlsx"}
        ), (katalog, namn)
    assert not list(ut.rglob(".finsam-tmp"))


@pytest.mark.langsam
@pytest.mark.parametrize("signal_", [signal.SIGINT, signal.SIGTERM], ids=["ctrl_c", "sigterm"])
def test_avbrott_under_rapport(signal_, tmp_path):
    katalog = _kopia(tmp_path, "exempelforbund")
    fore = _fingeravtryck(katalog)
    ut, tmp = tmp_path / "ut", tmp_path / "tmp"
    kord = _avbryt(_rapportargument(katalog.parent, ut), tmp, signal_, lambda: tmp.exists()
                   and _karnkatalog_finns(tmp)())  # fmt: skip
    _kontrollera(kord, slutkod=128 + signal_, meddelanden=("Avbrutet.",), data=katalog, fore=fore,
                 utdata=ut)  # fmt: skip
    assert _inga_processer_kvar(tmp) == []
    assert list(tmp.iterdir()) == []  # kärnans uttag och anslutningsfil borta
    _inga_halvfardiga(ut)


@pytest.mark.langsam
def test_ctrl_c_under_batch(tmp_path):
    katalog = _kopia(tmp_path, "exempelforbund")
    fore = _fingeravtryck(katalog)
    ut, tmp = tmp_path / "ut", tmp_path / "tmp"
    argv = ["batch", "--data", str(katalog.parent), "--utdata", str(ut)]
    kord = _avbryt(argv, tmp, signal.SIGINT, lambda: (ut / ".finsam-tmp").exists())
    _kontrollera(kord, slutkod=130, meddelanden=("Avbrutet.",), data=katalog, fore=fore, utdata=ut)
    assert _inga_processer_kvar(tmp) == []
    assert list(tmp.iterdir()) == []
    _inga_halvfardiga(ut)


@pytest.mark.langsam
def test_sigkill_stadas_av_nasta_korning(tmp_path):
    katalog = _kopia(tmp_path, "sodra_dalarna")
    ut, tmp = tmp_path / "ut", tmp_path / "tmp"
    argv = ["rapport", "--forbund", "sodra_dalarna", "--period", "2015-07..2016-06",
            "--data", str(katalog.parent), "--utdata", str(ut)]  # fmt: skip
    _avbryt(argv, tmp, signal.SIGKILL, lambda: tmp.exists() and _karnkatalog_finns(tmp)())
    _inga_processer_kvar(tmp)
    assert any(p.name.startswith("finsam-karna-") for p in tmp.iterdir())  # kvar efter SIGKILL
    kord = _kor_process(argv, env={"TMPDIR": str(tmp)})
    _kontrollera(kord, slutkod=0, utdata=ut)
    assert list(tmp.iterdir()) == []  # nästa körning tog bort den dödade körningens kataloger
    _inga_halvfardiga(ut)


def test_ofullstandig_rapport_anvands_inte(tmp_path):
    """En rapportkatalog med bara nyckeltal.json (en avbruten körning med en äldre version)
    kommer varken med i nyckeltal.csv eller i index.html."""
    from finsam_analys.korning import utdata

    ut = tmp_path / "ut"
    hel = utdata.spara_nyckeltal({"antal": 7}, utdata_katalog=ut, forbund="hel", period="2019")
    (hel.parent / "rapport.html").write_text("<html></html>", encoding="utf-8")
    utdata.spara_nyckeltal({"antal": 99}, utdata_katalog=ut, forbund="halv", period="2019")
    utdata.skriv_nyckeltal_csv(ut)
    utdata.skriv_index(ut)
    assert (ut / "nyckeltal.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "forbund;period;nyckel;varde",
        "hel;2019;antal;7",
    ]
    assert "halv" not in (ut / "index.html").read_text(encoding="utf-8")


def test_vagrad_rapport_tar_bort_inaktuell_rapport(tmp_path, capsys):
    """En rapport som vägras (här: sekretessgräns 0) lämnar ingen gammal rapport kvar."""
    katalog = _kopia(tmp_path, "sodra_dalarna")
    ut = tmp_path / "ut"
    gammal = ut / "sodra_dalarna" / "2015-07_2016-06"
    gammal.mkdir(parents=True)
    for namn in ("rapport.html", "nyckeltal.json", "tabeller.xlsx"):
        (gammal / namn).write_text("gammal", encoding="utf-8")
    _troskel("troskel: 0")(katalog)
    kord = _kor(["rapport", "--forbund", "sodra_dalarna", "--period", "2015-07..2016-06",
                 "--data", str(katalog.parent), "--utdata", str(ut)], capsys)  # fmt: skip
    _kontrollera(kord, slutkod=1, meddelanden=("intern: true",), utdata=ut)
    assert not gammal.exists()


@pytest.mark.langsam
def test_avvikande_period_med_flagga_marks(tmp_path, capsys):
    katalog = _kopia(tmp_path, "sodra_dalarna")
    fore = _fingeravtryck(katalog)
    ut = tmp_path / "ut"
    kord = _kor(["rapport", "--forbund", "sodra_dalarna", "--period", "2016-07..2017-06",
                 "--data", str(katalog.parent), "--utdata", str(ut), "--tillat-avvikande-period",
                 "--skapad", "2026-01-15"], capsys)  # fmt: skip
    _kontrollera(kord, slutkod=0, data=katalog, fore=fore, utdata=ut)
    rapport = ut / "sodra_dalarna" / "2016-07_2017-06"
    sida = (rapport / "rapport.html").read_text(encoding="utf-8")
    assert '<p class="finsam-markering">Obs! Perioden 2016-07..2017-06 står inte bland' in sida
    nyckeltal = json.loads((rapport / "nyckeltal.json").read_text(encoding="utf-8"))
    assert nyckeltal["markering"].startswith("Obs! Perioden 2016-07..2017-06")


@pytest.mark.langsam
def test_chromium_oppnar_fientliga_rapporter_utan_skript_och_forfragningar(
    fientliga_rapporter, tmp_path
):
    """Som granskarna: varje fientlig rapport och index öppnas i Chromium med loggade
    förfrågningar. Inget hämtas utanför file:/data: och ingen dialog (alert) öppnas."""
    from test_webblasare import TILLATNA_SCHEMAN, _Cdp, _chromium

    _, _, _, ut = fientliga_rapporter
    sidor = [ut / "index.html", *sorted(ut.glob("*/2024/rapport.html"))]
    assert len(sidor) == 1 + len(AKTIVT_INNEHALL)
    cdp = _Cdp(_chromium(), tmp_path / "profil")
    try:
        for sida in sidor:
            forfragningar = cdp.sidans_forfragningar(sida.as_uri())
            assert [u for u in forfragningar if not u.startswith(TILLATNA_SCHEMAN)] == [], sida
        dialoger = [h for h in cdp.handelser if h.get("method") == "Page.javascriptDialogOpening"]
    finally:
        cdp.stang()
    assert dialoger == []


# ------------------------------------------------------------------ ny: förbundets egen fil

EGEN_FIL = DATA / "exempel_egen_uppfoljning.xlsx"


def _egen_bok(mal: Path, andring: Callable[..., None]) -> Path:
    """En kopia av exempelfilen (data/exempel_egen_uppfoljning.xlsx) med en ändring."""
    from openpyxl import load_workbook

    bok = load_workbook(EGEN_FIL)
    andring(bok)
    bok.save(mal)
    return mal


def _kor_ny(tmp_path: Path, fil: Path, capsys, *extra: str, katalog: str = "ut") -> Kord:
    fore = hashlib.sha256(fil.read_bytes()).hexdigest()
    kord = _kor(["ny", str(tmp_path / katalog), "--fran", str(fil), *extra], capsys)
    assert hashlib.sha256(fil.read_bytes()).hexdigest() == fore, "källfilen ändrades"
    return kord


def test_ny_katalognamn_som_personnummer(tmp_path, capsys):
    """Katalogens namn blir förbundets id (och katalog i outputs/): ett personnummer vägras."""
    kord = _kor_ny(tmp_path, EGEN_FIL, capsys, katalog="191212121212")
    _kontrollera(kord, slutkod=2, meddelanden=("katalogens namn", "personnummer"), utdata=tmp_path)
    assert not (tmp_path / "191212121212").exists()


@pytest.mark.parametrize("flagga", ["--namn", "--insats"])
def test_ny_namn_och_insats_som_personnummer(flagga, tmp_path, capsys):
    """Namnen från kommandoraden skrevs förut rakt in i forbund.yaml och deltagare.csv."""
    kord = _kor_ny(tmp_path, EGEN_FIL, capsys, flagga, PERSONNUMMER)
    _kontrollera(kord, slutkod=2, meddelanden=(flagga, "personnummer"), utdata=tmp_path / "ut")
    assert not (tmp_path / "ut").exists()


def test_ny_filnamn_som_personnummer(tmp_path, capsys):
    """Filens namn skrevs förut in i forbund.yaml (kommentaren, beskrivningen, källan)."""
    kalla = tmp_path / "kalla"
    kalla.mkdir()
    fil = kalla / f"{PERSONNUMMER}.xlsx"
    shutil.copy(EGEN_FIL, fil)
    kord = _kor_ny(tmp_path, fil, capsys)
    _kontrollera(kord, slutkod=2, meddelanden=("filens namn", "personnummer"),
                 utdata=tmp_path / "ut")  # fmt: skip
    assert not (tmp_path / "ut").exists()


def test_ny_personnummer_pa_ett_blad_som_inte_valts(tmp_path, capsys):
    """Med --blad prövades förut bara de valda bladen; hela filen vägras."""
    fil = _egen_bok(tmp_path / "egen.xlsx", lambda b: b["Listor"].cell(5, 1, PERSONNUMMER))
    kord = _kor_ny(tmp_path, fil, capsys, "--blad", "Steget")
    _kontrollera(kord, slutkod=2, meddelanden=('bladet "Listor"', "rad 5", "personnummer"),
                 utdata=tmp_path / "ut")  # fmt: skip
    assert not (tmp_path / "ut").exists()


def test_ny_bladnamn_som_personnummer_visas_inte_bland_bladen(tmp_path, capsys):
    def andring(bok):
        bok["Listor"].title = "191212121212"

    fil = _egen_bok(tmp_path / "egen.xlsx", andring)
    kord = _kor_ny(tmp_path, fil, capsys, "--blad", "Finns inte")
    _kontrollera(kord, slutkod=2, meddelanden=("bladets namn", "personnummer"),
                 utdata=tmp_path / "ut")  # fmt: skip
    assert "borttaget" not in kord.ut + kord.fel  # vägrat före listan över bladen


def test_ny_radbrytning_i_titel_och_filnamn_skriver_ingen_egen_nyckel(tmp_path, capsys):
    """U+2028, U+2029 och NEL är radbrytningar i YAML: en titelrad eller ett filnamn med en
    sådan skrev förut en egen nyckel i forbund.yaml (här jamforelseperioder och lan)."""

    def andring(bok):
        titel = 'Samordningsförbundet Exempeldalen\u2028jamforelseperioder: ["x"]\u2028#'
        bok["Steget"]["A1"] = titel
        bok["Lotsen"]["A1"] = "Lotsen\u2029lan: Hackat\x85#"

    kalla = tmp_path / "kalla"
    kalla.mkdir()
    fil = _egen_bok(kalla / "egen\u2028lan: Hackat\u2028x.xlsx", andring)
    kord = _kor_ny(tmp_path, fil, capsys)
    _kontrollera(kord, slutkod=0, utdata=tmp_path / "ut")
    from finsam_analys.indata.filer import las_yaml

    konfig = las_yaml(tmp_path / "ut" / "forbund.yaml")
    assert "jamforelseperioder" not in konfig and "lan" not in konfig, konfig.keys()
    kord = _kor(["validera", str(tmp_path / "ut")], capsys)
    _kontrollera(kord, slutkod=0, meddelanden=("Inga problem hittades.",))


def test_ny_formler_i_rubrik_bladnamn_och_celler_blir_text(tmp_path, capsys):
    """deltagare.csv öppnas i Excel: ingen rubrik, inget bladnamn (insatsen, raden i egen fil)
    och ingen cell får börja som en formel; validera läser sedan filen som ny skrev den."""

    def andring(bok):
        ark = bok["Steget"]
        ark["D4"] = "=Kön"
        ark["D4"].data_type = "s"
        ark["F6"] = '=HYPERLINK("http://x","y")'
        ark["F6"].data_type = "s"
        bok["Lotsen"].title = "=cmd| C calc'!A0"

    fil = _egen_bok(tmp_path / "egen.xlsx", andring)
    kord = _kor_ny(tmp_path, fil, capsys)
    _kontrollera(kord, slutkod=0, utdata=tmp_path / "ut")
    import csv as csvmodul

    with open(tmp_path / "ut" / "deltagare.csv", encoding="utf-8", newline="") as fil_:
        rader = list(csvmodul.reader(fil_, delimiter=";"))
    falt = [f for rad in rader for f in rad]
    assert not [f for f in falt if f[:1] in ("=", "+", "@")], [f for f in falt if f[:1] in "=+@"]
    assert "'=Kön" in rader[0] and "'=cmd| C calc'!A0" in falt
    kord = _kor(["validera", str(tmp_path / "ut")], capsys)
    _kontrollera(kord, slutkod=0, meddelanden=("Inga problem hittades.",))


def test_ny_inte_en_arbetsbok(tmp_path, capsys):
    fil = tmp_path / "egen.xlsx"
    fil.write_bytes(b"inte en zip " * 100)
    kord = _kor_ny(tmp_path, fil, capsys)
    _kontrollera(kord, slutkod=2, meddelanden=("kan inte läsas som Excel-fil",),
                 utdata=tmp_path / "ut")  # fmt: skip


def test_ny_personnummer_i_en_kommentar(tmp_path, capsys):
    """En kommentar (eller författaren) är en del av filen fast den inte är en cell."""
    from openpyxl.comments import Comment

    def andring(bok):
        bok["Steget"]["B6"].comment = Comment(f"Ring {PERSONNUMMER}", "Handläggare")

    fil = _egen_bok(tmp_path / "egen.xlsx", andring)
    kord = _kor_ny(tmp_path, fil, capsys)
    _kontrollera(kord, slutkod=2, meddelanden=("egen.xlsx", "en kommentar", "personnummer"),
                 utdata=tmp_path / "ut")  # fmt: skip
    assert not (tmp_path / "ut").exists()


def test_ny_arbetsbok_med_makron_lases_utan_dem(tmp_path, capsys):
    """En .xlsm (med vbaProject.bin) läses som värden; inga makron följer med någonstans."""
    fil = tmp_path / "egen.xlsm"
    shutil.copy(EGEN_FIL, fil)
    with zipfile.ZipFile(fil, "a") as arkiv:
        arkiv.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"makro" * 100)
    kord = _kor_ny(tmp_path, fil, capsys)
    _kontrollera(kord, slutkod=0, utdata=tmp_path / "ut")
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == ["deltagare.csv", "forbund.yaml"]


def _ny_gles(kalla: Path) -> Path:
    def andring(bok):
        bok["Steget"].cell(row=1_048_576, column=16_384, value="x")

    return _egen_bok(kalla / "egen.xlsx", andring)


def _ny_uppackat_stor(kalla: Path) -> Path:
    """En arbetsbok på någon MB som packas upp till 40 MB (openpyxl:s vanliga läge tar tio
    gånger så mycket minne)."""
    from openpyxl import Workbook

    bok = Workbook(write_only=True)
    ark = bok.create_sheet("Steget")
    ark.append(["Start", "Kön", "Kommentar"])
    for i in range(400_000):
        ark.append(["2023-01-05", "K", f"rad {i}"])
    bok.save(kalla / "egen.xlsx")
    return kalla / "egen.xlsx"


def _ny_lang_rad(kalla: Path) -> Path:
    (kalla / "egen.csv").write_text("Start;Kön\n" + "x;" * 5_000_000)
    return kalla / "egen.csv"


NY_RESURSFALL = [
    ("gles_xlsx_med_cell_i_xfd1048576", _ny_gles, ('bladet "Steget"', "1 048 576 rader")),
    ("xlsx_som_packas_upp_for_stort", _ny_uppackat_stor, ("egen.xlsx", "packas upp")),
    ("csv_med_en_rad_pa_10_mb", _ny_lang_rad, ("egen.csv", "rad är 10 000 000 byte")),
]


@pytest.mark.parametrize("fall", NY_RESURSFALL, ids=[f[0] for f in NY_RESURSFALL])
def test_ny_resurser_med_minnesgrans(fall, tmp_path):
    """ny läser arbetsboken i openpyxl:s vanliga läge (sammanfogade celler); en gles cell i
    XFD1048576 gav förut 17 miljarder celler (MemoryError efter en minut)."""
    _, skapa, meddelanden = fall
    kalla = tmp_path / "kalla"
    kalla.mkdir()
    fil = skapa(kalla)
    fore = _fingeravtryck(kalla)
    kord = _kor_process(["ny", str(tmp_path / "ut"), "--fran", str(fil)], minne=True)
    _kontrollera(kord, slutkod=2, meddelanden=meddelanden, data=kalla, fore=fore)
    assert not (tmp_path / "ut").exists()


def test_mall_med_personnummer_ger_ingen_rapport(tmp_path, capsys):
    """Mallens sidhuvud följde förut med in i rapport.docx, numret också."""
    katalog = _kopia(tmp_path, "exempelforbund")
    _mall(_i_del("word/header1.xml", "Förbundets sidhuvud", f"Kontakt {PERSONNUMMER}"))(katalog)
    fore = _fingeravtryck(katalog)
    ut = tmp_path / "ut"
    kord = _kor(_rapportargument(katalog.parent, ut) + ["--skapad", "2026-01-15"], capsys)
    _kontrollera(kord, slutkod=1, meddelanden=("mall.docx", "personnummer"), data=katalog,
                 fore=fore, utdata=ut)  # fmt: skip
    assert not list(ut.rglob("rapport.docx")) and not list(ut.rglob("rapport.html"))


@pytest.mark.parametrize(
    "namn", ["ny\nOK  rad", "ansi\x1b[31mröd", "a<b>", " mellanslag först", "tab\tbar"],
    ids=["radbrytning", "ansi", "html", "mellanslag-forst", "tabb"],
)  # fmt: skip
def test_katalognamn_som_inte_ar_ett_id(namn, tmp_path, capsys):
    """Katalogens namn blir förbundets id, katalog i outputs/ och text i terminalen, index.html
    och nyckeltal.csv: en radbrytning (en falsk OK-rad), en ANSI-kod eller < > vägras, och
    namnet skrivs på en rad med styrtecknen synliga."""
    katalog = tmp_path / "data" / namn
    shutil.copytree(DATA / "sodra_dalarna", katalog)
    _ersatt(katalog, "forbund.yaml", "id: sodra_dalarna", f"id: {json.dumps(namn)}")
    fore = _fingeravtryck(katalog)
    ut = tmp_path / "ut"
    kord = _kor(["batch", "--data", str(katalog.parent), "--utdata", str(ut)], capsys)
    _kontrollera(kord, slutkod=1, meddelanden=("katalogens namn", "bokstäver, siffror, mellanslag"),
                 data=katalog, fore=fore, utdata=ut)  # fmt: skip
    text = kord.ut + kord.fel
    assert "\x1b" not in text and "\nOK  rad" not in text
    assert not (ut / namn).exists()


def test_katalognamn_med_mellanslag_fungerar(tmp_path, capsys):
    """En förbundskatalog med mellanslag i namnet (data/Södra Dalarna) fungerade före kontrollen
    av katalognamn och fortsätter att fungera; indexets länkar är procentkodade."""
    katalog = tmp_path / "data" / "Södra Dalarna"
    shutil.copytree(DATA / "sodra_dalarna", katalog)
    _ersatt(katalog, "forbund.yaml", "id: sodra_dalarna", "id: Södra Dalarna")
    ut = tmp_path / "ut"
    kord = _kor(["batch", "--data", str(katalog.parent), "--utdata", str(ut)], capsys)
    assert kord.slutkod == 0, kord.fel
    assert (ut / "Södra Dalarna" / "2015-07_2016-06" / "rapport.html").is_file()
    index = (ut / "index.html").read_text("utf-8")
    assert 'href="S%C3%B6dra%20Dalarna/2015-07_2016-06/rapport.html"' in index


def test_ny_datum_med_negativt_ar(tmp_path, capsys):
    """Ett startdatum -2019-01-01 gav förut NotImplementedError (pandas) när perioderna
    gissades; nu hoppas det över där och visas av validera med rad och kolumn."""
    fil = tmp_path / "egen.csv"
    fil.write_text("Löpnr;Start;Slutdatum;Kön\n1;-2019-01-01;2023-06-01;K\n2;2023-02-05;;M\n",
                   encoding="utf-8")  # fmt: skip
    kord = _kor_ny(tmp_path, fil, capsys)
    _kontrollera(kord, slutkod=0, meddelanden=("Start",), utdata=tmp_path / "ut")
    kord = _kor(["validera", str(tmp_path / "ut")], capsys)
    _kontrollera(kord, slutkod=2, meddelanden=("deltagare.csv, rad 2",))


def test_fotnoter_som_tal_i_tryckta_tabeller(tmp_path, capsys):
    """fotnoter: 7 gav förut TypeError (validera: engelsk text; granska: felspår)."""
    katalog = _kopia(tmp_path, "vasteras")
    fotnoter = ('    fotnoter:\n      - "* processtrappan"\n'
                '      - "** processtrappan för strategisk samverkan"\n')  # fmt: skip
    _ersatt(katalog, "publicerat/tabeller.yaml", fotnoter, "    fotnoter: 7\n")
    fore = _fingeravtryck(katalog)
    for kommando in ("validera", "granska"):
        kord = _kor([kommando, str(katalog)], capsys)
        _kontrollera(kord, slutkod=2, meddelanden=('"fotnoter" ska vara en lista',),
                     data=katalog, fore=fore)  # fmt: skip


def test_internt_fel_ger_inget_felspar(tmp_path, capsys, monkeypatch):
    """Sista skyddsnätet i kommandoraden: ett fel i programmet ger ett svenskt meddelande och
    slutkod 3, inget felspår (FINSAM_FELSPAR=1 visar det)."""
    from finsam_analys.indata import inlasning

    def trasig(*args, **kwargs):
        raise TypeError("'int' object is not iterable")

    monkeypatch.setattr(inlasning, "las_forbund", trasig)
    monkeypatch.delenv("FINSAM_FELSPAR", raising=False)
    kord = _kor(["granska", str(_kopia(tmp_path, "vasteras"))], capsys)
    _kontrollera(kord, slutkod=3, meddelanden=("Oväntat internt fel", "FINSAM_FELSPAR=1"))
