"""Templates' url_for (portal.app._template_url_for): the address Flask's own url_for builds,
remembered per script root, endpoint and values, their types included."""

from flask import render_template_string, url_for


def _rendered(app, source: str, script_root: str = "", **variables) -> str:
    with app.test_request_context("/", base_url="http://localhost" + script_root):
        return render_template_string(source, **variables)


def _flasks(app, endpoint: str, script_root: str = "", **values) -> str:
    with app.test_request_context("/", base_url="http://localhost" + script_root):
        return url_for(endpoint, **values)


def test_the_same_addresses_as_flasks_own(app):
    cases = [
        ("agreements.index", {}),
        ("agreements.index", {"q": "sopimus & <x>", "state": None, "page": 2}),
        ("agreements.show", {"agreement_id": 7}),
        ("annexes.show", {"document_id": 12}),
    ]
    for endpoint, values in cases:
        for root in ("", "/sopu"):
            source = "{{ url_for(endpoint, **values) }}"
            shown = _rendered(app, source, root, endpoint=endpoint, values=values)
            assert shown == str(_flasks(app, endpoint, root, **values)).replace("&", "&amp;"), shown
    assert _rendered(app, "{{ url_for('agreements.show', agreement_id=3) }}", "/sopu") == "/sopu/agreements/3"
    assert _rendered(app, "{{ url_for('agreements.show', agreement_id=3) }}") == "/agreements/3"


def test_equal_values_of_other_types_are_other_addresses(app):
    source = "{{ url_for('agreements.index', page=1) }} {{ url_for('agreements.index', page=True) }}"
    one, true = _rendered(app, source).split()
    assert (one, true) == ("/?page=1", "/?page=True")


def test_what_is_not_remembered_is_still_flasks(app):
    anchored = _rendered(app, "{{ url_for('agreements.show', agreement_id=3, _anchor='parties') }}")
    assert anchored == "/agreements/3#parties"
    external = _rendered(app, "{{ url_for('agreements.show', agreement_id=3, _external=True) }}")
    assert external == "http://localhost/agreements/3"
    listed = _rendered(app, "{{ url_for('agreements.index', state=['a', 'b']) }}")
    assert listed == "/?state=a&amp;state=b"
