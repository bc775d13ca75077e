"""Hypothesis strategies and an independent ID check-character implementation for the validation tests."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
]  # fmt: skip

TODAY = date(2024, 6, 1)


def reference_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 written from the definition, not from the table the code uses.

    The check value c makes (sum(a_i * 2^(18-i)) + c) = 1 (mod 11) with positions counted from the
    right starting at 1 for the check character itself.
    """
    total = 0
    for offset, ch in enumerate(first17):
        position_from_right = 18 - offset  # the first digit is position 18, the check char is 1
        total += int(ch) * (2 ** (position_from_right - 1) % 11)
    c = (1 - total) % 11
    return "X" if c == 10 else str(c)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


address_codes = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(PROVINCES),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)
birth_dates = st.dates(min_value=date(1890, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@st.composite
def id_numbers(draw: st.DrawFn) -> tuple[str, str, date, str]:
    """(18-character ID, address code, birth date, sequence)."""
    address = draw(address_codes)
    born = draw(birth_dates)
    seq = draw(sequences)
    first17 = address + born.strftime("%Y%m%d") + seq
    return first17 + reference_check_char(first17), address, born, seq


@st.composite
def legacy_id_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(15-digit legacy number, the 18-character number it stands for)."""
    address = draw(address_codes)
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)))
    seq = draw(sequences)
    legacy = address + born.strftime("%y%m%d") + seq
    first17 = address + born.strftime("%Y%m%d") + seq
    return legacy, first17 + reference_check_char(first17)


@st.composite
def decorated_id_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(how a person might type it, canonical form)."""
    number = draw(id_numbers())[0]
    typed = number
    if draw(st.booleans()):
        typed = typed.replace("X", "x")
    if draw(st.booleans()):
        typed = fullwidth(typed)
    if draw(st.booleans()):
        typed = f" {typed[:6]} {typed[6:14]}\u3000{typed[14:]} "
    return typed, number


mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


@st.composite
def decorated_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(mobiles)
    typed = f"{number[:3]}{draw(st.sampled_from(['', ' ', '-']))}{number[3:7]}"
    typed += f"{draw(st.sampled_from(['', ' ', '-']))}{number[7:]}"
    typed = draw(st.sampled_from(["", "+86", "+86 ", "0086", "86", "(+86)"])) + typed
    if draw(st.booleans()):
        typed = fullwidth(typed)
    return typed, number


_three_digit_areas = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    """(typed, canonical) fixed-line numbers, some with extensions."""
    if draw(st.booleans()):
        area = draw(st.sampled_from(_three_digit_areas))
        local_len = 8
    else:
        area = "0" + draw(st.sampled_from("3456789")) + draw(st.text(alphabet="0123456789", min_size=2, max_size=2))
        local_len = draw(st.sampled_from([7, 8]))
    local = draw(st.sampled_from("23456789")) + draw(
        st.text(alphabet="0123456789", min_size=local_len - 1, max_size=local_len - 1)
    )
    ext = draw(st.one_of(st.none(), st.text(alphabet="0123456789", min_size=1, max_size=4)))
    sep = draw(st.sampled_from(["-", " ", ""]))
    typed = draw(st.sampled_from([f"{area}{sep}{local}", f"({area}){local}", f"{area}-{local[:4]}-{local[4:]}"]))
    canonical = f"{area}-{local}"
    if ext:
        typed += draw(st.sampled_from([f"-{ext}", f"转{ext}", f" ext {ext}", f"#{ext}"]))
        canonical += f"-{ext}"
    return typed, canonical


@st.composite
def division_codes(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(PROVINCES))
    city = draw(st.integers(min_value=1, max_value=99))
    county = draw(st.integers(min_value=0, max_value=99))
    code = f"{province}{city:02d}{county:02d}"
    length = draw(st.sampled_from([6, 9, 12]))
    if length >= 9:
        code += f"{draw(st.integers(min_value=1, max_value=599)):03d}"
    if length == 12:
        code += f"{draw(st.integers(min_value=1, max_value=999)):03d}"
    return code


HANZI = (
    "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任"
    "姚卢傅钟姜崔谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
RARE_HANZI = "𠮷䶮𪚥𤭢𠀾𡒄𣲙㐂〇"
DOTS = "\u00b7\u2022\u2027\u30fb\uff0e\u22c5\u2219\uff65"
