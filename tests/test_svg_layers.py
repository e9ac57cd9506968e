"""Live frames drawn in layers (reactive_lab.svg_layers) are the frames a single pass draws.

That a warm cache gives the same bytes as an empty one, frame after frame along a
learner's path, is checked for every explorable in ``test_explore.py`` (recycled figures
and cached layers together).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

import reactive_lab as rl
from reactive_lab import figures, svg_layers


def _figure():
    fig = figures.new_figure()
    ax = fig.subplots()
    ax.plot([0, 1, 2], [2, 0, 1], marker="o", label="measured")
    ax.bar([0, 1], [1, 1], hatch="//", label="budget")
    ax.legend(loc="upper right")
    return fig, ax


def test_the_background_key_follows_the_axes_and_ignores_the_data():
    fig, ax = _figure()
    key = svg_layers.background_key(fig)
    ax.plot([0, 2], [0.5, 0.5])                    # data only: the axes stay
    ax.set_xlim(ax.get_xlim()), ax.set_ylim(ax.get_ylim())
    assert svg_layers.background_key(fig) == key
    for change in (lambda: ax.set_ylim(0, 5), lambda: ax.set_xlabel("load"),
                   lambda: ax.set_yscale("log"), lambda: ax.tick_params(labelsize=14),
                   lambda: ax.set_xticks([0, 2], ["none", "all"])):
        change()
        assert svg_layers.background_key(fig) != key
        key = svg_layers.background_key(fig)


def test_the_legends_key_follows_labels_and_styles():
    fig, ax = _figure()
    key = svg_layers.legends_key(fig)
    ax.lines[0].set_color("black")
    ax.legend(loc="upper right")
    assert svg_layers.legends_key(fig) != key


def _check_document(svg: bytes) -> None:
    """Well-formed, every id once, every reference (url(#…), href="#…") defined."""
    text = svg.decode()
    root = ET.fromstring(text)
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    referenced = set(re.findall(r'url\(#([^)]+)\)', text)) | set(
        re.findall(r'href="#([^"]+)"', text))
    assert referenced and referenced <= set(ids), referenced - set(ids)


def test_a_merged_frame_is_one_valid_document():
    fig, _ = _figure()
    svg = svg_layers.SvgLayers().render(fig)
    _check_document(svg)
    assert b"<pattern" in svg and b"<clipPath" in svg   # the hatch and the clip came along


@pytest.mark.parametrize("key", sorted(rl.explore.all_explorables()), ids="/".join)
def test_every_explorable_frame_is_one_valid_document(key):
    explorable = rl.explore.all_explorables()[key]()
    for params in (explorable.grid()[0], explorable.grid()[-1]):
        _check_document(explorable.frame(live=True, **params).image)


@pytest.mark.browser
def test_layered_frames_look_like_single_pass_frames_in_chromium(browser):
    """Every explorable's middle frame, merged from layers and drawn in one pass, shown in
    Chromium at 2x: under 0.1% of the pixels differ (where a line crosses a tick mark)."""
    from PIL import Image, ImageChops

    page = browser.new_page(device_scale_factor=2)
    differing = {}
    for key, factory in sorted(rl.explore.all_explorables().items()):
        explorable = factory()
        grid = explorable.grid()
        layered = explorable.frame(live=True, **grid[len(grid) // 2]).image.decode()
        single = svg_layers._render_without(explorable._live_figure, [])
        shots = []
        for svg in (layered, single):
            page.set_content(f'<body style="margin:0;background:#fff">{svg[svg.index("<svg"):]}')
            shots.append(Image.open(io.BytesIO(page.locator("svg").screenshot())).convert("L"))
        assert shots[0].size == shots[1].size
        drawn = sum(shots[1].histogram()[:128]) / (shots[1].width * shots[1].height)
        assert drawn > 0.01, key   # a blank screenshot would differ in nothing
        diff = ImageChops.difference(*shots).point(lambda v: 255 if v > 40 else 0)
        differing["/".join(key)] = diff.histogram()[255] / (diff.width * diff.height)
    page.close()
    assert max(differing.values()) < 0.001, differing
