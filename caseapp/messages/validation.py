"""Messages for input validation (caseapp.validation) and the labels of the fields they concern.

The edges render an error as "<field label>：<message>", so a message does not repeat the field
name; it says what is wrong and what is expected. The ID-number messages name positions and "号码"
rather than "身份证号码" because they are also used for the ID part of a disability card number.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        # Field labels
        "field.division_code": "行政区划代码",
        "field.amount": "金额",
        "field.income_amount": "收入金额",
        "field.count": "数量",
        # ID numbers
        "idnumber.empty": "不能为空，请填写18位身份证号码",
        "idnumber.length": "位数不对：应为18位（旧证为15位），现在是{length}位",
        "idnumber.format": "含有不允许的字符：只能是数字，仅最后一位可以是字母X",
        "idnumber.province": "前两位“{prefix}”不是有效的省级行政区代码，请核对是否输错",
        "idnumber.date": "号码中的出生日期 {date} 不存在，请核对年、月、日",
        "idnumber.date_too_early": "号码中的出生日期 {date} 早于{earliest}年，请核对年份是否输错",
        "idnumber.future": "号码中的出生日期 {date} 晚于今天，请核对年份是否输错",
        "idnumber.checksum": (
            "第18位校验码不对：按前17位计算应为“{expected}”，现在是“{actual}”。"
            "多半是前面某一位输错了，请对照证件逐位核对，不要直接改最后一位"
        ),
        "idnumber.sex_mismatch_male": "与身份证号码不一致：按身份证号码（第17位为单数）应为男",
        "idnumber.sex_mismatch_female": "与身份证号码不一致：按身份证号码（第17位为双数）应为女",
        "idnumber.birth_date_mismatch": "与身份证号码不一致：按身份证号码应为 {expected}，现在填的是 {given}",
        "sex.invalid": "只能是“男”或“女”",
        # Phone numbers
        "phone.empty": "不能为空，请填写手机号码或固定电话",
        "phone.mobile": "不是有效的手机号码：应为11位数字、以13至19开头，例如 13812345678（前面可带 +86）",
        "phone.landline": (
            "不是有效的固定电话：应为区号加号码，例如 020-12345678（广州为020加8位号码），有分机的写成 020-12345678-801"
        ),
        "phone.invalid": (
            "不是有效的电话号码：手机号码为11位数字（如 13812345678），固定电话为区号加号码（如 020-12345678）"
        ),
        # Division codes
        "division.empty": "不能为空，请填写行政区划代码",
        "division.format": "只能包含数字",
        "division.length": "位数不对：应为6位（区县及以上）、9位（街道、乡镇）或12位（社区、村），现在是{length}位",
        "division.province": "前两位“{prefix}”不是有效的省级行政区代码",
        "division.structure": (
            "代码结构不对：第3至4位（地市）为00时第5至6位也必须是00，街道和社区代码不能直接挂在省级代码下"
        ),
        "division.township": "第7至9位的街道（乡镇）代码“{part}”无效：应在001至599之间",
        "division.community": "第10至12位的社区（村）代码“{part}”无效：应在001至999之间",
        # Names
        "name.empty": "不能为空",
        "name.format": "应填写文字",
        "name.too_long": "太长：最多{max}个字，现在有{length}个",
        "name.digit": "不能包含数字（发现“{char}”），请删除",
        "name.control_char": "含有看不见的控制字符（{code}），通常是复制粘贴时带进来的，请删除后重新输入",
        "name.dot_edge": "间隔号“·”或点号不能出现在开头或结尾",
        "name.dot_double": "间隔号“·”不能连续出现，各部分之间只用一个“·”",
        # Amounts and counts
        "amount.empty": "不能为空，请填写金额（单位：元）",
        "amount.format": "不是有效的金额：请填写数字，如 1234.50 或 1,234.50（单位：元）",
        "amount.not_finite": "不是有效的数值（无穷大或非数字），请填写具体金额",
        "amount.negative": "不能为负数",
        "amount.too_many_decimals": "最多两位小数（精确到分）",
        "amount.too_large": "超过上限 {max} 元，请核对是否多输了数字",
        "count.empty": "不能为空，请填写数量",
        "count.format": "应为整数，如 3",
        "count.too_small": "不能小于 {min}",
        "count.too_large": "不能大于 {max}",
        # Times
        "time.empty": "不能为空，请填写日期或时间",
        "time.format": "不是有效的日期时间，请按 2024-05-01 或 2024-05-01 09:30 的格式填写",
        "time.future": "{value} 晚于当前时间：走访和事件不能登记将来的时间，请核对日期，或检查本机时钟是否准确",
        # Disability card numbers
        "disability.empty": "不能为空，请填写残疾人证号",
        "disability.length": (
            "位数不对：应为20至22位（18位身份证号码 + 1位残疾类别 + 1位残疾等级，补发的证再加1至2位），现在是{length}位"
        ),
        "disability.format": "格式不对：前18位是身份证号码（只有第18位可以是X），后面只能是数字",
        "disability.type": "第19位残疾类别“{digit}”无效：应为1至7（1视力、2听力、3言语、4肢体、5智力、6精神、7多重）",
        "disability.grade": "第20位残疾等级“{digit}”无效：应为1至4（一级至四级）",
        # Bank accounts
        "bank.empty": "不能为空，请填写银行卡号或存折账号",
        "bank.format": "只能包含数字（空格和短横线会自动去掉）",
        "bank.length": "位数不对：银行卡号或存折账号应为12至19位数字，现在是{length}位",
    },
    "en": {
        # Field labels
        "field.division_code": "Division code",
        "field.amount": "Amount",
        "field.income_amount": "Income amount",
        "field.count": "Count",
        # ID numbers
        "idnumber.empty": "Required: enter the 18-character ID number",
        "idnumber.length": "Wrong length: an ID number has 18 characters (15 on old cards); this one has {length}",
        "idnumber.format": "Contains characters that are not allowed: digits only, and only the last may be X",
        "idnumber.province": 'The first two digits "{prefix}" are not a valid province code; check for a typo',
        "idnumber.date": "The birth date in the number, {date}, does not exist; check year, month and day",
        "idnumber.date_too_early": (
            "The birth date in the number, {date}, is before {earliest}; check the year for a typo"
        ),
        "idnumber.future": "The birth date in the number, {date}, is after today; check the year for a typo",
        "idnumber.checksum": (
            'The check character (18th) is wrong: the first 17 digits give "{expected}", not "{actual}". '
            "Usually an earlier digit was mistyped: compare every digit with the card rather than "
            "changing the last one"
        ),
        "idnumber.sex_mismatch_male": "Does not match the ID number: its 17th digit is odd, so the person is male",
        "idnumber.sex_mismatch_female": (
            "Does not match the ID number: its 17th digit is even, so the person is female"
        ),
        "idnumber.birth_date_mismatch": (
            "Does not match the ID number: the ID number gives {expected}, but {given} was entered"
        ),
        "sex.invalid": "Must be male or female",
        # Phone numbers
        "phone.empty": "Required: enter a mobile or landline number",
        "phone.mobile": "Not a valid mobile number: 11 digits starting with 13-19, e.g. 13812345678 (+86 allowed)",
        "phone.landline": (
            "Not a valid landline number: area code and number, e.g. 020-12345678 (Guangzhou: 020 and "
            "8 digits); write an extension as 020-12345678-801"
        ),
        "phone.invalid": (
            "Not a valid phone number: a mobile has 11 digits (e.g. 13812345678), a landline is area "
            "code and number (e.g. 020-12345678)"
        ),
        # Division codes
        "division.empty": "Required: enter the division code",
        "division.format": "Digits only",
        "division.length": (
            "Wrong length: 6 digits (county and above), 9 (street or township) or 12 (community or "
            "village); this one has {length}"
        ),
        "division.province": 'The first two digits "{prefix}" are not a valid province code',
        "division.structure": (
            "Invalid structure: when digits 3-4 (city) are 00, digits 5-6 must be 00 too, and street or "
            "community codes cannot sit directly under a province"
        ),
        "division.township": 'The township part (digits 7-9) "{part}" is invalid: it must be 001-599',
        "division.community": 'The community or village part (digits 10-12) "{part}" is invalid: it must be 001-999',
        # Names
        "name.empty": "Required",
        "name.format": "Must be text",
        "name.too_long": "Too long: at most {max} characters; this one has {length}",
        "name.digit": 'Cannot contain digits (found "{char}"); remove it',
        "name.control_char": (
            "Contains an invisible control character ({code}), usually picked up by copy and paste; "
            "delete it and type the name again"
        ),
        "name.dot_edge": "A separator dot cannot begin or end a name",
        "name.dot_double": 'Two separator dots in a row: use a single "·" between the parts of a name',
        # Amounts and counts
        "amount.empty": "Required: enter an amount in yuan",
        "amount.format": "Not a valid amount: enter a number such as 1234.50 or 1,234.50 (yuan)",
        "amount.not_finite": "Not a real number (infinite or NaN); enter an actual amount",
        "amount.negative": "Cannot be negative",
        "amount.too_many_decimals": "At most two decimal places (to the fen)",
        "amount.too_large": "Exceeds the limit of {max} yuan; check for extra digits",
        "count.empty": "Required: enter a number",
        "count.format": "Must be a whole number such as 3",
        "count.too_small": "Cannot be less than {min}",
        "count.too_large": "Cannot be more than {max}",
        # Times
        "time.empty": "Required: enter a date or time",
        "time.format": "Not a valid date or time; use the form 2024-05-01 or 2024-05-01 09:30",
        "time.future": (
            "{value} is in the future: visits and events cannot be recorded ahead of time. Check the date, "
            "or whether this computer's clock is right"
        ),
        # Disability card numbers
        "disability.empty": "Required: enter the disability card number",
        "disability.length": (
            "Wrong length: 20-22 characters (18-character ID number + 1 type digit + 1 grade digit, plus "
            "1-2 digits on reissued cards); this one has {length}"
        ),
        "disability.format": (
            "Invalid format: the first 18 characters are the ID number (only the 18th may be X), the rest are digits"
        ),
        "disability.type": (
            'The disability type (19th digit) "{digit}" is invalid: it must be 1-7 (1 vision, 2 hearing, '
            "3 speech, 4 physical, 5 intellectual, 6 mental, 7 multiple)"
        ),
        "disability.grade": 'The disability grade (20th digit) "{digit}" is invalid: it must be 1-4',
        # Bank accounts
        "bank.empty": "Required: enter the bank card or passbook account number",
        "bank.format": "Digits only (spaces and hyphens are removed automatically)",
        "bank.length": "Wrong length: a bank card or passbook account has 12-19 digits; this one has {length}",
    },
}
