"""The shared template macros (registry/templates/macros/) render the GOV.UK markup the pages relied on."""

import re
from types import SimpleNamespace

import pytest

from registry.core.forms import FormState


@pytest.fixture
def render(app):
    """Render a template string in a request, as a page would be."""

    def render(source: str, **context) -> str:
        with app.test_request_context("/"):
            return app.jinja_env.from_string(source).render(**context)

    return render


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _form_macro(render, call: str, **context) -> str:
    """Render one call of a macros/forms.html macro, white space squeezed."""
    macro = call.split("(", 1)[0]
    return _squeeze(render(f'{{% from "macros/forms.html" import {macro} %}}{{{{ {call} }}}}', **context))


def test_a_table_has_its_caption_headers_and_a_row_for_each_item(render):
    html = _squeeze(render(
        '{% from "macros/tables.html" import table %}'
        '{% call(item) table("Things", ["Name", {"text": "Count", "numeric": true}, none, {"text": "Actions", "hidden": true}], items) %}'
        '<td class="govuk-table__cell">{{ item }}</td>{% endcall %}',
        items=["a", "b"],
    ))
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Things</caption>' in html
    assert re.findall(r"<th [^>]*>(.*?)</th>", html) == ["Name", "Count", '<span class="govuk-visually-hidden">Actions</span>']
    assert 'class="govuk-table__header govuk-table__header--numeric">Count' in html
    assert html.count('<tr class="govuk-table__row"><td class="govuk-table__cell">') == 2


def test_a_table_can_show_its_caption_and_carry_an_id(render):
    html = render(
        '{% from "macros/tables.html" import table %}'
        '{% call(item) table("Partners", ["Name"], [], caption_classes="govuk-table__caption--s", id="partners") %}{% endcall %}'
    )
    assert '<table class="govuk-table" id="partners">' in html
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Partners</caption>' in html


def test_radios_check_the_forms_value_compared_as_text(render):
    form = FormState(values={"party": 2})
    html = _form_macro(
        render,
        'radios_field(form, "party", "Which party?", [(1, "Leeds"), {"divider": "or"}, (2, "Bradford")])',
        form=form,
    )
    assert re.search(r'value="2" checked', html) and not re.search(r'value="1" checked', html)
    assert '<div class="govuk-radios__divider">or</div>' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in html


def test_radios_fall_back_to_the_default_and_show_the_error(render):
    choices = '[("current", "Current"), ("all", "All")]'
    call = f'radios_field(form, "status", "Show", {choices}, default="current", classes="govuk-radios--inline")'
    html = _form_macro(render, call, form=FormState(errors={"status": "Choose a status"}))
    assert re.search(r'value="current" checked', html) and not re.search(r'value="all" checked', html)
    assert 'class="govuk-radios govuk-radios--inline"' in html
    assert 'id="status-error"' in html and "Choose a status" in html


def test_an_input_is_bound_to_its_field_and_passes_other_parameters_on(render):
    form = FormState(values={"code": "HPL"})
    html = _form_macro(
        render,
        'input_field(form, "code", "Code", "For example HPL", classes="govuk-input--width-10", spellcheck=false)',
        form=form,
    )
    assert re.search(r'<label class="govuk-label" for="code"> ?Code ?</label>', html)
    assert re.search(r'<div id="code-hint" class="govuk-hint"> ?For example HPL ?</div>', html)
    assert re.search(r'<input class="govuk-input govuk-input--width-10" id="code" name="code" type="text" spellcheck="false" value="HPL" aria-describedby="code-hint">', html)


def test_a_select_starts_empty_and_matches_codes_in_any_case(render):
    form = FormState(values={"authority": "lds"})
    owners = [SimpleNamespace(code="LDS", name="Leeds"), SimpleNamespace(code="BRD", name="Bradford")]
    html = _form_macro(
        render,
        'select_field(form, "authority", "Held by", "Any authority", owners, value="code", text="name", upper=true)',
        form=form, owners=owners,
    )
    assert re.findall(r"<option ([^>]*)>([^<]*)</option>", html) == [
        ('value=""', "Any authority"), ('value="LDS" selected', "Leeds"), ('value="BRD"', "Bradford"),
    ]


def test_a_post_button_carries_the_csrf_token_and_the_lock_version(render):
    html = _form_macro(
        render,
        'post_button("/remove", "Remove", "flow of Pupils", lock_version=7, form_classes="app-inline-form")',
    )
    assert '<form method="post" action="/remove" class="app-inline-form">' in html
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', html)
    assert '<input type="hidden" name="lock_version" value="7">' in html
    assert ('<button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0">'
            'Remove<span class="govuk-visually-hidden"> flow of Pupils</span></button>') in html
