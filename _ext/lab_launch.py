"""Sphinx extension: launch buttons (Binder, Colab) on the lab notebooks only.

The theme offers them on every notebook page, but a chapter is a MyST Markdown notebook
that Colab cannot open, and its code needs the course package the labs install in their
set-up cell. Labs are ``.ipynb`` files that install what they need, so they launch.
"""

LAB_PREFIX = "labs/"


def _launch_only_labs(app, pagename, templatename, context, doctree):
    if pagename.startswith(LAB_PREFIX):
        return
    buttons = context.get("header_buttons")
    if buttons:
        buttons[:] = [b for b in buttons if b.get("label") != "launch-buttons"]


def setup(app):
    # After the theme adds its launch buttons (priority 501), before the page renders.
    app.connect("html-page-context", _launch_only_labs, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
