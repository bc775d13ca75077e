; Inno Setup script: a per-user CaseApp installer for Windows 10/11 x64, no administrator rights.
;   iscc /DAppVersion=0.1.0 installer\windows\caseapp.iss
; Packs the one-folder bundle PyInstaller made from installer/caseapp.spec (build\dist\caseapp) into
; build\packages\caseapp-<version>-windows-x64-setup.exe. Installs into the user's own program folder
; ({userpf} = %LOCALAPPDATA%\Programs), with a Start-menu entry 个案通 for the windowed program and
; `caseapp` (the console one) for scripts. Workspaces live in the user's data folder and are never
; touched by install, upgrade or uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Root ".."

[Setup]
AppId={{6F0B7A52-3C1E-4B8E-9E59-2D2B6C3A9C11}
AppName=CaseApp 个案通
AppVersion={#AppVersion}
AppPublisher=CaseApp
DefaultDirName={userpf}\CaseApp
DefaultGroupName=个案通
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\..\build\packages
OutputBaseFilename=caseapp-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\..\build\caseapp.ico
UninstallDisplayIcon={app}\caseapp-gui.exe
LicenseFile={#Root}\..\LICENSE
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#Root}\..\build\dist\caseapp\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an upgrade replaces the program folder whole: no stale module from the previous version survives
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{userprograms}\个案通"; Filename: "{app}\caseapp-gui.exe"; Comment: "民政一线离线个案工作台"
Name: "{userdesktop}\个案通"; Filename: "{app}\caseapp-gui.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Run]
Filename: "{app}\caseapp-gui.exe"; Description: "{cm:LaunchProgram,个案通}"; Flags: nowait postinstall skipifsilent
