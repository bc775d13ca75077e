"""Messages about records in general: deletes, insert-only facts, unknown types, lookups."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "record.no_hard_delete": "记录不能直接删除，请改为“归档”（{type}）",
        "record.insert_only": "此类记录（{type}）保存后不能修改；如需更正，请新增一条更正记录",
        "record.unknown_type": "未知的记录类型“{type}”",
        "record.not_found": "找不到记录 {id}",
        "record.unknown_field": "记录类型“{type}”没有字段“{name}”",
        "record.required": "此项为必填",
        "record.bad_value": "取值“{value}”不正确",
        "record.not_in_list": "取值“{value}”不在可选范围内",
        "record.org_required": "请选择所属社区或网格",
        "record.parent_missing": "所属的上级记录 {id} 不存在",
        "record.negative": "不能为负数",
        "record.end_before_start": "结束时间不能早于开始时间",
        "record.archived": "该记录已归档，不能修改",
    },
    "en": {
        "record.no_hard_delete": "Records cannot be deleted; archive it instead ({type})",
        "record.insert_only": "This kind of record ({type}) cannot be edited once saved; add a correcting record instead",
        "record.unknown_type": "Unknown record type “{type}”",
        "record.not_found": "Record {id} was not found",
        "record.unknown_field": "Record type “{type}” has no field “{name}”",
        "record.required": "This field is required",
        "record.bad_value": "The value “{value}” is not valid",
        "record.not_in_list": "The value “{value}” is not one of the allowed choices",
        "record.org_required": "Choose the community or grid this record belongs to",
        "record.parent_missing": "The record it belongs to ({id}) does not exist",
        "record.negative": "Cannot be negative",
        "record.end_before_start": "The end time cannot be before the start time",
        "record.archived": "This record is archived and cannot be changed",
    },
}
