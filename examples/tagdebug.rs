//! Prints the name tagger's view of a text: tokens, candidacy, the rules' candidates and the
//! model's labels. `cargo run --release --example tagdebug -- MODEL_FILE "text"`.
use newsls::recognize::tagger::{Model, Scratch, features_of, tokenize};
use newsls::recognize::{Recognizer, figures, names};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(text)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: tagdebug MODEL_FILE TEXT");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).expect("model file");
    let model = Model::from_bytes(&bytes).expect("a model");
    let rec = Recognizer::with_tagger(None);
    let g = rec.gazetteer();
    let figs = figures::find_figures(text);
    let rules = names::find_names(text, g);
    for m in &rules {
        println!(
            "rule {:?} {:?} {:?} conf {}",
            &text[m.span.clone()],
            m.kind,
            m.subkind,
            m.confidence
        );
    }
    let mut toks = Vec::new();
    tokenize(text, &mut toks);
    let feats = features_of(text, g, &toks, &rules, &figs, &mut Scratch::default());
    let (labels, margins) = model.decode_with_margins(&feats, toks.len());
    for ((t, l), m) in toks.iter().zip(&labels).zip(&margins) {
        let m = if *m == i32::MAX {
            String::new()
        } else {
            m.to_string()
        };
        println!("{:>16} {:?} {:?} {m}", &text[t.start..t.end], t.class, l);
    }
}
