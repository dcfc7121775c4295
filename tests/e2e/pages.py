"""What a person does on a page: fill a form, go from the inbox to a task, submit, read what is shown."""
from datetime import date

from playwright.sync_api import expect

INBOX_ROWS = "[data-testid=inbox] tbody tr"
TASK_FORM = "[data-testid=task-form]"
SUCCESS = "main .alert-success"
WARNING = "main .alert-warning"
PHONE_TOLERANCE_PX = 2


def fill_form(scope, values):
    """Fill inputs by name inside `scope` (a page or a locator): text, number, date, checkbox, radio, select."""
    kinds = dict(scope.locator("[name]").evaluate_all(
        "els => els.map(e => [e.name, e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase()])"))
    for name, value in values.items():
        field = scope.locator(f'[name="{name}"]')
        kind = kinds[name]
        if kind == "checkbox":
            field.set_checked(bool(value))
        elif kind == "radio":
            scope.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "select":
            field.select_option(str(value))
        else:
            field.fill(value.isoformat() if isinstance(value, date) else str(value))


def inbox_rows(person, student, step):
    """The rows of `person`'s inbox for this student at this step (the step column matched exactly)."""
    page = person.go("/inbox")
    return page.locator(INBOX_ROWS).filter(has_text=student).filter(has=page.locator(f'td:text-is("{step}")'))


def expect_waiting(person, student, step, count=1):
    """`person`'s inbox lists the student at `step` (`count` times: two places to verify are two rows)."""
    rows = inbox_rows(person, student, step)
    expect(rows).to_have_count(count)
    return rows


def open_task(person, student, step, count=1):
    """From the inbox, click the student's row at `step`; the task page shows the step and its form."""
    rows = expect_waiting(person, student, step, count)
    rows.first.get_by_role("link", name=student).click()
    page = person.page
    expect(page.locator("h1")).to_have_text(step)
    expect(page.get_by_test_id("dossier").locator("h2")).to_have_text(student)
    return page


def submit_task(page, student, step, values, button="submit"):
    """Fill the task form and send it (`button="confirm"` once asked): back on the inbox with the success message."""
    form = page.locator(TASK_FORM)
    fill_form(form, values)
    form.get_by_test_id(button).click()
    expect(page.locator(SUCCESS)).to_have_text(f"Đã ghi nhận: {step} — {student}")


def do_step(person, student, step, values, count=1):
    page = open_task(person, student, step, count)
    submit_task(page, student, step, values)
    return page


def expect_vote_preview(page, counted, threshold, verdict):
    preview = page.get_by_test_id("vote-preview")
    expect(preview.locator("[data-preview=counted]")).to_have_text(str(counted))
    expect(preview.locator("[data-preview=threshold]")).to_have_text(str(threshold))
    expect(preview.locator("[data-preview=verdict]")).to_have_text(verdict)


def horizontal_overflow(page):
    """How many CSS pixels the document is wider than the viewport (0 when nothing sticks out)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
