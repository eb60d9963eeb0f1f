"""The e-mail that carries a report to its client, built with the standard library's ``email``.

A plain-text part and an HTML part (the intro, the report's summary and its headline KPI
cards, everything from params and data escaped; inline styles only, nothing loaded from the
network), the PDF and/or the HTML report attached, and ``From``, ``To``, ``Cc``,
``Reply-To``, ``Subject``, ``Date`` and ``Message-ID`` set. Only the client's own sidecar and
files are read: nothing written for the agency (its alerts) goes into a message.
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.headerregistry import Address
from email.utils import formatdate, make_msgid
from html import escape
from pathlib import Path

from reportkit.core import formatting as fmt
from reportkit.core import i18n
from reportkit.core.i18n import _
from reportkit.core.metrics import verdict
from reportkit.core.periods import DateRange

HEADLINE = 4   # the report's first four KPIs are its headline cards
COLOURS = {"good": "#1a7f37", "bad": "#c62828", "neutral": "#555"}


def period_label(sidecar: dict) -> str:
    try:
        period = sidecar["period"]
        return DateRange(date.fromisoformat(period["start"]), date.fromisoformat(period["end"])).label()
    except (KeyError, TypeError, ValueError):
        return str(sidecar.get("period_key", ""))


def new_message_id(sender: str, client_id: str, period_key: str) -> str:
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "reportkit.invalid"
    return make_msgid(idstring=f"{client_id}.{period_key}", domain=domain)


def _cards(sidecar: dict) -> list[dict]:
    currency = sidecar.get("currency", "EUR")
    cards = []
    for key, kpi in list((sidecar.get("kpis") or {}).items())[:HEADLINE]:
        if not isinstance(kpi, dict):
            continue
        change = kpi.get("change_previous")
        cards.append({"label": str(kpi.get("label") or key),
                      "value": fmt.value(kpi.get("value"), kpi.get("unit", "count"), currency),
                      "change": fmt.change(change), "verdict": verdict(kpi.get("better", "higher"), change)})
    return cards


def _html(intro: str, sidecar: dict, agency: str, accent: str) -> str:
    cards = "".join(
        f'<td style="padding:10px 12px;border:1px solid #ddd;border-radius:6px;vertical-align:top">'
        f'<div style="color:#555;font-size:12px">{escape(c["label"])}</div>'
        f'<div style="font-size:20px;font-weight:bold">{escape(c["value"])}</div>'
        f'<div style="color:{COLOURS.get(c["verdict"], "#555")};font-size:12px">'
        + escape(_("{change} vs previous period").format(change=c["change"])) + '</div></td>'
        for c in _cards(sidecar))
    summary = "".join(f"<li>{escape(str(s))}</li>" for s in sidecar.get("summary") or [])
    heading = _("Summary: {period}").format(period=period_label(sidecar))
    return (f'<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#222;'
            f'max-width:640px">'
            f'<p style="border-top:4px solid {escape(accent)};padding-top:12px">{escape(intro)}</p>'
            f'<h2 style="font-size:16px">{escape(heading)}</h2><ul>{summary}</ul>'
            f'<table role="presentation" style="border-collapse:separate;border-spacing:6px"><tr>{cards}</tr></table>'
            f'<p style="color:#555;font-size:12px">{escape(agency)}</p></body></html>')


def _text(intro: str, sidecar: dict, agency: str) -> str:
    lines = [intro, "", _("Summary: {period}").format(period=period_label(sidecar)), ""]
    lines += [f"- {s}" for s in sidecar.get("summary") or []]
    lines += [""] + [_("{kpi}: {value} ({change} vs previous period)").format(
        kpi=c["label"], value=c["value"], change=c["change"]) for c in _cards(sidecar)]
    return "\n".join(lines + ["", agency, ""])


def build(sidecar: dict, delivery, sender: str, sender_name: str, message_id: str,
          attachments: list[Path]) -> EmailMessage:
    """The message for one client's report (``delivery``: the params' DeliveryOptions), in the
    report's locale (the sidecar's ``locale``): the default subject and intro translated, the
    figures written its way; a subject or intro from params is used as written."""
    with i18n.using(str(sidecar.get("locale") or i18n.DEFAULT_LOCALE)):
        return _build(sidecar, delivery, sender, sender_name, message_id, attachments)


def _own_or_translated(delivery, name: str) -> str:
    text = getattr(delivery, name)
    return _(text) if text == type(delivery).model_fields[name].default else text


def _build(sidecar: dict, delivery, sender: str, sender_name: str, message_id: str,
           attachments: list[Path]) -> EmailMessage:
    fill = {"client_name": str(sidecar.get("client_name", "")), "period": period_label(sidecar)}
    intro = _own_or_translated(delivery, "intro").format(**fill)
    msg = EmailMessage()
    msg["From"] = Address(display_name=sender_name, addr_spec=sender) if sender_name else sender
    msg["To"] = ", ".join(delivery.to)
    if delivery.cc:
        msg["Cc"] = ", ".join(delivery.cc)
    if delivery.reply_to:
        msg["Reply-To"] = delivery.reply_to
    msg["Subject"] = _own_or_translated(delivery, "subject").format(**fill)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = message_id
    agency = str((sidecar.get("agency") or {}).get("name") or sender_name or "")
    accent = str((sidecar.get("agency") or {}).get("accent_color") or "#1f5fa8")
    msg.set_content(_text(intro, sidecar, agency))
    msg.add_alternative(_html(intro, sidecar, agency, accent), subtype="html")
    for path in attachments:
        kind = ("application", "pdf") if path.suffix == ".pdf" else ("text", "html")
        msg.add_attachment(path.read_bytes(), maintype=kind[0], subtype=kind[1], filename=path.name)
    return msg
