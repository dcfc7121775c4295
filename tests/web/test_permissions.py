"""Who gets what, for every route of the app and every kind of user: the permission matrix.

The routes come from `app.url_map`: a route added to the app without a row here fails
`test_every_route_is_in_the_matrix`. The cases all live in Chi bộ Trường THPT Lộc Ninh
(TQ-LN-THPT), decided by Đảng ủy xã Lộc Ninh (TQ-LN) under Tỉnh ủy Tuyên Quang (TQ).

Cells of the matrix:
  200  the page                             lgn  302 to the sign-in page
  302  a redirect elsewhere (not sign-in)   401  sign-in refused
  403  in scope, not this role's            404  out of scope (existence not disclosed)
  422  refused form, shown again            ok   POST succeeded: 302 and the database changed
  303  a search form's answer: the name kept in the session, the page shown at ?s=<key>
Every POST cell other than `ok` must leave the database exactly as it was (tasks and their
status, audit events, attachments, cases and their versions, students, roles, passwords).
"""
import io
from datetime import UTC, datetime

import pytest
from werkzeug.routing import RequestRedirect

from webapp.demo import DEMO_PASSWORD
from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import HumanTask, ProcessInstance, RoleAssignment
from webapp.models.register import BodyMembership
from webapp.services import add_attachment
from webapp.services.clock import VIETNAM
from webapp.services.register_choices import choice_answers

from .conftest import Browser
from .helpers import db_state, redirect_path, tiny_pdf

#: Columns: who asks. The twelve from `sec` to `adm` can see the Lộc Ninh cases; the last five cannot.
USERS = {
    "ano": None,                                 # anonymous: not signed in
    "sec": "tq-ln-thpt.cell_secretary",          # the cases' own cell …
    "you": "tq-ln-thpt.youth_union",
    "int": "tq-ln-thpt.introducer",
    "ver": "tq-ln-thpt.verifier",
    "res": "tq-ln-thpt.residence_cell",
    "lnS": "tq-ln.standing_committee",           # … the commune committee that decides for it …
    "lnB": "tq-ln.org_board",
    "lnC": "tq-ln.political_center",
    "tqS": "tq.standing_committee",              # … the province, above every unit …
    "tqC": "tq.political_center",
    "aud": "tq.auditor",                         # … the inspection committee (reads, never writes)
    "adm": "admin",                              # … and the administrator (held at the province).
    "chS": "tq-ch-thpt.cell_secretary",          # Out of scope: a sibling school under another committee,
    "chY": "tq-ch-thpt.youth_union",
    "chC": "tq-ch.political_center",             # that other committee,
    "cxG": "tq-cx-thpt.grassroots_committee",    # a grassroots committee elsewhere,
    "spS": "tq-dhtt-sp.subcommittee",            # a university sub-committee.
}

# {sympathiser_task}: the cell secretary's open "add to the sympathiser list" of the case
# {course_task}: the commune political centre's open "course result" of another case
# {case}: the first case; {attachment}: a scan attached to it; {diagram}: admission.bpmn
# {version}: the deployed version; {form}: the nomination form; {unit}: the Lộc Ninh cell
# {user}: an account of no column (a Cẩm Xuyên verifier); {role}: that account's role assignment
# Administrators' POSTs send empty forms: they must get past the gate, and are refused as invalid (422)
# or do what an empty form means (activate the active version again, toggle the account, revoke the role).
MATRIX = """
method url                                    ano sec you int ver res lnS lnB lnC tqS tqC aud adm chS chY chC cxG spS
GET  /healthz                                 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /livez                                   200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /static/ketnap.css                       200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /favicon.ico                             301 301 301 301 301 301 301 301 301 301 301 301 301 301 301 301 301 301
GET  /login                                   200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /password                                lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /acting                                  lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /lang/vi                                 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302
GET  /                                        lgn 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302
GET  /inbox                                   lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /tasks/{sympathiser_task}                lgn 200 403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
GET  /tasks/{course_task}                     lgn 403 403 403 403 403 403 403 200 403 403 403 403 404 404 404 404 404
GET  /batch/record_course_result              lgn 403 403 403 403 403 403 403 200 403 200 403 403 403 403 200 403 403
GET  /batch/hold_ceremony                     lgn 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403
GET  /cases                                   lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /cases/new                               lgn 200 200 403 403 403 403 403 403 403 403 403 403 200 200 403 403 403
GET  /cases/nominate                          lgn 403 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403
GET  /cases/{case}                            lgn 200 200 200 200 200 200 200 200 200 200 200 200 404 404 404 404 404
GET  /attachments/{attachment}                lgn 200 403 403 403 403 200 200 403 200 403 200 403 404 404 404 404 404
GET  /cases/{case}/history                    lgn 200 403 403 403 403 200 200 403 200 403 200 403 404 404 404 404 404
GET  /cases/{case}/print                      lgn 200 403 403 403 403 200 200 403 200 403 200 403 404 404 404 404 404
GET  /cases/{case}/documents                  lgn 200 200 200 200 200 200 200 200 200 200 200 200 404 404 404 404 404
GET  /cases/{case}/documents/knd01_application.pdf lgn 200 403 403 403 403 200 200 403 200 403 200 403 404 404 404 404 404
GET  /documents/register                      lgn 403 403 403 403 403 200 200 403 200 403 200 403 403 403 403 403 403
GET  /cases/{case}/diagram                    lgn 200 403 403 403 403 200 200 403 200 403 200 200 404 404 404 404 404
GET  /cases/{case}/diagram.json               lgn 200 200 200 200 200 200 200 200 200 200 200 200 404 404 404 404 404
GET  /cases/{case}/diagram/{diagram}          lgn 200 200 200 200 200 200 200 200 200 200 200 200 404 404 404 404 404
GET  /audit/cases                             lgn 403 403 403 403 403 200 200 403 200 403 200 403 403 403 403 403 403
GET  /audit/cases.csv                         lgn 403 403 403 403 403 200 200 403 200 403 200 403 403 403 403 403 403
GET  /audit/integrity                         lgn 403 403 403 403 403 403 403 403 403 403 200 200 403 403 403 403 403
GET  /admin/processes                         lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/processes/edit/{diagram}          lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/processes/upload                  lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/processes/startable              lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/versions                          lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/versions/{version}/migration      lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/versions/{version}/files/{diagram} lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/operations                        lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/forms                             lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/forms/{form}                      lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/units                             lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/units/{unit}                      lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/users                             lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /admin/users/{user}                      lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /register/                               lgn 302 403 403 403 403 403 403 403 403 403 403 200 302 403 403 403 403
GET  /register/{unit}                         lgn 200 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /register/{unit}/register.csv            lgn 200 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /register/memberships/{membership}       lgn 200 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
GET  /notices/                                 lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /notices/settings                         lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /deputies/                                lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /cases/{case}/verification                lgn 200 200 200 200 200 200 200 200 200 200 200 200 404 404 404 404 404
GET  /inbox/done                               lgn 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200
GET  /inbox/filters/999999                     lgn 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404
GET  /reports                                  lgn 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302
GET  /reports/funnel                           lgn 200 403 403 403 403 200 200 403 200 403 200 403 200 403 403 200 403
GET  /reports/new-members                      lgn 200 403 403 403 403 200 200 403 200 403 200 403 200 403 403 200 403
GET  /reports/targets                          lgn 200 403 403 403 403 200 200 403 200 403 200 403 200 403 403 200 403
GET  /reports/stage-times                      lgn 200 403 403 403 403 200 200 403 200 403 200 403 200 403 403 200 403
GET  /reports/risks                            lgn 200 403 403 403 403 200 200 403 200 403 200 403 200 403 403 200 403
GET  /reports/funnel.xlsx                      lgn 200 403 403 403 403 200 200 403 200 403 200 403 200 403 403 200 403
GET  /reports/cases?stage=admitted             lgn 200 403 403 403 403 200 200 403 200 403 200 403 200 403 403 200 403
POST /login                                   401 401 401 401 401 401 401 401 401 401 401 401 401 401 401 401 401 401
POST /password                                lgn 422 422 422 422 422 422 422 422 422 422 422 422 422 422 422 422 422
POST /acting                                  lgn 422 422 422 422 422 422 422 422 422 422 422 422 422 422 422 422 422
POST /inbox                                   lgn 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303
POST /cases                                   lgn 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303
POST /audit/cases                             lgn 403 403 403 403 403 303 303 403 303 403 303 403 403 403 403 403 403
POST /tasks/{sympathiser_task}                lgn ok  403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{sympathiser_task}/attachments    lgn ok  403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{sympathiser_task}/draft          lgn ok  403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{sympathiser_task}/draft/discard  lgn 302 403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{sympathiser_task}/comments       lgn ok  403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{sympathiser_task}/claim           lgn ok  403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{sympathiser_task}/release         lgn 303 403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{sympathiser_task}/hand-over       lgn 303 403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /tasks/{course_task}                     lgn 403 403 403 403 403 403 403 ok  403 403 403 403 404 404 404 404 404
POST /batch/record_course_result              lgn 403 403 403 403 403 403 403 ok  403 200 403 403 403 403 200 403 403
POST /batch/hold_ceremony                     lgn ok  403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403
POST /cases/new                               lgn ok  ok  403 403 403 403 403 403 403 403 403 403 ok  ok  403 403 403
POST /cases/nominate                          lgn 403 ok  403 403 403 403 403 403 403 403 403 403 403 ok  403 403 403
POST /cases/{case}/attachments                lgn ok  403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /cases/{case}/comments                   lgn ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  403 404 404 404 404 404
POST /cases/{case}/steps/{nominate_task}/reopen lgn 403 ok  403 403 403 ok  ok  403 ok  403 403 403 404 404 404 404 404
POST /admin/processes/edit/{diagram}/validate lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
POST /admin/processes/edit/{diagram}/deploy   lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/processes/upload                  lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/processes/startable/admission    lgn 403 403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /admin/versions/{version}/activate       lgn 403 403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /admin/versions/{version}/migration      lgn 403 403 403 403 403 403 403 403 403 403 403 302 403 403 403 403 403
POST /admin/operations/{case}/retry           lgn 403 403 403 403 403 403 403 403 403 403 403 302 403 403 403 403 403
POST /admin/forms                             lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/forms/{form}                      lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/forms/{form}/preview              lgn 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403
POST /admin/units                             lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/units/{unit}                      lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/users                             lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/users/search                      lgn 403 403 403 403 403 403 403 403 403 403 403 303 403 403 403 403 403
POST /admin/users/{user}/active               lgn 403 403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /admin/users/{user}/password             lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/users/{user}/roles                lgn 403 403 403 403 403 403 403 403 403 403 403 422 403 403 403 403 403
POST /admin/users/{user}/roles/{role}/revoke  lgn 403 403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /register/{unit}/members                 lgn ok  403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /register/{unit}/body-members            lgn 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404
POST /register/{unit}/import                  lgn ok  403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /register/memberships/{membership}       lgn ok  403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /register/memberships/{membership}/absence lgn ok  403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /register/memberships/{membership}/leaving lgn ok  403 403 403 403 403 403 403 403 403 403 ok  403 403 403 403 403
POST /notices/read-all                         lgn 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302
POST /notices/999999/read                     lgn 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404
POST /notices/settings                         lgn 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302
POST /deputies/                                lgn ok  403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403
POST /deputies/999999/cancel                   lgn 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404
POST /cases/{case}/verification/{sympathiser_task} lgn 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404
POST /cases/{case}/verification/residence      lgn 422 422 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404
POST /inbox/filters                            lgn 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303 303
POST /inbox/filters/999999/delete              lgn 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404
POST /reports/targets                          lgn 403 403 403 403 403 403 ok  403 403 403 403 403 403 403 403 403 403
POST /logout                                  lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn lgn
"""


def _parse(matrix):
    header, *lines = [line.split() for line in matrix.strip().splitlines()]
    columns = header[2:]  # after "method url"
    assert columns == list(USERS), "the matrix columns must be exactly USERS, in order"
    rows = []
    for method, url, *cells in lines:
        assert len(cells) == len(columns), f"{method} {url}: {len(cells)} cells for {len(columns)} users"
        rows.append((method, url, dict(zip(columns, cells, strict=True))))
    return rows


ROWS = _parse(MATRIX)
GET_ROWS = [row for row in ROWS if row[0] == "GET"]
POST_ROWS = [row for row in ROWS if row[0] == "POST"]


class Scene:
    """The Lộc Ninh cases the matrix talks about; `fresh_*` make another one for a user who succeeds."""

    def __init__(self, world, driver, start_case):
        self.world, self.driver, self.start_case = world, driver, start_case
        self.secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
        self.case = self._case_at("add_to_sympathiser_list", "Nguyễn Văn An")
        spare = world.users[("TQ-CX-THPT-1", "verifier")]  # no column of the matrix: admins may lock it
        self.ids = {
            "case": self.case.id,
            "sympathiser_task": self._task(self.case.id, "add_to_sympathiser_list"),
            "course_task": self.fresh_course_task(),
            "attachment": add_attachment(self.secretary, self.case.id, "don-xin-vao-dang.pdf", tiny_pdf()).id,
            "diagram": "admission.bpmn",
            "version": self.case.version_id,
            "form": "nominate_student",
            "unit": world.cells["TQ-LN-THPT"].id,
            "user": spare.id,
            # the register's first member of the Lộc Ninh cell (the secretary's own entry)
            "membership": self.register_membership(first=True),
            "role": db.session.query(RoleAssignment.id).filter_by(user_id=spare.id).scalar(),
            "nominate_task": self._task(self.case.id, "nominate_student", status="completed"),
        }
        self.ceremony_case = self._case_at("hold_ceremony", "Lê Thị Hoa")
        db.session.commit()

    def _case_at(self, step, name):
        case = self.start_case("TQ-LN-THPT", full_name=name)
        self.driver.run(case.id, until=step)
        return case

    @staticmethod
    def _task(instance_id, spec_name, status="open"):
        return db.session.query(HumanTask.id).filter_by(
            instance_id=instance_id, spec_name=spec_name, status=status).scalar()

    def fresh_nominated_case(self):
        """(case, its completed nomination): the case's last act, which its body may reopen (issue 15)."""
        case = self._case_at("add_to_sympathiser_list", "Đặng Văn Sửa")
        return case.id, self._task(case.id, "nominate_student", status="completed")

    def fresh_course_task(self):
        return self._task(self._case_at("record_course_result", "Trần Văn Minh").id, "record_course_result")

    def fresh_sympathiser_task(self):
        return self._task(self._case_at("add_to_sympathiser_list", "Phạm Thị Nga").id, "add_to_sympathiser_list")

    def fresh_ceremony_task(self):
        return self._task(self._case_at("hold_ceremony", "Vũ Văn Nam").id, "hold_ceremony")

    def register_membership(self, *, first=False):
        """A current membership of the Lộc Ninh cell's register: the first, or the last (used up by a leaving)."""
        order = BodyMembership.id if first else BodyMembership.id.desc()
        return db.session.query(BodyMembership.id).filter(
            BodyMembership.unit_id == self.world.cells["TQ-LN-THPT"].id, BodyMembership.left_on.is_(None)
        ).order_by(order).limit(1).scalar()

    def url(self, template, ids=None):
        return template.format(**(ids or self.ids))


@pytest.fixture()
def scene(world, driver, start_case):
    return Scene(world, driver, start_case)


def _browser(app, username):
    browser = Browser(app.test_client())
    if username is not None:
        response = browser.login(username)
        assert response.status_code == 302, f"{username} could not sign in"
    return browser


def _outcome(response):
    if response.status_code == 302 and (redirect_path(response) or "").startswith("/login"):
        return "lgn"
    return str(response.status_code)


class PlaceholderIds(dict):
    def __missing__(self, key):
        return "x.bpmn" if key in ("diagram", "form") else "1"


def test_every_route_is_in_the_matrix(app):
    """A route of app.url_map with no row of the matrix fails here: decide who may use it, then add it."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url, _cells in ROWS:
        path = url.format_map(PlaceholderIds()).split("?")[0]  # a row may name a query; routes match the path
        try:
            rule, _args = adapter.match(path, method=method, return_rule=True)
        except RequestRedirect as moved:  # pragma: no cover - a row with a wrong URL
            pytest.fail(f"{method} {url} is redirected to {moved.new_url}")
        covered.add((rule.rule, method))
    routes = {(rule.rule, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    missing = sorted(routes - covered)
    assert not missing, f"routes without a row in the permission matrix: {missing}"


def test_get_matrix(app, scene):
    """Every GET row for every user: the status (and for redirects, whether it goes to the sign-in page)."""
    wrong = []
    for username_key, username in USERS.items():
        browser = _browser(app, username)
        for _method, url, cells in GET_ROWS:
            response = browser.get(scene.url(url))
            if _outcome(response) != cells[username_key]:
                wrong.append(f"GET {url} as {username_key}: expected {cells[username_key]}, "
                             f"got {_outcome(response)}")
    assert not wrong, "\n".join(wrong)


def _other_assignment(world, user_key):
    """An assignment id of somebody else (the auditor's, or the admin's for the auditor)."""
    other = world.users["admin" if user_key == "aud" else "auditor"]
    return db.session.query(RoleAssignment.id).filter_by(user_id=other.id).scalar()


# What a POST sends where it is the same for every user and every scene.
_SAME_FOR_EVERYONE = {
    "/password": {"current_password": "not-my-password", "new_password": "a-new-password-1",
                  "confirm": "a-new-password-1"},
    "/logout": {},
    # a name: kept in the session
    **{url: {"q": "Nguyễn Văn An"} for url in ("/inbox", "/cases", "/audit/cases", "/admin/users/search")},
    "/tasks/{sympathiser_task}/draft": {"sympathiser_resolution_number": "15-NQ/CB"},  # issue 15: typed, unchecked
    "/tasks/{sympathiser_task}/draft/discard": {},
    "/tasks/{sympathiser_task}/comments": {"_comment": "Chờ nghị quyết bản gốc"},
    "/cases/{case}/comments": {"comment": "Đã xem hồ sơ"},
    "/register/{unit}/members": {"full_name": "Lò Thị Mới", "status": "official", "official_on": "01/01/2010",
                                 "joined_on": "01/01/2012"},
    # the Lộc Ninh cell is a grassroots cell: it has no committee
    "/register/{unit}/body-members": {"body": "committee", "member_id": "1", "joined_on": "01/01/2020"},
    "/register/memberships/{membership}": {"full_name": "Nguyễn Văn Sửa", "status": "official",
                                           "official_on": "01/01/2010"},
    "/register/memberships/{membership}/absence": {"kind": "exempt", "starts_on": "01/06/2026",
                                                   "detail": "Ốm dài ngày"},
    "/register/memberships/{membership}/leaving": {"left_on": "01/06/2026", "left_reason": "Chuyển sinh hoạt"},
    # no notice, no deputyship yet
    **{url: {} for url in ("/notices/read-all", "/notices/999999/read", "/deputies/999999/cancel")},
    # not a verification step: nothing to send
    "/cases/{case}/verification/{sympathiser_task}": {"number": "20-CV/CB", "persons": "applicant",
                                                      "addressee_name": "Xã A", "addressee_address": "Thôn 1",
                                                      "sent_by": "post"},
    # the case has no residence comment step yet: its secretary (and the Youth Union secretary, their
    # deputy since POST /deputies/) is told so; the others may not send it
    "/cases/{case}/verification/residence": {"residence_unit_code": "TQ-CX-THPT-1"},
    "/inbox/filters": {"name": "Quá hạn", "due": "overdue"},  # issue 15: a named inbox filter of one's own
    **{url: {} for url in ("/inbox/filters/999999/delete", "/tasks/{sympathiser_task}/claim",
                           "/tasks/{sympathiser_task}/release")},
    "/tasks/{sympathiser_task}/hand-over": {"colleague": "", "note": "Nhờ đồng chí làm giúp"},  # to nobody: refused
    "/notices/settings": {"email": "", "delivery": "off"},  # no e-mail: a valid choice that stores nothing new
}
_MULTIPART = {"content_type": "multipart/form-data"}


def _task_post_data(scene, method_url, ids):
    """A step's valid answers (one task, or a batch), or None for another address."""
    day = scene.driver.local_day()
    match method_url:
        case "/tasks/{sympathiser_task}":
            seen = db.session.get(HumanTask, ids["sympathiser_task"]).instance_id
            helper = choice_answers("add_to_sympathiser_list", db.session.get(ProcessInstance, seen).unit_id, day)
            return answers_for("add_to_sympathiser_list", day) | helper | {"_seen_version": _version(seen)}, {}
        case "/tasks/{course_task}":
            seen = db.session.get(HumanTask, ids["course_task"]).instance_id
            return _form(answers_for("record_course_result", day)) | {"_seen_version": _version(seen)}, {}
        case "/batch/record_course_result":
            task = ids["course_task"]
            return {f"t{task}-include": "1"} | {f"t{task}-{k}": v for k, v in _form(
                answers_for("record_course_result", day)).items()}, {}
        case "/batch/hold_ceremony":
            task = ids["ceremony_task"]
            cell_id = db.session.get(ProcessInstance, db.session.get(HumanTask, task).instance_id).unit_id
            helper = choice_answers("hold_ceremony", cell_id, day)["probation_helper_member"]
            return {f"t{task}-include": "1", "all-ceremony_date": day.isoformat(),
                    f"t{task}-probation_helper_member": str(helper)}, {}
        case "/cases/{case}/steps/{nominate_task}/reopen":  # the case's last act: the Youth Union's nomination
            return {"reason": "Sai số nghị quyết", "_seen_version": _version(ids["case"])}, {}
        case "/cases/{case}/attachments" | "/tasks/{sympathiser_task}/attachments":
            return {"file": (io.BytesIO(tiny_pdf()), "nghi-quyet.pdf")}, _MULTIPART
    return None


def _person_post_data(scene, method_url, username_key, ids):
    """What depends on who posts or on the scene's people and units, or None for another address."""
    world, day = scene.world, scene.driver.local_day()
    match method_url:
        case "/login":
            return {"username": USERS[username_key] or "admin", "password": DEMO_PASSWORD + "-wrong"}, {}
        case "/acting":
            return {"assignment": str(_other_assignment(world, username_key))}, {}
        case "/cases/new":  # one person, one record: each registration has its own CCCD
            return {"full_name": "Hoàng Minh Đức", "date_of_birth": "2008-02-29", "sex": "M",
                    "citizen_id": f"001208000{_serial(username_key)}", "ethnicity": "Tày", "religion": "Không",
                    "occupation": "pupil",
                    "school": "Trường THPT", "class_name": "11A2", "youth_union_member": "y"}, {}
        case "/cases/nominate":
            return {"nomination_number": "09-NQ/ĐTN", "nomination_date": day.isoformat(),
                    "s0-full_name": "Đinh Thị Ánh", "s0-date_of_birth": "2008-06-01", "s0-sex": "F",
                    "s0-citizen_id": f"001308000{_serial(username_key)}", "s0-class_name": "11A1"}, {}
        case "/register/{unit}/import":
            text = ("Họ và tên;Trạng thái;Ngày chính thức;Ngày sinh hoạt tại chi bộ\n"
                    "Lò Văn Nhập;chính thức;01/01/2010;01/01/2012\n")
            return {"file": (io.BytesIO(text.encode()), "chi-bo.csv")}, _MULTIPART
        case "/reports/targets":  # a target for the Lộc Ninh cell
            return {"unit": str(ids["unit"]), "year": "2026", "admissions": "4"}, {}
        case "/deputies/":  # the Lộc Ninh secretary's own role, to the cell's Youth Union secretary, from today
            assignment = db.session.query(RoleAssignment.id).filter_by(
                user_id=scene.secretary.id, role="cell_secretary").scalar()
            return {"assignment_id": str(assignment), "deputy_id": str(world.users[("TQ-LN-THPT", "youth_union")].id),
                    "starts_on": f"{_today():%d/%m/%Y}", "ends_on": f"{_today():%d/%m/%Y}",
                    "reason": "Nghỉ phép"}, {}
    return None


def _post_data(scene, method_url, username_key, ids):
    """What each POST sends: a valid submission wherever there is one, so only a refusal stops it."""
    if method_url in _SAME_FOR_EVERYONE:
        return dict(_SAME_FOR_EVERYONE[method_url]), {}
    if method_url.startswith("/admin/"):
        return {}, {}
    found = _task_post_data(scene, method_url, ids) or _person_post_data(scene, method_url, username_key, ids)
    if found is None:
        raise AssertionError(f"no POST data for {method_url}")
    return found[0], dict(found[1])


def _today():
    """Today in Vietnam, as the pages check a deputy's first day (the scene's clock is in January)."""
    return datetime.now(UTC).astimezone(VIETNAM).date()


def _form(values):
    """Python answers as a browser posts them (checkboxes 'y' or absent)."""
    return {k: ("y" if v else "") if isinstance(v, bool) else str(v) for k, v in values.items() if v is not False}


def _version(instance_id):
    db.session.expire_all()
    return str(db.session.get(ProcessInstance, instance_id).lock_version)


def _serial(username_key):
    """Three digits of a user's own, for identity numbers that must differ between registrations."""
    return f"{sorted(USERS).index(username_key):03d}"


def _ids_for(scene, url, expected):
    """Users who succeed get a target of their own (a success uses it up); the others share one."""
    ids = dict(scene.ids, ceremony_task=scene._task(scene.ceremony_case.id, "hold_ceremony"))
    if expected == "ok":
        if "{sympathiser_task}" in url:
            ids["sympathiser_task"] = scene.fresh_sympathiser_task()
        if "{course_task}" in url or "record_course_result" in url:
            ids["course_task"] = scene.fresh_course_task()
        if "hold_ceremony" in url:
            ids["ceremony_task"] = scene.fresh_ceremony_task()
        if "{nominate_task}" in url:  # a reopening uses the case's last act up: a case of its own
            ids["case"], ids["nominate_task"] = scene.fresh_nominated_case()
        if url.endswith("/leaving"):  # a member leaves once
            ids["membership"] = scene.register_membership()
        db.session.commit()
    return ids


def test_post_matrix(app, scene):
    """Every POST for every user: the status, and the database unchanged unless the cell says `ok`.

    One world for the whole matrix: a refusal changes nothing by definition, and every success gets a
    target of its own. POST /logout is the last row (it signs everybody out).
    """
    assert POST_ROWS[-1][1] == "/logout"
    browsers = {key: _browser(app, username) for key, username in USERS.items()}
    tokens = {key: browser.token("/login") for key, browser in browsers.items()}
    wrong = []
    for _method, url, cells in POST_ROWS:
        for username_key in sorted(USERS, key=lambda key: cells[key] == "ok"):  # successes last
            expected = cells[username_key]
            ids = _ids_for(scene, url, expected)
            data, options = _post_data(scene, url, username_key, ids)
            before = db_state()
            response = browsers[username_key]._open(
                "post", scene.url(url, ids), data={**data, "csrf_token": tokens[username_key]}, **options)
            after = db_state()
            got, changed = _outcome(response), before != after
            if expected == "ok":
                # A success redirects (303: see the page it leads to), or (an upload from a task page) redraws
                # the page with what was typed.
                if response.status_code not in (200, 302, 303) or not changed:
                    wrong.append(f"POST {url} as {username_key}: expected a success that changes the database, "
                                 f"got {got} ({'changed' if changed else 'unchanged'})")
            elif got != expected or changed:
                wrong.append(f"POST {url} as {username_key}: expected {expected} and nothing changed, got {got} "
                             f"({'changed: ' + _diff(before, after) if changed else 'unchanged'})")
    assert not wrong, "\n".join(wrong)


def _diff(before, after):
    return ", ".join(f"{key} {before[key]} → {after[key]}" for key in before if before[key] != after[key])
