//! fsutil's answers on Windows, where a rename onto an open file fails, a folder cannot be
//! flushed, and file modes do not exist.
//!
//! - [`replace`]: `MoveFileExW` with `MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH`
//!   replaces the target in one step and returns once the rename is on the disk (Windows'
//!   answer to flushing the folder). A target another program holds open — the PDF still
//!   in a reader, the .docx in Word, a virus scanner's look — refuses to be replaced: it is
//!   tried again for about a second and a half, then the clerk is told to close it.
//! - [`private`]: a file for its user alone (POSIX 0600): an access-control list with one
//!   entry, the current user, full access, not inherited from the folder.

use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

use windows_sys::Win32::Foundation::{LocalFree, ERROR_SUCCESS, GENERIC_ALL, HANDLE};
use windows_sys::Win32::Security::Authorization::{
    GetNamedSecurityInfoW, SetEntriesInAclW, SetNamedSecurityInfoW, EXPLICIT_ACCESS_W,
    NO_MULTIPLE_TRUSTEE, SET_ACCESS, SE_FILE_OBJECT, TRUSTEE_IS_SID, TRUSTEE_IS_USER, TRUSTEE_W,
};
use windows_sys::Win32::Security::{
    AclSizeInformation, EqualSid, GetAce, GetAclInformation, GetSecurityDescriptorControl,
    GetTokenInformation, TokenUser, ACCESS_ALLOWED_ACE, ACL, ACL_SIZE_INFORMATION,
    DACL_SECURITY_INFORMATION, NO_INHERITANCE, PROTECTED_DACL_SECURITY_INFORMATION,
    SE_DACL_PROTECTED, TOKEN_QUERY, TOKEN_USER,
};
use windows_sys::Win32::Storage::FileSystem::{
    MoveFileExW, MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

/// Whether this is Wine rather than Windows (its ntdll says its version). Wine 8 accepts an
/// access-control list and forgets it (it keeps none on files), so what [`private`] does
/// can be seen only on Windows.
pub fn under_wine() -> bool {
    use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
    let ntdll: Vec<u16> = "ntdll.dll".encode_utf16().chain(Some(0)).collect();
    // SAFETY: a NUL-terminated name; ntdll is loaded in every process.
    unsafe {
        let h = GetModuleHandleW(ntdll.as_ptr());
        !h.is_null() && GetProcAddress(h, c"wine_get_version".as_ptr().cast()).is_some()
    }
}

fn wide(p: &Path) -> Vec<u16> {
    p.as_os_str().encode_wide().chain(Some(0)).collect()
}

/// ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: the file is held
/// open by another program (or being scanned).
pub(super) fn held_open(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Puts `from` in place of `to` in one step, on the disk when it returns.
pub(super) fn replace(from: &Path, to: &Path) -> std::io::Result<()> {
    let (f, t) = (wide(from), wide(to));
    let mut wait = 50;
    loop {
        // SAFETY: both are NUL-terminated wide strings that outlive the call.
        let ok = unsafe {
            MoveFileExW(
                f.as_ptr(),
                t.as_ptr(),
                MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH,
            )
        };
        if ok != 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if !held_open(&e) || wait > 800 {
            return Err(e);
        }
        std::thread::sleep(Duration::from_millis(wait));
        wait *= 2;
    }
}

/// The current user's SID, in the buffer that holds it.
struct UserSid {
    buf: Vec<u64>,
}

impl UserSid {
    fn current() -> std::io::Result<UserSid> {
        let mut token: HANDLE = std::ptr::null_mut();
        // SAFETY: out-pointers to locals; the token handle is closed below.
        unsafe {
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut len = 0u32;
            GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len);
            let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
            let ok = GetTokenInformation(
                token,
                TokenUser,
                buf.as_mut_ptr().cast(),
                (buf.len() * 8) as u32,
                &mut len,
            );
            windows_sys::Win32::Foundation::CloseHandle(token);
            if ok == 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(UserSid { buf })
        }
    }

    fn sid(&self) -> *mut core::ffi::c_void {
        // SAFETY: the buffer holds a TOKEN_USER written by GetTokenInformation.
        unsafe { (*(self.buf.as_ptr() as *const TOKEN_USER)).User.Sid }
    }
}

/// Makes `path` readable and writable by the current user alone.
pub(super) fn private(path: &Path) -> std::io::Result<()> {
    let user = UserSid::current()?;
    let access = EXPLICIT_ACCESS_W {
        grfAccessPermissions: GENERIC_ALL,
        grfAccessMode: SET_ACCESS,
        grfInheritance: NO_INHERITANCE,
        Trustee: TRUSTEE_W {
            pMultipleTrustee: std::ptr::null_mut(),
            MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
            TrusteeForm: TRUSTEE_IS_SID,
            TrusteeType: TRUSTEE_IS_USER,
            ptstrName: user.sid().cast(),
        },
    };
    let mut acl: *mut ACL = std::ptr::null_mut();
    let name = wide(path);
    // SAFETY: the ACL SetEntriesInAclW allocates is freed with LocalFree; the name is a
    // NUL-terminated wide string.
    unsafe {
        let e = SetEntriesInAclW(1, &access, std::ptr::null(), &mut acl);
        if e != ERROR_SUCCESS {
            return Err(std::io::Error::from_raw_os_error(e as i32));
        }
        let e = SetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            acl,
            std::ptr::null(),
        );
        LocalFree(acl.cast());
        if e != ERROR_SUCCESS {
            return Err(std::io::Error::from_raw_os_error(e as i32));
        }
    }
    Ok(())
}

/// Whether `path`'s access-control list is protected and names the current user alone.
pub fn is_private(path: &Path) -> std::io::Result<bool> {
    acl_of(path).map(|(protected, aces, user)| protected && aces == 1 && user)
}

/// What `path`'s access-control list says: protected, how many entries, and whether the
/// first names the current user.
pub fn acl_of(path: &Path) -> std::io::Result<(bool, u32, bool)> {
    let user = UserSid::current()?;
    let name = wide(path);
    let mut dacl: *mut ACL = std::ptr::null_mut();
    let mut sd: *mut core::ffi::c_void = std::ptr::null_mut();
    // SAFETY: out-pointers to locals; the security descriptor is freed with LocalFree.
    unsafe {
        let e = GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut dacl,
            std::ptr::null_mut(),
            &mut sd,
        );
        if e != ERROR_SUCCESS {
            return Err(std::io::Error::from_raw_os_error(e as i32));
        }
        let mut control = 0u16;
        let mut revision = 0u32;
        GetSecurityDescriptorControl(sd, &mut control, &mut revision);
        let mut info = ACL_SIZE_INFORMATION::default();
        let mut only_user = false;
        if !dacl.is_null()
            && GetAclInformation(
                dacl,
                (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
                std::mem::size_of::<ACL_SIZE_INFORMATION>() as u32,
                AclSizeInformation,
            ) != 0
            && info.AceCount >= 1
        {
            let mut ace: *mut core::ffi::c_void = std::ptr::null_mut();
            if GetAce(dacl, 0, &mut ace) != 0 {
                let ace = ace as *const ACCESS_ALLOWED_ACE;
                let sid = std::ptr::addr_of!((*ace).SidStart) as *mut core::ffi::c_void;
                only_user = EqualSid(sid, user.sid()) != 0;
            }
        }
        LocalFree(sd);
        Ok((control & SE_DACL_PROTECTED != 0, info.AceCount, only_user))
    }
}
