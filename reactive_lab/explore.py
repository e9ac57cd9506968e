"""Explorables: one definition, rendered live in Jupyter or as precomputed frames in the book.

An explorable is a drawing function of a few parameters plus the grid of values each
parameter may take. In a running kernel it becomes ipywidgets controls that recompute on
every change (**live**). In the published book there is no kernel, so every grid point is
drawn when the book builds and the controls merely switch between those frames in the
browser (**static**): plain HTML form controls (a range input, a row of buttons) and one
image per frame, switched by ``assets/_static/explorables.js``, so no widget manager is
needed and each control is a native, labelled control a screen reader can name.

>>> import reactive_lab as rl
>>> def draw(fig, slope):
...     ax = fig.subplots()
...     ax.plot([0, 1], [0, slope])
...     rl.figures.label(ax, x="x", y="y")
...     return f"slope {slope}"
>>> line = rl.explore.Explorable(
...     "line", draw, [rl.explore.Slider("slope", [1, 2, 3])],
...     alt="A straight line from the origin with slope {slope}.")
>>> line.frames
3
>>> line.frame(slope=2).readout
'slope 2'
>>> line.frame(slope=2).size  # CSS pixels; the PNG has twice as many each way
(500, 330)

``Explorable.show()`` picks the rendering: static when the environment variable
``REACTIVE_LAB_STATIC`` is ``1`` (``make book`` sets it), live otherwise.
"""

from __future__ import annotations

import inspect
import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reactive_lab import explore_html, figures, svg_layers

__all__ = [
    "MAX_FRAMES",
    "MAX_FRAME_BYTES",
    "REGISTRY",
    "SEGMENTED_MAX",
    "STATIC_ENV",
    "Dropdown",
    "Explorable",
    "Frame",
    "Slider",
    "all_explorables",
    "plural",
    "register",
    "static_mode",
]

MAX_FRAMES = 60
"""Most frames one explorable may precompute for the static book.

Frames are rendered for 2x screens and quantised to 64 colours (about 15–25 kB each, a
third more as base64), so one explorable stays near 2 MB and a page with three of them
under the 5 MB page budget.
"""

MAX_FRAME_BYTES = 200_000
"""Largest PNG one frame may be (at 2x, a dense drawing such as a 32-node full mesh takes
about 140 kB); a bigger one means the figure is too large or too busy."""

STATIC_ENV = "REACTIVE_LAB_STATIC"

SEGMENTED_MAX = 6
"""Most choices a :class:`Dropdown` shows as a row of buttons; more become a menu."""

_PALETTE_COLORS = 64


def plural(count, noun: str, plural_noun: str | None = None) -> str:
    """Return "1 server", "4 servers": a count with its noun, singular or plural.

    >>> plural(1, "virtual node"), plural(16, "virtual node"), plural(2, "mesh", "meshes")
    ('1 virtual node', '16 virtual nodes', '2 meshes')
    """
    word = noun if count == 1 else (plural_noun or noun + "s")
    return f"{count:,} {word}"


def static_mode() -> bool:
    """Return True when explorables should render as precomputed frames (book builds)."""
    return os.environ.get(STATIC_ENV, "") == "1"


@dataclass(frozen=True)
class _Control:
    name: str
    values: Sequence[Any]
    label: str | None = None
    default: Any = None
    format: Callable[[Any], str] = str

    def __post_init__(self):
        if not self.name.isidentifier():
            raise ValueError(f"control name must be a Python identifier (got {self.name!r})")
        values = tuple(self.values)
        if not values:
            raise ValueError(f"control {self.name!r} needs at least one value")
        object.__setattr__(self, "values", values)
        if self.default is None:
            object.__setattr__(self, "default", values[len(values) // 2])
        elif self.default not in values:
            raise ValueError(
                f"default of control {self.name!r} must be one of its values {values}, "
                f"got {self.default!r}"
            )

    @property
    def description(self) -> str:
        return self.label or self.name

    @property
    def default_index(self) -> int:
        return self.values.index(self.default)

    def labels(self) -> list[str]:
        """The value of each position as shown, and as a screen reader says it."""
        return [self.format(v) for v in self.values]

    def options(self) -> list[tuple[str, int]]:
        """(label, index) pairs: widgets carry the index, so frames are found by position."""
        return [(label, i) for i, label in enumerate(self.labels())]


class Slider(_Control):
    """A slider over an ordered list of values (numbers, usually).

    *format* turns a value into the text shown beside the slider and read out by screen
    readers; give it the unit (``lambda v: f"{v} s"``), since a bare number is ambiguous.
    """

    kind = "slider"


class Dropdown(_Control):
    """A choice among a few values (a pattern, a strategy, a count).

    Up to ``SEGMENTED_MAX`` choices show as a row of buttons, all visible at once; more
    show as a drop-down menu.
    """

    kind = "dropdown"

    @property
    def segmented(self) -> bool:
        return len(self.values) <= SEGMENTED_MAX


@dataclass(frozen=True)
class Frame:
    """One drawn grid point: the image, its alt text and the short text readout.

    *image* is a PNG for the book's precomputed frames, rendered with
    ``figures.PIXEL_RATIO`` times as many pixels as its CSS *size* (width, height), for
    sharp 2x screens; a live redraw sends an SVG (*mime* ``image/svg+xml``) instead.
    """

    image: bytes
    alt: str
    readout: str = ""
    params: dict = field(default_factory=dict)
    size: tuple[int, int] | None = None
    mime: str = "image/png"

    def html(self) -> str:
        """The frame as self-contained HTML: image with alt text, readout beside it."""
        return explore_html.frame_html(self)


class Explorable:
    """A figure that depends on one or two controls, live in Jupyter and static in the book.

    Parameters
    ----------
    name : str
        Short identifier, used by the benchmarks and as a CSS class in the page.
    draw : callable
        ``draw(fig, **params)`` draws on a fresh, empty figure (a
        :class:`matplotlib.figure.Figure` in the course style) and returns the readout
        text, or ``None``, or a ``(readout, alt)`` pair when the alt text needs numbers
        the drawing computed. It must depend on nothing but its parameters. If it also
        takes a keyword ``live``, it is called with ``live=True`` for a live redraw in a
        kernel (each must fit the 50 ms budget: simulate less, and show the confidence
        band) and ``live=False`` for the book's precomputed frames.
    controls : list of Slider or Dropdown
        One or two controls; their names are the parameters of *draw*.
    alt : str
        Alt text for each frame, a format string over the parameters (used when *draw*
        returns no alt text of its own). It should say what the figure shows, not just
        name it.
    figsize : (float, float), optional
        Figure size in inches (100 CSS px each); the default leaves room for the readout
        beside the figure in the book's text column. Keep text at least
        ``figures.MIN_FONT_PT``, so it still reads on a phone.
    try_ : str, optional
        One line inviting the reader to play, shown above the controls after "Try:"
        ("set 16 servers and watch the knee move right"). Say what to do and what to
        notice.

    Raises
    ------
    ValueError
        With no control or more than two, or a grid larger than ``MAX_FRAMES``.
    """

    def __init__(self, name, draw, controls, *, alt, figsize=figures.EXPLORABLE_FIGSIZE,
                 try_=None):
        controls = list(controls)
        if not 1 <= len(controls) <= 2:
            raise ValueError(f"an explorable takes one or two controls (got {len(controls)})")
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must differ (got {names})")
        frames = 1
        for control in controls:
            frames *= len(control.values)
        if frames > MAX_FRAMES:
            raise ValueError(
                f"explorable {name!r} has {frames} grid points; the static book allows at most "
                f"{MAX_FRAMES} per explorable (fewer values per control keep pages light)"
            )
        self.name = name
        self.draw = draw
        self.controls = controls
        self.alt = alt
        self.figsize = figsize
        self.try_ = try_
        self.frames = frames
        self._draw_takes_live = "live" in inspect.signature(draw).parameters
        self._live_figure = None  # the last live frame's figure, recycled by the next
        self._layers = svg_layers.SvgLayers()  # live frames' axes, drawn once each

    # -- the pure layer: parameters -> drawn frame -------------------------------------
    def grid(self) -> list[dict]:
        """Every combination of control values, first control varying slowest."""
        names = [c.name for c in self.controls]
        return [dict(zip(names, combo)) for combo in itertools.product(*self._values())]

    def _values(self):
        return [c.values for c in self.controls]

    def defaults(self) -> dict:
        return {c.name: c.default for c in self.controls}

    def frame(self, *, palette_colors: int | None = _PALETTE_COLORS, live: bool = False,
              **params) -> Frame:
        """Draw the figure for one set of parameters and return it as a :class:`Frame`.

        *live* draws it as a slider move in a kernel does: the draw function's live
        variant if it has one, as an SVG whose axes are drawn again only when they change
        (:class:`reactive_lab.svg_layers.SvgLayers`), on the previous live frame's figure
        emptied for reuse (:meth:`~reactive_lab.figures.CourseFigure.recycle`), which
        spares making the axes and their ticks again.
        """
        unknown = set(params) - {c.name for c in self.controls}
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)} for {self.name!r}")
        params = {**self.defaults(), **params}
        extra = {"live": live} if self._draw_takes_live else {}
        with figures.course_style():
            recycled = live and self._live_figure is not None and self._live_figure.recycle()
            fig = self._live_figure if recycled else figures.new_figure(self.figsize)
            text = self.draw(fig, **params, **extra)
            if live:
                self._live_figure = fig
                image, mime = self._layers.render(fig), "image/svg+xml"
            else:
                image, mime = figures.png_bytes(fig, palette_colors=palette_colors), "image/png"
        readout, alt = text if isinstance(text, tuple) else (text, self.alt.format(**params))
        return Frame(image=image, alt=alt, readout=readout or "", params=params,
                     size=figures.size_px(fig), mime=mime)

    # -- the wiring: static frames or live widgets -------------------------------------
    def show(self):
        """Display the explorable: static frames in a book build, live widgets otherwise."""
        from IPython.display import display

        display(self.static_html() if static_mode() else self.live_widget())

    def static_frames(self) -> list[Frame]:
        """Every frame of the grid, in :meth:`grid` order, each checked against the budget."""
        rendered = [self.frame(**params) for params in self.grid()]
        for frame in rendered:
            if len(frame.image) > MAX_FRAME_BYTES:
                raise ValueError(
                    f"frame {frame.params} of {self.name!r} is {len(frame.image)} bytes; at "
                    f"most {MAX_FRAME_BYTES} keep the page light"
                )
        return rendered

    def static_html(self):
        """Every frame precomputed, with controls that switch between them in the browser.

        Plain HTML (a range input per slider, radio buttons or a menu per choice, one
        image per frame) that ``assets/_static/explorables.js`` wires up: no kernel and no
        widget manager needed, and each control is a native, labelled form control.
        """
        from IPython.display import HTML

        return HTML(explore_html.static_html(self, self.static_frames()))

    def live_widget(self):
        """Controls that recompute the frame on every change (needs a running kernel)."""
        import ipywidgets as widgets

        controls = explore_html.control_widgets(self)
        view = widgets.HTML(self.frame(live=True, **self.defaults()).html())

        def redraw(_change=None):
            params = {c.name: c.values[w.index] for c, w in zip(self.controls, controls)}
            view.value = self.frame(live=True, **params).html()

        for w in controls:
            w.observe(redraw, names="value")
        return explore_html.live_box(self, controls, view)


REGISTRY: dict[tuple[str, str], Callable[[], Explorable]] = {}
"""Every explorable the book shows: (page, factory name) -> factory.

Filled as chapter modules are imported; :func:`all_explorables` imports every chapter's
explorables first. The benchmarks (``make bench``) time each one; the browser tests check
each page.
"""


def register(page: str):
    """Decorator for a factory returning an :class:`Explorable` shown on *page*.

    Raises
    ------
    ValueError
        If *page* already has an explorable of that name: a second one would hide the first
        from the benchmarks and the tests.
    """

    def decorate(factory):
        key = (page, factory.__name__)
        known = REGISTRY.get(key)
        # The same function imported again (a module reloaded) replaces itself.
        if known is not None and _origin(known) != _origin(factory):
            raise ValueError(
                f"page {page!r} already has an explorable named {factory.__name__!r}; "
                "each factory on a page needs its own name"
            )
        REGISTRY[key] = factory
        return factory

    return decorate


def _origin(factory) -> tuple[str, str]:
    return factory.__module__, factory.__qualname__


def all_explorables() -> dict[tuple[str, str], Callable[[], Explorable]]:
    """Import every chapter's explorables and return :data:`REGISTRY`, in the book's order.

    >>> ("chapters/00-queues/index", "latency_vs_load") in all_explorables()
    True
    """
    import importlib

    import reactive_lab

    for chapter in reactive_lab.CHAPTERS:
        importlib.import_module(f"reactive_lab.{chapter}.explorables")
    return REGISTRY
