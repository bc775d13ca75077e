<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AppWindow</name>
    <message numerus="yes">
        <source>%n change(s) made on this computer have not reached the server yet. They stay here, encrypted in this workspace, and are sent at the next sync after you unlock it again. Until then colleagues do not see them.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message numerus="yes">
        <source>%n chosen</source>
        <translation>
            <numerusform>%n chosen</numerusform>
            <numerusform>%n chosen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message numerus="yes">
        <source>%n household(s) found</source>
        <translation>
            <numerusform>%n household found</numerusform>
            <numerusform>%n households found</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n household(s)</source>
        <translation>
            <numerusform>%n household</numerusform>
            <numerusform>%n households</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ledger saved: %1 (%n row(s))</source>
        <translation>
            <numerusform>Ledger saved: %1 (%n row)</numerusform>
            <numerusform>Ledger saved: %1 (%n rows)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ListExportDialog</name>
    <message numerus="yes">
        <source>%n row(s), with the filters and order on screen</source>
        <translation>
            <numerusform>%n row, with the filters and order on screen</numerusform>
            <numerusform>%n rows, with the filters and order on screen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ListPanel</name>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved: %1 (%n row(s))</source>
        <translation>
            <numerusform>Saved: %1 (%n row)</numerusform>
            <numerusform>Saved: %1 (%n rows)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainScreen</name>
    <message numerus="yes">
        <source>%n change(s) waiting to sync</source>
        <translation>
            <numerusform>%n change waiting to sync</numerusform>
            <numerusform>%n changes waiting to sync</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message numerus="yes">
        <source>%n form(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n page(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QualityPage</name>
    <message numerus="yes">
        <source>%n problem(s) found, %1 to be corrected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReassessmentExportDialog</name>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReassessmentPanel</name>
    <message numerus="yes">
        <source>%n case(s) paid an amount other than the one computed under this standard</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved: %1 (%n row(s))</source>
        <translation type="unfinished">
            <numerusform>Saved: %1 (%n row)</numerusform>
            <numerusform>Saved: %1 (%n rows)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation>
            <numerusform>%n change</numerusform>
            <numerusform>%n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the server</source>
        <translation>
            <numerusform>%n refused by the server</numerusform>
            <numerusform>%n refused by the server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TasksModel</name>
    <message numerus="yes">
        <source>Overdue by %n day(s)</source>
        <translation>
            <numerusform>Overdue by %n day</numerusform>
            <numerusform>Overdue by %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>In %n day(s)</source>
        <translation>
            <numerusform>In %n day</numerusform>
            <numerusform>In %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message numerus="yes">
        <source>%n elder(s) due, listed by due date, the most overdue first</source>
        <translation>
            <numerusform>%n elder due, listed by due date, the most overdue first</numerusform>
            <numerusform>%n elders due, listed by due date, the most overdue first</numerusform>
        </translation>
    </message>
</context>
</TS>
