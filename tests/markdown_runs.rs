//! Text runs that pulldown-cmark hands over in several pieces (split at
//! entities, `[`, escapes) are read whole by the Markdown pass, and their
//! diagnostics point at the author's text: the pass keeps a run of one piece
//! as the page's own text and joins the others, so both kinds are checked.

mod common;

use common::Fixture;

const FILE: &str = "content/sections/01-intro.md";

/// Appends `text` to the first section.
fn with_prose(text: &str) -> Fixture {
    let fx = Fixture::new();
    fx.write(FILE, &(fx.read(FILE) + text));
    fx
}

#[test]
fn escaped_braces_and_entities_in_one_run_come_out_as_written() {
    let fx = with_prose("\nCosts &amp; [plans] \\{{ kept }} and [a]-like `x`.\n\nPlain run {not a binding}.\n");
    fx.build(&[])
        .assert_code(0, "escaped braces, entities and brackets build");
    let html = fx.index_html();
    assert!(
        html.contains("Costs &amp; [plans] {{ kept }} and [a]-like <code>x</code>."),
        "{html}"
    );
    assert!(html.contains("Plain run {not a binding}."), "{html}");
}

#[test]
fn an_undefined_footnote_after_an_entity_is_located_at_itself() {
    // `&amp;` splits the run: the reference sits in a later piece.
    let fx = with_prose("\nResearch &amp; development [^gone] matter.\n");
    fx.expect_error(fx.pos(FILE, "[^gone]"), "has no definition");
}

#[test]
fn an_undefined_footnote_in_a_run_of_one_piece_is_located_at_itself() {
    let fx = with_prose("\nNothing splits this run before [^alone] here.\n");
    fx.expect_error(fx.pos(FILE, "[^alone]"), "has no definition");
}

#[test]
fn an_unclosed_binding_after_an_entity_is_located_at_its_braces() {
    let fx = with_prose("\nA &lt; b and {{ never closed\n");
    fx.expect_error(fx.pos(FILE, "{{ never"), "is not closed");
}
