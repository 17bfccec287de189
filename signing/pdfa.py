"""PDF/A-2b for the archive: convert an upload with Ghostscript, then accept the result only
if it shows what the upload showed: the same number of pages, the same text (pdftotext, spaces
folded) and the same look (every page rendered by pdftoppm at a low resolution, grey levels
compared pixel by pixel). Otherwise the original is kept, with the reason."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

#: rendering resolution of the comparison, and how far a page's look may drift: the mean
#: absolute difference of grey levels (0-255) per pixel, and the share of pixels that differ by
#: more than a quarter of the scale (anti-aliasing and font hinting move a few pixels a little)
COMPARE_DPI = 30
MAX_MEAN_DIFFERENCE = 2.0
MAX_CHANGED_SHARE = 0.01
TIMEOUT_SECONDS = 120
#: the sRGB profile of the output intent (pikepdf ships one)
SRGB_PROFILE = Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc"
#: Ghostscript's PDFA_def.ps, reduced to what PDF/A-2b needs: the sRGB output intent
_PDFA_DEF = """%!
/ICCProfile (ICC_PATH) def
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ICCProfile (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {icc_PDFA}
  /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) >> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark
"""


@dataclass(frozen=True)
class PdfaResult:
    """`pdf` is the PDF/A-2b file when the conversion kept what the upload shows; otherwise
    None and `reason` says why (a code: ghostscript_missing, conversion_failed, page_count,
    text_changed, looks_different, timeout)."""

    pdf: bytes | None
    reason: str | None
    detail: str = ""


def convert_to_pdfa(pdf: bytes, timeout: float = TIMEOUT_SECONDS) -> PdfaResult:
    """Convert `pdf` to PDF/A-2b and verify it (see the module's docstring)."""
    gs = shutil.which("gs")
    if gs is None or shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        return PdfaResult(None, "ghostscript_missing", "gs, pdftoppm or pdftotext not found")
    with tempfile.TemporaryDirectory(prefix="sopu-pdfa-") as folder:
        work = Path(folder)
        source, target = work / "in.pdf", work / "out.pdf"
        source.write_bytes(pdf)
        icc = work / "srgb.icc"
        icc.write_bytes(SRGB_PROFILE.read_bytes())
        definitions = work / "pdfa_def.ps"
        definitions.write_text(_PDFA_DEF.replace("ICC_PATH", str(icc)))
        try:
            done = subprocess.run(
                [
                    gs,
                    "-q",
                    "-dSAFER",
                    f"--permit-file-read={icc}",
                    "-dBATCH",
                    "-dNOPAUSE",
                    "-dNOOUTERSAVE",
                    "-dPDFA=2",
                    "-dPDFACompatibilityPolicy=1",
                    "-dNEWPDF=false",
                    "-sColorConversionStrategy=RGB",
                    "-sProcessColorModel=DeviceRGB",
                    "-sDEVICE=pdfwrite",
                    f"-sOutputFile={target}",
                    str(definitions),
                    str(source),
                ],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
            if done.returncode != 0 or not target.exists():
                return PdfaResult(None, "conversion_failed", done.stderr.decode(errors="replace")[-300:])
            return _compare(source, target, work, timeout)
        except subprocess.TimeoutExpired:
            return PdfaResult(None, "timeout", f"more than {timeout} s")


def same_appearance(original: bytes, converted: bytes, timeout: float = TIMEOUT_SECONDS) -> PdfaResult:
    """The verification alone: `converted` (as the result) when it shows what `original` shows."""
    with tempfile.TemporaryDirectory(prefix="sopu-pdfa-") as folder:
        work = Path(folder)
        (work / "in.pdf").write_bytes(original)
        (work / "out.pdf").write_bytes(converted)
        return _compare(work / "in.pdf", work / "out.pdf", work, timeout)


def _compare(source: Path, target: Path, work: Path, timeout: float) -> PdfaResult:
    before, after = _pages(source, work / "a", timeout), _pages(target, work / "b", timeout)
    if len(before) != len(after):
        return PdfaResult(None, "page_count", f"{len(before)} pages became {len(after)}")
    if _text(source, timeout) != _text(target, timeout):
        return PdfaResult(None, "text_changed", "the extracted text differs")
    for number, (one, other) in enumerate(zip(before, after, strict=True), start=1):
        if (problem := _difference(one, other)) is not None:
            return PdfaResult(None, "looks_different", f"page {number}: {problem}")
    return PdfaResult(target.read_bytes(), None)


def _pages(pdf: Path, prefix: Path, timeout: float) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(COMPARE_DPI), str(pdf), str(prefix)],
        capture_output=True,
        timeout=timeout,
        check=True,
    )
    return sorted(prefix.parent.glob(f"{prefix.name}-*.pgm"))


def _text(pdf: Path, timeout: float) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=timeout, check=True
    )
    return " ".join(done.stdout.decode(errors="replace").split())


def _difference(one: Path, other: Path) -> str | None:
    (w1, h1, a), (w2, h2, b) = _read_pgm(one), _read_pgm(other)
    if (w1, h1) != (w2, h2):
        return f"size {w1}x{h1} became {w2}x{h2}"
    total = sum(abs(x - y) for x, y in zip(a, b, strict=True))
    changed = sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > 64)
    mean, share = total / max(1, len(a)), changed / max(1, len(a))
    if mean > MAX_MEAN_DIFFERENCE or share > MAX_CHANGED_SHARE:
        return f"mean difference {mean:.2f}, {share:.1%} of pixels changed"
    return None


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary (P5, 8-bit) PGM as pdftoppm writes it: width, height, pixels."""
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        start = position
        while not data[position : position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    if fields[0] != b"P5" or fields[3] != b"255":
        raise ValueError(f"not an 8-bit binary PGM: {path.name}")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1 : position + 1 + width * height]
    return width, height, pixels
