//! The small expression language of derived values and checks.
//!
//! `rmb / rate`, `between(cn.usd / us.usd, 1/4, 1/3)`, `approx(a + b, 100%, 0.01)`.
//! Parsing is separate from evaluation so a dataset can list an expression's
//! names (for dependency order and cycle detection) before any value exists.

use crate::units::{Dim, Quantity};

/// How deep parentheses, unary minus and function calls may nest. Real
/// formulas nest two or three levels; the limit keeps parsing and evaluation
/// (both recursive over nesting) far from the stack's end on any input.
pub const MAX_DEPTH: usize = 64;

/// The most tokens one expression may have. A formula is a line of a dataset;
/// this bounds the work of a pathological one while leaving room for a sum
/// of many thousand terms (chains are flat lists, so their length costs no stack).
pub const MAX_TOKENS: usize = 1_000_000;

/// A parsed expression.
///
/// Chains of the same precedence (`a + b - c`, `a * b / c`, `a and b and c`)
/// are flat lists rather than nested pairs, so a long sum is a wide tree, not
/// a deep one, and its evaluation never recurses per term.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal; `100%` is 1.0.
    Num(f64),
    /// A dotted name such as `capex.us.usd`.
    Name(String),
    /// `-x`.
    Neg(Box<Expr>),
    /// `a + b - c` or `a * b / c`: the first operand, then each further
    /// operand with its operator (`+ -` or `* /`, never mixed).
    Chain(Box<Expr>, Vec<(char, Expr)>),
    /// `a < b` and friends.
    Compare(&'static str, Box<Expr>, Box<Expr>),
    /// `a and b and …`.
    And(Vec<Expr>),
    /// `between(…)`, `approx(…)`, `sum(…)`, `min(…)`, `max(…)`, `abs(…)`.
    Call(String, Vec<Expr>),
}

/// What an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A number with a dimension.
    Q(Quantity),
    /// The result of a comparison or a check function.
    Bool(bool),
}

const FUNCTIONS: [&str; 6] = ["between", "approx", "sum", "min", "max", "abs"];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    Op(&'static str),
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if out.len() > MAX_TOKENS {
            return Err(format!(
                "the expression has more than {MAX_TOKENS} tokens; split it into derived values"
            ));
        }
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            let mut n: f64 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
            if chars.get(i) == Some(&'%') {
                n /= 100.0;
                i += 1;
            }
            out.push(Tok::Num(n));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            // A trailing `.` ends a sentence, not the name.
            while chars[i - 1] == '.' {
                i -= 1;
            }
            let name: String = chars[start..i].iter().collect();
            out.push(if name == "and" { Tok::Op("and") } else { Tok::Name(name) });
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = match two.as_str() {
                "<=" => Some("<="),
                ">=" => Some(">="),
                "==" => Some("=="),
                _ => None,
            };
            if let Some(op) = op {
                out.push(Tok::Op(op));
                i += 2;
                continue;
            }
            let op = match c {
                '+' => "+",
                '-' | '−' => "-",
                '*' | '×' => "*",
                '/' => "/",
                '(' => "(",
                ')' => ")",
                ',' => ",",
                '<' => "<",
                '>' => ">",
                _ => return Err(format!("unexpected `{c}` in expression")),
            };
            out.push(Tok::Op(op));
            i += 1;
        }
    }
    Ok(out)
}

/// Parses an expression; `Err` says what is wrong in words.
///
/// ```
/// use quire::expr::{parse, Val};
/// use quire::units::Quantity;
/// let e = parse("between(cn / us, 1/4, 1/3)").unwrap();
/// assert_eq!(e.names(), ["cn", "us"]);
/// let mut lookup = |n: &str| Ok(Quantity::number(if n == "cn" { 42.0 } else { 155.0 }));
/// assert_eq!(e.eval(&mut lookup), Ok(Val::Bool(true)));
/// ```
pub fn parse(s: &str) -> Result<Expr, String> {
    let toks = tokenize(s)?;
    let mut p = Parser { toks, pos: 0, depth: 0 };
    let e = p.and()?;
    if p.pos < p.toks.len() {
        return Err(format!(
            "unexpected `{}` after a complete expression",
            show(&p.toks[p.pos])
        ));
    }
    Ok(e)
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Num(n) => n.to_string(),
        Tok::Name(n) => n.clone(),
        Tok::Op(o) => o.to_string(),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Current nesting of parentheses, calls and unary minus.
    depth: usize,
}

impl Parser {
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected `{op}`"))
        }
    }

    /// Enters one level of nesting, refusing to go past [`MAX_DEPTH`].
    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the expression nests more than {MAX_DEPTH} levels deep; split it into derived values"
            ));
        }
        Ok(())
    }

    fn and(&mut self) -> Result<Expr, String> {
        let first = self.compare()?;
        if self.peek_op() != Some("and") {
            return Ok(first);
        }
        let mut all = vec![first];
        while self.peek_op() == Some("and") {
            self.pos += 1;
            all.push(self.compare()?);
        }
        Ok(Expr::And(all))
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let l = self.chain(&["+", "-"])?;
        match self.peek_op() {
            Some(op @ ("<" | "<=" | ">" | ">=" | "==")) => {
                self.pos += 1;
                Ok(Expr::Compare(op, Box::new(l), Box::new(self.chain(&["+", "-"])?)))
            }
            _ => Ok(l),
        }
    }

    /// A chain of `ops` (`+ -` or `* /`); sums are chains of products.
    fn chain(&mut self, ops: &[&str; 2]) -> Result<Expr, String> {
        let operand = |p: &mut Parser| {
            if ops[0] == "+" { p.chain(&["*", "/"]) } else { p.unary() }
        };
        let first = operand(self)?;
        let mut rest = Vec::new();
        while let Some(op) = self.peek_op().filter(|o| ops.contains(o)) {
            self.pos += 1;
            rest.push((op.chars().next().unwrap_or('+'), operand(self)?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr::Chain(Box::new(first), rest)
        })
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_op() == Some("-") {
            self.pos += 1;
            self.enter()?;
            let e = Expr::Neg(Box::new(self.unary()?));
            self.depth -= 1;
            return Ok(e);
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        let tok = self
            .toks
            .get(self.pos)
            .cloned()
            .ok_or("the expression ends too early")?;
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Op("(") => {
                self.enter()?;
                let e = self.and()?;
                self.expect(")")?;
                self.depth -= 1;
                Ok(e)
            }
            Tok::Name(name) if self.peek_op() == Some("(") => {
                if !FUNCTIONS.contains(&name.as_str()) {
                    return Err(format!("unknown function `{name}`; known: {}", FUNCTIONS.join(", ")));
                }
                self.pos += 1;
                self.enter()?;
                let mut args = Vec::new();
                if self.peek_op() != Some(")") {
                    args.push(self.and()?);
                    while self.peek_op() == Some(",") {
                        self.pos += 1;
                        args.push(self.and()?);
                    }
                }
                self.expect(")")?;
                self.depth -= 1;
                Ok(Expr::Call(name, args))
            }
            Tok::Name(name) => Ok(Expr::Name(name)),
            Tok::Op(o) => Err(format!("unexpected `{o}`")),
        }
    }
}

impl Expr {
    /// Every name the expression reads, in order of appearance.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Num(_) => {}
            Expr::Name(n) => out.push(n),
            Expr::Neg(e) => e.collect(out),
            Expr::Chain(first, rest) => {
                first.collect(out);
                rest.iter().for_each(|(_, e)| e.collect(out));
            }
            Expr::Compare(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::And(all) | Expr::Call(_, all) => all.iter().for_each(|a| a.collect(out)),
        }
    }

    /// Whether this is the literal `0` (or `0%`), which compares with and adds
    /// to a quantity of any unit: `total > 0` needs no unit.
    fn is_zero_literal(&self) -> bool {
        matches!(self, Expr::Num(n) if *n == 0.0)
    }

    /// Evaluates with `lookup` giving each name's value. Errors are sentences
    /// for the author: unit mismatches, division by zero, wrong argument kinds.
    pub fn eval(&self, lookup: &mut dyn FnMut(&str) -> Result<Quantity, String>) -> Result<Val, String> {
        Ok(match self {
            Expr::Num(n) => Val::Q(Quantity::number(*n)),
            Expr::Name(n) => Val::Q(lookup(n)?),
            Expr::Neg(e) => {
                let q = e.eval(lookup)?.quantity("`-`")?;
                Val::Q(Quantity {
                    value: -q.value,
                    dim: q.dim,
                })
            }
            Expr::Chain(first, rest) => {
                let mut acc = Operand::eval(first, lookup, "arithmetic")?;
                for (op, e) in rest {
                    let b = Operand::eval(e, lookup, "arithmetic")?;
                    acc = arith(*op, acc, b)?;
                }
                Val::Q(acc.q)
            }
            Expr::Compare(op, a, b) => {
                let a = Operand::eval(a, lookup, "a comparison")?;
                let b = Operand::eval(b, lookup, "a comparison")?;
                same_dim(&a, &b, &format!("compare with `{op}`"))?;
                let (a, b) = (a.q.value, b.q.value);
                Val::Bool(match *op {
                    "<" => a < b,
                    "<=" => a <= b,
                    ">" => a > b,
                    ">=" => a >= b,
                    _ => a == b,
                })
            }
            Expr::And(all) => {
                let mut ok = true;
                for e in all {
                    ok &= e.eval(lookup)?.boolean()?;
                }
                Val::Bool(ok)
            }
            Expr::Call(name, args) => call(name, args, lookup)?,
        })
    }
}

/// An evaluated operand, remembering whether it was the literal zero.
#[derive(Debug, Clone)]
struct Operand {
    q: Quantity,
    zero_literal: bool,
}

impl Operand {
    fn eval(
        e: &Expr,
        lookup: &mut dyn FnMut(&str) -> Result<Quantity, String>,
        context: &str,
    ) -> Result<Operand, String> {
        Ok(Operand {
            q: e.eval(lookup)?.quantity(context)?,
            zero_literal: e.is_zero_literal(),
        })
    }
}

impl Val {
    fn quantity(self, context: &str) -> Result<Quantity, String> {
        match self {
            Val::Q(q) => Ok(q),
            Val::Bool(_) => Err(format!("a true/false result cannot be used in {context}")),
        }
    }

    /// The truth of a check.
    pub fn boolean(self) -> Result<bool, String> {
        match self {
            Val::Bool(b) => Ok(b),
            Val::Q(_) => Err("a check must be a comparison or between(…)/approx(…), not a number".into()),
        }
    }
}

/// Two operands that must measure the same thing; a literal zero matches any unit.
fn same_dim(a: &Operand, b: &Operand, what: &str) -> Result<(), String> {
    if a.q.dim == b.q.dim || a.zero_literal || b.zero_literal {
        Ok(())
    } else {
        Err(format!(
            "unit mismatch: cannot {what} {} and {}; convert one side first (e.g. divide by an exchange rate)",
            a.q.dim, b.q.dim
        ))
    }
}

/// The unit of `a op b` for `+ - min max`: a literal zero takes the other side's.
fn joined_dim(a: &Operand, b: &Operand) -> Dim {
    if a.zero_literal {
        b.q.dim.clone()
    } else {
        a.q.dim.clone()
    }
}

fn arith(op: char, a: Operand, b: Operand) -> Result<Operand, String> {
    let q = match op {
        '+' | '-' => {
            same_dim(&a, &b, if op == '+' { "add" } else { "subtract" })?;
            let v = if op == '+' {
                a.q.value + b.q.value
            } else {
                a.q.value - b.q.value
            };
            // `0 + x` still takes x's unit, and stays a literal zero only if both were.
            return Ok(Operand {
                q: Quantity {
                    value: v,
                    dim: joined_dim(&a, &b),
                },
                zero_literal: a.zero_literal && b.zero_literal,
            });
        }
        '*' => Quantity {
            value: a.q.value * b.q.value,
            dim: a.q.dim.combine(&b.q.dim, false),
        },
        _ => {
            if b.q.value == 0.0 {
                return Err("division by zero".into());
            }
            Quantity {
                value: a.q.value / b.q.value,
                dim: a.q.dim.combine(&b.q.dim, true),
            }
        }
    };
    Ok(Operand { q, zero_literal: false })
}

fn call(name: &str, args: &[Expr], lookup: &mut dyn FnMut(&str) -> Result<Quantity, String>) -> Result<Val, String> {
    let mut qs = Vec::new();
    for a in args {
        qs.push(Operand::eval(a, lookup, &format!("`{name}(…)`"))?);
    }
    let arity = |n: usize| {
        if qs.len() == n {
            Ok(())
        } else {
            Err(format!("`{name}` takes {n} arguments, got {}", qs.len()))
        }
    };
    match name {
        "between" => {
            arity(3)?;
            same_dim(&qs[0], &qs[1], "compare")?;
            same_dim(&qs[0], &qs[2], "compare")?;
            same_dim(&qs[1], &qs[2], "compare")?;
            let v = |i: usize| qs[i].q.value;
            Ok(Val::Bool(v(1) <= v(0) && v(0) <= v(2)))
        }
        "approx" => {
            arity(3)?;
            same_dim(&qs[0], &qs[1], "compare")?;
            if !qs[2].q.dim.is_none() {
                return Err("approx's tolerance is a pure number, e.g. 0.05 for 5 %".into());
            }
            let (a, b) = (qs[0].q.value, qs[1].q.value);
            let scale = a.abs().max(b.abs());
            Ok(Val::Bool((a - b).abs() <= qs[2].q.value * scale))
        }
        "abs" => {
            arity(1)?;
            Ok(Val::Q(Quantity {
                value: qs[0].q.value.abs(),
                dim: qs[0].q.dim.clone(),
            }))
        }
        _ => {
            let mut acc = qs
                .first()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs at least one argument"))?;
            for q in &qs[1..] {
                same_dim(&acc, q, name)?;
                acc = Operand {
                    q: Quantity {
                        value: match name {
                            "sum" => acc.q.value + q.q.value,
                            "min" => acc.q.value.min(q.q.value),
                            _ => acc.q.value.max(q.q.value),
                        },
                        dim: joined_dim(&acc, q),
                    },
                    zero_literal: acc.zero_literal && q.zero_literal,
                };
            }
            Ok(Val::Q(acc.q))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(s: &str) -> Result<Val, String> {
        parse(s)?.eval(&mut |n| match n {
            "usd" => Ok(Quantity {
                value: 155e9,
                dim: Dim::base("USD"),
            }),
            "rmb" => Ok(Quantity {
                value: 1.1e12,
                dim: Dim::base("RMB"),
            }),
            "zero" => Ok(Quantity::number(0.0)),
            _ => Err(format!("unknown `{n}`")),
        })
    }

    #[test]
    fn precedence_and_percent() {
        assert_eq!(
            eval("100% - 83% - 12%").unwrap(),
            Val::Q(Quantity::number(1.0 - 0.83 - 0.12))
        );
        assert_eq!(eval("2 + 3 * 4").unwrap(), Val::Q(Quantity::number(14.0)));
        assert_eq!(eval("between(1/4 + 0.01, 1/4, 1/3)").unwrap(), Val::Bool(true));
    }

    #[test]
    fn units_are_enforced() {
        assert!(eval("usd + rmb").unwrap_err().contains("unit mismatch"));
        let rate = eval("rmb / usd").unwrap();
        assert!(
            matches!(rate, Val::Q(q) if (q.value - 7.0968).abs() < 1e-3 && q.dim == Dim::base("RMB").combine(&Dim::base("USD"), true))
        );
        assert!(eval("usd / zero").unwrap_err().contains("division by zero"));
    }

    #[test]
    fn names_and_errors() {
        assert_eq!(
            parse("capex.us.usd * allocation.cn.model").unwrap().names(),
            ["capex.us.usd", "allocation.cn.model"]
        );
        assert!(parse("1 +").is_err());
        assert!(parse("frobnicate(1)").unwrap_err().contains("unknown function"));
        assert!(eval("approx(usd, rmb, 0.1)").is_err());
    }

    #[test]
    fn a_literal_zero_matches_any_unit() {
        assert_eq!(eval("usd > 0").unwrap(), Val::Bool(true));
        assert_eq!(eval("0 < rmb and between(usd, 0, usd)").unwrap(), Val::Bool(true));
        let Val::Q(q) = eval("0 + usd - 0").unwrap() else {
            panic!("a number")
        };
        assert_eq!(q.dim, Dim::base("USD"));
        let Val::Q(q) = eval("sum(0, usd)").unwrap() else {
            panic!("a number")
        };
        assert_eq!(q.dim, Dim::base("USD"));
        // Only the literal: a computed zero keeps its unit.
        assert!(eval("usd > zero").unwrap_err().contains("unit mismatch"));
        assert!(eval("usd > 1").unwrap_err().contains("unit mismatch"));
    }

    #[test]
    fn nesting_is_limited_and_chains_are_flat() {
        let deep = format!("{}1{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().contains("nests more than"));
        let ok = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(parse(&ok).unwrap(), Expr::Num(1.0));
        assert!(parse(&"-".repeat(10_000)).unwrap_err().contains("nests more than"));
        let long = vec!["1"; 100_000].join(" + ");
        assert_eq!(eval(&long).unwrap(), Val::Q(Quantity::number(100_000.0)));
        let long_and = vec!["1 < 2"; 10_000].join(" and ");
        assert_eq!(eval(&long_and).unwrap(), Val::Bool(true));
    }
}
