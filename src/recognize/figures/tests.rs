//! Unit tests of the figure recogniser: every form with its span and normalised value.
//! Sentences are written for these tests in the style of news wires.

use super::*;
use crate::recognize::types::Mention;

fn figs(text: &str) -> Vec<(String, String)> {
    // (Marked currencies take the one they have without a dateline.)
    let mut mentions = find_figures(text);
    currency::resolve_document_currencies(text, &mut mentions, None);
    mentions
        .into_iter()
        .map(|m| {
            let value = m.value.as_ref().map(Value::normalized).unwrap_or_default();
            (text[m.span].to_string(), value)
        })
        .collect()
}

fn has(text: &str, surface: &str, normalized: &str) {
    let got = figs(text);
    assert!(
        got.iter().any(|(s, v)| s == surface && v == normalized),
        "expected {surface:?} = {normalized:?} in {text:?}, got {got:?}"
    );
}

fn surfaces(text: &str) -> Vec<String> {
    figs(text).into_iter().map(|(s, _)| s).collect()
}

/// No figure of `text` contains `part`.
fn lacks(text: &str, part: &str) {
    let got = surfaces(text);
    assert!(
        !got.iter().any(|s| s.contains(part)),
        "{part:?} in a figure of {text:?}: {got:?}"
    );
}

fn subkind_of(text: &str, surface: &str) -> Option<Subkind> {
    find_figures(text)
        .into_iter()
        .find(|m| &text[m.span.clone()] == surface)
        .and_then(|m| m.subkind)
}

#[test]
fn money_ranges_keep_both_ends() {
    has(
        "The project will cost $5-6 billion over a decade.",
        "$5-6 billion",
        "USD 5000000000..6000000000",
    );
    has(
        "Analysts expect a charge of $10 million to $12 million.",
        "$10 million to $12 million",
        "USD 10000000..12000000",
    );
    has(
        "The bid values the unit at between $40 million and $50 million, sources said.",
        "$40 million and $50 million",
        "USD 40000000..50000000",
    );
    has(
        "Damage was put at 3 to 4 million euros.",
        "3 to 4 million euros",
        "EUR 3000000..4000000",
    );
    has("Tickets cost £5 at the door.", "£5", "GBP 5");
}

#[test]
fn money() {
    has(
        "The utility will invest $1.3 billion in the grid.",
        "$1.3 billion",
        "USD 1300000000",
    );
    has("Its startup raised $208M last spring.", "$208M", "USD 208000000");
    has("A further $33M went to research.", "$33M", "USD 33000000");
    has(
        "The carmaker pledged 1.2 trillion won for batteries.",
        "1.2 trillion won",
        "KRW 1200000000000",
    );
    has("Brussels fined the firm €10m on Tuesday.", "€10m", "EUR 10000000");
    has("Tickets cost £5 at the door.", "£5", "GBP 5");
    has(
        "The church must pay over 422,000 euros in arrears.",
        "over 422,000 euros",
        ">=EUR 422000",
    );
    has("The settlement was $26 million.", "$26 million", "USD 26000000");
    has("He was freed on US$20,000 bail.", "US$20,000", "USD 20000");
    has(
        "Profit rose to 5.4 mln dlrs from 3.1 mln.",
        "5.4 mln dlrs",
        "USD 5400000",
    );
    has(
        "The fund holds USD 5 million in bonds.",
        "USD 5 million",
        "USD 5000000",
    );
    assert_eq!(subkind_of("It cost $200.", "$200"), Some(Subkind::Money));
    // Wire abbreviations of durations.
    has("Net for the 12 mths rose.", "12 mths", "P12M");
    has("Sales in the nine mth period fell.", "nine mth", "P9M");
    // Hundredths: cents and pence.
    has("Gasoline rose 10 cents a gallon.", "10 cents", "USD 0.1");
    has("Qtly div 45 cts vs 45 cts prior", "45 cts", "USD 0.45");
    has("A stamp costs 85 pence.", "85 pence", "GBP 0.85");
    // A table row: the label before the number is no name ("Shr 21" is no model number).
    has("Shr 21 cts vs 18 cts", "21 cts", "USD 0.21");
    has("Net 542,119 vs 520,668", "542,119", "542119");
}

#[test]
fn currencies_named_with_their_country() {
    // The country word before a currency name shared by several countries says which.
    // A place's name in it stays out of the figure (the name recogniser has it).
    has(
        "Reserves fell to 7.2 billion N.Z. Dlrs in May.",
        "7.2 billion",
        "NZD 7200000000",
    );
    has(
        "The bank lent 300 mln Canadian dlrs to the province.",
        "300 mln Canadian dlrs",
        "CAD 300000000",
    );
    has(
        "The issue raised 50 mln Hong Kong dollars.",
        "50 mln",
        "HKD 50000000",
    );
    has(
        "The group earned 1.5 billion French francs.",
        "1.5 billion French francs",
        "FRF 1500000000",
    );
    has(
        "It paid 40 mln Swiss francs.",
        "40 mln Swiss francs",
        "CHF 40000000",
    );
    has(
        "Exports reached 12 billion Danish crowns.",
        "12 billion Danish crowns",
        "DKK 12000000000",
    );
    has("Profit was 3 mln D-marks.", "3 mln D-marks", "DEM 3000000");
    has("It cost 2 mln U.S. dlrs.", "2 mln", "USD 2000000");
    // Not a qualifier: a capitalised word that names no currency's country, or a country
    // word before a currency it has not.
    has(
        "The firm sold 300 Canadian farms.",
        "300 Canadian farms",
        "300 Canadian farms",
    );
    lacks("It holds 40 Swiss dlrs.", "Swiss");
    // Currencies of their time, named by one word.
    has(
        "Sales rose to 3.4 billion guilders.",
        "3.4 billion guilders",
        "NLG 3400000000",
    );
    has(
        "Net profit was 900 billion lire.",
        "900 billion lire",
        "ITL 900000000000",
    );
    has(
        "Turnover fell to 38 billion marks.",
        "38 billion marks",
        "DEM 38000000000",
    );
    // Scaled decimals are the whole numbers written, not products of doubles.
    has(
        "Sales fell to 8.36 billion guilders.",
        "8.36 billion guilders",
        "NLG 8360000000",
    );
    has(
        "Credit rose to 32.63 billion marks.",
        "32.63 billion marks",
        "DEM 32630000000",
    );
    has("Prices were 1.5 times higher.", "1.5 times", "1.5 times");
    has(
        "The stake is worth 2.25 mln dlrs.",
        "2.25 mln dlrs",
        "USD 2250000",
    );
    // `marks` without a scale are no money ("she got 20 marks").
    assert_eq!(
        subkind_of("She got 20 marks out of 30.", "20 marks"),
        Some(Subkind::Count)
    );
}

#[test]
fn amounts_whose_currency_or_unit_the_figure_before_gives() {
    // A scaled amount after a money or measure figure of the same sentence is in its
    // currency or unit.
    has(
        "Revenue rose to 14.2 mln dlrs from 8.6 mln a year earlier.",
        "8.6 mln",
        "USD 8600000",
    );
    has(
        "Exports fell to 1.9 mln bpd last month from 2.2 mln in January.",
        "2.2 mln",
        "2200000 bbl/d",
    );
    has(
        "The group made a profit of 1.9 billion guilders after a 1.1 billion loss in 1985.",
        "1.1 billion",
        "NLG 1100000000",
    );
    has(
        "Savings rose 7 pct to 330 billion yen, insurance rose 9 pct to 110 billion.",
        "110 billion",
        "JPY 110000000000",
    );
    // Prices compared right after `vs` / `from`, in cents when the one before is.
    has("Shr 18 cts vs 15", "15", "USD 0.15");
    has("The price rose to 193 dlrs from 168.", "168", "USD 168");
    // A result's amount after its label, in the currency of the money before it: a
    // table's net and revenues in that of its share earnings.
    let table = "Shr profit 78 cts vs loss 1.05 dlrs\nNet profit 2,336,000 vs loss 3,002,000\n\
                 Revs 26.0 mln vs 26.7 mln\nAvg shrs 7,187,941 vs 6,828,368";
    has(table, "2,336,000", "USD 2336000");
    has(table, "3,002,000", "USD 3002000");
    has(table, "26.0 mln", "USD 26000000");
    has(table, "26.7 mln", "USD 26700000");
    has(
        "The unit earned 5 mln dlrs, on sales of 2.5 billion.",
        "2.5 billion",
        "USD 2500000000",
    );
    // Share counts are no result, nor a number in words; and no money before, no currency.
    has("It got 40 mln dlrs, after sales of two.", "two", "2");
    has(table, "7,187,941", "7187941");
    has("Net 542,119 vs 520,668", "542,119", "542119");
    // Not elliptical: nothing with a currency before it in the sentence, a figure before it
    // that is a plain count, another sentence, a noun of its own, or an unscaled number
    // that is not compared.
    has("Revs 291.8 mln vs 151.1 mln", "151.1 mln", "151100000");
    has("Avg shrs 51.7 mln vs 43.4 mln", "43.4 mln", "43400000");
    has(
        "It earned 12 mln dlrs. The town has 1.2 mln inhabitants and 3.4 mln in the region.",
        "3.4 mln",
        "3400000",
    );
    has(
        "Output was 5 mln tonnes and reserves 135 trillion cu ft at the end of 1986.",
        "135 trillion cu ft",
        "135000000000000 ft³",
    );
    has("It paid 40 mln dlrs for 12 of the stores.", "12", "12");
    has(
        "Sales were 3 mln dlrs, with 1.5 mln visitors a year.",
        "1.5 mln visitors",
        "1500000 visitors",
    );
}

#[test]
fn numeric_dates_with_slashes() {
    has(
        "Level V covers wheat entered after 5/14/82.",
        "5/14/82",
        "1982-05-14",
    );
    has("The bonds mature on 12/31/1996.", "12/31/1996", "1996-12-31");
    has(
        "The order was signed 25/12/2005 in Rome.",
        "25/12/2005",
        "2005-12-25",
    );
    // Not dates: a fraction, a ratio, no month, more slashes.
    has("The stock fell 1/2 to 30.", "1/2", "0.5");
    has("The stock climbed 1-1/8 to 58-7/8.", "58-7/8", "58.875");
    // A change with its unit after the second number is a range.
    has("Prices rose 5 to 10 pct.", "5 to 10 pct", "5..10%");
    has("It has 20 to 25 stores.", "20 to 25 stores", "20..25 stores");
    lacks("The code 13/14/87 was wrong.", "13/14");
    lacks("Ports 1/2/3/4 were open.", "1/2/3");
}

#[test]
fn fractions() {
    // Wire prices and rates: a whole number, a dash and a fraction, or a fraction alone.
    has("The notes pay 8-1/2 pct a year.", "8-1/2 pct", "8.5%");
    has("Bills were bought at 10-13/16 pct.", "10-13/16 pct", "10.8125%");
    has("The stock closed at 22-3/4, down 1/8.", "22-3/4", "22.75");
    has("The stock closed at 22-3/4, down 1/8.", "1/8", "0.125");
    has(
        "A 1-1/2 billion dlr loan was signed.",
        "1-1/2 billion dlr",
        "USD 1500000000",
    );
    has("The talks lasted 2 1/2 hours.", "2 1/2 hours", "PT2.5H");
    // Not fractions: a date, a score, a ratio with an unusual denominator, a numerator that
    // is not smaller.
    assert!(!surfaces("It was signed on 1/2/87 in Paris.").contains(&"1/2".to_string()));
    has("Brazil won 2-1 on Sunday.", "2-1", "2..1 score");
    lacks("The shop is open 24/7 now.", "24/7");
    lacks("They recalled 9/11 again.", "9/11");
}

#[test]
fn percentages() {
    has("Prices rose 25 percent in May.", "25 percent", "25%");
    has("Prices rose 25% in May.", "25%", "25%");
    has("Prices rose 25 per cent in May.", "25 per cent", "25%");
    has("Turnout reached 58%.", "58%", "58%");
    has(
        "Costs could fall 20 to 25 percent by then.",
        "20 to 25 percent",
        "20..25%",
    );
    has("Range grows by up to 25 percent.", "up to 25 percent", "<=25%");
    has("Only 10 per cent of salt is iodised.", "Only 10 per cent", "10%");
    has("Support fell 3 percentage points.", "3 percentage points", "3 pp");
    let s = surfaces("Hunger would rise by either 49 percent or by 27 percent.");
    assert_eq!(s, vec!["49 percent", "27 percent"]);
}

#[test]
fn quantities() {
    has("The charger delivers 9.6 kW at home.", "9.6 kW", "9.6 kW");
    has("The range is 300 km on one charge.", "300 km", "300 km");
    has(
        "They travelled about 500 miles (800 km) by road.",
        "about 500 miles",
        "~500 mi",
    );
    has(
        "They travelled about 500 miles (800 km) by road.",
        "800 km",
        "800 km",
    );
    has("The plant makes 4,000 tonnes a year.", "4,000 tonnes", "4000 t");
    has("A 50 MW solar farm opened.", "50 MW", "50 MW");
    has("The phone has 128 GB of storage.", "128 GB", "128 GB");
    has(
        "The park covers 240,000 square meters.",
        "240,000 square meters",
        "240000 m²",
    );
    has(
        "Output hit 1.2 million barrels.",
        "1.2 million barrels",
        "1200000 bbl",
    );
}

#[test]
fn counts() {
    has(
        "The plant can build 300,000 units a year.",
        "300,000 units",
        "300000 units",
    );
    has(
        "It has approximately 2,000 employees.",
        "approximately 2,000 employees",
        "~2000 employees",
    );
    has(
        "A petition now has more than 11,000 signatures.",
        "more than 11,000 signatures",
        ">=11000 signatures",
    );
    has(
        "Officials counted 45,756 migrants this month.",
        "45,756 migrants",
        "45756 migrants",
    );
    has(
        "The exam has 40 to 50 questions.",
        "40 to 50 questions",
        "40..50 questions",
    );
    has(
        "There were also two Syrian teams.",
        "two Syrian teams",
        "2 Syrian teams",
    );
    has(
        "The theft involved five hard drives.",
        "five hard drives",
        "5 hard drives",
    );
    has(
        "The team scored one or two points.",
        "one or two points",
        "1..2 points",
    );
    has(
        "More than two billion people lack iodine.",
        "More than two billion people",
        ">=2000000000 people",
    );
    has("He received a 10-year sentence.", "10-year", "10 year");
    has("A six-week course starts soon.", "six-week", "6 week");
    has("The three-nation alliance won.", "three-nation", "3 nation");
    has("Traffic had increased 18-fold.", "18-fold", "18 fold");
    has(
        "Twenty-five delegates voted.",
        "Twenty-five delegates",
        "25 delegates",
    );
}

#[test]
fn title_case_counts_and_names() {
    // Decision: a count runs over title-case words when its head noun is capitalised too.
    has(
        "5 Automotive Trends to Watch",
        "5 Automotive Trends",
        "5 Automotive Trends",
    );
    for text in [
        "Users of Internet Explorer 9 were warned.",
        "Production of the Polestar 4 starts in Busan.",
        "The Ram 1500 pickup sold well.",
        "The F3300 tractor and the Cloud9 team.",
        "Rumours spread on 4chan overnight.",
        "Fan Expo Canada 2016 opened in Toronto.",
        "Cases of COVID-19 fell.",
    ] {
        assert!(surfaces(text).is_empty(), "{text:?}: {:?}", figs(text));
    }
    // A name before a count does not swallow it after a comma.
    has("Thomas Sam, 42, and his wife.", "42", "42");
}

#[test]
fn bare_numbers_and_one() {
    has("She joined the crew aged 14.", "14", "14");
    has("The site rose to number 3 in the ranking.", "3", "3");
    has(
        "Teams were arranged in groups of three, and then paired.",
        "three",
        "3",
    );
    assert!(surfaces("One side of the hall was dark, and one of the judges left.").is_empty());
    assert!(surfaces("It was one of the most popular events.").is_empty());
}

#[test]
fn scores() {
    has(
        "Sweden beat South Korea 1 – 0; Belgium won 3-0.",
        "1 – 0",
        "1..0 score",
    );
    has(
        "Sweden beat South Korea 1 – 0; Belgium won 3-0.",
        "3-0",
        "3..0 score",
    );
    has("Group F — Sweden 1 – 0 Korea Republic", "1 – 0", "1..0 score");
    has("Children aged 8–10 years took part.", "8–10 years", "P8Y..P10Y");
}

#[test]
fn full_dates() {
    has(
        "Biden spoke on Thursday, Nov. 9, 2023, in Belvidere.",
        "Thursday, Nov. 9, 2023",
        "2023-11-09",
    );
    has("Published November 10, 2023", "November 10, 2023", "2023-11-10");
    has(
        "Thursday, February 23, 2006",
        "Thursday, February 23, 2006",
        "2006-02-23",
    );
    has("The deal closed Oct. 12, 2023.", "Oct. 12, 2023", "2023-10-12");
    has("The deal closed Feb. 21, 2023.", "Feb. 21, 2023", "2023-02-21");
    has("Nov 10, 2023", "Nov 10, 2023", "2023-11-10");
    has("The vote is on 9 November 2023.", "9 November 2023", "2023-11-09");
    has("SALVADOR, Feb 26 (1987-02-26)", "1987-02-26", "1987-02-26");
    has(
        "The treaty was signed on the 9th of November, 1989.",
        "the 9th of November, 1989",
        "1989-11-09",
    );
}

#[test]
fn months_years_and_periods() {
    has(
        "He left in September 2021.",
        "September 2021",
        "2021-09-01..2021-09-30",
    );
    has("Production starts in 2024.", "2024", "2024-01-01..2024-12-31");
    has(
        "Output begins by the second half of 2025.",
        "the second half of 2025",
        "2025-07-01..2025-12-31",
    );
    has(
        "Sales fell in the first quarter of 2024.",
        "the first quarter of 2024",
        "2024-01-01..2024-03-31",
    );
    has("Since 2022, the firm has grown.", "2022", ">=2022-01-01");
    has(
        "Music of the 1960s returned.",
        "the 1960s",
        "1960-01-01..1969-12-31",
    );
    has(
        "In the early 1990s it failed.",
        "the early 1990s",
        "1990-01-01..1993-12-31",
    );
    has(
        "Art of the 20th century.",
        "the 20th century",
        "1901-01-01..2000-12-31",
    );
    has("Results are due in Q3 2024.", "Q3 2024", "2024-07-01..2024-09-30");
    has(
        "A launch is planned for late 2025.",
        "late 2025",
        "2025-09-01..2025-12-31",
    );
    let s = surfaces("Taxes from 2006 to 2009 are due; yields fell over 2000 - 2050.");
    assert_eq!(s, vec!["2006", "2009", "2000", "2050"]);
    assert!(surfaces("He spoke at the 2018 FIFA World Cup.").is_empty());
}

#[test]
fn times_and_durations() {
    has("As of 15:11 GMT the site was down.", "15:11", "15:11");
    has("Polls open at 7 a.m. sharp.", "7 a.m.", "07:00");
    has(
        "In the 54th minute, Lukaku scored.",
        "the 54th minute",
        "54th minute",
    );
    has(
        "He sat there for the next 30 hours.",
        "the next 30 hours",
        "PT30H",
    );
    has(
        "She cried for the last five months.",
        "the last five months",
        "P5M",
    );
    has(
        "The war has lasted nearly two decades.",
        "nearly two decades",
        "~P20Y",
    );
    has("It happened two years ago.", "two years", "-P2Y");
    has(
        "Seventeen years ago, this was impossible.",
        "Seventeen years",
        "-P17Y",
    );
    has("They had only two weeks left.", "only two weeks", "P2W");
    has(
        "Just two minutes into the half, he scored.",
        "Just two minutes",
        "P2M".replace('P', "PT").as_str(),
    );
    assert!(surfaces("He works on the 33rd floor for the 22nd time.").is_empty());
    // A duration in several units is one figure.
    has(
        "The leader finished in 43 hours 12 minutes 5 seconds.",
        "43 hours 12 minutes 5 seconds",
        "PT43H12M5S",
    );
    has(
        "The bond has a life of 11 years 316 days.",
        "11 years 316 days",
        "P11Y316D",
    );
    has("It took 2 days 6 hours to fix.", "2 days 6 hours", "P2DT6H");
    // Coordinated, they are two (as in the evaluation data).
    has("The talks lasted two years and three months.", "two years", "P2Y");
    // Not in a growing unit, nor across a sentence.
    has("In 3 hours, 5 days later, it broke.", "3 hours", "PT3H");
    // Race times.
    has("He won in 3:29.12, ahead of the field.", "3:29.12", "PT3M29.12S");
    has("She ran the marathon in 2:05:43.", "2:05:43", "PT2H5M43S");
    has("She ran 2:05.3 in the heat.", "2:05.3", "PT2M5.3S");
    has("The meeting starts at 10:30 a.m.", "10:30 a.m.", "10:30");
    has("They had only one day to test it.", "only one day", "P1D");
    has(
        "Temperatures hit 41 degrees Celsius, or 106°F.",
        "41 degrees Celsius",
        "41 °C",
    );
    has(
        "Temperatures hit 41 degrees Celsius, or 106°F.",
        "106°F",
        "106 °F",
    );
    has("A 25-percent stake was sold.", "25-percent", "25%");
    assert_eq!(
        surfaces("In the 2019-20 season, 12 clubs played."),
        vec!["2019", "12 clubs"]
    );
}

#[test]
fn month_days_are_marked() {
    has(
        "The clock was brought to school on September 14.",
        "September 14",
        "--09-14",
    );
}

#[test]
fn lone_weekdays_are_not_figures() {
    assert!(figs("The team was honoured on Tuesday.").is_empty());
    assert!(figs("Talks will resume next Monday, he said last year.").is_empty());
    assert!(surfaces("Shoppers lined up for Black Friday deals.").is_empty());
}

#[test]
fn unicode_before_figures() {
    let text = "Le café “Ünïcode” 🚗 a vendu 1,2 — non: 300 voitures; 서울 2023年 25% 😀 $5";
    let found = find_figures(text);
    for m in &found {
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
    }
    has(text, "300 voitures", "300 voitures");
    has(text, "25%", "25%");
    has(text, "$5", "USD 5");
    has("“Ça coûte €3,5 milliards” — 9.6 kW", "9.6 kW", "9.6 kW");
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "$",
        "1",
        "Nov.",
        "Nov. 31, 2023",
        "Feb 30",
        "99:99",
        "1,",
        "the",
        "Q5 2024",
        "1-",
        "–1 –",
        "a billion-",
        "twenty-",
        "0000-00-00",
        "১২৩",
        "12345678901234567890123 units",
    ] {
        let _ = find_figures(text);
    }
}

fn doc_figs(text: &str) -> Vec<(String, String)> {
    let mut mentions: Vec<Mention> = Vec::new();
    for span in crate::recognize::paragraphs(text) {
        for mut m in find_figures(&text[span.clone()]) {
            m.span = span.start + m.span.start..span.start + m.span.end;
            mentions.push(m);
        }
    }
    resolve_document_dates(text, &mut mentions);
    mentions
        .into_iter()
        .map(|m| {
            (
                text[m.span].to_string(),
                m.value.map(|v| v.normalized()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn dateline_resolves_relative_dates() {
    let text = "Port strike ends\n\nThursday, November 9, 2023\n\nDockers returned to work on Monday, \
                two years after a walkout that began on October 20. Last year the port moved 300,000 \
                containers.";
    let got = doc_figs(text);
    let get = |s: &str| got.iter().find(|(t, _)| t == s).map(|(_, v)| v.clone());
    assert_eq!(get("Thursday, November 9, 2023").as_deref(), Some("2023-11-09"));
    assert_eq!(get("October 20").as_deref(), Some("2023-10-20"));
    assert_eq!(get("Monday"), None);
    assert_eq!(get("Last year"), None);
    let text = "Reuters\n\nSALVADOR, Feb 26 (1987-02-26)\n\nShowers continued on Feb 20 and on Monday.";
    let got = doc_figs(text);
    let get = |s: &str| got.iter().find(|(t, _)| t == s).map(|(_, v)| v.clone());
    assert_eq!(get("Feb 20").as_deref(), Some("1987-02-20"));
    assert_eq!(get("Feb 26").as_deref(), Some("1987-02-26"));
}

#[test]
fn without_dateline_lone_weekdays_are_dropped() {
    let got = doc_figs("Dockers returned on Monday after two years ago's strike on March 3.");
    assert!(got.iter().all(|(s, _)| s != "Monday"), "{got:?}");
    assert!(
        got.iter().any(|(s, v)| s == "March 3" && v == "--03-03"),
        "{got:?}"
    );
}

#[test]
fn ago_resolves_with_dateline() {
    let got = doc_figs("Nov 10, 2023\n\nThe plant opened two years ago.");
    assert!(
        got.iter().any(|(s, v)| s == "two years" && v == "~2021-11-10"),
        "{got:?}"
    );
}

/// The triggers as the recogniser found them before they were found while tokenising (a
/// separate pass over the bytes), with the word lists' own lookups: the reference.
fn reference_triggers(para: &str) -> Vec<usize> {
    let old_is_trigger_word = |w: &str| {
        let lower = w.to_ascii_lowercase();
        let l = lower.as_str();
        let capital = w.as_bytes()[0].is_ascii_uppercase();
        if capital && (lexicon::month(l).is_some() || lexicon::weekday(l).is_some()) {
            return true;
        }
        if lexicon::small_number(l).is_some() || lexicon::scale(l).is_some() {
            return true;
        }
        false
    };
    let bytes = para.as_bytes();
    let mut res = Vec::new();
    let mut i = 0;
    let mut prev_letter = false;
    while i < bytes.len() {
        let b = bytes[i];
        // A decimal without its leading zero (" .5", "(.25"), not "3.4.5" nor ".1.2".
        let leading_decimal = b == b'.'
            && (i == 0 || matches!(bytes[i - 1], b' ' | b'\n' | b'\t' | b'(' | b'['))
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            && {
                let end = i + 1 + bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                !(bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
            };
        if b.is_ascii_digit() || leading_decimal {
            res.push(i);
            i += usize::from(leading_decimal);
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',' || bytes[i] == b'.') {
                i += 1;
            }
            prev_letter = false;
        } else if b.is_ascii_alphabetic() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let next_letter = bytes.get(i).is_some_and(|&b| b >= 0x80);
            if !prev_letter
                && !next_letter
                && has_trigger_shape(&bytes[start..i])
                && old_is_trigger_word(&para[start..i])
            {
                res.push(start);
            }
            prev_letter = true;
        } else {
            prev_letter = b >= 0x80;
            i += 1;
        }
    }
    res
}

/// Texts for the tokeniser and trigger checks: the seed articles and hand-made corner cases.
fn trigger_texts() -> Vec<String> {
    let mut texts = vec![
        include_str!("../../../seeds/000_b048b9770dc2da2d.txt").to_string(),
        include_str!("../../../seeds/004_12b826b37803d7ae.txt").to_string(),
    ];
    texts.push(
        "“Five ships, it's one'o'clock; O'Ten 1,2 3.4.5 .5 5.One Cloud9one Caféone Éx'one \
         Last year, LAST YEAR, last years, This yearly, next year. MARCH March march May may \
         Mon Monday's mad Mar 20th twenty-five hundred a mln $3bn 1,000,000.25 Sept. 9 (.25 .1.2 x.5"
            .to_string(),
    );
    texts
}

#[test]
fn triggers_found_while_tokenising_are_those_of_the_byte_scan() {
    for text in trigger_texts() {
        for para in text.split("\n\n") {
            let mut toks = Vec::new();
            let mut triggers = Vec::new();
            let bytes = para.as_bytes();
            tokens::tokenize(para, &mut toks, &mut triggers, |start, end| {
                let glued =
                    (start > 0 && bytes[start - 1] >= 0x80) || bytes.get(end).is_some_and(|&b| b >= 0x80);
                has_trigger_shape(&bytes[start..end]) && !glued && is_trigger_word(bytes, start, end)
            });
            let at: Vec<usize> = triggers.iter().map(|t| t.at).collect();
            assert_eq!(at, reference_triggers(para), "in {para:?}");
            for t in &triggers {
                // A trigger's token (if any) starts at it; the others are inside a word.
                match t.token {
                    Some(k) => assert_eq!(toks[k].start, t.at),
                    None => assert!(toks.iter().all(|tok| tok.start != t.at)),
                }
            }
        }
    }
}

#[test]
fn a_window_has_the_tokens_of_the_paragraph() {
    // The grammars see a window's tokens as if only the window had been tokenised; the
    // paragraph's tokens in its span are those, but for the first token's spacing.
    for text in trigger_texts() {
        let mut all = Vec::new();
        tokens::tokenize(&text, &mut all, &mut Vec::new(), |_, _| false);
        let bytes = text.as_bytes();
        let bounds: Vec<usize> = (0..=bytes.len())
            .filter(|&i| i == 0 || i == bytes.len() || bytes[i - 1].is_ascii_whitespace())
            .step_by(7)
            .collect();
        for (k, &start) in bounds.iter().enumerate() {
            for &end in bounds[k + 1..].iter().take(12) {
                let mut window = Vec::new();
                tokens::tokenize(&text[start..end], &mut window, &mut Vec::new(), |_, _| false);
                let from = all.partition_point(|t| t.start < start);
                let to = all.partition_point(|t| t.start < end);
                assert_eq!(window.len(), to - from);
                for (n, (w, t)) in window.iter().zip(&all[from..to]).enumerate() {
                    assert_eq!((w.start + start, w.end + start, w.kind), (t.start, t.end, t.kind));
                    if n > 0 {
                        assert_eq!(
                            (w.space_before, w.newline_before),
                            (t.space_before, t.newline_before)
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn digits_parse_as_the_standard_library_does() {
    for s in [
        "0",
        "7",
        "1,709",
        "9.6",
        "0.1",
        "0.3",
        "1,000,000.25",
        "123456789012345",
        "1234567890123456",
        "3.14159265358979",
        "2.675",
        "1.005",
        "99.99",
        "0.000001",
        "12,345.678901234567",
    ] {
        let want: f64 = s.replace(',', "").parse().unwrap();
        assert_eq!(parse_digits(s).map(f64::to_bits), Some(want.to_bits()), "{s}");
    }
}

#[test]
fn the_dateline_says_which_dollar_or_franc() {
    let value = |text: &str, surface: &str| {
        doc_figs(text)
            .into_iter()
            .find(|(s, _)| s == surface)
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    // The dateline's country has a currency of that name.
    let toronto = "BANK PROFIT UP\n\nTORONTO, March 3 - The bank earned 120 mln dlrs, or 45 cts a share, \
                   against 98 mln. It also paid 20 mln U.S. dlrs for a stake.";
    assert_eq!(value(toronto, "120 mln dlrs"), "CAD 120000000");
    assert_eq!(value(toronto, "45 cts"), "CAD 0.45");
    assert_eq!(value(toronto, "98 mln"), "CAD 98000000");
    // A currency named with its country keeps it.
    assert_eq!(value(toronto, "20 mln"), "USD 20000000");
    let paris = "GROUP RESULTS\n\nPARIS, March 3 - The group made 1.5 billion francs last year.";
    assert_eq!(value(paris, "1.5 billion francs"), "FRF 1500000000");
    let brussels = "BRUSSELS, March 3 - The bank made 900 mln francs.";
    assert_eq!(value(brussels, "900 mln francs"), "BEF 900000000");
    // The dateline's country has no currency of that name, or none at its date, or there is
    // no dateline: the name's usual currency.
    let paris_dollars = "PARIS, March 3 - The group sold 40 mln dlrs of bonds.";
    assert_eq!(value(paris_dollars, "40 mln dlrs"), "USD 40000000");
    let later = "PARIS, March 3, 2009 - The bank lent 50 mln francs.";
    assert_eq!(value(later, "50 mln francs"), "CHF 50000000");
    let chicago = "CHICAGO, March 3 - The firm earned 12 mln dlrs.";
    assert_eq!(value(chicago, "12 mln dlrs"), "USD 12000000");
    assert_eq!(
        value("The fund holds 12 mln francs.", "12 mln francs"),
        "CHF 12000000"
    );
}

#[test]
fn a_table_row_takes_the_currency_of_the_rows_before() {
    let value = |text: &str, surface: &str| {
        doc_figs(text)
            .into_iter()
            .find(|(s, _)| s == surface)
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    // Rows of a results table are paragraphs of their own.
    let table = "KENTON, Ohio, March 3 - \n\nShr 11 cts vs 13 cts\n\nNet 1,129,000 vs 1,301,000\n\n\
                 Revs 83.2 mln vs 74.5 mln\n\nAvg shrs 4,100,000 vs 4,000,000";
    assert_eq!(value(table, "1,129,000"), "USD 1129000");
    assert_eq!(value(table, "1,301,000"), "USD 1301000");
    assert_eq!(value(table, "83.2 mln"), "USD 83200000");
    assert_eq!(value(table, "74.5 mln"), "USD 74500000");
    assert_eq!(value(table, "4,100,000"), "4100000");
    let stg = "Pre-tax profit 10 mln stg vs 8 mln\n\nTurnover 543.2 mln vs 481.5 mln";
    assert_eq!(value(stg, "543.2 mln"), "GBP 543200000");
    let bank =
        "Net 12 mln dlrs vs 10 mln\n\nAssets 785.3 mln vs 1.27 billion\n\nLoans 565.6 mln vs 826.9 mln";
    assert_eq!(value(bank, "785.3 mln"), "USD 785300000");
    assert_eq!(value(bank, "826.9 mln"), "USD 826900000");
    // No money before it: a count.
    let bare = "Net 1,129,000 vs 1,301,000\n\nRevs 83.2 mln vs 74.5 mln";
    assert_eq!(value(bare, "1,129,000"), "1129000");
    assert_eq!(value(bare, "74.5 mln"), "74500000");
}

#[test]
fn counted_nouns_with_modifiers() {
    has(
        "They spoke two other languages.",
        "two other languages",
        "2 other languages",
    );
    has(
        "It applies to two real-world applications.",
        "two real-world applications",
        "2 real-world applications",
    );
    has(
        "She has two half-brothers.",
        "two half-brothers",
        "2 half-brothers",
    );
    has(
        "It lasted 24 difficult years.",
        "24 difficult years",
        "24 difficult years",
    );
    has("He had 43 RBIs in 59 games.", "43 RBIs", "43 RBIs");
    has(
        "Boeing will buy 25 wide-bodied planes.",
        "25 wide-bodied planes",
        "25 wide-bodied planes",
    );
    // A capitalised word before the head is a name: the count stops before it.
    assert_eq!(surfaces("They would own 13.3 mln Sykes shares."), ["13.3 mln"]);
    assert_eq!(surfaces("It closed four Texas banks."), ["four"]);
    // Number words do not count as modifiers ("FIVE MTHS" in a rates table).
    lacks("6-7/16 FIVE MTHS 6-5/8", "6-7/16 FIVE");
}

#[test]
fn decimals_without_a_leading_zero() {
    has("Holt batted .292 with a triple.", ".292", "0.292");
    has("Daily .062 vs .063 cts prior", ".063 cts", "USD 0.00063");
    // Section numbers and abbreviations keep their full stop apart.
    for text in [
        "See section 2.1.3 below.",
        "No.5 is here",
        "in 2011.5 people",
        "see .1.2 there",
    ] {
        assert!(
            surfaces(text).iter().all(|s| !s.starts_with('.')),
            "{text:?}: {:?}",
            surfaces(text)
        );
    }
}

#[test]
fn metres_and_grams_written_apart() {
    has("Listed at 5 feet 10 inches (1.78 m) tall.", "1.78 m", "1.78 m");
    has("He is 1.78 m tall.", "1.78 m", "1.78 m");
    has("above a threshold of 12 m/s", "12 m", "12 m");
    // A one-letter word after a number is no unit when a word follows.
    lacks("Plan 2 m sections", "2 m");
}

#[test]
fn parts_of_periods() {
    has(
        "Reserves at the end of 1986 were 59.8 mln barrels.",
        "the end of 1986",
        "1986-10-01..1986-12-31",
    );
    has(
        "by the beginning of 2024",
        "the beginning of 2024",
        "2024-01-01..2024-03-31",
    );
    has(
        "in the second half of the 20th century",
        "the second half of the 20th century",
        "1951-01-01..2000-12-31",
    );
    has(
        "by the end of the 1990s",
        "the end of the 1990s",
        "1997-01-01..1999-12-31",
    );
    has(
        "He began the 2011 season with the Pirates.",
        "the 2011 season",
        "2011-01-01..2011-12-31",
    );
    has(
        "His 2010 season was cut short.",
        "His 2010 season",
        "2010-01-01..2010-12-31",
    );
    has("from 1928 onwards", "1928 onwards", ">=1928-01-01");
}

#[test]
fn bounds_written_after_the_number() {
    has(
        "There were 50 or more calls for replication.",
        "50 or more calls",
        ">=50 calls",
    );
    has(
        "a program for holders of 99 or fewer preferred shares",
        "99 or fewer preferred shares",
        "<=99 preferred shares",
    );
    has("Of the 50 or so houses that", "50 or so houses", "~50 houses");
    // "or more than" opens the next figure's bound.
    lacks("not less than 1.935 or more than 1.200 shares", "1.935 or more");
}
