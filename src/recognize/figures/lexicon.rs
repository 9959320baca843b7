//! Word lists of the figure recogniser: number words, scales, months, weekdays, units,
//! currencies, bound words ("about", "more than") and the function words that end a counted
//! noun phrase. All lookups take an ASCII-lower-cased word unless said otherwise.

use chrono::Weekday;

use crate::recognize::types::Bound;

/// Cardinal number words up to ninety.
pub fn small_number(w: &str) -> Option<f64> {
    let v = match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    };
    Some(f64::from(v))
}

/// Scale words written after a number: `2.5 million`, `two hundred`, `5 mln` (wire style).
pub fn scale(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "mln" | "mn" => 1e6,
        "billion" | "bln" | "bn" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        "dozen" => 12.0,
        _ => return None,
    })
}

/// Scale abbreviations attached to a number after a currency sign: `$208M`, `€10m`, `$5bn`.
/// Case-sensitive; `m` alone means million only in money.
pub fn short_scale(s: &str) -> Option<f64> {
    Some(match s {
        "k" | "K" => 1e3,
        "m" | "M" | "mn" | "mln" | "MN" => 1e6,
        "b" | "B" | "bn" | "BN" | "bln" => 1e9,
        "tn" | "trn" | "T" => 1e12,
        _ => return None,
    })
}

/// Month names and their abbreviations (the word must also be capitalised in the text).
pub fn month(w: &str) -> Option<(u32, bool)> {
    // (month number, is an abbreviation that may take a full stop)
    Some(match w {
        "january" => (1, false),
        "february" => (2, false),
        "march" => (3, false),
        "april" => (4, false),
        "may" => (5, false),
        "june" => (6, false),
        "july" => (7, false),
        "august" => (8, false),
        "september" => (9, false),
        "october" => (10, false),
        "november" => (11, false),
        "december" => (12, false),
        "jan" => (1, true),
        "feb" => (2, true),
        "mar" => (3, true),
        "apr" => (4, true),
        "jun" => (6, true),
        "jul" => (7, true),
        "aug" => (8, true),
        "sep" | "sept" => (9, true),
        "oct" => (10, true),
        "nov" => (11, true),
        "dec" => (12, true),
        _ => return None,
    })
}

pub fn weekday(w: &str) -> Option<Weekday> {
    let w = w.strip_suffix("'s").unwrap_or(w);
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Units of time, for durations (`two weeks`) and ordinals in time (`the 54th minute`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
    Decade,
    Century,
}

impl TimeUnit {
    /// ISO 8601 duration of `amount` units: `P2W`, `PT30H`, `P40Y` (decades in years).
    pub fn iso(self, amount: &str) -> String {
        match self {
            TimeUnit::Second => format!("PT{amount}S"),
            TimeUnit::Minute => format!("PT{amount}M"),
            TimeUnit::Hour => format!("PT{amount}H"),
            TimeUnit::Day => format!("P{amount}D"),
            TimeUnit::Week => format!("P{amount}W"),
            TimeUnit::Month => format!("P{amount}M"),
            TimeUnit::Year => format!("P{amount}Y"),
            TimeUnit::Decade => format!("P{amount}0Y"),
            TimeUnit::Century => format!("P{amount}00Y"),
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            TimeUnit::Second => "second",
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
            TimeUnit::Decade => "decade",
            TimeUnit::Century => "century",
        }
    }
}

pub fn time_unit(w: &str) -> Option<TimeUnit> {
    Some(match w {
        "second" | "seconds" | "secs" => TimeUnit::Second,
        "minute" | "minutes" | "mins" => TimeUnit::Minute,
        "hour" | "hours" | "hrs" | "hr" => TimeUnit::Hour,
        "day" | "days" => TimeUnit::Day,
        "week" | "weeks" | "fortnight" | "wk" | "wks" => TimeUnit::Week,
        "month" | "months" | "mth" | "mths" | "mos" => TimeUnit::Month,
        "year" | "years" | "yrs" => TimeUnit::Year,
        "decade" | "decades" => TimeUnit::Decade,
        "century" | "centuries" => TimeUnit::Century,
        _ => return None,
    })
}

/// Units of measure, normalised. `orig` is the word as written (symbols are case-sensitive:
/// `MW` is not `mW`), `w` the same lower-cased.
pub fn unit(orig: &str, w: &str) -> Option<&'static str> {
    let sym = match orig {
        "kW" => Some("kW"),
        "MW" => Some("MW"),
        "GW" => Some("GW"),
        "W" => Some("W"),
        "kWh" => Some("kWh"),
        "MWh" => Some("MWh"),
        "GWh" => Some("GWh"),
        "TWh" => Some("TWh"),
        "GB" => Some("GB"),
        "TB" => Some("TB"),
        "MB" => Some("MB"),
        "Gbps" => Some("Gbps"),
        "Mbps" => Some("Mbps"),
        "V" => Some("V"),
        "kV" => Some("kV"),
        "Hz" => Some("Hz"),
        "GHz" => Some("GHz"),
        "MHz" => Some("MHz"),
        "mAh" => Some("mAh"),
        _ => None,
    };
    if sym.is_some() {
        return sym;
    }
    Some(match w {
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => "km",
        "mile" | "miles" => "mi",
        "m" | "metre" | "metres" | "meter" | "meters" => "m",
        "cm" | "centimetre" | "centimetres" | "centimeter" | "centimeters" => "cm",
        "mm" | "millimetre" | "millimetres" | "millimeter" | "millimeters" => "mm",
        "ft" | "foot" | "feet" => "ft",
        "inch" | "inches" => "in",
        "yard" | "yards" => "yd",
        "kg" | "kgs" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogramme" | "kilogrammes" => "kg",
        "gram" | "grams" | "gramme" | "grammes" => "g",
        "tonne" | "tonnes" | "ton" | "tons" => "t",
        "lb" | "lbs" => "lb",
        "ounce" | "ounces" | "oz" => "oz",
        "acre" | "acres" => "acre",
        "hectare" | "hectares" | "ha" => "ha",
        "litre" | "litres" | "liter" | "liters" => "L",
        "gallon" | "gallons" => "gal",
        "barrel" | "barrels" | "bbl" => "bbl",
        "bpd" => "bbl/d",
        "mph" => "mph",
        "kph" | "kmh" => "km/h",
        "knot" | "knots" => "kn",
        "degree" | "degrees" => "°",
        "kilowatt" | "kilowatts" => "kW",
        "megawatt" | "megawatts" => "MW",
        "gigawatt" | "gigawatts" => "GW",
        "watt" | "watts" => "W",
        "volt" | "volts" => "V",
        "hp" | "horsepower" => "hp",
        "calorie" | "calories" | "kcal" => "kcal",
        "gigabyte" | "gigabytes" => "GB",
        "terabyte" | "terabytes" => "TB",
        "megabyte" | "megabytes" => "MB",
        _ => return None,
    })
}

/// Currency signs written before the amount.
pub fn currency_sign(s: &str) -> Option<&'static str> {
    Some(match s {
        "$" => "USD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        "₩" => "KRW",
        "₹" => "INR",
        "₽" => "RUB",
        _ => return None,
    })
}

/// Letters attached before `$`: `US$`, `C$`, `HK$`...
pub fn dollar_prefix(s: &str) -> Option<&'static str> {
    Some(match s {
        "US" => "USD",
        "C" | "CA" => "CAD",
        "A" | "AU" => "AUD",
        "HK" => "HKD",
        "NT" => "TWD",
        "S" => "SGD",
        "NZ" => "NZD",
        "R" => "BRL",
        "Mex" => "MXN",
        _ => return None,
    })
}

/// ISO 4217 codes written before the amount (`USD 5 million`), case-sensitive.
pub fn currency_code(s: &str) -> Option<&'static str> {
    Some(match s {
        "USD" => "USD",
        "EUR" => "EUR",
        "GBP" => "GBP",
        "JPY" => "JPY",
        "KRW" => "KRW",
        "CNY" | "RMB" => "CNY",
        "CHF" => "CHF",
        "INR" | "Rs" => "INR",
        "AUD" => "AUD",
        "CAD" => "CAD",
        "HKD" => "HKD",
        _ => return None,
    })
}

/// Currency names written after the amount. `won` and `pound(s)` are ambiguous and only count
/// after a scale word (`1.2 trillion won`); the caller checks that with `needs_scale`.
pub fn currency_word(w: &str) -> Option<(&'static str, bool)> {
    Some(match w {
        // Names several countries' currencies have: marked, the document says which.
        "dollar" | "dollars" | "dlr" | "dlrs" => (super::currency::DOLLAR, false),
        "euro" | "euros" => ("EUR", false),
        "pound" | "pounds" => ("GBP", true),
        "stg" | "sterling" => ("GBP", false),
        "yen" => ("JPY", false),
        "yuan" | "renminbi" => ("CNY", false),
        "won" => ("KRW", true),
        "rupee" | "rupees" => ("INR", false),
        "rouble" | "roubles" | "ruble" | "rubles" => ("RUB", false),
        "franc" | "francs" => (super::currency::FRANC, false),
        "peso" | "pesos" => (super::currency::PESO, false),
        "reais" => ("BRL", false),
        "rand" => ("ZAR", false),
        "lira" => ("TRY", false),
        "dinar" | "dinars" => ("DZD", false),
        "shekel" | "shekels" => ("ILS", false),
        "crore" => ("INR", true),
        // Currencies of their time (before the euro), named only by them.
        "lire" => ("ITL", false),
        "guilder" | "guilders" => ("NLG", false),
        "peseta" | "pesetas" => ("ESP", false),
        "schilling" | "schillings" => ("ATS", false),
        "escudo" | "escudos" => ("PTE", false),
        "drachma" | "drachmas" => ("GRD", false),
        "punt" | "punts" => ("IEP", false),
        "marks" | "deutschemarks" => ("DEM", true),
        "ringgit" => ("MYR", false),
        "baht" => ("THB", false),
        "rupiah" => ("IDR", false),
        "riyal" | "riyals" => ("SAR", false),
        "zloty" | "zlotys" => ("PLN", false),
        "forint" | "forints" => ("HUF", false),
        _ => return None,
    })
}

/// Currencies that several countries name alike: a country word before them says which
/// (`Canadian dlrs`, `French francs`, `Danish crowns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurrencyFamily {
    Dollar,
    Franc,
    Crown,
    Peso,
    Pound,
    Mark,
    Rupee,
    Dinar,
    Lira,
    Riyal,
    Shilling,
}

/// The family of a currency name (lower-cased), singular or plural.
pub fn currency_family(w: &str) -> Option<CurrencyFamily> {
    use CurrencyFamily::*;
    Some(match w {
        "dollar" | "dollars" | "dlr" | "dlrs" => Dollar,
        "franc" | "francs" => Franc,
        "crown" | "crowns" | "krona" | "kronor" | "krone" | "kroner" => Crown,
        "peso" | "pesos" => Peso,
        "pound" | "pounds" | "stg" | "sterling" => Pound,
        "mark" | "marks" => Mark,
        "rupee" | "rupees" => Rupee,
        "dinar" | "dinars" => Dinar,
        "lira" | "lire" => Lira,
        "riyal" | "riyals" | "rial" | "rials" => Riyal,
        "shilling" | "shillings" => Shilling,
        _ => return None,
    })
}

/// The country of a dateline's place, as the qualifier of its currency
/// ([`qualified_currency`]): countries and their main cities, for the countries whose
/// currency's name others share (dollars, francs, pesos). `place` is lower-cased, letters
/// only (`New York` is `newyork`).
pub fn place_country(place: &str) -> Option<&'static str> {
    Some(match place {
        "canada" | "toronto" | "ottawa" | "montreal" | "vancouver" | "calgary" | "edmonton" | "winnipeg"
        | "halifax" | "quebec" | "regina" | "saskatoon" | "victoria" | "hamilton" => "canadian",
        "australia" | "sydney" | "melbourne" | "canberra" | "perth" | "brisbane" | "adelaide" | "hobart"
        | "darwin" => "australian",
        "newzealand" | "wellington" | "auckland" | "christchurch" => "nz",
        "france" | "paris" | "lyon" | "lyons" | "marseille" | "marseilles" | "toulouse" | "strasbourg"
        | "bordeaux" | "lille" | "nantes" | "nice" | "lehavre" | "rouen" => "french",
        "belgium" | "brussels" | "antwerp" | "ghent" | "liege" => "belgian",
        "luxembourg" => "luxembourg",
        "switzerland" | "zurich" | "geneva" | "basle" | "basel" | "berne" | "bern" | "lausanne"
        | "lugano" => "swiss",
        "mexico" | "mexicocity" | "monterrey" | "guadalajara" => "mexican",
        "philippines" | "manila" => "philippine",
        "argentina" | "buenosaires" => "argentine",
        "chile" | "santiago" => "chilean",
        "colombia" | "bogota" => "colombian",
        "uruguay" | "montevideo" => "uruguayan",
        _ => return None,
    })
}

/// Whether a currency's qualifier ([`qualified_currency`]) is the name of a place (`U.S.`,
/// `Hong Kong`, `Singapore`) rather than an adjective (`Canadian`, `Swiss`).
pub fn qualifier_is_place(qualifier: &str) -> bool {
    matches!(
        qualifier,
        "us" | "usa"
            | "uk"
            | "nz"
            | "newzealand"
            | "hongkong"
            | "hk"
            | "singapore"
            | "taiwan"
            | "canada"
            | "australia"
            | "malaysia"
            | "jamaica"
            | "zimbabwe"
            | "brunei"
            | "fiji"
            | "barbados"
            | "trinidad"
            | "luxembourg"
            | "sweden"
            | "denmark"
            | "norway"
            | "mexico"
            | "philippines"
            | "chile"
            | "colombia"
            | "uruguay"
            | "cyprus"
            | "india"
            | "pakistan"
            | "srilanka"
            | "kuwait"
            | "iraq"
            | "jordan"
            | "bahrain"
            | "libya"
            | "algeria"
            | "tunisia"
            | "italy"
            | "turkey"
            | "qatar"
            | "oman"
            | "iran"
            | "austria"
            | "kenya"
            | "uganda"
            | "tanzania"
    )
}

/// The currency a country word names in `family`: `qualifier` is the country word(s) or
/// abbreviation lower-cased with spaces and dots removed (`N.Z.` is `nz`, `Hong Kong` is
/// `hongkong`).
pub fn qualified_currency(qualifier: &str, family: CurrencyFamily) -> Option<&'static str> {
    use CurrencyFamily::*;
    Some(match (family, qualifier) {
        (Dollar, "us" | "american" | "usa") => "USD",
        (Dollar, "canadian" | "canada" | "can" | "cdn") => "CAD",
        (Dollar, "australian" | "australia" | "aust" | "austr" | "aus") => "AUD",
        (Dollar, "nz" | "newzealand") => "NZD",
        (Dollar, "hongkong" | "hk") => "HKD",
        (Dollar, "singapore" | "sing") => "SGD",
        (Dollar, "taiwan" | "taiwanese" | "nt" | "newtaiwan") => "TWD",
        (Dollar, "malaysian" | "malaysia") => "MYR",
        (Dollar, "jamaican" | "jamaica") => "JMD",
        (Dollar, "zimbabwe" | "zimbabwean") => "ZWD",
        (Dollar, "brunei") => "BND",
        (Dollar, "fiji" | "fijian") => "FJD",
        (Dollar, "bahamian") => "BSD",
        (Dollar, "barbados") => "BBD",
        (Dollar, "trinidad") => "TTD",
        (Franc, "swiss" | "sfr") => "CHF",
        (Franc, "french" | "ffr") => "FRF",
        (Franc, "belgian" | "bfr") => "BEF",
        (Franc, "luxembourg") => "LUF",
        (Franc, "cfa") => "XOF",
        (Crown, "swedish" | "sweden") => "SEK",
        (Crown, "danish" | "denmark") => "DKK",
        (Crown, "norwegian" | "norway") => "NOK",
        (Crown, "czech" | "czechoslovak") => "CSK",
        (Crown, "icelandic") => "ISK",
        (Peso, "mexican" | "mexico") => "MXN",
        (Peso, "philippine" | "philippines") => "PHP",
        (Peso, "argentine" | "argentinian") => "ARS",
        (Peso, "chilean" | "chile") => "CLP",
        (Peso, "colombian" | "colombia") => "COP",
        (Peso, "uruguayan" | "uruguay") => "UYU",
        (Peso, "bolivian") => "BOB",
        (Peso, "cuban") => "CUP",
        (Pound, "british" | "uk" | "sterling") => "GBP",
        (Pound, "irish") => "IEP",
        (Pound, "egyptian") => "EGP",
        (Pound, "cyprus" | "cypriot") => "CYP",
        (Pound, "lebanese") => "LBP",
        (Pound, "syrian") => "SYP",
        (Pound, "sudanese") => "SDG",
        (Mark, "german" | "westgerman" | "eastgerman" | "d") => "DEM",
        (Mark, "finnish") => "FIM",
        (Rupee, "indian" | "india") => "INR",
        (Rupee, "pakistani" | "pakistan") => "PKR",
        (Rupee, "srilankan" | "srilanka") => "LKR",
        (Rupee, "nepalese") => "NPR",
        (Rupee, "mauritian") => "MUR",
        (Rupee, "indonesian") => "IDR",
        (Dinar, "kuwaiti" | "kuwait") => "KWD",
        (Dinar, "iraqi" | "iraq") => "IQD",
        (Dinar, "jordanian" | "jordan") => "JOD",
        (Dinar, "bahraini" | "bahrain") => "BHD",
        (Dinar, "libyan" | "libya") => "LYD",
        (Dinar, "algerian" | "algeria") => "DZD",
        (Dinar, "tunisian" | "tunisia") => "TND",
        (Dinar, "yugoslav" | "yugoslavian") => "YUD",
        (Lira, "italian" | "italy") => "ITL",
        (Lira, "turkish" | "turkey") => "TRY",
        (Riyal, "saudi" | "saudiarabian") => "SAR",
        (Riyal, "qatari" | "qatar") => "QAR",
        (Riyal, "omani" | "oman") => "OMR",
        (Riyal, "iranian" | "iran") => "IRR",
        (Riyal, "yemeni") => "YER",
        (Shilling, "austrian" | "austria") => "ATS",
        (Shilling, "kenyan" | "kenya") => "KES",
        (Shilling, "ugandan" | "uganda") => "UGX",
        (Shilling, "tanzanian" | "tanzania") => "TZS",
        (Shilling, "somali") => "SOS",
        _ => return None,
    })
}

/// Words before a number that bound it (`about 500 miles`), one word.
pub fn bound_word(w: &str) -> Option<Option<Bound>> {
    Some(match w {
        "about" | "approximately" | "around" | "roughly" | "some" | "approx" | "circa" | "nearly"
        | "almost" => Some(Bound::About),
        "over" | "above" | "exceeding" => Some(Bound::AtLeast),
        "under" | "below" => Some(Bound::AtMost),
        "only" | "just" | "exactly" | "precisely" => None,
        _ => return None,
    })
}

/// Two-word bounds: `more than`, `up to`, `at least`, `just over`...
pub fn bound_pair(first: &str, second: &str) -> Option<Option<Bound>> {
    Some(match (first, second) {
        ("more", "than") | ("at", "least") | ("just", "over") | ("well", "over") | ("upwards", "of") => {
            Some(Bound::AtLeast)
        }
        ("less", "than")
        | ("fewer", "than")
        | ("up", "to")
        | ("at", "most")
        | ("just", "under")
        | ("well", "under")
        | ("no", "more") => Some(Bound::AtMost),
        ("close", "to") | ("an", "estimated") | ("nearly", "all") => Some(Bound::About),
        _ => return None,
    })
}

/// Function words and frequent verbs: they end a counted noun phrase (`three of them`,
/// `Sweden won 3`), and a number after one of them, capitalised, is not part of a name.
pub fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "from"
            | "by"
            | "with"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "as"
            | "than"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "what"
            | "when"
            | "where"
            | "why"
            | "how"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "am"
            | "pm"
            | "has"
            | "have"
            | "had"
            | "do"
            | "does"
            | "did"
            | "will"
            | "would"
            | "shall"
            | "should"
            | "can"
            | "could"
            | "may"
            | "might"
            | "must"
            | "not"
            | "no"
            | "so"
            | "if"
            | "then"
            | "this"
            | "these"
            | "those"
            | "it"
            | "its"
            | "they"
            | "them"
            | "their"
            | "there"
            | "here"
            | "he"
            | "she"
            | "his"
            | "her"
            | "we"
            | "our"
            | "you"
            | "your"
            | "i"
            | "me"
            | "my"
            | "per"
            | "each"
            | "every"
            | "all"
            | "both"
            | "either"
            | "any"
            | "some"
            | "many"
            | "much"
            | "more"
            | "most"
            | "less"
            | "few"
            | "fewer"
            | "several"
            | "such"
            | "only"
            | "just"
            | "also"
            | "even"
            | "still"
            | "yet"
            | "again"
            | "about"
            | "over"
            | "under"
            | "above"
            | "below"
            | "up"
            | "down"
            | "out"
            | "off"
            | "into"
            | "onto"
            | "upon"
            | "after"
            | "before"
            | "since"
            | "until"
            | "till"
            | "during"
            | "while"
            | "against"
            | "among"
            | "between"
            | "through"
            | "via"
            | "without"
            | "within"
            | "around"
            | "across"
            | "along"
            | "toward"
            | "towards"
            | "behind"
            | "beyond"
            | "near"
            | "ago"
            | "later"
            | "earlier"
            | "old"
            | "apiece"
            | "won"
            | "lost"
            | "beat"
            | "said"
            | "says"
            | "went"
            | "came"
            | "made"
            | "took"
            | "left"
            | "saw"
            | "got"
            | "gave"
            | "told"
            | "led"
            | "set"
            | "put"
            | "ran"
            | "fell"
            | "rose"
            | "hit"
            | "win"
            | "lose"
            | "lead"
            | "leads"
            | "rise"
            | "fall"
            | "percent"
            | "too"
            | "yes"
            | "like"
            | "because"
            | "although"
            | "though"
            | "whether"
            | "unless"
            | "instead"
            | "rather"
            | "respectively"
            | "other"
            | "another"
            | "last"
            | "next"
            | "first"
            | "second"
            | "third"
            | "today"
            | "yesterday"
            | "tomorrow"
            | "now"
            | "according"
            | "compared"
            | "including"
            | "following"
    )
}

/// A plural-looking noun: `teams`, `people`, `schoolchildren`.
pub fn is_plural(w: &str) -> bool {
    if matches!(
        w,
        "people"
            | "children"
            | "men"
            | "women"
            | "police"
            | "staff"
            | "personnel"
            | "feet"
            | "teeth"
            | "mice"
            | "geese"
            | "cattle"
            | "sheep"
            | "fish"
            | "deer"
            | "aircraft"
            | "data"
            | "media"
            | "criteria"
            | "crew"
            | "livestock"
            | "offspring"
            | "species"
            | "series"
            | "times"
    ) || w.ends_with("children")
        || w.ends_with("people")
        || w.ends_with("men")
    {
        return true;
    }
    w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("'s")
}

/// Looks like a verb form or an adverb, not a noun: `died`, `quickly`, `remaining`.
pub fn is_verbish(w: &str) -> bool {
    (w.len() > 4 && w.ends_with("ed") && !matches!(w, "hundred" | "speed" | "seed" | "breed" | "need"))
        || (w.len() > 4 && w.ends_with("ly") && !matches!(w, "family" | "ally" | "rally" | "supply"))
        || (w.len() > 5 && w.ends_with("ing"))
}

/// Nouns of a financial result that an amount with its currency left out may name:
/// `a 1.2 billion loss`, `a 300 mln profit`.
pub fn is_result_noun(w: &str) -> bool {
    matches!(
        w,
        "loss"
            | "losses"
            | "profit"
            | "profits"
            | "deficit"
            | "surplus"
            | "gain"
            | "shortfall"
            | "writedown"
            | "writeoff"
            | "charge"
            | "provision"
            | "turnover"
            | "increase"
            | "rise"
            | "decline"
            | "drop"
            | "fall"
    )
}

/// Words naming a financial result right before its amount, in tables and prose: `Net
/// 542,119`, `Revs 26.0 mln`, `net income of 113 mln`, `sales of 2.5 billion`.
pub fn is_result_label(w: &str) -> bool {
    matches!(
        w,
        "net"
            | "profit"
            | "profits"
            | "loss"
            | "revs"
            | "revenue"
            | "revenues"
            | "sales"
            | "income"
            | "earnings"
            | "turnover"
            | "deficit"
            | "surplus"
            | "pretax"
            | "tax"
            | "assets"
            | "deposits"
            | "loans"
    )
}

/// Words of a change right before its amount: `fell 1/2 to 30`, `up 3 to 45`.
pub fn is_change_word(w: &str) -> bool {
    matches!(
        w,
        "rose"
            | "fell"
            | "up"
            | "down"
            | "off"
            | "climbed"
            | "gained"
            | "lost"
            | "dropped"
            | "added"
            | "eased"
            | "slipped"
            | "jumped"
            | "declined"
            | "advanced"
            | "firmed"
            | "rise"
            | "fall"
    )
}

/// A capitalised adjective of nationality: `Syrian`, `Panamanian`, `Japanese`, `British`.
pub fn is_demonym(w: &str) -> bool {
    w.len() > 4
        && (w.ends_with("an")
            || w.ends_with("ese")
            || w.ends_with("ish")
            || w.ends_with("ch")
            || w.ends_with("i")
            || w.ends_with("ic"))
}

/// Ordinal words that pick a part of a year: `the second half of 2025`.
pub fn ordinal_word(w: &str) -> Option<u32> {
    Some(match w {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        "final" | "last" => 99,
        _ => return None,
    })
}
