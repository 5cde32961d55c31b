; Inno Setup script: the Windows installer of Citizen Rights Desktop.
; Build the one-folder app first (pyinstaller build_installer.spec), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\CitizenRightsDesktop.iss
; Per-user install (no administrator rights), Persian and English set-up wizards, Start-menu and
; optional desktop shortcuts. Uninstalling removes the program only: reports, backups and logs in
; %LOCALAPPDATA%\CitizenRightsDesktop are the office's data and stay.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Citizen Rights Desktop"
#define AppNameFa "سامانه گزارش حقوق شهروندی"
#define DistDir "..\..\dist\CitizenRightsDesktop"

[Setup]
AppId={{6F1D2C8E-3B57-4C1E-9A7D-5E2B8C4A9F13}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Citizen Rights Desktop
DefaultDirName={localappdata}\Programs\CitizenRightsDesktop
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=CitizenRightsDesktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\CitizenRights.exe
; sign the installer and the executables when a code-signing certificate is available:
; SignTool=signtool sign /fd sha256 /tr http://timestamp.example /td sha256 $f

[Languages]
Name: "fa"; MessagesFile: "compiler:Languages\Farsi.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\{#AppNameFa}"; Filename: "{app}\CitizenRights.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppNameFa}"; Filename: "{app}\CitizenRights.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\citizen-rights.exe"; Parameters: "--self-check"; Flags: runhidden waituntilterminated; StatusMsg: "Checking the installation..."
Filename: "{app}\CitizenRights.exe"; Description: "{cm:LaunchProgram,{#AppNameFa}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the program itself wrote inside its folder; user data lives elsewhere and is kept
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
