//! The sidebar and breadcrumbs. A page's sidebar lists the top-level pages
//! and, along the branch that leads to the page, each level's pages, never
//! the whole tree: its size grows with the depth and breadth of one branch,
//! so the site's total size grows linearly with its page count, not with
//! its square.
//!
//! The tree nests by folder, or, when the book has an mdBook `SUMMARY.md`,
//! as the summary nests its chapters (the document's
//! [`Outline`](crate::model::Outline)), with its part titles as headings.
//! Either way a page's URL follows its folder; only the navigation differs.

use super::links::Urls;
use super::{LinkView, Page};
use crate::model::Outline;
use std::collections::HashMap;

/// A node of the page tree: a page, a folder without its own page, or a
/// part title.
struct Node {
    /// The page's or folder's path (empty for a part title).
    path: String,
    title: String,
    page: Option<usize>,
    /// The first page inside it, where a folder without a page links to.
    first: usize,
    children: Vec<usize>,
    /// The node holding it (the root is its own).
    parent: usize,
    /// Steps from the root (0 for the root).
    depth: usize,
    /// A part title: a heading in the sidebar, not a link.
    part: bool,
}

/// The pages as a tree of folders, or of the summary's chapters, in
/// reading order.
pub struct Tree {
    nodes: Vec<Node>,
    /// The node of each page.
    node_of: Vec<usize>,
    /// The home page (the one at the edition's root), first in breadcrumbs.
    home: Option<usize>,
}

/// What `aria-current` adds to the current page's link.
const CURRENT: &str = " aria-current=\"page\"";

/// The sidebar shared by a group of pages, without `aria-current`.
struct Fragment {
    html: String,
    /// (page, offset just after its link's `href="…"`), sorted by page.
    marks: Vec<(usize, usize)>,
}

/// Every page's sidebar. Pages in one folder share all of it but the mark
/// on the current page, so it is rendered once per folder and depth, not
/// once per page: the work grows with the folders, the copying with the
/// pages.
pub(crate) struct Sidebars {
    frags: Vec<Fragment>,
    of_page: Vec<usize>,
}

impl Sidebars {
    /// The sidebar of page `i` as trusted HTML.
    pub(crate) fn get(&self, i: usize) -> String {
        let f = &self.frags[self.of_page[i]];
        match f.marks.binary_search_by_key(&i, |m| m.0) {
            Ok(k) => {
                let at = f.marks[k].1;
                let mut out = String::with_capacity(f.html.len() + CURRENT.len());
                out.push_str(&f.html[..at]);
                out.push_str(CURRENT);
                out.push_str(&f.html[at..]);
                out
            }
            Err(_) => f.html.clone(),
        }
    }
}

/// A folder name as a title: `getting-started` → "Getting started".
fn folder_title(name: &str) -> String {
    let s = name.replace(['-', '_'], " ");
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The tree's root: a folder without a page, holding the top level.
fn root() -> Node {
    Node::new(String::new(), String::new(), None, 0, 0)
}

impl Node {
    /// A node under `parent`, not yet attached (see [`attach`]).
    fn new(path: String, title: String, page: Option<usize>, first: usize, parent: usize) -> Node {
        Node {
            path,
            title,
            page,
            first,
            children: Vec::new(),
            parent,
            depth: 0,
            part: false,
        }
    }
}

/// Adds `node` to the tree as the last child of its parent, one level
/// below it; returns its index.
fn attach(nodes: &mut Vec<Node>, mut node: Node) -> usize {
    let parent = node.parent;
    node.depth = nodes[parent].depth + 1;
    nodes.push(node);
    let n = nodes.len() - 1;
    nodes[parent].children.push(n);
    n
}

impl Tree {
    /// Builds the tree from the summary's nesting when there is an
    /// outline, from the pages' folders otherwise.
    pub(crate) fn new(pages: &[Page], outline: Option<&Outline>) -> Tree {
        match outline {
            Some(o) => Tree::from_outline(pages, o),
            None => Tree::by_folder(pages),
        }
    }

    /// Builds the tree from the pages' paths.
    fn by_folder(pages: &[Page]) -> Tree {
        let mut nodes = vec![root()];
        let mut at: HashMap<String, usize> = HashMap::new();
        at.insert(String::new(), 0);
        let mut node_of = Vec::with_capacity(pages.len());
        for (i, p) in pages.iter().enumerate() {
            let mut parent = 0;
            let mut prefix = String::new();
            for part in p.path.split('/').filter(|s| !s.is_empty()) {
                prefix.push_str(part);
                prefix.push('/');
                let n = match at.get(&prefix) {
                    Some(&n) => n,
                    None => {
                        let folder = Node::new(prefix.clone(), folder_title(part), None, i, parent);
                        let n = attach(&mut nodes, folder);
                        at.insert(prefix.clone(), n);
                        n
                    }
                };
                parent = n;
            }
            nodes[parent].page = Some(i);
            nodes[parent].title = p.title.clone();
            node_of.push(parent);
        }
        let home = nodes[0].page;
        Tree { nodes, node_of, home }
    }

    /// Builds the tree from the summary's nesting: a node per page under
    /// its summary parent (the pages after the outline's sections, such as
    /// Sources, at the top level), and the part titles at the top level
    /// before the page each heads. The home page is wherever the summary
    /// puts it. Linear: each page's parent is an earlier page.
    fn from_outline(pages: &[Page], outline: &Outline) -> Tree {
        let mut nodes = vec![root()];
        let mut node_of: Vec<usize> = Vec::with_capacity(pages.len());
        let mut parts = outline.parts.iter().peekable();
        for (i, p) in pages.iter().enumerate() {
            while let Some((_, title)) = parts.next_if(|(at, _)| *at <= i) {
                let mut heading = Node::new(String::new(), title.clone(), None, i, 0);
                heading.part = true;
                attach(&mut nodes, heading);
            }
            // Only an earlier page can hold it, so the tree has no cycle
            // whatever the outline says.
            let parent = match outline.parents.get(i).copied().flatten() {
                Some(q) if q < i => node_of[q],
                _ => 0,
            };
            let n = attach(
                &mut nodes,
                Node::new(p.path.clone(), p.title.clone(), Some(i), i, parent),
            );
            node_of.push(n);
        }
        let home = pages.iter().position(|p| p.path.is_empty());
        Tree { nodes, node_of, home }
    }

    /// The nodes from the root's child down to `n` (none for the root),
    /// indexed by depth minus one: a node is on the branch when it is
    /// `branch[depth - 1]`.
    fn branch(&self, mut n: usize) -> Vec<usize> {
        let mut out = vec![0; self.nodes[n].depth];
        while n != 0 {
            out[self.nodes[n].depth - 1] = n;
            n = self.nodes[n].parent;
        }
        out
    }

    /// Every page's sidebar: the top-level pages and, along the branch to
    /// the page, each level's pages.
    pub(crate) fn sidebars(&self, pages: &[Page], urls: &Urls) -> Sidebars {
        // A page's sidebar opens the folders leading to it (and the page's
        // own, when it has pages under it); its links depend only on how
        // deep the page is.
        let mut keys: HashMap<(usize, usize), usize> = HashMap::new();
        let mut groups: Vec<(usize, String)> = Vec::new();
        let of_page = pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = self.node_of[i];
                let open = if self.nodes[n].children.is_empty() {
                    self.nodes[n].parent
                } else {
                    n
                };
                let from = urls.full(&p.path);
                *keys.entry((open, from.matches('/').count())).or_insert_with(|| {
                    groups.push((open, from));
                    groups.len() - 1
                })
            })
            .collect();
        use rayon::prelude::*;
        let frags = groups
            .par_iter()
            .map(|(open, from)| {
                let mut f = Fragment {
                    html: String::from("<ul>"),
                    marks: Vec::new(),
                };
                if self.nodes[0].page.is_some() {
                    self.item(0, pages, from, urls, &mut f);
                    f.html.push_str("</li>");
                }
                self.children(0, &self.branch(*open), pages, from, urls, &mut f);
                f.html.push_str("</ul>");
                f.marks.sort_unstable();
                f
            })
            .collect();
        Sidebars { frags, of_page }
    }

    /// The entries under `n`, opening those on `branch` (see [`Tree::branch`]).
    fn children(&self, n: usize, branch: &[usize], pages: &[Page], from: &str, urls: &Urls, f: &mut Fragment) {
        for &c in &self.nodes[n].children {
            let node = &self.nodes[c];
            if node.part {
                f.html.push_str("<li class=\"part-title\">");
                f.html.push_str(&html_escape::encode_text(&node.title));
                f.html.push_str("</li>");
                continue;
            }
            self.item(c, pages, from, urls, f);
            if !node.children.is_empty() {
                if branch.get(node.depth - 1) == Some(&c) {
                    f.html.push_str("<ul>");
                    self.children(c, branch, pages, from, urls, f);
                    f.html.push_str("</ul>");
                } else {
                    f.html.push_str("<span class=\"more\"></span>");
                }
            }
            f.html.push_str("</li>");
        }
    }

    fn item(&self, n: usize, pages: &[Page], from: &str, urls: &Urls, f: &mut Fragment) {
        let node = &self.nodes[n];
        let p = node.page.unwrap_or(node.first);
        let href = urls.href(from, &urls.full(&pages[p].path));
        f.html.push_str("<li><a href=\"");
        f.html.push_str(&html_escape::encode_double_quoted_attribute(&href));
        f.html.push('"');
        if let Some(p) = node.page {
            f.marks.push((p, f.html.len()));
        }
        f.html.push('>');
        f.html.push_str(&html_escape::encode_text(&node.title));
        f.html.push_str("</a>");
    }

    /// The ancestors of page `current` (home first), for nested pages only.
    pub(crate) fn breadcrumbs(&self, pages: &[Page], current: usize, urls: &Urls) -> Vec<LinkView> {
        let n = self.node_of[current];
        let mut up = self.nodes[n].parent;
        if up == 0 {
            return Vec::new();
        }
        let from = urls.full(&pages[current].path);
        let mut out = Vec::new();
        while up != 0 {
            let node = &self.nodes[up];
            // The home page leads the trail already.
            if node.page.is_none() || node.page != self.home {
                out.push(LinkView {
                    title: node.title.clone(),
                    href: node
                        .page
                        .map_or(String::new(), |_| urls.href(&from, &urls.full(&node.path))),
                });
            }
            up = node.parent;
        }
        if let Some(h) = self.home {
            out.push(LinkView {
                title: pages[h].title.clone(),
                href: urls.href(&from, &urls.full("")),
            });
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn pages(paths: &[String]) -> Vec<Page> {
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| Page {
                sec: Some(i),
                path: p.clone(),
                title: format!("T{i}"),
                ids: BTreeSet::new(),
                toc: Vec::new(),
                localized: false,
                links: BTreeMap::new(),
            })
            .collect()
    }

    fn urls() -> Urls {
        Urls {
            base_url: String::new(),
            dir: String::new(),
        }
    }

    /// The link texts of `html` with `aria-current` marked by a `*`, and
    /// the part titles in brackets, in order, with `(` and `)` for each
    /// opened list.
    fn outline_of(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            let e = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
            let tag = &rest[i..e];
            let text_end = rest[e..].find('<').map_or(rest.len(), |t| e + t);
            let text = &rest[e..text_end];
            if tag == "<ul>" {
                out.push('(');
            } else if tag == "</ul>" {
                out.push(')');
            } else if tag.starts_with("<a ") {
                out.push_str(text);
                if tag.contains("aria-current") {
                    out.push('*');
                }
                out.push(' ');
            } else if tag.contains("part-title") {
                out.push_str(&format!("[{text}] "));
            } else if tag.contains("more") {
                out.push_str("+ ");
            }
            rest = &rest[text_end..];
        }
        out
    }

    #[test]
    fn a_summary_nests_pages_across_folders_with_part_titles() {
        let paths: Vec<String> = ["", "guide/", "setup/", "ref/deep/", "ref/"].map(String::from).to_vec();
        let pages = pages(&paths);
        let outline = Outline {
            parents: vec![None, None, Some(1), Some(2), None],
            parts: vec![(4, "Reference".into())],
        };
        let tree = Tree::new(&pages, Some(&outline));
        let side = tree.sidebars(&pages, &urls());
        // `ref/deep/` sits under `setup/`, under the guide: that branch opens.
        assert_eq!(outline_of(&side.get(3)), "(T0 T1 (T2 (T3* ))[Reference] T4 )");
        // From the last page the guide's branch is folded.
        assert_eq!(outline_of(&side.get(4)), "(T0 T1 + [Reference] T4* )");
        let crumbs = |i| -> Vec<(String, String)> {
            tree.breadcrumbs(&pages, i, &urls())
                .into_iter()
                .map(|l| (l.title, l.href))
                .collect()
        };
        assert_eq!(
            crumbs(3),
            [
                ("T0".into(), "../../index.html".into()),
                ("T1".into(), "../../guide/index.html".into()),
                ("T2".into(), "../../setup/index.html".into()),
            ]
        );
        assert_eq!(crumbs(2).len(), 2);
        assert!(crumbs(4).is_empty(), "a top-level page has no trail");
        // The same pages by folder: `deep` under `ref`, no part title.
        let by_folder = Tree::new(&pages, None).sidebars(&pages, &urls());
        assert_eq!(outline_of(&by_folder.get(3)), "(T0 T1 T2 T4 (T3* ))");
    }

    /// Pages in one flat folder, nested by an outline ten to a level (a
    /// tree of depth log₁₀ n), with a part title every 30 pages at the top.
    fn book(n: usize) -> (Vec<Page>, Outline) {
        let paths: Vec<String> = (0..n).map(|i| format!("p{i}/")).collect();
        let outline = Outline {
            parents: (0..n).map(|i| (i >= 10).then(|| i / 10 - 1)).collect(),
            parts: (0..10).step_by(3).map(|i| (i, format!("Part {i}"))).collect(),
        };
        (pages(&paths), outline)
    }

    #[test]
    fn a_summary_tree_grows_linearly() {
        let (small, large) = (book(1000), book(10_000));
        let size = |(pages, outline): &(Vec<Page>, Outline)| -> usize {
            let tree = Tree::new(pages, Some(outline));
            let side = tree.sidebars(pages, &urls());
            (0..pages.len())
                .map(|i| side.get(i).len() + tree.breadcrumbs(pages, i, &urls()).len())
                .sum()
        };
        // Each page's sidebar holds the top level and its branch, ten a
        // level: one more level for 10× the pages, never every page.
        let bytes = size(&large) as f64 / size(&small) as f64;
        assert!(bytes < 16.0, "10× the pages gave {bytes:.1}× the sidebar bytes");
        let ratio = crate::scaling::time_ratio(
            || {
                size(&small);
            },
            || {
                size(&large);
            },
        );
        // n·log n is about 13, quadratic 100; a loaded machine pushes
        // linear work towards 25.
        assert!(ratio < 35.0, "10× the pages took {ratio:.1}× the time");
    }
}
