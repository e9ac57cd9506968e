"""The explorable: one definition, drawn as frames, wired static (no kernel) or live."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.explore import MAX_FRAMES, Dropdown, Explorable, Slider


def _draw_line(fig, slope, style="solid"):
    ax = fig.subplots()
    ax.plot([0, 1], [0, slope], ls="-" if style == "solid" else "--")
    rl.figures.label(ax, x="x", y="y", y_unit="ms")
    return f"slope {slope}, {style}"


def _line(controls=None):
    controls = controls or [Slider("slope", [1, 2, 3]), Dropdown("style", ["solid", "dashed"])]
    return Explorable("line", _draw_line, controls,
                      alt="A straight line with slope {slope}, drawn {style}.")


def test_grid_varies_first_control_slowest():
    """The grid lists every combination, first control slowest, like nested Stacks."""
    assert _line().grid() == [
        {"slope": 1, "style": "solid"}, {"slope": 1, "style": "dashed"},
        {"slope": 2, "style": "solid"}, {"slope": 2, "style": "dashed"},
        {"slope": 3, "style": "solid"}, {"slope": 3, "style": "dashed"},
    ]


def test_frame_carries_png_alt_text_and_readout():
    """A frame is a PNG with alt text formatted from its parameters and the draw's readout."""
    frame = _line().frame(slope=3, style="dashed")
    assert frame.image.startswith(b"\x89PNG")
    assert frame.alt == "A straight line with slope 3, drawn dashed."
    assert frame.readout == "slope 3, dashed"
    html = frame.html()
    assert 'alt="A straight line with slope 3, drawn dashed."' in html
    assert "slope 3, dashed" in html


def test_frame_uses_defaults_for_missing_parameters():
    """Unspecified parameters take the control defaults (the middle value unless given)."""
    assert _line().frame().params == {"slope": 2, "style": "dashed"}


def test_draw_may_return_its_own_alt_text():
    """A draw returning (readout, alt) overrides the alt template with computed numbers."""

    def draw(fig, n):
        fig.subplots().bar(range(n), range(n))
        return f"{n} bars", f"A bar chart of {n} bars rising from 0 to {n - 1}."

    frame = Explorable("bars", draw, [Slider("n", [2, 3])], alt="unused {n}").frame(n=3)
    assert frame.alt == "A bar chart of 3 bars rising from 0 to 2."


def test_frames_of_different_parameters_differ():
    """Each grid point draws a different figure."""
    pngs = {_line().frame(**p).image for p in _line().grid()}
    assert len(pngs) == 6


def test_quantised_frame_is_smaller_than_full_colour():
    """Palette quantisation keeps the static book light."""
    line = _line()
    assert len(line.frame(slope=2).image) < len(line.frame(slope=2, palette_colors=None).image)


@pytest.mark.parametrize(
    "controls, message",
    [
        ([], "one or two controls"),  # nothing to explore
        ([Slider("a", [1]), Slider("b", [1]), Slider("c", [1])], "one or two controls"),
        ([Slider("a", [1, 2]), Dropdown("a", [3])], "names must differ"),
        ([Slider("a", range(MAX_FRAMES + 1))], f"at most {MAX_FRAMES}"),  # too heavy a page
        ([Slider("a", range(10)), Slider("b", range(7))], f"at most {MAX_FRAMES}"),
    ],
)
def test_explorable_rejects_bad_controls(controls, message):
    """Bad control sets raise ValueError saying what is allowed."""
    with pytest.raises(ValueError, match=message):
        Explorable("bad", _draw_line, controls, alt="x")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Slider("not valid", [1]), "identifier"),
        (lambda: Slider("a", []), "at least one value"),
        (lambda: Dropdown("a", [1, 2], default=3), "must be one of its values"),
    ],
)
def test_control_rejects_bad_definitions(make, message):
    """Controls check their name, values and default."""
    with pytest.raises(ValueError, match=message):
        make()


def test_frame_rejects_unknown_parameters():
    """A misspelt parameter is an error, not silently ignored."""
    with pytest.raises(ValueError, match="unknown parameter"):
        _line().frame(slop=2)


def test_static_html_holds_every_frame_and_shows_the_default():
    """Static rendering: one image per grid point, only the default one visible."""
    line = _line()
    page = line.static_html().data
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == line.frames == 6
    assert len({re.search(r'src="([^"]+)"', img).group(1) for img in images}) == 6
    shown = [img for img in images if " hidden" not in img]
    # Grid order, first control slowest: slope 2 (index 1), style dashed (index 1) -> 3.
    assert shown == [images[3]]
    assert 'alt="A straight line with slope 2, drawn dashed."' in shown[0]
    assert 'data-rl-shape="[3, 2]"' in page
    assert "rl-explorable" in page


def test_static_html_names_every_control_for_screen_readers():
    """Each slider has a label and a value text; choices are a labelled radio group."""
    page = Explorable(
        "line", _draw_line,
        [Slider("slope", [1, 2, 3], label="slope", format=lambda v: f"{v} ms per unit"),
         Dropdown("style", ["solid", "dashed"])],
        alt="A line {slope} {style}.", try_="drag the slope to 3").static_html().data
    slider_id = re.search(r'<input type="range" id="([^"]+)"', page).group(1)
    assert f'<label class="rl-control-label" for="{slider_id}">slope</label>' in page
    assert 'aria-valuetext="2 ms per unit"' in page
    assert "<span>1 ms per unit</span><span>3 ms per unit</span>" in page  # both ends
    assert '<legend class="rl-control-label">style</legend>' in page
    assert page.count('type="radio"') == 2
    assert 'aria-live="polite"' in page
    assert "Try:</span> drag the slope to 3" in page


def test_a_long_choice_becomes_a_menu():
    """More than SEGMENTED_MAX choices do not fit a row of buttons: they become a menu."""
    many = Dropdown("n", range(rl.explore.SEGMENTED_MAX + 1))
    page = Explorable("many", lambda fig, n: None, [many], alt="n {n}").static_html().data
    assert "<select" in page and 'type="radio"' not in page


def test_static_html_refuses_oversized_frames():
    """A frame heavier than MAX_FRAME_BYTES is refused: it would bloat the page."""
    def noisy(fig, seed):
        fig.set_size_inches(12, 9)
        fig.subplots().imshow(np.random.default_rng(seed).random((400, 400)))

    explorable = Explorable("noise", noisy, [Slider("seed", [1, 2])], alt="random noise {seed}")
    with pytest.raises(ValueError, match="keep the page light"):
        explorable.static_html()


def test_frames_are_rendered_for_2x_screens():
    """The PNG has PIXEL_RATIO device pixels per CSS pixel of the size it is shown at."""
    from PIL import Image

    frame = _line().frame()
    width, height = Image.open(io.BytesIO(frame.image)).size
    assert (width, height) == tuple(rl.figures.PIXEL_RATIO * v for v in frame.size)
    assert 'width="500" height="330"' in frame.html()


def test_live_widget_redraws_when_a_control_moves():
    """Live rendering: changing a control recomputes the frame shown."""
    box = _line().live_widget()
    (slope, style), view = box.children[0].children, box.children[1]
    before = view.value
    slope.index = 0
    after_slope = view.value
    style.index = 0
    assert before != after_slope != view.value
    assert "slope 1, solid" in view.value


def test_draw_with_a_live_keyword_is_told_which_rendering_it_serves():
    """A draw taking ``live`` gets True for a kernel redraw and False for book frames."""
    calls = []

    def draw(fig, n, live):
        calls.append(live)
        fig.subplots().plot(range(n))

    explorable = Explorable("live", draw, [Slider("n", [2, 3])], alt="{n}")
    explorable.frame(n=2)
    explorable.frame(n=2, live=True)
    assert calls == [False, True]


def test_a_live_frame_is_an_svg_with_its_text_left_as_text():
    """A live redraw sends a vector image, sharp at any scale, its labels as <text>, and
    the same bytes for the same parameters (no date, fixed ids)."""
    frame = _line().frame(slope=2, live=True)
    assert frame.mime == "image/svg+xml" and frame.image.lstrip().startswith(b"<?xml")
    assert b"<text" in frame.image and b"sans-serif" in frame.image
    assert frame.image == _line().frame(slope=2, live=True).image
    assert 'src="data:image/svg+xml;base64,' in frame.html()
    assert _line().frame(slope=2).mime == "image/png"


def test_show_renders_static_in_a_book_build(monkeypatch):
    """show() displays precomputed frames when REACTIVE_LAB_STATIC=1, live widgets otherwise."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    line = _line()
    monkeypatch.setenv(rl.explore.STATIC_ENV, "1")
    line.show()
    monkeypatch.setenv(rl.explore.STATIC_ENV, "0")
    line.show()
    static, live = shown
    assert static.data.count("<img ") == 6
    assert live.children[1].value.count("<img ") == 1


def test_every_registered_explorable_fits_the_frame_budget():
    """Every explorable the book shows is registered with its page and within MAX_FRAMES."""
    registry = rl.explore.all_explorables()
    assert registry
    for (page, name), factory in registry.items():
        explorable = factory()
        assert explorable.name == name
        assert page.startswith("chapters/")
        assert 1 < explorable.frames <= MAX_FRAMES


@pytest.mark.parametrize("key", sorted(rl.explore.all_explorables()), ids="/".join)
def test_every_control_of_every_explorable_changes_picture_readout_and_alt(key):
    """From the defaults, moving any one control to its other end changes the picture, the
    readout and the alt text, and every frame describes itself in a real sentence."""
    explorable = rl.explore.all_explorables()[key]()
    base = explorable.defaults()
    for control in explorable.controls:
        other = control.values[0] if base[control.name] != control.values[0] \
            else control.values[-1]
        default, moved = explorable.frame(**base), explorable.frame(**{**base, control.name: other})
        for frame in (default, moved):
            assert frame.image.startswith(b"\x89PNG\r\n\x1a\n") and len(frame.alt) > 80
        assert default.image != moved.image, (key, control.name)
        assert default.readout != moved.readout, (key, control.name)
        assert default.alt != moved.alt, (key, control.name)


@pytest.mark.parametrize("key", sorted(rl.explore.all_explorables()), ids="/".join)
def test_a_recycled_live_figure_draws_every_frame_as_a_fresh_one_would(key):
    """Live frames reuse the last frame's figure. Moving one control at a time through all
    its values from the defaults, as a learner does, then jumping between the grid's
    corners, gives every frame byte for byte as drawn on a fresh figure: nothing one frame
    set leaks into the next."""
    factory = rl.explore.all_explorables()[key]
    recycling = factory()
    base = recycling.defaults()
    path = [{**base, control.name: value}
            for control in recycling.controls for value in control.values]
    grid = recycling.grid()
    recycling.frame(live=True)
    for params in [*path, grid[-1], grid[0]]:
        fresh = factory().frame(live=True, **params)
        assert recycling.frame(live=True, **params).image == fresh.image, (key, params)


def test_register_refuses_a_second_explorable_of_the_same_name_on_a_page():
    """A duplicate would silently hide the first from the bench and the browser tests."""
    page = "chapters/test/duplicate"

    def make():
        return _line()

    rl.explore.register(page)(make)
    try:
        def other():
            return _line()

        other.__name__ = "make"
        with pytest.raises(ValueError, match="already has an explorable named 'make'"):
            rl.explore.register(page)(other)
        rl.explore.register("chapters/test/elsewhere")(other)  # another page is fine
    finally:
        rl.explore.REGISTRY.pop((page, "make"), None)
        rl.explore.REGISTRY.pop(("chapters/test/elsewhere", "make"), None)


def test_every_slider_of_the_book_says_its_values_with_a_unit():
    """A screen reader hears a slider's value text: "80%" or "16 lookups", never a bare 16."""
    for (page, name), factory in rl.explore.all_explorables().items():
        for control in factory().controls:
            if control.kind != "slider":
                continue
            for label in control.labels():
                assert re.search(r"[^\d\s.,−-]", label), (
                    f"slider {control.name!r} of {name} on {page} shows {label!r} with no unit")


def test_every_explorable_of_the_book_invites_play_with_a_try_line():
    """Each explorable says what to try and what to notice, in one sentence that names a
    value its controls can take."""
    for (page, name), factory in rl.explore.all_explorables().items():
        explorable = factory()
        text = explorable.try_ or ""
        assert 20 <= len(text) <= 160 and text.endswith("."), (name, page, text)
        shown = {label for control in explorable.controls for label in control.labels()}
        values = {str(v) for control in explorable.controls for v in control.values}
        assert any(word in text for word in shown | values), (
            f"the Try line of {name} on {page} names none of its controls' values: {text!r}")


def test_plural_counts_one_and_many():
    assert rl.explore.plural(1, "lookup") == "1 lookup"
    assert rl.explore.plural(1_000, "lookup") == "1,000 lookups"
