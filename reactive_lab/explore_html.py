"""The markup of an explorable: static HTML for the book, ipywidgets for a live kernel.

:mod:`reactive_lab.explore` decides what to draw; this module decides how it looks and
how a reader (with a mouse, a keyboard or a screen reader) works it.

In the book every frame is precomputed. The controls are native form controls, each with
a label: a range input per slider (its ``aria-valuetext`` says the value with its unit,
and its two ends are labelled), a row of radio buttons per short choice, a menu for a
long one. ``assets/_static/explorables.js`` shows the frame the controls select and
copies its readout into a polite live region, so a screen reader announces the numbers.
Without JavaScript the default frame and its readout still show.

>>> import reactive_lab as rl
>>> def draw(fig, n):
...     fig.subplots().plot(range(n))
...     return f"{n} points"
>>> demo = rl.explore.Explorable("demo", draw, [rl.explore.Slider("n", [2, 3],
...     format=lambda v: f"{v} points")], alt="A line of {n} points.", try_="add a point")
>>> page = static_html(demo, demo.static_frames())
>>> 'aria-valuetext="3 points"' in page, 'aria-live="polite"' in page
(True, True)
"""

from __future__ import annotations

import base64
import html
import itertools
import json

__all__ = ["control_widgets", "frame_html", "live_box", "static_html"]

_ids = itertools.count(1)
"""Element ids must be unique on a page; each book page is built in a fresh kernel, so a
counter gives the same ids on every build."""


def _escape(text) -> str:
    return html.escape(str(text), quote=True)


def _readout_lines(text: str) -> str:
    """Readouts are plain lines of text; each line becomes one line of HTML."""
    return "<br>".join(_escape(line) for line in text.strip().splitlines())


def _img(frame, *, hidden=False, style="") -> str:
    data = base64.b64encode(frame.image).decode("ascii")
    size = f' width="{frame.size[0]}" height="{frame.size[1]}"' if frame.size else ""
    return (
        f'<img src="data:{frame.mime};base64,{data}" alt="{_escape(frame.alt)}"{size}'
        f' data-rl-readout="{_escape(frame.readout.strip()).replace(chr(10), "&#10;")}"'
        f'{f" style={style!r}" if style else ""}{" hidden" if hidden else ""}>'
    )


def frame_html(frame) -> str:
    """One frame as self-contained HTML (live rendering): the image, its readout beside it.

    Styled inline, since a notebook has none of the book's style sheets.
    """
    readout = (
        '<div class="rl-readout" aria-live="polite" style="flex:1 1 12em;min-width:12em;'
        'font-size:14px;line-height:1.5;padding:0.4em 0.7em;border-left:3px solid #0072B2;">'
        f"{_readout_lines(frame.readout)}</div>"
        if frame.readout
        else ""
    )
    return (
        '<div class="rl-view" style="display:flex;flex-wrap:wrap;align-items:center;'
        'gap:0.5em;">'
        '<div class="rl-figure" style="flex:0 1 auto;max-width:100%;background:#fff;">'
        f'{_img(frame, style="max-width:100%;height:auto;")}'
        f"</div>{readout}</div>"
    )


def _try_html(explorable) -> str:
    if not explorable.try_:
        return ""
    return (f'<p class="rl-try"><span class="rl-try-label">Try:</span> '
            f"{_escape(explorable.try_)}</p>")


def _slider_html(control, index, uid) -> str:
    labels = control.labels()
    default = control.default_index
    return (
        '<div class="rl-control rl-slider">'
        f'<label class="rl-control-label" for="{uid}">{_escape(control.description)}</label>'
        '<div class="rl-slider-body">'
        f'<input type="range" id="{uid}" min="0" max="{len(labels) - 1}" step="1" '
        f'value="{default}" data-rl-control="{index}" '
        f"data-rl-labels='{_escape(json.dumps(labels))}' "
        f'aria-valuetext="{_escape(labels[default])}">'
        '<div class="rl-slider-ends" aria-hidden="true">'
        f"<span>{_escape(labels[0])}</span><span>{_escape(labels[-1])}</span></div></div>"
        f'<output class="rl-value" for="{uid}" aria-hidden="true">'
        f"{_escape(labels[default])}</output></div>"
    )


def _choice_html(control, index, uid) -> str:
    buttons = "".join(
        f'<label class="rl-segment"><input type="radio" name="{uid}" value="{i}"'
        f'{" checked" if i == control.default_index else ""}>'
        f"<span>{_escape(label)}</span></label>"
        for label, i in control.options()
    )
    return (
        f'<fieldset class="rl-control rl-choice" data-rl-control="{index}">'
        f'<legend class="rl-control-label">{_escape(control.description)}</legend>'
        f'<div class="rl-segments">{buttons}</div></fieldset>'
    )


def _menu_html(control, index, uid) -> str:
    options = "".join(
        f'<option value="{i}"{" selected" if i == control.default_index else ""}>'
        f"{_escape(label)}</option>"
        for label, i in control.options()
    )
    return (
        '<div class="rl-control rl-menu">'
        f'<label class="rl-control-label" for="{uid}">{_escape(control.description)}</label>'
        f'<select id="{uid}" data-rl-control="{index}">{options}</select></div>'
    )


def _control_html(control, index, uid) -> str:
    if control.kind == "slider":
        return _slider_html(control, index, uid)
    if control.segmented:
        return _choice_html(control, index, uid)
    return _menu_html(control, index, uid)


def static_html(explorable, frames) -> str:
    """The book's markup: try line, controls, every frame (one shown) and a live readout.

    *frames* are in :meth:`~reactive_lab.explore.Explorable.grid` order, so the frame of
    control positions (i, j) is ``frames[i * len(second control) + j]``.
    """
    number = next(_ids)
    controls = "".join(
        _control_html(control, i, f"rl-{explorable.name}-{number}-{control.name}")
        for i, control in enumerate(explorable.controls)
    )
    shown = 0
    for control in explorable.controls:
        shown = shown * len(control.values) + control.default_index
    images = "".join(_img(frame, hidden=i != shown) for i, frame in enumerate(frames))
    shape = json.dumps([len(c.values) for c in explorable.controls])
    return (
        f'<div class="rl-explorable rl-explorable-{explorable.name}" data-rl-shape="{shape}">'
        f'{_try_html(explorable)}<div class="rl-controls">{controls}</div>'
        f'<div class="rl-view"><div class="rl-figure">{images}</div>'
        '<div class="rl-readout" aria-live="polite" aria-atomic="true">'
        f"{_readout_lines(frames[shown].readout)}</div></div></div>"
    )


def control_widgets(explorable):
    """ipywidgets controls for a live kernel: a slider, or buttons (a menu when many)."""
    import ipywidgets as widgets

    made = []
    # One label width for all controls, so their tracks line up, wide enough for the
    # longest label (widgets cut labels off with an ellipsis otherwise).
    longest = max(len(control.description) for control in explorable.controls)
    label_width = f"{min(12.0, max(4.0, 0.6 * longest + 1)):.1f}em"
    for control in explorable.controls:
        common = dict(
            options=control.options(),
            value=control.default_index,
            description=control.description,
            style={"description_width": label_width},
        )
        if control.kind == "slider":
            made.append(widgets.SelectionSlider(
                continuous_update=True, layout=widgets.Layout(width="min(30em, 100%)"),
                **common))
        elif control.segmented:
            made.append(widgets.ToggleButtons(
                style={"description_width": label_width, "button_width": "auto"},
                **{k: v for k, v in common.items() if k != "style"}))
        else:
            made.append(widgets.Dropdown(layout=widgets.Layout(width="min(24em, 100%)"),
                                         **common))
    return made


def live_box(explorable, controls, view):
    """The live card: the try line, the controls, then the frame the kernel redraws."""
    import ipywidgets as widgets

    rows = [widgets.HTML(_try_html(explorable))] if explorable.try_ else []
    rows += [widgets.VBox(controls), view]
    box = widgets.VBox(rows)
    box.add_class("rl-explorable")
    box.add_class(f"rl-explorable-{explorable.name}")
    return box
