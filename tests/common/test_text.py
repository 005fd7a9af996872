import unicodedata

import pytest

from common.text import fold


def _by_decomposition(text: str) -> str:
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").split()).lower()


VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


def test_fold_strips_every_vietnamese_letter_to_its_base():
    letters = VIETNAMESE + VIETNAMESE.upper()
    assert fold(letters) == _by_decomposition(letters)
    assert set(fold(letters)) <= set("aeiouyd")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Tân  Ấn ", "tan an"),
        ("nguye\u0302\u0303n", "nguyen"),  # already decomposed
        ("ĐẶNG\u00a0thị", "dang thi"),
        ("Йосиф", "иосиф"),  # outside the Latin table: decomposed the slow way, same result
        ("İstanbul", "istanbul"),
        ("中文 Hà", "中文 ha"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected
    if text:
        assert fold(text) == _by_decomposition(text)
