"""Programme records from the Excel lists units keep: every row saved, or none with every problem named."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from branches.models import Unit
from programmes import importing
from programmes.models import CreditStatement, House
from programmes.views import CREDIT, HOUSE


def _xlsx(rows, title="Dư nợ") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CREDIT_ROWS = [
    ["BÁO CÁO DƯ NỢ ỦY THÁC QUA HỘI"],
    [],
    ["STT", "Đơn vị", "Nguồn vốn", "Ngày", "Dư nợ", "Số hộ dư nợ", "Số tổ TK&VV"],
    [
        1,
        "Xã Tân Ấn",
        "Ngân hàng Chính sách xã hội (vốn ủy thác)",
        datetime.datetime(2024, 12, 31),
        15_200_000_000,
        320,
        9,
    ],
    [2, "Đông Hưng", "Quỹ quốc gia hỗ trợ việc làm", "31/12/2024", "1.700.000.000", 41, 2],
]


def _units(user):
    from branches.selectors import entry_units

    return entry_units(user, ["province", "district", "commune"])


def test_a_credit_list_imports_every_row(world):
    outcome = importing.import_records(
        actor=world.bob, kind=CREDIT, data=_xlsx(CREDIT_ROWS), filename="du-no.xlsx", units=_units(world.bob),
        default_unit=None,
    )  # fmt: skip
    assert outcome.problems == [] and outcome.saved == 2
    first = CreditStatement.objects.get(unit=world.commune_a1)
    assert (first.source, first.as_of, first.outstanding, first.households, first.groups) == (
        "vbsp",
        datetime.date(2024, 12, 31),
        15_200_000_000,
        320,
        9,
    )
    assert CreditStatement.objects.get(unit=world.commune_a2).outstanding == 1_700_000_000


def test_one_bad_row_saves_nothing_and_every_problem_is_named(world):
    rows = [*CREDIT_ROWS, [3, "Xã Hòa Lạc", "Ngân hàng khác", "31/12/2024", 5, 1, 0],
            [4, "Xã Tân Ấn", "Nguồn lạ", "31/13/2024", -5, 1, 0]]  # fmt: skip
    outcome = importing.import_records(
        actor=world.bob, kind=CREDIT, data=_xlsx(rows), filename="du-no.xlsx", units=_units(world.bob),
        default_unit=None,
    )  # fmt: skip
    assert not CreditStatement.objects.exists()
    where = {(p.row, p.column) for p in outcome.problems}
    assert (6, "B") in where  # Hòa Lạc is in another district: not one of bob's units
    assert {(7, "C"), (7, "D"), (7, "E")} <= where  # unknown source, no 13th month, a negative balance
    assert all(str(p).startswith("Trang tính “Dư nợ”, dòng") for p in outcome.problems)


def test_a_list_without_the_needed_columns_is_refused_whole(world):
    outcome = importing.import_records(
        actor=world.bob, kind=CREDIT, data=_xlsx([["Đơn vị", "Dư nợ"], ["Xã Tân Ấn", 5]]), filename="a.xlsx",
        units=_units(world.bob), default_unit=None,
    )  # fmt: skip
    assert len(outcome.problems) == 1 and "Nguồn" in outcome.problems[0].message
    assert not CreditStatement.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(world):
    outcome = importing.import_records(
        actor=world.bob, kind=CREDIT, data=b"\x00\x01garbage", filename="a.xlsx", units=_units(world.bob),
        default_unit=None,
    )  # fmt: skip
    assert outcome.problems and outcome.saved == 0


def test_houses_take_the_chosen_unit_when_the_list_has_none(world):
    rows = [
        ["Họ tên chủ hộ", "Xây mới hay sửa chữa", "Ngày bàn giao", "Giá trị"],
        ["Nguyễn Thị Lan", "Xây mới", "15/10/2024", 60_000_000],
        ["Trần Thị Mai", "sửa chữa", "20/11/2024", 25_000_000],
    ]
    outcome = importing.import_records(
        actor=world.alice, kind=HOUSE, data=_xlsx(rows, "Nhà"), filename="nha.xlsx", units=_units(world.alice),
        default_unit=world.commune_a1,
    )  # fmt: skip
    assert outcome.problems == []
    assert sorted(House.objects.values_list("kind", "unit_id")) == [
        ("built", world.commune_a1.pk),
        ("repaired", world.commune_a1.pk),
    ]


@settings(max_examples=40, deadline=None)
@given(order=st.permutations(range(4)), variant=st.sampled_from(["label", "synonym", "upper"]))
def test_headings_are_found_in_any_order_and_wording(order, variant):
    words = {
        "label": ["Nguồn", "Tính đến ngày", "Dư nợ (đồng)", "Số hộ còn dư nợ"],
        "synonym": ["Nguồn vốn", "Ngày", "Tổng dư nợ", "Số hộ"],
        "upper": ["NGUỒN VỐN", "NGÀY", "DƯ NỢ", "SỐ HỘ DƯ NỢ"],
    }[variant]
    fields = ["source", "as_of", "outstanding", "households"]
    heading = [words[i] for i in order]
    candidates = importing._labels(CREDIT.form, Unit.objects.none())
    found = importing._heading([["Báo cáo"], heading], candidates)
    assert found is not None
    row, columns = found
    assert row == 1 and [columns[c] for c in range(4)] == [fields[i] for i in order]


def test_the_import_screen_saves_and_lists(world, login):
    client = login(world.bob)
    upload = SimpleUploadedFile("du-no.xlsx", _xlsx(CREDIT_ROWS))
    response = client.post(reverse("programmes:credit_import"), {"file": upload})
    assert response.status_code == 302 and CreditStatement.objects.count() == 2
    template = client.get(reverse("programmes:credit_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content))).active
    assert [c.value for c in sheet[1]][:3] == ["Đơn vị", "Nguồn", "Tính đến ngày"]


def test_the_import_screen_shows_problems_and_saves_nothing(world, login):
    client = login(world.charlie)  # district B: Tân Ấn is not one of hers
    upload = SimpleUploadedFile("du-no.xlsx", _xlsx(CREDIT_ROWS))
    response = client.post(reverse("programmes:credit_import"), {"file": upload})
    assert response.status_code == 200 and not CreditStatement.objects.exists()
    assert "không thuộc các đơn vị của bạn" in response.content.decode()


def test_the_queries_of_an_import_do_not_grow_with_its_rows(world, django_assert_max_num_queries):
    def rows(n):
        return [CREDIT_ROWS[2]] + [
            [i, "Xã Tân Ấn", "Ngân hàng khác", f"{1 + i % 28:02d}/{1 + i // 28:02d}/2024", 1000, 1, 0] for i in range(n)
        ]

    def run(n):
        return importing.import_records(actor=world.bob, kind=CREDIT, data=_xlsx(rows(n)), filename="a.xlsx",
                                        units=_units(world.bob), default_unit=None)  # fmt: skip

    with django_assert_max_num_queries(10_000) as few:
        assert run(5).saved == 5
    CreditStatement.objects.all().delete()
    with django_assert_max_num_queries(len(few.captured_queries) + 25 * 12):  # the saves, a dozen statements each
        assert run(30).saved == 30


def test_a_file_that_is_not_a_spreadsheet_says_so_without_a_row(world):
    outcome = importing.import_records(actor=world.bob, kind=CREDIT, data=b"\x00\x01", filename="a.xlsx",
                                       units=_units(world.bob), default_unit=None)  # fmt: skip
    assert "dòng 0" not in str(outcome.problems[0]) and "Trang tính" not in str(outcome.problems[0])
