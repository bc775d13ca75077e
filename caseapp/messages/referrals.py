"""Messages about referrals between organisations (转介): who answers them, who writes them."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "referral.receiver_only": "只有接收机构可以办理这一步（接收、不予接收、开始服务、反馈）或填写回复",
        "referral.sender_only": "只有转出方可以修改转介单的内容、发送或结束转介",
        "referral.receiver_fixed": "转介单已发送，接收机构不能再更改；如需转给其他机构，请结束后另行转介",
        "referral.other_city": "接收机构区划代码“{code}”不在本市：跨市转介请通过接收地的系统办理",
        "referral.client_not_member": "服务对象须是本家庭的成员",
        "workflow.referral_needs_consent_date": "请填写服务对象签署同意书的日期",
        "workflow.referral_needs_client": "请从家庭成员中选择服务对象",
        "workflow.referral_needs_receiver": "请填写接收机构的区划代码，转介单才能送达接收机构",
    },
    "en": {
        "referral.receiver_only": "Only the receiving centre takes this step (accept, decline, start the service, "
        "give feedback) or writes the response",
        "referral.sender_only": "Only the referring side may change the referral, send it or close it",
        "referral.receiver_fixed": "The referral has been sent: its receiving centre can no longer change; close it "
        "and make a new referral to refer elsewhere",
        "referral.other_city": "The receiving centre's code “{code}” is not in this city: refer to another city "
        "through that city's own system",
        "referral.client_not_member": "The client must be a member of this household",
        "workflow.referral_needs_consent_date": "Enter the date the client signed the consent",
        "workflow.referral_needs_client": "Choose the client from the household's members",
        "workflow.referral_needs_receiver": "Enter the receiving centre's division code, so the referral reaches it",
    },
}
