"""The application icon as Qt uses it: every shipped size in one QIcon."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon, QPixmap

from arrs_desktop import paths


@cache
def app_icon() -> QIcon:
    """The ARRS Desktop icon (needs a QGuiApplication; made once)."""
    icon = QIcon()
    for size in paths.APP_ICON_SIZES:
        pixmap = QPixmap()
        # Read through importlib.resources: the file may sit in a wheel, a bundle or a zip.
        if pixmap.loadFromData(paths.app_icon_png(size).read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


__all__ = ["app_icon"]
