"""Everything drawn on a course figure takes the course style, whatever the global rcParams."""

import matplotlib
import pytest

import reactive_lab as rl


@pytest.fixture
def default_rcparams():
    """Matplotlib's own defaults, as in a notebook that never called use_book_style()."""
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        yield


def test_axes_lines_and_legend_take_the_course_style(default_rcparams):
    fig = rl.figures.new_figure()
    ax = fig.subplots()
    line, = ax.plot([0, 1], [0, 1], label="a")
    second, = ax.plot([0, 1], [1, 0], label="b")
    legend = ax.legend()
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert line.get_linewidth() == rl.figures.STYLE["lines.linewidth"]
    assert line.get_color() == rl.figures.color(0) and second.get_color() == rl.figures.color(1)
    assert not legend.get_frame_on()
    rl.figures.png_bytes(fig)
    assert all(grid.get_visible() for grid in ax.yaxis.get_gridlines())


def test_axes_added_by_position_and_scatter_take_the_style(default_rcparams):
    fig = rl.figures.new_figure()
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    points = ax.scatter([0, 1], [0, 1])
    assert not ax.spines["right"].get_visible()
    assert matplotlib.colors.to_hex(points.get_facecolor()[0]).upper() == rl.figures.color(0)


def test_tick_labels_take_the_style_when_drawn(default_rcparams):
    fig = rl.figures.new_figure()
    ax = fig.subplots()
    ax.plot([0, 1])
    rl.figures.png_bytes(fig)
    sizes = {t.get_fontsize() for t in ax.get_xticklabels()}
    assert sizes == {rl.figures.STYLE["xtick.labelsize"]}


def test_the_global_style_is_left_alone(default_rcparams):
    rl.figures.new_figure().subplots().plot([0, 1])
    assert matplotlib.rcParams["axes.spines.top"] is True
    assert matplotlib.rcParams["lines.linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"]


def test_no_text_is_drawn_smaller_than_the_phone_minimum(default_rcparams):
    """Text asked for below MIN_FONT_PT is drawn at MIN_FONT_PT: figures shrink on phones."""
    fig = rl.figures.new_figure()
    ax = fig.subplots()
    ax.plot([0, 1], label="a line")
    legend = ax.legend(fontsize=6)
    note = ax.text(0.5, 0.5, "small", fontsize=7)
    big = ax.text(0.2, 0.2, "big", fontsize=14)
    rl.figures.png_bytes(fig)
    texts = [note, big, *legend.get_texts(), *ax.get_xticklabels()]
    assert min(t.get_fontsize() for t in texts) == rl.figures.MIN_FONT_PT
    assert big.get_fontsize() == 14


def test_image_is_rendered_for_2x_screens_and_declares_its_css_width(default_rcparams):
    fig = rl.figures.new_figure((4.0, 3.0))
    fig.subplots().plot([0, 1])
    image = rl.figures.image(fig)
    assert image.width == 400
    assert image.data[16:24] == (800).to_bytes(4, "big") + (600).to_bytes(4, "big")


def test_a_recycled_figure_gives_back_its_axes_emptied_and_reset():
    fig = rl.figures.new_figure()
    ax = fig.subplots()
    ax.plot([1, 10], [1, 1000], label="line")
    ax.set_yscale("log")
    ax.set_xlim(0, 5)
    ax.set_title("title")
    ax.legend()
    assert fig.recycle()
    again = fig.subplots()
    assert again is ax
    assert not again.lines and again.get_legend() is None and again.get_title() == ""
    assert again.get_yscale() == "linear" and again.get_autoscalex_on()
    again.plot([0, 2], [0, 3])
    assert again.get_xlim()[1] < 5  # autoscaled to the new line, not the old limits


def test_a_figure_is_not_recycled_when_it_holds_more_than_its_subplots():
    """Extra axes, figure text or an axis of categories need a fresh figure."""
    extra = rl.figures.new_figure()
    extra.subplots()
    extra.add_axes((0.1, 0.1, 0.2, 0.2))
    categories = rl.figures.new_figure()
    categories.subplots().bar(["a", "b"], [1, 2])
    text = rl.figures.new_figure()
    text.subplots()
    text.text(0.5, 0.5, "note")
    assert not any(fig.recycle() for fig in (extra, categories, text, rl.figures.new_figure()))


def test_subplots_of_another_shape_after_recycling_are_new():
    fig = rl.figures.new_figure()
    first = fig.subplots()
    assert fig.recycle()
    top, bottom = fig.subplots(2, 1)
    assert first not in (top, bottom) and len(fig.axes) == 2
