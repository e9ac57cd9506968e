"""Sphinx extension: keep every page of the book self-contained.

Jupyter Book always loads sphinx-thebe, which (in the versions pinned here) declares its
configuration script twice on each page: the second ``const THEBE_JS_URL`` is a page error
in every browser. The course does not use thebe (explorables are precomputed, labs open in
Jupyter), so its scripts are dropped. Any other script or stylesheet that would load from
outside the book is reported as a warning, which the ``-W`` build turns into an error.
"""

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _is_external(url) -> bool:
    return (isinstance(url, str) and url.split(":", 1)[0] in {"http", "https"}) or str(
        url
    ).startswith("//")


def _drop_thebe_and_check_offline(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files", [])
    kept = []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "") or ""
        filename = getattr(script, "filename", script)
        if "THEBE_JS_URL" in body or str(filename).endswith("sphinx-thebe.js"):
            continue
        kept.append(script)
    scripts[:] = kept
    for asset in list(kept) + list(context.get("css_files", [])):
        filename = getattr(asset, "filename", asset)
        if _is_external(filename):
            logger.warning(
                "page %s loads %s from outside the book; serve it from _static instead",
                pagename,
                filename,
            )


def setup(app):
    # Late priority: run after the extensions that add these scripts.
    app.connect("html-page-context", _drop_thebe_and_check_offline, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
