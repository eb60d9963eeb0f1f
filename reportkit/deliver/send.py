"""``reportkit send``: e-mail each approved, unsent report of a period, exactly once.

The agency's mail server comes from one environment variable, ``REPORTKIT_SMTP_URL``:
``smtp://user:pass@host:587`` (STARTTLS whenever the server offers it), ``smtps://user:pass@host``
(TLS from the start, port 465 by default), ``smtp://host:25`` (no login). The sender is
``REPORTKIT_MAIL_FROM`` (``Name <addr>`` or ``addr``), else the params' ``agency.email``. The
password is never printed, logged or written anywhere.

Never twice: before a message goes to the server the ledger gets a ``sending`` line (with the
message's Message-ID), after the server accepted it a ``sent`` line (with the recipients it
refused, per address). A report with a ``sent`` line is not sent again unless asked
(``--resend CLIENT``); a send killed between the two lines is retried with the same Message-ID
(mail programs show a message with an already-seen Message-ID once). One ``send`` per period
folder runs at a time (a lock file).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reportkit.deliver import approval, ledger, mail
from reportkit.errors import InputError, ReportkitError

URL_VARIABLE = "REPORTKIT_SMTP_URL"
FROM_VARIABLE = "REPORTKIT_MAIL_FROM"
URL_HINT = ("set REPORTKIT_SMTP_URL, e.g. smtp://user:password@mail.example.com:587 (STARTTLS), "
            "smtps://user:password@mail.example.com (TLS) or smtp://localhost:25 (no login)")


@dataclass(frozen=True)
class SmtpServer:
    scheme: str
    host: str
    port: int
    user: str | None = field(default=None)
    password: str | None = field(default=None, repr=False)

    def where(self) -> str:   # what messages show: never the user or password
        return f"{self.scheme}://{self.host}:{self.port}"


def server_from_env(environ=os.environ) -> SmtpServer:
    url = environ.get(URL_VARIABLE, "").strip()
    if not url:
        raise InputError(URL_VARIABLE, "is not set: the mail server to send with is unknown", URL_HINT)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InputError(URL_VARIABLE, "is not a valid URL (the port must be a number)", URL_HINT) from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InputError(URL_VARIABLE, f"must start with smtp:// or smtps:// and name a host "
                         f"(got scheme {parts.scheme or 'none'!r})", URL_HINT)
    return SmtpServer(parts.scheme, parts.hostname, port or (465 if parts.scheme == "smtps" else 25),
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None)


def connect(server: SmtpServer, timeout: float = 60) -> smtplib.SMTP:
    """An open, logged-in connection (STARTTLS when offered on smtp://)."""
    context = ssl.create_default_context()
    try:
        if server.scheme == "smtps":
            conn = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
        else:
            conn = smtplib.SMTP(server.host, server.port, timeout=timeout)
            conn.ehlo()
            if conn.has_extn("starttls"):
                conn.starttls(context=context)
                conn.ehlo()
        if server.user:
            conn.login(server.user, server.password or "")
        return conn
    except smtplib.SMTPAuthenticationError as error:
        raise InputError(server.where(), f"refused the login of user {server.user!r} ({error.smtp_code})",
                         "check the user and password in REPORTKIT_SMTP_URL") from None
    except (OSError, smtplib.SMTPException) as error:
        raise SendError(f"could not connect to {server.where()}: {type(error).__name__}: {error}") from None


class SendError(ReportkitError):
    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)


def sender(cfg, environ=os.environ) -> tuple[str, str]:
    """(address, display name): REPORTKIT_MAIL_FROM, else the params' agency.email."""
    configured = environ.get(FROM_VARIABLE, "").strip()
    if configured:
        name, address = parseaddr(configured)
        if "@" not in address:
            raise InputError(FROM_VARIABLE, f"{configured!r} is not an e-mail address",
                             "write it as reports@agency.example or 'Agency <reports@agency.example>'")
        return address, name or cfg.agency.name
    if cfg.agency.email:
        return cfg.agency.email, cfg.agency.name
    raise InputError(f"{FROM_VARIABLE} / key 'agency.email'", "no sender address",
                     "set REPORTKIT_MAIL_FROM or agency: {email: reports@agency.example} in params")


@dataclass
class Outcome:
    client_id: str
    status: str          # sent | refused_some | failed | skipped | dry_run
    message: str
    exit_code: int = 0
    refused: dict = field(default_factory=dict)


def _attachments(period_dir: Path, cfg) -> list[Path]:
    """The files to attach; a PDF missing or older than its HTML is printed from the HTML now."""
    html = period_dir / f"{cfg.client_id}.html"
    files = []
    for kind in cfg.delivery.attach:
        if kind == "html":
            files.append(html)
        else:
            pdf = period_dir / f"{cfg.client_id}.pdf"
            if not pdf.is_file() or pdf.stat().st_mtime < html.stat().st_mtime:
                from reportkit.deliver.pdf import write_pdf
                write_pdf(html, pdf, cfg.pdf.paper)
            files.append(pdf)
    return files


def _refused(error_map: dict) -> dict:
    return {addr: f"{code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}".strip()
            for addr, (code, msg) in error_map.items()}


class _Connection:
    """One SMTP connection for the whole send, opened on first use, reopened once if dropped."""

    def __init__(self, server: SmtpServer | None):
        self.server, self.conn = server, None

    def send(self, from_addr: str, to: list[str], msg) -> dict:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = connect(self.server)
            try:   # send_message writes the lines with CRLF, as SMTP wants them
                return self.conn.send_message(msg, from_addr, to)
            except smtplib.SMTPServerDisconnected:
                self.conn = None
                if attempt == 2:
                    raise
        return {}

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                pass


def send_period(period_dir: Path, resend: tuple[str, ...] = (), dry_run: bool = False,
                environ=os.environ, say=lambda line: None) -> list[Outcome]:
    """Send every approved report of ``period_dir`` that has not been sent (and ``resend``)."""
    from reportkit.config import load
    period_dir = Path(period_dir)
    outcomes: list[Outcome] = []
    with ledger.locked(period_dir):
        lives = approval.sync(period_dir)
        found = approval.reports(period_dir)
        for cid in resend:
            if cid not in found:
                raise InputError(f"--resend {cid}", f"no report for {cid} in {period_dir}",
                                 "name a client of this period (see reportkit review)")
        # the mail server is needed only when a report is to go out (nothing approved and
        # unsent: every report is skipped with its reason, no REPORTKIT_SMTP_URL asked for)
        due = any(_due(report, lives.get(cid), cid in resend) for cid, report in found.items())
        server = None if dry_run or not due else server_from_env(environ)
        conn = _Connection(server)
        try:
            for cid, report in found.items():
                outcome = _send_one(period_dir, report, lives.get(cid), cid in resend, dry_run, conn,
                                    environ, load)
                outcomes.append(outcome)
                say(f"{outcome.status.upper().replace('_', ' '):<13} {cid:<24} {outcome.message}")
                for address, why in outcome.refused.items():
                    say(f"{'':<13} {'':<24} refused {address}: {why}")
        finally:
            conn.close()
    return outcomes


def _due(report, life, resend: bool) -> bool:
    """True when :func:`_send_one` would try to send this report (run ok, approved, not sent
    yet or named by --resend)."""
    return (report.run_status == "ok" and life is not None and bool(life.approved)
            and (not life.sent or resend))


def _send_one(period_dir, report, life, resend, dry_run, conn, environ, load) -> Outcome:
    cid = report.client_id
    if report.run_status != "ok" or life is None or not life.approved:
        why = "its run failed" if report.run_status != "ok" else \
            ("held: " + life.holds[0] if life and life.holds else "not approved yet")
        return Outcome(cid, "skipped", f"not sent: {why} (reportkit review / approve)")
    if life.sent and not resend:
        first = life.sent[0]
        return Outcome(cid, "skipped", f"already sent at {first.get('at')} to {', '.join(first.get('to') or [])} "
                                       f"(--resend {cid} to send it again)")
    try:
        cfg = load(report.params) if report.params else None
        if cfg is None:
            raise InputError(cid, "no params file is recorded for this report in manifest.json",
                             "render it with reportkit run")
        if not cfg.delivery.to:
            raise InputError(f"{report.params}: key 'delivery.to'", "no recipients",
                             "add delivery: {to: [client@example.com]} to the params")
        address, name = sender(cfg, environ)
        pending = life.pending if (life.pending and not resend) else None
        message_id = pending["message_id"] if pending else mail.new_message_id(address, cid, period_dir.name)
        msg = mail.build(report.sidecar or {}, cfg.delivery, address, name, message_id,
                         _attachments(period_dir, cfg))
    except ReportkitError as error:
        return Outcome(cid, "failed", str(error), getattr(error, "exit_code", 2))
    recipients = [*cfg.delivery.to, *cfg.delivery.cc]
    if dry_run:
        outbox = period_dir / "outbox"
        outbox.mkdir(exist_ok=True)
        target = outbox / f"{cid}.eml"
        target.write_bytes(bytes(msg))
        return Outcome(cid, "dry_run", f"wrote {target} (to {', '.join(recipients)}), nothing sent")
    base = {"message_id": message_id, "hash": life.hash, "to": list(cfg.delivery.to),
            "cc": list(cfg.delivery.cc), "subject": str(msg["Subject"])}
    ledger.append(period_dir, {"client_id": cid, "state": "sending", **base, "resend": bool(resend)})
    try:
        refused = _refused(conn.send(address, recipients, msg))
    except smtplib.SMTPRecipientsRefused as error:
        refused = _refused(error.recipients)
        ledger.append(period_dir, {"client_id": cid, "state": "send_failed", **base, "refused": refused,
                                   "error": "every recipient was refused"})
        return Outcome(cid, "failed", "not sent: every recipient was refused", 1, refused)
    except (OSError, smtplib.SMTPException, ReportkitError) as error:
        text = str(error) if isinstance(error, ReportkitError) else f"{type(error).__name__}: {error}"
        ledger.append(period_dir, {"client_id": cid, "state": "send_failed", **base, "error": text})
        return Outcome(cid, "failed", f"not sent: {text}", getattr(error, "exit_code", 1))
    ledger.append(period_dir, {"client_id": cid, "state": "sent", **base, "refused": refused, "by": "reportkit send"})
    if refused:
        return Outcome(cid, "refused_some", f"sent to {len(recipients) - len(refused)} of {len(recipients)} "
                                            f"recipient(s), {message_id}", 1, refused)
    return Outcome(cid, "sent", f"sent to {', '.join(recipients)}, {message_id}")
