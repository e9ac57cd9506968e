"""Explorables: one definition, rendered live in Jupyter or as precomputed frames in the book.

An explorable is a drawing function of a few parameters plus the grid of values each
parameter may take. In a running kernel it becomes ipywidgets controls that recompute on
every change (**live**). In the published book there is no kernel, so every grid point is
drawn when the book builds and the controls merely switch between those frames in the
browser (**static**): an ipywidgets ``Stack`` whose ``selected_index`` is ``jslink``-ed
to each control, which the widget state myst-nb embeds in the page can replay.

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

``Explorable.show()`` picks the rendering: static when the environment variable
``REACTIVE_LAB_STATIC`` is ``1`` (``make book`` sets it), live otherwise.
"""

from __future__ import annotations

import base64
import html
import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib

from reactive_lab import figures

__all__ = [
    "MAX_FRAMES",
    "MAX_FRAME_BYTES",
    "REGISTRY",
    "STATIC_ENV",
    "Dropdown",
    "Explorable",
    "Frame",
    "Slider",
    "all_explorables",
    "register",
    "static_mode",
]

MAX_FRAMES = 60
"""Most frames one explorable may precompute for the static book.

With frames quantised to 64 colours (about 25–45 kB each, a third more as base64) this
keeps one explorable near 2 MB and a page with two of them under the 5 MB page budget.
"""

MAX_FRAME_BYTES = 120_000
"""Largest PNG one frame may be; a bigger one means the figure is too large or too busy."""

STATIC_ENV = "REACTIVE_LAB_STATIC"

_PALETTE_COLORS = 64


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

    def options(self) -> list[tuple[str, int]]:
        """(label, index) pairs: widgets carry the index so it can be linked to a Stack."""
        return [(self.format(v), i) for i, v in enumerate(self.values)]


class Slider(_Control):
    """A slider over an ordered list of values (numbers, usually)."""

    kind = "slider"


class Dropdown(_Control):
    """A drop-down menu over a list of choices (a pattern, a strategy, a count)."""

    kind = "dropdown"


@dataclass(frozen=True)
class Frame:
    """One drawn grid point: the PNG, its alt text and the short text readout."""

    png: bytes
    alt: str
    readout: str = ""
    params: dict = field(default_factory=dict)

    def html(self) -> str:
        """The frame as self-contained HTML: image with alt text, readout beside it."""
        data = base64.b64encode(self.png).decode("ascii")
        readout = (
            '<div class="rl-readout" style="flex:1 1 10em;min-width:10em;font-size:0.85em;'
            'line-height:1.45;padding:0.4em 0.6em;border-left:3px solid #0072B2;">'
            f"{_readout_html(self.readout)}</div>"
            if self.readout
            else ""
        )
        return (
            '<div class="rl-frame" style="display:flex;flex-wrap:wrap;align-items:center;'
            'gap:0.5em;">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" '
            'style="max-width:100%;height:auto;flex:0 0 auto;">'
            f"{readout}</div>"
        )


def _readout_html(text: str) -> str:
    """Readouts are plain lines of text; each line becomes one line of HTML."""
    return "<br>".join(html.escape(line) for line in text.strip().splitlines())


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
        the drawing computed. It must depend on nothing but its parameters.
    controls : list of Slider or Dropdown
        One or two controls; their names are the parameters of *draw*.
    alt : str
        Alt text for each frame, a format string over the parameters (used when *draw*
        returns no alt text of its own). It should say what the figure shows, not just
        name it.
    figsize : (float, float), optional
        Figure size in inches; the default leaves room for the readout beside the figure
        in the book's text column.

    Raises
    ------
    ValueError
        With no control or more than two, or a grid larger than ``MAX_FRAMES``.
    """

    def __init__(self, name, draw, controls, *, alt, figsize=figures.EXPLORABLE_FIGSIZE):
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
        self.frames = frames

    # -- the pure layer: parameters -> drawn frame -------------------------------------
    def grid(self) -> list[dict]:
        """Every combination of control values, first control varying slowest."""
        names = [c.name for c in self.controls]
        return [dict(zip(names, combo)) for combo in itertools.product(*self._values())]

    def _values(self):
        return [c.values for c in self.controls]

    def defaults(self) -> dict:
        return {c.name: c.default for c in self.controls}

    def frame(self, *, palette_colors: int | None = _PALETTE_COLORS, **params) -> Frame:
        """Draw the figure for one set of parameters and return it as a :class:`Frame`."""
        unknown = set(params) - {c.name for c in self.controls}
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)} for {self.name!r}")
        params = {**self.defaults(), **params}
        with matplotlib.rc_context(figures.STYLE):
            fig = figures.new_figure(self.figsize)
            text = self.draw(fig, **params)
            png = figures.png_bytes(fig, palette_colors=palette_colors)
        readout, alt = text if isinstance(text, tuple) else (text, self.alt.format(**params))
        return Frame(png=png, alt=alt, readout=readout or "", params=params)

    # -- the wiring: static frames or live widgets -------------------------------------
    def show(self):
        """Display the explorable: static frames in a book build, live widgets otherwise."""
        from IPython.display import display

        display(self.static_widget() if static_mode() else self.live_widget())

    def _control_widgets(self):
        import ipywidgets as widgets

        made = []
        # One label width for all controls, so their tracks line up, wide enough for the
        # longest label (widgets cut labels off with an ellipsis otherwise).
        longest = max(len(control.description) for control in self.controls)
        label_width = f"{min(12.0, max(4.0, 0.6 * longest + 1)):.1f}em"
        for control in self.controls:
            common = dict(
                options=control.options(),
                value=control.default_index,
                description=control.description,
                style={"description_width": label_width},
                layout=widgets.Layout(width="min(34em, 100%)"),
            )
            if control.kind == "slider":
                made.append(widgets.SelectionSlider(continuous_update=True, **common))
            else:
                made.append(widgets.Dropdown(**common))
        return made

    def _box(self, controls, view):
        import ipywidgets as widgets

        box = widgets.VBox([widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap")),
                            view])
        box.add_class("rl-explorable")
        box.add_class(f"rl-explorable-{self.name}")
        return box

    def static_widget(self):
        """Precompute every frame and link the controls to a Stack of them (no kernel needed)."""
        import ipywidgets as widgets

        controls = self._control_widgets()
        rendered = {tuple(p.values()): self.frame(**p) for p in self.grid()}
        for key, frame in rendered.items():
            if len(frame.png) > MAX_FRAME_BYTES:
                raise ValueError(
                    f"frame {dict(zip([c.name for c in self.controls], key))} of {self.name!r} "
                    f"is {len(frame.png)} bytes; at most {MAX_FRAME_BYTES} keep the page light"
                )

        def stack_over(level, prefix):
            control = self.controls[level]
            children = []
            for value in control.values:
                key = prefix + (value,)
                if level + 1 < len(self.controls):
                    children.append(stack_over(level + 1, key))
                else:
                    children.append(widgets.HTML(rendered[key].html()))
            stack = widgets.Stack(children, selected_index=control.default_index)
            # The JavaScript models of selection widgets sync "index", not "value".
            widgets.jslink((controls[level], "index"), (stack, "selected_index"))
            return stack

        return self._box(controls, stack_over(0, ()))

    def live_widget(self):
        """Controls that recompute the frame on every change (needs a running kernel)."""
        import ipywidgets as widgets

        controls = self._control_widgets()
        # Live frames skip the palette quantisation: it saves bytes, not time.
        view = widgets.HTML(self.frame(palette_colors=None, **self.defaults()).html())

        def redraw(_change=None):
            params = {c.name: c.values[w.index] for c, w in zip(self.controls, controls)}
            view.value = self.frame(palette_colors=None, **params).html()

        for w in controls:
            w.observe(redraw, names="value")
        return self._box(controls, view)


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
