"""Background-verification letters (20-KNĐ) in the reports (issue 11): sent, answered, overdue per scope
and period, counted here from the letters the test writes — not by the report code."""
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests.reports.known_world import acting, add_case
from webapp.extensions import db
from webapp.models import HumanTask, OrgUnit, VerificationRequest
from webapp.rules.workdays import working_days_between
from webapp.services.reports import make_period, report_scope
from webapp.services.reports.durations import percentile
from webapp.services.reports.letters import letter_cases, verification_letters
from webapp.services.reports.periods import date_range

TODAY = date(2025, 6, 2)
YEAR_2025 = make_period("year", 2025)


@dataclass(eq=False)  # each letter is itself (a set holds it by identity)
class Letter:
    instance_id: int
    cell: str
    sent_on: date
    due_on: date
    status: str  # of the answering step: open, completed, cancelled
    answered_on: date | None = None

    def state(self, today):
        """As services/verification_letters.places_to_verify says it, plus the cancelled step."""
        if self.status == "completed":
            return "answered"
        if self.status == "cancelled":
            return "withdrawn"
        return "overdue" if self.due_on < today else "sent"

    def figures(self, today):
        found = {"all", self.state(today)}
        if self.status == "completed" and self.answered_on > self.due_on:
            found.add("answered_late")
        return found


def _letter(world, case, number, sent_on, due_in, status, answered_in=None):
    answered_on = sent_on + timedelta(days=answered_in) if answered_in is not None else None
    task = HumanTask(instance_id=case.instance_id, task_uuid=f"00000000-0000-0000-0001-{number:012d}",
                     spec_name="record_verification", label="Thẩm tra", process_id="verify_place",
                     form_name="record_verification", role="verifier", unit_id=world.cells[case.cell].id,
                     status=status, due_on=sent_on + timedelta(days=due_in),
                     completed_at=datetime(answered_on.year, answered_on.month, answered_on.day, 3, tzinfo=UTC)
                     if answered_on else None)
    db.session.add(task)
    db.session.flush()
    db.session.add(VerificationRequest(
        task_id=task.id, instance_id=case.instance_id, number=f"{number}-CV/CB", sent_on=sent_on,
        persons=["applicant"], addressee_name="Đảng ủy xã Hòa An", addressee_address="Cao Bằng", sent_by="post",
        due_on=task.due_on, sent_by_user_id=world.users[(case.cell, "cell_secretary")].id))
    return Letter(case.instance_id, case.cell, sent_on, task.due_on, status, answered_on)


def _letters(world, first_day, today):
    """Letters in four cells, in this period and the year before: every state, some answers late."""
    letters, number = [], 0
    plan = (  # (days after first_day sent, days to the due day, step status, days to the answer)
        (3, 30, "completed", 12), (10, 30, "completed", 45), (40, 30, "completed", 29), (60, 30, "cancelled", None),
        (95, 30, "open", None), (-5, 30, "open", None), (-20, 30, "open", None), (120, 30, "completed", 31),
    )
    for index, cell in enumerate(("TQ-LN-THPT", "TQ-CH-THPT", "TQ-CX-THPT-1", "TQ-DHTT-SP-SV")):
        for year_back in (0, 1):
            case = add_case(world, cell, {"dossier_complete": first_day}, number=900 + 10 * index + year_back)
            for sent_after, due_in, status, answered_in in plan[index:index + 5]:
                number += 1
                sent = (today if sent_after < 0 else first_day) + timedelta(days=sent_after - 365 * year_back)
                if answered_in is not None and sent + timedelta(days=answered_in) > today:
                    status, answered_in = "open", None
                letters.append(_letter(world, case, number, sent, due_in, status, answered_in))
    db.session.commit()
    return letters


def _expected(letters, period, cells, today, figure):
    return {letter for letter in letters if letter.cell in cells and period.start <= letter.sent_on <= period.end
            and figure in letter.figures(today)}


FIGURES = ("all", "answered", "answered_late", "sent", "overdue", "withdrawn")
CELLS = ("TQ-LN-THPT", "TQ-CH-THPT", "TQ-CX-THPT-1", "TQ-DHTT-SP-SV")


def test_letters_by_state_as_the_test_counted_them(world):
    letters = _letters(world, date(2025, 1, 6), TODAY)
    board = report_scope(acting(world.users[("TQ", "org_board")]))
    report = verification_letters(board, YEAR_2025, TODAY)
    for figure in FIGURES:
        assert report.whole.counts[figure] == len(_expected(letters, YEAR_2025, CELLS, TODAY, figure)), figure
        assert report.before.counts[figure] == len(
            _expected(letters, YEAR_2025.previous_year(), CELLS, TODAY, figure)), figure
    assert {figure: report.whole.counts[figure] > 0 for figure in FIGURES} == dict.fromkeys(FIGURES, True)
    days = sorted(working_days_between(letter.sent_on, letter.answered_on)
                  for letter in _expected(letters, YEAR_2025, CELLS, TODAY, "answered"))
    assert (report.whole.median, report.whole.p90) == (percentile(days, 0.5), percentile(days, 0.9))
    by_unit = {unit.code: counts for unit, counts in report.units}
    for code, cells in (("TQ-LN", ("TQ-LN-THPT",)), ("TQ-CH", ("TQ-CH-THPT",)), ("TQ-DHTT", ("TQ-DHTT-SP-SV",))):
        for figure in FIGURES:
            assert by_unit[code].counts[figure] == len(_expected(letters, YEAR_2025, cells, TODAY, figure)), (code,
                                                                                                             figure)
    assert sum(counts.counts["all"] for _unit, counts in report.units) == report.whole.counts["all"]


def test_a_cell_secretary_counts_only_the_letters_of_their_cell(world):
    letters = _letters(world, date(2025, 1, 6), TODAY)
    cell = report_scope(acting(world.users[("TQ-LN-THPT", "cell_secretary")]))
    report = verification_letters(cell, YEAR_2025, TODAY)
    for figure in FIGURES:
        assert report.whole.counts[figure] == len(_expected(letters, YEAR_2025, ("TQ-LN-THPT",), TODAY, figure))
    listed = letter_cases(cell, YEAR_2025, "all", TODAY)
    assert {row.instance_id for row in listed.rows} == {
        letter.instance_id for letter in _expected(letters, YEAR_2025, ("TQ-LN-THPT",), TODAY, "all")}


def test_a_figure_lists_exactly_the_letters_counted(world):
    letters = _letters(world, date(2025, 1, 6), TODAY)
    board = report_scope(acting(world.users[("TQ", "org_board")]))
    for figure in FIGURES:
        want = _expected(letters, YEAR_2025, CELLS, TODAY, figure)
        listed = letter_cases(board, YEAR_2025, figure, TODAY)
        assert listed.total == len(want), figure
        assert sorted((row.instance_id, row.reached_on) for row in listed.rows) == sorted(
            (letter.instance_id, letter.sent_on) for letter in want), figure
        assert all(row.citizen_id.startswith("•") for row in listed.rows)
    assert letter_cases(board, YEAR_2025, "no_such_figure", TODAY).total == 0


def _testid(html, testid):
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    return match.group(1) if match else None


def test_the_stage_times_page_shows_the_letters_and_links_to_them(world, browser):
    today = datetime.now(UTC).date()  # the pages count "overdue" against today
    letters = _letters(world, today - timedelta(days=130), today)
    period = date_range(today - timedelta(days=140), today)
    query = f"period=range&from={period.start.isoformat()}&to={period.end.isoformat()}"
    district = db.session.execute(select(OrgUnit.id).where(OrgUnit.code == "TQ-CH")).scalar()
    browser.login("tq.org_board")
    html = browser.get(f"/reports/stage-times?{query}").get_data(as_text=True)
    for figure in FIGURES:
        assert _testid(html, f"letters-{figure}") == str(len(_expected(letters, period, CELLS, today, figure))), figure
        assert _testid(html, f"letters-before-{figure}") == str(
            len(_expected(letters, period.previous_year(), CELLS, today, figure))), figure
    link = re.search(r'href="([^"]+)" data-testid="letters-overdue"', html).group(1).replace("&amp;", "&")
    listed = browser.get(link).get_data(as_text=True)
    assert {int(found) for found in re.findall(r'data-case="(\d+)"', listed)} == {
        letter.instance_id for letter in _expected(letters, period, CELLS, today, "overdue")}
    assert _testid(listed, "cases-total") == str(len(_expected(letters, period, CELLS, today, "overdue")))
    workbook = browser.get(f"/reports/stage-times.csv?{query}&unit={district}").data.decode("utf-8")
    line = next(line for line in workbook.splitlines() if line.startswith("Cộng (kỳ này)") and "," in line
                and line.count(",") >= 6)
    assert line.split(",")[1] == str(len(_expected(letters, period, ("TQ-CH-THPT",), today, "all")))
    browser.get("/logout")
    browser.login("tq-ln-thpt.cell_secretary")
    neighbour = browser.get(f"/reports/cases?letters=all&{query}&unit={world.cells['TQ-CH-THPT'].id}")
    assert neighbour.status_code == 403
