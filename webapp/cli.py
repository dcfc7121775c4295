"""Command-line entry points; each calls exactly the services the web pages call."""
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from .demo import seed_demo
from .engine import ProcessDefinitionError
from .extensions import db
from .models import OrgUnit
from .services import active_version, deploy, files_from_directories, record_verification, run_due_timers, run_worker
from .services.mail import Relay
from .services.reminders import ReminderPolicy


def _problem_line(problem):
    """One problem on one line: where (file, element, line), then what (the English words)."""
    where = [problem.file_name or "(deployment)"]
    if problem.element_id:
        where.append(f"element {problem.element_id}")
    if problem.line:
        where.append(f"line {problem.line}")
    message = " ".join(str(problem.message).split())  # a message never breaks the one-line-per-problem rule
    return f"{', '.join(where)}: {message}"


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when organisation units already exist.")
@with_appcontext
def seed_demo_command(if_empty):
    """Load the demo province, schools, users and cases into an empty database."""
    if if_empty and db.session.query(OrgUnit.id).first() is not None:
        click.echo("Demo data already present; nothing loaded.")
        return
    try:  # all or nothing: a failure leaves the database as it was (demo.atomic)
        summary = seed_demo(current_app.config["PROCESSES_DIR"], current_app.config["FORMS_DIR"])
    except Exception as failed:  # noqa: BLE001 — any failure is told in one line, never as a traceback
        click.echo(f"Demo data not loaded; nothing was stored: {type(failed).__name__}: "
                   f"{' '.join(str(failed).split())}", err=True)
        for problem in getattr(failed, "problems", ()):
            click.echo(_problem_line(problem), err=True)
        sys.exit(1)
    click.echo(f"Demo data loaded: {summary['units']} units, {summary['users']} users, "
               f"{summary['cases']} cases.")


processes = click.Group("processes", help="Deploy the diagrams and forms.")


@processes.command("deploy")
@click.option("--comment", default="", help="Why this version is deployed.")
def deploy_command(comment):
    """Deploy processes/ and forms/ as a new version if they changed; exit 1 listing every problem if refused."""
    files = files_from_directories(current_app.config["PROCESSES_DIR"], current_app.config["FORMS_DIR"])
    before = active_version()
    before_id = before.id if before is not None else None
    try:
        version = deploy(files, comment=comment)
    except ProcessDefinitionError as refused:
        db.session.rollback()
        click.echo(f"Not deployed: {len(refused.problems)} problem(s); nothing was stored.", err=True)
        for problem in refused.problems:
            click.echo(_problem_line(problem), err=True)
        sys.exit(1)
    db.session.commit()
    if version.id == before_id:
        click.echo(f"Nothing changed: the active version is still {version.process_id} v{version.number} "
                   f"({version.content_hash[:12]}).")
        return
    diagrams = [f.name for f in version.files if f.name.endswith((".bpmn", ".dmn"))]
    forms = [f.name for f in version.files if f.name.endswith(".schema.json")]
    click.echo(f"Deployed {version.process_id} v{version.number} ({version.content_hash[:12]}), now active: "
               f"{len(diagrams)} diagram(s) ({', '.join(diagrams)}), {len(forms)} form(s).")


timers = click.Group("timers", help="Timers of waiting cases.")


@timers.command("run")
def timers_run_command():
    """Fire every due timer once."""
    fired = run_due_timers()
    click.echo(f"Fired timers on {len(fired)} case(s).")


@click.command("worker")
@with_appcontext
def worker_command():
    """Fire due timers in a loop (run one or more beside the web server)."""
    poll, walk_hours = current_app.config["TIMER_POLL_SECONDS"], current_app.config["AUDIT_WALK_HOURS"]
    click.echo(f"Timer worker started; polling every {poll:g} s"
               + (f", walking the audit chain every {walk_hours:g} h." if walk_hours else "."))
    config = current_app.config
    reminders = ReminderPolicy(lead_working_days=config["REMINDER_LEAD_WORKING_DAYS"],
                               escalation_roles=config["ESCALATION_ROLES"])
    relay = Relay(host=config["SMTP_HOST"], port=config["SMTP_PORT"], sender=config["SMTP_SENDER"],
                  username=config["SMTP_USERNAME"], password=config["SMTP_PASSWORD"],
                  starttls=config["SMTP_STARTTLS"], public_url=config["PUBLIC_URL"],
                  digest_hour=config["DIGEST_HOUR"]) if config["SMTP_HOST"] else None
    click.echo("E-mail copies of notices go through " + (f"{relay.host}:{relay.port}." if relay else
                                                          "no relay (KETNAP_SMTP_HOST is not set)."))
    run_worker(poll, walk_every=timedelta(hours=walk_hours) if walk_hours else None, reminders=reminders,
               relay=relay, log=click.echo)


audit = click.Group("audit", help="The tamper-evident audit trail.")


@audit.command("verify")
def audit_verify_command():
    """Walk the whole audit chain and record the result (the integrity page shows it); exit 1 and
    name the first broken link if it was tampered with."""
    _walk, report = record_verification("command")
    if report.intact:
        click.echo(f"Audit chain intact: {report.checked} events checked.")
        return
    click.echo(f"Audit chain BROKEN at event {report.first_broken_seq}: {report.reason} "
               f"({report.checked} events checked before it).", err=True)
    sys.exit(1)


def register(app):
    for command in (seed_demo_command, processes, timers, worker_command, audit):
        app.cli.add_command(command)
