"""Messages of the checks across records (caseapp.services.quality): each finding says what is wrong
and what to do, and the same text refuses a save or an import the check does not allow."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "quality.duplicate_id": "身份证号码 {value} 还登记在另外 {others} 条成员记录中（共 {households} 户），同一人只能有一条成员记录",
        "quality.covered_exceeds": "保障人数 {covered} 人超过本户现有成员 {members} 人",
        "quality.two_open_cases": "本户已有一宗未办结的同类救助案件，同一类别只能有一宗在办",
        "quality.elder_without_profile": "80 周岁以上老人（{born} 出生）尚未建立老人档案",
        "quality.dibao_unverified": "低保正在发放，但没有结论为“符合”的经济状况核对",
        "quality.review_overdue": "复核已逾期（应于 {due} 复核）",
        "quality.age_relationship": "出生日期 {born} 与户主{head}（{head_born} 出生）的关系不符（与户主关系：{relationship}）",
        "quality.amount_differs": "月保障金额 {amount} 元与核算金额 {computed} 元不一致，请填写金额与核算不一致的理由",
        "quality.tekun_without_self_care": "60 周岁以上特困人员（{born} 出生）没有生活自理能力评估，请评估六项并填写评估日期和结果",
        "quality.none": "未发现问题",
        "quality.supervisors_only": "只有街道督导和管理员可以查看辖区的数据质量检查结果",
        "quality.scope_outside": "范围 {scope} 不在您的辖区内",
        "quality.check.duplicate_id": "身份证号码重复",
        "quality.check.covered_exceeds_members": "保障人数超过家庭人口",
        "quality.check.two_open_cases": "同类救助案件重复在办",
        "quality.check.elder_without_profile": "80 岁以上老人未建档",
        "quality.check.dibao_without_verification": "低保发放无核对结论",
        "quality.check.review_overdue": "复核逾期",
        "quality.check.age_against_relationship": "年龄与家庭关系不符",
        "quality.check.amount_without_reason": "金额与核算不一致且无理由",
        "quality.check.tekun_without_self_care": "60 岁以上特困人员未做自理能力评估",
        "quality.two_open_applications": ("该老人已有一份未办结的入住轮候申请（{facility}），"
                                          "同一老人只能有一份在办的轮候申请，请先撤回或办结原申请"),
        "quality.check.two_open_applications": "同一老人重复申请入住轮候",
        "quality.household_outside_grid": ("本户所在建筑物 {building} 属于本社区的另一网格（{grid}），本户人口会计入该网格的"
                                           "实有人口；网格调整中可暂时如此，调整完成后请将本户迁至该网格，或改选本网格的建筑物"),
        "quality.check.household_outside_grid": "住户所在建筑物属于另一网格",
        "quality.household_outside_community": ("本户所在建筑物 {building} 属于另一社区的网格（{grid}），不在本户所在网格；"
                                                "请改选本网格的建筑物，或先清除所在建筑物再将本户迁往该社区"),
        "quality.check.household_outside_community": "住户所在建筑物属于另一社区",
        "quality.one_off_without_payment": ("一次性救助登记为每月 {amount} 元，但没有给付记录，也没有批准日期可据以转为给付："
                                            "请填写批准日期（系统将按该日登记给付），或将金额改为给付记录"),
        "quality.check.one_off_without_payment": "一次性救助按月登记金额、无给付记录",
    },
    "en": {
        "quality.duplicate_id": ("ID number {value} is also held by {others} other member record(s) ({households} "
                                 "households in all): one person has one member record"),
        "quality.covered_exceeds": "{covered} people covered, more than the household's {members} current members",
        "quality.two_open_cases": "The household already has an open case of this category: one at a time",
        "quality.elder_without_profile": "Elder aged 80 or over (born {born}) has no elder profile",
        "quality.dibao_unverified": "Dibao is being paid without a verification concluding eligible",
        "quality.review_overdue": "Review overdue (due {due})",
        "quality.age_relationship": ("Birth date {born} does not fit the relationship ({relationship}) to "
                                     "the head {head} (born {head_born})"),
        "quality.amount_differs": ("Monthly amount {amount} yuan differs from the computed {computed} yuan: give "
                                   "the reason it differs"),
        "quality.two_open_applications": ("The elder already has an open care-place application ({facility}): one "
                                          "at a time; withdraw or close that one first"),
        "quality.check.two_open_applications": "An elder with two open care-place applications",
        "quality.household_outside_grid": ("The household's building {building} is in another grid of its community "
                                           "({grid}), so its people count in that grid's actual population: "
                                           "acceptable while a grid is re-drawn; once done, move the household to "
                                           "that grid or place it at a building of its own grid"),
        "quality.check.household_outside_grid": "Households placed at a building of another grid",
        "quality.household_outside_community": ("The household's building {building} is in a grid of another "
                                                "community ({grid}), not in the household's grid: place it at a "
                                                "building of its own grid, or clear its building before moving it to "
                                                "that community"),
        "quality.check.household_outside_community": "Households placed at a building of another community",
        "quality.one_off_without_payment": ("A one-off grant is recorded as {amount} yuan a month, with no payment "
                                            "and no approval day to record one on: give the approval day (the "
                                            "payment is then recorded on it), or record the grant as a payment"),
        "quality.check.one_off_without_payment": "One-off grants with a monthly amount and no payment",
        "quality.tekun_without_self_care": ("Member aged 60 or over (born {born}) in an extreme-poverty (特困) case "
                                            "has no self-care assessment: assess the six items and record its "
                                            "date and result"),
        "quality.none": "No problems found",
        "quality.supervisors_only": "Only supervisors and administrators see the data-quality findings of a scope",
        "quality.scope_outside": "Scope {scope} is outside your reach",
        "quality.check.duplicate_id": "Duplicate ID numbers",
        "quality.check.covered_exceeds_members": "More people covered than members",
        "quality.check.two_open_cases": "Two open cases of one category",
        "quality.check.elder_without_profile": "Elders 80+ without a profile",
        "quality.check.dibao_without_verification": "Dibao paid without verification",
        "quality.check.review_overdue": "Reviews overdue",
        "quality.check.age_against_relationship": "Ages inconsistent with relationships",
        "quality.check.amount_without_reason": "Amount differs from the computed one, without a reason",
        "quality.check.tekun_without_self_care": "特困 member aged 60 or over without a self-care assessment",
    },
}
