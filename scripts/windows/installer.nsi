; Saraban's per-user installer for Windows, made on Debian by NSIS (bash scripts/windows.sh
; package). No administrator rights: it installs into the user's own programs folder
; (%LOCALAPPDATA%\Programs\Saraban) the app, the command line, the letter font, a
; Start-menu entry and an uninstaller, which removes all of these and leaves the user's
; registers and drafts (in %APPDATA%) alone. /S installs and uninstalls silently.
;
; makensis -INPUTCHARSET UTF8 -DSTAGE=dir -DOUTFILE=setup.exe -DVERSION=x.y.z installer.nsi

; A 64-bit installer for the 64-bit app (and one Wine without its 32-bit half runs).
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define APP "Saraban"
!define APP_TH "สารบรรณ"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP} (${APP_TH}) ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
ShowInstDetails show
ShowUninstDetails show

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "Saraban"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${STAGE}\saraban.exe"
  File /nonfatal "${STAGE}\saraban-app.exe"
  SetOutPath "$INSTDIR\fonts"
  File "${STAGE}\fonts\Laksaman.ttf"
  File "${STAGE}\fonts\Laksaman-Bold.ttf"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP}"
  IfFileExists "$INSTDIR\saraban-app.exe" 0 +2
    CreateShortcut "$SMPROGRAMS\${APP}\${APP} (${APP_TH}).lnk" "$INSTDIR\saraban-app.exe"
  CreateShortcut "$SMPROGRAMS\${APP}\ถอนการติดตั้ง ${APP}.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP} (${APP_TH})"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "Saraban"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\saraban.exe"
  Delete "$INSTDIR\saraban-app.exe"
  Delete "$INSTDIR\fonts\Laksaman.ttf"
  Delete "$INSTDIR\fonts\Laksaman-Bold.ttf"
  RMDir "$INSTDIR\fonts"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}\${APP} (${APP_TH}).lnk"
  Delete "$SMPROGRAMS\${APP}\ถอนการติดตั้ง ${APP}.lnk"
  RMDir "$SMPROGRAMS\${APP}"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd
