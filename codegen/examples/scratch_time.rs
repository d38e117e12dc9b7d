fn main() {
    for p in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&p).unwrap();
        let t = std::time::Instant::now();
        let r = airbyte_codegen::parse::parse(&p, &text);
        let parse = t.elapsed();
        let t = std::time::Instant::now();
        let (n, lowered) = match &r {
            Ok(p) => (
                p.warnings.len(),
                airbyte_codegen::lower::lower(&p.connector).is_ok(),
            ),
            Err(d) => (d.len(), false),
        };
        let lower = t.elapsed();
        let t = std::time::Instant::now();
        let diags = match &r {
            Ok(p) => p.warnings.clone(),
            Err(d) => d.clone(),
        };
        let out = airbyte_codegen::render::render(&diags[..diags.len().min(200)], &text);
        let render = t.elapsed();
        println!("{p}: parse {parse:?} lower {lower:?} ({lowered}) diags {n} render200 {render:?} ({} bytes)", out.len());
    }
}
