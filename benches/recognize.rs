use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string("seeds/000_b048b9770dc2da2d.txt").unwrap_or_default();
    let rec = newsls::recognize::recognizer();
    c.bench_function("annotate seed", |b| b.iter(|| rec.annotate(&text)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
