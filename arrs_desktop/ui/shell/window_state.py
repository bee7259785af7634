"""Remember the window: size, place, maximised or not and the caseload's width, per screen set-up.

A laptop used on its own screen and at a desk with a second monitor opens the way it was
last used with that set of screens. The first time on a set of screens the window fills a
small screen (maximised) and takes most of a big one, centred. Kept with QSettings in an
INI file in the settings folder (`paths.window_state_path()`)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication, QScreen

from arrs_desktop import paths

# Screens up to this size (in the units Qt lays out in, so after scaling) open maximised.
SMALL_SCREEN = (1600, 900)
BIG_SCREEN_SHARE = 0.9  # of a bigger screen's width and height, centred


def screen_key(screens: list[QScreen] | None = None) -> str:
    """Name a set of screens by their sizes and places ('1366x768+0+0', two joined by ';')."""
    screens = QGuiApplication.screens() if screens is None else screens
    parts = sorted(f"{g.width()}x{g.height()}+{g.x()}+{g.y()}"
                   for g in (s.geometry() for s in screens))
    return ";".join(parts) or "none"


def first_geometry(available: QRect) -> tuple[QRect, bool]:
    """Return (where the window opens, whether maximised) the first time on a screen."""
    if available.width() <= SMALL_SCREEN[0] or available.height() <= SMALL_SCREEN[1]:
        return QRect(available), True
    width = int(available.width() * BIG_SCREEN_SHARE)
    height = int(available.height() * BIG_SCREEN_SHARE)
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect, False


def _bytes(value) -> QByteArray | None:
    """Return a saved value as bytes Qt can restore from, or None (missing or not bytes)."""
    if isinstance(value, (bytes, bytearray)):
        value = QByteArray(bytes(value))
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


class WindowState:
    """Read and write the remembered window geometry and splitter for each set of screens."""

    def __init__(self, path=None) -> None:
        self.path = path or paths.window_state_path()
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _group(self, key: str | None) -> str:
        # QSettings keys may not hold '/' or '\\'; the screen key holds neither.
        return "screens/" + (key or screen_key()).replace(";", "_")

    def load(self, key: str | None = None) -> tuple[QByteArray | None, QByteArray | None]:
        """Return (saved window geometry, saved splitter state) for these screens, or Nones."""
        self._settings.sync()
        group = self._group(key)
        return (_bytes(self._settings.value(f"{group}/geometry")),
                _bytes(self._settings.value(f"{group}/splitter")))

    def save(self, geometry: QByteArray | bytes, splitter: QByteArray | bytes,
             key: str | None = None) -> None:
        """Keep the window's geometry and the splitter's state for these screens."""
        group = self._group(key)
        self._settings.setValue(f"{group}/geometry", QByteArray(geometry))
        self._settings.setValue(f"{group}/splitter", QByteArray(splitter))
        self._settings.sync()


def show_as_remembered(window, splitter, state: WindowState | None = None) -> bool:
    """Show a window as it was last left on these screens; return True when it was known.

    The first time, it opens as `first_geometry` says for the screen it is on.
    """
    state = state or WindowState()
    geometry, split = state.load()
    known = geometry is not None and window.restoreGeometry(geometry)
    if split is not None:
        splitter.restoreState(split)
        window.splitter_restored = True
    if known:
        if window.isMaximized():
            window.showMaximized()
        else:
            window.show()
        return True
    screen = window.screen() or QGuiApplication.primaryScreen()
    rect, maximised = first_geometry(screen.availableGeometry())
    if maximised:
        window.setGeometry(rect)
        window.showMaximized()
    else:
        window.resize(rect.size())
        window.move(rect.topLeft())
        window.show()
    return False


def remember(window, splitter, state: WindowState | None = None) -> None:
    """Keep how the window is now (call it as the window closes)."""
    (state or WindowState()).save(window.saveGeometry(), splitter.saveState())


def remembered(key: str, default: str = "") -> str:
    """Return a small choice the window keeps between runs (the last export folder…)."""
    settings = QSettings(str(paths.window_state_path()), QSettings.Format.IniFormat)
    value = settings.value(key, default)
    return value if isinstance(value, str) else default


def remember_value(key: str, value: str) -> None:
    """Keep a small choice for next time (see `remembered`)."""
    settings = QSettings(str(paths.window_state_path()), QSettings.Format.IniFormat)
    settings.setValue(key, value)
    settings.sync()
