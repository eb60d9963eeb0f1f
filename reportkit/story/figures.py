"""Numbers in sentences: each is typed through :meth:`Sentence.fig`, which records the text with
the sidecar path of the value it was formatted from and how (``format_figure``'s ``how``), so a
test can prove that no number appears in the summary that is not in the sidecar."""

from __future__ import annotations

from datetime import date

from reportkit.core import formatting as fmt


def format_figure(value, how: str, currency: str) -> str:
    """Format ``value`` the way ``how`` says (the same call the sidecar test repeats), in the
    current locale."""
    if how.startswith("value:"):
        return fmt.value(value, how.split(":", 1)[1], currency)
    if how.startswith("abs:"):
        return fmt.value(abs(value), how.split(":", 1)[1], currency)
    if how == "change":
        return fmt.change(value)
    if how == "change_words":
        return fmt.change_words(value)
    if how == "date":
        return fmt.day(date.fromisoformat(value))
    if how == "month":
        return fmt.month(date.fromisoformat(value[:7] + "-01"))
    if how == "len":
        return fmt.number(len(value))
    if how == "text":
        return str(value)
    raise ValueError(how)


class Sentence:
    def __init__(self, side_currency: str):
        self.currency, self.figures = side_currency, []

    def fig(self, value, path: list, how: str) -> str:
        text = format_figure(value, how, self.currency)
        self.figures.append({"text": text, "path": path, "format": how})
        return text
