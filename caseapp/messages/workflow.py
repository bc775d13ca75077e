"""Messages for workflow (state machine) errors, and the names of the states."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "workflow.illegal": "当前状态“{state}”不能直接转为“{target}”",
        "workflow.unknown_state": "未知状态“{state}”",
        "workflow.referral_needs_consent": "转介前须取得服务对象的同意（请勾选“已取得同意”并填写同意书编号）",
        "workflow.self_resolve_minor_only": "只有轻微事项才能由网格员自行处置",
        "workflow.fast_track_temporary_only": "只有临时救助可以“先行救助”直接发放",
        "workflow.reason_required": "请填写结案或退出的原因",
        "workflow.series_closed": "该灾情已核报，不能再续报",
        "workflow.series_missing": "续报或核报必须关联一份初报",
        "workflow.initial_has_series": "初报不能关联其他报告",
        "workflow.rejection_reason_required": "不予批准须书面说明理由，请填写决定理由",
        "workflow.stage_fixed": "报告阶段在填报时确定，不能修改；请新增一份续报或核报",
    },
    "en": {
        "workflow.illegal": "A record in state “{state}” cannot move to “{target}”",
        "workflow.unknown_state": "Unknown state “{state}”",
        "workflow.referral_needs_consent": "The client's consent is needed before a referral (tick “consent given” and enter the consent form number)",
        "workflow.self_resolve_minor_only": "Only minor events may be resolved by the grid officer directly",
        "workflow.fast_track_temporary_only": "Only temporary assistance may be paid first and documented later",
        "workflow.reason_required": "Enter the reason for closing or exiting",
        "workflow.series_closed": "This disaster already has its final report; no more updates",
        "workflow.series_missing": "An update or final report must belong to an initial report",
        "workflow.initial_has_series": "An initial report cannot belong to another report",
        "workflow.rejection_reason_required": "A refusal must give its reasons in writing; enter the decision reason",
        "workflow.stage_fixed": "A report's stage is fixed when it is filed; add an update or final report instead",
    },
}
