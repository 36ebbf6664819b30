//! The small expression language of derived values and checks.
//!
//! `rmb / rate`, `between(cn.usd / us.usd, 1/4, 1/3)`, `approx(a + b, 100%, 0.01)`.
//! Parsing is separate from evaluation so a dataset can list an expression's
//! names (for dependency order and cycle detection) before any value exists.

use crate::units::{Dim, Quantity};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal; `100%` is 1.0.
    Num(f64),
    /// A dotted name such as `capex.us.usd`.
    Name(String),
    /// `-x`.
    Neg(Box<Expr>),
    /// `a + b`, `a - b`, `a * b`, `a / b`.
    Arith(char, Box<Expr>, Box<Expr>),
    /// `a < b` and friends.
    Compare(&'static str, Box<Expr>, Box<Expr>),
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
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
    let mut p = Parser { toks, pos: 0 };
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

    fn and(&mut self) -> Result<Expr, String> {
        let mut l = self.compare()?;
        while self.peek_op() == Some("and") {
            self.pos += 1;
            l = Expr::And(Box::new(l), Box::new(self.compare()?));
        }
        Ok(l)
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let l = self.sum()?;
        match self.peek_op() {
            Some(op @ ("<" | "<=" | ">" | ">=" | "==")) => {
                self.pos += 1;
                Ok(Expr::Compare(op, Box::new(l), Box::new(self.sum()?)))
            }
            _ => Ok(l),
        }
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut l = self.product()?;
        while let Some(op @ ("+" | "-")) = self.peek_op() {
            self.pos += 1;
            l = Expr::Arith(op.chars().next().unwrap_or('+'), Box::new(l), Box::new(self.product()?));
        }
        Ok(l)
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut l = self.unary()?;
        while let Some(op @ ("*" | "/")) = self.peek_op() {
            self.pos += 1;
            l = Expr::Arith(op.chars().next().unwrap_or('*'), Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_op() == Some("-") {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
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
                let e = self.and()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Name(name) if self.peek_op() == Some("(") => {
                if !FUNCTIONS.contains(&name.as_str()) {
                    return Err(format!("unknown function `{name}`; known: {}", FUNCTIONS.join(", ")));
                }
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek_op() != Some(")") {
                    args.push(self.and()?);
                    while self.peek_op() == Some(",") {
                        self.pos += 1;
                        args.push(self.and()?);
                    }
                }
                self.expect(")")?;
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
            Expr::Arith(_, a, b) | Expr::Compare(_, a, b) | Expr::And(a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect(out)),
        }
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
            Expr::Arith(op, a, b) => {
                let (a, b) = (
                    a.eval(lookup)?.quantity("arithmetic")?,
                    b.eval(lookup)?.quantity("arithmetic")?,
                );
                Val::Q(arith(*op, a, b)?)
            }
            Expr::Compare(op, a, b) => {
                let (a, b) = (
                    a.eval(lookup)?.quantity("a comparison")?,
                    b.eval(lookup)?.quantity("a comparison")?,
                );
                same_dim(&a.dim, &b.dim, &format!("compare with `{op}`"))?;
                Val::Bool(match *op {
                    "<" => a.value < b.value,
                    "<=" => a.value <= b.value,
                    ">" => a.value > b.value,
                    ">=" => a.value >= b.value,
                    _ => a.value == b.value,
                })
            }
            Expr::And(a, b) => Val::Bool(a.eval(lookup)?.boolean()? && b.eval(lookup)?.boolean()?),
            Expr::Call(name, args) => call(name, args, lookup)?,
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

fn same_dim(a: &Dim, b: &Dim, what: &str) -> Result<(), String> {
    if a == b {
        Ok(())
    } else {
        Err(format!(
            "unit mismatch: cannot {what} {a} and {b}; convert one side first (e.g. divide by an exchange rate)"
        ))
    }
}

fn arith(op: char, a: Quantity, b: Quantity) -> Result<Quantity, String> {
    Ok(match op {
        '+' | '-' => {
            same_dim(&a.dim, &b.dim, if op == '+' { "add" } else { "subtract" })?;
            let v = if op == '+' {
                a.value + b.value
            } else {
                a.value - b.value
            };
            Quantity { value: v, dim: a.dim }
        }
        '*' => Quantity {
            value: a.value * b.value,
            dim: a.dim.combine(&b.dim, false),
        },
        _ => {
            if b.value == 0.0 {
                return Err("division by zero".into());
            }
            Quantity {
                value: a.value / b.value,
                dim: a.dim.combine(&b.dim, true),
            }
        }
    })
}

fn call(name: &str, args: &[Expr], lookup: &mut dyn FnMut(&str) -> Result<Quantity, String>) -> Result<Val, String> {
    let mut qs = Vec::new();
    for a in args {
        qs.push(a.eval(lookup)?.quantity(&format!("`{name}(…)`"))?);
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
            same_dim(&qs[0].dim, &qs[1].dim, "compare")?;
            same_dim(&qs[0].dim, &qs[2].dim, "compare")?;
            Ok(Val::Bool(qs[1].value <= qs[0].value && qs[0].value <= qs[2].value))
        }
        "approx" => {
            arity(3)?;
            same_dim(&qs[0].dim, &qs[1].dim, "compare")?;
            if !qs[2].dim.is_none() {
                return Err("approx's tolerance is a pure number, e.g. 0.05 for 5 %".into());
            }
            let scale = qs[0].value.abs().max(qs[1].value.abs());
            Ok(Val::Bool((qs[0].value - qs[1].value).abs() <= qs[2].value * scale))
        }
        "abs" => {
            arity(1)?;
            Ok(Val::Q(Quantity {
                value: qs[0].value.abs(),
                dim: qs[0].dim.clone(),
            }))
        }
        _ => {
            let first = qs
                .first()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs at least one argument"))?;
            let mut acc = first;
            for q in &qs[1..] {
                same_dim(&acc.dim, &q.dim, name)?;
                acc.value = match name {
                    "sum" => acc.value + q.value,
                    "min" => acc.value.min(q.value),
                    _ => acc.value.max(q.value),
                };
            }
            Ok(Val::Q(acc))
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
}
