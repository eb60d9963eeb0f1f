"""The analyst's commentary: a Markdown file per client and period, as safe HTML per section.

The file is ``notes/<client_id>/<period>.md`` (or ``commentary:`` in params). Text before the
first ``##`` heading, and under a ``##`` heading that names no section, is shown after the
summary; text under ``## Results`` (any section's heading or id) is shown in that section.
Rendered by markdown-it-py (CommonMark) with raw HTML off: ``<script>`` and any other tag
show as text; links keep only safe schemes (no ``javascript:``); images are not rendered
(a report loads nothing from outside the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from reportkit.config.load import BAD_CHARS
from reportkit.config.sections import SECTIONS, target
from reportkit.errors import ConfigError
from reportkit.paths import resolve_path

_MD = MarkdownIt("commonmark", {"html": False}).disable("image")
_H2 = re.compile(r"^ {0,3}##[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass
class Commentary:
    source: str                                            # the file, for messages
    by_section: dict[str, str] = field(default_factory=dict)   # section id -> HTML

    def html(self, section: str) -> str:
        return self.by_section.get(section, "")


def to_html(markdown: str) -> str:
    """Markdown as HTML: CommonMark, every raw tag escaped, no images."""
    return _MD.render(markdown)


def split(text: str) -> dict[str, str]:
    """The file's Markdown per section id: a ``##`` heading naming a section starts that
    section's part; all else belongs to ``summary`` (other headings stay in the text)."""
    parts: dict[str, list[str]] = {"summary": []}
    current, fenced = "summary", False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _H2.match(line)
        if match and (section := target(match.group(1))):
            current = section
            parts.setdefault(current, [])
            continue
        parts[current].append(line)
    return {k: "\n".join(v).strip() for k, v in parts.items() if "\n".join(v).strip()}


def load(cfg) -> Commentary:
    """The commentary of this run (empty when the default file does not exist); a
    ``commentary:`` file that is missing, or text aimed at a hidden section, is an error."""
    name = cfg.commentary_file()
    path = resolve_path(name)
    if not path.is_file():
        if cfg.commentary:
            raise ConfigError(name, "commentary file not found",
                              "check the path in commentary:, relative to the project root")
        return Commentary(name)
    text = path.read_text(encoding="utf-8")
    bad = BAD_CHARS.search(text)
    if bad:  # an unterminated right-to-left override would reverse the figures after it
        line = text.count("\n", 0, bad.start()) + 1
        raise ConfigError(f"{name}: line {line}", f"contains the control character U+{ord(bad.group()):04X}",
                          "remove it (retype the text in a plain editor)")
    parts = split(text)
    shown = cfg.sections.ordered()
    for section in parts:
        if section not in shown:
            raise ConfigError(name, f"has text under '## {SECTIONS[section].heading}', a section "
                              "this client's report hides (sections.hide)",
                              "move the text to a shown section or show the section")
    return Commentary(name, {k: f'<div class="rk-commentary">{to_html(v)}</div>' for k, v in parts.items()})
