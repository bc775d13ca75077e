"""Messages about a household's members: one person, one record (the ID number), and the changes of
who lives in a household (迁出, 死亡, 迁入, 分户, 合户, 户主变更)."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "member.id_held": "身份证号码 {value} 已登记为“{household}”户的成员{name}，同一人不能重复登记",
        "member.id_moved_out": ("身份证号码 {value} 属于已从“{household}”户迁出的{name}：请在本户点“迁入成员”把此人"
                                "迁入，不要重新登记"),
        "member.id_deceased": "身份证号码 {value} 属于已登记死亡的{name}（“{household}”户），不能再次登记",
        "member.id_archived": "身份证号码 {value} 属于已归档的成员{name}（“{household}”户）：请恢复该记录，不要重新登记",
        "member.nobody_moved_out": "没有身份证号码为 {value} 的已迁出成员：新成员请用“添加成员”登记",
        "import.id_twice": "身份证号码 {value} 在文件中出现两次（另见第 {line} 行），同一人只能有一条成员记录",
        "member.restore_left": "{name}已迁出或已死亡，不能直接恢复：迁回的请用“迁入成员”办理",
        "member.by_action": "成员状态只能通过“迁出”“死亡”“迁入”等操作办理，不能直接修改",
        "member.date_required": "请填写变动日期",
        "member.not_present": "{name}已不在本户，不能办理此项",
        "member.other_household": "{name}不是本户的成员",
        "member.not_moved_out": "{name}没有迁出记录，不能办理迁入",
        "member.head_leaves": "{name}是户主：请先办理户主变更，再办理迁出或死亡",
        "member.household_archived": "该户已归档，不能办理此项",
        "member.relationship_required": "请选择与户主关系",
        "member.second_head": "本户已有户主：请选择其他与户主关系，或先办理户主变更",
        "member.split_nobody": "请至少选择一名要分出的成员",
        "member.split_everyone": "不能把全部成员分出：至少要有一人留在原户",
        "member.split_head_outside": "新户户主{name}必须是分出的成员之一",
        "member.split_needs_head": "户主随分户离开：请指定留在原户的新户主",
        "member.merge_same": "不能与本户自身合户",
        "member.merge_head_relationship": "请选择{name}（被并入户的户主）与本户户主的关系",
        "member.already_head": "{name}已经是户主",
        "sync.duplicate_id": ("身份证号码 {value} 已登记在您辖区内另一成员名下，服务器未接受：同一人请在原户办理迁出后"
                              "用“迁入成员”迁来"),
    },
    "en": {
        "member.id_held": "ID number {value} is already registered as {name}, a member of household “{household}”; "
                          "the same person cannot be registered twice",
        "member.id_moved_out": "ID number {value} belongs to {name}, who moved out of household “{household}”: use "
                               "“Move a member in” on this household instead of registering them again",
        "member.id_deceased": "ID number {value} belongs to {name} (household “{household}”), recorded as deceased; "
                              "it cannot be registered again",
        "member.id_archived": "ID number {value} belongs to the archived member {name} (household “{household}”): "
                              "restore that record instead of registering them again",
        "member.nobody_moved_out": "No member who moved out has ID number {value}: register a new member with "
                                   "“Add member”",
        "import.id_twice": "ID number {value} appears twice in the file (see also line {line}); a person has one "
                           "member record",
        "member.restore_left": "{name} moved out or died and cannot simply be restored: use “Move a member in” "
                               "for someone who came back",
        "member.by_action": "A member's status changes only through Move out, Deceased or Move in, never by editing",
        "member.date_required": "Enter the date of the change",
        "member.not_present": "{name} no longer lives in this household",
        "member.other_household": "{name} is not a member of this household",
        "member.not_moved_out": "{name} has not moved out, so cannot be moved in",
        "member.head_leaves": "{name} is the head of household: change the head first, then record the move or death",
        "member.household_archived": "The household is archived",
        "member.relationship_required": "Choose the relationship to the head of household",
        "member.second_head": "The household already has a head: choose another relationship or change the head first",
        "member.split_nobody": "Choose at least one member to split off",
        "member.split_everyone": "Not every member can split off: at least one stays in the household",
        "member.split_head_outside": "The new household's head {name} must be one of the members splitting off",
        "member.split_needs_head": "The head leaves with the split: choose who becomes head of this household",
        "member.merge_same": "A household cannot be merged with itself",
        "member.merge_head_relationship": "Choose how {name} (head of the household merged in) is related to this "
                                          "household's head",
        "member.already_head": "{name} is already the head of household",
        "sync.duplicate_id": "ID number {value} is already held by another member in your area; the server did not "
                             "accept it: for the same person, record the move out in their household, then use "
                             "“Move a member in”",
    },
}
