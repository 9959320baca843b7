//! Gazetteers: embedded name lists (places, organisations, given names) matched with
//! aho-corasick. (Placeholder: empty; replaced by the generated data.)

#[derive(Default)]
pub struct Gazetteer {}

impl Gazetteer {
    pub fn load() -> Gazetteer {
        Gazetteer {}
    }
}
