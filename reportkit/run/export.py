"""The client's HTML page from an executed notebook: nbconvert with the reportkit template.

Code, prompts, the parameters and the sidecar are hidden; stderr never reaches the client;
the page gets its table of contents, footer and Content-Security-Policy from
:mod:`reportkit.present.page`. One exporter per thread, its templates compiled once.
"""

from __future__ import annotations

import base64
import threading

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

from reportkit.core import i18n
from reportkit.config import ClientConfig
from reportkit.present import page, styled

HIDDEN_TAGS = ("parameters", "injected-parameters", "sidecar", "remove")


class StripNoise(Preprocessor):
    """Drop stderr streams and empty outputs so warnings never reach a client."""

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        return cell, resources


class Unstyled(Preprocessor):
    """Take each section's own scoped styles off (:func:`reportkit.present.styled.unwrap`):
    the page's ``<head>`` has the whole stylesheet, so the page is as it would be without them."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = styled.unwrap("".join(html) if isinstance(html, list) else html)
        return cell, resources


_exporters = threading.local()


def _base64(text) -> str:
    """A text output (an SVG chart; nbformat may hold it as a list of lines) as base64."""
    text = "".join(text) if isinstance(text, list) else str(text)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter, without the BeautifulSoup pass over the finished page.

    ``HTMLExporter`` re-parses its output to put a placeholder alt text on images that have
    none and a tabindex on JupyterLab cells. The reportkit template gives every chart its
    title as alt text (the logo its agency's name) and has no JupyterLab cells, so that pass
    only costs time: ~0.05 s a report, plus ~0.2 s of CSS-selector compiling the first time.
    The filters it registers for the templates are registered the same way here."""

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        language = nb.metadata.get("language_info", {})
        self.register_filter("highlight_code", Highlight2HTML(
            pygments_lexer=language.get("pygments_lexer", language.get("name")), parent=self))
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def _config() -> Config:
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = HIDDEN_TAGS
    # only these four run (nbconvert's eleven default ones are off for HTML anyway, and
    # each would still copy and validate the notebook: ~10 ms a report)
    c.ReportExporter.default_preprocessors = []
    c.ReportExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor", StripNoise,
                                      Unstyled, page.TableOfContents]
    c.ReportExporter.exclude_anchor_links = True  # no "¶"; page.TableOfContents gives sections ids
    return c


def _sidecar_of(nb) -> dict:
    from reportkit.contracts.sidecar import MIMETYPE
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if MIMETYPE in output.get("data", {}):
                return dict(output["data"][MIMETYPE])
    return {}


class ReportkitExporter(ReportExporter):
    """The client's page from any executed notebook: ``jupyter nbconvert --to reportkit
    report.ipynb`` (registered as the ``nbconvert.exporters`` entry point ``reportkit``).

    The reportkit template with its filters, code and prompts hidden, the parameters and the
    sidecar removed; the title comes from the notebook's sidecar when it has one."""

    export_from_notebook = "reportkit"

    def __init__(self, config=None, **kw):
        merged = _config()
        if config is not None:
            merged.merge(config)
        kw.setdefault("template_name", "reportkit")
        kw.setdefault("extra_template_basedirs", [str(page.TEMPLATE_DIR.parent)])
        super().__init__(config=merged, **kw)
        self.exclude_input = self.exclude_input_prompt = self.exclude_output_prompt = True
        self.register_filter("svg_base64", _base64)

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        side = _sidecar_of(nb)
        if "reportkit_csp" not in resources:  # exported by hand, not by reportkit run
            title = " · ".join(str(side[k]) for k in ("client_name", "period_key") if side.get(k))
            resources.update(reportkit_csp=page.CSP, reportkit_footer=[],
                             **({"reportkit_title": title} if title else {}))
        # the page's words (contents, headings) in the report's locale; its lang attribute says which
        locale = resources.get("reportkit_locale") or side.get("locale") or i18n.DEFAULT_LOCALE
        resources.setdefault("reportkit_lang", locale.replace("_", "-"))
        with i18n.using(locale):
            return super().from_notebook_node(nb, resources, **kw)


def exporter() -> HTMLExporter:
    """This thread's HTML exporter, made once: its Jinja templates are compiled on first use
    (~0.1 s) and reused for every later report (a batch's forked workers inherit them)."""
    html = getattr(_exporters, "html", None)
    if html is None:
        html = _exporters.html = ReportkitExporter()
    return html


def export_html(nb, cfg: ClientConfig, sidecar: dict) -> str:
    """The client's HTML page: code, prompts, parameters and the sidecar hidden (the
    exporter works on a copy: ``nb`` is left as it is)."""
    with i18n.using(cfg.locale):
        resources = {**page.resources(cfg, sidecar), "reportkit_locale": cfg.locale}
    body, _resources = exporter().from_notebook_node(nb, resources=resources)
    return body
