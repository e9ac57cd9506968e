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

import contextlib
import functools
import io
import math

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "FIGSIZE",
    "MIN_FONT_PT",
    "PIXEL_RATIO",
    "LINESTYLES",
    "EXPLORABLE_FIGSIZE",
    "MARGINS_INCHES",
    "PALETTE",
    "STYLE",
    "CourseAxes",
    "CourseFigure",
    "color",
    "course_style",
    "label",
    "legend_below",
    "with_legend_rows",
    "new_figure",
    "plain_number",
    "png_bytes",
    "short_number",
    "size_px",
    "log_ticks",
    "nice_limit",
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
"""Explorable figures are narrower, leaving room for the readout beside them (500 CSS px
wide; on a 390 px phone they shrink to about 70%)."""

MARGINS_INCHES = {"left": 0.8, "right": 0.3, "bottom": 0.6, "top": 0.15}
"""Fixed subplot margins in inches (room for tick labels and axis labels). Constrained
layout would fit them per figure but costs a third of a live explorable's redraw time, and
fixed margins keep the axes still while a slider moves."""

DPI = 100
"""CSS pixels per inch of figure: a 5-inch figure is shown 500 CSS px wide."""

PIXEL_RATIO = 2
"""Device pixels per CSS pixel the images are rendered for: crisp on 2x (retina) screens,
where a 1x image beside sharp text looks blurred."""

MIN_FONT_PT = 10
"""Smallest text on a course figure. A 500 px explorable shrinks to about 70% on a phone's
390 px screen; 10 pt (13.9 CSS px at ``DPI``) then still reads at about 9.7 px."""

STYLE = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "legend.fontsize": MIN_FONT_PT,
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


_style_depth = 0
"""How many course-style contexts are open: entering rcParams costs about 0.3 ms (it
validates every key), and a redraw makes dozens of styled calls, so nested ones reuse the
outermost."""


@contextlib.contextmanager
def course_style():
    """Context in which matplotlib draws in the course style; the global style is restored after.

    >>> with course_style():
    ...     matplotlib.rcParams["axes.spines.top"]
    False
    """
    global _style_depth
    if _style_depth:
        yield
        return
    with matplotlib.rc_context(STYLE):
        _style_depth += 1
        try:
            yield
        finally:
            _style_depth -= 1


def _styled(method):
    """Wrap a drawing method so what it creates takes the course style.

    Matplotlib reads rcParams when an artist is created (a line's width, a legend's frame,
    an axes' spines), so the style must be in force at every such call, not only when the
    figure is made, and without touching the global rcParams a learner's own plots use.
    """

    @functools.wraps(method)
    def in_course_style(*args, **kwargs):
        with course_style():
            _raise_small_sizes(kwargs)
            return method(*args, **kwargs)

    return in_course_style


_SIZE_KEYWORDS = ("fontsize", "size", "title_fontsize")


def _raise_small_sizes(kwargs) -> None:
    """No text below ``MIN_FONT_PT``, whatever a plot asks for: it must read on a phone.

    Tick labels and default text take their size from ``STYLE``; only an explicit size
    given to a drawing call can go below it, so that is where the floor is applied.
    """
    from matplotlib.font_manager import FontProperties

    for key in _SIZE_KEYWORDS:
        if kwargs.get(key) is not None:
            points = FontProperties(size=kwargs[key]).get_size_in_points()
            if points < MIN_FONT_PT:
                kwargs[key] = MIN_FONT_PT
    prop = kwargs.get("prop")
    if (isinstance(prop, dict) and prop.get("size") is not None
            and FontProperties(size=prop["size"]).get_size_in_points() < MIN_FONT_PT):
        kwargs["prop"] = {**prop, "size": MIN_FONT_PT}


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
        with course_style():
            return super().add_subplot(*args, **kwargs)

    def add_axes(self, *args, **kwargs):
        if "projection" not in kwargs and "polar" not in kwargs:
            kwargs.setdefault("axes_class", CourseAxes)
        with course_style():
            return super().add_axes(*args, **kwargs)

    def draw(self, renderer):
        # Ticks are created lazily, when the figure is drawn: they take the style then.
        with course_style():
            return super().draw(renderer)

    text = _styled(Figure.text)
    legend = _styled(Figure.legend)

    # -- recycling, for live redraws ---------------------------------------------------
    _layout = None
    """The last ``subplots`` call and what it returned: ``((args, kwargs), axes)``."""
    _recycled = False

    def subplots(self, *args, **kwargs):
        if self._recycled:
            self._recycled = False
            call, axes = self._layout
            if call == (args, kwargs):
                return axes
            for ax in list(self.axes):
                self.delaxes(ax)
        axes = super().subplots(*args, **kwargs)
        self._layout = ((args, kwargs), axes)
        return axes

    def recycle(self) -> bool:
        """Empty the figure for the next frame of the same drawing, keeping its axes.

        Most of a redraw's time goes into making axes and their ticks (five artists per
        tick), which are the same from one frame of an explorable to the next. After
        ``recycle()`` the next ``subplots()`` call with the same arguments returns the
        same axes, emptied of everything drawn on them and reset to their defaults
        (labels, scales, limits, aspect). Returns False, changing nothing, when the
        figure holds more than its ``subplots()`` axes (``add_axes``, twins, figure-level
        text) or an axis with units (categories remember every label they were given): a
        fresh figure is needed then.
        """
        if self._layout is None:
            return False
        axes = _axes_list(self._layout[1])
        if set(self.axes) != set(axes) or self.texts or self.legends or self.images:
            return False
        if any(axis.get_converter() is not None for ax in axes
               for axis in (ax.xaxis, ax.yaxis)):
            return False
        for ax in axes:
            _empty(ax)
        _apply_margins(self)
        self._recycled = True
        return True


def _axes_list(axes) -> list:
    """``subplots`` returns one Axes or an array of them."""
    return list(axes.flat) if hasattr(axes, "flat") else [axes]


def _empty(ax) -> None:
    """Remove what was drawn on *ax* and reset what drawing functions set on it."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images,
                   *ax.tables, *ax.artists]:
        artist.remove()
    ax.containers.clear()
    if ax.legend_ is not None:
        ax.legend_.remove()
    for loc in ("left", "center", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xscale("linear")
    ax.set_yscale("linear")
    ax.set_aspect("auto")
    ax.set_axis_on()
    ax.relim()
    ax.set_autoscale_on(True)
    ax.margins(x=matplotlib.rcParams["axes.xmargin"], y=matplotlib.rcParams["axes.ymargin"])


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> CourseFigure:
    """Return a new figure in the course style, not attached to pyplot.

    Everything drawn on it takes the style (spines, palette, line widths, fonts), whatever
    the global rcParams are, and pyplot does not track it, so redrawing thousands of frames
    at build time leaks nothing.

    >>> ax = new_figure().subplots()
    >>> ax.spines["top"].get_visible(), ax.plot([0, 1])[0].get_linewidth()
    (False, 2.0)
    """
    with course_style():
        fig = CourseFigure(figsize=figsize, dpi=DPI)
    _apply_margins(fig)
    return fig


def _apply_margins(fig: Figure) -> None:
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=MARGINS_INCHES["left"] / width,
        right=1 - MARGINS_INCHES["right"] / width,
        bottom=MARGINS_INCHES["bottom"] / height,
        top=1 - MARGINS_INCHES["top"] / height,
        wspace=0.35,
        hspace=0.35,
    )


def label(ax, *, x: str, y: str, x_unit: str = "", y_unit: str = "") -> None:
    """Label both axes in the course convention: lowercase name, unit in brackets."""
    ax.set_xlabel(f"{x} ({x_unit})" if x_unit else x)
    ax.set_ylabel(f"{y} ({y_unit})" if y_unit else y)


LEGEND_ROW_INCHES = 0.22
"""Height of one row of a 10 pt legend."""


def legend_below(ax, *, ncol: int = 2, title: str | None = None):
    """Put *ax*'s legend under the plot in *ncol* columns, the plot shrinking to make room;
    a *title* takes a row of its own.

    A legend inside a small plot hides curves; beside it, it takes width a phone does not
    have. Give the figure the extra height (about ``LEGEND_ROW_INCHES`` a row).

    >>> fig = new_figure((5.0, 4.0))
    >>> ax = fig.subplots()
    >>> for i in range(3):
    ...     _ = ax.plot([0, 1], [i, i], label=f"line {i}")
    >>> len(legend_below(ax, ncol=2).get_texts()), round(float(fig.subplotpars.bottom), 3)
    (3, 0.29)
    """
    fig = ax.figure
    height = fig.get_size_inches()[1]
    handles, labels = ax.get_legend_handles_labels()
    rows = math.ceil(len(labels) / ncol) + (title is not None)
    legend_inches = _legend_inches(rows)
    fig.subplots_adjust(bottom=(MARGINS_INCHES["bottom"] + legend_inches) / height)
    return ax.legend(handles, labels, loc="lower center", ncol=ncol,
                     bbox_to_anchor=(0.5, 0.0), bbox_transform=fig.transFigure,
                     columnspacing=1.2, handlelength=2.2, borderaxespad=0.2, title=title,
                     title_fontsize=matplotlib.rcParams["legend.fontsize"])


def with_legend_rows(figsize: tuple[float, float], rows: int) -> tuple[float, float]:
    """*figsize* grown by the height :func:`legend_below` takes for *rows* rows, so the plot
    keeps its size.

    >>> with_legend_rows((5.0, 3.3), 2)
    (5.0, 3.86)
    """
    width, height = figsize
    return width, round(height + _legend_inches(rows), 2)


def _legend_inches(rows: int) -> float:
    return rows * LEGEND_ROW_INCHES + 0.12


def short_number(value: float) -> str:
    """Tick label in plain numbers: 0.1, 1, 10, 100, 1k, 10k, 100k.

    >>> [short_number(v) for v in (0.1, 10, 1e3, 1e5)]
    ['0.1', '10', '1k', '100k']
    """
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def plain_number(value: float, digits: int = 3) -> str:
    """A number for a readout: *digits* significant figures, thousands separated, no
    trailing zeros, so 7920.0 reads "7,920" and 1.8667 reads "1.87".

    >>> [plain_number(v) for v in (7920.0, 660.0, 1.8667, 0.06667, 12.5, 0)]
    ['7,920', '660', '1.87', '0.0667', '12.5', '0']
    """
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(value, decimals):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def nice_limit(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least *value* (> 0).

    An axis limit that grows with the data in these steps stays put while the data moves
    a little, so frames compare at a glance (and a live redraw reuses its drawn axes).

    >>> [nice_limit(v) for v in (0.19, 0.21, 26, 60, 1000)]
    [0.2, 0.25, 50.0, 100.0, 1000.0]
    """
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"value must be a finite number above 0 (got {value!r})")
    power = 10.0 ** math.floor(math.log10(value))  # so power <= value < 10 * power
    return next(round(step * power, 12) for step in (1, 2, 2.5, 5, 10)
                if value <= step * power * (1 + 1e-12))


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


def size_px(fig: Figure) -> tuple[int, int]:
    """Return the CSS size (width, height) in pixels at which *fig* is shown.

    >>> size_px(new_figure((5.0, 3.3)))
    (500, 330)
    """
    width, height = fig.get_size_inches()
    return round(width * DPI), round(height * DPI)


def png_bytes(fig: Figure, *, palette_colors: int | None = None) -> bytes:
    """Render *fig* to PNG for screens of ``PIXEL_RATIO`` and return the bytes.

    The image has ``PIXEL_RATIO`` device pixels per CSS pixel; show it at
    :func:`size_px`. With *palette_colors* it is quantised to that many colours: course
    figures are flat colours on white, so 64 colours look the same and weigh a third as
    much, which is what keeps a page of precomputed frames light.
    """
    buffer = io.BytesIO()
    with course_style():
        fig.savefig(buffer, format="png", dpi=DPI * PIXEL_RATIO)
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
    ``mystnb`` metadata. The image is rendered for 2x screens and declares its CSS width,
    so it is as sharp as the text beside it.
    """
    from IPython.display import Image

    width, _ = size_px(fig)
    return Image(png_bytes(fig, palette_colors=256), format="png", width=width)
