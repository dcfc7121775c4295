"""Drive cases through the procedure as the right people would, via the public services."""
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import HumanTask, ProcessInstance, RoleAssignment, User
from ..services import complete_task, run_due_timers
from ..services.clock import VIETNAM
from ..services.register_choices import choice_answers
from ..services.register_votes import register_answers
from .answers import answers_for


class CaseDriver:
    """Acts on open tasks of a case with plausible answers; moves its own clock forward."""

    def __init__(self, now, step=timedelta(days=1)):
        self.now = now
        self.step = step

    def open_tasks(self, instance_id):
        return db.session.execute(
            select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
            .order_by(HumanTask.id)).scalars().all()

    def actor_for(self, task):
        """A user who may act on `task`: a holder of its role in exactly its unit (never one higher up)."""
        if task.assignee_id:
            return db.session.get(User, task.assignee_id)
        return db.session.execute(
            select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(RoleAssignment.role == task.role, RoleAssignment.unit_id == task.unit_id, User.active)
            .order_by(User.id).limit(1)).scalar_one()

    def answers(self, task, overrides=None):
        """Plausible answers, with the counts and the members a careful secretary takes from the
        member register on the day (services/register_votes.py, register_choices.py)."""
        day = self.local_day()
        cell_id = db.session.get(ProcessInstance, task.instance_id).unit_id
        from_register = register_answers(task, day) | choice_answers(task.form_name, cell_id, day)
        return answers_for(task.form_name, day) | from_register | (overrides or {}).get(task.spec_name, {})

    def local_day(self):
        return self.now.astimezone(VIETNAM).date()

    def complete(self, task, overrides=None, actor=None):
        self.now += self.step
        return complete_task(actor or self.actor_for(task), task.id, self.answers(task, overrides), now=self.now)

    def run(self, instance_id, *, until=None, overrides=None, max_steps=200):
        """Complete tasks (and wait out timers) until a task named `until` is open or the case ends.

        `until` is a spec name or a collection of them; `overrides` maps spec name → field values.
        Returns the open tasks at the stop.
        """
        stop_at = {until} if isinstance(until, str) else set(until or ())
        for _ in range(max_steps):
            tasks = self.open_tasks(instance_id)
            if stop_at & {t.spec_name for t in tasks}:
                return tasks
            if tasks:
                self.complete(tasks[0], overrides)
                continue
            instance = db.session.get(ProcessInstance, instance_id)
            db.session.refresh(instance)
            if instance.next_timer_at is None or "timer" in stop_at:
                return tasks
            self.now = max(self.now, instance.next_timer_at) + timedelta(minutes=1)
            run_due_timers(now=self.now)
        raise RuntimeError(f"case {instance_id} did not stop within {max_steps} steps")
