//! `render_both` gives exactly what `render` and `render_standalone` give
//! apart: one layout serves the page and the file that travels alone.

use super::tests::gallery;
use super::*;

#[test]
fn both_forms_from_one_layout_match_each_drawn_alone() {
    for (input, fmt) in gallery() {
        let (inline, file) = render_both(&input, &fmt, "USD bn", "Source: a report").unwrap();
        assert_eq!(inline, render(&input, &fmt).unwrap(), "inline form of {:?}", input.kind);
        let mut alone = input.clone();
        alone.unit_label = "USD bn".into();
        alone.source = "Source: a report".into();
        assert_eq!(
            file,
            render_standalone(&alone, &fmt).unwrap(),
            "file form of {:?}",
            input.kind
        );
        assert!(file.contains("Source: a report") && !inline.contains("Source: a report"));
    }
}
