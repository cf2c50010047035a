"""Properties of the field rules over many generated inputs."""

from hypothesis import given
from hypothesis import strategies as st

from advisor_app.domain import validation as v

digits = st.text(alphabet="0123456789", min_size=13, max_size=13)


@given(digits)
def test_every_generated_ice_validates_and_any_single_digit_change_is_caught(first: str) -> None:
    ice = v.ice_with_check_digits(first)
    assert v.check_ice(ice) == (ice, [])
    for position in range(15):
        changed = ice[:position] + str((int(ice[position]) + 1) % 10) + ice[position + 1:]
        assert v.check_ice(changed)[1][0].severity is v.Severity.WARNING


@given(st.sampled_from("5678"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_phone_normalisation_is_idempotent(prefix: str, rest: str) -> None:
    national = f"0{prefix}{rest}"
    e164, issues = v.check_phone(national)
    if issues:  # not every 10-digit string is an allocated Moroccan range
        return
    assert e164 == f"+212{prefix}{rest}"
    assert v.check_phone(e164) == (e164, [])
    assert v.check_phone(v.format_phone(e164)) == (e164, [])


@given(st.text(max_size=40))
def test_no_input_makes_a_rule_crash(text: str) -> None:
    for check in (v.check_ice, v.check_phone, v.check_email):
        _value, issues = check(text)
        assert all(issue.message for issue in issues)
