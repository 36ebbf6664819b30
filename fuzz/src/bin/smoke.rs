//! A stand-in for `cargo fuzz run` on a stable toolchain: runs each target's
//! body on mutations of its seeds (random bytes spliced, deleted, repeated)
//! for a given number of seconds, catching panics and naming the input.
//!
//! `cargo run --release --bin smoke -- [seconds per target] [target…]`

use std::time::{Duration, Instant};

/// xorshift64*: deterministic, dependency-free randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: [&str; 24] = [
    "(", ")", "{{", "}}", "[^", "]", "\n", "---\n", "```", ": ", "- ", "\"", "'", "{", "}", "<script>", "@fig:",
    "javascript:", "1e300", "\u{0}", "中", "\t", "  ", "derive",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(5) {
            0 => input.insert(at, rng.next() as u8),
            1 if !input.is_empty() => {
                let end = (at + rng.below(16)).min(input.len());
                input.drain(at.min(end)..end);
            }
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                input.splice(at..at, t.iter().copied());
            }
            3 if !input.is_empty() => {
                // Repeat a slice many times: deep nesting, long lists.
                let start = at.min(input.len() - 1);
                let end = (start + 1 + rng.below(8)).min(input.len());
                let piece = input[start..end].to_vec();
                for _ in 0..rng.below(2000) {
                    input.splice(start..start, piece.iter().copied());
                }
            }
            _ => {}
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: u64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(60);
    let targets: Vec<&str> = if args.len() > 1 {
        args[1..].iter().map(String::as_str).collect()
    } else {
        vec!["expr", "dataset", "markdown"]
    };
    for target in targets {
        let body: fn(&[u8]) = match target {
            "expr" => quire_fuzz::expr,
            "dataset" => quire_fuzz::dataset,
            "markdown" => quire_fuzz::markdown,
            other => panic!("unknown target `{other}`"),
        };
        let seeds = quire_fuzz::seeds(target);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ target.len() as u64);
        let start = Instant::now();
        let mut runs = 0u64;
        while start.elapsed() < Duration::from_secs(secs) {
            let mut input = seeds[rng.below(seeds.len())].clone().into_bytes();
            mutate(&mut rng, &mut input);
            if let Err(e) = std::panic::catch_unwind(|| body(&input)) {
                eprintln!("{target}: PANIC on input {:?}: {e:?}", String::from_utf8_lossy(&input));
                std::process::exit(1);
            }
            runs += 1;
        }
        println!("{target}: {runs} inputs in {secs} s, no panic");
    }
}
