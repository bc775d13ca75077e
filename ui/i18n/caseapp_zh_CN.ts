<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppWindow</name>
    <message>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AssistanceState</name>
    <message>
        <source>Applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Economic verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Democratic appraisal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preliminary review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tapering off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Photos and scans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add photo or scan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add photo or scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images and scans (*.jpg *.jpeg *.png *.gif *.bmp *.pdf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictPanel</name>
    <message>
        <source>Keep mine</source>
        <extracomment>conflict id, keep (&quot;mine&quot; / &quot;theirs&quot; / &quot;&quot;), typed value (or None)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or type the right value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <source>Record</source>
        <extracomment>whether the value in force now (the server&apos;s default pick) is mine</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisasterStage</name>
    <message>
        <source>Initial report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final report</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>YYYY-MM-DD HH:MM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Entity</name>
    <message>
        <source>Household</source>
        <extracomment>What each record type is called, for dialog titles and the history view.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assistance case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Economic verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elder profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid event step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Social-work case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disaster report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation unit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <source>Head of household</source>
        <extracomment>caseapp.refdata dictionary for CHOICE and MULTI marked with an asterisk; the core decides what is really required</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Household register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main cause of hardship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bank account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relationship to head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marital status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Education</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disability type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disability grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disability card number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Employment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ability to work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type of income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly amount (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People it supports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of assistance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People covered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rural standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasons for the decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for leaving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New monthly amount (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigated at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigators (at least two)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Housing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor area (m²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registered owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Savings (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Securities (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Businesses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly expenses (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relatives obliged to support them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applicant signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigators signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent form reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Living arrangement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ability level (GB/T 42195)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entitlements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency contact phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency contact relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping&apos;antong device number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit every (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visited at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visitors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mood and mental state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety (gas, power, water)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hygiene and surroundings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Happened at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People involved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Party&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Party&apos;s ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Party&apos;s address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department handling it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ended at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Places checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client in this household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referred by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presenting problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for closing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client consented</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disaster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sub-type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People affected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Injured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needing urgent aid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct loss (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relief given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Narrative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <extracomment>Columns that are not form fields.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conclusion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent at</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Connecting to a server is not available in this version yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GridEventState</name>
    <message>
        <source>Reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved on the spot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluated</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GridPage</name>
    <message>
        <source>New grid event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New patrol log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New disaster report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid records</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HouseholdView</name>
    <message>
        <source>← All households</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New assistance case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New home investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New elder profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New grid event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New social-work case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assistance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elders and visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referrals and social work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HouseholdsModel</name>
    <message>
        <source>Head of household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found by</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message>
        <source>New household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Households and cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n household(s) found</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n household(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginBox</name>
    <message>
        <source>Connect</source>
        <extracomment>url, user, password</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainScreen</name>
    <message>
        <source>Demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a household: name, pinyin, ID number, phone or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock now (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: not connected to a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to sync</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModeStep</name>
    <message>
        <source>Connect to my organisation&apos;s server</source>
        <extracomment>the chosen mode; the flow reads the fields it needs</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work offline on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try a demo with made-up households</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fills this workspace with fictional households, elders and grid events, and starts a demo server on this computer so that syncing and conflicts can be tried too. Nothing leaves this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How will you work?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpenEventsModel</name>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent, awaiting reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New record</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Overview</name>
    <message>
        <source>Edit household</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphraseStep</name>
    <message>
        <source>For example 王小红</source>
        <extracomment>passphrase, name</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create your workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything you record is kept encrypted on this computer. Choose a passphrase that only you know: you will type it each time CaseApp is unlocked. A few words or a short sentence is easier to remember and harder to guess than a short password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This passphrase is one of the first an attacker would try. Add a few words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the workspace…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuickVisitDialog</name>
    <message>
        <source>Visit: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Edit: %1</source>
        <extracomment>the saved record&apos;s id</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryStep</name>
    <message>
        <source>I have written the recovery key down and will keep it safe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write down your recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the passphrase is ever forgotten, this key is the only way back into the workspace. Write it on paper now and keep the paper somewhere safe, away from this computer. It will not be shown again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReferralState</name>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReferralsPage</name>
    <message>
        <source>New referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewsDueModel</name>
    <message>
        <source>Household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assistance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review by</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after no activity for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation&apos;s CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SocialCaseState</name>
    <message>
        <source>Intake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intervention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referred out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StrengthMeter</name>
    <message>
        <source>Too easy to guess</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Very strong</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Sync is not available in this version yet.</source>
        <extracomment>stage (push / pull / attachments), items done so far ok, message (empty when ok)</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to the organisation&apos;s server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox: changes waiting for the server, and refused ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts: the same field changed on two devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the server</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending changes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving changes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading attachments: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to a server is not available in this version yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Elder visits due this week</source>
        <extracomment>the elder to visit (elder profile id)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assistance reviews due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open grid events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes not yet synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elder visits due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>CaseApp is locked</source>
        <extracomment>True when the recovery key was used (the user should choose a new passphrase)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your passphrase to open the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forgot the passphrase? Use the recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the recovery key you wrote down when the workspace was created. Afterwards you will choose a new passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the passphrase instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitsDueModel</name>
    <message>
        <source>Elder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>Record a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elder visits</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkflowBar</name>
    <message>
        <source>Move to:</source>
        <extracomment>target state</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
