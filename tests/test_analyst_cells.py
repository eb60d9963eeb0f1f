"""The analyst's own cells: what they display in JupyterLab shows the same in the client's
page under the default in-process engine as under a Jupyter kernel, and the kit's charts
never restyle the analyst's plots."""

import re

import matplotlib as mpl
import matplotlib.image
import nbformat
import pytest


ANALYST_CELLS = [
    nbformat.v4.new_markdown_cell("## Our extra look\nThis paragraph has **bold** and a "
                                  "[link](https://example.com/x)."),
    nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
                              "ax.plot([1, 2, 3], [3, 1, 2])\nax.set_title('Analyst by last expression')\nfig"),
    nbformat.v4.new_code_cell("plt.figure()\nplt.plot([1, 2], [2, 1])\nplt.title('Analyst by plt.show')\nplt.show()"),
    nbformat.v4.new_code_cell("import pandas as pd\n"
                              "pd.DataFrame({'a': [1, 2]}).style.highlight_max(color='yellow')"),
    nbformat.v4.new_code_cell("from IPython.display import HTML, Image, Markdown, display\n"
                              "display(Markdown('### From Markdown\\nWith **strong** words'))\n"
                              "display(HTML('<p class=\"mine\">my <b>html</b></p>'))\n"
                              "display(Image(filename=PNG))"),
]


def analyst_notebook(root, tmp_path):
    png = tmp_path / "dot.png"
    mpl.image.imsave(png, [[0.0, 1.0], [1.0, 0.0]])
    nb = nbformat.read(root / "notebooks" / "client_report.ipynb", 4)
    at = next(i for i, c in enumerate(nb.cells) if "sidecar" in c.metadata.get("tags", []))
    cells = [nbformat.from_dict(dict(c)) for c in ANALYST_CELLS]
    cells[-1].source = f"PNG = {str(png)!r}\n" + cells[-1].source
    nb.cells[at:at] = cells
    path = tmp_path / "analyst.ipynb"
    nbformat.write(nb, path)
    return path


def run_cli(root, *args):
    """``reportkit run ...`` in its own process: the in-process engine's IPython shell takes
    over ``__main__`` of the process it runs in, so it never runs inside pytest's."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "REPORTKIT_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "reportkit.cli", "run", *map(str, args)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def visible(html: str) -> str:
    """The page from the analyst's heading on, Styler's random table ids made equal."""
    part = html[html.index('<h2 id="Our-extra-look">'):html.index("</main>")]
    return re.sub(r"T_[0-9a-f]{5}", "T_x", part)


@pytest.mark.slow
def test_both_engines_show_the_analysts_cells_alike(root, tmp_path):
    notebook = analyst_notebook(root, tmp_path)
    pages = {}
    for engine in ("fast", "kernel"):
        out = tmp_path / f"out-{engine}"
        proc = run_cli(root, root / "params" / "acme_outdoor.yaml", "--notebook", notebook, "--engine", engine,
                       "--out", out, "--workers", "1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        pages[engine] = visible((out / "2026-10" / "acme_outdoor.html").read_text(encoding="utf-8"))
    fast, kernel = pages["fast"], pages["kernel"]
    assert fast == kernel
    # a Figure as the last expression: shown as the result and, being an open pyplot
    # figure, again at the cell's end (as JupyterLab shows it); plt.show(): once
    assert fast.count('alt="Analyst by last expression"') == 2
    assert fast.count('alt="Analyst by plt.show"') == 1
    assert "image/svg+xml;base64," in fast and "&lt;Figure size" not in fast and "<Figure size" not in fast
    # Markdown under a ## heading in the same cell keeps its formatting
    assert "<strong>bold</strong>" in fast and '<a href="https://example.com/x">link</a>' in fast
    assert "**" not in fast
    assert "<strong>strong</strong>" in fast and '<p class="mine">my <b>html</b></p>' in fast
    assert "background-color: yellow" in fast  # the Styler's own CSS
    assert "data:image/png;base64," in fast     # the image


def test_kit_charts_leave_the_analysts_style_alone():
    from reportkit import config, report
    from reportkit.paths import resolve_path
    from reportkit.present import charts
    acme = report.build(config.load(resolve_path("params/acme_outdoor.yaml")))
    before = dict(mpl.rcParams)
    fig = charts.daily_trend(acme)
    assert dict(mpl.rcParams) == before
    # the kit's own style is on its chart all the same: bold titles, no top spine
    ax = fig.axes[0]
    assert ax.title.get_fontweight() == "bold" or ax._left_title.get_fontweight() == "bold"
    assert not ax.spines["top"].get_visible()
