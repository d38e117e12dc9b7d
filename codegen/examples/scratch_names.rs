use airbyte_codegen::ir::*;
use airbyte_codegen::model::Field as MF;
fn depth(fs: &[MF], d: usize, max: &mut usize, seg: &mut usize, path: &mut usize, prefix: usize) {
    for f in fs {
        *max = (*max).max(d);
        *seg = (*seg).max(f.name.len());
        *path = (*path).max(prefix + f.name.len());
        depth(&f.fields, d + 1, max, seg, path, prefix + f.name.len() + 1);
    }
}
fn main() {
    for p in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&p).unwrap();
        let Ok(parsed) = airbyte_codegen::parse::parse(&p, &text) else {
            println!("{p}: errors");
            continue;
        };
        let c = &parsed.connector;
        let (mut d, mut seg, mut path) = (0, 0, 0);
        for e in &c.entities {
            for a in &e.actions {
                depth(&a.params, 1, &mut d, &mut seg, &mut path, 0);
                if let Some(airbyte_codegen::model::Response::Records { records, meta }) =
                    &a.response
                {
                    depth(records, 1, &mut d, &mut seg, &mut path, 0);
                    depth(meta, 1, &mut d, &mut seg, &mut path, 0);
                }
            }
        }
        let k = match airbyte_codegen::lower::lower(c) {
            Ok(k) => k,
            Err(e) => {
                println!("{p}: {e}");
                continue;
            }
        };
        let mut longest = String::new();
        let mut lconst = String::new();
        let mut lmod = String::new();
        for e in &k.entities {
            if e.module.len() > lmod.len() {
                lmod = e.module.clone();
            }
            for t in &e.types {
                let n = match t {
                    TypeDef::Record(s) | TypeDef::Params(s) => &s.name,
                    TypeDef::Enum(en) => &en.name,
                };
                if n.len() > longest.len() {
                    longest = n.clone();
                }
            }
            for a in &e.actions {
                if a.params.name.len() > longest.len() {
                    longest = a.params.name.clone();
                }
            }
            for pth in &e.paths {
                if pth.constant.len() > lconst.len() {
                    lconst = pth.constant.clone();
                }
            }
        }
        println!(
            "{p}: depth {d} seg {seg} path {path} type {} {} const {} mod {}",
            longest.len(),
            longest,
            lconst.len(),
            lmod
        );
    }
}
