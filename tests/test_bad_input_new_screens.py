"""Bad input on the screens added for programmes, search, printing and targets: a message or a 404, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


@pytest.mark.parametrize("q", ["\x00", "a" * 500, "((", "%_%", "đ", "   ", "0" * 30, "dang [anh"])
def test_search_probe(world, login, q):
    assert login(world.alice).get(reverse("search"), {"q": q}).status_code in (200, 400)  # NUL: refused whole


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe\x00", b"PK\x03\x04garbage", "Đơn vị,Nguồn\n=1+1,vbsp\n".encode(), b"a,b\n" * 10]
)
def test_import_probe(world, login, data):
    r = login(world.alice).post(reverse("programmes:credit_import"), {"file": SimpleUploadedFile("x.xlsx", data)})
    assert r.status_code in (200, 302)


@pytest.mark.parametrize("query", ["unit=abc", "unit=99999999999999999999", "unit=1&status=%00", "age=zzz"])
@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "doc"])
def test_print_probe(world, login, query, fmt):
    r = login(world.alice).post(reverse("members:member_print"), {"query": query, "format": fmt})
    assert r.status_code in (302, 404)


@pytest.mark.parametrize("value", ["1e400", "-0", "99999999999999999999999", "1.2.3", "NaN", "٣"])
def test_money_probe(world, login, value):
    r = login(world.alice).post(
        reverse("programmes:charity_create"),
        {"unit": world.commune_a1.pk, "campaign": "X", "given_on": "01/02/2024", "value": value},
    )
    assert r.status_code in (200, 302)


@pytest.mark.parametrize("params", [{"year": "1800"}, {"year": "abc"}, {"kind": "term", "term": "999"}])
def test_targets_probe(world, login, params):
    assert login(world.bob).get(reverse("reports:target_list"), params).status_code == 200
    assert (
        login(world.bob)
        .post(
            reverse("reports:target_list"),
            {"span": "year", "year": "2024", "metric": "figure", "figure": "nope", "comparison": "lte", "value": "5"},
        )
        .status_code
        == 200
    )
