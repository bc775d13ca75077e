"""Messages about the programmes' own records: democratic appraisals (民主评议), public notices (公示),
children in hardship (困境儿童), preferential care (优抚) and 平安通 calls, with their states; one-off
payments (临时救助, 医疗救助)."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "appraisal.no_quorum": "实到 {present} 人，不足评议小组 {size} 人的三分之二，评议无效",
        "appraisal.more_present_than_panel": "实到人数 {present} 超过了应到人数 {size}",
        "appraisal.more_votes_than_present": "同意与不同意票数合计 {votes}，超过了实到人数 {present}",
        "appraisal.answers_required": "评议中提出了异议，请填写异议答复情况",
        "notice.too_short": "公示期不得少于 {days} 天，结束日期不能早于 {last}",
        "payment.amount_not_positive": "发放金额须大于零",
        "payment.not_one_off": "只有临时救助、医疗救助等一次性救助案件才登记发放记录，按月发放的请填写月保障金额",
        "veteran.grade_required": "残疾军人须填写残疾等级",
        "veteran.grade_only_disabled": "只有残疾军人才填写残疾等级",
        "workflow.call_needs_dispatch_target": "请先填写派单对象",
        "workflow.call_needs_outcome": "请先填写处置结果",
        "state.emergency_call.alarm": "呼叫",
        "state.emergency_call.verify": "核实",
        "state.emergency_call.dispatch": "派单",
        "state.emergency_call.follow": "跟进",
        "state.emergency_call.resolved": "办结",
    },
    "en": {
        "appraisal.no_quorum": "{present} present is less than two thirds of the panel of {size}: the appraisal "
                               "is not valid",
        "appraisal.more_present_than_panel": "{present} present is more than the panel's {size} members",
        "appraisal.more_votes_than_present": "{votes} votes in all is more than the {present} present",
        "appraisal.answers_required": "Objections were raised: say how they were answered",
        "notice.too_short": "A notice runs at least {days} days: it cannot end before {last}",
        "payment.amount_not_positive": "The amount paid must be more than zero",
        "payment.not_one_off": "Only a one-off case (temporary or medical assistance) records payments; a monthly "
                               "allowance is its monthly amount",
        "veteran.grade_required": "A disabled ex-serviceman's disability grade is required",
        "veteran.grade_only_disabled": "Only a disabled ex-serviceman has a disability grade",
        "workflow.call_needs_dispatch_target": "Say whom the call is dispatched to first",
        "workflow.call_needs_outcome": "Record the outcome first",
        "state.emergency_call.alarm": "Alarm",
        "state.emergency_call.verify": "Verifying",
        "state.emergency_call.dispatch": "Dispatched",
        "state.emergency_call.follow": "Following up",
        "state.emergency_call.resolved": "Resolved",
    },
}
