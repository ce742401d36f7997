//! The controlled vocabularies of `library.yaml` (regions, outcomes, ethnic groups,
//! search synonyms) and the nine sites, as the content model (v1) defines them.

pub const REGIONS: [(&str, &str); 7] = [
    ("london", "London"),
    ("midlands", "Midlands"),
    ("north-west", "North West"),
    ("south-west", "South West"),
    ("north-east-and-yorkshire", "North East and Yorkshire"),
    ("east-of-england", "East of England"),
    ("south-east", "South East"),
];

pub const OUTCOMES: [(&str, &str); 4] = [
    ("severe-maternal-morbidity", "Severe maternal morbidity"),
    ("perinatal-mortality", "Perinatal mortality"),
    ("neonatal-morbidity", "Neonatal morbidity"),
    ("experience-of-care", "Experience of care"),
];

/// NHS Data Dictionary ethnic categories: id, label, and the words used in prose.
#[rustfmt::skip]
pub const ETHNIC_GROUPS: [(&str, &str, &str); 17] = [
    ("white-british", "White - British", "White British"),
    ("white-irish", "White - Irish", "White Irish"),
    ("white-other", "White - Any other White background", "White Other"),
    ("mixed-white-black-caribbean", "Mixed - White and Black Caribbean", "mixed White and Black Caribbean"),
    ("mixed-white-black-african", "Mixed - White and Black African", "mixed White and Black African"),
    ("mixed-white-asian", "Mixed - White and Asian", "mixed White and Asian"),
    ("mixed-other", "Mixed - Any other mixed background", "other mixed"),
    ("asian-indian", "Asian or Asian British - Indian", "Indian"),
    ("asian-pakistani", "Asian or Asian British - Pakistani", "Pakistani"),
    ("asian-bangladeshi", "Asian or Asian British - Bangladeshi", "Bangladeshi"),
    ("asian-other", "Asian or Asian British - Any other Asian background", "other Asian"),
    ("black-caribbean", "Black or Black British - Caribbean", "Black Caribbean"),
    ("black-african", "Black or Black British - African", "Black African"),
    ("black-other", "Black or Black British - Any other Black background", "other Black"),
    ("chinese", "Other Ethnic Groups - Chinese", "Chinese"),
    ("other", "Other Ethnic Groups - Any other ethnic group", "other ethnic group"),
    ("not-stated", "Not stated", "not stated"),
];

/// Ethnic groups a piece of work may focus on (indices into `ETHNIC_GROUPS`).
pub const FOCUS_GROUPS: [usize; 10] = [2, 3, 4, 7, 8, 9, 11, 12, 13, 14];
pub const REFERENCE_GROUP: usize = 0;

pub const SYNONYMS: [(&str, &[&str]); 14] = [
    ("pph", &["postpartum haemorrhage"]),
    ("gdm", &["gestational diabetes"]),
    ("hemorrhage", &["haemorrhage"]),
    ("anemia", &["anaemia"]),
    ("pediatric", &["paediatric"]),
    ("gynecology", &["gynaecology"]),
    ("ogtt", &["oral glucose tolerance test"]),
    ("cgm", &["continuous glucose monitoring"]),
    ("pnd", &["postnatal depression", "perinatal mental health"]),
    ("smm", &["severe maternal morbidity"]),
    ("spc", &["statistical process control"]),
    ("pdsa", &["plan do study act"]),
    ("coc", &["continuity of carer"]),
    ("txa", &["tranexamic acid"]),
];

pub struct Site {
    pub id: &'static str,
    pub name: &'static str,
    pub short: &'static str,
    pub kind: &'static str,
    pub region: usize,
    pub ics: &'static str,
}

pub const SITES: [Site; 9] = [
    Site {
        id: "birmingham-solihull",
        name: "Birmingham and Solihull Local Maternity and Neonatal System",
        short: "Birmingham and Solihull",
        kind: "lmns",
        region: 1,
        ics: "Birmingham and Solihull Integrated Care System",
    },
    Site {
        id: "bnssg",
        name: "Bristol, North Somerset and South Gloucestershire",
        short: "BNSSG",
        kind: "ics",
        region: 3,
        ics: "Bristol, North Somerset and South Gloucestershire Integrated Care System",
    },
    Site {
        id: "imperial-nwl",
        name: "Imperial College Healthcare NHS Trust",
        short: "Imperial",
        kind: "trust",
        region: 0,
        ics: "North West London Integrated Care System",
    },
    Site {
        id: "lancashire",
        name: "Lancashire and South Cumbria Local Maternity and Neonatal System",
        short: "Lancashire and South Cumbria",
        kind: "lmns",
        region: 2,
        ics: "Lancashire and South Cumbria Integrated Care System",
    },
    Site {
        id: "manchester-st-marys",
        name: "Saint Mary's Managed Clinical Service, Manchester",
        short: "Saint Mary's",
        kind: "trust",
        region: 2,
        ics: "Greater Manchester Integrated Care Partnership",
    },
    Site {
        id: "north-central-london",
        name: "North Central London Local Maternity and Neonatal System",
        short: "North Central London",
        kind: "lmns",
        region: 0,
        ics: "North Central London Integrated Care System",
    },
    Site {
        id: "north-east-london",
        name: "North East London Local Maternity and Neonatal System",
        short: "North East London",
        kind: "lmns",
        region: 0,
        ics: "North East London Integrated Care System",
    },
    Site {
        id: "northern-care-alliance",
        name: "Northern Care Alliance NHS Foundation Trust",
        short: "the Northern Care Alliance",
        kind: "partnership",
        region: 2,
        ics: "Greater Manchester Integrated Care Partnership",
    },
    Site {
        id: "leicester",
        name: "University Hospitals of Leicester NHS Trust",
        short: "Leicester",
        kind: "trust",
        region: 1,
        ics: "Leicester, Leicestershire and Rutland Integrated Care System",
    },
];
