"""Live frames in three SVG layers: the axes and the legends drawn once, the data per frame.

Most of a live redraw's time goes into drawing the axes, not the data: every tick is a
gridline, a tick mark and a text that matplotlib lays out again on every render, and a
legend is a nest of boxes measured again each time. From one frame of an explorable to
the next these are usually the same (fixed axes are the point of comparing frames). So a
live frame is rendered as three SVG documents, merged into one:

- the **background**: the figure and axes patches, and axes with their ticks, labels and
  grid; rendered only when its :func:`background_key` is new, and kept;
- the **data**: everything the draw function plotted, the spines (cheap, and above the
  data where it meets them), titles and figure text, and any legend placed by
  ``loc="best"`` (its place depends on the data); rendered every frame;
- the **legends**: every other legend, on top as matplotlib draws them; rendered only when
  their :func:`legends_key` is new, and kept.

The data layer is drawn above the whole background, so a tick mark a line crosses is
under it rather than over it; in the course style (grid below the data, ticks outside the
axes) the two look the same: in Chromium, under 0.1% of a frame's pixels differ from a
single-pass render (``tests/test_svg_layers.py``). The book's precomputed frames are
single-pass PNGs and are not affected.

A stale layer would show a learner wrong axes, so the keys list everything their layer
draws, and the tests draw every explorable's frames both ways (warm caches along a
learner's path, empty ones) and require the same bytes.
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict

import matplotlib
import numpy as np

from reactive_lab import figures

__all__ = ["SVG_STYLE", "SvgLayers", "background_key", "legends_key", "merge"]

SVG_STYLE = {"svg.fonttype": "none", "svg.hashsalt": "reactive-lab"}
"""Text stays text (the browser sets it, in the style's sans-serif stack, which skips
rasterising glyphs), and ids are the same on every render: clip paths and markers are named
by a hash of their content, so the two layers give a shared one the same id."""

_STYLE_GETTERS = (
    "get_color", "get_linestyle", "get_linewidth", "get_marker", "get_markersize",
    "get_markerfacecolor", "get_markeredgecolor", "get_facecolor", "get_edgecolor",
    "get_hatch", "get_alpha", "get_sizes", "get_visible", "get_text", "get_fontsize",
    "get_rotation",
)  # not get_position: matplotlib sets a label's position while drawing, from the rest


def _hashable(value):
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.tobytes())
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value


def _style(artist) -> tuple:
    """What an artist of the background looks like, as far as its drawing goes."""
    return (type(artist).__name__, *(
        _hashable(getattr(artist, getter)()) for getter in _STYLE_GETTERS
        if hasattr(artist, getter)))


def _axis_key(axis) -> tuple:
    labels = [t for t in axis.get_majorticklabels()]
    minor = axis.get_minorticklocs()
    return (
        axis.get_visible(), axis.get_label_position(), axis.get_ticks_position(),
        _hashable(axis.get_majorticklocs()), tuple(_style(t) for t in labels),
        _hashable(minor),
        tuple(_style(t) for t in axis.get_minorticklabels()) if len(minor) else (),
        _style(axis.label), None if axis._autolabelpos else axis.label.get_position(),
        repr(sorted(axis._major_tick_kw.items())), repr(sorted(axis._minor_tick_kw.items())),
    )


def _legend_key(legend) -> tuple:
    anchor = legend.get_bbox_to_anchor()
    return (
        legend._loc, _hashable(anchor.bounds), legend._ncols, legend.get_frame_on(),
        _style(legend.get_title()), tuple(_style(t) for t in legend.get_texts()),
        tuple(_style(h) for h in legend.legend_handles if h is not None),
    )


def _placed_legends(fig) -> list:
    """Legends at a place of their own: one placed by 'best' moves with the data."""
    legends = [*fig.legends, *(ax.legend_ for ax in fig.axes if ax.legend_ is not None)]
    return [legend for legend in legends if legend._loc != 0]


def background_key(fig) -> tuple:
    """Everything the background layer of *fig* depends on: equal keys, equal layers."""
    key = [_hashable(fig.get_size_inches()), fig.dpi, _style(fig.patch)]
    for ax in fig.axes:
        key += [
            _hashable(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim(),
            ax.get_xscale(), ax.get_yscale(), ax.axison, ax.get_axisbelow(),
            _style(ax.patch), _axis_key(ax.xaxis), _axis_key(ax.yaxis),
        ]
    return tuple(key)


def legends_key(fig) -> tuple:
    """Everything the legends layer of *fig* depends on: equal keys, equal layers."""
    return (_hashable(fig.get_size_inches()), fig.dpi,
            *(_legend_key(legend) for legend in _placed_legends(fig)))


def _background(fig) -> list:
    parts = [fig.patch]
    for ax in fig.axes:
        parts += [ax.patch, ax.xaxis, ax.yaxis]
    return parts


def _everything(fig) -> list:
    children = [child for ax in fig.axes for child in ax.get_children()]
    return [artist for artist in [*fig.get_children(), *children] if artist not in fig.axes]


def _all_but(fig, kept) -> list:
    kept = {id(artist) for artist in kept}
    return [artist for artist in _everything(fig) if id(artist) not in kept]


def _render_without(fig, hidden) -> str:
    """The SVG of *fig* with the artists *hidden* left out (their visibility restored)."""
    shown = [artist for artist in hidden if artist.get_visible()]
    for artist in shown:
        artist.set_visible(False)
    try:
        buffer = io.StringIO()
        with figures.course_style(), matplotlib.rc_context(SVG_STYLE):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
    finally:
        for artist in shown:
            artist.set_visible(True)


_FIGURE_OPEN = '<g id="figure_1">'
_TOP_LEVEL_CLOSE = "\n </g>\n"  # matplotlib indents by one space a level: the figure's close
_TRAILING_DEF = re.compile(r'\s*<(?:clipPath|pattern) id="([^"]+)".*?</(?:clipPath|pattern)>',
                           re.DOTALL)  # what matplotlib defines after the drawing
_INLINE_MARKER = re.compile(r'\s*<defs>\s*<path id="([^"]+)"[^>]*/>\s*</defs>')
_ID = re.compile(r' id="([^"]+)"')


def _parts(svg: str) -> tuple[str, str, str]:
    """(head up to the figure's group, the group's content, trailing defs and close)."""
    start = svg.index(_FIGURE_OPEN) + len(_FIGURE_OPEN)
    end = svg.index(_TOP_LEVEL_CLOSE, start)
    return svg[:start], svg[start:end], svg[end + len(_TOP_LEVEL_CLOSE):]


def merge(background: str, foreground: str, prefix: str) -> str:
    """One SVG document: *foreground*'s drawing over *background*'s.

    Group ids of the foreground get *prefix* (both documents count ``axes_1``,
    ``line2d_1`` and so on from one); clip paths and markers the background already
    defines, under the same content-hash id, are dropped from the foreground.
    """
    head, back, tail = _parts(background)
    _, front, front_tail = _parts(foreground)
    defined = set(_ID.findall(background))

    def unless_defined(match):
        return "" if match.group(1) in defined else match.group(0)

    front = _INLINE_MARKER.sub(unless_defined, front).replace('<g id="', f'<g id="{prefix}')
    added = "".join(unless_defined(match) for match in _TRAILING_DEF.finditer(front_tail))
    defs = f" <defs>{added}\n </defs>\n" if added else ""
    return head + back + front + _TOP_LEVEL_CLOSE + tail.replace("</svg>", defs + "</svg>")


class _Cache:
    """The last few renders of one layer, by key."""

    def __init__(self, keep: int):
        self.keep = keep
        self._renders: OrderedDict[tuple, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._renders)

    def get(self, key, render) -> str:
        if key in self._renders:
            self._renders.move_to_end(key)
            return self._renders[key]
        self._renders[key] = rendered = render()
        if len(self._renders) > self.keep:
            self._renders.popitem(last=False)
        return rendered


class SvgLayers:
    """Renders live frames of one explorable, keeping its last few axes and legends.

    >>> from reactive_lab import figures
    >>> layers, fig = SvgLayers(), figures.new_figure()
    >>> _ = fig.subplots().plot([0, 1], [1, 0], label="falling")
    >>> _ = fig.axes[0].legend(loc="upper right")
    >>> first = layers.render(fig)
    >>> first == layers.render(fig), len(layers.backgrounds), len(layers.legends)
    (True, 1, 1)
    """

    def __init__(self, keep: int = 16):
        self.backgrounds = _Cache(keep)
        self.legends = _Cache(keep)

    def render(self, fig) -> bytes:
        """The SVG of *fig*, its background and legends from the caches when seen before."""
        background = self.backgrounds.get(
            background_key(fig), lambda: _render_without(fig, _all_but(fig, _background(fig))))
        legends = _placed_legends(fig)
        data = _render_without(fig, [*_background(fig), *legends])
        svg = merge(background, data, "data-")
        if legends:
            svg = merge(svg, self.legends.get(
                legends_key(fig), lambda: _render_without(fig, _all_but(fig, legends))),
                "legend-")
        return svg.encode()
