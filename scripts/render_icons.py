"""Render the application icon's PNG sizes and the Windows/macOS icon files from its SVG.

    .venv/bin/python scripts/render_icons.py          # write them
    .venv/bin/python scripts/render_icons.py --check  # exit 1 if any is missing or stale

The SVG (arrs_desktop/resources/icons/arrs-desktop.svg) is the design; the PNGs beside it
are what the window and the Linux desktop entry use, and packaging/icons/ holds the .ico
(Windows) and .icns (macOS) the standalone bundles are stamped with. Run this after
changing the SVG and commit what it writes.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "arrs_desktop" / "resources" / "icons"
SVG = ICONS / "arrs-desktop.svg"
BUNDLE_ICONS = ROOT / "packaging" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # as paths.APP_ICON_SIZES
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# macOS icon types that hold PNG data, and the pixel size of each.
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"icp6", 64), (b"ic12", 64),
              (b"ic07", 128), (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512))


def render(size: int) -> QImage:
    """The icon at size x size pixels, on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG per size (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, blobs = b"", b""
    for size in ICO_SIZES:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG data for each type."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def wanted() -> dict[Path, bytes | QImage]:
    """Every file this script writes, with what it should hold."""
    images = {size: render(size) for size in PNG_SIZES}
    pngs = {size: png_bytes(image) for size, image in images.items()}
    out: dict[Path, bytes | QImage] = {ICONS / f"arrs-desktop-{s}.png": images[s]
                                       for s in PNG_SIZES}
    out[BUNDLE_ICONS / "arrs-desktop.ico"] = ico_bytes(pngs)
    out[BUNDLE_ICONS / "arrs-desktop.icns"] = icns_bytes(pngs)
    return out


def _same_image(path: Path, image: QImage, tolerance: int = 8) -> bool:
    """True when the PNG at path shows the image (each channel within the tolerance)."""
    found = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
    if found.size() != image.size():
        return False
    for y in range(image.height()):
        for x in range(image.width()):
            a, b = found.pixelColor(x, y), image.pixelColor(x, y)
            if max(abs(a.red() - b.red()), abs(a.green() - b.green()),
                   abs(a.blue() - b.blue()), abs(a.alpha() - b.alpha())) > tolerance:
                return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that every file is there and up to date")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    stale = []
    for path, content in wanted().items():
        if args.check:
            if not path.is_file():
                stale.append(path)
            elif isinstance(content, QImage):
                if not _same_image(path, content):
                    stale.append(path)
            elif path.suffix not in (".ico", ".icns") and path.read_bytes() != content:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, QImage):
            content.save(str(path), "PNG")
        else:
            path.write_bytes(content)
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("Out of date (run scripts/render_icons.py): "
              + ", ".join(str(p.relative_to(ROOT)) for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
