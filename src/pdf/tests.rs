use super::*;
use std::io::Write;

/// An executable shell script at `dir/name` running `body`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    let mut f = fs::File::create(&p).unwrap();
    writeln!(f, "#!/bin/sh\n{body}").unwrap();
    drop(f);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    p
}

/// A minimal PDF shaped like Chromium's: the info dictionary first, the
/// trailer naming it last.
fn chromium_like(date: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj\n<</Title (T)\n/CreationDate ({date})\n/ModDate ({date})>>\nendobj\n\
         2 0 obj\n<</Length 3>> stream\n/ModDate (x)\nendstream\nendobj\n\
         trailer\n<</Size 3\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n0\n%%EOF\n"
    )
    .into_bytes()
}

#[test]
fn pdf_dates_are_civil_utc() {
    assert_eq!(pdf_date(0), "D:19700101000000+00'00'");
    // 2026-11-28 00:00:00 UTC, and a leap day.
    assert_eq!(pdf_date(1_795_824_000), "D:20261128000000+00'00'");
    assert_eq!(pdf_date(951_782_400 + 3_661), "D:20000229010101+00'00'");
    assert_eq!(pdf_date(-1), "D:19691231235959+00'00'");
}

#[test]
fn dates_are_rewritten_in_place_keeping_every_offset() {
    let mut pdf = chromium_like("D:20261129050848+00'00'");
    let len = pdf.len();
    let stream_at = find(&pdf, b"stream\n/ModDate").unwrap();
    reproducible_dates(&mut pdf, Some(0));
    let text = String::from_utf8(pdf.clone()).unwrap();
    assert_eq!(pdf.len(), len);
    assert_eq!(text.matches("(D:19700101000000+00'00')").count(), 2, "{text}");
    assert!(!text.contains("2026"), "{text}");
    // Only the info dictionary changes: the stream's bytes stay as they were.
    assert_eq!(find(&pdf, b"stream\n/ModDate (x)"), Some(stream_at));
}

#[test]
fn without_an_epoch_the_dates_are_dropped() {
    let mut a = chromium_like("D:20261129050848+00'00'");
    let mut b = chromium_like("D:20250101120000+00'00'");
    let len = a.len();
    reproducible_dates(&mut a, None);
    reproducible_dates(&mut b, None);
    assert_eq!(a, b);
    assert_eq!(a.len(), len);
    let text = String::from_utf8(a).unwrap();
    assert!(
        !text.contains("/CreationDate") && text.contains("/ModDate (x)"),
        "{text}"
    );
    assert!(text.contains("<</Title (T)\n"), "{text}");
}

#[test]
fn a_stamp_longer_than_the_value_drops_the_entry() {
    let mut pdf = chromium_like("D:2026");
    reproducible_dates(&mut pdf, Some(0));
    let text = String::from_utf8(pdf).unwrap();
    assert!(!text.contains("/CreationDate") && !text.contains("D:1970"), "{text}");
}

#[test]
fn a_pdf_without_an_info_dictionary_is_left_alone() {
    let mut pdf = b"%PDF-1.4\n/CreationDate (D:20261129050848+00'00')\n%%EOF\n".to_vec();
    let before = pdf.clone();
    reproducible_dates(&mut pdf, Some(0));
    assert_eq!(pdf, before);
}

#[test]
fn explicit_browser_wins_over_env_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let a = script(dir.path(), "a", "exit 0");
    let b = script(dir.path(), "b", "exit 0");
    script(dir.path(), "chromium", "exit 0");
    let path = dir.path().as_os_str();
    assert_eq!(
        find_browser_in(Some(&a), Some(b.clone().into()), Some(path)).unwrap(),
        a
    );
    assert_eq!(find_browser_in(None, Some(b.clone().into()), Some(path)).unwrap(), b);
    // An empty variable counts as unset.
    assert_eq!(
        find_browser_in(None, Some(OsString::new()), Some(path)).unwrap(),
        dir.path().join("chromium")
    );
    // A bare name is looked up on PATH.
    assert_eq!(find_browser_in(Some(Path::new("a")), None, Some(path)).unwrap(), a);
}

#[test]
fn path_lookup_follows_the_candidate_order_and_skips_non_executables() {
    let dir = tempfile::tempdir().unwrap();
    let first = tempfile::tempdir().unwrap();
    fs::write(first.path().join("chromium"), "not executable").unwrap();
    let chrome = script(dir.path(), "google-chrome", "exit 0");
    script(dir.path(), "google-chrome-stable", "exit 0");
    let path = std::env::join_paths([first.path(), dir.path()]).unwrap();
    assert_eq!(find_browser_in(None, None, Some(&path)).unwrap(), chrome);
}

#[test]
fn no_browser_names_the_package_to_install() {
    let empty = tempfile::tempdir().unwrap();
    let d = find_browser_in(None, None, Some(empty.path().as_os_str())).unwrap_err();
    assert!(d.is_error());
    assert!(d.message.contains("no Chromium or Chrome found"), "{}", d.message);
    assert!(d.hint.contains("apt-get install chromium"), "{}", d.hint);
    assert!(d.hint.contains("--browser"), "{}", d.hint);

    let missing = empty.path().join("nope");
    let d = find_browser_in(Some(&missing), None, None).unwrap_err();
    assert!(
        d.message.contains("nope") && d.message.contains("--browser"),
        "{}",
        d.message
    );
    let d = find_browser_in(None, Some(missing.clone().into()), None).unwrap_err();
    assert!(d.message.contains(ENV_BROWSER), "{}", d.message);
}

/// A stand-in browser that copies `content` to its `--print-to-pdf=` file
/// after running `extra`. `content` lives outside `dir`, which holds only the
/// script.
fn fake_browser(dir: &Path, content: &str, extra: &str) -> (PathBuf, tempfile::TempDir) {
    let store = tempfile::tempdir().unwrap();
    let src = store.path().join("content");
    fs::write(&src, content).unwrap();
    let browser = script(
        dir,
        "fake-chromium",
        &format!(
            "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${{a#--print-to-pdf=}}\";; esac; done\n\
             {extra}\ncat '{}' > \"$out\"",
            src.display()
        ),
    );
    (browser, store)
}

#[test]
fn print_moves_a_complete_pdf_into_place_with_fixed_dates() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("index.html");
    fs::write(&html, "<title>x</title>").unwrap();
    let pdf = String::from_utf8(chromium_like("D:20261129050848+00'00'")).unwrap();
    let (browser, _store) = fake_browser(dir.path(), &pdf, "");
    let out = dir.path().join("report.pdf");
    print(&browser, &html, &out).unwrap();
    let got = fs::read_to_string(&out).unwrap();
    assert_eq!(got.len(), pdf.len());
    assert!(!got.contains("20261129"), "{got}");
    // No temporary file is left beside it.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn a_browser_that_writes_no_pdf_fails_and_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("index.html");
    fs::write(&html, "").unwrap();
    let out = dir.path().join("report.pdf");
    fs::write(&out, "old").unwrap();
    let (browser, _store) = fake_browser(dir.path(), "<html>", "echo 'GPU process exploded' >&2; exit 3");
    let d = print(&browser, &html, &out).unwrap_err();
    assert!(
        d.message.contains("failed") && d.message.contains("GPU process exploded"),
        "{}",
        d.message
    );
    assert_eq!(d.loc.file, out.display().to_string());
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[test]
fn a_hung_browser_is_killed_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("index.html");
    fs::write(&html, "").unwrap();
    let out = dir.path().join("report.pdf");
    let (browser, _store) = fake_browser(dir.path(), "%PDF-", "exec sleep 30");
    let start = Instant::now();
    let d = print_with(&browser, &html, &out, Duration::from_millis(300)).unwrap_err();
    assert!(d.message.contains("did not finish"), "{}", d.message);
    // Killed, not waited for: far less than the 30 s the stand-in sleeps.
    assert!(start.elapsed() < Duration::from_secs(15));
    assert!(!out.exists());
}

#[test]
fn the_command_line_is_headless_isolated_and_offline() {
    let args: Vec<String> = browser_args(Path::new("/tmp/p"), Path::new("/o/r.pdf"))
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
        "--user-data-dir=/tmp/p",
        "--print-to-pdf=/o/r.pdf",
    ] {
        assert!(args.iter().any(|a| a == flag), "missing {flag} in {args:?}");
    }
}

#[test]
fn node_ids_become_ranks_of_the_same_width() {
    let run = |ids: [u32; 4]| {
        let mut pdf = format!(
            "/ID (node{:08})\n/ID (node{:08})\n/Headers [(node{:08})]\n/Names [(node{:08}) 7 0 R]\n(node12) (nodes) (node99x)",
            ids[0], ids[1], ids[2], ids[3]
        )
        .into_bytes();
        renumber_node_ids(&mut pdf);
        String::from_utf8(pdf).unwrap()
    };
    // Two runs whose DOM numbering shifted, order kept: the same bytes.
    let a = run([287, 288, 287, 291]);
    assert_eq!(a, run([289, 290, 289, 293]));
    assert!(
        a.starts_with(
            "/ID (node00000001)\n/ID (node00000002)\n/Headers [(node00000001)]\n/Names [(node00000003) 7 0 R]"
        ),
        "{a}"
    );
    // A short id is ranked with the rest (first, as the smallest); text that
    // only looks similar is kept.
    assert!(a.ends_with("(node00) (nodes) (node99x)"), "{a}");
}

#[test]
fn rewriting_is_linear_in_the_file_size() {
    // n and 10·n structure ids in an n-sized and 10·n-sized file: a linear
    // pass takes about 10× as long, a quadratic one 100×.
    let file = |n: u32| {
        let mut s = String::from("%PDF-1.4\n1 0 obj\n<</CreationDate (D:20261129050848+00'00')>>\nendobj\n");
        for i in 0..n {
            s.push_str(&format!(
                "{i} 0 obj <</S /P /ID (node{:08})>> endobj\n",
                (i * 7919) % 99_999_989
            ));
        }
        s.push_str("trailer <</Info 1 0 R>>\n");
        s.into_bytes()
    };
    let rewrite = |n: u32| {
        let pdf = file(n);
        move || {
            let mut pdf = pdf.clone();
            reproducible_dates(&mut pdf, Some(0));
            renumber_node_ids(&mut pdf);
        }
    };
    let ratio = crate::scaling::time_ratio(rewrite(5_000), rewrite(50_000));
    assert!(ratio < 40.0, "10× the input took {ratio:.1}× as long");
}
