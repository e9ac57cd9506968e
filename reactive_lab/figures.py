"""One figure style for the whole course.

Every figure in the book and the labs goes through here, so a learner sees the same
colours, sizes and conventions everywhere:

>>> import reactive_lab as rl
>>> fig = rl.figures.new_figure()
>>> ax = fig.subplots()
>>> rl.figures.label(ax, x="load ρ", x_unit="", y="latency", y_unit="ms")
>>> ax.get_ylabel()
'latency (ms)'

Colours come from Okabe & Ito's palette (*Color Universal Design*, 2008), which stays
distinguishable under the common forms of colour blindness; lines also differ in style so
that a greyscale print still reads. Axis labels are lowercase and carry their unit.
"""

from __future__ import annotations

import functools
import io

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "FIGSIZE",
    "LINESTYLES",
    "EXPLORABLE_FIGSIZE",
    "MARGINS_INCHES",
    "PALETTE",
    "STYLE",
    "CourseAxes",
    "CourseFigure",
    "color",
    "label",
    "new_figure",
    "png_bytes",
    "short_number",
    "log_ticks",
    "image",
    "use_book_style",
]

PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}
"""Okabe–Ito colours by name; ``color(i)`` cycles through them in a fixed order."""

_CYCLE = ["blue", "orange", "green", "vermillion", "purple", "sky", "black"]

LINESTYLES = ["-", "--", "-.", ":"]
"""Line styles cycled with the colours, so series differ without colour too."""

FIGSIZE = (6.4, 3.6)
"""Width and height in inches; at ``DPI`` this fits the book's text column."""

EXPLORABLE_FIGSIZE = (5.0, 3.3)
"""Explorable figures are narrower, leaving room for the readout beside them."""

MARGINS_INCHES = {"left": 0.8, "right": 0.15, "bottom": 0.6, "top": 0.15}
"""Fixed subplot margins in inches (room for tick labels and axis labels). Constrained
layout would fit them per figure but costs a third of a live explorable's redraw time, and
fixed margins keep the axes still while a slider moves."""

DPI = 100

STYLE = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 2,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=[PALETTE[c] for c in _CYCLE]),
}
"""The rcParams every course figure uses."""


def color(i: int) -> str:
    """Return the *i*-th colour of the course cycle (wraps around).

    >>> color(0)
    '#0072B2'
    """
    return PALETTE[_CYCLE[i % len(_CYCLE)]]


def use_book_style() -> None:
    """Apply the course style to pyplot figures (call once in a notebook's setup cell)."""
    matplotlib.rcParams.update(STYLE)


def _styled(method):
    """Wrap a drawing method so what it creates takes the course style.

    Matplotlib reads rcParams when an artist is created (a line's width, a legend's frame,
    an axes' spines), so the style must be in force at every such call, not only when the
    figure is made, and without touching the global rcParams a learner's own plots use.
    """

    @functools.wraps(method)
    def in_course_style(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return method(*args, **kwargs)

    return in_course_style


class CourseAxes(Axes):
    """Axes whose drawing methods create their artists in the course style."""


_DRAWING_METHODS = (
    "plot", "step", "scatter", "bar", "barh", "hist", "stairs", "errorbar", "fill_between",
    "fill_betweenx", "axhline", "axvline", "axhspan", "axvspan", "hlines", "vlines", "text",
    "annotate", "legend", "add_collection", "add_patch", "add_line", "imshow", "pie",
    "boxplot", "violinplot", "set_xlabel", "set_ylabel", "set_title", "grid",
)
for _name in _DRAWING_METHODS:
    setattr(CourseAxes, _name, _styled(getattr(Axes, _name)))


class CourseFigure(Figure):
    """A figure whose axes, and everything drawn on them, use the course style."""

    def add_subplot(self, *args, **kwargs):
        if "projection" not in kwargs and "polar" not in kwargs:
            kwargs.setdefault("axes_class", CourseAxes)
        with matplotlib.rc_context(STYLE):
            return super().add_subplot(*args, **kwargs)

    def add_axes(self, *args, **kwargs):
        if "projection" not in kwargs and "polar" not in kwargs:
            kwargs.setdefault("axes_class", CourseAxes)
        with matplotlib.rc_context(STYLE):
            return super().add_axes(*args, **kwargs)

    def draw(self, renderer):
        # Ticks are created lazily, when the figure is drawn: they take the style then.
        with matplotlib.rc_context(STYLE):
            return super().draw(renderer)


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> CourseFigure:
    """Return a new figure in the course style, not attached to pyplot.

    Everything drawn on it takes the style (spines, palette, line widths, fonts), whatever
    the global rcParams are, and pyplot does not track it, so redrawing thousands of frames
    at build time leaks nothing.

    >>> ax = new_figure().subplots()
    >>> ax.spines["top"].get_visible(), ax.plot([0, 1])[0].get_linewidth()
    (False, 2.0)
    """
    with matplotlib.rc_context(STYLE):
        fig = CourseFigure(figsize=figsize, dpi=DPI)
    width, height = figsize
    fig.subplots_adjust(
        left=MARGINS_INCHES["left"] / width,
        right=1 - MARGINS_INCHES["right"] / width,
        bottom=MARGINS_INCHES["bottom"] / height,
        top=1 - MARGINS_INCHES["top"] / height,
        wspace=0.35,
        hspace=0.35,
    )
    return fig


def label(ax, *, x: str, y: str, x_unit: str = "", y_unit: str = "") -> None:
    """Label both axes in the course convention: lowercase name, unit in brackets."""
    ax.set_xlabel(f"{x} ({x_unit})" if x_unit else x)
    ax.set_ylabel(f"{y} ({y_unit})" if y_unit else y)


def short_number(value: float) -> str:
    """Tick label in plain numbers: 0.1, 1, 10, 100, 1k, 10k, 100k.

    >>> [short_number(v) for v in (0.1, 10, 1e3, 1e5)]
    ['0.1', '10', '1k', '100k']
    """
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def log_ticks(ax, *, x=None, y=None, format=short_number):
    """Put the given axes on a log scale with fixed ticks labelled in plain numbers.

    Matplotlib's automatic log ticks (minor ticks, ``10^n`` labels typeset as mathtext)
    cost more than the rest of a live redraw, and fixed ticks keep the axis still while a
    slider moves. *x* and *y* are the tick positions (None leaves that axis alone);
    *format* turns a position into its label.
    """
    for ticks, set_scale, set_ticks in ((x, ax.set_xscale, ax.set_xticks),
                                        (y, ax.set_yscale, ax.set_yticks)):
        if ticks is not None:
            set_scale("log")
            set_ticks(ticks, [format(v) for v in ticks])
    ax.minorticks_off()
    return ax


def png_bytes(fig: Figure, *, palette_colors: int | None = None) -> bytes:
    """Render *fig* to PNG and return the bytes.

    With *palette_colors* the image is quantised to that many colours: course figures
    are flat colours on white, so 64 colours look the same and weigh a third as much,
    which is what keeps a page of precomputed frames light.
    """
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=DPI)
    if palette_colors is None:
        return buffer.getvalue()
    from PIL import Image

    buffer.seek(0)
    image = Image.open(buffer).convert("RGB")
    quantised = image.quantize(colors=palette_colors, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    quantised.save(out, format="PNG", optimize=True)
    return out.getvalue()


def image(fig: Figure):
    """Return *fig* as an IPython PNG image, for a notebook cell to display.

    Course figures are built with :func:`new_figure`, outside pyplot, so a cell shows one
    by ending with ``rl.figures.image(fig)``; the page gives it alt text in the cell's
    ``mystnb`` metadata.
    """
    from IPython.display import Image

    return Image(png_bytes(fig), format="png")
