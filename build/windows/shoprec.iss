; Inno Setup script for the ShopRec Windows installer (Inno Setup 6).
; Build the app first (pyinstaller build/shoprec.spec --noconfirm), then from the repository root:
;   iscc /DAppVersion=0.1.0 build\windows\shoprec.iss
; Installs per user by default (no administrator rights needed); the whole app, including the
; all-MiniLM-L6-v2 text model, is inside dist\ShopRec: nothing is downloaded at run time.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\ShopRec"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\installers"
#endif

[Setup]
AppId={{6F1D2C8A-5B7E-4C1F-9A3D-2E8B7C4D1A90}
AppName=ShopRec
AppVersion={#AppVersion}
AppVerName=ShopRec {#AppVersion}
AppPublisher=ShopRec team
AppComments=Offline recommendations for small shops
DefaultDirName={autopf}\ShopRec
DefaultGroupName=ShopRec
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=ShopRec-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
UninstallDisplayIcon={app}\ShopRec.exe
ChangesAssociations=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\ShopRec"; Filename: "{app}\ShopRec.exe"
Name: "{group}\ShopRec demo shop"; Filename: "{app}\shoprec.exe"; Parameters: "demo"
Name: "{group}\{cm:UninstallProgram,ShopRec}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\ShopRec"; Filename: "{app}\ShopRec.exe"; Tasks: desktopicon

[Registry]
; Double-clicking a .shoprec workspace opens it in ShopRec.
Root: HKA; Subkey: "Software\Classes\.shoprec"; ValueType: string; ValueName: ""; ValueData: "ShopRec.Workspace"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\ShopRec.Workspace"; ValueType: string; ValueName: ""; ValueData: "ShopRec workspace"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\ShopRec.Workspace\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\ShopRec.exe,0"
Root: HKA; Subkey: "Software\Classes\ShopRec.Workspace\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\ShopRec.exe"" ""%1"""

[Run]
Filename: "{app}\ShopRec.exe"; Description: "{cm:LaunchProgram,ShopRec}"; Flags: nowait postinstall skipifsilent
