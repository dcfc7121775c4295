"""The instructions of a step (SpiffArena's instructionsForEndUser) as the task page renders them (issue 17):
a small Markdown subset, everything else text; `{{ field }}` replaced by plain values, never evaluated."""
import pytest

from webapp.pages.instructions import instructions_html
from webapp.services.instructions import placeholder_values


@pytest.mark.parametrize("source, expected", [
    ("Một đoạn.\n\nĐoạn hai\ndòng hai", "<p>Một đoạn.</p><p>Đoạn hai<br>dòng hai</p>"),
    ("- một\n- hai", "<ul><li>một</li><li>hai</li></ul>"),
    ("1. một\n2) hai", "<ol><li>một</li><li>hai</li></ol>"),
    ("## Tiêu đề", '<p class="fw-semibold mb-1">Tiêu đề</p>'),
    ("**đậm** và *nghiêng* và `mã`", "<p><strong>đậm</strong> và <em>nghiêng</em> và <code>mã</code></p>"),
    ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
])
def test_the_markdown_subset(source, expected):
    assert str(instructions_html(source)) == expected


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[bấm](javascript:alert(1))",
    '**<b onclick="x()">đậm</b>**', "`<script>`", "<a href='//evil'>x</a>",
])
def test_markup_in_instructions_is_text(source):
    rendered = str(instructions_html(source))
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered and "<b " not in rendered
    assert "&lt;" in rendered or "javascript:" in rendered
    assert "href" not in rendered.replace("href=&#39;", "")


def test_placeholders_take_plain_values_and_nothing_is_evaluated():
    source = ("Chào {{ student_name }}, {{student_name}}; {{ config }} {{ age + 1 }} {{ student_name|upper }} "
              "{% if x %}có{% endif %} {{ facts }} {{ missing }} {{ ok }}")
    data = {"student_name": "<b>Lò</b> Văn Pá", "config": {"SECRET_KEY": "s"}, "facts": [1, 2], "age": 18, "ok": True}
    values = placeholder_values(source, data)
    assert values == (("student_name", "<b>Lò</b> Văn Pá"), ("ok", True))
    rendered = str(instructions_html(source, values))
    assert rendered.count("&lt;b&gt;Lò&lt;/b&gt; Văn Pá") == 2
    assert "{{ config }}" in rendered and "{{ age + 1 }}" in rendered and "{{ student_name|upper }}" in rendered
    assert "{% if x %}có{% endif %}" in rendered and "{{ missing }}" in rendered and "SECRET_KEY" not in rendered
    assert "✓" in rendered


def test_empty_and_huge_instructions():
    assert str(instructions_html("")) == "" and str(instructions_html(None)) == ""
    assert len(str(instructions_html("a" * 100_000))) < 20_100
