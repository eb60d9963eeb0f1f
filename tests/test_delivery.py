"""From draft to the client's inbox: relative periods, the ledger, holds, approval, sending.

The rules are tested on hand-made sidecars (fast); the whole path on real renders of the
demo clients, a real SMTP server (aiosmtpd) on 127.0.0.1 and a real killed `reportkit send`.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from reportkit.config import overrides
from reportkit.deliver import approval, holds, ledger
from reportkit.deliver.send import server_from_env
from reportkit.errors import ConfigError, InputError

DEMO = ["acme_outdoor", "northwind_b2b", "daily_gazette"]


# --- relative periods in a batch ----------------------------------------------------------------

def test_overrides_resolve_last_month_across_the_year_boundary():
    values = {"period": "2026-10", "as_of": "2026-11-21"}
    # as of 5 Jan 2026 the month just closed is December 2025; the params' period is replaced
    fixed = overrides.resolve(values, "last-month", date(2026, 1, 5))
    assert fixed == {"as_of": "2026-01-05", "period": "2025-12"}
    assert overrides.apply(values, fixed) == {"period": "2025-12", "as_of": "2026-01-05"}
    # a relative period in the params is pinned as of the params' own as_of (21 Nov -> October)
    assert overrides.resolve({"period": "last_month", "as_of": "2026-11-21"}) == {"period": "2026-10"}
    # last_quarter as of 21 Nov 2026: Q3 = 1 Jul - 30 Sep, an explicit range replacing period
    fixed = overrides.resolve({"period": "2026-10"}, "last_quarter", date(2026, 11, 21))
    assert fixed == {"as_of": "2026-11-21", "start": "2026-07-01", "end": "2026-09-30"}
    assert "period" not in overrides.apply({"period": "2026-10"}, fixed)
    with pytest.raises(ConfigError, match="--period"):
        overrides.resolve({}, "lastmonth")


def test_params_accept_a_relative_period(root):
    from reportkit.config import validate
    values = yaml.safe_load((root / "params" / "northwind_b2b.yaml").read_text())
    cfg = validate({**values, "period": "last_month", "as_of": "2027-01-03"})
    assert cfg.periods().key == "2026-12"                    # as of 3 Jan 2027: December 2026
    assert cfg.periods().previous.start == date(2026, 11, 1)


# --- holds ----------------------------------------------------------------------------------

def _kpi(label, change, **extra):
    return {"label": label, "value": 100, "change_previous": change, "unit": "count", "better": "higher", **extra}


def test_hold_reasons_from_todays_findings_and_from_the_truth_fields():
    side = {"kpis": {"sessions": _kpi("Sessions", 0.62), "revenue": _kpi("Revenue", 0.10)},
            "data_quality": {"findings": [{"level": "info", "period": "all", "message": "no users"},
                                          {"level": "warning", "period": "current", "message": "3 days missing"}],
                             "pulls": [{"source": "ga4", "period": "current", "final": False,
                                        "pulled_at": "2026-11-01T06:00:00"},
                                       {"source": "ga4", "period": "previous", "final": True,
                                        "pulled_at": "2026-11-01T06:00:00"}]}}
    found = holds.reasons(side, max_change=0.5)
    assert found[0] == "data quality (current): 3 days missing"          # info findings do not hold
    assert found[1].startswith("data not final yet: ga4 data for the period was pulled 2026-11-01T06:00:00")
    # |+62%| >= 50% holds, |+10%| does not
    assert found[2] == "large move: Sessions +62.0% against the previous period (review.max_change is 50.0%)"
    assert len(found) == 3
    assert holds.reasons(side, max_change=None)[-1].startswith("data not final")   # null: no move holds
    # the truth issue's fields: an outage in the period and comparisons marked not comparable
    side = {"kpis": {"sessions": _kpi("Sessions", None, comparable_previous=False,
                                      not_comparable_previous="8 of 30 days without data"),
                     "leads": _kpi("Leads", None, comparable_previous=False,
                                   not_comparable_previous="8 of 30 days without data", comparable_yoy=True)},
            "data_quality": {"findings": [], "outages": [
                {"period": "current", "start": "2026-10-13", "end": "2026-10-15", "days": 3,
                 "measures": ["sessions"], "estimate": {}, "method": "x"},
                {"period": "yoy", "start": "2025-10-01", "end": "2025-10-02", "days": 2, "measures": ["sessions"]}]}}
    assert holds.reasons(side, max_change=0.5) == [
        "outage in the period: 2026-10-13 to 2026-10-15 (3 day(s)) without sessions",
        "not comparable with the previous period: Sessions, Leads (8 of 30 days without data)"]
    assert holds.reasons({}, run_status="failed")[0].startswith("the last run failed")
    assert holds.reasons({"kpis": {"x": _kpi("X", 0.2)}}, max_change=0.5) == []


# --- the ledger -----------------------------------------------------------------------------

def test_ledger_folds_states_and_skips_a_line_cut_short(tmp_path):
    ledger.append(tmp_path, {"client_id": "a", "state": "rendered", "hash": "h1"})
    ledger.append(tmp_path, {"client_id": "a", "state": "awaiting_review", "hash": "h1"})
    ledger.append(tmp_path, {"client_id": "a", "state": "approved", "hash": "h1", "by": "Dana"})
    assert ledger.lives(tmp_path)["a"].state == "approved"
    ledger.append(tmp_path, {"client_id": "a", "state": "rendered", "hash": "h2"})   # changed re-render
    ledger.append(tmp_path, {"client_id": "a", "state": "held", "hash": "h2", "reasons": ["r"]})
    life = ledger.lives(tmp_path)["a"]
    assert (life.state, life.approved, life.holds) == ("held", False, ["r"])
    ledger.append(tmp_path, {"client_id": "a", "state": "approved", "hash": "h2", "by": "Dana"})
    ledger.append(tmp_path, {"client_id": "a", "state": "sending", "message_id": "<m1@x>"})
    with open(tmp_path / ledger.LEDGER, "a") as handle:
        handle.write('{"client_id": "a", "state": "se')       # killed mid-write
    life = ledger.lives(tmp_path)["a"]
    assert life.state == "sending" and life.pending["message_id"] == "<m1@x>"


# --- settings -------------------------------------------------------------------------------

def test_smtp_url_forms_and_the_password_never_shows():
    s = server_from_env({"REPORTKIT_SMTP_URL": "smtp://me%40x.com:s3cr%2Fet@mail.example.com:587"})
    assert (s.scheme, s.host, s.port, s.user, s.password) == ("smtp", "mail.example.com", 587, "me@x.com", "s3cr/et")
    assert "s3cr" not in repr(s) and "s3cr" not in s.where()
    assert server_from_env({"REPORTKIT_SMTP_URL": "smtps://u:p@mail.example.com"}).port == 465
    plain = server_from_env({"REPORTKIT_SMTP_URL": "smtp://localhost"})
    assert (plain.port, plain.user) == (25, None)
    for bad in ("", "http://host", "smtp://host:port"):
        with pytest.raises(InputError, match="REPORTKIT_SMTP_URL"):
            server_from_env({"REPORTKIT_SMTP_URL": bad})


def test_delivery_params_are_checked(root):
    from reportkit.config import validate
    values = yaml.safe_load((root / "params" / "northwind_b2b.yaml").read_text())
    with pytest.raises(ConfigError, match="delivery.*not-an-address"):
        validate({**values, "delivery": {"to": ["not-an-address"]}})
    with pytest.raises(ConfigError, match=r"\{client_name\} and \{period\}"):
        validate({**values, "delivery": {"to": ["a@b.example"], "subject": "{nope}"}})


# --- on real renders --------------------------------------------------------------------------

def _cli(*args, cwd, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "reportkit.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, **kw)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, root):
    """The demo clients for October 2026, with PDFs: rendered once for this module."""
    from reportkit.run.batch import run_batch
    out = tmp_path_factory.mktemp("rendered")
    batch = run_batch([root / "params" / f"{c}.yaml" for c in DEMO], out=out, pdf=True, progress=False)
    assert batch.exit_code == 0, [r.error for r in batch.results]
    return out


@pytest.fixture()
def reports(rendered, tmp_path) -> Path:
    """A copy of the rendered reports (and their ledger) for one test."""
    shutil.copytree(rendered, tmp_path / "reports")
    return tmp_path / "reports"


@pytest.mark.slow
def test_run_period_last_month_across_the_year_boundary(tmp_path, root):
    # as of 5 Jan 2026 the month just closed is December 2025: folder 2025-12, previous Nov 2025
    proc = _cli("run", "params/daily_gazette.yaml", "--period", "last-month", "--as-of", "2026-01-05",
                "--out", str(tmp_path), cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    side = json.loads((tmp_path / "2025-12" / "daily_gazette.json").read_text())
    assert side["period"] == {"start": "2025-12-01", "end": "2025-12-31"}
    assert side["previous"] == {"start": "2025-11-01", "end": "2025-11-30"}
    manifest = json.loads((tmp_path / "2025-12" / "manifest.json").read_text())
    assert manifest["period"] == "2025-12" and manifest["clients"][0]["status"] == "ok"
    assert not (tmp_path / "2026-10").exists()            # the params' own period is not rendered
    # the batch recorded the render in the ledger
    assert ledger.lives(tmp_path / "2025-12")["daily_gazette"].hash
    bad = _cli("run", "--all", "--period", "last-moth", "--out", str(tmp_path), cwd=root)
    assert bad.returncode == 2 and "last_month" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_plain_papermill_with_a_relative_period(tmp_path, root):
    values = yaml.safe_load((root / "params" / "northwind_b2b.yaml").read_text())
    params = tmp_path / "northwind_b2b.yaml"
    params.write_text(yaml.safe_dump({**values, "period": "last_month", "as_of": "2026-01-05"}))
    out = tmp_path / "out.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", "notebooks/client_report.ipynb", str(out),
                           "-f", str(params), "--engine", "reportkit-inprocess", "--no-progress-bar"],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    import nbformat
    nb = nbformat.read(out, as_version=4)
    side = next(o["data"]["application/vnd.reportkit.sidecar+json"] for c in nb.cells for o in c.get("outputs", [])
                if "application/vnd.reportkit.sidecar+json" in o.get("data", {}))
    assert side["period_key"] == "2025-12"


@pytest.mark.slow
def test_holds_approval_and_reapproval_after_a_changed_render(reports, root, tmp_path):
    folder = reports / "2026-10"
    lives = approval.sync(folder)
    # acme_outdoor: tracking outage 13-15 Oct in the period; daily_gazette: outage in September
    # (the comparison period); northwind_b2b: clean
    assert lives["acme_outdoor"].state == "held" and "13–15 Oct 2026" in lives["acme_outdoor"].holds[0]
    assert lives["daily_gazette"].state == "held" and "(previous)" in lives["daily_gazette"].holds[0]
    assert lives["northwind_b2b"].state == "awaiting_review"
    proc = _cli("approve", "--all-clean", "--period", "2026-10", "--out", str(reports), "--by", "Dana", cwd=root)
    assert proc.returncode == 0 and "northwind_b2b" in proc.stdout and "acme_outdoor" not in proc.stdout
    lives = ledger.lives(folder)
    assert lives["northwind_b2b"].approved and lives["northwind_b2b"].approved_by == "Dana"
    assert not lives["acme_outdoor"].approved
    first_hash = lives["northwind_b2b"].hash
    assert first_hash == ledger.content_hash(folder, "northwind_b2b")

    from reportkit.run.batch import run_batch
    params = root / "params" / "northwind_b2b.yaml"
    # the same report again: same content hash, the approval stands
    assert run_batch([params], out=reports, progress=False).exit_code == 0
    assert ledger.lives(folder)["northwind_b2b"].approved
    # a changed report (another client name in params): a new hash, approval needed again
    changed = tmp_path / "northwind_b2b.yaml"
    changed.write_text(params.read_text().replace("client_name: Northwind Systems",
                                                  "client_name: Northwind Systems Ltd"))
    assert run_batch([changed], out=reports, progress=False).exit_code == 0
    life = ledger.lives(folder)["northwind_b2b"]
    assert life.hash != first_hash and not life.approved and life.state == "awaiting_review"
    dry = _cli("send", "--period", "2026-10", "--out", str(reports), "--dry-run", cwd=root)
    assert "not approved yet" in dry.stdout and not (folder / "outbox").exists()
    # a held report is approved by name (a person looked), with its hold reasons recorded
    proc = _cli("approve", "acme_outdoor", "northwind_b2b", "--period", "2026-10", "--out", str(reports), cwd=root)
    assert proc.returncode == 0, proc.stderr
    events = [e for e in ledger.read(folder) if e["state"] == "approved" and e["client_id"] == "acme_outdoor"]
    assert events[-1]["despite"] == lives["acme_outdoor"].holds
    unknown = _cli("approve", "nobody", "--period", "2026-10", "--out", str(reports), cwd=root)
    assert unknown.returncode == 2 and "no report for nobody" in unknown.stderr


@pytest.mark.slow
def test_review_lists_holds_goal_changes_moves_and_the_summary_diff(reports, root):
    # the previous period's reports: September 2026
    proc = _cli("run", "--all", "--period", "2026-09", "--out", str(reports), cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    proc = _cli("review", "--period", "2026-10", "--out", str(reports), cwd=root)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.splitlines()[0].startswith("review 2026-10") and "2 held, 1 awaiting review" in out
    assert out.index("acme_outdoor") < out.index("northwind_b2b")        # held before awaiting review
    assert "hold: data quality (current)" in out and "moves: " in out
    assert "summary vs 2026-09:" in out and "\n      + " in out and "\n      - " in out
    sept = json.loads((reports / "2026-09" / "acme_outdoor.json").read_text())
    octo = json.loads((reports / "2026-10" / "acme_outdoor.json").read_text())
    changed = [g["name"] for g, h in zip(octo["goals"], sept["goals"]) if g["status"] != h["status"]]
    for name in changed:
        assert f"goal: {name}: " in out
    missing = _cli("review", "--period", "2026-08", "--out", str(reports), cwd=root)
    assert missing.returncode == 2 and "no reports folder" in missing.stderr


# --- a real SMTP server --------------------------------------------------------------------------

class Inbox:
    """aiosmtpd handler keeping every accepted message; refuses the addresses in ``refuse``."""

    def __init__(self):
        self.messages, self.refuse, self.on_mail, self.mails = [], set(), None, 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        if self.on_mail:
            self.on_mail(self.mails)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp():
    from aiosmtpd.controller import Controller   # the test extra installs it: never skipped
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    try:
        yield inbox
    finally:
        controller.stop()


def _approve_all(reports, root):
    proc = _cli("approve", *DEMO, "--period", "2026-10", "--out", str(reports), "--by", "Dana", cwd=root)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_send_delivers_each_approved_report_once_with_its_pdf(reports, root, smtp):
    _approve_all(reports, root)
    smtp.refuse = {"account-team@northstar.example"}       # the cc of every demo client
    env = {"REPORTKIT_SMTP_URL": smtp.url, "REPORTKIT_MAIL_FROM": "Northstar Reports <reports@northstar.example>"}
    proc = _cli("send", "--period", "2026-10", "--out", str(reports), cwd=root, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr   # a refused recipient is a failure to report
    assert "refused account-team@northstar.example: 550 5.1.1 mailbox unavailable" in proc.stdout
    assert len(smtp.messages) == 3
    got = {m["Subject"]: (frm, rcpt, m) for frm, rcpt, m in smtp.messages}
    frm, rcpt, msg = got["Acme Outdoor: your marketing report for October 2026"]
    assert frm == "reports@northstar.example" and rcpt == ["marketing@acme-outdoor.example"]
    assert msg["To"] == "marketing@acme-outdoor.example" and msg["Cc"] == "account-team@northstar.example"
    assert msg["Reply-To"] == "account-team@northstar.example" and msg["From"].addresses[0].display_name == \
        "Northstar Reports"
    assert msg["Message-ID"].endswith("@northstar.example>") and msg["Date"]
    html = msg.get_body(("html",)).get_content()
    side = json.loads((reports / "2026-10" / "acme_outdoor.json").read_text())
    from html import escape
    assert "Hello Jana" in html and all(escape(sentence) in html for sentence in side["summary"])
    assert side["kpis"]["revenue"]["label"] in html          # the KPI cards
    (pdf,) = [part for part in msg.iter_attachments()]
    assert pdf.get_filename() == "acme_outdoor.pdf" and pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == (reports / "2026-10" / "acme_outdoor.pdf").read_bytes()
    # refused per address in the ledger; nothing of the SMTP URL written
    sent = [e for e in ledger.read(reports / "2026-10") if e["state"] == "sent"]
    assert len(sent) == 3 and all(list(e["refused"]) == ["account-team@northstar.example"] for e in sent)
    assert smtp.url.split("//")[1] not in (reports / "2026-10" / ledger.LEDGER).read_text()
    # never twice: a second send sends nothing; --resend sends one on purpose
    again = _cli("send", "--period", "2026-10", "--out", str(reports), cwd=root, env=env)
    assert again.returncode == 0 and "already sent" in again.stdout and len(smtp.messages) == 3
    smtp.refuse = set()
    resend = _cli("send", "--period", "2026-10", "--out", str(reports), "--resend", "northwind_b2b", cwd=root, env=env)
    assert resend.returncode == 0, resend.stdout + resend.stderr
    assert len(smtp.messages) == 4 and smtp.messages[-1][2]["To"] == "marketing@northwind.example"


@pytest.mark.slow
def test_a_send_killed_between_two_messages_resumes_without_duplicates(reports, root, smtp):
    _approve_all(reports, root)
    env = {**os.environ, "REPORTKIT_SMTP_URL": smtp.url}
    proc = subprocess.Popen([sys.executable, "-m", "reportkit.cli", "send", "--period", "2026-10",
                             "--out", str(reports)], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)

    def kill_at_second_message(count):   # the first message is through; the sender dies now
        if count == 2:
            os.kill(proc.pid, signal.SIGKILL)
            time.sleep(0.5)

    smtp.on_mail = kill_at_second_message
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert len(smtp.messages) == 1
    smtp.on_mail = None
    rerun = _cli("send", "--period", "2026-10", "--out", str(reports), cwd=root, env=env)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    ids = [m["Message-ID"] for _, _, m in smtp.messages]
    to = sorted(m["To"] for _, _, m in smtp.messages)
    assert len(ids) == 3 and len(set(ids)) == 3           # each client's message exactly once
    assert to == ["marketing@acme-outdoor.example", "marketing@dailygazette.example", "marketing@northwind.example"]
    lives = ledger.lives(reports / "2026-10")
    assert all(len(lives[c].sent) == 1 for c in DEMO)
    # the message interrupted at MAIL FROM was retried under the Message-ID recorded before it
    sending = [e for e in ledger.read(reports / "2026-10") if e["state"] == "sending"]
    interrupted = sending[1]["message_id"]
    assert interrupted in ids and sum(e["message_id"] == interrupted for e in sending) == 2


# --- TLS: STARTTLS with login, and smtps -------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1; the sender trusts it through SSL_CERT_FILE."""
    import datetime as dt
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


class TlsInbox(Inbox):
    def __init__(self):
        super().__init__()
        self.sessions = []

    async def handle_DATA(self, server, session, envelope):
        self.sessions.append({"tls": session.ssl is not None, "authenticated": bool(session.authenticated)})
        return await super().handle_DATA(server, session, envelope)


PASSWORD = "s3cr/et p@ss"


LOGINS = []   # (login, accepted) as the server saw them


def _authenticator(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult
    ok = auth_data.login == b"rk@agency.example" and auth_data.password == PASSWORD.encode()
    LOGINS.append((auth_data.login, ok, session.ssl is not None))
    return AuthResult(success=ok, handled=False)


@pytest.mark.slow
def test_starttls_with_login_and_smtps_and_the_password_never_shows(reports, root, certificate):
    import ssl
    from urllib.parse import quote
    from aiosmtpd.controller import Controller
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    proc = _cli("approve", "northwind_b2b", "--period", "2026-10", "--out", str(reports), cwd=root)
    assert proc.returncode == 0, proc.stderr
    inbox, port = TlsInbox(), _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                        authenticator=_authenticator, auth_required=True)
    server.start()
    try:
        url = f"smtp://{quote('rk@agency.example', safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}"
        wrong = f"smtp://{quote('rk@agency.example', safe='')}:wrong-{quote(PASSWORD, safe='')}@127.0.0.1:{port}"
        env = {"SSL_CERT_FILE": str(cert)}
        bad = _cli("send", "--period", "2026-10", "--out", str(reports), cwd=root,
                   env={**env, "REPORTKIT_SMTP_URL": wrong})
        assert bad.returncode == 2 and "refused the login of user 'rk@agency.example'" in bad.stdout
        sent = _cli("send", "--period", "2026-10", "--out", str(reports), cwd=root, env={**env, "REPORTKIT_SMTP_URL": url})
        assert sent.returncode == 0, sent.stdout + sent.stderr
    finally:
        server.stop()
    assert len(inbox.messages) == 1 and inbox.sessions == [{"tls": True, "authenticated": True}]
    # the wrong password was refused (smtplib tries PLAIN, then LOGIN), the right one accepted:
    # every attempt only after STARTTLS
    assert [ok for _, ok, _ in LOGINS] in ([False, True], [False, False, True])
    assert all(login == b"rk@agency.example" and tls for login, _, tls in LOGINS)
    ledger_text = (reports / "2026-10" / ledger.LEDGER).read_text()
    for text in (bad.stdout, bad.stderr, sent.stdout, sent.stderr, ledger_text):
        assert "s3cr" not in text and quote(PASSWORD, safe="") not in text
    # smtps://: TLS from the first byte, no login
    proc = _cli("approve", "acme_outdoor", "--period", "2026-10", "--out", str(reports), cwd=root)
    assert proc.returncode == 0, proc.stderr
    inbox, port = TlsInbox(), _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=context)
    server.start()
    try:   # the server speaks only TLS (a plain client would wait for its greeting in vain)
        sent = _cli("send", "--period", "2026-10", "--out", str(reports), cwd=root,
                    env={**env, "REPORTKIT_SMTP_URL": f"smtps://127.0.0.1:{port}"})
        assert sent.returncode == 0, sent.stdout + sent.stderr
    finally:
        server.stop()
    assert [m["To"] for _, _, m in inbox.messages] == ["marketing@acme-outdoor.example"]


@pytest.mark.slow
def test_a_relative_period_follows_the_params_as_of_and_send_needs_no_server_until_one_is_due(reports, root):
    env = {k: v for k, v in os.environ.items() if k != "REPORTKIT_SMTP_URL"}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "reportkit.cli", *args, "--out", str(reports)],
                              capture_output=True, text=True, cwd=root, env=env)
    # every demo params file has as_of 2026-11-21: last-month is 2026-10, the folder the batch
    # wrote (as of today, after November 2026, it would be a later, absent folder)
    proc = cli("review", "--period", "last-month")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("review 2026-10 ")
    # --as-of still decides when given: as of 2026-12-02 last-month is November, not rendered
    later = cli("review", "--period", "last-month", "--as-of", "2026-12-02")
    assert later.returncode == 2 and "no reports folder" in later.stderr and "2026-11" in later.stderr
    # nothing approved: each report is skipped with its reason; no mail server is asked for
    send = cli("send", "--period", "last-month")
    assert send.returncode == 0, send.stdout + send.stderr
    assert "not approved yet" in send.stdout and "REPORTKIT_SMTP_URL" not in send.stdout + send.stderr
    # one approved and due: now the server is needed, and its absence is bad input (exit 2)
    assert cli("approve", "northwind_b2b", "--period", "2026-10", "--by", "Dana").returncode == 0
    due = cli("send", "--period", "2026-10")
    assert due.returncode == 2 and "REPORTKIT_SMTP_URL" in due.stdout + due.stderr
    assert "Traceback" not in due.stderr
