"""Messages about assigned tasks (交办任务) and the sign-off queue."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "task.wrong_target": "任务类型“{kind}”的任务对象记录类型不对",
        "task.supervisors_assign": "只有街道审核人员或系统管理员可以交办任务",
        "task.assignee_unknown": "服务器上没有名为“{assignee}”的可用账号，任务未交办",
        "task.out_of_reach": "“{assignee}”的辖区不包括这项任务的对象，任务不会同步给他，未交办",
        "task.not_yours": "只有承办人本人或街道审核人员可以办结这项任务",
        "task.fixed": "任务的类型和对象在交办时确定，不能修改；请撤销后重新交办",
        "task.not_open": "这项任务已办结或已撤销",
        "task.target_missing": "找不到要交办的记录（可能已归档或不在本机）",
    },
    "en": {
        "task.wrong_target": "The task's record is not of the type its kind “{kind}” needs",
        "task.supervisors_assign": "Only a street supervisor or an administrator may assign tasks",
        "task.assignee_unknown": "The server has no active account named “{assignee}”; the task was not assigned",
        "task.out_of_reach": "“{assignee}” cannot reach the task's record, so it would never sync to them; "
        "the task was not assigned",
        "task.not_yours": "Only the person it is assigned to, or a street supervisor, may complete this task",
        "task.fixed": "A task's kind and record are fixed when it is assigned; cancel it and assign a new one",
        "task.not_open": "This task is already done or cancelled",
        "task.target_missing": "The record to assign was not found (archived, or not on this device)",
    },
}
