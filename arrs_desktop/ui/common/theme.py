"""The NHS-style look: palette, role colours and one application style sheet."""

from __future__ import annotations

from arrs_desktop.domain.catalogue import ROLES_BY_CODE

GREY_5 = "#F0F4F5"
GREY_4 = "#D8DDE0"
GREY_3 = "#AEB7BD"
BLACK = "#231F20"
DARK_GREY = "#425563"
BLUE = "#005EB8"
DARK_BLUE = "#003087"
GREEN = "#009639"
DARK_GREEN = "#006747"
WARM_YELLOW = "#FFB81C"
RED = "#DA291C"
WHITE = "#FFFFFF"
# The NHS focus colour: whatever the keyboard is on shows in yellow with black, wherever it is.
FOCUS = "#FFEB3B"


# Darker shades of the role colours for text and for white text on a role colour: at least
# 4.5:1 against white and the table's row colours (the bright ones are not).
_ROLE_TEXT = {"splw": "#00706A", "cc": "#330072", "hwbc": "#975400"}


def role_colour(code: str | None) -> str:
    """Return the colour a role's name is written in (and behind white text on a badge)."""
    return _ROLE_TEXT.get(code or "", DARK_GREY)


def role_accent(code: str | None) -> str:
    """Return a role's bright colour, for bars, borders and chart lines (never for text)."""
    role = ROLES_BY_CODE.get(code or "")
    return role.colour if role else DARK_GREY


STYLE_SHEET = f"""
QMainWindow, QDialog {{ background: {GREY_5}; }}
QWidget {{ color: {BLACK}; }}
QLabel[role="heading"] {{ color: {DARK_BLUE}; font-size: 15pt; font-weight: 600; }}
QLabel[role="subheading"] {{ color: {DARK_BLUE}; font-size: 11pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {DARK_GREY}; }}
QLabel[role="error"] {{ color: {RED}; font-weight: 600; }}
QLabel[role="alert"] {{ color: {RED}; font-weight: 600; background: #FDF0EF;
    border-left: 4px solid {RED}; padding: 3px 6px; }}
QLabel[role="empty"] {{ color: {DARK_GREY}; font-size: 11pt; }}
QFrame[role="card"] {{ background: {WHITE}; border: 1px solid {GREY_4}; border-radius: 6px; }}
QTableView {{ background: {WHITE}; border: 1px solid {GREY_4};
              selection-background-color: #D6E6F5; selection-color: {BLACK};
              alternate-background-color: #F7F9FA; gridline-color: {GREY_4}; }}
QHeaderView::section {{ background: {WHITE}; color: {DARK_BLUE}; font-weight: 600;
                        border: none; border-bottom: 2px solid {GREY_4}; padding: 4px 6px; }}
QLineEdit, QComboBox, QDateEdit, QSpinBox, QPlainTextEdit, QTextEdit {{
    background: {WHITE}; border: 1px solid {DARK_GREY}; border-radius: 3px; padding: 3px 5px;
    min-height: 1.5em; }}
QLineEdit:focus, QComboBox:focus, QDateEdit:focus, QSpinBox:focus, QPlainTextEdit:focus,
QTextEdit:focus {{ border: 2px solid {BLUE}; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"], QDateEdit[invalid="true"],
QSpinBox[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 2px solid {RED}; }}
QPushButton {{ background: {WHITE}; color: {BLUE}; border: 1px solid {BLUE}; border-radius: 4px;
               padding: 5px 12px; font-weight: 600; }}
QPushButton:hover {{ background: #E8F1FA; }}
QPushButton:disabled {{ color: {GREY_3}; border-color: {GREY_4}; }}
QPushButton[primary="true"] {{ background: {BLUE}; color: {WHITE}; border: 1px solid {BLUE}; }}
QPushButton[primary="true"]:hover {{ background: {DARK_BLUE}; }}
QPushButton[primary="true"]:disabled {{ background: {GREY_4}; color: {DARK_GREY};
                                        border-color: {GREY_4}; }}
QLineEdit:disabled, QComboBox:disabled, QDateEdit:disabled, QSpinBox:disabled,
QPlainTextEdit:disabled, QTextEdit:disabled {{ background: {GREY_5}; color: {DARK_GREY};
                                              border-color: {GREY_3}; }}
QCheckBox:disabled, QRadioButton:disabled, QLabel:disabled {{ color: {GREY_3}; }}
/* The focus ring: lists show their chosen row in blue; buttons, ticks and tabs turn
   yellow with black, as on NHS websites. */
QTableView:focus, QListView:focus {{ border: 2px solid {BLUE}; }}
QTableView[keyFocus="true"], QListView[keyFocus="true"] {{
    selection-background-color: {BLUE}; selection-color: {WHITE}; }}
QPushButton:focus, QPushButton[primary="true"]:focus {{ background: {FOCUS}; color: {BLACK};
    border: 2px solid {BLACK}; }}
QCheckBox:focus, QRadioButton:focus, QGroupBox::title:focus {{ background: {FOCUS};
    color: {BLACK}; }}
QTabBar::tab:focus {{ background: {FOCUS}; color: {BLACK}; }}
QTabWidget::pane {{ border: 1px solid {GREY_4}; background: {WHITE}; top: -1px; }}
QTabBar::tab {{ background: {GREY_5}; color: {DARK_GREY}; padding: 6px 14px;
                border: 1px solid {GREY_4}; border-bottom: none; margin-right: 2px; }}
QTabBar::tab:selected {{ background: {WHITE}; color: {DARK_BLUE}; font-weight: 600;
                         border-top: 3px solid {BLUE}; }}
QStatusBar {{ background: {WHITE}; color: {DARK_GREY}; border-top: 1px solid {GREY_4}; }}
QGroupBox {{ font-weight: 600; color: {DARK_BLUE}; border: 1px solid {GREY_4};
             border-radius: 4px; margin-top: 1.1em; padding-top: 0.4em; background: {WHITE}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; }}
"""
