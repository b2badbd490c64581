"""The check every fetched page passes finds an id used twice, and only that."""

from tests.html_checks import duplicate_ids


def test_an_id_used_twice_is_found():
    html = '<input id="legal_bases-2"><label for="legal_bases-2"></label><input id="legal_bases-2">'
    assert duplicate_ids(html) == ["legal_bases-2"]


def test_ids_used_once_and_look_alike_attributes_pass():
    html = """<div id="a"></div><div id='b'></div><div data-id="a"></div><a href="#a">a</a>"""
    assert duplicate_ids(html) == []
