; Inno Setup script for the ShopRec Windows installer (Inno Setup 6).
; Build the app first (pyinstaller build/shoprec.spec --noconfirm), then from the repository root:
;   iscc /DAppVersion=0.1.0 build\windows\shoprec.iss
; Signing (optional): define a sign tool named "shoprecsign" and pass its name, e.g.
;   iscc "/Sshoprecsign=signtool sign /f cert.pfx /p PASSWORD /fd sha256 /tr http://timestamp.digicert.com /td sha256 $f" /DSignTool=shoprecsign ...
; then the setup program and the uninstaller are signed (CI signs ShopRec.exe and shoprec-cli.exe first).
; Two programs: ShopRec.exe (the window) and shoprec-cli.exe (the command line; optionally on PATH).
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
ChangesEnvironment=yes
VersionInfoVersion={#AppVersion}
VersionInfoProductName=ShopRec
VersionInfoDescription=ShopRec setup
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the command line (shoprec-cli) to PATH"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\ShopRec"; Filename: "{app}\ShopRec.exe"
Name: "{group}\ShopRec demo shop"; Filename: "{app}\shoprec-cli.exe"; Parameters: "demo"
Name: "{group}\{cm:UninstallProgram,ShopRec}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\ShopRec"; Filename: "{app}\ShopRec.exe"; Tasks: desktopicon

[Registry]
; Double-clicking a .shoprec workspace opens it in ShopRec.
Root: HKA; Subkey: "Software\Classes\.shoprec"; ValueType: string; ValueName: ""; ValueData: "ShopRec.Workspace"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\ShopRec.Workspace"; ValueType: string; ValueName: ""; ValueData: "ShopRec workspace"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\ShopRec.Workspace\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\ShopRec.exe,0"
Root: HKA; Subkey: "Software\Classes\ShopRec.Workspace\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\ShopRec.exe"" ""%1"""
; The command line on the user's PATH (task "addtopath"); removed again on uninstall ([Code]).
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\ShopRec.exe"; Description: "{cm:LaunchProgram,ShopRec}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path, Dir: string;
  P: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    exit;
  Dir := ExpandConstant('{app}');
  P := Pos(';' + Uppercase(Dir), Uppercase(Path));
  if P > 0 then
  begin
    Delete(Path, P, Length(Dir) + 1);
    RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path);
  end;
end;
