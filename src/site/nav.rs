//! The sidebar and breadcrumbs. A page's sidebar lists the top-level pages
//! and, along the branch that leads to the page, each level's pages, never
//! the whole tree: its size grows with the depth and breadth of one branch,
//! so the site's total size grows linearly with its page count, not with
//! its square.

use super::links::Urls;
use super::{LinkView, Page};
use std::collections::HashMap;

/// A node of the page tree: a page, or a folder without its own page.
struct Node {
    path: String,
    title: String,
    page: Option<usize>,
    /// The first page inside it, where a folder without a page links to.
    first: usize,
    children: Vec<usize>,
}

/// The pages as a tree of folders, in reading order.
pub struct Tree {
    nodes: Vec<Node>,
    at: HashMap<String, usize>,
}

/// A folder name as a title: `getting-started` → "Getting started".
fn folder_title(name: &str) -> String {
    let s = name.replace(['-', '_'], " ");
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

impl Tree {
    /// Builds the tree from the pages' paths.
    pub(crate) fn new(pages: &[Page]) -> Tree {
        let mut nodes = vec![Node {
            path: String::new(),
            title: String::new(),
            page: None,
            first: 0,
            children: Vec::new(),
        }];
        let mut at: HashMap<String, usize> = HashMap::new();
        at.insert(String::new(), 0);
        for (i, p) in pages.iter().enumerate() {
            let mut parent = 0;
            let mut prefix = String::new();
            for part in p.path.split('/').filter(|s| !s.is_empty()) {
                prefix.push_str(part);
                prefix.push('/');
                let n = match at.get(&prefix) {
                    Some(&n) => n,
                    None => {
                        nodes.push(Node {
                            path: prefix.clone(),
                            title: folder_title(part),
                            page: None,
                            first: i,
                            children: Vec::new(),
                        });
                        let n = nodes.len() - 1;
                        nodes[parent].children.push(n);
                        at.insert(prefix.clone(), n);
                        n
                    }
                };
                parent = n;
            }
            nodes[parent].page = Some(i);
            nodes[parent].title = p.title.clone();
        }
        Tree { nodes, at }
    }

    /// The sidebar of page `current` as trusted HTML.
    pub(crate) fn sidebar(&self, pages: &[Page], current: usize, urls: &Urls) -> String {
        let from = urls.full(&pages[current].path);
        let mut out = String::from("<ul>");
        if let Some(home) = self.nodes[0].page {
            self.item(0, home == current, pages, &from, urls, &mut out);
            out.push_str("</li>");
        }
        self.children(0, pages, current, &from, urls, &mut out);
        out.push_str("</ul>");
        out
    }

    fn children(&self, n: usize, pages: &[Page], current: usize, from: &str, urls: &Urls, out: &mut String) {
        let cur_path = &pages[current].path;
        for &c in &self.nodes[n].children {
            let node = &self.nodes[c];
            self.item(c, node.page == Some(current), pages, from, urls, out);
            if !node.children.is_empty() {
                if cur_path.starts_with(&node.path) {
                    out.push_str("<ul>");
                    self.children(c, pages, current, from, urls, out);
                    out.push_str("</ul>");
                } else {
                    out.push_str("<span class=\"more\"></span>");
                }
            }
            out.push_str("</li>");
        }
    }

    fn item(&self, n: usize, is_current: bool, pages: &[Page], from: &str, urls: &Urls, out: &mut String) {
        let node = &self.nodes[n];
        let title = html_escape::encode_text(&node.title);
        out.push_str("<li>");
        let p = node.page.unwrap_or(node.first);
        let href = urls.href(from, &urls.full(&pages[p].path));
        let cur = if is_current { " aria-current=\"page\"" } else { "" };
        out.push_str(&format!(
            "<a href=\"{}\"{cur}>{title}</a>",
            html_escape::encode_double_quoted_attribute(&href)
        ));
    }

    /// The ancestors of page `current` (home first), for nested pages only.
    pub(crate) fn breadcrumbs(&self, pages: &[Page], current: usize, urls: &Urls) -> Vec<LinkView> {
        let path = &pages[current].path;
        if path.matches('/').count() < 2 {
            return Vec::new();
        }
        let from = urls.full(path);
        let mut out = Vec::new();
        if let Some(h) = self.nodes[0].page {
            out.push(LinkView {
                title: pages[h].title.clone(),
                href: urls.href(&from, &urls.full("")),
            });
        }
        let mut prefix = String::new();
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for part in &parts[..parts.len() - 1] {
            prefix.push_str(part);
            prefix.push('/');
            if let Some(node) = self.at.get(&prefix).map(|&n| &self.nodes[n]) {
                out.push(LinkView {
                    title: node.title.clone(),
                    href: node
                        .page
                        .map_or(String::new(), |_| urls.href(&from, &urls.full(&prefix))),
                });
            }
        }
        out
    }
}
