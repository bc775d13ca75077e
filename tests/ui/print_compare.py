"""A printed page against its reviewed reference render, with a tolerance.

The PDF is rendered by pdftoppm (Debian's poppler-utils, installed by ``scripts/system-deps``):
an independent reader of what CaseApp wrote, which also proves the sealed file opens with its
password. Pages are compared in grey at 75 dpi after a 3×3 box blur (``QImage`` smooth scaling to
25 dpi), so antialiasing and sub-pixel glyph placement that differ slightly between machines
count for little, while anything a reader would notice does not pass:

* overall, at most ``OVERALL`` of the blurred pixels may differ by more than ``LEVEL`` grey levels;
* locally, no 8 × 8 tile (about 8 mm square on paper) may have more than ``TILE`` of its pixels
  differ — a changed name, a missing rule or a box moved by a line fails here.

``CASEAPP_UPDATE_PRINT_REFS=1`` writes the renders as the new references (and their copies in
docs/screenshots/); look at every page before committing them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ui.qt import QImage, Qt

REFERENCES = Path(__file__).parent / "print_refs"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DPI = 75
BLUR = 3
LEVEL = 64
OVERALL = 0.01
TILE_SIZE = 8
TILE = 0.2
UPDATE = os.environ.get("CASEAPP_UPDATE_PRINT_REFS") == "1"


def render(pdf: Path, password: str | None, out: Path) -> list[Path]:
    """The PDF's pages as grey PNGs (``out``-1.png, …), through pdftoppm."""
    if shutil.which("pdftoppm") is None:
        raise AssertionError("pdftoppm is missing: run `bash scripts/system-deps` (poppler-utils)")
    command = ["pdftoppm", "-r", str(DPI), "-gray", "-png"]
    if password is not None:
        command += ["-upw", password]
    subprocess.run([*command, str(pdf), str(out)], check=True, timeout=60, capture_output=True)
    return sorted(out.parent.glob(f"{out.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _grey(image: QImage) -> tuple[bytes, int, int]:
    small = image.convertToFormat(QImage.Format.Format_Grayscale8).scaled(
        image.width() // BLUR, image.height() // BLUR, Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation)
    width, height, stride = small.width(), small.height(), small.bytesPerLine()
    raw = bytes(small.constBits())  # rows padded to ``stride``
    return b"".join(raw[y * stride:y * stride + width] for y in range(height)), width, height


@dataclass(frozen=True)
class Difference:
    overall: float
    worst_tile: float
    where: tuple[int, int]  # the worst tile's top-left corner, in millimetres on the page

    @property
    def acceptable(self) -> bool:
        return self.overall <= OVERALL and self.worst_tile <= TILE

    def __str__(self) -> str:
        return (f"{self.overall:.2%} of the page differs (at most {OVERALL:.0%}); the worst 8 mm square, "
                f"{self.where[0]} mm from the left and {self.where[1]} mm from the top, {self.worst_tile:.0%} "
                f"(at most {TILE:.0%})")


def difference(page: Path, reference: Path) -> Difference:
    a, width, height = _grey(QImage(str(page)))
    b, ref_width, ref_height = _grey(QImage(str(reference)))
    if (width, height) != (ref_width, ref_height):
        return Difference(1.0, 1.0, (0, 0))
    differs = bytes(1 if abs(x - y) > LEVEL else 0 for x, y in zip(a, b, strict=True))
    worst, where = 0.0, (0, 0)
    for top in range(0, height, TILE_SIZE):
        for left in range(0, width, TILE_SIZE):
            rows = range(top, min(top + TILE_SIZE, height))
            cols = min(left + TILE_SIZE, width) - left
            count = sum(sum(differs[y * width + left:y * width + left + cols]) for y in rows)
            share = count / (len(rows) * cols)
            if share > worst:
                mm = 25.4 * BLUR / DPI
                worst, where = share, (round(left * mm), round(top * mm))
    return Difference(sum(differs) / len(differs), worst, where)


def check_pages(pages: list[Path], name: str) -> None:
    """Each page against ``print_refs/<name>-<n>.png``; with UPDATE, make them the references."""
    if UPDATE:
        REFERENCES.mkdir(exist_ok=True)
        for old in REFERENCES.glob(f"{name}-*.png"):
            old.unlink()
        for n, page in enumerate(pages, start=1):
            shutil.copyfile(page, REFERENCES / f"{name}-{n}.png")
            shutil.copyfile(page, SCREENSHOTS / f"form-{name}-{n}.png")
        return
    references = sorted(REFERENCES.glob(f"{name}-*.png"))
    assert len(pages) == len(references), f"{name}: {len(pages)} page(s) printed, the reference has {len(references)}"
    for n, page in enumerate(pages, start=1):
        found = difference(page, REFERENCES / f"{name}-{n}.png")
        assert found.acceptable, f"{name}, page {n}: {found} — compare {page} with {REFERENCES / f'{name}-{n}.png'}"
