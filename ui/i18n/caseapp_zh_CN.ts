<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AmountPanel</name>
    <message>
        <source>Computed amount</source>
        <extracomment>the household&apos;s cases (an open 低保/低收入 case: the 困难残疾人生活补贴 is due)</extracomment>
        <translation>核算金额</translation>
    </message>
    <message>
        <source>Not assessed monthly: no standard applies to this category on this date.</source>
        <translation>不按月核算：该类别在此日期没有适用的标准。</translation>
    </message>
    <message>
        <source>¥%1</source>
        <translation>¥%1</translation>
    </message>
    <message>
        <source>Per-person income: %1 (%2 a month ÷ %3 covered)</source>
        <translation>人均收入：%1（月收入 %2 ÷ 保障人数 %3）</translation>
    </message>
    <message>
        <source>Line in force: %1 (from %2)</source>
        <translation>低收入认定标准：%1（%2 起）</translation>
    </message>
    <message>
        <source>Standard in force: %1 (from %2)</source>
        <translation>执行标准：%1（%2 起）</translation>
    </message>
    <message>
        <source>Above the line: this income does not make a low-income household.</source>
        <translation>人均收入高于低收入线：按此收入不属于低收入家庭。</translation>
    </message>
    <message>
        <source>No top-up: a low-income household is recognised, and helped case by case.</source>
        <translation>不计发补差：低收入家庭经认定后按专项救助、分类救济予以帮扶。</translation>
    </message>
    <message>
        <source>Top-up: %1</source>
        <translation>补差：%1</translation>
    </message>
    <message>
        <source>Supplement for %1: %2 (%3% of the standard)</source>
        <translation>分类施保（%1）：%2（标准的 %3%）</translation>
    </message>
    <message>
        <source>Figures in force from %1, one per covered member (%2 covered)</source>
        <translation>%1 起执行的标准，按保障人员逐人计发（保障 %2 人）</translation>
    </message>
    <message>
        <source>Allowance for %1 (aged %2): %3</source>
        <translation>高龄津贴（%1，%2 周岁段）：%3</translation>
    </message>
    <message>
        <source>Living subsidy for %1: %3</source>
        <translation>困难残疾人生活补贴（%1）：%3</translation>
    </message>
    <message>
        <source>Care subsidy for %1 (grade %2): %3</source>
        <translation>重度残疾人护理补贴（%1，%2 级）：%3</translation>
    </message>
    <message>
        <source>No covered member qualifies on this date.</source>
        <translation>该日期没有符合条件的保障人员。</translation>
    </message>
    <message>
        <source>No living subsidy: the household has no open 低保 or 低收入 case.</source>
        <translation>无困难残疾人生活补贴：本户没有在办的低保或低收入案件。</translation>
    </message>
    <message>
        <source>Computed amount: %1</source>
        <translation>核算金额：%1</translation>
    </message>
    <message>
        <source>The typed amount differs by %1: give the reason below.</source>
        <translation>填写金额与核算金额相差 %1，请在下方填写理由。</translation>
    </message>
</context>
<context>
    <name>AppWindow</name>
    <message>
        <source>CaseApp</source>
        <translation>个案通</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出现问题：%1</translation>
    </message>
    <message>
        <source>Leave the demo</source>
        <translation>退出演示</translation>
    </message>
    <message>
        <source>The demo&apos;s households, and everything typed into the demo, are deleted from this computer. Then you create your own workspace, with your own passphrase.</source>
        <translation>演示中的家庭，以及在演示中录入的一切，都将从本机删除。随后请用您自己的口令创建自己的工作区。</translation>
    </message>
    <message>
        <source>Delete the demo and start</source>
        <translation>删除演示，开始使用</translation>
    </message>
    <message>
        <source>Stay in the demo</source>
        <translation>留在演示中</translation>
    </message>
    <message>
        <source>Changes not yet synced</source>
        <translation>修改尚未同步</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made on this computer have not reached the server yet. They stay here, encrypted in this workspace, and are sent at the next sync after you unlock it again. Until then colleagues do not see them.</source>
        <translation>
            <numerusform>本机有 %n 条修改尚未送达服务器。它们加密保存在本机的工作区中，下次解锁后同步时发送；在此之前同事看不到这些修改。</numerusform>
        </translation>
    </message>
    <message>
        <source>Close, keep them on this computer</source>
        <translation>关闭，修改留在本机</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>继续工作</translation>
    </message>
</context>
<context>
    <name>AssignTaskDialog</name>
    <message>
        <source>Assign a task</source>
        <extracomment>the new task&apos;s id</extracomment>
        <translation>交办任务</translation>
    </message>
    <message>
        <source>Name, address or title</source>
        <translation>姓名、地址或事件标题</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>交办</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Choose the record the task is about.</source>
        <translation>请选择任务对象。</translation>
    </message>
    <message>
        <source>Enter the user name of the worker it is for.</source>
        <translation>请填写承办人的用户名。</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Photos and scans</source>
        <translation>照片和扫描件</translation>
    </message>
    <message>
        <source>Add photo or scan…</source>
        <translation>添加照片或扫描件…</translation>
    </message>
    <message>
        <source>Take photo…</source>
        <translation>拍照…</translation>
    </message>
    <message>
        <source>From this computer&apos;s camera, where it has one</source>
        <translation>用本机的摄像头拍照（如有）</translation>
    </message>
    <message>
        <source>View</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Add photo or scan</source>
        <translation>添加照片或扫描件</translation>
    </message>
    <message>
        <source>Images and scans (*.jpg *.jpeg *.png *.gif *.bmp *.pdf);;All files (*)</source>
        <translation>图片和扫描件 (*.jpg *.jpeg *.png *.gif *.bmp *.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>photo-%1.jpg</source>
        <translation>照片-%1.jpg</translation>
    </message>
    <message>
        <source>%1 is not a picture: save a copy to open it with another program</source>
        <translation>“%1”不是图片：请先“另存为”，再用其他程序打开</translation>
    </message>
    <message>
        <source>Save a copy</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Take %1 off this record? It stays in the record&apos;s history.</source>
        <translation>从此记录移除“%1”吗？移除后仍保留在记录的历史中。</translation>
    </message>
</context>
<context>
    <name>BuildingView</name>
    <message>
        <source>← All buildings</source>
        <translation>← 全部建筑物</translation>
    </message>
    <message>
        <source>Edit building</source>
        <translation>编辑建筑物</translation>
    </message>
    <message>
        <source>Add &amp;dwelling</source>
        <translation>添加房屋(&amp;D)</translation>
    </message>
    <message>
        <source>Open household</source>
        <translation>打开家庭</translation>
    </message>
    <message>
        <source>Add &amp;resident</source>
        <translation>添加实有人口(&amp;R)</translation>
    </message>
    <message>
        <source>Dwellings (%1)</source>
        <translation>房屋（%1）</translation>
    </message>
    <message>
        <source>Households (%1)</source>
        <translation>家庭户（%1）</translation>
    </message>
    <message>
        <source>Residents (%1)</source>
        <translation>实有人口（%1）</translation>
    </message>
</context>
<context>
    <name>Camera</name>
    <message>
        <source>The camera cannot be used on this computer: add the photo from a file</source>
        <translation>本机无法使用摄像头：请从文件添加照片</translation>
    </message>
    <message>
        <source>No camera found: connect one, or add the photo from a file</source>
        <translation>未找到摄像头：请接上摄像头，或从文件添加照片</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>Take a photo</source>
        <translation>拍照</translation>
    </message>
    <message>
        <source>&amp;Take photo</source>
        <translation>拍照(&amp;T)</translation>
    </message>
    <message>
        <source>Take &amp;again</source>
        <translation>重拍(&amp;A)</translation>
    </message>
    <message>
        <source>Use this photo</source>
        <translation>使用这张照片</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The camera reports: %1</source>
        <translation>摄像头报告：%1</translation>
    </message>
    <message>
        <source>The camera is not ready yet: try again in a moment</source>
        <translation>摄像头尚未就绪：请稍后再试</translation>
    </message>
    <message>
        <source>an empty picture</source>
        <translation>空白画面</translation>
    </message>
</context>
<context>
    <name>CompleteTaskDialog</name>
    <message>
        <source>Mark the task done</source>
        <extracomment>what was done</extracomment>
        <translation>办结任务</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ConflictPanel</name>
    <message>
        <source>Open the household</source>
        <extracomment>conflict id, keep (&quot;mine&quot; / &quot;theirs&quot; / &quot;&quot;), typed value (or None) the household the conflict is in, to look at it before choosing</extracomment>
        <translation>打开这一户</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>保留对方的</translation>
    </message>
    <message>
        <source>Or type the right value</source>
        <translation>或者输入正确的值</translation>
    </message>
    <message>
        <source>Use this value</source>
        <translation>使用此值</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>对方的</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <source>%1&apos;s household</source>
        <extracomment>whether the value in force now (the server&apos;s default pick) is mine whose record it is: the household (to open it) and the person it is about</extracomment>
        <translation>%1户</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>对方的</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>DatePicker</name>
    <message>
        <source>Choose a date</source>
        <translation>选择日期</translation>
    </message>
    <message>
        <source>Choose a date (Alt+Down)</source>
        <translation>选择日期（Alt+下箭头）</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>YYYY-MM-DD HH:MM</source>
        <translation>年-月-日 时:分</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Any time</source>
        <translation>不限时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近30天</translation>
    </message>
    <message>
        <source>Next 30 days</source>
        <translation>今后30天</translation>
    </message>
    <message>
        <source>Due by today</source>
        <translation>今天及以前到期</translation>
    </message>
    <message>
        <source>Due by the end of this week</source>
        <translation>本周内到期</translation>
    </message>
    <message>
        <source>Due within 30 days</source>
        <translation>30天内到期</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Which area the list shows</source>
        <extracomment>a scope entry meaning &quot;no limit&quot; between the codes of a choice entry standing for several load_units has run: the scope is refilled when org units change after that the sort, carried along (the header sets it, not this bar)</extracomment>
        <translation>名单显示哪个辖区</translation>
    </message>
    <message>
        <source>&amp;Area:</source>
        <translation>范围(&amp;A)：</translation>
    </message>
    <message>
        <source>All: %1</source>
        <translation>全部%1</translation>
    </message>
    <message>
        <source>Contains…</source>
        <translation>包含…</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Everything on this device</source>
        <translation>本机全部</translation>
    </message>
    <message>
        <source>My area: %1</source>
        <translation>我的辖区：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n chosen</source>
        <translation>
            <numerusform>已选 %n 项</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FindingsModel</name>
    <message>
        <source>Check</source>
        <translation>检查项目</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>处理要求</translation>
    </message>
    <message>
        <source>Must be corrected</source>
        <translation>必须更正</translation>
    </message>
    <message>
        <source>To check</source>
        <translation>需核实</translation>
    </message>
</context>
<context>
    <name>GridPage</name>
    <message>
        <source>&amp;New grid event</source>
        <extracomment>what the events list shows until the user chooses otherwise: the events still being handled</extracomment>
        <translation>新建网格事件(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;New patrol log</source>
        <translation>新建巡查日志(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;New disaster report</source>
        <translation>新建灾情报告(&amp;N)</translation>
    </message>
    <message>
        <source>Grid &amp;events</source>
        <translation>网格事件(&amp;E)</translation>
    </message>
    <message>
        <source>Pa&amp;trol logs</source>
        <translation>巡查日志(&amp;T)</translation>
    </message>
    <message>
        <source>Disaster &amp;reports</source>
        <translation>灾情报告(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;New building</source>
        <translation>新建建筑物(&amp;N)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>&amp;Buildings</source>
        <translation>建筑物(&amp;B)</translation>
    </message>
    <message>
        <source>Actual &amp;population</source>
        <translation>实有人口(&amp;P)</translation>
    </message>
    <message>
        <source>Grid records</source>
        <translation>网格记录</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Synced in</source>
        <translation>同步收到</translation>
    </message>
</context>
<context>
    <name>HouseholdView</name>
    <message>
        <source>← All households</source>
        <extracomment>assistance case states in which a periodic review can be recorded</extracomment>
        <translation>← 全部家庭</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>New elder profile</source>
        <translation>新建老人档案</translation>
    </message>
    <message>
        <source>Add case note</source>
        <translation>添加个案记录</translation>
    </message>
    <message>
        <source>Record a visit</source>
        <translation>记录探访</translation>
    </message>
    <message>
        <source>Record a review</source>
        <translation>记录复核</translation>
    </message>
    <message>
        <source>New grid event</source>
        <translation>新建网格事件</translation>
    </message>
    <message>
        <source>Add m&amp;ember</source>
        <translation>添加成员(&amp;E)</translation>
    </message>
    <message>
        <source>Add i&amp;ncome</source>
        <translation>添加收入(&amp;N)</translation>
    </message>
    <message>
        <source>New assistance &amp;case</source>
        <translation>新建救助个案(&amp;C)</translation>
    </message>
    <message>
        <source>Record a payment</source>
        <translation>登记发放</translation>
    </message>
    <message>
        <source>Record an appraisal</source>
        <translation>登记民主评议</translation>
    </message>
    <message>
        <source>Record a public notice</source>
        <translation>登记公示</translation>
    </message>
    <message>
        <source>New &amp;home investigation</source>
        <translation>新建入户调查(&amp;H)</translation>
    </message>
    <message>
        <source>New &amp;economic verification</source>
        <translation>新建经济状况核对(&amp;E)</translation>
    </message>
    <message>
        <source>New child&apos;s file</source>
        <translation>新建困境儿童档案</translation>
    </message>
    <message>
        <source>Record a child visit</source>
        <translation>登记儿童探访</translation>
    </message>
    <message>
        <source>New preferential-care file</source>
        <translation>新建优抚对象档案</translation>
    </message>
    <message>
        <source>Record a visit or call</source>
        <translation>登记走访慰问</translation>
    </message>
    <message>
        <source>Record a Ping&apos;antong call</source>
        <translation>登记平安通呼叫</translation>
    </message>
    <message>
        <source>New care-place application</source>
        <translation>新建入住轮候申请</translation>
    </message>
    <message>
        <source>New referral</source>
        <translation>新建转介</translation>
    </message>
    <message>
        <source>New social-work case</source>
        <translation>新建社工个案</translation>
    </message>
    <message>
        <source>O&amp;verview</source>
        <translation>概况(&amp;V)</translation>
    </message>
    <message>
        <source>Mem&amp;bers</source>
        <translation>家庭成员(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Assistance</source>
        <translation>社会救助(&amp;A)</translation>
    </message>
    <message>
        <source>Inve&amp;stigations</source>
        <translation>入户调查(&amp;S)</translation>
    </message>
    <message>
        <source>E&amp;lders and visits</source>
        <translation>老人与探访(&amp;L)</translation>
    </message>
    <message>
        <source>Child &amp;welfare</source>
        <translation>儿童关爱(&amp;W)</translation>
    </message>
    <message>
        <source>Pre&amp;ferential care</source>
        <translation>优抚(&amp;F)</translation>
    </message>
    <message>
        <source>Care-home &amp;queue</source>
        <translation>入住轮候(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Grid records</source>
        <translation>网格记录(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Referrals and social work</source>
        <translation>转介与社工服务(&amp;R)</translation>
    </message>
    <message>
        <source>Pas&amp;t members and changes</source>
        <translation>过往成员与变动(&amp;T)</translation>
    </message>
    <message>
        <source>Histor&amp;y</source>
        <translation>修改记录(&amp;Y)</translation>
    </message>
    <message>
        <source>Move &amp;out…</source>
        <translation>迁出(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Deceased…</source>
        <translation>死亡(&amp;D)…</translation>
    </message>
    <message>
        <source>Make &amp;head…</source>
        <translation>设为户主(&amp;H)…</translation>
    </message>
    <message>
        <source>S&amp;plit off…</source>
        <translation>分户(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Merge…</source>
        <translation>合户(&amp;M)…</translation>
    </message>
    <message>
        <source>Move a member &amp;in…</source>
        <translation>迁入成员(&amp;I)…</translation>
    </message>
</context>
<context>
    <name>HouseholdsModel</name>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Found by</source>
        <extracomment>the sort changed through a header</extracomment>
        <translation>匹配方式</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Pinyin</source>
        <translation>拼音</translation>
    </message>
    <message>
        <source>Pinyin initials</source>
        <translation>拼音首字母</translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message>
        <source>Export ledger…</source>
        <translation>导出台账…</translation>
    </message>
    <message>
        <source>Import ledger…</source>
        <translation>导入台账…</translation>
    </message>
    <message>
        <source>&amp;New household</source>
        <translation>新建家庭(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Households</source>
        <translation>家庭户(&amp;H)</translation>
    </message>
    <message>
        <source>Assistance &amp;cases</source>
        <translation>救助案件(&amp;C)</translation>
    </message>
    <message>
        <source>Appraisals</source>
        <translation>民主评议</translation>
    </message>
    <message>
        <source>Public notices</source>
        <translation>公示</translation>
    </message>
    <message>
        <source>Households and cases</source>
        <translation>家庭与个案</translation>
    </message>
    <message numerus="yes">
        <source>%n household(s) found</source>
        <translation>
            <numerusform>找到 %n 户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n household(s)</source>
        <translation>
            <numerusform>共 %n 户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ledger saved: %1 (%n row(s))</source>
        <translation>
            <numerusform>台账已保存：%1（%n 行）</numerusform>
        </translation>
    </message>
    <message>
        <source>Import a household ledger</source>
        <translation>导入家庭成员台账</translation>
    </message>
    <message>
        <source>The workbook is password-protected. Password:</source>
        <translation>该工作簿已加密，请输入密码：</translation>
    </message>
    <message>
        <source>Imported %1 household(s) and %2 people</source>
        <translation>已导入 %1 户、%2 人</translation>
    </message>
    <message>
        <source>Nothing was imported. Correct these cells and import again:</source>
        <translation>未导入任何数据。请更正以下单元格后重新导入：</translation>
    </message>
    <message>
        <source>row %1, %2: %3</source>
        <translation>第 %1 行“%2”：%3</translation>
    </message>
</context>
<context>
    <name>LabelDialog</name>
    <message>
        <source>Add: %1</source>
        <translation>添加：%1</translation>
    </message>
    <message>
        <source>e.g. front and back, page 2</source>
        <translation>例如：正反面、第 2 页</translation>
    </message>
    <message>
        <source>What it is</source>
        <translation>材料类别</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>LedgerDialog</name>
    <message>
        <source>Export a ledger</source>
        <translation>导出台账</translation>
    </message>
    <message>
        <source>Assistance ledger (cases in payment)</source>
        <translation>救助对象台账（在保对象）</translation>
    </message>
    <message>
        <source>Public notice list (cases under notice)</source>
        <translation>公示名单（公示期对象）</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>No password (only for a notice to be posted)</source>
        <translation>不加密（仅用于张贴的公示名单）</translation>
    </message>
    <message>
        <source>Ledger</source>
        <translation>台账</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
</context>
<context>
    <name>ListExportDialog</name>
    <message>
        <source>No password</source>
        <translation>不设密码</translation>
    </message>
    <message>
        <source>Export the list to Excel</source>
        <translation>名单导出为 Excel</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s), with the filters and order on screen</source>
        <translation>
            <numerusform>共 %n 行，按屏幕上的筛选和排序</numerusform>
        </translation>
    </message>
    <message>
        <source>The rows on screen, with their filters and order</source>
        <translation>屏幕上的名单，按当前筛选和排序</translation>
    </message>
</context>
<context>
    <name>ListPanel</name>
    <message>
        <source>Export to Excel…</source>
        <extracomment>the workspace setting holding every list&apos;s remembered filter (list name -&gt; ListFilter.to_dict()) the widest a list column is fitted to, in pixels a FilteredModel, or one like it (the household list&apos;s, which also ranks search hits)</extracomment>
        <translation>名单导出 Excel…</translation>
    </message>
    <message>
        <source>Print list…</source>
        <translation>打印名单…</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>共 %n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved: %1 (%n row(s))</source>
        <translation>
            <numerusform>已保存：%1（%n 行）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginBox</name>
    <message>
        <source>Connect</source>
        <extracomment>url, user, password</extracomment>
        <translation>连接</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>MainScreen</name>
    <message>
        <source>CaseApp</source>
        <translation>个案通</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Find a household: name, pinyin, ID number, phone or address</source>
        <translation>查找家庭：姓名、拼音、身份证号、电话或地址</translation>
    </message>
    <message>
        <source>Find a household (Ctrl+F)</source>
        <translation>查找家庭（Ctrl+F）</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Lock now (Ctrl+L)</source>
        <translation>立即锁定（Ctrl+L）</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Syncing: sending %1%</source>
        <translation>正在同步：发送 %1%</translation>
    </message>
    <message>
        <source>Syncing: receiving %1%</source>
        <translation>正在同步：接收 %1%</translation>
    </message>
    <message>
        <source>Offline: not connected to a server</source>
        <translation>离线：未连接服务器</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to sync</source>
        <translation>
            <numerusform>%n 项修改待同步</numerusform>
        </translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n 处冲突</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MemberChangeDialog</name>
    <message>
        <source>Move out: %1</source>
        <extracomment>the title of each action&apos;s form (%1: the member&apos;s name, where the action is about one)</extracomment>
        <translation>迁出：%1</translation>
    </message>
    <message>
        <source>Record a death: %1</source>
        <translation>登记死亡：%1</translation>
    </message>
    <message>
        <source>Make %1 head of household</source>
        <translation>户主变更：由%1任户主</translation>
    </message>
    <message>
        <source>Move a member in</source>
        <translation>迁入成员</translation>
    </message>
    <message>
        <source>Split off a new household</source>
        <translation>分户：分出新的家庭户</translation>
    </message>
    <message>
        <source>Merge another household into this one</source>
        <translation>合户：将另一户并入本户</translation>
    </message>
    <message>
        <source>Members who leave (Space ticks one):</source>
        <translation>分出的成员（按空格键勾选）：</translation>
    </message>
    <message>
        <source>New head of this household, if its head leaves:</source>
        <translation>原户主随分户离开时，本户的新户主：</translation>
    </message>
</context>
<context>
    <name>ModeStep</name>
    <message>
        <source>Connect to my organisation&apos;s server</source>
        <extracomment>the chosen mode; the flow reads the fields it needs</extracomment>
        <translation>连接单位的服务器</translation>
    </message>
    <message>
        <source>Work offline on this computer</source>
        <translation>在本机离线工作</translation>
    </message>
    <message>
        <source>Try a demo with made-up households</source>
        <translation>使用虚构家庭数据试用</translation>
    </message>
    <message>
        <source>My community</source>
        <translation>所在社区</translation>
    </message>
    <message>
        <source>Fills this workspace with fictional households, elders and grid events, and starts a demo server on this computer so that syncing and conflicts can be tried too. Nothing leaves this computer.</source>
        <translation>在此工作区中填入虚构的家庭、老人和网格事件，并在本机启动一个演示服务器，同步和冲突处理也可以试用。数据不会离开本机。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>How will you work?</source>
        <translation>选择工作方式</translation>
    </message>
</context>
<context>
    <name>NewHouseholdDialog</name>
    <message>
        <source>Community and grid</source>
        <extracomment>the shortest code a household may be filed under: a community (a grid&apos;s code is longer)</extracomment>
        <translation>所属社区和网格</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>Record</source>
        <extracomment>Which state a record&apos;s row shows when its changes are in several: what needs the user first.</extracomment>
        <translation>记录</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>修改后的值</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>Sent, awaiting reply</source>
        <translation>已发送，等待答复</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Held on this device</source>
        <translation>暂存本机（服务器版本较旧）</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>新建记录</translation>
    </message>
    <message>
        <source>Conflict resolved</source>
        <translation>冲突处理</translation>
    </message>
</context>
<context>
    <name>Overview</name>
    <message>
        <source>Edit household</source>
        <translation>修改家庭信息</translation>
    </message>
</context>
<context>
    <name>PassphraseStep</name>
    <message>
        <source>For example 王小红</source>
        <extracomment>passphrase, name the language chosen at the top of the first screen</extracomment>
        <translation>例如 王小红</translation>
    </message>
    <message>
        <source>Create workspace</source>
        <translation>创建工作区</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Create your workspace</source>
        <translation>创建工作区</translation>
    </message>
    <message>
        <source>Everything you record is kept encrypted on this computer. Choose a passphrase that only you know: you will type it each time CaseApp is unlocked. A few words or a short sentence is easier to remember and harder to guess than a short password.</source>
        <translation>您记录的所有内容都加密保存在本机。请设置一个只有您知道的密码，每次解锁 CaseApp 时都要输入。几个词或一句短话比短密码更好记，也更难被猜中。</translation>
    </message>
    <message>
        <source>This passphrase is one of the first an attacker would try. Add a few words.</source>
        <translation>这个密码太常见，很容易被猜中。请再加几个词。</translation>
    </message>
    <message>
        <source>Creating the workspace…</source>
        <translation>正在创建工作区…</translation>
    </message>
</context>
<context>
    <name>PasswordPair</name>
    <message>
        <source>The file holds personal information. It asks for this password when opened; tell it to the recipient separately.</source>
        <translation>文件含个人信息，打开时需输入此密码；请另行告知接收人。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message>
        <source>No password</source>
        <translation>不加密</translation>
    </message>
    <message>
        <source>Print: %1</source>
        <translation>打印：%1</translation>
    </message>
    <message>
        <source>Preparing the preview…</source>
        <translation>正在生成打印预览…</translation>
    </message>
    <message>
        <source>Whole page</source>
        <translation>整页</translation>
    </message>
    <message>
        <source>Page width</source>
        <translation>页宽</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message numerus="yes">
        <source>%n form(s)</source>
        <translation>
            <numerusform>共 %n 份</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n page(s)</source>
        <translation>
            <numerusform>，%n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>No printer is set up on this computer: save the form as a PDF and print it from there.</source>
        <translation>本机未安装打印机：请另存为 PDF，再在有打印机的电脑上打印。</translation>
    </message>
    <message>
        <source>That printer writes a file, which would not be password-protected: use Save as PDF instead.</source>
        <translation>该打印机会把表格写成文件，文件不会加密：请改用“另存为 PDF”。</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QualityPage</name>
    <message>
        <source>Checks</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Re-assessment after a new standard</source>
        <translation>调标重新核定</translation>
    </message>
    <message>
        <source>Data quality</source>
        <translation>数据质量</translation>
    </message>
    <message>
        <source>Checking the records…</source>
        <translation>正在检查记录…</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found, %1 to be corrected</source>
        <translation>
            <numerusform>发现 %n 个问题，其中 %1 个必须更正</numerusform>
        </translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>未发现问题。</translation>
    </message>
    <message>
        <source>All problems (%1)</source>
        <translation>全部问题 (%1)</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>Waiting for my sign-off</source>
        <extracomment>household id, case id, and the move to have ready (empty: none)</extracomment>
        <translation>等待我审核签署</translation>
    </message>
    <message>
        <source>Returned to me for more</source>
        <translation>退回给我补充的</translation>
    </message>
    <message>
        <source>Assign a task…</source>
        <translation>交办任务…</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <source>Cancel the task</source>
        <translation>撤销任务</translation>
    </message>
    <message>
        <source>Tasks I assigned</source>
        <translation>我交办的任务</translation>
    </message>
    <message>
        <source>Nothing waits for you.</source>
        <translation>目前没有待您办理的事项。</translation>
    </message>
    <message>
        <source>Work queue</source>
        <translation>待办</translation>
    </message>
    <message>
        <source>Waiting for my sign-off (%1)</source>
        <translation>等待我审核签署（%1）</translation>
    </message>
    <message>
        <source>Returned to me for more (%1)</source>
        <translation>退回给我补充的（%1）</translation>
    </message>
</context>
<context>
    <name>QuickVisitDialog</name>
    <message>
        <source>Visit: %1</source>
        <translation>探访：%1</translation>
    </message>
</context>
<context>
    <name>ReassessmentExportDialog</name>
    <message>
        <source>No password</source>
        <translation>不设密码</translation>
    </message>
    <message>
        <source>Export the re-assessment list to Excel</source>
        <translation>导出重新核定名单到 Excel</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>共 %n 户</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReassessmentModel</name>
    <message>
        <source>Household head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Amount paid</source>
        <translation>现发金额</translation>
    </message>
    <message>
        <source>Computed before</source>
        <translation>原标准核算金额</translation>
    </message>
    <message>
        <source>Computed under the new standard</source>
        <translation>新标准核算金额</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>应调整</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <source>Set by hand: check the reason</source>
        <translation>手工核定：核实理由</translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation>重新核算</translation>
    </message>
</context>
<context>
    <name>ReassessmentPanel</name>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>New standard in force from:</source>
        <translation>新标准执行日期：</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source> (to come)</source>
        <translation>（尚未执行）</translation>
    </message>
    <message>
        <source>Assessing the cases in payment…</source>
        <translation>正在核算在保案件…</translation>
    </message>
    <message>
        <source>No case in payment to show is paid an amount other than the one computed under this standard.</source>
        <translation>所选范围内没有金额与该标准下核算金额不一致的在保案件。</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) paid an amount other than the one computed under this standard</source>
        <translation>
            <numerusform>%n 户现发金额与该标准下的核算金额不一致，需重新核定</numerusform>
        </translation>
    </message>
    <message>
        <source>Every case in payment is paid the amount computed under this standard.</source>
        <translation>所有在保案件的金额均与该标准下的核算金额一致。</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>全部案件</translation>
    </message>
    <message>
        <source>To recompute</source>
        <translation>需重新核算</translation>
    </message>
    <message>
        <source>Amount set by hand</source>
        <translation>手工核定金额</translation>
    </message>
    <message>
        <source>: %1 to recompute, %2 set by hand with a reason</source>
        <translation>：其中需重新核算 %1 户，手工核定金额（有理由）%2 户</translation>
    </message>
    <message numerus="yes">
        <source>Saved: %1 (%n row(s))</source>
        <translation>
            <numerusform>已保存：%1（%n 行）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReassignTaskDialog</name>
    <message>
        <source>Reassign the task</source>
        <extracomment>the task&apos;s id</extracomment>
        <translation>改派任务</translation>
    </message>
    <message>
        <source>Now with</source>
        <translation>现承办人</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter the user name of the worker it is for.</source>
        <translation>请填写承办人的用户名。</translation>
    </message>
    <message>
        <source>The task is already with %1: name another worker.</source>
        <translation>任务已交给 %1：请填写另一位工作人员。</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Edit: %1</source>
        <translation>修改：%1</translation>
    </message>
    <message>
        <source>New: %1</source>
        <translation>新建：%1</translation>
    </message>
    <message>
        <source>View: %1</source>
        <extracomment>the tallest a record dialog opens, and the room left for its title bar and buttons the saved record&apos;s id</extracomment>
        <translation>查看：%1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The record could not be saved: %1</source>
        <translation>记录未能保存：%1</translation>
    </message>
</context>
<context>
    <name>RecordList</name>
    <message>
        <source>Edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>View</source>
        <extracomment>the selected record&apos;s values (as_row), to edit the selected record, read whole (what the workflow and the edit form need)</extracomment>
        <translation>查看</translation>
    </message>
    <message>
        <source>Print form…</source>
        <translation>打印表格…</translation>
    </message>
</context>
<context>
    <name>RecordsModel</name>
    <message>
        <source>Elder</source>
        <extracomment>Columns that are no field of the record shown (computed, or the name of a linked record).</extracomment>
        <translation>老人</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>儿童</translation>
    </message>
    <message>
        <source>Person visited</source>
        <translation>走访对象</translation>
    </message>
    <message>
        <source>Place in queue</source>
        <translation>轮候序号</translation>
    </message>
    <message>
        <source>Computed amount</source>
        <translation>核算金额</translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <source>Edit</source>
        <extracomment>for a list of child records (a member&apos;s income): the parent row they belong to</extracomment>
        <translation>修改</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
</context>
<context>
    <name>RecoveryStep</name>
    <message>
        <source>I have written the recovery key down and will keep it safe</source>
        <translation>我已抄下恢复密钥，并会妥善保管</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Write down your recovery key</source>
        <translation>请抄下恢复密钥</translation>
    </message>
    <message>
        <source>If the passphrase is ever forgotten, this key is the only way back into the workspace. Write it on paper now and keep the paper somewhere safe, away from this computer. It will not be shown again.</source>
        <translation>如果忘记了密码，只有这个恢复密钥能打开工作区。请现在把它抄在纸上，存放在安全的地方，不要和电脑放在一起。它不会再次显示。</translation>
    </message>
</context>
<context>
    <name>ReferralsPage</name>
    <message>
        <source>New referral</source>
        <translation>新建转介</translation>
    </message>
    <message>
        <source>All referrals</source>
        <translation>全部转介</translation>
    </message>
    <message>
        <source>Inbox: referred to us</source>
        <translation>收到的转介</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>转介</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Export the monthly report</source>
        <translation>导出统计月报</translation>
    </message>
    <message>
        <source>This table</source>
        <translation>当前表</translation>
    </message>
    <message>
        <source>Every table (one sheet each)</source>
        <translation>全部表格（每表一个工作表）</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>表格</translation>
    </message>
</context>
<context>
    <name>ReturnedModel</name>
    <message>
        <source>Household</source>
        <extracomment>who the returns are for (called at each load: the user of the workspace open now)</extracomment>
        <translation>家庭</translation>
    </message>
    <message>
        <source>Returned by</source>
        <translation>退回人</translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation>退回时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>退回原因</translation>
    </message>
</context>
<context>
    <name>ReviewsDueModel</name>
    <message>
        <source>Household</source>
        <translation>家庭</translation>
    </message>
</context>
<context>
    <name>SeriesBar</name>
    <message>
        <source>File an &amp;update (续报)…</source>
        <translation>续报(&amp;U)…</translation>
    </message>
    <message>
        <source>File the &amp;final report (核报)…</source>
        <translation>核报(&amp;F)…</translation>
    </message>
    <message>
        <source>This disaster&apos;s reports: %1</source>
        <translation>本次灾情的报告：%1</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source> min</source>
        <extracomment>a different server address was saved: signing in there is needed (done on the Sync page) the caseworker asked to leave the demo (the window confirms and does it)</extracomment>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Lock after no activity for</source>
        <translation>无操作自动锁定时间</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Organisation&apos;s CA certificate</source>
        <translation>单位 CA 证书</translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Leave the demo and start my own workspace…</source>
        <translation>退出演示，创建我自己的工作区…</translation>
    </message>
    <message>
        <source>This workspace holds fictional households to try CaseApp with. Leaving the demo deletes them, and everything typed into the demo, from this computer; then you create your own workspace.</source>
        <translation>这个工作区里是用来试用个案通的虚构家庭。退出演示会从本机删除它们以及在演示中录入的一切，然后您创建自己的工作区。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Passphrase changed.</source>
        <translation>密码已修改。</translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message>
        <source>Sign off: %1</source>
        <extracomment>the opinion (or the asked-for reason) the step is signed with</extracomment>
        <translation>签署办理：%1</translation>
    </message>
    <message>
        <source>Sign and take the step</source>
        <translation>签署并办理</translation>
    </message>
    <message>
        <source>Sign (Ctrl+Enter)</source>
        <translation>签署（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Write %1 first: the step is signed with it.</source>
        <translation>请先填写%1：办理时须一并签署。</translation>
    </message>
</context>
<context>
    <name>StatTableModel</name>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>&amp;Area</source>
        <translation>范围(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Month</source>
        <translation>月份(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Export monthly report…</source>
        <translation>导出月报(&amp;E)…</translation>
    </message>
    <message>
        <source>Save c&amp;hart…</source>
        <translation>保存图表(&amp;H)…</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计月报</translation>
    </message>
    <message>
        <source>My area</source>
        <translation>我的辖区</translation>
    </message>
    <message>
        <source>Everything on this device</source>
        <translation>本机全部数据</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Save the chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>The chart could not be saved to %1</source>
        <translation>图表未能保存到 %1</translation>
    </message>
</context>
<context>
    <name>StrengthMeter</name>
    <message>
        <source>Too easy to guess</source>
        <translation>太容易被猜中</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>Very strong</source>
        <translation>很强</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>Program release</source>
        <translation>程序版本</translation>
    </message>
    <message>
        <source>Connect to the organisation&apos;s server</source>
        <translation>连接单位的服务器</translation>
    </message>
    <message>
        <source>Outbox: changes waiting for the server, and refused ones</source>
        <translation>发件箱：等待发送的修改和被拒绝的修改</translation>
    </message>
    <message>
        <source>Conflicts: the same field changed on two devices</source>
        <translation>冲突：同一内容在两台设备上都被修改</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Not connected to a server</source>
        <translation>未连接服务器</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从未</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation>
            <numerusform>%n 项修改</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the server</source>
        <translation>
            <numerusform>%n 项被服务器拒绝</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · a new release, %2, is available: ask your administrator for the installer (upgrading keeps your data)</source>
        <translation>%1 · 有新版本 %2 可用：请向管理员索取安装包（升级不会改动本机数据）</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Preparing search for the households received…</source>
        <translation>正在为收到的家庭建立检索…</translation>
    </message>
    <message>
        <source>Sending changes: %1 of %2</source>
        <translation>正在发送修改：%1 / %2</translation>
    </message>
    <message>
        <source>Receiving changes: %1 of %2</source>
        <translation>正在接收修改：%1 / %2</translation>
    </message>
    <message>
        <source>Uploading attachments: %1 of %2</source>
        <translation>正在上传附件：%1 / %2</translation>
    </message>
    <message>
        <source>Sending changes: %1</source>
        <translation>正在发送修改：%1</translation>
    </message>
    <message>
        <source>Receiving changes: %1</source>
        <translation>正在接收修改：%1</translation>
    </message>
    <message>
        <source>Uploading attachments: %1</source>
        <translation>正在上传附件：%1</translation>
    </message>
    <message>
        <source>Sync finished.</source>
        <translation>同步完成。</translation>
    </message>
</context>
<context>
    <name>TasksModel</name>
    <message>
        <source>For</source>
        <extracomment>days ahead the list keeps to (None: every open task); overdue ones always show</extracomment>
        <translation>任务对象</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期情况</translation>
    </message>
    <message>
        <source>Assigned by</source>
        <translation>交办人</translation>
    </message>
    <message numerus="yes">
        <source>Overdue by %n day(s)</source>
        <translation>
            <numerusform>已逾期 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今天到期</translation>
    </message>
    <message numerus="yes">
        <source>In %n day(s)</source>
        <translation>
            <numerusform>还有 %n 天</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>Open the list</source>
        <translation>打开名单</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Visits overdue</source>
        <translation>逾期未探访</translation>
    </message>
    <message>
        <source>Assistance reviews due</source>
        <translation>待复核救助个案</translation>
    </message>
    <message>
        <source>Open grid events</source>
        <translation>未办结网格事件</translation>
    </message>
    <message>
        <source>Changes not yet synced</source>
        <translation>未同步的修改</translation>
    </message>
    <message>
        <source>Conflicts to resolve</source>
        <translation>待处理冲突</translation>
    </message>
    <message>
        <source>Tasks assigned to me</source>
        <translation>交办给我的任务</translation>
    </message>
    <message>
        <source>Mark done…</source>
        <translation>标记完成…</translation>
    </message>
    <message>
        <source>My area</source>
        <translation>我的辖区</translation>
    </message>
    <message>
        <source>Everything on this device</source>
        <translation>本机全部</translation>
    </message>
    <message>
        <source>Elder visits due</source>
        <translation>待探访老人</translation>
    </message>
    <message>
        <source>Today</source>
        <comment>period</comment>
        <extracomment>the elder to visit (elder profile id)</extracomment>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <comment>period</comment>
        <translation>本周</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日工作</translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>CaseApp is locked</source>
        <extracomment>True when the recovery key was used (the user should choose a new passphrase)</extracomment>
        <translation>CaseApp 已锁定</translation>
    </message>
    <message>
        <source>Type your passphrase to open the workspace.</source>
        <translation>请输入密码打开工作区。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Forgot the passphrase? Use the recovery key</source>
        <translation>忘记密码？使用恢复密钥</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Type the recovery key you wrote down when the workspace was created. Afterwards you will choose a new passphrase.</source>
        <translation>请输入创建工作区时抄下的恢复密钥。解锁后请设置新密码。</translation>
    </message>
    <message>
        <source>Use the passphrase instead</source>
        <translation>改用密码</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation>正在解锁…</translation>
    </message>
</context>
<context>
    <name>VisitsDueModel</name>
    <message>
        <source>Elder</source>
        <extracomment>org units the list keeps to (None: everything on this device) only the visits already overdue the elders due and overdue in the whole list, once counted</extracomment>
        <translation>老人</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次探访</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应探访日期</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Listed by due date, the most overdue first, then by grid</source>
        <translation>按到期日排列，逾期最久的在前，同一天的按网格</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>Record a visit</source>
        <translation>记录探访</translation>
    </message>
    <message>
        <source>Open household</source>
        <translation>打开家庭</translation>
    </message>
    <message>
        <source>Show everyone due this month</source>
        <translation>显示本月全部待探访</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>待探访</translation>
    </message>
    <message>
        <source>Elders</source>
        <translation>老年人</translation>
    </message>
    <message>
        <source>Visits recorded</source>
        <translation>探访记录</translation>
    </message>
    <message>
        <source>Children in hardship</source>
        <translation>困境儿童</translation>
    </message>
    <message>
        <source>Child visits</source>
        <translation>儿童探访</translation>
    </message>
    <message>
        <source>Preferential care</source>
        <translation>优抚对象</translation>
    </message>
    <message>
        <source>Preferential-care visits</source>
        <translation>优抚走访慰问</translation>
    </message>
    <message>
        <source>Ping&apos;antong calls</source>
        <translation>平安通呼叫</translation>
    </message>
    <message>
        <source>Care-home waiting list</source>
        <translation>入住轮候名单</translation>
    </message>
    <message>
        <source>Elder visits</source>
        <translation>老人探访</translation>
    </message>
    <message numerus="yes">
        <source>%n elder(s) due, listed by due date, the most overdue first</source>
        <translation>
            <numerusform>共 %n 位老人到期待访，按到期日排列，逾期最久的在前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Household</source>
        <extracomment>the role whose sign-offs are listed (None: a workspace holding every role)</extracomment>
        <translation>家庭</translation>
    </message>
    <message>
        <source>Step waiting</source>
        <translation>待办环节</translation>
    </message>
    <message>
        <source>Submitted by</source>
        <translation>提交人</translation>
    </message>
    <message>
        <source>Submitted at</source>
        <translation>提交时间</translation>
    </message>
</context>
<context>
    <name>WorkflowBar</name>
    <message>
        <source>Next step:</source>
        <extracomment>target state</extracomment>
        <translation>办理：</translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <source>No password (figures only, no personal data)</source>
        <translation>不设密码（仅统计数字，不含个人信息）</translation>
    </message>
</context>
<context>
    <name>self.page</name>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
</TS>
