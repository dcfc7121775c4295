"""A first look at the main pages (and screenshots of them for the README)."""


def test_inbox_and_task_page_render(person, start_case):
    start_case("TQ-LN-THPT")
    youth = person("tq-ln-thpt.youth_union")
    page = youth.go("/inbox")
    assert page.locator("[data-testid=inbox] tbody tr").count() == 1
    youth.shot("inbox")
    page.click("[data-testid=inbox] tbody tr a")
    page.wait_for_selector("[data-testid=task-form]")
    youth.shot("task")
