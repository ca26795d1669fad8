//! The app's command list, read once from `commands.rs`: every `#[tauri::command]`
//! function there is a command, and nothing else is.
//!
//! From that one list `build.rs` declares the commands to Tauri (the permissions
//! `allow-<command>` the capability may grant) and writes the handler that
//! `lib.rs` registers; the tests check that the capability grants exactly these, and that
//! `ui/src/lib/commands.ts` — the typed TypeScript callers the UI calls them through — is
//! what [`typescript`] makes of them now. A command renamed, added, removed or given
//! another argument changes the generated callers, and the UI's type check then fails
//! wherever a call no longer fits.
//!
//! This file is compiled twice: into `build.rs` (with `#[path]`) and into the app's
//! tests. It reads Rust source with a small parser made for `commands.rs`'s own
//! style (one `pub async fn` per command, arguments `name: Type`), and says so when it
//! meets anything else.

/// One command: its name and its arguments as the web view passes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// The Rust function's name, which is the command's name.
    pub name: String,
    /// Arguments the web view gives (state and app handles left out): Rust name, Rust type.
    pub args: Vec<(String, String)>,
    /// The Rust type inside `Answer<…>`.
    pub answer: String,
}

/// The commands of `source` (the text of `commands.rs`), in the order they are written.
pub fn commands(source: &str) -> Result<Vec<Command>, String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("#[tauri::command]") {
        rest = &rest[at + "#[tauri::command]".len()..];
        let fn_at = rest
            .find("pub async fn ")
            .ok_or("a #[tauri::command] without `pub async fn` after it")?;
        let sig = &rest[fn_at + "pub async fn ".len()..];
        let name_end = sig
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .ok_or("a command without a name")?;
        let name = sig[..name_end].to_string();
        let open = sig
            .find('(')
            .ok_or_else(|| format!("{name}: no argument list"))?;
        let close = matching(sig, open).ok_or_else(|| format!("{name}: unclosed argument list"))?;
        let mut args = Vec::new();
        for arg in split_top(&sig[open + 1..close]) {
            let arg = arg.trim();
            if arg.is_empty() {
                continue;
            }
            let (n, t) = arg
                .split_once(':')
                .ok_or_else(|| format!("{name}: argument `{arg}` is not `name: Type`"))?;
            let t = t.trim().to_string();
            if t.starts_with("State<") || t.starts_with("AppHandle<") {
                continue;
            }
            args.push((n.trim().to_string(), t));
        }
        let after = &sig[close + 1..];
        let body = after.find('{').ok_or_else(|| format!("{name}: no body"))?;
        let ret = after[..body].trim();
        let answer = ret
            .strip_prefix("->")
            .map(str::trim)
            .and_then(|r| r.strip_prefix("Answer<"))
            .and_then(|r| r.strip_suffix('>'))
            .ok_or_else(|| format!("{name}: commands answer `Answer<T>`, not `{ret}`"))?
            .trim()
            .to_string();
        out.push(Command { name, args, answer });
        rest = &sig[close..];
    }
    Ok(out)
}

/// The index of the bracket closing the one at `open`.
fn matching(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => {
                // `->` is not a closing bracket.
                if c == '>' && s[..open + i].ends_with('-') {
                    continue;
                }
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `s` split at its commas outside brackets.
fn split_top(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// `snake_case` as the web view names it (`anyDate`): Tauri's default for arguments.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The TypeScript type of a Rust type that crosses the IPC (the types of `bindings.ts`
/// keep their names).
pub fn ts_type(rust: &str) -> Result<String, String> {
    let t = rust.trim();
    let inner = |prefix: &str| {
        t.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix('>'))
            .map(str::trim)
    };
    Ok(match t {
        "String" | "&str" => "string".into(),
        "bool" => "boolean".into(),
        "u8" | "i32" | "i64" | "u32" | "u64" | "usize" | "f32" | "f64" => "number".into(),
        "()" => "null".into(),
        "Response" => "ArrayBuffer".into(),
        _ => {
            if let Some(i) = inner("Option<") {
                format!("{} | null", ts_type(i)?)
            } else if let Some(i) = inner("Vec<") {
                let t = ts_type(i)?;
                if t.contains(' ') {
                    format!("({t})[]")
                } else {
                    format!("{t}[]")
                }
            } else if t.chars().all(|c| c.is_ascii_alphanumeric())
                && t.starts_with(char::is_uppercase)
            {
                t.to_string()
            } else {
                return Err(format!(
                    "no TypeScript type for `{t}`: add it to ipc::ts_type"
                ));
            }
        }
    })
}

/// The type a channel argument carries (`tauri::ipc::Channel<T>` → `T`).
fn channel(rust: &str) -> Option<&str> {
    rust.trim()
        .strip_prefix("tauri::ipc::Channel<")
        .or_else(|| rust.trim().strip_prefix("Channel<"))
        .and_then(|r| r.strip_suffix('>'))
}

/// `ui/src/lib/commands.ts`: a typed caller for every command.
pub fn typescript(commands: &[Command]) -> Result<String, String> {
    let mut types = std::collections::BTreeSet::new();
    let mut calls = String::new();
    for c in commands {
        let mut params = Vec::new();
        let mut passed = Vec::new();
        let mut setup = String::new();
        for (name, rust) in &c.args {
            let js = camel(name);
            if let Some(carried) = channel(rust) {
                let t = ts_type(carried)?;
                named_types(&t, &mut types);
                params.push(format!("{js}: (message: {t}) => void"));
                setup.push_str(&format!(
                    "    const {js}Channel = new Channel<{t}>();\n    {js}Channel.onmessage = {js};\n"
                ));
                passed.push(format!("{js}: {js}Channel"));
            } else {
                let t = ts_type(rust)?;
                named_types(&t, &mut types);
                params.push(format!("{js}: {t}"));
                passed.push(js);
            }
        }
        let answer = ts_type(&c.answer)?;
        named_types(&answer, &mut types);
        let args = if passed.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", passed.join(", "))
        };
        let call = format!("invoke<{answer}>(\"{}\"{args})", c.name);
        let js = camel(&c.name);
        let params = params.join(", ");
        if setup.is_empty() {
            calls.push_str(&format!(
                "  {js}: ({params}): Promise<{answer}> => {call},\n"
            ));
        } else {
            calls.push_str(&format!(
                "  {js}: ({params}): Promise<{answer}> => {{\n{setup}    return {call};\n  }},\n"
            ));
        }
    }
    let channel_import = if commands
        .iter()
        .any(|c| c.args.iter().any(|(_, t)| channel(t).is_some()))
    {
        "Channel, "
    } else {
        ""
    };
    let types: Vec<_> = types.into_iter().collect();
    Ok(format!(
        "// Generated from src-tauri/src/commands.rs (src-tauri/src/ipc.rs) by\n\
         // `SARABAN_WRITE_BINDINGS=1 cargo test -p saraban-app commands_ts`. Do not edit: change\n\
         // the command and generate again. The UI calls the commands through lib/api.ts.\n\
         import {{ {channel_import}invoke }} from \"@tauri-apps/api/core\";\n\
         import type {{ {} }} from \"./bindings\";\n\n\
         export const commands = {{\n{calls}}};\n",
        types.join(", ")
    ))
}

/// The names of `bindings.ts` types in a TypeScript type.
fn named_types(ts: &str, into: &mut std::collections::BTreeSet<String>) {
    for word in ts.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.starts_with(char::is_uppercase) && word != "ArrayBuffer" {
            into.insert(word.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_with_their_arguments_and_answers() {
        let src = r#"
/// Saves.
#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: Option<i64>,
    letter: Letter,
) -> Answer<i64> {
    on_office(&state, move |o| o.save_draft(id, &letter)).await
}

#[tauri::command]
pub async fn export_book<R: Runtime>(
    app: AppHandle<R>,
    year: i64,
    on_progress: tauri::ipc::Channel<BookProgress>,
) -> Answer<Option<String>> {
    todo!()
}
"#;
        let c = commands(src).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "save_draft");
        assert_eq!(
            c[0].args,
            vec![
                ("id".to_string(), "Option<i64>".to_string()),
                ("letter".to_string(), "Letter".to_string())
            ]
        );
        assert_eq!(c[1].answer, "Option<String>");
        let ts = typescript(&c).unwrap();
        assert!(ts.contains(
            r#"saveDraft: (id: number | null, letter: Letter): Promise<number> => invoke<number>("save_draft", { id, letter }),"#
        ), "{ts}");
        assert!(
            ts.contains("onProgress: (message: BookProgress) => void"),
            "{ts}"
        );
        assert!(
            ts.contains("import type { BookProgress, Letter } from \"./bindings\";"),
            "{ts}"
        );
        assert_eq!(camel("any_date"), "anyDate");
    }

    #[test]
    fn a_type_without_a_typescript_name_is_said() {
        assert!(ts_type("HashMap<String, i64>")
            .unwrap_err()
            .contains("ipc::ts_type"));
    }
}
